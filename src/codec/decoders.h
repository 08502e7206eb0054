/* decoders.h - per-message body decoders behind jt_decode_body() (internal to the codec).
 *
 * Each takes the body span and the header version and fills its member of the jt_body union.
 * They never read outside [body, body + len). decode_body.c dispatches on the message id
 * through a table built from JT_MSG_LIST; uplink decoders live in decode_uplink_*.c,
 * downlink ones in decode_downlink.c.
 */
#ifndef FW_CODEC_DECODERS_H
#define FW_CODEC_DECODERS_H

#include "fw/codec/jt_msg.h"
#include "fw/codec/jt_text.h"

#include "fw/codec/byte_io.h"

typedef jt_err (*jt_body_decoder)(const uint8_t *body, size_t len, jt_version v, jt_body *out);

/* uplink */
jt_err jt_dec_general_ack(const uint8_t *body, size_t len, jt_version v, jt_body *out);
jt_err jt_dec_empty(const uint8_t *body, size_t len, jt_version v, jt_body *out);
jt_err jt_dec_register(const uint8_t *body, size_t len, jt_version v, jt_body *out);
jt_err jt_dec_auth(const uint8_t *body, size_t len, jt_version v, jt_body *out);
jt_err jt_dec_param_reply(const uint8_t *body, size_t len, jt_version v, jt_body *out);
jt_err jt_dec_attributes(const uint8_t *body, size_t len, jt_version v, jt_body *out);
jt_err jt_dec_location(const uint8_t *body, size_t len, jt_version v, jt_body *out);
jt_err jt_dec_location_reply(const uint8_t *body, size_t len, jt_version v, jt_body *out);
jt_err jt_dec_driver_id(const uint8_t *body, size_t len, jt_version v, jt_body *out);
jt_err jt_dec_location_batch(const uint8_t *body, size_t len, jt_version v, jt_body *out);
jt_err jt_dec_media_event(const uint8_t *body, size_t len, jt_version v, jt_body *out);
jt_err jt_dec_media_data(const uint8_t *body, size_t len, jt_version v, jt_body *out);
jt_err jt_dec_passthrough(const uint8_t *body, size_t len, jt_version v, jt_body *out);
jt_err jt_dec_passenger_flow(const uint8_t *body, size_t len, jt_version v, jt_body *out);

/* downlink */
jt_err jt_dec_resend_req(const uint8_t *body, size_t len, jt_version v, jt_body *out);
jt_err jt_dec_server_time(const uint8_t *body, size_t len, jt_version v, jt_body *out);
jt_err jt_dec_register_reply(const uint8_t *body, size_t len, jt_version v, jt_body *out);
jt_err jt_dec_set_params(const uint8_t *body, size_t len, jt_version v, jt_body *out);
jt_err jt_dec_track_request(const uint8_t *body, size_t len, jt_version v, jt_body *out);
jt_err jt_dec_text(const uint8_t *body, size_t len, jt_version v, jt_body *out);
jt_err jt_dec_circle_areas(const uint8_t *body, size_t len, jt_version v, jt_body *out);
jt_err jt_dec_rect_areas(const uint8_t *body, size_t len, jt_version v, jt_body *out);
jt_err jt_dec_polygon_area(const uint8_t *body, size_t len, jt_version v, jt_body *out);
jt_err jt_dec_route(const uint8_t *body, size_t len, jt_version v, jt_body *out);

/* ---- helpers shared by the decoders ---------------------------------------------------- */

/* The next n bytes of r as a span with NUL/space padding trimmed (a fixed-width string
 * field); an empty span when fewer than n bytes remain (r->short_read is then set). */
static inline jt_bytes rd_field(jt_reader *r, size_t n)
{
    const uint8_t *p = rd_take(r, n);
    jt_bytes b = {p, p ? (uint16_t)jt_trim_field(p, n) : 0};
    return b;
}

/* The next n bytes of r as a span, untrimmed; empty (and short_read) when fewer remain. */
static inline jt_bytes rd_span(jt_reader *r, size_t n)
{
    const uint8_t *p = rd_take(r, n);
    jt_bytes b = {p, p ? (uint16_t)n : 0};
    return b;
}

/* Everything left in r as a span. */
static inline jt_bytes rd_rest(jt_reader *r)
{
    return rd_span(r, rd_left(r));
}

/* The end of most decoders: JT_ERR_TRUNCATED when r ran out of bytes, JT_OK otherwise. */
static inline jt_err rd_status(const jt_reader *r)
{
    return r->short_read ? JT_ERR_TRUNCATED : JT_OK;
}

/* ---- helpers shared by the entry iterators (parameters, batch, areas, route) ------------ */

/* Set an iterator's [*p, *end) to the span s; both NULL when s is empty. */
static inline void iter_bounds(jt_bytes s, const uint8_t **p, const uint8_t **end)
{
    *p = s.p;
    *end = s.p ? s.p + s.len : NULL;
}

/* Start one iterator step: false at the end of the entries, [p, end); otherwise r reads the
 * bytes left. *err is JT_OK either way. */
static inline bool iter_step_begin(jt_reader *r, const uint8_t *p, const uint8_t *end, jt_err *err)
{
    *err = JT_OK;
    if (p >= end)
        return false;
    rd_init(r, p, (size_t)(end - p));
    return true;
}

/* Finish one iterator step that read an entry through r: move *p past the entry; false (and
 * JT_ERR_TRUNCATED in *err) when the entry was cut short. */
static inline bool iter_step_done(const jt_reader *r, const uint8_t **p, jt_err *err)
{
    *p = r->p;
    if (r->short_read) {
        *err = JT_ERR_TRUNCATED;
        return false;
    }
    return true;
}

/* Bytes a Jiangsu safety item (0x64..0x67) needs, given its first len bytes (TPMS grows with
 * its tyre count); 0 for any other id. Shared by the item iterator and the item decoder. */
size_t jt_safety_alarm_need(uint8_t item_id, const uint8_t *data, size_t len);

#endif
