/* encode_common.c - writer helpers shared by the body encoders; see encode_common.h. */
#include "encode_common.h"

#include "fw/codec/jt_bcd.h"
#include "fw/codec/jt_text.h"

jt_err enc_finish(const jt_writer *w, size_t *out_len)
{
    if (w->overflow)
        return JT_ERR_NO_SPACE;
    if (w->len > JT_MAX_BODY)
        return JT_ERR_BAD_FIELD;
    *out_len = w->len;
    return JT_OK;
}

jt_err wr_gbk(jt_writer *w, const char *utf8, size_t len)
{
    if (len == 0 || w->overflow)
        return JT_OK;
    size_t gbk_len = 0;
    jt_err e = jt_utf8_to_gbk(utf8, len, w->p + w->len, w->cap - w->len, &gbk_len);
    if (e == JT_ERR_NO_SPACE) {
        w->overflow = true;
        return JT_OK;
    }
    if (e == JT_OK)
        w->len += gbk_len;
    return e;
}

jt_err wr_gbk_prefixed(jt_writer *w, size_t prefix_len, const char *utf8, size_t len)
{
    uint8_t *prefix = wr_reserve(w, prefix_len);
    size_t text_start = w->len;
    jt_err e = wr_gbk(w, utf8, len);
    if (e != JT_OK || !prefix)
        return e;
    size_t gbk_len = w->len - text_start;
    if (gbk_len >= (size_t)1 << (8 * prefix_len))
        return JT_ERR_BAD_FIELD;
    if (prefix_len == 2)
        *prefix++ = (uint8_t)(gbk_len >> 8);
    *prefix = (uint8_t)gbk_len;
    return JT_OK;
}

jt_err wr_padded(jt_writer *w, const char *s, size_t width)
{
    size_t len = enc_strlen(s);
    if (len > width)
        return JT_ERR_BAD_FIELD;
    wr_fixed(w, s, len, width);
    return JT_OK;
}

void wr_bcd_time(jt_writer *w, int64_t epoch_s, int offset_s)
{
    uint8_t *at = wr_reserve(w, JT_BCD_TIME_LEN);
    if (at)
        jt_bcd_time_encode(epoch_s, offset_s, at);
}

jt_err wr_bcd_span(jt_writer *w, const uint8_t *start_bcd, const uint8_t *end_bcd)
{
    if (!start_bcd || !end_bcd)
        return JT_ERR_BAD_FIELD;
    wr_bytes(w, start_bcd, JT_BCD_TIME_LEN);
    wr_bytes(w, end_bcd, JT_BCD_TIME_LEN);
    return JT_OK;
}

jt_err enc_general_ack(const jt_general_ack *a, uint8_t *out, size_t cap, size_t *out_len)
{
    jt_writer w;
    wr_init(&w, out, cap);
    wr_u16(&w, a->reply_serial);
    wr_u16(&w, a->reply_id);
    wr_u8(&w, a->result);
    return enc_finish(&w, out_len);
}
