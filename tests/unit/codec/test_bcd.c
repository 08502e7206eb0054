/* test_bcd.c - BCD bytes and BCD[6] date-times (jt_bcd.h).
 *
 * Checks decoding in China time and UTC against known epoch values, calendar validation
 * (leap years, month lengths, clock ranges), clamping when encoding, formatting, and an
 * encode/decode round trip over every day of 2000-2099.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fw/codec/jt_bcd.h"

#define EPOCH_2018_07_15_T10_10_10_CST 1531620610 /* 2018-07-15T10:10:10+08:00 */

static void bcd_bytes_convert_both_ways(void **state)
{
    (void)state;
    assert_int_equal(jt_bcd_byte(0x00), 0);
    assert_int_equal(jt_bcd_byte(0x99), 99);
    assert_int_equal(jt_bcd_byte(0x47), 47);
    assert_int_equal(jt_bcd_byte(0x9a), -1);
    assert_int_equal(jt_bcd_byte(0xa0), -1);
    assert_int_equal(jt_to_bcd_byte(0), 0x00);
    assert_int_equal(jt_to_bcd_byte(59), 0x59);
    assert_int_equal(jt_to_bcd_byte(99), 0x99);
}

static void days_from_civil_matches_known_dates(void **state)
{
    (void)state;
    assert_int_equal(jt_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(jt_days_from_civil(1969, 12, 31), -1);
    assert_int_equal(jt_days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(jt_days_from_civil(2000, 2, 29), 11016);
    assert_int_equal(jt_days_from_civil(2100, 3, 1) - jt_days_from_civil(2100, 2, 28), 1);
}

static void decodes_china_time_and_utc(void **state)
{
    (void)state;
    const uint8_t t[JT_BCD_TIME_LEN] = {0x18, 0x07, 0x15, 0x10, 0x10, 0x10};
    int64_t epoch_s = 0;
    assert_int_equal(jt_bcd_time_decode(t, JT_CHINA_UTC_OFFSET_S, &epoch_s), JT_OK);
    assert_int_equal(epoch_s, EPOCH_2018_07_15_T10_10_10_CST);
    assert_int_equal(jt_bcd_time_decode(t, 0, &epoch_s), JT_OK);
    assert_int_equal(epoch_s, EPOCH_2018_07_15_T10_10_10_CST + JT_CHINA_UTC_OFFSET_S);
}

static void rejects_invalid_calendar_times(void **state)
{
    (void)state;
    static const struct {
        uint8_t bcd[JT_BCD_TIME_LEN];
        jt_err want;
    } cases[] = {
        {{0x20, 0x02, 0x29, 0x00, 0x00, 0x00}, JT_OK},           /* 2020 is a leap year */
        {{0x00, 0x02, 0x29, 0x00, 0x00, 0x00}, JT_OK},           /* so is 2000 */
        {{0x21, 0x02, 0x29, 0x00, 0x00, 0x00}, JT_ERR_BAD_TIME}, /* 2021 is not */
        {{0x21, 0x04, 0x31, 0x00, 0x00, 0x00}, JT_ERR_BAD_TIME},
        {{0x21, 0x12, 0x31, 0x23, 0x59, 0x59}, JT_OK},
        {{0x21, 0x13, 0x01, 0x00, 0x00, 0x00}, JT_ERR_BAD_TIME},
        {{0x21, 0x00, 0x01, 0x00, 0x00, 0x00}, JT_ERR_BAD_TIME},
        {{0x21, 0x01, 0x00, 0x00, 0x00, 0x00}, JT_ERR_BAD_TIME},
        {{0x21, 0x01, 0x01, 0x24, 0x00, 0x00}, JT_ERR_BAD_TIME},
        {{0x21, 0x01, 0x01, 0x00, 0x60, 0x00}, JT_ERR_BAD_TIME},
        {{0x21, 0x01, 0x01, 0x00, 0x00, 0x60}, JT_ERR_BAD_TIME},
        {{0x00, 0x00, 0x00, 0x00, 0x00, 0x00}, JT_ERR_BAD_TIME}, /* before the first fix */
        {{0x21, 0x01, 0x01, 0x00, 0x00, 0x0a}, JT_ERR_BAD_BCD},
        {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, JT_ERR_BAD_BCD},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t epoch_s = -1;
        jt_err got = jt_bcd_time_decode(cases[i].bcd, 0, &epoch_s);
        if (got != cases[i].want)
            fail_msg("case %zu: %s, expected %s", i, jt_err_name(got), jt_err_name(cases[i].want));
    }
}

static void encodes_in_the_given_zone(void **state)
{
    (void)state;
    uint8_t bcd[JT_BCD_TIME_LEN];
    jt_bcd_time_encode(EPOCH_2018_07_15_T10_10_10_CST, JT_CHINA_UTC_OFFSET_S, bcd);
    assert_memory_equal(bcd, "\x18\x07\x15\x10\x10\x10", JT_BCD_TIME_LEN);
    jt_bcd_time_encode(EPOCH_2018_07_15_T10_10_10_CST, 0, bcd);
    assert_memory_equal(bcd, "\x18\x07\x15\x02\x10\x10", 6);
}

static void encoding_clamps_to_2000_2099(void **state)
{
    (void)state;
    uint8_t bcd[6];
    jt_bcd_time_encode(0, JT_CHINA_UTC_OFFSET_S, bcd);
    assert_memory_equal(bcd, "\x00\x01\x01\x00\x00\x00", 6);
    jt_bcd_time_encode(INT64_MIN, JT_CHINA_UTC_OFFSET_S, bcd);
    assert_memory_equal(bcd, "\x00\x01\x01\x00\x00\x00", 6);
    jt_bcd_time_encode(INT64_MAX, JT_CHINA_UTC_OFFSET_S, bcd);
    assert_memory_equal(bcd, "\x99\x12\x31\x23\x59\x59", 6);
}

static void round_trips_every_day_of_the_century(void **state)
{
    (void)state;
    int64_t first_day = jt_days_from_civil(2000, 1, 1), end_day = jt_days_from_civil(2100, 1, 1);
    assert_int_equal(end_day - first_day, 36525);
    for (int64_t day = first_day; day < end_day; day++) {
        int64_t epoch_s = day * 86400 + (day % 86400); /* vary the time of day too */
        if (epoch_s + JT_CHINA_UTC_OFFSET_S >= end_day * 86400)
            continue; /* the last hours of 2099 in China time are clamped */
        uint8_t bcd[6];
        jt_bcd_time_encode(epoch_s, JT_CHINA_UTC_OFFSET_S, bcd);
        int64_t back = 0;
        assert_int_equal(jt_bcd_time_decode(bcd, JT_CHINA_UTC_OFFSET_S, &back), JT_OK);
        assert_int_equal(back, epoch_s);
    }
}

static void formats_with_zone_suffix(void **state)
{
    (void)state;
    const uint8_t t[6] = {0x18, 0x07, 0x15, 0x10, 0x10, 0x10};
    char out[32];
    assert_true(jt_bcd_time_format(t, "+08:00", out));
    assert_string_equal(out, "2018-07-15T10:10:10+08:00");
    assert_true(jt_bcd_time_format(t, NULL, out));
    assert_string_equal(out, "2018-07-15T10:10:10");
    assert_true(jt_bcd_time_format(t, "Z", out));
    assert_string_equal(out, "2018-07-15T10:10:10Z");
    const uint8_t bad[6] = {0x18, 0x07, 0x15, 0x10, 0x1f, 0x10};
    assert_false(jt_bcd_time_format(bad, "Z", out));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bcd_bytes_convert_both_ways),
        cmocka_unit_test(days_from_civil_matches_known_dates),
        cmocka_unit_test(decodes_china_time_and_utc),
        cmocka_unit_test(rejects_invalid_calendar_times),
        cmocka_unit_test(encodes_in_the_given_zone),
        cmocka_unit_test(encoding_clamps_to_2000_2099),
        cmocka_unit_test(round_trips_every_day_of_the_century),
        cmocka_unit_test(formats_with_zone_suffix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
