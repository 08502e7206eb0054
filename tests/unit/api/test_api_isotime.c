/* test_api_isotime.c - query times (ISO-8601 with or without offset, epoch) and +08:00 output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "isotime.h"

static int64_t parse(const char *text)
{
    int64_t t = -7;
    return api_time_parse(text, &t) == 0 ? t : -1;
}

static void epoch_seconds_pass_through(void **state)
{
    (void)state;
    assert_int_equal(parse("0"), 0);
    assert_int_equal(parse("1764316800"), 1764316800);
    assert_int_equal(parse("123456789012"), -1); /* 12 digits: not seconds */
    assert_int_equal(parse("-5"), -1);
}

static void offsets_are_applied(void **state)
{
    (void)state;
    /* 2026-11-28T08:00:00+08:00 == 2026-11-28T00:00:00Z == 1795824000 */
    assert_int_equal(parse("2026-11-28T08:00:00+08:00"), 1795824000);
    assert_int_equal(parse("2026-11-28T00:00:00Z"), 1795824000);
    assert_int_equal(parse("2026-11-28T00:00:00z"), -1);
    assert_int_equal(parse("2026-11-28T08:00:00+0800"), 1795824000);
    assert_int_equal(parse("2026-11-28T08:00:00+08"), 1795824000);
    assert_int_equal(parse("2026-11-27T19:00:00-05:00"), 1795824000);
    assert_int_equal(parse("2026-11-28T08:00:00 08:00"), 1795824000); /* unescaped '+' */
    assert_int_equal(parse("2026-11-28T08:00:00.250+08:00"), 1795824000);
}

static void no_offset_means_china_time(void **state)
{
    (void)state;
    assert_int_equal(parse("2026-11-28T08:00:00"), 1795824000);
    assert_int_equal(parse("2026-11-28T08:00"), 1795824000);
    assert_int_equal(parse("2026-11-28 08:00:00"), 1795824000);
    assert_int_equal(parse("2026-11-28"), 1795824000 - 8 * 3600);
}

static void malformed_and_impossible_dates_fail(void **state)
{
    (void)state;
    const char *bad[] = {"",
                         "yesterday",
                         "2026-13-01",
                         "2026-02-29",
                         "2026-11-31T00:00:00Z",
                         "2026-11-28T24:00:00Z",
                         "2026-11-28T08:60:00Z",
                         "2026-11-28T08:00:00+15:00",
                         "2026-11-28T08:00:00+08:00x",
                         "2026-11-28T08",
                         "1969-12-31T23:59:59Z",
                         "2026-11-28T08:00:00.+08:00"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(parse(bad[i]), -1);
    assert_int_equal(parse("2024-02-29T00:00:00Z"), 1709164800); /* leap day */
}

static void format_is_china_time(void **state)
{
    (void)state;
    char out[FW_TIME_TEXT_MAX]; /* the texts themselves: tests/unit/base/test_china_time.c */
    /* every formatted time parses back to itself */
    for (int64_t t = 0; t < 4102444800; t += 86400 * 37 + 3601)
        assert_int_equal(parse(fw_china_time_text(t, out)), t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(epoch_seconds_pass_through),
        cmocka_unit_test(offsets_are_applied),
        cmocka_unit_test(no_offset_means_china_time),
        cmocka_unit_test(malformed_and_impossible_dates_fail),
        cmocka_unit_test(format_is_china_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
