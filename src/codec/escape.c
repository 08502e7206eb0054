/* escape.c - JT/T 808 byte escaping and the XOR check code (jt_frame.h).
 *
 * Between the 0x7e flags, 0x7e travels as 0x7d 0x02 and 0x7d as 0x7d 0x01. Unescaping works in
 * place (the output is never longer than the input) and keeps a malformed 0x7d literally, so
 * frames from terminals that do not escape still parse; jt_frame_parse() flags them.
 */
#include <string.h>

#include "fw/codec/jt_frame.h"

/* 0x7d 0x01 -> 0x7d, 0x7d 0x02 -> 0x7e: the escaped value is this base plus the second byte */
#define ESCAPE_BASE (JT_ESCAPE_BYTE - 1)

size_t jt_unescape(uint8_t *buf, size_t len, unsigned *bad_escapes)
{
    if (bad_escapes)
        *bad_escapes = 0;
    const uint8_t *esc = len ? memchr(buf, JT_ESCAPE_BYTE, len) : NULL;
    if (!esc)
        return len;
    unsigned bad = 0;
    size_t out = (size_t)(esc - buf), in = out;
    while (in < len) {
        /* here buf[in] is 0x7d */
        bool valid = in + 1 < len && (buf[in + 1] == 0x01 || buf[in + 1] == 0x02);
        buf[out++] = valid ? (uint8_t)(ESCAPE_BASE + buf[in + 1]) : JT_ESCAPE_BYTE;
        bad += !valid;
        in += valid ? 2 : 1;
        esc = memchr(buf + in, JT_ESCAPE_BYTE, len - in);
        size_t run = esc ? (size_t)(esc - (buf + in)) : len - in;
        memmove(buf + out, buf + in, run);
        out += run;
        in += run;
    }
    if (bad_escapes)
        *bad_escapes = bad;
    return out;
}

size_t jt_escape(const uint8_t *src, size_t len, uint8_t *dst, size_t cap, jt_err *err)
{
    size_t out = 0;
    for (size_t i = 0; i < len; i++) {
        uint8_t b = src[i];
        bool special = b == JT_FLAG_BYTE || b == JT_ESCAPE_BYTE;
        if (cap - out < (special ? 2u : 1u)) {
            if (err)
                *err = JT_ERR_NO_SPACE;
            return 0;
        }
        if (special) {
            dst[out++] = JT_ESCAPE_BYTE;
            b = (uint8_t)(b - ESCAPE_BASE);
        }
        dst[out++] = b;
    }
    if (err)
        *err = JT_OK;
    return out;
}

/* XOR eight bytes at a time, then fold: the check code is the XOR of every byte, and XOR is
 * associative, so the order of the bytes does not matter. */
uint8_t jt_checksum(const uint8_t *p, size_t len)
{
    uint64_t wide = 0;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, sizeof w);
        wide ^= w;
    }
    wide ^= wide >> 32;
    wide ^= wide >> 16;
    wide ^= wide >> 8;
    uint8_t x = (uint8_t)wide;
    for (; i < len; i++)
        x ^= p[i];
    return x;
}
