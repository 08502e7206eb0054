/* encode_uplink.c - encoders of terminal messages (0x0001 .. 0x1005) for the simulator and the
 * round-trip tests.
 *
 * Each writes one body through a jt_writer (encode_common.h) in the layout the uplink decoders
 * read back. Times are written as BCD in China time (GMT+8), as terminals send them.
 */
#include "encode_common.h"
#include "fw/codec/jt_bcd.h"
#include "reg_layout.h"

#define AUTH_IMEI_LEN_2019   15u
#define AUTH_SW_VERSION_2019 20u

jt_err jt_enc_term_ack(const jt_general_ack *a, uint8_t *out, size_t cap, size_t *out_len)
{
    return enc_general_ack(a, out, cap, out_len);
}

jt_err jt_enc_register(const jt_register_in *r, uint8_t *out, size_t cap, size_t *out_len)
{
    const jt_reg_widths *wd = jt_reg_widths_of(r->layout);
    if (!wd)
        return JT_ERR_BAD_FIELD;
    jt_writer w;
    wr_init(&w, out, cap);
    wr_u16(&w, r->province);
    wr_u16(&w, r->city);
    if (wr_padded(&w, r->maker, wd->maker_len) != JT_OK ||
        wr_padded(&w, r->model, wd->model_len) != JT_OK ||
        wr_padded(&w, r->terminal_id, wd->terminal_id_len) != JT_OK)
        return JT_ERR_BAD_FIELD;
    wr_u8(&w, r->plate_color);
    jt_err e = wr_gbk(&w, r->plate, enc_strlen(r->plate));
    return e != JT_OK ? e : enc_finish(&w, out_len);
}

jt_err jt_enc_auth(jt_version v, const char *code, const char *imei, const char *software_version,
                   uint8_t *out, size_t cap, size_t *out_len)
{
    jt_writer w;
    wr_init(&w, out, cap);
    if (v != JT_V2019) {
        jt_err e = wr_gbk(&w, code, enc_strlen(code));
        return e != JT_OK ? e : enc_finish(&w, out_len);
    }
    jt_err e = wr_gbk_prefixed(&w, 1, code, enc_strlen(code));
    if (e != JT_OK)
        return e;
    if (wr_padded(&w, imei, AUTH_IMEI_LEN_2019) != JT_OK ||
        wr_padded(&w, software_version, AUTH_SW_VERSION_2019) != JT_OK)
        return JT_ERR_BAD_FIELD;
    return enc_finish(&w, out_len);
}

size_t jt_item_put(uint8_t *dst, size_t cap, uint8_t id, const void *data, uint8_t len)
{
    jt_writer w;
    wr_init(&w, dst, cap);
    wr_u8(&w, id);
    wr_u8(&w, len);
    wr_bytes(&w, data, len);
    return w.overflow ? 0 : w.len;
}

static jt_err wr_location(jt_writer *w, const jt_location_in *l)
{
    if (l->items_len && !l->items)
        return JT_ERR_BAD_FIELD;
    wr_u32(w, l->alarm);
    wr_u32(w, l->status);
    wr_u32(w, l->lat_raw);
    wr_u32(w, l->lon_raw);
    wr_u16(w, l->altitude_m);
    wr_u16(w, l->speed_dkmh);
    wr_u16(w, l->course_deg);
    wr_bcd_time(w, l->time_utc, JT_CHINA_UTC_OFFSET_S);
    wr_bytes(w, l->items, l->items_len);
    return JT_OK;
}

jt_err jt_enc_location(const jt_location_in *l, uint8_t *out, size_t cap, size_t *out_len)
{
    jt_writer w;
    wr_init(&w, out, cap);
    jt_err e = wr_location(&w, l);
    return e != JT_OK ? e : enc_finish(&w, out_len);
}

/* One batch entry: its length as a WORD, then the location body. */
static jt_err wr_batch_entry(jt_writer *w, const jt_location_in *l)
{
    uint8_t *len_at = wr_reserve(w, 2);
    size_t start = w->len;
    jt_err e = wr_location(w, l);
    if (e != JT_OK || !len_at || w->overflow)
        return e;
    size_t entry_len = w->len - start;
    if (entry_len > UINT16_MAX)
        return JT_ERR_BAD_FIELD;
    len_at[0] = (uint8_t)(entry_len >> 8);
    len_at[1] = (uint8_t)entry_len;
    return JT_OK;
}

jt_err jt_enc_location_batch(uint8_t type, const jt_location_in *locs, uint16_t count, uint8_t *out,
                             size_t cap, size_t *out_len)
{
    jt_writer w;
    wr_init(&w, out, cap);
    wr_u16(&w, count);
    wr_u8(&w, type);
    for (unsigned i = 0; i < count && !w.overflow; i++) {
        jt_err e = wr_batch_entry(&w, &locs[i]);
        if (e != JT_OK)
            return e;
    }
    return enc_finish(&w, out_len);
}

jt_err jt_enc_passenger_flow(int64_t start_utc, int64_t end_utc, uint16_t boarded,
                             uint16_t alighted, uint8_t *out, size_t cap, size_t *out_len)
{
    jt_writer w;
    wr_init(&w, out, cap);
    wr_bcd_time(&w, start_utc, JT_CHINA_UTC_OFFSET_S);
    wr_bcd_time(&w, end_utc, JT_CHINA_UTC_OFFSET_S);
    wr_u16(&w, boarded);
    wr_u16(&w, alighted);
    return enc_finish(&w, out_len);
}
