/* decode_uplink_data.c - data uplinks: location (0x0200, 0x0201), location batch (0x0704)
 * and its iterator, driver identity (0x0702), multimedia (0x0800, 0x0801), pass-through
 * (0x0900) and JT/T 1078 passenger flow (0x1005).
 *
 * Location bodies are decoded by location.c; this file only frames them. A 0x0704 body is a
 * count, a type and length-prefixed location bodies that jt_batch_next() decodes one at a
 * time, so a batch costs no more memory than one point. 0x1005 times are China time: an
 * invalid one fails the body with its BCD error (the fields are still filled in).
 */
#include <string.h>

#include "fw/codec/jt_bcd.h"
#include "fw/codec/jt_msg.h"

#include "fw/codec/byte_io.h"
#include "decoders.h"

jt_err jt_dec_location(const uint8_t *body, size_t len, jt_version v, jt_body *out)
{
    (void)v;
    return jt_location_decode(body, len, &out->u.loc);
}

jt_err jt_dec_location_reply(const uint8_t *body, size_t len, jt_version v, jt_body *out)
{
    (void)v;
    jt_location_reply *lr = &out->u.loc_reply;
    jt_reader r;
    rd_init(&r, body, len);
    lr->reply_serial = rd_u16(&r);
    if (r.short_read)
        return JT_ERR_TRUNCATED;
    return jt_location_decode(r.p, rd_left(&r), &lr->loc);
}

/* ---- 0x0704 location batch -------------------------------------------------------------- */

jt_err jt_dec_location_batch(const uint8_t *body, size_t len, jt_version v, jt_body *out)
{
    (void)v;
    jt_location_batch *b = &out->u.batch;
    jt_reader r;
    rd_init(&r, body, len);
    b->count = rd_u16(&r);
    b->type = rd_u8(&r);
    b->data = rd_rest(&r);
    return rd_status(&r);
}

void jt_batch_iter_init(jt_batch_iter *it, const jt_location_batch *b)
{
    iter_bounds(b->data, &it->p, &it->end);
    it->index = 0;
}

bool jt_batch_next(jt_batch_iter *it, jt_location *out, jt_err *err)
{
    if (it->p >= it->end)
        return false; /* *err keeps what the last entry said */
    jt_reader r;
    rd_init(&r, it->p, (size_t)(it->end - it->p));
    uint16_t entry_len = rd_u16(&r);
    const uint8_t *entry = rd_take(&r, entry_len);
    it->index++;
    if (!entry) {
        memset(out, 0, sizeof *out);
        *err = JT_ERR_TRUNCATED;
        it->p = it->end;
        return true;
    }
    *err = jt_location_decode(entry, entry_len, out);
    it->p = r.p;
    return true;
}

/* ---- 0x0702 driver identity ------------------------------------------------------------- */

enum { JT_DRIVER_CARD_INSERTED = 1, JT_DRIVER_IC_READ_OK = 0 };
#define JT_DRIVER_CERT_LEN    20
#define JT_DRIVER_ID_CARD_LEN 20

/* Card fields present after a successful read: name, certificate, authority, validity. */
static void read_driver_card(jt_reader *r, jt_version v, jt_driver_id *d)
{
    uint8_t name_len = rd_u8(r);
    d->name = rd_span(r, name_len);
    d->certificate = rd_field(r, JT_DRIVER_CERT_LEN);
    uint8_t authority_len = rd_u8(r);
    d->authority = rd_span(r, authority_len);
    d->valid_until_bcd = rd_take(r, 4);
    if (v == JT_V2019)
        d->id_card = rd_field(r, JT_DRIVER_ID_CARD_LEN);
}

jt_err jt_dec_driver_id(const uint8_t *body, size_t len, jt_version v, jt_body *out)
{
    jt_driver_id *d = &out->u.driver;
    jt_reader r;
    rd_init(&r, body, len);
    d->state = rd_u8(&r);
    d->time_bcd = rd_take(&r, JT_BCD_TIME_LEN);
    if (d->state == JT_DRIVER_CARD_INSERTED) {
        d->ic_result = rd_u8(&r);
        if (d->ic_result == JT_DRIVER_IC_READ_OK)
            read_driver_card(&r, v, d);
    }
    return rd_status(&r);
}

/* ---- 0x0800 / 0x0801 multimedia --------------------------------------------------------- */

static void read_media_head(jt_reader *r, jt_media *m)
{
    m->media_id = rd_u32(r);
    m->media_type = rd_u8(r);
    m->format = rd_u8(r);
    m->event = rd_u8(r);
    m->channel = rd_u8(r);
}

jt_err jt_dec_media_event(const uint8_t *body, size_t len, jt_version v, jt_body *out)
{
    (void)v;
    jt_reader r;
    rd_init(&r, body, len);
    read_media_head(&r, &out->u.media);
    return rd_status(&r);
}

jt_err jt_dec_media_data(const uint8_t *body, size_t len, jt_version v, jt_body *out)
{
    (void)v;
    jt_media *m = &out->u.media;
    jt_reader r;
    rd_init(&r, body, len);
    read_media_head(&r, m);
    const uint8_t *base = rd_take(&r, JT_LOCATION_BASE_LEN);
    if (r.short_read)
        return JT_ERR_TRUNCATED;
    jt_location_decode(base, JT_LOCATION_BASE_LEN, &m->loc);
    m->has_location = true;
    m->data = rd_rest(&r);
    return JT_OK;
}

/* ---- 0x0900 pass-through ---------------------------------------------------------------- */

jt_err jt_dec_passthrough(const uint8_t *body, size_t len, jt_version v, jt_body *out)
{
    (void)v;
    jt_reader r;
    rd_init(&r, body, len);
    out->u.passthrough.type = rd_u8(&r);
    out->u.passthrough.data = rd_rest(&r);
    return rd_status(&r);
}

/* ---- 0x1005 passenger flow -------------------------------------------------------------- */

jt_err jt_dec_passenger_flow(const uint8_t *body, size_t len, jt_version v, jt_body *out)
{
    (void)v;
    jt_passenger_flow *pf = &out->u.flow;
    jt_reader r;
    rd_init(&r, body, len);
    pf->start_bcd = rd_take(&r, JT_BCD_TIME_LEN);
    pf->end_bcd = rd_take(&r, JT_BCD_TIME_LEN);
    pf->boarded = rd_u16(&r);
    pf->alighted = rd_u16(&r);
    if (r.short_read)
        return JT_ERR_TRUNCATED;
    jt_err start_err = jt_bcd_time_decode(pf->start_bcd, JT_CHINA_UTC_OFFSET_S, &pf->start_utc);
    jt_err end_err = jt_bcd_time_decode(pf->end_bcd, JT_CHINA_UTC_OFFSET_S, &pf->end_utc);
    return start_err != JT_OK ? start_err : end_err;
}
