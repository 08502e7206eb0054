/* record.c - RESP encoding of store records (record.h): bulk strings appended to a fixed
 * buffer, with integer and fixed-point formatting that needs neither printf nor floats.
 */
#include "record.h"

#include <string.h>

size_t fw_fmt_i64(int64_t v, char *out)
{
    char tmp[24];
    size_t n = 0, len = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        out[len++] = '-';
    while (n)
        out[len++] = tmp[--n];
    return len;
}

void fw_rec_begin(fw_rec *r, char kind)
{
    r->len = 0;
    r->nargs = 0;
    r->overflow = false;
    fw_rec_bytes(r, &kind, 1);
}

uint8_t *fw_rec_reserve(fw_rec *r, size_t n)
{
    char head[32];
    size_t hlen = 0;
    head[hlen++] = '$';
    hlen += fw_fmt_i64((int64_t)n, head + hlen);
    head[hlen++] = '\r';
    head[hlen++] = '\n';
    if (r->overflow || n > FW_REC_MAX_BYTES || r->len + hlen + n + 2 > FW_REC_MAX_BYTES) {
        r->overflow = true;
        return NULL;
    }
    memcpy(r->buf + r->len, head, hlen);
    uint8_t *data = r->buf + r->len + hlen;
    data[n] = '\r';
    data[n + 1] = '\n';
    r->len = (uint16_t)(r->len + hlen + n + 2);
    r->nargs++;
    return data;
}

void fw_rec_bytes(fw_rec *r, const void *p, size_t n)
{
    uint8_t *data = fw_rec_reserve(r, n);
    if (data && n)
        memcpy(data, p, n);
}

void fw_rec_str(fw_rec *r, const char *s)
{
    fw_rec_bytes(r, s, strlen(s));
}

void fw_rec_i64(fw_rec *r, int64_t v)
{
    char text[24];
    fw_rec_bytes(r, text, fw_fmt_i64(v, text));
}

void fw_rec_fixed(fw_rec *r, int64_t v, unsigned decimals)
{
    int64_t scale = 1;
    for (unsigned i = 0; i < decimals; i++)
        scale *= 10;
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    char text[48];
    size_t len = 0;
    if (v < 0)
        text[len++] = '-';
    len += fw_fmt_i64((int64_t)(mag / (uint64_t)scale), text + len);
    if (decimals) {
        text[len++] = '.';
        uint64_t frac = mag % (uint64_t)scale;
        for (unsigned i = decimals; i-- > 0;) {
            text[len + i] = (char)('0' + frac % 10);
            frac /= 10;
        }
        len += decimals;
    }
    fw_rec_bytes(r, text, len);
}

bool fw_rec_ok(const fw_rec *r)
{
    return !r->overflow;
}
