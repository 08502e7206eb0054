/* test_encode.c - every encoder of jt_encode.h round-trips through the whole pipeline:
 * jt_enc_*() -> jt_frame_build() -> jt_scan() -> jt_frame_parse() -> jt_decode_body(), with
 * field-by-field checks for 2013 and 2019 where the layouts differ; plus the NO_SPACE,
 * BAD_FIELD and BAD_TEXT paths, truncated downlink bodies, and one byte-exact frame.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fw/codec/jt_bcd.h"
#include "fw/codec/jt_encode.h"

#include "decoders.h"
#include "test_util.h"

#define PHONE "13800138000"

/* A body that went through the wire: the frame buffer owns what the decoded body points to. */
typedef struct {
    uint8_t wire[JT_MAX_ESCAPED_FRAME];
    jt_frame f;
    jt_body b;
} trip;

static trip t; /* one at a time; static because it is large */

/* Frame the body, find it in the byte stream, parse the header and decode the body. */
static void round_trip(jt_version v, uint16_t msg_id, const uint8_t *body, size_t len)
{
    uint8_t phone[10];
    uint8_t phone_len = 0;
    assert_int_equal(jt_phone_to_bcd(PHONE, v, phone, &phone_len), JT_OK);
    jt_header_out h = {
        .msg_id = msg_id, .serial = 0x1234, .version = v, .proto_version = 1, .phone_raw = phone};
    jt_err err = JT_OK;
    size_t n = jt_frame_build(&h, body, len, t.wire, sizeof t.wire, &err);
    assert_int_equal(err, JT_OK);
    assert_true(n > 0);

    jt_scan_state st = {0};
    jt_scan_result sr = jt_scan(&st, t.wire, n, JT_MAX_ESCAPED_FRAME);
    assert_int_equal(sr.kind, JT_SCAN_FRAME);
    assert_int_equal(jt_frame_parse(sr.frame, sr.frame_len, &t.f), JT_OK);
    assert_int_equal(t.f.msg_id, msg_id);
    assert_int_equal(t.f.version, v);
    assert_string_equal(t.f.phone, PHONE);
    assert_int_equal(t.f.body_avail, len);
    assert_memory_equal(t.f.body, body, len);
    assert_int_equal(jt_decode_body(&t.f, &t.b), JT_OK);
    assert_int_equal(t.b.msg_id, msg_id);
}

static void assert_bytes(jt_bytes b, const void *expect, size_t len)
{
    assert_int_equal(b.len, len);
    if (len)
        assert_memory_equal(b.p, expect, len);
}

static const uint8_t time_a[JT_BCD_TIME_LEN] = {0x24, 0x05, 0x01, 0x08, 0x30, 0x00};
static const uint8_t time_b[JT_BCD_TIME_LEN] = {0x24, 0x05, 0x31, 0x18, 0x00, 0x00};

/* ---- byte-exact frame ------------------------------------------------------------------- */

/* 0x8001 to phone 013800138000, serial 7, replying to serial 0x7e7d (both escapes) msg 0x0200:
 * header 8001 0005 013800138000 0007, body 7e7d 0200 00, XOR check 0x28, then escaped. */
static void plat_ack_frame_is_byte_exact(void **state)
{
    (void)state;
    jt_general_ack a = {.reply_serial = 0x7e7d, .reply_id = 0x0200, .result = JT_RESULT_OK};
    uint8_t body[8];
    size_t len = 0;
    assert_int_equal(jt_enc_plat_ack(&a, body, sizeof body, &len), JT_OK);
    uint8_t phone[10];
    uint8_t phone_len = 0;
    assert_int_equal(jt_phone_to_bcd(PHONE, JT_V2013, phone, &phone_len), JT_OK);
    jt_header_out h = {
        .msg_id = JT_MSG_PLAT_ACK, .serial = 7, .version = JT_V2013, .phone_raw = phone};
    uint8_t wire[64], expect[64];
    jt_err err = JT_OK;
    size_t n = jt_frame_build(&h, body, len, wire, sizeof wire, &err);
    long en =
        tu_hex("7e 8001 0005 013800138000 0007 7d027d01 0200 00 28 7e", expect, sizeof expect);
    assert_int_equal(err, JT_OK);
    assert_int_equal(n, en);
    assert_memory_equal(wire, expect, n);
}

/* ---- downlink ----------------------------------------------------------------------------- */

static void general_acks_round_trip(void **state)
{
    (void)state;
    jt_general_ack a = {
        .reply_serial = 0x0102, .reply_id = 0x0704, .result = JT_RESULT_ALARM_CONFIRMED};
    uint8_t body[8];
    size_t len = 0;
    assert_int_equal(jt_enc_plat_ack(&a, body, sizeof body, &len), JT_OK);
    assert_int_equal(len, 5);
    round_trip(JT_V2019, JT_MSG_PLAT_ACK, body, len);
    assert_int_equal(t.b.u.ack.reply_serial, 0x0102);
    assert_int_equal(t.b.u.ack.reply_id, 0x0704);
    assert_int_equal(t.b.u.ack.result, JT_RESULT_ALARM_CONFIRMED);

    a.result = JT_RESULT_UNSUPPORTED;
    assert_int_equal(jt_enc_term_ack(&a, body, sizeof body, &len), JT_OK);
    round_trip(JT_V2013, JT_MSG_TERM_ACK, body, len);
    assert_int_equal(t.b.u.ack.reply_serial, 0x0102);
    assert_int_equal(t.b.u.ack.reply_id, 0x0704);
    assert_int_equal(t.b.u.ack.result, JT_RESULT_UNSUPPORTED);
}

static void register_reply_round_trips(void **state)
{
    (void)state;
    uint8_t body[64];
    size_t len = 0;
    assert_int_equal(jt_enc_register_reply(0x0042, JT_REG_OK, "AUTH-7", body, sizeof body, &len),
                     JT_OK);
    round_trip(JT_V2013, JT_MSG_REGISTER_REPLY, body, len);
    assert_int_equal(t.b.u.reg_reply.reply_serial, 0x0042);
    assert_int_equal(t.b.u.reg_reply.result, JT_REG_OK);
    assert_bytes(t.b.u.reg_reply.auth_code, "AUTH-7", 6);

    /* a refusal carries no auth code even when one is passed */
    assert_int_equal(
        jt_enc_register_reply(0x0043, JT_REG_NO_TERMINAL, "AUTH-7", body, sizeof body, &len),
        JT_OK);
    assert_int_equal(len, 3);
    round_trip(JT_V2019, JT_MSG_REGISTER_REPLY, body, len);
    assert_int_equal(t.b.u.reg_reply.result, JT_REG_NO_TERMINAL);
    assert_null(t.b.u.reg_reply.auth_code.p);
}

static void resend_req_count_width_follows_version(void **state)
{
    (void)state;
    const uint16_t ids[] = {2, 5, 9};
    const uint8_t ids_wire[] = {0, 2, 0, 5, 0, 9};
    uint8_t body[1100];
    size_t len = 0;
    assert_int_equal(jt_enc_resend_req(JT_V2013, 0x0100, ids, 3, body, sizeof body, &len), JT_OK);
    assert_int_equal(len, 2 + 1 + 6);
    round_trip(JT_V2013, JT_MSG_RESEND_REQ, body, len);
    assert_int_equal(t.b.u.resend.first_serial, 0x0100);
    assert_int_equal(t.b.u.resend.count, 3);
    assert_bytes(t.b.u.resend.ids, ids_wire, sizeof ids_wire);

    assert_int_equal(jt_enc_resend_req(JT_V2019, 0x0100, ids, 3, body, sizeof body, &len), JT_OK);
    assert_int_equal(len, 2 + 2 + 6);
    round_trip(JT_V2019, JT_MSG_RESEND_REQ, body, len);
    assert_int_equal(t.b.u.resend.count, 3);
    assert_bytes(t.b.u.resend.ids, ids_wire, sizeof ids_wire);

    /* a BYTE count cannot say 256; a WORD can, until the body outgrows JT_MAX_BODY */
    uint16_t many[600] = {0};
    assert_int_equal(jt_enc_resend_req(JT_V2013, 1, many, 256, body, sizeof body, &len),
                     JT_ERR_BAD_FIELD);
    assert_int_equal(jt_enc_resend_req(JT_V2019, 1, many, 256, body, sizeof body, &len), JT_OK);
    assert_int_equal(len, 4 + 512);
    assert_int_equal(jt_enc_resend_req(JT_V2019, 1, many, 509, body, sizeof body, &len), JT_OK);
    assert_int_equal(len, JT_MAX_BODY - 1);
    assert_int_equal(jt_enc_resend_req(JT_V2019, 1, many, 510, body, sizeof body, &len),
                     JT_ERR_BAD_FIELD);
}

static void server_time_is_utc_bcd(void **state)
{
    (void)state;
    uint8_t body[8];
    size_t len = 0;
    const int64_t now = 1700000000; /* 2023-11-14 22:13:20 UTC */
    const uint8_t bcd[JT_BCD_TIME_LEN] = {0x23, 0x11, 0x14, 0x22, 0x13, 0x20};
    assert_int_equal(jt_enc_server_time(now, body, sizeof body, &len), JT_OK);
    assert_int_equal(len, JT_BCD_TIME_LEN);
    assert_memory_equal(body, bcd, JT_BCD_TIME_LEN);
    round_trip(JT_V2013, JT_MSG_SERVER_TIME, body, len);
    assert_int_equal(t.b.u.server_time.time_utc, now);
    assert_memory_equal(t.b.u.server_time.time_bcd, bcd, JT_BCD_TIME_LEN);
}

static void set_params_round_trip(void **state)
{
    (void)state;
    const uint8_t heartbeat[4] = {0, 0, 0, 30};
    const char apn[] = "cmnet";
    const uint8_t speed[1] = {100};
    const jt_param params[] = {
        {0x0001, 4, heartbeat},
        {0x0010, 5, (const uint8_t *)apn},
        {0xF364, 1, speed},
    };
    uint8_t body[128];
    size_t len = 0;
    assert_int_equal(jt_enc_set_params(params, 3, body, sizeof body, &len), JT_OK);
    assert_int_equal(len, 1 + 3 * 5 + 4 + 5 + 1);
    round_trip(JT_V2013, JT_MSG_SET_PARAMS, body, len);
    assert_int_equal(t.b.u.params.count, 3);
    jt_param_iter it;
    jt_param_iter_init(&it, &t.b.u.params);
    jt_param p;
    jt_err err = JT_OK;
    for (int i = 0; i < 3; i++) {
        assert_true(jt_param_next(&it, &p, &err));
        assert_int_equal(p.id, params[i].id);
        assert_int_equal(p.len, params[i].len);
        assert_memory_equal(p.value, params[i].value, p.len);
    }
    assert_false(jt_param_next(&it, &p, &err));
    assert_int_equal(err, JT_OK);
}

static void track_request_round_trip(void **state)
{
    (void)state;
    jt_track_request tr = {.interval_s = 15, .validity_s = 86400};
    uint8_t body[8];
    size_t len = 0;
    assert_int_equal(jt_enc_track_request(&tr, body, sizeof body, &len), JT_OK);
    assert_int_equal(len, 6);
    round_trip(JT_V2013, JT_MSG_TRACK_LOCATION, body, len);
    assert_int_equal(t.b.u.track.interval_s, 15);
    assert_int_equal(t.b.u.track.validity_s, 86400);
}

static void text_is_gbk_with_2019_type(void **state)
{
    (void)state;
    const uint8_t gbk[] = {0xc4, 0xe3, 0xba, 0xc3, ' ', 'f', 'l', 'e', 'e', 't'};
    uint8_t body[64];
    size_t len = 0;
    assert_int_equal(jt_enc_text(JT_V2013, JT_TEXT_DISPLAY | JT_TEXT_TTS, 2, "你好 fleet", body,
                                 sizeof body, &len),
                     JT_OK);
    assert_int_equal(len, 1 + sizeof gbk);
    round_trip(JT_V2013, JT_MSG_TEXT, body, len);
    assert_int_equal(t.b.u.text.flags, JT_TEXT_DISPLAY | JT_TEXT_TTS);
    assert_int_equal(t.b.u.text.text_type, 0);
    assert_bytes(t.b.u.text.text, gbk, sizeof gbk);

    assert_int_equal(
        jt_enc_text(JT_V2019, JT_TEXT_DISPLAY, 2, "你好 fleet", body, sizeof body, &len), JT_OK);
    assert_int_equal(len, 2 + sizeof gbk);
    round_trip(JT_V2019, JT_MSG_TEXT, body, len);
    assert_int_equal(t.b.u.text.flags, JT_TEXT_DISPLAY);
    assert_int_equal(t.b.u.text.text_type, 2);
    assert_bytes(t.b.u.text.text, gbk, sizeof gbk);

    assert_int_equal(jt_enc_text(JT_V2013, 0, 0, "bad \xff\xfe utf-8", body, sizeof body, &len),
                     JT_ERR_BAD_TEXT);
}

/* ---- areas and routes --------------------------------------------------------------------- */

static jt_bytes utf8(const char *s)
{
    jt_bytes b = {(const uint8_t *)s, (uint16_t)strlen(s)};
    return b;
}

static const jt_area circles[] = {
    {.id = 101,
     .attr = JT_AREA_BY_TIME | JT_AREA_SPEED_LIMIT | JT_AREA_ENTER_ALARM_PLATFORM,
     .lat_raw = 39904200,
     .lon_raw = 116407400,
     .radius_m = 500,
     .start_bcd = time_a,
     .end_bcd = time_b,
     .max_speed_kmh = 60,
     .overspeed_s = 10,
     .night_max_speed_kmh = 48},
    {.id = 102,
     .attr = JT_AREA_EXIT_ALARM_DRIVER,
     .lat_raw = 31230400,
     .lon_raw = 121473700,
     .radius_m = 1200},
};

/* The optional speed limit of an area or route point as decoded for version v: present when
 * limit, the night limit only in 2019, zero otherwise. */
typedef struct {
    uint16_t max_kmh;
    uint8_t overspeed_s;
    uint16_t night_max_kmh;
} speed_limit;

static void assert_speed_limit(speed_limit in, speed_limit out, bool limit, jt_version v)
{
    assert_int_equal(out.max_kmh, limit ? in.max_kmh : 0);
    assert_int_equal(out.overspeed_s, limit ? in.overspeed_s : 0);
    assert_int_equal(out.night_max_kmh, limit && v == JT_V2019 ? in.night_max_kmh : 0);
}

/* The geometry of an area of the given kind, as sent and as decoded. */
static void assert_area_geometry(jt_area_kind kind, const jt_area *in, const jt_area *out)
{
    assert_int_equal(out->kind, kind);
    if (kind == JT_AREA_POLYGON) {
        assert_int_equal(out->vertex_count, in->vertex_count);
        assert_memory_equal(out->vertices, in->vertices, 8u * in->vertex_count);
        return;
    }
    assert_int_equal(out->lat_raw, in->lat_raw);
    assert_int_equal(out->lon_raw, in->lon_raw);
    assert_int_equal(out->radius_m, kind == JT_AREA_CIRCLE ? in->radius_m : 0);
    assert_int_equal(out->lat2_raw, kind == JT_AREA_RECT ? in->lat2_raw : 0);
    assert_int_equal(out->lon2_raw, kind == JT_AREA_RECT ? in->lon2_raw : 0);
}

/* An area of the given kind, as sent and as decoded for version v. */
static void assert_area(jt_area_kind kind, const jt_area *in, const jt_area *out, jt_version v)
{
    assert_int_equal(out->id, in->id);
    assert_int_equal(out->attr, in->attr);
    assert_area_geometry(kind, in, out);
    if (in->attr & JT_AREA_BY_TIME) {
        assert_memory_equal(out->start_bcd, in->start_bcd, JT_BCD_TIME_LEN);
        assert_memory_equal(out->end_bcd, in->end_bcd, JT_BCD_TIME_LEN);
    } else {
        assert_null(out->start_bcd);
    }
    speed_limit in_limit = {in->max_speed_kmh, in->overspeed_s, in->night_max_speed_kmh};
    speed_limit out_limit = {out->max_speed_kmh, out->overspeed_s, out->night_max_speed_kmh};
    assert_speed_limit(in_limit, out_limit, in->attr & JT_AREA_SPEED_LIMIT, v);
}

/* One area command sent in 2013 and 2019 and read back through the whole pipeline. */
typedef struct {
    jt_area_kind kind;
    uint16_t msg_id;
    uint8_t set_type; /* as given to the encoder (polygons have none: decoded as 0) */
    const jt_area *in;
    uint8_t count;
    size_t body_len_2013, body_len_2019;
    const char *first_name_gbk; /* the first area's name as the 2019 body carries it */
} area_case;

static void area_case_round_trips(const area_case *c)
{
    const jt_version versions[] = {JT_V2013, JT_V2019};
    for (int vi = 0; vi < 2; vi++) {
        jt_version v = versions[vi];
        uint8_t body[256];
        size_t len = 0;
        assert_int_equal(
            jt_enc_areas(v, c->kind, c->set_type, c->in, c->count, body, sizeof body, &len), JT_OK);
        assert_int_equal(len, v == JT_V2019 ? c->body_len_2019 : c->body_len_2013);
        round_trip(v, c->msg_id, body, len);
        const jt_area_set *s = &t.b.u.areas;
        assert_int_equal(s->kind, c->kind);
        assert_int_equal(s->set_type, c->kind == JT_AREA_POLYGON ? 0 : c->set_type);
        assert_int_equal(s->count, c->count);
        jt_area_iter it;
        jt_area a;
        jt_err err = JT_OK;
        jt_area_iter_init(&it, s);
        for (int i = 0; i < c->count; i++) {
            assert_true(jt_area_next(&it, &a, &err));
            assert_area(c->kind, &c->in[i], &a, v);
            if (i == 0 && v == JT_V2019)
                assert_bytes(a.name, c->first_name_gbk, strlen(c->first_name_gbk));
            else if (i == 0)
                assert_null(a.name.p);
        }
        assert_false(jt_area_next(&it, &a, &err));
        assert_int_equal(err, JT_OK);
    }
}

static void circle_areas_round_trip(void **state)
{
    (void)state;
    jt_area in[2] = {circles[0], circles[1]};
    in[0].name = utf8("北京");
    /* 18 fixed + 12 times + 3 speed per area; 2019: + 2 night speed, + 2 + name */
    const area_case c = {JT_AREA_CIRCLE,
                         JT_MSG_SET_CIRCLE_AREA,
                         1,
                         in,
                         2,
                         2 + 18 + 15 + 18,
                         2 + 18 + 12 + 3 + 2 + 2 + 4 + 18 + 2,
                         "\xb1\xb1\xbe\xa9"};
    area_case_round_trips(&c);
}

static void rect_areas_round_trip(void **state)
{
    (void)state;
    jt_area in = {.id = 7,
                  .attr = JT_AREA_SPEED_LIMIT | JT_AREA_NO_DOOR_OPEN,
                  .lat_raw = 23130000,
                  .lon_raw = 113260000,
                  .lat2_raw = 23120000,
                  .lon2_raw = 113280000,
                  .max_speed_kmh = 40,
                  .overspeed_s = 5,
                  .night_max_speed_kmh = 30,
                  .name = utf8("depot")};
    const area_case c = {JT_AREA_RECT, JT_MSG_SET_RECT_AREA,   0,      &in, 1,
                         2 + 22 + 3,   2 + 22 + 3 + 2 + 2 + 5, "depot"};
    area_case_round_trips(&c);
}

static void polygon_area_round_trips(void **state)
{
    (void)state;
    uint8_t vertices[3 * 8];
    jt_vertex_put(vertices, 30000000, 120000000);
    jt_vertex_put(vertices + 8, 30010000, 120020000);
    jt_vertex_put(vertices + 16, 29990000, 120030000);
    const uint8_t first_vertex[8] = {0x01, 0xc9, 0xc3, 0x80, 0x07, 0x27, 0x0e, 0x00};
    assert_memory_equal(vertices, first_vertex, 8);
    jt_area in = {.id = 9001,
                  .attr = JT_AREA_BY_TIME | JT_AREA_SPEED_LIMIT,
                  .start_bcd = time_a,
                  .end_bcd = time_b,
                  .max_speed_kmh = 80,
                  .overspeed_s = 20,
                  .night_max_speed_kmh = 64,
                  .vertex_count = 3,
                  .vertices = vertices,
                  .name = utf8("环线")};
    const area_case c = {JT_AREA_POLYGON,
                         JT_MSG_SET_POLYGON_AREA,
                         2,
                         &in,
                         1,
                         6 + 12 + 3 + 2 + 24,
                         6 + 12 + 3 + 2 + 24 + 2 + 2 + 4,
                         "\xbb\xb7\xcf\xdf"};
    area_case_round_trips(&c);

    uint8_t body[256];
    size_t len = 0;
    jt_area two[2] = {in, in};
    assert_int_equal(jt_enc_areas(JT_V2013, JT_AREA_POLYGON, 0, two, 2, body, sizeof body, &len),
                     JT_ERR_BAD_FIELD);
}

static const jt_route_point route_points[] = {
    {.point_id = 1,
     .segment_id = 11,
     .lat_raw = 22540000,
     .lon_raw = 114050000,
     .width_m = 30,
     .attr = JT_SEG_TIME_LIMITS,
     .too_long_s = 600,
     .too_short_s = 120},
    {.point_id = 2,
     .segment_id = 12,
     .lat_raw = 22550000,
     .lon_raw = 114060000,
     .width_m = 20,
     .attr = JT_SEG_SPEED_LIMIT | JT_SEG_TIME_LIMITS,
     .too_long_s = 900,
     .too_short_s = 60,
     .max_speed_kmh = 70,
     .overspeed_s = 15,
     .night_max_speed_kmh = 56},
};

static void assert_route_point(const jt_route_point *in, const jt_route_point *out, jt_version v)
{
    assert_int_equal(out->point_id, in->point_id);
    assert_int_equal(out->segment_id, in->segment_id);
    assert_int_equal(out->lat_raw, in->lat_raw);
    assert_int_equal(out->lon_raw, in->lon_raw);
    assert_int_equal(out->width_m, in->width_m);
    assert_int_equal(out->attr, in->attr);
    assert_int_equal(out->too_long_s, in->too_long_s);
    assert_int_equal(out->too_short_s, in->too_short_s);
    speed_limit in_limit = {in->max_speed_kmh, in->overspeed_s, in->night_max_speed_kmh};
    speed_limit out_limit = {out->max_speed_kmh, out->overspeed_s, out->night_max_speed_kmh};
    assert_speed_limit(in_limit, out_limit, in->attr & JT_SEG_SPEED_LIMIT, v);
}

static void route_round_trips(void **state)
{
    (void)state;
    jt_route r = {.id = 55,
                  .attr = JT_AREA_BY_TIME | JT_AREA_EXIT_ALARM_PLATFORM,
                  .start_bcd = time_a,
                  .end_bcd = time_b,
                  .name = utf8("粤B")};
    const jt_version versions[] = {JT_V2013, JT_V2019};
    for (int vi = 0; vi < 2; vi++) {
        jt_version v = versions[vi];
        uint8_t body[256];
        size_t len = 0;
        assert_int_equal(jt_enc_route(v, &r, route_points, 2, body, sizeof body, &len), JT_OK);
        size_t points_len = (18 + 4) + (18 + 4 + 3) + (v == JT_V2019 ? 2 : 0);
        assert_int_equal(len, 6 + 12 + 2 + points_len + (v == JT_V2019 ? 2 + 3 : 0));
        round_trip(v, JT_MSG_SET_ROUTE, body, len);
        const jt_route *d = &t.b.u.route;
        assert_int_equal(d->id, 55);
        assert_int_equal(d->attr, r.attr);
        assert_memory_equal(d->start_bcd, time_a, JT_BCD_TIME_LEN);
        assert_memory_equal(d->end_bcd, time_b, JT_BCD_TIME_LEN);
        assert_int_equal(d->point_count, 2);
        assert_int_equal(d->points.len, points_len);
        if (v == JT_V2019)
            assert_bytes(d->name, "\xd4\xc1\x42", 3);
        else
            assert_null(d->name.p);
        jt_route_iter it;
        jt_route_iter_init(&it, d);
        jt_route_point p;
        jt_err err = JT_OK;
        for (int i = 0; i < 2; i++) {
            assert_true(jt_route_next(&it, &p, &err));
            assert_route_point(&route_points[i], &p, v);
        }
        assert_false(jt_route_next(&it, &p, &err));
        assert_int_equal(err, JT_OK);
    }
}

static void times_flag_without_times_is_bad_field(void **state)
{
    (void)state;
    uint8_t body[256];
    size_t len = 0;
    jt_area a = circles[0];
    a.end_bcd = NULL;
    assert_int_equal(jt_enc_areas(JT_V2013, JT_AREA_CIRCLE, 0, &a, 1, body, sizeof body, &len),
                     JT_ERR_BAD_FIELD);
    jt_route r = {.id = 1, .attr = JT_AREA_BY_TIME};
    assert_int_equal(jt_enc_route(JT_V2019, &r, route_points, 2, body, sizeof body, &len),
                     JT_ERR_BAD_FIELD);
    jt_area poly = {.id = 1, .vertex_count = 3, .vertices = NULL};
    assert_int_equal(jt_enc_areas(JT_V2013, JT_AREA_POLYGON, 0, &poly, 1, body, sizeof body, &len),
                     JT_ERR_BAD_FIELD);
}

/* Decode the first n bytes from an exact-size heap copy, so ASan sees any over-read. */
static jt_err decode_prefix(jt_body_decoder decode, const uint8_t *body, size_t n)
{
    uint8_t *cut = test_malloc(n ? n : 1);
    memcpy(cut, body, n);
    jt_body b;
    jt_err err = decode(cut, n, JT_V2019, &b);
    test_free(cut);
    return err;
}

/* Every strict prefix of an area or route body is refused as truncated, never over-read
 * (run under ASan); the iterator reports a cut entry the same way. */
static void truncated_downlink_bodies_are_refused(void **state)
{
    (void)state;
    jt_area in[2] = {circles[0], circles[1]};
    in[1].name = utf8("x");
    uint8_t areas[256], route[256];
    size_t areas_len = 0, route_len = 0;
    assert_int_equal(
        jt_enc_areas(JT_V2019, JT_AREA_CIRCLE, 0, in, 2, areas, sizeof areas, &areas_len), JT_OK);
    jt_route r = {.id = 1, .name = utf8("r")};
    assert_int_equal(jt_enc_route(JT_V2019, &r, route_points, 2, route, sizeof route, &route_len),
                     JT_OK);
    for (size_t n = 0; n < areas_len; n++)
        assert_int_equal(decode_prefix(jt_dec_circle_areas, areas, n), JT_ERR_TRUNCATED);
    for (size_t n = 0; n < route_len; n++)
        assert_int_equal(decode_prefix(jt_dec_route, route, n), JT_ERR_TRUNCATED);
    jt_body b;

    assert_int_equal(jt_dec_circle_areas(areas, areas_len, JT_V2019, &b), JT_OK);
    b.u.areas.data.len -= 1;
    jt_area_iter it;
    jt_area_iter_init(&it, &b.u.areas);
    jt_area a;
    jt_err err = JT_OK;
    assert_true(jt_area_next(&it, &a, &err));
    assert_false(jt_area_next(&it, &a, &err));
    assert_int_equal(err, JT_ERR_TRUNCATED);

    const uint8_t short_resend[] = {0x00, 0x01, 0x02, 0x00, 0x05}; /* count 2, one id */
    assert_int_equal(jt_dec_resend_req(short_resend, sizeof short_resend, JT_V2013, &b),
                     JT_ERR_TRUNCATED);
    assert_int_equal(jt_dec_track_request(short_resend, sizeof short_resend, JT_V2013, &b),
                     JT_ERR_TRUNCATED);
    assert_int_equal(jt_dec_server_time(short_resend, sizeof short_resend, JT_V2013, &b),
                     JT_ERR_TRUNCATED);
}

/* Downlink bodies asserted by a public JT/T 808 test suite (SmallChi/JT808,
 * src/JT808.Protocol.Test/MessageBody/JT808_0x8600Test.cs Test1 and Test_2019_1,
 * JT808_0x8604Test.cs Test1, JT808_0x8606Test.cs Test3 and Test5_2019): they decode, and
 * re-encoding what was decoded gives the same bytes, so the layouts do not merely agree with
 * themselves. */
typedef struct {
    uint16_t msg_id;
    jt_version version;
    const char *hex;
} body_vector;

static const body_vector public_vectors[] = {
    {JT_MSG_SET_CIRCLE_AREA, JT_V2013,
     "0103000005F200DE075BCD15075BCD15000000C8003CC8000005F30000075BCD15075BCD15000000C8000005F4"
     "08A3075BCD15075BCD15000000C8181018000012181019000012003CC8"},
    {JT_MSG_SET_CIRCLE_AREA, JT_V2019,
     "0101000005F200DE075BCD15075BCD15000000C8003CC8029A0008536D616C6C436869"},
    {JT_MSG_SET_POLYGON_AREA, JT_V2013,
     "000004D200011811200000121811210000120002075BCD15075BCD14075BCCBC075BCCBD"},
    {JT_MSG_SET_ROUTE, JT_V2013,
     "0000270F00331811200000121811210000120002000003E800000507075BCD15075BCD1438030032007B00451700"
     "0003E900002EE7075BCD0C075BCD0D4B03003A007C002A1A"},
    {JT_MSG_SET_ROUTE, JT_V2019,
     "0000270F00332001040000122001040000120002000003E800000507075BCD15075BCD1438030032007B00451700"
     "50000003E900002EE7075BCD0C075BCD0D4B03003A007C002A1A004200086B6F696B65353138"},
};

/* Re-encode a decoded area set or route into out. */
static jt_err reencode(const jt_body *b, jt_version v, uint8_t *out, size_t cap, size_t *len)
{
    jt_err err = JT_OK;
    if (b->msg_id == JT_MSG_SET_ROUTE) {
        jt_route_point points[4];
        uint16_t n = 0;
        jt_route_iter it;
        jt_route_iter_init(&it, &b->u.route);
        while (n < 4 && jt_route_next(&it, &points[n], &err))
            n++;
        assert_int_equal(n, b->u.route.point_count);
        return jt_enc_route(v, &b->u.route, points, n, out, cap, len);
    }
    jt_area areas[4];
    uint8_t n = 0;
    jt_area_iter it;
    jt_area_iter_init(&it, &b->u.areas);
    while (n < 4 && jt_area_next(&it, &areas[n], &err))
        n++;
    assert_int_equal(n, b->u.areas.count);
    return jt_enc_areas(v, b->u.areas.kind, b->u.areas.set_type, areas, n, out, cap, len);
}

static void public_vectors_decode_and_reencode(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof public_vectors / sizeof public_vectors[0]; i++) {
        const body_vector *vec = &public_vectors[i];
        uint8_t body[256], again[256];
        long len = tu_hex(vec->hex, body, sizeof body);
        assert_true(len > 0);
        jt_frame f = {.msg_id = vec->msg_id,
                      .version = vec->version,
                      .body = body,
                      .body_avail = (uint16_t)len};
        jt_body b;
        assert_int_equal(jt_decode_body(&f, &b), JT_OK);
        size_t again_len = 0;
        assert_int_equal(reencode(&b, vec->version, again, sizeof again, &again_len), JT_OK);
        assert_int_equal(again_len, len);
        assert_memory_equal(again, body, again_len);
    }
}

static void public_vector_fields(void **state)
{
    (void)state;
    uint8_t body[256];
    long len = tu_hex(public_vectors[1].hex, body, sizeof body);
    jt_body b;
    assert_int_equal(jt_dec_circle_areas(body, (size_t)len, JT_V2019, &b), JT_OK);
    jt_area_iter ai;
    jt_area_iter_init(&ai, &b.u.areas);
    jt_area a;
    jt_err err = JT_OK;
    assert_true(jt_area_next(&ai, &a, &err));
    assert_int_equal(a.id, 1522);
    assert_int_equal(a.attr, 222);
    assert_int_equal(a.radius_m, 200);
    assert_null(a.start_bcd);
    assert_int_equal(a.max_speed_kmh, 60);
    assert_int_equal(a.overspeed_s, 200);
    assert_int_equal(a.night_max_speed_kmh, 666);
    assert_bytes(a.name, "SmallChi", 8);

    len = tu_hex(public_vectors[4].hex, body, sizeof body);
    assert_int_equal(jt_dec_route(body, (size_t)len, JT_V2019, &b), JT_OK);
    assert_int_equal(b.u.route.id, 9999);
    assert_bytes(b.u.route.name, "koike518", 8);
    jt_route_iter ri;
    jt_route_iter_init(&ri, &b.u.route);
    jt_route_point p;
    assert_true(jt_route_next(&ri, &p, &err));
    assert_int_equal(p.point_id, 1000);
    assert_int_equal(p.segment_id, 1287);
    assert_int_equal(p.too_long_s, 50);
    assert_int_equal(p.too_short_s, 123);
    assert_int_equal(p.max_speed_kmh, 69);
    assert_int_equal(p.overspeed_s, 23);
    assert_int_equal(p.night_max_speed_kmh, 80);
    assert_true(jt_route_next(&ri, &p, &err));
    assert_int_equal(p.width_m, 75);
    assert_int_equal(p.night_max_speed_kmh, 66);
}

/* ---- uplink ------------------------------------------------------------------------------- */

static void register_round_trips_in_every_layout(void **state)
{
    (void)state;
    const uint8_t plate_gbk[] = {0xcb, 0xd5, 'A', '1', '2', '3', '4', '5'};
    const jt_reg_layout layouts[] = {JT_REG_2011, JT_REG_2013, JT_REG_2019};
    const size_t fixed[] = {25, 37, 76};
    for (int i = 0; i < 3; i++) {
        jt_register_in in = {.layout = layouts[i],
                             .province = 32,
                             .city = 100,
                             .maker = "70111",
                             .model = "TX-8",
                             .terminal_id = "T12345",
                             .plate_color = 2,
                             .plate = "苏A12345"};
        uint8_t body[128];
        size_t len = 0;
        assert_int_equal(jt_enc_register(&in, body, sizeof body, &len), JT_OK);
        assert_int_equal(len, fixed[i] + sizeof plate_gbk);
        jt_version v = layouts[i] == JT_REG_2019 ? JT_V2019 : JT_V2013;
        round_trip(v, JT_MSG_REGISTER, body, len);
        const jt_register *d = &t.b.u.reg;
        assert_int_equal(d->layout, layouts[i]);
        assert_int_equal(d->province, 32);
        assert_int_equal(d->city, 100);
        assert_bytes(d->maker, "70111", 5);
        assert_bytes(d->model, "TX-8", 4);
        assert_bytes(d->terminal_id, "T12345", 6);
        assert_int_equal(d->plate_color, 2);
        assert_bytes(d->plate, plate_gbk, sizeof plate_gbk);
    }
    uint8_t body[128];
    size_t len = 0;
    jt_register_in too_long = {.layout = JT_REG_2013, .maker = "123456"};
    assert_int_equal(jt_enc_register(&too_long, body, sizeof body, &len), JT_ERR_BAD_FIELD);
    jt_register_in bad_layout = {.layout = (jt_reg_layout)2015};
    assert_int_equal(jt_enc_register(&bad_layout, body, sizeof body, &len), JT_ERR_BAD_FIELD);
}

static void auth_round_trips(void **state)
{
    (void)state;
    uint8_t body[128];
    size_t len = 0;
    assert_int_equal(
        jt_enc_auth(JT_V2013, "J10030000681", "ignored", "ignored", body, sizeof body, &len),
        JT_OK);
    assert_int_equal(len, 12);
    round_trip(JT_V2013, JT_MSG_AUTH, body, len);
    assert_bytes(t.b.u.auth.code, "J10030000681", 12);

    assert_int_equal(
        jt_enc_auth(JT_V2019, "AC01", "860000000000001", "V1.2.3", body, sizeof body, &len), JT_OK);
    assert_int_equal(len, 1 + 4 + 15 + 20);
    round_trip(JT_V2019, JT_MSG_AUTH, body, len);
    assert_bytes(t.b.u.auth.code, "AC01", 4);
    assert_bytes(t.b.u.auth.imei, "860000000000001", 15);
    assert_bytes(t.b.u.auth.software_version, "V1.2.3", 6);

    assert_int_equal(
        jt_enc_auth(JT_V2019, "AC01", "8600000000000012", "V1", body, sizeof body, &len),
        JT_ERR_BAD_FIELD);
}

/* 2024-05-01 00:30:00 UTC, sent as BCD 240501083000 (GMT+8). */
#define T_2024_05_01_0030_UTC 1714523400

static jt_location_in sample_location(uint8_t *items, size_t cap)
{
    const uint8_t mileage[4] = {0x00, 0x01, 0xe2, 0x40}; /* 123456 x 0.1 km */
    const uint8_t sats[1] = {12};
    size_t n = jt_item_put(items, cap, JT_ITEM_MILEAGE, mileage, 4);
    n += jt_item_put(items + n, cap - n, JT_ITEM_SATELLITES, sats, 1);
    jt_location_in l = {.alarm = 1u << 1,
                        .status = 0x000c0003,
                        .lat_raw = 22540000,
                        .lon_raw = 114050000,
                        .altitude_m = 45,
                        .speed_dkmh = 623,
                        .course_deg = 271,
                        .time_utc = T_2024_05_01_0030_UTC,
                        .items = items,
                        .items_len = n};
    return l;
}

static void assert_location(const jt_location *d, const jt_location_in *in)
{
    const uint8_t bcd[JT_BCD_TIME_LEN] = {0x24, 0x05, 0x01, 0x08, 0x30, 0x00};
    assert_int_equal(d->alarm, in->alarm);
    assert_int_equal(d->status, in->status);
    assert_int_equal(d->lat_raw, in->lat_raw);
    assert_int_equal(d->lon_raw, in->lon_raw);
    assert_int_equal(d->altitude_m, in->altitude_m);
    assert_int_equal(d->speed_dkmh, in->speed_dkmh);
    assert_int_equal(d->course_deg, in->course_deg);
    assert_int_equal(d->time_err, JT_OK);
    assert_int_equal(d->time_utc, in->time_utc);
    assert_memory_equal(d->time_bcd, bcd, JT_BCD_TIME_LEN);
    assert_int_equal(d->item_count, 2);
    assert_int_equal(d->item_errors, 0);
    assert_true(d->has & JT_HAS_MILEAGE);
    assert_int_equal(d->mileage_hm, 123456);
    assert_true(d->has & JT_HAS_SATELLITES);
    assert_int_equal(d->satellites, 12);
}

static void location_round_trips(void **state)
{
    (void)state;
    uint8_t items[32];
    jt_location_in in = sample_location(items, sizeof items);
    assert_int_equal(in.items_len, 6 + 3);
    uint8_t body[128];
    size_t len = 0;
    assert_int_equal(jt_enc_location(&in, body, sizeof body, &len), JT_OK);
    assert_int_equal(len, JT_LOCATION_BASE_LEN + 9);
    round_trip(JT_V2013, JT_MSG_LOCATION, body, len);
    assert_location(&t.b.u.loc, &in);

    uint8_t tiny[3];
    assert_int_equal(jt_item_put(tiny, sizeof tiny, 0x30, items, 2), 0);
    assert_int_equal(jt_item_put(tiny, sizeof tiny, 0x30, items, 1), 3);
}

static void location_batch_round_trips(void **state)
{
    (void)state;
    uint8_t items[32];
    jt_location_in locs[3];
    for (int i = 0; i < 3; i++) {
        locs[i] = sample_location(items, sizeof items);
        locs[i].lat_raw += (uint32_t)i;
    }
    locs[2].items_len = 0;
    uint8_t body[256];
    size_t len = 0;
    assert_int_equal(jt_enc_location_batch(JT_BATCH_BLIND_AREA, locs, 3, body, sizeof body, &len),
                     JT_OK);
    assert_int_equal(len, 3 + 3 * (2 + JT_LOCATION_BASE_LEN) + 2 * 9);
    round_trip(JT_V2019, JT_MSG_LOCATION_BATCH, body, len);
    assert_int_equal(t.b.u.batch.count, 3);
    assert_int_equal(t.b.u.batch.type, JT_BATCH_BLIND_AREA);
    jt_batch_iter it;
    jt_batch_iter_init(&it, &t.b.u.batch);
    jt_location loc;
    jt_err err = JT_OK;
    for (int i = 0; i < 2; i++) {
        assert_true(jt_batch_next(&it, &loc, &err));
        assert_int_equal(err, JT_OK);
        assert_location(&loc, &locs[i]);
    }
    assert_true(jt_batch_next(&it, &loc, &err));
    assert_int_equal(loc.lat_raw, locs[2].lat_raw);
    assert_int_equal(loc.item_count, 0);
    assert_false(jt_batch_next(&it, &loc, &err));
}

static void passenger_flow_round_trips(void **state)
{
    (void)state;
    uint8_t body[32];
    size_t len = 0;
    const int64_t start = T_2024_05_01_0030_UTC, end = start + 300;
    assert_int_equal(jt_enc_passenger_flow(start, end, 17, 4, body, sizeof body, &len), JT_OK);
    assert_int_equal(len, 16);
    const uint8_t start_bcd[JT_BCD_TIME_LEN] = {0x24, 0x05, 0x01, 0x08, 0x30, 0x00}; /* GMT+8 */
    assert_memory_equal(body, start_bcd, JT_BCD_TIME_LEN);
    round_trip(JT_V2013, JT_MSG_PASSENGER_FLOW, body, len);
    assert_int_equal(t.b.u.flow.start_utc, start);
    assert_int_equal(t.b.u.flow.end_utc, end);
    assert_int_equal(t.b.u.flow.boarded, 17);
    assert_int_equal(t.b.u.flow.alighted, 4);
}

/* ---- NO_SPACE and BAD_FIELD --------------------------------------------------------------- */

/* Each encoder, given every capacity below what it needs, says NO_SPACE and never writes past
 * the capacity (the canary after it must survive). */
typedef jt_err (*encode_fn)(uint8_t *out, size_t cap, size_t *out_len);

static jt_err enc_circles_2019(uint8_t *out, size_t cap, size_t *out_len)
{
    jt_area in[2] = {circles[0], circles[1]};
    in[0].name = utf8("北京");
    return jt_enc_areas(JT_V2019, JT_AREA_CIRCLE, 0, in, 2, out, cap, out_len);
}

static jt_err enc_route_2019(uint8_t *out, size_t cap, size_t *out_len)
{
    jt_route r = {.id = 1, .name = utf8("粤B")};
    return jt_enc_route(JT_V2019, &r, route_points, 2, out, cap, out_len);
}

static jt_err enc_register_2019(uint8_t *out, size_t cap, size_t *out_len)
{
    jt_register_in in = {.layout = JT_REG_2019, .maker = "id987654321", .plate = "苏A12345"};
    return jt_enc_register(&in, out, cap, out_len);
}

static jt_err enc_text_2019(uint8_t *out, size_t cap, size_t *out_len)
{
    return jt_enc_text(JT_V2019, 0, 1, "你好 fleet", out, cap, out_len);
}

static jt_err enc_auth_2019(uint8_t *out, size_t cap, size_t *out_len)
{
    return jt_enc_auth(JT_V2019, "AC01", "860000000000001", "V1", out, cap, out_len);
}

static jt_err enc_batch(uint8_t *out, size_t cap, size_t *out_len)
{
    uint8_t items[32];
    jt_location_in locs[2] = {sample_location(items, sizeof items),
                              sample_location(items, sizeof items)};
    return jt_enc_location_batch(0, locs, 2, out, cap, out_len);
}

static jt_err enc_reply(uint8_t *out, size_t cap, size_t *out_len)
{
    return jt_enc_register_reply(1, JT_REG_OK, "AUTH", out, cap, out_len);
}

static jt_err enc_flow(uint8_t *out, size_t cap, size_t *out_len)
{
    return jt_enc_passenger_flow(0, 0, 1, 2, out, cap, out_len);
}

static void small_buffers_are_no_space(void **state)
{
    (void)state;
    const encode_fn encoders[] = {enc_circles_2019, enc_route_2019, enc_register_2019,
                                  enc_text_2019,    enc_auth_2019,  enc_batch,
                                  enc_reply,        enc_flow};
    for (size_t e = 0; e < sizeof encoders / sizeof encoders[0]; e++) {
        uint8_t buf[512];
        size_t need = 0;
        assert_int_equal(encoders[e](buf, sizeof buf, &need), JT_OK);
        for (size_t cap = 0; cap < need; cap++) {
            memset(buf, 0xAA, sizeof buf);
            size_t len = 12345;
            assert_int_equal(encoders[e](buf, cap, &len), JT_ERR_NO_SPACE);
            assert_int_equal(len, 12345);
            assert_int_equal(buf[cap], 0xAA);
        }
    }
}

static void bodies_over_max_are_bad_field(void **state)
{
    (void)state;
    static uint8_t big[2048];
    static uint8_t out[4096];
    size_t len = 0;
    jt_param params[5];
    for (int i = 0; i < 5; i++)
        params[i] = (jt_param){.id = (uint32_t)i, .len = 250, .value = big};
    assert_int_equal(jt_enc_set_params(params, 4, out, sizeof out, &len), JT_OK);
    assert_int_equal(jt_enc_set_params(params, 5, out, sizeof out, &len), JT_ERR_BAD_FIELD);
    params[0].value = NULL;
    assert_int_equal(jt_enc_set_params(params, 1, out, sizeof out, &len), JT_ERR_BAD_FIELD);

    jt_location_in l = {.items = big, .items_len = JT_MAX_BODY - JT_LOCATION_BASE_LEN};
    assert_int_equal(jt_enc_location(&l, out, sizeof out, &len), JT_OK);
    assert_int_equal(len, JT_MAX_BODY);
    l.items_len++;
    assert_int_equal(jt_enc_location(&l, out, sizeof out, &len), JT_ERR_BAD_FIELD);
    l.items = NULL;
    assert_int_equal(jt_enc_location(&l, out, sizeof out, &len), JT_ERR_BAD_FIELD);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plat_ack_frame_is_byte_exact),
        cmocka_unit_test(general_acks_round_trip),
        cmocka_unit_test(register_reply_round_trips),
        cmocka_unit_test(resend_req_count_width_follows_version),
        cmocka_unit_test(server_time_is_utc_bcd),
        cmocka_unit_test(set_params_round_trip),
        cmocka_unit_test(track_request_round_trip),
        cmocka_unit_test(text_is_gbk_with_2019_type),
        cmocka_unit_test(circle_areas_round_trip),
        cmocka_unit_test(rect_areas_round_trip),
        cmocka_unit_test(polygon_area_round_trips),
        cmocka_unit_test(route_round_trips),
        cmocka_unit_test(times_flag_without_times_is_bad_field),
        cmocka_unit_test(truncated_downlink_bodies_are_refused),
        cmocka_unit_test(public_vectors_decode_and_reencode),
        cmocka_unit_test(public_vector_fields),
        cmocka_unit_test(register_round_trips_in_every_layout),
        cmocka_unit_test(auth_round_trips),
        cmocka_unit_test(location_round_trips),
        cmocka_unit_test(location_batch_round_trips),
        cmocka_unit_test(passenger_flow_round_trips),
        cmocka_unit_test(small_buffers_are_no_space),
        cmocka_unit_test(bodies_over_max_are_bad_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
