/* byte_io.h - bounds-checked big-endian reading and writing for the codec (internal).
 *
 * A reader never reads past its end: a read beyond it returns 0 and sets `short_read`, so a
 * decoder can read all fields of a layout and check once at the end. A writer never writes
 * past its capacity: it sets `overflow` instead. Both are tiny structs on the stack.
 */
#ifndef FW_CODEC_BYTE_IO_H
#define FW_CODEC_BYTE_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    const uint8_t *p;
    const uint8_t *end;
    bool short_read;
} jt_reader;

static inline void rd_init(jt_reader *r, const uint8_t *p, size_t len)
{
    r->p = p;
    r->end = p + len;
    r->short_read = false;
}

static inline size_t rd_left(const jt_reader *r)
{
    return (size_t)(r->end - r->p);
}

/* Returns a pointer to the next n bytes and skips them, or NULL (and short_read) when fewer
 * remain. */
static inline const uint8_t *rd_take(jt_reader *r, size_t n)
{
    if (rd_left(r) < n) {
        r->short_read = true;
        r->p = r->end;
        return NULL;
    }
    const uint8_t *at = r->p;
    r->p += n;
    return at;
}

static inline uint8_t rd_u8(jt_reader *r)
{
    const uint8_t *b = rd_take(r, 1);
    return b ? b[0] : 0;
}

static inline uint16_t rd_u16(jt_reader *r)
{
    const uint8_t *b = rd_take(r, 2);
    return b ? (uint16_t)(b[0] << 8 | b[1]) : 0;
}

static inline uint32_t rd_u32(jt_reader *r)
{
    const uint8_t *b = rd_take(r, 4);
    return b ? (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3] : 0;
}

static inline uint16_t be16(const uint8_t *b)
{
    return (uint16_t)(b[0] << 8 | b[1]);
}

static inline uint32_t be32(const uint8_t *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

typedef struct {
    uint8_t *p;
    size_t cap;
    size_t len;
    bool overflow;
} jt_writer;

static inline void wr_init(jt_writer *w, uint8_t *p, size_t cap)
{
    w->p = p;
    w->cap = cap;
    w->len = 0;
    w->overflow = false;
}

/* Reserve n bytes; returns where to write them, or NULL (and overflow) when they do not fit. */
static inline uint8_t *wr_reserve(jt_writer *w, size_t n)
{
    if (w->overflow || w->cap - w->len < n) {
        w->overflow = true;
        return NULL;
    }
    uint8_t *at = w->p + w->len;
    w->len += n;
    return at;
}

static inline void wr_bytes(jt_writer *w, const void *src, size_t n)
{
    uint8_t *at = wr_reserve(w, n);
    if (at && n)
        memcpy(at, src, n);
}

static inline void wr_u8(jt_writer *w, uint8_t v)
{
    uint8_t *at = wr_reserve(w, 1);
    if (at)
        at[0] = v;
}

static inline void wr_u16(jt_writer *w, uint16_t v)
{
    uint8_t *at = wr_reserve(w, 2);
    if (at) {
        at[0] = (uint8_t)(v >> 8);
        at[1] = (uint8_t)v;
    }
}

static inline void wr_u32(jt_writer *w, uint32_t v)
{
    uint8_t *at = wr_reserve(w, 4);
    if (at) {
        at[0] = (uint8_t)(v >> 24);
        at[1] = (uint8_t)(v >> 16);
        at[2] = (uint8_t)(v >> 8);
        at[3] = (uint8_t)v;
    }
}

/* Write n bytes of src zero-padded (or truncated) to exactly width bytes. */
static inline void wr_fixed(jt_writer *w, const void *src, size_t n, size_t width)
{
    uint8_t *at = wr_reserve(w, width);
    if (!at)
        return;
    size_t k = n < width ? n : width;
    if (k)
        memcpy(at, src, k);
    memset(at + k, 0, width - k);
}

#endif
