/* store_script.h - the Lua script every store record runs through, and the record kinds.
 *
 * The script is loaded once per connection (SCRIPT LOAD) and called as
 * "EVALSHA <sha> 0 <record> <record> ...": one command carries a batch of records and returns
 * one status per record (FW_REC_STATUS_* as an integer, or an error text). All writes of a
 * record happen inside the script, so one position costs one command share, one round trip
 * per batch, and the script can choose between the track stream and the late set atomically.
 * docs/redis-schema.md describes what each kind writes.
 */
#ifndef FW_STORE_SCRIPT_H
#define FW_STORE_SCRIPT_H

/* X(enum suffix, kind letter, arguments after the letter) */
#define FW_REC_KIND_LIST(X)                                                                        \
    X(POSITION, P, 21)                                                                             \
    X(VIOLATION, V, 15)                                                                            \
    X(RSTATE, S, 3)                                                                                \
    X(OFFLINE, O, 3)

enum {
#define FW_REC_KIND_ENUM(name, letter, nargs) FW_REC_ARGS_##name = nargs,
    FW_REC_KIND_LIST(FW_REC_KIND_ENUM)
#undef FW_REC_KIND_ENUM
};

#define FW_REC_KIND_CHAR(letter) (#letter[0])

/* Per-record results of the script. */
enum {
    FW_REC_STATUS_STORED = 1,
    FW_REC_STATUS_DUPLICATE = 2, /* already there (a replay after a lost reply): not added */
    FW_REC_STATUS_LATE = 3,      /* position older than its track's newest: in the late set */
};

/* The script text (NUL-terminated). */
extern const char fw_store_lua[];

#endif
