/* test_china_time.c - China time and the time texts (china_time.h): minute of day across
 * midnight and before 1970, windows over midnight, wall clock <-> epoch in both zones with
 * range checks, and the exact text forms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fw/base/china_time.h"

static void minute_of_day(void **state)
{
    (void)state;
    assert_int_equal(fw_china_minute(0), 8 * 60);                    /* 1970-01-01 08:00 */
    assert_int_equal(fw_china_minute(16 * 3600 - 1), 23 * 60 + 59);  /* 23:59:59 China */
    assert_int_equal(fw_china_minute(16 * 3600), 0);                 /* China midnight */
    assert_int_equal(fw_china_minute(-8 * 3600 - 60), 23 * 60 + 59); /* before the epoch */
}

static void windows(void **state)
{
    (void)state;
    assert_true(fw_minute_in_window(22 * 60, 22 * 60, 6 * 60)); /* over midnight */
    assert_true(fw_minute_in_window(0, 22 * 60, 6 * 60));
    assert_false(fw_minute_in_window(6 * 60, 22 * 60, 6 * 60)); /* end excluded */
    assert_true(fw_minute_in_window(600, 540, 1020));
    assert_false(fw_minute_in_window(1020, 540, 1020));
    assert_false(fw_minute_in_window(100, 100, 100)); /* empty */
}

static void civil_round_trip(void **state)
{
    (void)state;
    fw_civil_time c;
    fw_civil_from_utc(1795824000, FW_CHINA_UTC_OFFSET_S, &c); /* 2026-11-28 00:00 UTC */
    assert_int_equal(c.year, 2026);
    assert_int_equal(c.month, 11);
    assert_int_equal(c.day, 28);
    assert_int_equal(c.hour, 8);
    fw_civil_from_utc(1795824000 - 1, 0, &c);
    assert_int_equal(c.day, 27);
    assert_int_equal(c.hour, 23);
    assert_int_equal(c.second, 59);
    fw_civil_from_utc(-1, 0, &c);
    assert_int_equal(c.year, 1969);
    assert_int_equal(c.month, 12);
    assert_int_equal(c.day, 31);
    for (int64_t t = -86400 * 400; t < 4102444800; t += 86400 * 29 + 3607) {
        int64_t back = -1;
        fw_civil_from_utc(t, FW_CHINA_UTC_OFFSET_S, &c);
        assert_int_equal(fw_utc_from_civil(&c, FW_CHINA_UTC_OFFSET_S, &back), 0);
        assert_int_equal(back, t);
    }
}

static void civil_out_of_range(void **state)
{
    (void)state;
    int64_t t = 7;
    fw_civil_time leap = {2024, 2, 29, 0, 0, 0};
    assert_int_equal(fw_utc_from_civil(&leap, 0, &t), 0);
    assert_int_equal(t, 1709164800);
    fw_civil_time bad[] = {{2023, 2, 29, 0, 0, 0}, {2024, 13, 1, 0, 0, 0}, {2024, 0, 1, 0, 0, 0},
                           {2024, 4, 31, 0, 0, 0}, {2024, 1, 0, 0, 0, 0},  {2024, 1, 1, 24, 0, 0},
                           {2024, 1, 1, 0, 60, 0}, {2024, 1, 1, 0, 0, 60}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        t = 7;
        assert_int_equal(fw_utc_from_civil(&bad[i], 0, &t), -1);
        assert_int_equal(t, 7);
    }
}

static void texts(void **state)
{
    (void)state;
    char out[FW_TIME_TEXT_MAX];
    assert_string_equal(fw_china_time_text(1795824000, out), "2026-11-28T08:00:00+08:00");
    assert_string_equal(fw_china_time_text(0, out), "1970-01-01T08:00:00+08:00");
    assert_string_equal(fw_china_time_text(1709164800 - 1, out), "2024-02-29T07:59:59+08:00");
    assert_string_equal(fw_utc_time_text_ms(1795824000123, out), "2026-11-28T00:00:00.123Z");
    assert_string_equal(fw_utc_time_text_ms(7, out), "1970-01-01T00:00:00.007Z");
    assert_string_equal(fw_utc_time_text_ms(-1, out), "1969-12-31T23:59:59.999Z");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(minute_of_day),
        cmocka_unit_test(windows),
        cmocka_unit_test(civil_round_trip),
        cmocka_unit_test(civil_out_of_range),
        cmocka_unit_test(texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
