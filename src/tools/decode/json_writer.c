/* json_writer.c - the streaming JSON writer of fleetwatch-decode (see json_writer.h). */
#include "json_writer.h"

#include <stdarg.h>
#include <string.h>

static void flush_file(jw_writer *w)
{
    if (w->file && w->len) {
        if (fwrite(w->buf, 1, w->len, w->file) != w->len)
            w->failed = true;
        w->len = 0;
    }
}

static void put_bytes(jw_writer *w, const char *s, size_t n)
{
    while (n) {
        size_t room = w->cap - w->len - (w->file ? 0 : 1); /* keep room for the NUL */
        if (room == 0) {
            if (!w->file) {
                w->failed = true;
                return;
            }
            flush_file(w);
            continue;
        }
        size_t k = n < room ? n : room;
        memcpy(w->buf + w->len, s, k);
        w->len += k;
        s += k;
        n -= k;
    }
    if (!w->file)
        w->buf[w->len] = '\0';
}

static void put_char(jw_writer *w, char c)
{
    put_bytes(w, &c, 1);
}

static void put_str(jw_writer *w, const char *s)
{
    put_bytes(w, s, strlen(s));
}

static void newline_indent(jw_writer *w, unsigned depth)
{
    if (!w->pretty)
        return;
    put_char(w, '\n');
    for (unsigned i = 0; i < depth; i++)
        put_bytes(w, "  ", 2);
}

/* Separator and indentation before a value or a key. */
static void before_token(jw_writer *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth == 0)
        return;
    if (w->has_items[w->depth - 1])
        put_char(w, ',');
    w->has_items[w->depth - 1] = true;
    newline_indent(w, w->depth);
}

void jw_init_buffer(jw_writer *w, char *buf, size_t cap, bool pretty)
{
    memset(w, 0, sizeof *w);
    w->buf = buf;
    w->cap = cap;
    w->pretty = pretty;
    buf[0] = '\0';
}

void jw_init_file(jw_writer *w, FILE *file, char *staging, size_t cap, bool pretty)
{
    memset(w, 0, sizeof *w);
    w->buf = staging;
    w->cap = cap;
    w->file = file;
    w->pretty = pretty;
}

static void open_container(jw_writer *w, char c)
{
    before_token(w);
    put_char(w, c);
    if (w->depth == JW_MAX_DEPTH) {
        w->failed = true;
        return;
    }
    w->has_items[w->depth++] = false;
}

static void close_container(jw_writer *w, char c)
{
    if (w->depth == 0) {
        w->failed = true;
        return;
    }
    w->depth--;
    if (w->has_items[w->depth])
        newline_indent(w, w->depth);
    put_char(w, c);
}

void jw_begin_object(jw_writer *w)
{
    open_container(w, '{');
}

void jw_end_object(jw_writer *w)
{
    close_container(w, '}');
}

void jw_begin_array(jw_writer *w)
{
    open_container(w, '[');
}

void jw_end_array(jw_writer *w)
{
    close_container(w, ']');
}

/* Length of the valid UTF-8 sequence at s[0..n) (first byte >= 0x80), or 0 when invalid
 * (bad lead or continuation byte, overlong form, surrogate, above U+10FFFF, cut short). */
static size_t utf8_sequence_len(const unsigned char *s, size_t n)
{
    size_t len;
    uint32_t cp, min;
    if (s[0] >= 0xc2 && s[0] <= 0xdf) {
        len = 2, cp = s[0] & 0x1fu, min = 0x80;
    } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
        len = 3, cp = s[0] & 0x0fu, min = 0x800;
    } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        len = 4, cp = s[0] & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3fu);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

static void put_escaped_control(jw_writer *w, unsigned char c)
{
    static const char short_forms[] = "btn\0fr"; /* \b \t \n (\v has none) \f \r: 0x08-0x0d */
    char esc[8];
    if (c >= 0x08 && c <= 0x0d && short_forms[c - 0x08]) {
        esc[0] = '\\';
        esc[1] = short_forms[c - 0x08];
        put_bytes(w, esc, 2);
        return;
    }
    snprintf(esc, sizeof esc, "\\u%04x", c);
    put_str(w, esc);
}

void jw_string_n(jw_writer *w, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    before_token(w);
    put_char(w, '"');
    size_t i = 0;
    while (i < len) {
        size_t run = i; /* copy runs of plain ASCII in one go */
        while (run < len && p[run] >= 0x20 && p[run] < 0x80 && p[run] != '"' && p[run] != '\\')
            run++;
        put_bytes(w, s + i, run - i);
        i = run;
        if (i == len)
            break;
        if (p[i] == '"' || p[i] == '\\') {
            char esc[2] = {'\\', (char)p[i]};
            put_bytes(w, esc, 2);
            i++;
        } else if (p[i] < 0x20) {
            put_escaped_control(w, p[i]);
            i++;
        } else {
            size_t k = utf8_sequence_len(p + i, len - i);
            if (k) {
                put_bytes(w, s + i, k);
                i += k;
            } else {
                put_str(w, "\\ufffd");
                i++;
            }
        }
    }
    put_char(w, '"');
}

void jw_string(jw_writer *w, const char *s)
{
    jw_string_n(w, s, strlen(s));
}

void jw_key(jw_writer *w, const char *key)
{
    jw_string(w, key);
    put_char(w, ':');
    if (w->pretty)
        put_char(w, ' ');
    w->after_key = true;
}

static void put_number(jw_writer *w, const char *text)
{
    before_token(w);
    put_str(w, text);
}

void jw_int(jw_writer *w, int64_t v)
{
    char num[24];
    snprintf(num, sizeof num, "%lld", (long long)v);
    put_number(w, num);
}

void jw_uint(jw_writer *w, uint64_t v)
{
    char num[24];
    snprintf(num, sizeof num, "%llu", (unsigned long long)v);
    put_number(w, num);
}

void jw_fixed(jw_writer *w, int64_t scaled, unsigned decimals)
{
    uint64_t magnitude = scaled < 0 ? 0 - (uint64_t)scaled : (uint64_t)scaled;
    uint64_t unit = 1;
    if (decimals > 18)
        decimals = 18;
    for (unsigned i = 0; i < decimals; i++)
        unit *= 10;
    char num[48];
    if (decimals == 0)
        snprintf(num, sizeof num, "%s%llu", scaled < 0 ? "-" : "", (unsigned long long)magnitude);
    else
        snprintf(num, sizeof num, "%s%llu.%0*llu", scaled < 0 ? "-" : "",
                 (unsigned long long)(magnitude / unit), (int)decimals,
                 (unsigned long long)(magnitude % unit));
    put_number(w, num);
}

void jw_bool(jw_writer *w, bool v)
{
    put_number(w, v ? "true" : "false");
}

void jw_null(jw_writer *w)
{
    put_number(w, "null");
}

void jw_hex(jw_writer *w, const uint8_t *p, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    before_token(w);
    put_char(w, '"');
    for (size_t i = 0; i < len; i++) {
        char pair[2] = {digits[p[i] >> 4], digits[p[i] & 15]};
        put_bytes(w, pair, 2);
    }
    put_char(w, '"');
}

void jw_id(jw_writer *w, uint32_t v, unsigned digits)
{
    char text[16];
    snprintf(text, sizeof text, "0x%0*x", (int)(digits > 8 ? 8 : digits), (unsigned)v);
    jw_string(w, text);
}

void jw_stringf(jw_writer *w, const char *fmt, ...)
{
    char text[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    jw_string_n(w, text, n < 0 ? 0 : (size_t)n < sizeof text ? (size_t)n : sizeof text - 1);
}

void jw_kv_string(jw_writer *w, const char *key, const char *s)
{
    jw_key(w, key);
    jw_string(w, s);
}

void jw_kv_int(jw_writer *w, const char *key, int64_t v)
{
    jw_key(w, key);
    jw_int(w, v);
}

void jw_kv_uint(jw_writer *w, const char *key, uint64_t v)
{
    jw_key(w, key);
    jw_uint(w, v);
}

void jw_kv_fixed(jw_writer *w, const char *key, int64_t scaled, unsigned decimals)
{
    jw_key(w, key);
    jw_fixed(w, scaled, decimals);
}

void jw_kv_bool(jw_writer *w, const char *key, bool v)
{
    jw_key(w, key);
    jw_bool(w, v);
}

void jw_kv_hex(jw_writer *w, const char *key, const uint8_t *p, size_t len)
{
    jw_key(w, key);
    jw_hex(w, p, len);
}

void jw_kv_id(jw_writer *w, const char *key, uint32_t v, unsigned digits)
{
    jw_key(w, key);
    jw_id(w, v, digits);
}

bool jw_end_line(jw_writer *w)
{
    put_char(w, '\n');
    if (w->file) {
        flush_file(w);
        if (fflush(w->file) != 0)
            w->failed = true;
    }
    bool ok = !w->failed && w->depth == 0;
    if (w->file) {
        w->failed = false;
        w->depth = 0;
        w->after_key = false;
    }
    return ok;
}
