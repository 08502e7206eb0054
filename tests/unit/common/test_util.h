/* test_util.h - helpers shared by the unit tests: hex <-> bytes and the frame corpus.
 *
 * The corpus (tests/data/jt808_corpus.tsv) holds real and synthetic frames with the values
 * their sources assert; tests look rows up by a substring of their source path and can have
 * a row's frame parsed with the codec in one call (tu_corpus_parse).
 */
#ifndef FW_TEST_UTIL_H
#define FW_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fw/codec/jt_frame.h"

/* Parse hex (spaces allowed) into out; returns the byte count, or -1 on bad input/overflow. */
long tu_hex(const char *hex, uint8_t *out, size_t cap);

typedef struct {
    char source_repo[96];
    char source_path[192];
    char msg_id[8];
    char version[8];
    char hex[4096];
    char expected[4096];
    char notes[1024];
} tu_corpus_row;

/* Number of rows in the corpus (without the header). */
int tu_corpus_count(void);
/* Row i (0-based) into *row; 0 on success. */
int tu_corpus_row_at(int i, tu_corpus_row *row);
/* The n-th (0-based) row whose source_path contains `path_part` and whose msg_id equals
 * msg_id (NULL: any); 0 on success, -1 when there is none. */
int tu_corpus_find(const char *path_part, const char *msg_id, int n, tu_corpus_row *row);

/* Frame bytes of a row: the whole wire frame (with both 0x7e). Returns length or -1. */
long tu_corpus_frame(const tu_corpus_row *row, uint8_t *out, size_t cap);

/* The frame of a row copied into buf and parsed with jt_frame_parse() into *f, whose body
 * then points into buf. Returns the jt_err of the parse, or -1 when the row's hex is not a
 * frame (or does not fit in cap). */
int tu_corpus_parse_row(const tu_corpus_row *row, uint8_t *buf, size_t cap, jt_frame *f);
/* The same for the n-th row matching path_part/msg_id (see tu_corpus_find()); -1 also when
 * there is no such row. */
int tu_corpus_parse(const char *path_part, const char *msg_id, int n, uint8_t *buf, size_t cap,
                    jt_frame *f);
/* True for the parse results whose body can be decoded: JT_OK and the damage real terminals
 * send that the codec tolerates (wrong check code, body length disagreeing with the header). */
bool tu_frame_usable(int parse_result);

/* A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released), for a
 * server under test to listen on. */
uint16_t tu_free_port(void);

/* Run fn with stderr sent into a pipe; returns what it wrote, NUL-terminated in buf (at most
 * cap - 1 bytes; fn must write less than a pipe holds, 64 KiB). 0 when no pipe can be made. */
size_t tu_capture_stderr(void (*fn)(void), char *buf, size_t cap);

/* Send stdout to /dev/null (for code that prints --help): the saved stdout to give back to
 * tu_restore_stdout, or -1 when it cannot be done. */
int tu_silence_stdout(void);
void tu_restore_stdout(int saved);

#endif
