/* test_position.c - fw_position_from_location() (position.h): a real 0x0200 frame from the
 * corpus; a built body with the configured custom load and passenger items; the one fix
 * definition (status bit, valid time, coordinates in range and not (0, 0)); the speed sources;
 * the Jiangsu ADAS/DSM items; the future mark; the names of the alarm and status bits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fw/base/position.h"
#include "fw/codec/jt_frame.h"
#include "test_util.h"

static void corpus_frame(void **state)
{
    (void)state;
    tu_corpus_row row;
    assert_int_equal(tu_corpus_find("JT808_0x0200Test.cs#Test_all_attcahids", "0x0200", 0, &row),
                     0);
    uint8_t buf[1024];
    long n = tu_corpus_frame(&row, buf, sizeof(buf));
    assert_true(n > 2);
    jt_frame f;
    assert_int_equal(jt_frame_parse(buf + 1, (size_t)n - 2, &f), JT_OK);
    jt_body body;
    assert_int_equal(jt_decode_body(&f, &body), JT_OK);
    fw_position_config cfg = FW_POSITION_CONFIG_DEFAULT;
    fw_position p;
    fw_position_from_location(&body.u.loc, &cfg, &p);
    /* values the source asserts: 12.222222, 132.444444, 6.0 km/h, 2018-07-15 10:10:10 +8 */
    assert_int_equal(p.lat_e6, 12222222);
    assert_int_equal(p.lon_e6, 132444444);
    assert_int_equal(p.speed_dkmh, 60);
    assert_int_equal(p.gnss_speed_dkmh, 60);
    assert_int_equal(p.time_utc, 1531620610);
    assert_true(p.has_time);
    assert_true(p.has_mileage);
    assert_int_equal(p.mileage_hm, 100);
    assert_true(p.fixed); /* status 2: the fix bit */
    assert_true(p.alarm & JT_ALARM_EMERGENCY);
    assert_true(p.has_tacho);
    assert_int_equal(p.tacho_speed_dkmh, 56);
    assert_false(p.late);
    assert_false(p.future);
    cfg.speed_from_tacho = true;
    fw_position_from_location(&body.u.loc, &cfg, &p);
    assert_int_equal(p.speed_dkmh, 56);      /* the tachograph's, for the rules */
    assert_int_equal(p.gnss_speed_dkmh, 60); /* still there for the store */
}

/* A 0x0200 body: fixed, Nanjing, 72.5 km/h, altitude 20 m, course 90, 2026-11-28 10:00:00 (+8),
 * with custom items 0xE1 (load, 2 bytes) and 0xE2 (passengers, 1 byte). */
static const char *body_hex = "00000000 00000002 01E84800 07149770 0014 02D5 005A 261128100000"
                              "E1 02 04D2 E2 01 21";
#define T_BODY 1795831200 /* 2026-11-28 02:00:00 UTC */

static void decode_body(jt_location *loc)
{
    static uint8_t body[128]; /* the location's items point into it */
    long n = tu_hex(body_hex, body, sizeof(body));
    assert_true(n > 28);
    assert_int_equal(jt_location_decode(body, (size_t)n, loc), JT_OK);
}

/* loc as the gateway interprets it with the default config (no items, GNSS speed). */
static fw_position plain(const jt_location *loc)
{
    fw_position p;
    fw_position_from_location(loc, &FW_POSITION_CONFIG_DEFAULT, &p);
    return p;
}

static void custom_items(void **state)
{
    (void)state;
    uint8_t body[128];
    long n = tu_hex(body_hex, body, sizeof(body));
    jt_location loc;
    assert_int_equal(jt_location_decode(body, (size_t)n, &loc), JT_OK);
    fw_position_config cfg = FW_POSITION_CONFIG_DEFAULT;
    fw_position p;
    fw_position_from_location(&loc, &cfg, &p);
    assert_false(p.has_load); /* no load item configured */
    assert_false(p.has_passengers);
    assert_int_equal(p.load_kg, 0);
    assert_int_equal(p.passengers, 0);
    cfg.items = (fw_location_items){.load_id = 0xE1, .load_unit_kg = 10, .passengers_id = 0xE2};
    fw_position_from_location(&loc, &cfg, &p);
    assert_true(p.has_load);
    assert_int_equal(p.load_kg, 12340);
    assert_true(p.has_passengers);
    assert_int_equal(p.passengers, 33);
    assert_int_equal(p.speed_dkmh, 725);
    assert_int_equal(p.altitude_m, 20);
    assert_int_equal(p.course_deg, 90);
    assert_int_equal(p.lat_e6, 32000000);
    assert_int_equal(p.lon_e6, 118790000);
    assert_int_equal(p.time_utc, T_BODY);
    assert_true(p.fixed);
    assert_false(p.has_mileage);
    /* configured items the location does not carry are absent */
    cfg.items = (fw_location_items){.load_id = 0xE3, .load_unit_kg = 10, .passengers_id = 0xE4};
    fw_position_from_location(&loc, &cfg, &p);
    assert_false(p.has_load);
    assert_false(p.has_passengers);
}

static void the_fix_needs_the_bit_a_time_and_sane_coordinates(void **state)
{
    (void)state;
    jt_location loc;
    decode_body(&loc);
    assert_true(plain(&loc).fixed);

    decode_body(&loc); /* no status bit */
    loc.status &= ~(uint32_t)JT_STATUS_FIXED;
    assert_false(plain(&loc).fixed);
    assert_int_equal(plain(&loc).lat_e6, 32000000); /* raw values kept */

    decode_body(&loc); /* bad time: no fix, and no time */
    loc.time_err = JT_ERR_BAD_TIME;
    fw_position p = plain(&loc);
    assert_false(p.fixed);
    assert_false(p.has_time);
    assert_int_equal(p.time_utc, 0);

    decode_body(&loc); /* out-of-range coordinates */
    loc.coord_out_of_range = true;
    assert_false(plain(&loc).fixed);

    decode_body(&loc); /* (0, 0): a terminal that has not located yet */
    loc.lat_e6 = loc.lon_e6 = 0;
    assert_false(plain(&loc).fixed);

    decode_body(&loc); /* one zero coordinate is a place (the equator) */
    loc.lat_e6 = 0;
    assert_true(plain(&loc).fixed);
}

static void the_tachograph_speed_only_when_present(void **state)
{
    (void)state;
    fw_position_config cfg = FW_POSITION_CONFIG_DEFAULT;
    cfg.speed_from_tacho = true;
    jt_location loc;
    fw_position p;
    decode_body(&loc); /* no 0x03 item */
    fw_position_from_location(&loc, &cfg, &p);
    assert_false(p.has_tacho);
    assert_int_equal(p.tacho_speed_dkmh, 0);
    assert_int_equal(p.speed_dkmh, 725);
    loc.has |= JT_HAS_TACHO_SPEED;
    loc.tacho_speed_dkmh = 700;
    fw_position_from_location(&loc, &cfg, &p);
    assert_true(p.has_tacho);
    assert_int_equal(p.speed_dkmh, 700);
    cfg.speed_from_tacho = false;
    fw_position_from_location(&loc, &cfg, &p);
    assert_int_equal(p.speed_dkmh, 725);
    assert_int_equal(p.tacho_speed_dkmh, 700);
}

static void jiangsu_items_only_when_present(void **state)
{
    (void)state;
    jt_location loc;
    decode_body(&loc);
    /* records without their JT_HAS_* bit are not read (the decoder leaves them as they were) */
    loc.adas = (jt_safety_alarm){.item_id = 0x64, .type = 1, .level = 2, .flag = 1, .alarm_id = 7};
    loc.dsm = (jt_safety_alarm){.item_id = 0x65, .type = 3, .level = 1, .flag = 2, .alarm_id = 9};
    fw_position p = plain(&loc);
    assert_int_equal(p.adas_type, 0);
    assert_int_equal(p.dsm_type, 0);
    loc.has |= JT_HAS_ADAS | JT_HAS_DSM;
    p = plain(&loc);
    assert_int_equal(p.adas_type, 1);
    assert_int_equal(p.adas_level, 2);
    assert_int_equal(p.adas_flag, 1);
    assert_int_equal(p.adas_alarm_id, 7);
    assert_int_equal(p.dsm_type, 3);
    assert_int_equal(p.dsm_level, 1);
    assert_int_equal(p.dsm_flag, 2);
    assert_int_equal(p.dsm_alarm_id, 9);
}

static void future_is_beyond_the_tolerance(void **state)
{
    (void)state;
    jt_location loc;
    decode_body(&loc);
    fw_position p = plain(&loc);
    int64_t recv_ms = (int64_t)T_BODY * 1000;
    assert_false(fw_position_in_future(&p, recv_ms, 300));
    assert_false(fw_position_in_future(&p, recv_ms - 300 * 1000, 300)); /* exactly at it */
    assert_true(fw_position_in_future(&p, recv_ms - 301 * 1000, 300));
    loc.time_err = JT_ERR_BAD_TIME; /* no time, never future */
    p = plain(&loc);
    assert_false(fw_position_in_future(&p, 0, 0));
}

static void flag_names_come_from_the_codec_lists(void **state)
{
    (void)state;
    assert_string_equal(fw_flag_name(FW_FLAGS_ALARM, 0), "emergency");
    assert_string_equal(fw_flag_name(FW_FLAGS_ALARM, 31), "illegal_door_open");
    assert_string_equal(fw_flag_name(FW_FLAGS_STATUS, 0), "acc_on");
    assert_string_equal(fw_flag_name(FW_FLAGS_STATUS, 1), "fixed");
    assert_string_equal(fw_flag_name(FW_FLAGS_STATUS, 21), "galileo");
    assert_null(fw_flag_name(FW_FLAGS_STATUS, 8)); /* the load state, two bits */
    assert_null(fw_flag_name(FW_FLAGS_STATUS, 22));
    assert_null(fw_flag_name(FW_FLAGS_ALARM, 32));

    assert_int_equal(fw_flag_bit(FW_FLAGS_ALARM, "emergency"), 0);
    assert_int_equal(fw_flag_bit(FW_FLAGS_ALARM, "rollover"), 30);
    assert_int_equal(fw_flag_bit(FW_FLAGS_STATUS, "fixed"), 1);
    assert_int_equal(fw_flag_bit(FW_FLAGS_STATUS, "galileo"), 21);
    assert_int_equal(fw_flag_bit(FW_FLAGS_STATUS, "emergency"), -1); /* an alarm, not a status */
    assert_int_equal(fw_flag_bit(FW_FLAGS_ALARM, "no_such_alarm"), -1);
    for (unsigned bit = 0; bit < 32; bit++) { /* both ways agree */
        const char *name = fw_flag_name(FW_FLAGS_ALARM, bit);
        assert_non_null(name); /* every alarm bit has a name */
        assert_int_equal(fw_flag_bit(FW_FLAGS_ALARM, name), (int)bit);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(corpus_frame),
        cmocka_unit_test(custom_items),
        cmocka_unit_test(the_fix_needs_the_bit_a_time_and_sane_coordinates),
        cmocka_unit_test(the_tachograph_speed_only_when_present),
        cmocka_unit_test(jiangsu_items_only_when_present),
        cmocka_unit_test(future_is_beyond_the_tolerance),
        cmocka_unit_test(flag_names_come_from_the_codec_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
