/* encode_downlink.c - encoders of the platform's replies and simple commands (0x8001 ..
 * 0x8300); the area and route commands are in encode_areas.c.
 *
 * Each writes one body through a jt_writer (encode_common.h) in the layout jt_dec_*() in
 * decode_downlink.c reads back; the caller wraps it with jt_frame_build().
 */
#include "encode_common.h"

jt_err jt_enc_plat_ack(const jt_general_ack *a, uint8_t *out, size_t cap, size_t *out_len)
{
    return enc_general_ack(a, out, cap, out_len);
}

jt_err jt_enc_register_reply(uint16_t reply_serial, uint8_t result, const char *auth_code,
                             uint8_t *out, size_t cap, size_t *out_len)
{
    jt_writer w;
    wr_init(&w, out, cap);
    wr_u16(&w, reply_serial);
    wr_u8(&w, result);
    jt_err e = result == JT_REG_OK ? wr_gbk(&w, auth_code, enc_strlen(auth_code)) : JT_OK;
    return e != JT_OK ? e : enc_finish(&w, out_len);
}

jt_err jt_enc_resend_req(jt_version v, uint16_t first_serial, const uint16_t *ids, uint16_t count,
                         uint8_t *out, size_t cap, size_t *out_len)
{
    if (count > (v == JT_V2019 ? JT_RESEND_MAX_IDS_2019 : JT_RESEND_MAX_IDS_2013))
        return JT_ERR_BAD_FIELD;
    jt_writer w;
    wr_init(&w, out, cap);
    wr_u16(&w, first_serial);
    if (v == JT_V2019)
        wr_u16(&w, count);
    else
        wr_u8(&w, (uint8_t)count);
    for (uint16_t i = 0; i < count && !w.overflow; i++)
        wr_u16(&w, ids[i]);
    return enc_finish(&w, out_len);
}

jt_err jt_enc_server_time(int64_t now_utc, uint8_t *out, size_t cap, size_t *out_len)
{
    jt_writer w;
    wr_init(&w, out, cap);
    wr_bcd_time(&w, now_utc, 0);
    return enc_finish(&w, out_len);
}

jt_err jt_enc_set_params(const jt_param *params, uint8_t count, uint8_t *out, size_t cap,
                         size_t *out_len)
{
    jt_writer w;
    wr_init(&w, out, cap);
    wr_u8(&w, count);
    for (unsigned i = 0; i < count && !w.overflow; i++) {
        if (params[i].len && !params[i].value)
            return JT_ERR_BAD_FIELD;
        wr_u32(&w, params[i].id);
        wr_u8(&w, params[i].len);
        wr_bytes(&w, params[i].value, params[i].len);
    }
    return enc_finish(&w, out_len);
}

jt_err jt_enc_track_request(const jt_track_request *t, uint8_t *out, size_t cap, size_t *out_len)
{
    jt_writer w;
    wr_init(&w, out, cap);
    wr_u16(&w, t->interval_s);
    wr_u32(&w, t->validity_s);
    return enc_finish(&w, out_len);
}

jt_err jt_enc_text(jt_version v, uint8_t flags, uint8_t text_type, const char *utf8, uint8_t *out,
                   size_t cap, size_t *out_len)
{
    jt_writer w;
    wr_init(&w, out, cap);
    wr_u8(&w, flags);
    if (v == JT_V2019)
        wr_u8(&w, text_type);
    jt_err e = wr_gbk(&w, utf8, enc_strlen(utf8));
    return e != JT_OK ? e : enc_finish(&w, out_len);
}
