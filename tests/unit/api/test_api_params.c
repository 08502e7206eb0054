/* test_api_params.c - query strings and value checks: which parameter is blamed, and why. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "params.h"

static const char *const allowed[] = {"plate", "from", "limit", "type", NULL};

static void known_parameters_are_read(void **state)
{
    (void)state;
    api_query q;
    assert_true(api_query_init(&q,
                               "plate=%E8%8B%8FG12345&from=2026-11-28T08:00:00%2B08:00&"
                               "limit=20&type=",
                               allowed));
    assert_string_equal(api_query_str(&q, "plate"), "苏G12345");
    assert_null(api_query_str(&q, "type")); /* empty = absent */
    int64_t from;
    assert_true(api_query_time(&q, "from", 0, &from));
    assert_int_equal(from, 1795824000);
    unsigned limit;
    assert_true(api_query_uint(&q, "limit", 50, 1, 500, &limit));
    assert_int_equal(limit, 20);
    assert_true(api_query_uint(&q, "absent", 50, 1, 500, &limit));
    assert_int_equal(limit, 50);
    api_query_free(&q);
    assert_true(api_query_init(&q, NULL, allowed));
    api_query_free(&q);
}

static void unknown_repeated_and_invalid_are_blamed(void **state)
{
    (void)state;
    api_query q;
    assert_false(api_query_init(&q, "limit=5&colour=red", allowed));
    assert_string_equal(q.bad.param, "colour");
    assert_string_equal(q.bad.error, "unknown parameter");
    api_query_free(&q);
    assert_false(api_query_init(&q, "limit=5&limit=6", allowed));
    assert_string_equal(q.bad.param, "limit");
    assert_string_equal(q.bad.error, "parameter given twice");
    api_query_free(&q);
    assert_false(api_query_init(&q, "plate=%C0%AF", allowed)); /* overlong '/' */
    assert_string_equal(q.bad.param, "plate");
    api_query_free(&q);
}

static void numbers_times_and_enums(void **state)
{
    (void)state;
    api_query q;
    unsigned v;
    int64_t t;
    int e;
    static const char *const types[] = {"speeding", "fatigue"};
    assert_true(api_query_init(&q, "limit=100000&from=soon&type=fatigue", allowed));
    assert_true(api_query_uint(&q, "limit", 50, 1, 500, &v));
    assert_int_equal(v, 500); /* capped */
    assert_false(api_query_time(&q, "from", 0, &t));
    assert_string_equal(q.bad.param, "from");
    assert_true(api_query_enum(&q, "type", types, 2, &e));
    assert_int_equal(e, 1);
    assert_true(api_query_enum(&q, "plate", types, 2, &e));
    assert_int_equal(e, -1);
    api_query_free(&q);
    const char *bad_limits[] = {"limit=0", "limit=-1", "limit=1e3", "limit=12x", "limit=+5"};
    for (size_t i = 0; i < sizeof bad_limits / sizeof bad_limits[0]; i++) {
        assert_true(api_query_init(&q, bad_limits[i], allowed));
        assert_false(api_query_uint(&q, "limit", 50, 1, 500, &v));
        assert_string_equal(q.bad.param, "limit");
        api_query_free(&q);
    }
    assert_true(api_query_init(&q, "type=parking", allowed));
    assert_false(api_query_enum(&q, "type", types, 2, &e));
    assert_string_equal(q.bad.param, "type");
    assert_false(api_query_range(&q, 10, 9));
    assert_string_equal(q.bad.param, "from");
    assert_true(api_query_range(&q, 9, 9));
    api_query_free(&q);
}

static void value_checks(void **state)
{
    (void)state;
    assert_true(api_valid_phone("13800138000"));
    assert_true(api_valid_phone("012345678901234567890" + 1));
    assert_false(api_valid_phone("012345678901234567890")); /* 21 digits */
    assert_false(api_valid_phone(""));
    assert_false(api_valid_phone("1380013800a"));
    assert_true(api_valid_plate("苏G12345"));
    assert_true(api_valid_plate("粤B·D12345"));
    assert_false(api_valid_plate("苏G 12345"));
    assert_false(api_valid_plate("苏G\t1"));
    assert_false(api_valid_plate("\xe8\x8b"));       /* truncated sequence */
    assert_false(api_valid_plate("\xed\xa0\x80G1")); /* surrogate */
    assert_false(api_valid_plate("0123456789012345678901234567890123"));
    assert_true(api_valid_id("13800138000-speeding-20261128T080000Z"));
    assert_false(api_valid_id("../etc"));
    assert_false(api_valid_id("a b"));
    assert_false(api_valid_id(""));
    double lat, lon;
    assert_true(api_parse_latlon("32.0603,118.7969", &lat, &lon));
    assert_true(lat > 32.06 && lat < 32.0604 && lon > 118.79 && lon < 118.797);
    assert_true(api_parse_latlon("-90,180", &lat, &lon));
    assert_false(api_parse_latlon("91,0", &lat, &lon));
    assert_false(api_parse_latlon("0,181", &lat, &lon));
    assert_false(api_parse_latlon("32.06", &lat, &lon));
    assert_false(api_parse_latlon("32.06,", &lat, &lon));
    assert_false(api_parse_latlon("nan,1", &lat, &lon));
    assert_false(api_parse_latlon("1,2,3", &lat, &lon));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(known_parameters_are_read),
        cmocka_unit_test(unknown_repeated_and_invalid_are_blamed),
        cmocka_unit_test(numbers_times_and_enums),
        cmocka_unit_test(value_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
