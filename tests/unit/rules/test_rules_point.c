/* test_rules_point.c - fw_point_from_location(): a real 0x0200 frame from the corpus, and a built
 * body with the configured custom load and passenger items, the tachograph speed option and
 * the fix rules.
 */
#include "rules_test.h"
#include "test_util.h"

#include "fw/codec/jt_frame.h"

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
    fw_rules_config cfg;
    fw_rules_config_default(&cfg);
    fw_point p;
    fw_point_from_location(&body.u.loc, &cfg, false, &p);
    /* values the source asserts: 12.222222, 132.444444, 6.0 km/h, 2018-07-15 10:10:10 +8 */
    assert_int_equal(p.lat_e6, 12222222);
    assert_int_equal(p.lon_e6, 132444444);
    assert_int_equal(p.speed_dkmh, 60);
    assert_int_equal(p.time_utc, 1531620610);
    assert_int_equal(p.mileage_hm, 100);
    assert_true(p.fixed); /* status 2: the fix bit */
    assert_true(p.alarm & JT_ALARM_EMERGENCY);
    assert_true(p.has_tacho);
    assert_int_equal(p.tacho_speed_dkmh, 56);
    cfg.speed_from_tacho = true;
    fw_point_from_location(&body.u.loc, &cfg, true, &p);
    assert_int_equal(p.speed_dkmh, 56);
    assert_true(p.late);
}

/* A 0x0200 body: fixed, Nanjing, 72.5 km/h, 2026-11-28 10:00:00 (+8), with custom items
 * 0xE1 (load, 2 bytes) and 0xE2 (passengers, 1 byte). */
static const char *body_hex = "00000000 00000002 01E84800 07149770 0014 02D5 005A 261128100000"
                              "E1 02 04D2 E2 01 21";

static void custom_items(void **state)
{
    (void)state;
    uint8_t body[128];
    long n = tu_hex(body_hex, body, sizeof(body));
    assert_true(n > 28);
    jt_location loc;
    assert_int_equal(jt_location_decode(body, (size_t)n, &loc), JT_OK);
    fw_rules_config cfg;
    fw_rules_config_default(&cfg);
    fw_point p;
    fw_point_from_location(&loc, &cfg, false, &p);
    assert_false(p.has_load); /* no load item configured */
    assert_false(p.has_passengers);
    cfg.items = (fw_location_items){.load_id = 0xE1, .load_unit_kg = 10, .passengers_id = 0xE2};
    fw_point_from_location(&loc, &cfg, false, &p);
    assert_true(p.has_load);
    assert_int_equal(p.load_kg, 12340);
    assert_true(p.has_passengers);
    assert_int_equal(p.passengers, 33);
    assert_int_equal(p.speed_dkmh, 725);
    assert_int_equal(p.lat_e6, 32000000);
    assert_int_equal(p.lon_e6, 118790000);
    assert_int_equal(p.time_utc, CN(10, 0, 0));
    assert_true(p.fixed);
    uint32_t v;
    assert_false(jt_location_item_value(&loc, 0xE3, 1, &v));
    /* without the fix bit the point is not evidence */
    loc.status &= ~(uint32_t)JT_STATUS_FIXED;
    fw_point_from_location(&loc, &cfg, false, &p);
    assert_false(p.fixed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(corpus_frame),
        cmocka_unit_test(custom_items),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
