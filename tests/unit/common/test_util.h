/* test_util.h - helpers shared by the unit tests: hex <-> bytes and the frame corpus.
 *
 * The corpus (tests/data/jt808_corpus.tsv) holds real and synthetic frames with the values
 * their sources assert; tests look rows up by a substring of their source path.
 */
#ifndef FW_TEST_UTIL_H
#define FW_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

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

#endif
