/* json_writer.h - a tiny streaming JSON writer for fleetwatch-decode.
 *
 * Text goes into a caller-owned buffer. With a FILE* sink the buffer is only staging: it is
 * written out whenever it fills and at jw_end_line(), so documents of any size stream through
 * a fixed buffer. Without a FILE* the buffer holds the whole document, NUL-terminated, and a
 * document that does not fit marks the writer failed. Nothing allocates.
 *
 * The writer inserts commas, colons and (when pretty) newlines and indentation itself; callers
 * only open and close containers, name keys and write values. Strings are escaped for JSON:
 * quote, backslash and control characters are escaped, valid UTF-8 passes through unchanged
 * and every byte of an invalid UTF-8 sequence becomes U+FFFD.
 */
#ifndef FW_DECODE_JSON_WRITER_H
#define FW_DECODE_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JW_MAX_DEPTH 16

typedef struct {
    char *buf;                    /* caller-owned text buffer (staging buffer with a FILE* sink) */
    size_t cap;                   /* size of buf */
    size_t len;                   /* bytes of buf in use */
    FILE *file;                   /* sink, or NULL to keep the document in buf */
    bool failed;                  /* buffer full (no FILE*), write error or nesting too deep */
    bool pretty;                  /* indent two spaces per level, one member per line */
    bool after_key;               /* a key was written; the next token is its value */
    unsigned depth;               /* open containers */
    bool has_items[JW_MAX_DEPTH]; /* per open container: a member was written */
} jw_writer;

/* Document kept in buf (cap >= 1; always NUL-terminated). */
void jw_init_buffer(jw_writer *w, char *buf, size_t cap, bool pretty);
/* Document streamed to file through the staging buffer (cap >= 8). */
void jw_init_file(jw_writer *w, FILE *file, char *staging, size_t cap, bool pretty);

void jw_begin_object(jw_writer *w);
void jw_end_object(jw_writer *w);
void jw_begin_array(jw_writer *w);
void jw_end_array(jw_writer *w);
void jw_key(jw_writer *w, const char *key);

void jw_string(jw_writer *w, const char *s);
void jw_string_n(jw_writer *w, const char *s, size_t len);
void jw_int(jw_writer *w, int64_t v);
void jw_uint(jw_writer *w, uint64_t v);
/* scaled / 10^decimals with exactly `decimals` digits after the point: (-1234, 1) -> -123.4 */
void jw_fixed(jw_writer *w, int64_t scaled, unsigned decimals);
void jw_bool(jw_writer *w, bool v);
void jw_null(jw_writer *w);
/* Bytes as a lowercase hex string: "7e0200". */
void jw_hex(jw_writer *w, const uint8_t *p, size_t len);
/* An id as "0x" and `digits` lowercase hex digits: (0x200, 4) -> "0x0200". */
void jw_id(jw_writer *w, uint32_t v, unsigned digits);
/* printf-style string value (at most 255 bytes of output). */
void jw_stringf(jw_writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Key-value shorthands. */
void jw_kv_string(jw_writer *w, const char *key, const char *s);
void jw_kv_int(jw_writer *w, const char *key, int64_t v);
void jw_kv_uint(jw_writer *w, const char *key, uint64_t v);
void jw_kv_fixed(jw_writer *w, const char *key, int64_t scaled, unsigned decimals);
void jw_kv_bool(jw_writer *w, const char *key, bool v);
void jw_kv_hex(jw_writer *w, const char *key, const uint8_t *p, size_t len);
void jw_kv_id(jw_writer *w, const char *key, uint32_t v, unsigned digits);

/* End the document with a newline. A FILE* sink is flushed, its failure flag cleared and the
 * writer is ready for the next document; a buffer sink keeps the text (and the flag) until the
 * next jw_init_buffer(). Returns false when the document was not written completely. */
bool jw_end_line(jw_writer *w);

#endif
