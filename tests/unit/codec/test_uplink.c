/* test_uplink.c - jt_decode_body() on uplink messages, the dispatch table and the iterators.
 *
 * Corpus frames (parsed with jt_frame_parse) are decoded through the public dispatch and
 * checked against the values their sources assert. Messages the corpus lacks (0x0107, 0x0702,
 * 0x0900, 0x1005, 0x0104 entries) use synthetic bodies. A last test feeds every prefix of
 * every corpus body, in an exactly sized heap copy, so that ASan catches any over-read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fw/codec/jt_frame.h"
#include "fw/codec/jt_msg.h"
#include "test_util.h"

static tu_corpus_row row;
static uint8_t frame_buf[4096];
static uint8_t synth_buf[1024];
static jt_body body;

/* Parse the n-th corpus frame matching path_part/msg_id and decode its body into `body`. */
static jt_err decode_row(const char *path_part, const char *msg_id, int n, jt_frame *f)
{
    assert_true(
        tu_frame_usable(tu_corpus_parse(path_part, msg_id, n, frame_buf, sizeof frame_buf, f)));
    return jt_decode_body(f, &body);
}

/* Decode a synthetic body given as hex through jt_decode_body(). */
static jt_err decode_hex(uint16_t msg_id, jt_version v, const char *hex)
{
    long len = tu_hex(hex, synth_buf, sizeof synth_buf);
    assert_true(len >= 0);
    jt_frame f = {.msg_id = msg_id, .version = v, .body = synth_buf, .body_avail = (uint16_t)len};
    return jt_decode_body(&f, &body);
}

static void assert_bytes(jt_bytes b, const char *want)
{
    assert_int_equal(b.len, strlen(want));
    assert_memory_equal(b.p, want, b.len);
}

/* ---- dispatch ---------------------------------------------------------------------------- */

static void message_table(void **state)
{
    (void)state;
    assert_string_equal(jt_msg_text(JT_MSG_LOCATION), "location report");
    assert_string_equal(jt_msg_text(JT_MSG_SET_ROUTE), "set route");
    assert_null(jt_msg_text(0x1205));
    assert_true(jt_msg_known(JT_MSG_PASSENGER_FLOW));
    assert_true(jt_msg_known(JT_MSG_QUERY_PARAMS));
    assert_false(jt_msg_known(0x0802));
    assert_false(jt_msg_known(0x0000));
    /* the lookup is a binary search: every listed id must be found, in ascending order */
    static const uint16_t ids[] = {
#define MSG_ID(id, name, text) id,
        JT_MSG_LIST(MSG_ID)
#undef MSG_ID
    };
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        assert_true(jt_msg_known(ids[i]));
        if (i > 0)
            assert_true(ids[i - 1] < ids[i]);
    }
}

static void unknown_id_is_unsupported(void **state)
{
    (void)state;
    jt_frame f;
    assert_int_equal(decode_row("JT808HeaderPackageTest.cs#Test1", "0x1205", 0, &f),
                     JT_ERR_UNSUPPORTED);
    assert_int_equal(body.msg_id, 0x1205);
    assert_int_equal(decode_row("BuiltinMessage0802Test.java", NULL, 0, &f), JT_ERR_UNSUPPORTED);
}

static void encrypted_body_is_refused(void **state)
{
    (void)state;
    jt_frame f;
    assert_int_equal(decode_row("jt808_test.go#TestJTMessageDecode", "0x0801", 1, &f),
                     JT_ERR_ENCRYPTED);
    assert_int_equal(f.encryption, 1);
    assert_int_equal(body.msg_id, JT_MSG_MEDIA_DATA);
}

/* ---- terminal management ----------------------------------------------------------------- */

static void general_ack(void **state)
{
    (void)state;
    jt_frame f;
    for (int n = 0; n < 2; n++) {
        assert_int_equal(decode_row("JT808.txt#line", "0x0001", n, &f), JT_OK);
        assert_int_equal(body.u.ack.reply_serial, 123);
        assert_int_equal(body.u.ack.reply_id, 456);
        assert_int_equal(body.u.ack.result, JT_RESULT_UNSUPPORTED);
    }
    assert_int_equal(decode_hex(JT_MSG_TERM_ACK, JT_V2013, "007b01c8"), JT_ERR_TRUNCATED);
    assert_int_equal(decode_hex(JT_MSG_PLAT_ACK, JT_V2013, "0001020004"), JT_OK);
    assert_int_equal(body.u.ack.reply_id, 0x0200);
    assert_int_equal(body.u.ack.result, JT_RESULT_ALARM_CONFIRMED);
}

static void empty_bodies(void **state)
{
    (void)state;
    jt_frame f;
    assert_int_equal(decode_row("JT808_0x0002Test.cs#Test2", "0x0002", 0, &f), JT_OK);
    assert_int_equal(decode_row("BuiltinMessage0002Test.java", "0x0002", 0, &f), JT_OK);
    assert_int_equal(body.msg_id, JT_MSG_HEARTBEAT);
    assert_int_equal(decode_hex(JT_MSG_LOGOUT, JT_V2013, ""), JT_OK);
    assert_int_equal(decode_hex(JT_MSG_QUERY_TIME, JT_V2019, ""), JT_OK);
    jt_frame none = {.msg_id = JT_MSG_QUERY_LOCATION, .version = JT_V2013};
    assert_int_equal(jt_decode_body(&none, &body), JT_OK);
}

/* 0x0100 corpus rows: 2011 bodies are told from 2013 ones by their length (same header). */
typedef struct {
    const char *path_part;
    int n;
    jt_version version;
    jt_reg_layout layout;
    uint16_t province, city;
    const char *maker, *model, *terminal_id;
    uint8_t plate_color;
    const char *plate_gbk;
} register_case;

static const register_case register_cases[] = {
    {"JT808_0x0100Test.cs#Test1_1", 0, JT_V2013, JT_REG_2013, 40, 50, "1234", "smallchi123",
     "CHI123", 1,
     "\xd4\xc1"
     "A12345"}, /* 粤A12345 */
    {"BuiltinMessage0100V2013Test.java", 0, JT_V2013, JT_REG_2013, 11, 2, "id321",
     "type1234567890123456", "id12345", 1,
     "\xb8\xca"
     "J-123459"}, /* 甘J-123459 */
    {"JT808.txt#line3", 0, JT_V2013, JT_REG_2013, 31, 115, "yzh", "www.jtt808.cn", "7654321", 1,
     "\xb2\xe2"
     "A888888"}, /* 测A888888 */
    {"JT808_0x0100Test.cs#Test2011_2", 0, JT_V2013, JT_REG_2011, 40, 50, "1234", "tk12345",
     "CHI123", 1,
     "\xd4\xc1"
     "A12345"},
    {"protocol/model/parse_test.go", 0, JT_V2013, JT_REG_2011, 31, 115, "cd", "www.808.", "7654321",
     1,
     "\xb2\xe2"
     "A1234"},
    {"protocol/model/parse_test.go", 1, JT_V2013, JT_REG_2013, 31, 115, "cd", "www.808.com",
     "7654321", 1,
     "\xb2\xe2"
     "A1234"},
    {"JT808_0x0100Test.cs#Test2019_2", 0, JT_V2019, JT_REG_2019, 40, 50, "1234", "smallchi123",
     "CHI123", 1,
     "\xd4\xc1"
     "A12345"},
    {"BuiltinMessage0100V2019Test.java", 0, JT_V2019, JT_REG_2019, 11, 2, "id123456789",
     "type12345678901234567890123456", "id1234567890123456789012345678", 1,
     "\xb8\xca"
     "J-123459"},
    {"JT808.txt#line4", 0, JT_V2019, JT_REG_2019, 31, 115, "yzh", "www.jtt808.cn",
     "09876543210987654321", 1,
     "\xb2\xe2"
     "A888888"},
    {"JT808_0x0100Test.cs#Test2019_4_2", 0, JT_V2019, JT_REG_2019, 0, 0, "Koike002", "Koike002",
     "Koike002", 2,
     "\xd4\xc1"
     "A12346"},
};

static void registrations_from_corpus(void **state)
{
    (void)state;
    const jt_register *reg = &body.u.reg;
    for (size_t i = 0; i < sizeof register_cases / sizeof register_cases[0]; i++) {
        const register_case *c = &register_cases[i];
        jt_frame f;
        assert_int_equal(decode_row(c->path_part, "0x0100", c->n, &f), JT_OK);
        assert_int_equal(f.version, c->version);
        assert_int_equal(reg->layout, c->layout);
        assert_int_equal(reg->province, c->province);
        assert_int_equal(reg->city, c->city);
        assert_bytes(reg->maker, c->maker);
        assert_bytes(reg->model, c->model);
        assert_bytes(reg->terminal_id, c->terminal_id);
        assert_int_equal(reg->plate_color, c->plate_color);
        assert_bytes(reg->plate, c->plate_gbk);
    }
}

static void register_bodies_cut_short(void **state)
{
    (void)state;
    /* shorter than even the 2011 fixed part */
    assert_int_equal(decode_hex(JT_MSG_REGISTER, JT_V2013, "001f0073 63640000 00"),
                     JT_ERR_TRUNCATED);
    /* a 2019 body cut inside the terminal id */
    assert_int_equal(
        decode_hex(JT_MSG_REGISTER, JT_V2019, "000b0002696431323334353637383974797065"),
        JT_ERR_TRUNCATED);
}

static void auth_2013_and_2019(void **state)
{
    (void)state;
    jt_frame f;
    const jt_auth *auth = &body.u.auth;
    assert_int_equal(decode_row("JT808_0x0102Test.cs#Test4", "0x0102", 0, &f), JT_OK);
    assert_bytes(auth->code, "456121111");
    assert_null(auth->imei.p);

    assert_int_equal(decode_row("BuiltinMessage0102V2013Test.java", "0x0102", 0, &f), JT_OK);
    assert_bytes(auth->code, "\xd5\xe2\xca\xc7\xbc\xf8\xc8\xa8\xc2\xeb"
                             "111"); /* 这是鉴权码111 */

    assert_int_equal(decode_row("protocol/model/parse_test.go", "0x0102", 1, &f), JT_OK);
    assert_int_equal(f.version, JT_V2019);
    assert_bytes(auth->code, "17299841738");
    assert_bytes(auth->imei, "123456789012345");
    assert_bytes(auth->software_version, "3.7.15");

    assert_int_equal(decode_row("BuiltinMessage0102V2019Test.java", "0x0102", 0, &f), JT_OK);
    assert_bytes(auth->code, "\xd5\xe2\xca\xc7\xbc\xf8\xc8\xa8\xc2\xeb"
                             "111");
    assert_bytes(auth->imei, "111111111111111");
    assert_bytes(auth->software_version, "1.2.3010");

    assert_int_equal(decode_row("JT808.txt#line6", "0x0102", 0, &f), JT_OK);
    assert_bytes(auth->code, "pmYGzGukO8K4Z5lpIOTg8dqb3eprYaHBbXSPLtdbyG8=");
    assert_bytes(auth->imei, "123456789012345");

    /* code length promises more than is sent */
    assert_int_equal(decode_hex(JT_MSG_AUTH, JT_V2019, "0b 3137323939"), JT_ERR_TRUNCATED);
}

static void param_reply_entries(void **state)
{
    (void)state;
    assert_int_equal(decode_hex(JT_MSG_PARAM_REPLY, JT_V2013,
                                "1234 03 00000001 04 0000000a"
                                " 00000013 0d 3232322e3138342e32362e3232"
                                " 0000f364 02 0102"),
                     JT_OK);
    const jt_param_list *pl = &body.u.params;
    assert_int_equal(pl->reply_serial, 0x1234);
    assert_int_equal(pl->count, 3);
    jt_param_iter it;
    jt_param p;
    jt_err err;
    jt_param_iter_init(&it, pl);
    assert_true(jt_param_next(&it, &p, &err));
    assert_int_equal(p.id, 1);
    assert_int_equal(p.len, 4);
    assert_int_equal(p.value[3], 10);
    assert_true(jt_param_next(&it, &p, &err));
    assert_int_equal(p.id, 0x13);
    assert_memory_equal(p.value, "222.184.26.22", 13);
    assert_true(jt_param_next(&it, &p, &err));
    assert_int_equal(p.id, 0xf364);
    assert_int_equal(p.len, 2);
    assert_false(jt_param_next(&it, &p, &err));
    assert_int_equal(err, JT_OK);

    /* a last entry cut inside its value */
    assert_int_equal(decode_hex(JT_MSG_PARAM_REPLY, JT_V2013,
                                "0001 02 00000001 04 0000000a"
                                " 00000002 04 0000"),
                     JT_OK);
    jt_param_iter_init(&it, &body.u.params);
    assert_true(jt_param_next(&it, &p, &err));
    assert_false(jt_param_next(&it, &p, &err));
    assert_int_equal(err, JT_ERR_TRUNCATED);

    assert_int_equal(decode_hex(JT_MSG_PARAM_REPLY, JT_V2013, "0001"), JT_ERR_TRUNCATED);
}

/* The first packet of a real sub-packaged 0x0104: its entries decode up to the cut. */
static void param_reply_real_first_packet(void **state)
{
    (void)state;
    jt_frame f;
    assert_int_equal(decode_row("JT808SerializerTest.cs#MergerTest", "0x0104", 0, &f), JT_OK);
    assert_true(f.subpkg);
    assert_int_equal(body.u.params.count, 0x6b);
    jt_param_iter it;
    jt_param p;
    jt_err err;
    jt_param_iter_init(&it, &body.u.params);
    assert_true(jt_param_next(&it, &p, &err));
    assert_int_equal(p.id, 1);
    assert_int_equal(p.len, 4);
    assert_int_equal(p.value[2] << 8 | p.value[3], 600);
    int entries = 1;
    while (jt_param_next(&it, &p, &err))
        entries++;
    assert_true(entries > 20);
    assert_true(entries < 0x6b);
}

static void attributes_2013_and_2019(void **state)
{
    (void)state;
    const char *tail = "89860412345678901234 04 48573130 06 4657322e3031 03 21";
    char hex[512];
    /* model: "M1" NUL-padded to 20 bytes */
    snprintf(hex, sizeof hex, "0006 41434d4500 4d31%036d 54303030303031 %s", 0, tail);
    assert_int_equal(decode_hex(JT_MSG_ATTR_REPLY, JT_V2013, hex), JT_OK);
    const jt_attributes *a = &body.u.attrs;
    assert_int_equal(a->terminal_type, 6);
    assert_bytes(a->maker, "ACME");
    assert_bytes(a->model, "M1");
    assert_bytes(a->terminal_id, "T000001");
    assert_memory_equal(a->iccid_bcd, "\x89\x86\x04\x12\x34\x56\x78\x90\x12\x34", 10);
    assert_bytes(a->hw_version, "HW10");
    assert_bytes(a->fw_version, "FW2.01");
    assert_int_equal(a->gnss_attr, 3);
    assert_int_equal(a->comm_attr, 0x21);

    snprintf(hex, sizeof hex, "0006 41434d4500 4d31%056d 5430303030303030303031%038d %s", 0, 0,
             tail);
    assert_int_equal(decode_hex(JT_MSG_ATTR_REPLY, JT_V2019, hex), JT_OK);
    assert_bytes(a->model, "M1");
    assert_bytes(a->terminal_id, "T0000000001");
    assert_bytes(a->fw_version, "FW2.01");
    assert_int_equal(a->comm_attr, 0x21);

    /* the 2013 body read with 2019 widths runs out */
    snprintf(hex, sizeof hex, "0006 41434d4500 4d31%036d 54303030303031 %s", 0, tail);
    assert_int_equal(decode_hex(JT_MSG_ATTR_REPLY, JT_V2019, hex), JT_ERR_TRUNCATED);
}

/* ---- location messages ------------------------------------------------------------------- */

/* The 28-byte base of a location as its source asserts it. */
typedef struct {
    uint32_t alarm, status, lat_raw, lon_raw;
    uint16_t altitude_m, speed_dkmh, course_deg;
    int64_t time_utc;
} location_base;

static void assert_location_base(const jt_location *loc, const location_base *want)
{
    assert_int_equal(loc->alarm, want->alarm);
    assert_int_equal(loc->status, want->status);
    assert_int_equal(loc->lat_raw, want->lat_raw);
    assert_int_equal(loc->lon_raw, want->lon_raw);
    assert_int_equal(loc->altitude_m, want->altitude_m);
    assert_int_equal(loc->speed_dkmh, want->speed_dkmh);
    assert_int_equal(loc->course_deg, want->course_deg);
    assert_int_equal(loc->time_utc, want->time_utc);
}

static void location_through_dispatch(void **state)
{
    (void)state;
    jt_frame f;
    assert_int_equal(decode_row("packet_codec_test.go#case2", "0x0200", 0, &f), JT_OK);
    const jt_location *loc = &body.u.loc;
    /* 2023-01-25 14:51:58 +08:00 */
    const location_base want = {0, 0x00020803, 30242718, 120111154, 60, 0, 143, 1674629518};
    assert_location_base(loc, &want);
    assert_int_equal(loc->item_count, 0);

    assert_int_equal(decode_hex(JT_MSG_LOCATION, JT_V2013, "0000000000000002"), JT_ERR_TRUNCATED);
}

static void location_reply_with_west_bit(void **state)
{
    (void)state;
    jt_frame f;
    const jt_location_reply *lr = &body.u.loc_reply;
    assert_int_equal(decode_row("protocol/model/parse_test.go", "0x0201", 0, &f), JT_OK);
    assert_int_equal(lr->reply_serial, 26722);
    /* 2020-05-12 12:12:59 +08:00 */
    const location_base want = {10842, 29736, 41957, 56143, 48243, 10001, 300, 1589256779};
    assert_location_base(&lr->loc, &want);
    assert_int_equal(lr->loc.lat_e6, 41957);
    assert_int_equal(lr->loc.lon_e6, -56143); /* status bit 3: west */

    assert_int_equal(decode_row("JT808.txt#line91", "0x0201", 0, &f), JT_OK);
    assert_int_equal(lr->reply_serial, 26722);
    assert_int_equal(lr->loc.mileage_hm, 0x00313233);
}

static void location_reply_2019_south_west(void **state)
{
    (void)state;
    jt_frame f;
    const jt_location_reply *lr = &body.u.loc_reply;
    assert_int_equal(decode_row("BuiltinMessage0201Test.java", "0x0201", 0, &f), JT_OK);
    assert_int_equal(f.version, JT_V2019);
    assert_int_equal(lr->reply_serial, 321);
    /* 2014-10-21 19:51:09 +08:00 */
    const location_base want = {123, 222, 31000562, 121451372, 666, 78, 0, 1413892269};
    assert_location_base(&lr->loc, &want);
    assert_int_equal(lr->loc.lat_e6, -31000562);
    assert_int_equal(lr->loc.lon_e6, -121451372);
    assert_int_equal(lr->loc.mileage_hm, 111);
    assert_int_equal(lr->loc.fuel_dl, 222);
    assert_int_equal(lr->loc.tacho_speed_dkmh, 666);
    assert_int_equal(lr->loc.confirm_event_id, 333);
    assert_int_equal(lr->loc.ext_signals, 777);
    assert_int_equal(lr->loc.signal, 33);
    assert_int_equal(lr->loc.satellites, 55);

    assert_int_equal(decode_hex(JT_MSG_LOCATION_REPLY, JT_V2013, "01"), JT_ERR_TRUNCATED);
    assert_int_equal(decode_hex(JT_MSG_LOCATION_REPLY, JT_V2013, "0141 00000000"),
                     JT_ERR_TRUNCATED);
}

static void batch_normal(void **state)
{
    (void)state;
    jt_frame f;
    assert_int_equal(decode_row("JT808_0x0704Test.cs#Test2", "0x0704", 0, &f), JT_OK);
    const jt_location_batch *b = &body.u.batch;
    assert_int_equal(b->count, 2);
    assert_int_equal(b->type, JT_BATCH_NORMAL);
    jt_batch_iter it;
    jt_location loc;
    jt_err err;
    jt_batch_iter_init(&it, b);
    assert_true(jt_batch_next(&it, &loc, &err));
    assert_int_equal(err, JT_OK);
    assert_int_equal(loc.alarm, 1);
    assert_int_equal(loc.lat_raw, 12222222);
    assert_int_equal(loc.mileage_hm, 100);
    assert_int_equal(loc.fuel_dl, 55);
    assert_true(jt_batch_next(&it, &loc, &err));
    assert_int_equal(err, JT_OK);
    assert_int_equal(loc.alarm, 2);
    assert_int_equal(loc.status, 1);
    assert_int_equal(loc.lat_raw, 13333333);
    assert_int_equal(loc.lon_raw, 132555555);
    assert_int_equal(loc.altitude_m, 41);
    assert_int_equal(loc.speed_dkmh, 54);
    assert_int_equal(loc.course_deg, 120);
    assert_int_equal(loc.time_utc, 1531620630); /* 2018-07-15 10:10:30 +08:00 */
    assert_int_equal(loc.mileage_hm, 96);
    assert_int_equal(loc.fuel_dl, 66);
    assert_int_equal(it.index, 2);
    assert_false(jt_batch_next(&it, &loc, &err));
}

static int count_batch(const jt_location_batch *b, jt_location *last)
{
    jt_batch_iter it;
    jt_err err;
    int n = 0;
    jt_batch_iter_init(&it, b);
    while (jt_batch_next(&it, last, &err)) {
        assert_int_equal(err, JT_OK);
        n++;
    }
    return n;
}

static void batch_blind_area_and_2019(void **state)
{
    (void)state;
    jt_frame f;
    jt_location loc;
    for (int n = 0; n < 2; n++) {
        assert_int_equal(decode_row("JT808.txt#line2", "0x0704", n, &f), JT_OK);
        assert_int_equal(body.u.batch.count, 3);
        assert_int_equal(body.u.batch.type, JT_BATCH_BLIND_AREA);
        assert_int_equal(count_batch(&body.u.batch, &loc), 3);
        assert_int_equal(loc.alarm, 1024);
        assert_int_equal(loc.lat_raw, 116307629);
        assert_int_equal(loc.time_utc, 1594121039);
    }
    assert_int_equal(f.version, JT_V2019);

    assert_int_equal(decode_row("BuiltinMessage0704Test.java", "0x0704", 0, &f), JT_OK);
    assert_int_equal(body.u.batch.type, JT_BATCH_NORMAL);
    assert_int_equal(count_batch(&body.u.batch, &loc), 2);
    assert_int_equal(loc.lat_raw, 31000563);
    assert_int_equal(loc.altitude_m, 777);
    assert_int_equal(loc.speed_dkmh, 67);
    assert_int_equal(loc.time_utc, 1730209143); /* 2024-10-29 21:39:03 +08:00 */

    assert_int_equal(decode_row("protocol/model/parse_test.go", "0x0704", 0, &f), JT_OK);
    assert_int_equal(count_batch(&body.u.batch, &loc), 2);
    assert_int_equal(loc.lat_raw, 119552894);
    assert_true(loc.coord_out_of_range);

    assert_int_equal(decode_hex(JT_MSG_LOCATION_BATCH, JT_V2013, "0002"), JT_ERR_TRUNCATED);
}

/* Real device: the second entry declares 233 bytes but the frame ends 4 bytes early. */
static void batch_entry_running_past_the_body(void **state)
{
    (void)state;
    jt_frame f;
    assert_int_equal(decode_row("JT808_0x0704Test.cs#Test4", "0x0704", 0, &f), JT_OK);
    assert_int_equal(body.u.batch.count, 2);
    assert_int_equal(body.u.batch.type, JT_BATCH_BLIND_AREA);
    jt_batch_iter it;
    jt_location loc;
    jt_err err;
    jt_batch_iter_init(&it, &body.u.batch);
    assert_true(jt_batch_next(&it, &loc, &err));
    assert_int_equal(err, JT_OK);
    assert_int_equal(loc.lat_raw, 23417058);
    assert_int_equal(loc.lon_raw, 101614760);
    assert_int_equal(loc.mileage_hm, 0x00054576);
    assert_int_equal(loc.item_count, 4);
    assert_int_equal(loc.item_errors, 0);
    assert_true(jt_batch_next(&it, &loc, &err));
    assert_int_equal(err, JT_ERR_TRUNCATED);
    assert_false(jt_batch_next(&it, &loc, &err));
    assert_int_equal(it.index, 2);
}

static void batch_entry_too_short_for_a_location(void **state)
{
    (void)state;
    assert_int_equal(decode_hex(JT_MSG_LOCATION_BATCH, JT_V2013, "0002 00 0004 00000001 00"),
                     JT_OK);
    jt_batch_iter it;
    jt_location loc;
    jt_err err;
    jt_batch_iter_init(&it, &body.u.batch);
    assert_true(jt_batch_next(&it, &loc, &err));
    assert_int_equal(err, JT_ERR_TRUNCATED); /* 4-byte entry */
    assert_true(jt_batch_next(&it, &loc, &err));
    assert_int_equal(err, JT_ERR_TRUNCATED); /* a lone byte where a length should be */
    assert_false(jt_batch_next(&it, &loc, &err));
}

/* ---- driver, multimedia, pass-through, passenger flow ------------------------------------ */

#define DRIVER_CARD "06 d5c5c8fd3131 313130313031313939303031303131323334 0000 04 4a544a31 20301231"

static void driver_identity(void **state)
{
    (void)state;
    const jt_driver_id *d = &body.u.driver;
    assert_int_equal(decode_hex(JT_MSG_DRIVER_ID, JT_V2013, "01 210601080000 00 " DRIVER_CARD),
                     JT_OK);
    assert_int_equal(d->state, 1);
    assert_memory_equal(d->time_bcd, "\x21\x06\x01\x08\x00\x00", 6);
    assert_int_equal(d->ic_result, 0);
    assert_bytes(d->name, "\xd5\xc5\xc8\xfd"
                          "11");
    assert_bytes(d->certificate, "110101199001011234");
    assert_bytes(d->authority, "JTJ1");
    assert_memory_equal(d->valid_until_bcd, "\x20\x30\x12\x31", 4);
    assert_null(d->id_card.p);

    assert_int_equal(decode_hex(JT_MSG_DRIVER_ID, JT_V2019,
                                "01 210601080000 00 " DRIVER_CARD
                                " 3131303130313139393030313031313233340000"),
                     JT_OK);
    assert_bytes(d->authority, "JTJ1");
    assert_bytes(d->id_card, "110101199001011234");

    assert_int_equal(decode_hex(JT_MSG_DRIVER_ID, JT_V2013, "02 210601093000"), JT_OK);
    assert_int_equal(d->state, 2);
    assert_int_equal(d->name.len, 0);

    assert_int_equal(decode_hex(JT_MSG_DRIVER_ID, JT_V2013, "01 210601080000 01"), JT_OK);
    assert_int_equal(d->ic_result, 1);
    assert_null(d->name.p);

    assert_int_equal(decode_hex(JT_MSG_DRIVER_ID, JT_V2013, "01 210601080000 00 06 d5c5"),
                     JT_ERR_TRUNCATED);
    assert_int_equal(decode_hex(JT_MSG_DRIVER_ID, JT_V2019, "01 210601080000 00 " DRIVER_CARD),
                     JT_ERR_TRUNCATED);
}

/* The multimedia head shared by 0x0800 and 0x0801: id, type, format, event, channel. */
static void assert_media_head(const jt_media *m, uint32_t media_id, uint8_t media_type,
                              uint8_t format, uint8_t event, uint8_t channel)
{
    assert_int_equal(m->media_id, media_id);
    assert_int_equal(m->media_type, media_type);
    assert_int_equal(m->format, format);
    assert_int_equal(m->event, event);
    assert_int_equal(m->channel, channel);
}

static void media_event(void **state)
{
    (void)state;
    jt_frame f;
    for (int n = 0; n < 2; n++) {
        assert_int_equal(decode_row("JT808.txt#line2", "0x0800", n, &f), JT_OK);
        assert_media_head(&body.u.media, 123, 0, 0, 7, 1);
        assert_false(body.u.media.has_location);
    }
    assert_int_equal(decode_hex(JT_MSG_MEDIA_EVENT, JT_V2013, "0000007b000007"), JT_ERR_TRUNCATED);
}

static void media_data(void **state)
{
    (void)state;
    jt_frame f;
    const jt_media *m = &body.u.media;
    assert_int_equal(decode_row("protocol/model/parse_test.go", "0x0801", 0, &f), JT_OK);
    assert_media_head(m, 123, 1, 2, 1, 2);
    assert_true(m->has_location);
    const location_base want_go = {1024, 2048, 116307629, 40058359, 312, 3, 99, 1594121039};
    assert_location_base(&m->loc, &want_go);
    assert_int_equal(m->data.len, 5);
    assert_memory_equal(m->data.p, "\x0d\x7b\x0d\x7b\x7b", 5);

    assert_int_equal(decode_row("BuiltinMessage0801Test.java", "0x0801", 0, &f), JT_OK);
    assert_media_head(m, 111, 0, 0, 7, 123);
    const location_base want_java = {1, 2, 31000562, 121451372, 100, 60, 78, 1413892269};
    assert_location_base(&m->loc, &want_java);
    assert_memory_equal(m->data.p, "\x01\x02\x03\x04\x05", 5);

    /* first packet of a real 10-packet camera upload: header, location, JPEG start */
    assert_int_equal(decode_row("Simples/Demo5.cs", "0x0801", 0, &f), JT_OK);
    assert_int_equal(f.pkg_index, 1);
    assert_int_equal(m->media_id, 10013);
    assert_int_equal(m->loc.lat_raw, 30556170);
    assert_int_equal(m->loc.altitude_m, 481);
    assert_int_equal(m->loc.time_utc, 1546565392); /* 2019-01-04 09:29:52 +08:00 */
    assert_memory_equal(m->data.p, "\xff\xd8", 2);

    assert_int_equal(decode_hex(JT_MSG_MEDIA_DATA, JT_V2013, "0000007b01020102 00000400"),
                     JT_ERR_TRUNCATED);
}

static void passthrough(void **state)
{
    (void)state;
    assert_int_equal(decode_hex(JT_MSG_PASSTHROUGH_UP, JT_V2013, "f1 0102030405"), JT_OK);
    assert_int_equal(body.u.passthrough.type, 0xf1);
    assert_int_equal(body.u.passthrough.data.len, 5);
    assert_int_equal(body.u.passthrough.data.p[4], 5);
    assert_int_equal(decode_hex(JT_MSG_PASSTHROUGH_UP, JT_V2013, "41"), JT_OK);
    assert_int_equal(body.u.passthrough.data.len, 0);
    assert_int_equal(decode_hex(JT_MSG_PASSTHROUGH_UP, JT_V2013, ""), JT_ERR_TRUNCATED);
}

static void passenger_flow(void **state)
{
    (void)state;
    const jt_passenger_flow *pf = &body.u.flow;
    assert_int_equal(
        decode_hex(JT_MSG_PASSENGER_FLOW, JT_V2019, "210601080000 210601093000 000c 0005"), JT_OK);
    assert_int_equal(pf->start_utc, 1622505600);
    assert_int_equal(pf->end_utc, 1622511000);
    assert_int_equal(pf->boarded, 12);
    assert_int_equal(pf->alighted, 5);
    assert_int_equal(
        decode_hex(JT_MSG_PASSENGER_FLOW, JT_V2019, "210601080000 2106010930a0 000c 0005"),
        JT_ERR_BAD_BCD);
    assert_int_equal(pf->boarded, 12);
    assert_int_equal(decode_hex(JT_MSG_PASSENGER_FLOW, JT_V2019, "210601080000 210601093000 000c"),
                     JT_ERR_TRUNCATED);
}

/* ---- robustness -------------------------------------------------------------------------- */

/* Decode every prefix of every corpus body from an exactly sized heap copy (ASan catches an
 * over-read) and walk whatever iterators the result offers. */
static void walk_iterators(const jt_body *b)
{
    jt_param_iter pit;
    jt_param p;
    jt_batch_iter bit;
    jt_location loc;
    jt_item_iter iit;
    jt_item item;
    jt_err err;
    if (b->msg_id == JT_MSG_PARAM_REPLY) {
        jt_param_iter_init(&pit, &b->u.params);
        while (jt_param_next(&pit, &p, &err))
            assert_int_equal(err, JT_OK);
    }
    if (b->msg_id == JT_MSG_LOCATION_BATCH) {
        jt_batch_iter_init(&bit, &b->u.batch);
        while (jt_batch_next(&bit, &loc, &err))
            assert_true(err == JT_OK || err == JT_ERR_TRUNCATED);
    }
    if (b->msg_id == JT_MSG_LOCATION) {
        jt_item_iter_init(&iit, &b->u.loc);
        while (jt_item_next(&iit, &item))
            assert_true(item.len <= item.declared_len);
    }
}

static void every_prefix_of_every_body(void **state)
{
    (void)state;
    int decoded = 0;
    for (int i = 0; tu_corpus_row_at(i, &row) == 0; i++) {
        jt_frame f;
        if (!tu_frame_usable(tu_corpus_parse_row(&row, frame_buf, sizeof frame_buf, &f)))
            continue;
        for (size_t n = 0; n <= f.body_avail; n++) {
            uint8_t *copy = malloc(n ? n : 1);
            assert_non_null(copy);
            memcpy(copy, f.body, n);
            jt_frame cut = f;
            cut.body = copy;
            cut.body_avail = (uint16_t)n;
            jt_err err = jt_decode_body(&cut, &body);
            assert_true((unsigned)err < JT_ERR__COUNT);
            if (err == JT_OK)
                walk_iterators(&body);
            free(copy);
        }
        decoded++;
    }
    assert_true(decoded > 90);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(message_table),
        cmocka_unit_test(unknown_id_is_unsupported),
        cmocka_unit_test(encrypted_body_is_refused),
        cmocka_unit_test(general_ack),
        cmocka_unit_test(empty_bodies),
        cmocka_unit_test(registrations_from_corpus),
        cmocka_unit_test(register_bodies_cut_short),
        cmocka_unit_test(auth_2013_and_2019),
        cmocka_unit_test(param_reply_entries),
        cmocka_unit_test(param_reply_real_first_packet),
        cmocka_unit_test(attributes_2013_and_2019),
        cmocka_unit_test(location_through_dispatch),
        cmocka_unit_test(location_reply_with_west_bit),
        cmocka_unit_test(location_reply_2019_south_west),
        cmocka_unit_test(batch_normal),
        cmocka_unit_test(batch_blind_area_and_2019),
        cmocka_unit_test(batch_entry_running_past_the_body),
        cmocka_unit_test(batch_entry_too_short_for_a_location),
        cmocka_unit_test(driver_identity),
        cmocka_unit_test(media_event),
        cmocka_unit_test(media_data),
        cmocka_unit_test(passthrough),
        cmocka_unit_test(passenger_flow),
        cmocka_unit_test(every_prefix_of_every_body),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
