/* decode_frame.c - the per-frame pipeline of fleetwatch-decode: jt_frame_parse(), the
 * damaged-frame policy, jt_decode_body() and the printers (see decode_frame.h). */
#include "decode_frame.h"

#include <stdint.h>
#include <stdio.h>

#include "fw/codec/jt_frame.h"
#include "fw/codec/jt_msg.h"
#include "printers.h"

#define DETAIL_CAP 192
/* jt_frame.body_len is a WORD: a reassembled body is decoded only up to this size. */
#define WHOLE_BODY_MAX UINT16_MAX

/* Bytes the frame will have once unescaped (the codec unescapes in place, so the length is
 * taken before): each 0x7d 0x01 / 0x7d 0x02 pair becomes one byte. */
static size_t unescaped_len(const uint8_t *p, size_t len)
{
    size_t n = len;
    for (size_t i = 0; i + 1 < len; i++) {
        if (p[i] == JT_ESCAPE_BYTE && (p[i + 1] == 0x01 || p[i + 1] == 0x02)) {
            n--;
            i++;
        }
    }
    return n;
}

/* Body bytes the frame really carries: after the header, sub-package fields and before the
 * check code. */
static size_t body_bytes_present(const jt_frame *f, size_t frame_len)
{
    size_t overhead = (f->version == JT_V2019 ? JT_HEADER_2019 : JT_HEADER_2013) +
                      (f->subpkg ? JT_SUBPKG_FIELDS : 0) + 1;
    return frame_len > overhead ? frame_len - overhead : 0;
}

static void describe(char *detail, jt_err err, const jt_frame *f, size_t frame_len)
{
    const char *text = jt_err_text(err);
    if (err == JT_ERR_CHECKSUM)
        snprintf(detail, DETAIL_CAP, "%s: given 0x%02x, computed 0x%02x", text, f->check_given,
                 f->check_calc);
    else if (err == JT_ERR_LENGTH_MISMATCH)
        snprintf(detail, DETAIL_CAP, "%s: declared %u, present %zu", text, f->body_len,
                 body_bytes_present(f, frame_len));
    else if (err == JT_ERR_TOO_SHORT || err == JT_ERR_BAD_HEADER)
        snprintf(detail, DETAIL_CAP, "%s: %zu bytes after unescaping", text, frame_len);
    else
        snprintf(detail, DETAIL_CAP, "%s: 0x%04x body of %u bytes", text, f->msg_id, f->body_avail);
}

static void end_document(df_session *s)
{
    s->frames++;
    if (!jw_end_line(s->out))
        s->write_failed = true;
}

/* "reassembled": which packets a whole sub-packaged message came from. */
static void print_reassembled(jw_writer *w, const jt_subpkg_msg *whole, uint16_t packets)
{
    jw_key(w, "reassembled");
    jw_begin_object(w);
    jw_kv_uint(w, "packets", packets);
    jw_kv_uint(w, "first_serial", whole->first_serial);
    jw_kv_uint(w, "last_serial", whole->last_serial);
    jw_end_object(w);
}

/* {"error", "detail", header fields when readable, body bytes when the header was sound}.
 * whole: the reassembled message the frame stands for, or NULL. */
static bool report_frame_error(df_session *s, const jt_frame *f, jt_err err, size_t frame_len,
                               const jt_subpkg_msg *whole)
{
    char detail[DETAIL_CAP];
    bool header_read = err != JT_ERR_TOO_SHORT && err != JT_ERR_BAD_HEADER;
    describe(detail, err, f, frame_len);
    jw_begin_object(s->out);
    jw_kv_string(s->out, "error", jt_err_name(err));
    jw_kv_string(s->out, "detail", detail);
    if (header_read)
        pr_header(s->out, f);
    else if (f->msg_id != 0)
        jw_kv_id(s->out, "msg_id", f->msg_id, 4);
    if (whole)
        print_reassembled(s->out, whole, f->pkg_total);
    if (err == JT_ERR_UNSUPPORTED || err == JT_ERR_ENCRYPTED)
        jw_kv_hex(s->out, "body_hex", f->body, f->body_avail);
    jw_end_object(s->out);
    s->failed++;
    end_document(s);
    return false;
}

/* A sub-package carries a slice of a longer body: printed as bytes, not decoded alone. */
static void print_fragment(jw_writer *w, const jt_frame *f)
{
    jw_kv_uint(w, "fragment_len", f->body_avail);
    jw_kv_hex(w, "fragment_hex", f->body, f->body_avail);
}

/* One decoded document: the frame f or, with whole, the message reassembled from packets. */
static bool print_decoded(df_session *s, const jt_frame *f, size_t frame_len,
                          const jt_subpkg_msg *whole)
{
    jt_body body;
    pr_body_fn print = NULL;
    if (!f->subpkg) {
        jt_err err = jt_decode_body(f, &body);
        print = pr_body_printer(f->msg_id);
        if (err == JT_OK && !print)
            err = JT_ERR_UNSUPPORTED;
        if (err != JT_OK)
            return report_frame_error(s, f, err, frame_len, whole);
    }
    jw_begin_object(s->out);
    pr_header(s->out, f);
    if (whole)
        print_reassembled(s->out, whole, f->pkg_total);
    jw_key(s->out, "body");
    jw_begin_object(s->out);
    if (print)
        print(s->out, f, &body);
    else
        print_fragment(s->out, f);
    jw_end_object(s->out);
    jw_end_object(s->out);
    end_document(s);
    return true;
}

/* The packet frame, and after it the whole message when this packet completed one. */
static bool print_packet(df_session *s, const jt_frame *f, size_t frame_len)
{
    jt_subpkg_msg whole;
    bool done = false;
    jt_err err = jt_subpkg_add(s->reassembler, f, 0, &whole, &done);
    if (err != JT_OK)
        return report_frame_error(s, f, err, frame_len, NULL);
    bool ok = print_decoded(s, f, frame_len, NULL);
    if (!done)
        return ok;
    if (whole.body_len > WHOLE_BODY_MAX) {
        char detail[DETAIL_CAP];
        snprintf(detail, sizeof detail, "reassembled body of %zu bytes exceeds %u", whole.body_len,
                 (unsigned)WHOLE_BODY_MAX);
        df_report_error(s, jt_err_name(JT_ERR_NO_SPACE), detail);
        return false;
    }
    jt_frame message = *f;
    message.subpkg = false;
    message.flags = 0; /* damage belongs to the packets and is shown with each */
    message.body = whole.body;
    message.body_len = message.body_avail = (uint16_t)whole.body_len;
    return print_decoded(s, &message, 0, &whole) && ok;
}

bool df_decode(df_session *s, uint8_t *frame, size_t len)
{
    jt_frame f;
    size_t frame_len = unescaped_len(frame, len);
    jt_err err = jt_frame_parse(frame, len, &f);
    bool damaged = err == JT_ERR_CHECKSUM || err == JT_ERR_LENGTH_MISMATCH;
    if (err != JT_OK && !(damaged && s->lenient))
        return report_frame_error(s, &f, err, frame_len, NULL);
    if (f.subpkg && s->reassembler)
        return print_packet(s, &f, frame_len);
    return print_decoded(s, &f, frame_len, NULL);
}

void df_report_error(df_session *s, const char *error, const char *detail)
{
    jw_begin_object(s->out);
    jw_kv_string(s->out, "error", error);
    jw_kv_string(s->out, "detail", detail);
    jw_end_object(s->out);
    s->failed++;
    end_document(s);
}
