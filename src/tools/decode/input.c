/* input.c - hex and binary input of fleetwatch-decode (see input.h). */
#include "input.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "fw/codec/jt_frame.h"

#define LINE_CAP  8192 /* a maximum frame is 4184 hex digits; room for spaces */
#define CHUNK_CAP 4096

/* A hex line decoded, with room for the flags added around it. */
static uint8_t hex_frame[JT_MAX_ESCAPED_FRAME + 2];
/* The framer's pending bytes for binary captures. */
static uint8_t raw_pending[JT_MAX_ESCAPED_FRAME];

static int hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Hex digits (whitespace between them ignored, '#' starts a comment) into out; returns the
 * byte count, or -1 with an error name and detail. */
static long parse_hex(const char *text, uint8_t *out, size_t cap, const char **error, char *detail,
                      size_t detail_cap)
{
    size_t n = 0;
    int high = -1;
    for (const char *c = text; *c && *c != '#'; c++) {
        if (isspace((unsigned char)*c))
            continue;
        int v = hex_value((unsigned char)*c);
        if (v < 0) {
            *error = "bad_hex";
            snprintf(detail, detail_cap, "not a hex digit at column %zu", (size_t)(c - text) + 1);
            return -1;
        }
        if (high < 0) {
            high = v;
        } else if (n == cap) {
            *error = jt_err_name(JT_ERR_OVERSIZE);
            snprintf(detail, detail_cap, "%s: more than %zu bytes", jt_err_text(JT_ERR_OVERSIZE),
                     cap);
            return -1;
        } else {
            out[n++] = (uint8_t)(high << 4 | v);
            high = -1;
        }
    }
    if (high >= 0) {
        *error = "bad_hex";
        snprintf(detail, detail_cap, "odd number of hex digits");
        return -1;
    }
    return (long)n;
}

static void report_oversize(df_session *s)
{
    char detail[128];
    snprintf(detail, sizeof detail, "%s: more than %u escaped bytes", jt_err_text(JT_ERR_OVERSIZE),
             (unsigned)JT_MAX_ESCAPED_FRAME);
    df_report_error(s, jt_err_name(JT_ERR_OVERSIZE), detail);
}

/* Every frame candidate of buf[0..len), which starts with a 0x7e. Returns how many. */
static unsigned scan_frames(df_session *s, uint8_t *buf, size_t len)
{
    jt_scan_state st = {0};
    unsigned found = 0;
    size_t pos = 0;
    while (pos < len) {
        jt_scan_result r = jt_scan(&st, buf + pos, len - pos, JT_MAX_ESCAPED_FRAME);
        if (r.kind == JT_SCAN_FRAME) {
            df_decode(s, r.frame, r.frame_len);
            found++;
        } else if (r.kind == JT_SCAN_OVERSIZE) {
            report_oversize(s);
            found++;
        }
        if (r.consumed == 0)
            break;
        pos += r.consumed;
    }
    return found;
}

void in_hex_text(df_session *s, const char *text)
{
    while (isspace((unsigned char)*text))
        text++;
    if (*text == '\0' || *text == '#')
        return;
    const char *error = NULL;
    char detail[128];
    /* Decode after a spare byte for a missing start flag, keeping one for the end flag. */
    long n = parse_hex(text, hex_frame + 1, sizeof hex_frame - 2, &error, detail, sizeof detail);
    if (n < 0) {
        df_report_error(s, error, detail);
        return;
    }
    uint8_t *start = hex_frame + 1;
    size_t len = (size_t)n;
    if (len == 0 || start[0] != JT_FLAG_BYTE) {
        start--;
        start[0] = JT_FLAG_BYTE;
        len++;
    }
    if (len == 1 || start[len - 1] != JT_FLAG_BYTE)
        start[len++] = JT_FLAG_BYTE;
    if (scan_frames(s, start, len) == 0)
        df_report_error(s, jt_err_name(JT_ERR_TOO_SHORT), "no bytes between the 0x7e flags");
}

/* Skip the rest of a line that did not fit the line buffer. */
static void skip_line(FILE *in)
{
    int c;
    while ((c = getc(in)) != EOF && c != '\n')
        ;
}

int in_hex_lines(df_session *s, FILE *in)
{
    char line[LINE_CAP];
    while (fgets(line, sizeof line, in)) {
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n' && !feof(in)) {
            skip_line(in);
            report_oversize(s);
            continue;
        }
        in_hex_text(s, line);
    }
    return ferror(in) ? -1 : 0;
}

static bool on_raw_frame(void *ctx, uint8_t *frame, size_t len, jt_err err)
{
    df_session *s = ctx;
    if (frame)
        df_decode(s, frame, len);
    else if (err == JT_ERR_OVERSIZE)
        report_oversize(s);
    return true;
}

int in_raw_stream(df_session *s, FILE *in, unsigned long long *garbage)
{
    uint8_t chunk[CHUNK_CAP];
    jt_framer framer;
    size_t n;
    jt_framer_init(&framer, raw_pending, sizeof raw_pending);
    while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
        jt_framer_feed(&framer, chunk, n, on_raw_frame, s);
    *garbage = framer.garbage_bytes;
    if (framer.len > 0) {
        char detail[128];
        snprintf(detail, sizeof detail, "input ends inside a frame: %zu bytes after the last 0x7e",
                 framer.len);
        df_report_error(s, jt_err_name(JT_ERR_TRUNCATED), detail);
    }
    return ferror(in) ? -1 : 0;
}
