/* jt_encode.h - JT/T 808 body encoders: the platform's downlink commands and replies, and the
 * uplink messages the terminal simulator sends.
 *
 * Every encoder writes one message BODY into a caller-owned buffer and stores its length in
 * *out_len; wrap it into a wire frame with jt_frame_build() (jt_frame.h). Return JT_OK, or
 * JT_ERR_NO_SPACE when cap is too small, JT_ERR_BAD_FIELD for values that cannot be encoded
 * (too many entries, a body over JT_MAX_BODY), JT_ERR_BAD_TEXT for text GBK cannot hold.
 * Text arguments are UTF-8 and are written as GBK. Encoders never allocate, and every one
 * round-trips through jt_decode_body() (tests/unit/codec/test_encode.c).
 *
 * The struct types are the decoder's (jt_msg.h): a decoded message can be re-encoded.
 */
#ifndef FW_JT_ENCODE_H
#define FW_JT_ENCODE_H

#include <stddef.h>
#include <stdint.h>

#include "fw/codec/jt_errors.h"
#include "fw/codec/jt_frame.h"
#include "fw/codec/jt_msg.h"

/* ---- downlink (platform -> terminal) ---------------------------------------------------- */

/* 0x8001 platform general response. */
jt_err jt_enc_plat_ack(const jt_general_ack *a, uint8_t *out, size_t cap, size_t *out_len);
/* 0x8100 registration response; auth_code (UTF-8) is written only when result == JT_REG_OK. */
jt_err jt_enc_register_reply(uint16_t reply_serial, uint8_t result, const char *auth_code,
                             uint8_t *out, size_t cap, size_t *out_len);
/* 0x8003 resend request; the count is a BYTE in 2013 and a WORD in 2019. More ids than
 * JT_RESEND_MAX_IDS_* (what the count or one body can hold) is JT_ERR_BAD_FIELD. */
#define JT_RESEND_MAX_IDS_2013 255u
#define JT_RESEND_MAX_IDS_2019 ((JT_MAX_BODY - 4u) / 2u)
jt_err jt_enc_resend_req(jt_version v, uint16_t first_serial, const uint16_t *ids, uint16_t count,
                         uint8_t *out, size_t cap, size_t *out_len);
/* 0x8004 server time (UTC, BCD). */
jt_err jt_enc_server_time(int64_t now_utc, uint8_t *out, size_t cap, size_t *out_len);
/* 0x8103 set parameters. */
jt_err jt_enc_set_params(const jt_param *params, uint8_t count, uint8_t *out, size_t cap,
                         size_t *out_len);
/* 0x8202 temporary location tracking. */
jt_err jt_enc_track_request(const jt_track_request *t, uint8_t *out, size_t cap, size_t *out_len);
/* 0x8300 text message. text_type is written only in 2019. */
jt_err jt_enc_text(jt_version v, uint8_t flags, uint8_t text_type, const char *utf8, uint8_t *out,
                   size_t cap, size_t *out_len);
/* 0x8600 / 0x8602 (set_type and all areas of one kind) and 0x8604 (exactly one polygon,
 * set_type ignored). Areas' name fields are UTF-8 here (jt_bytes over UTF-8 text) and are
 * written only in 2019. Polygon vertices come from areas[i].vertices/vertex_count, in the
 * wire layout (lat DWORD, lon DWORD, big-endian), e.g. built with jt_vertex_put(). */
jt_err jt_enc_areas(jt_version v, jt_area_kind kind, uint8_t set_type, const jt_area *areas,
                    uint8_t count, uint8_t *out, size_t cap, size_t *out_len);
/* 0x8606 set route; name (2019 only) is UTF-8. */
jt_err jt_enc_route(jt_version v, const jt_route *r, const jt_route_point *points, uint16_t count,
                    uint8_t *out, size_t cap, size_t *out_len);
/* Write one polygon vertex in wire layout into dst[8]. */
void jt_vertex_put(uint8_t dst[8], uint32_t lat_raw, uint32_t lon_raw);

/* ---- uplink (terminal -> platform), for the simulator and tests ------------------------- */

/* 0x0001 terminal general response. */
jt_err jt_enc_term_ack(const jt_general_ack *a, uint8_t *out, size_t cap, size_t *out_len);
/* 0x0100 registration in the given layout; strings are UTF-8 (plate written as GBK; maker,
 * model and terminal id NUL-padded to their fixed widths). */
typedef struct {
    jt_reg_layout layout;
    uint16_t province, city;
    const char *maker, *model, *terminal_id;
    uint8_t plate_color;
    const char *plate;
} jt_register_in;
jt_err jt_enc_register(const jt_register_in *r, uint8_t *out, size_t cap, size_t *out_len);
/* 0x0102 authentication; imei and software_version are used in 2019 only. */
jt_err jt_enc_auth(jt_version v, const char *code, const char *imei, const char *software_version,
                   uint8_t *out, size_t cap, size_t *out_len);

/* A location to encode: the base fields plus the additional items to append verbatim. */
typedef struct {
    uint32_t alarm, status;
    uint32_t lat_raw, lon_raw; /* unsigned, 1e-6 degrees; hemisphere in status bits */
    uint16_t altitude_m, speed_dkmh, course_deg;
    int64_t time_utc;     /* written as BCD GMT+8 */
    const uint8_t *items; /* pre-encoded additional items (id, len, data)..., may be NULL */
    size_t items_len;
} jt_location_in;
/* Append one additional item (id, len, data) to a buffer; returns bytes written or 0 when it
 * does not fit. For building jt_location_in.items. */
size_t jt_item_put(uint8_t *dst, size_t cap, uint8_t id, const void *data, uint8_t len);
/* 0x0200 location. */
jt_err jt_enc_location(const jt_location_in *l, uint8_t *out, size_t cap, size_t *out_len);
/* 0x0704 batch of `count` locations. */
jt_err jt_enc_location_batch(uint8_t type, const jt_location_in *locs, uint16_t count, uint8_t *out,
                             size_t cap, size_t *out_len);
/* 0x1005 passenger flow. */
jt_err jt_enc_passenger_flow(int64_t start_utc, int64_t end_utc, uint16_t boarded,
                             uint16_t alighted, uint8_t *out, size_t cap, size_t *out_len);

#endif
