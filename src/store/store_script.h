/* store_script.h - the Lua script every store record runs through, and the record kinds.
 *
 * The script is loaded once per connection (SCRIPT LOAD) and called as
 * "EVALSHA <sha> 0 <node> <record> <record> ...": one command carries a batch of records (node:
 * this node's name, written to fw:veh:<phone> node) and returns
 * one status per record (FW_REC_STATUS_* as an integer, or an error text). All writes of a
 * record happen inside the script, so one position costs one command share, one round trip
 * per batch, and the script can choose between the track stream and the late set atomically.
 * docs/redis-schema.md describes what each kind writes.
 */
#ifndef FW_STORE_SCRIPT_H
#define FW_STORE_SCRIPT_H

#include "fw/base/redis_schema.h"
#include "record.h"

/* X(name, kind letter, arguments after the letter). A position replayed from the spool
 * is sent as kind Q: the same arguments, checked against the track for an identical entry. */
#define FW_REC_KIND_LIST(X)                                                                        \
    X(POSITION, P, 19)                                                                             \
    X(POSITION_REPLAYED, Q, 19)                                                                    \
    X(VIOLATION, V, 15)                                                                            \
    X(RSTATE, S, 3)                                                                                \
    X(OFFLINE, O, 3)

#define FW_REC_KIND_CHAR(letter) (#letter[0])

/* The fw:veh:<phone> fields a position record carries, their order and argument indexes are
 * those of FW_VEH_FIELD_LIST (redis_schema.h): the static ones (plate, class) come only with a
 * refreshing position (a non-empty cutoff argument, position.h), and the script adds online = 1
 * and node = the batch's node argument to them; the dynamic ones come with every position. */
/* The placement argument (after the id ms and the cutoff) of a position dated in the future
 * (fw_location_rec.future): filed in the late set, used for nothing live. Otherwise "1" (live,
 * and into the GEO set) or "0" (live). */
#define FW_REC_PLACE_FUTURE "f"
/* The record arguments of lat and lon (FW_VEH_FIELD_LIST), for the GEO point. */
#define FW_VEH_ARG_LAT "7"
#define FW_VEH_ARG_LON "8"

/* Mark a record read back from the spool: positions become kind Q. */
static inline void fw_rec_mark_replayed(fw_rec *r)
{
    char *kind = fw_rec_kind(r);
    if (*kind == FW_REC_KIND_CHAR(P))
        *kind = FW_REC_KIND_CHAR(Q);
}

/* Per-record results of the script. */
enum {
    FW_REC_STATUS_STORED = 1,
    FW_REC_STATUS_DUPLICATE = 2, /* already there (a replay after a lost reply): not added */
    FW_REC_STATUS_LATE = 3,      /* position older than its track's newest: in the late set */
    FW_REC_STATUS_FUTURE = 4,    /* position dated in the future: in the late set, nothing live */
};

/* The script text (NUL-terminated). */
extern const char fw_store_lua[];

#endif
