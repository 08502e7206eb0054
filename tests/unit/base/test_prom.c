/* test_prom.c - the Prometheus text writer (prom.h): exact text of families, labelled samples
 * and histograms, escaping, and the snprintf convention at every buffer size. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fw/base/prom.h"

static size_t render_sample_set(void *ctx, char *out, size_t cap)
{
    (void)ctx;
    fw_prom p;
    fw_prom_init(&p, out, cap);
    fw_prom_metric(&p, "x_up", FW_PROM_GAUGE, "Up.", 1);
    fw_prom_family(&p, "x_req_total", FW_PROM_COUNTER, NULL);
    fw_prom_sample(&p, "x_req_total", 18446744073709551615ull, "route", "a", "code", "2xx", NULL);
    static const uint64_t bounds_us[] = {100, 2500};
    static const uint64_t buckets[] = {1, 0, 2};
    fw_prom_histogram(&p, "x_lat_seconds", "Latency.", bounds_us, 2, 1e6, buckets, 5003080);
    return fw_prom_len(&p);
}

static const char expected[] = "# HELP x_up Up.\n"
                               "# TYPE x_up gauge\n"
                               "x_up 1\n"
                               "# TYPE x_req_total counter\n"
                               "x_req_total{route=\"a\",code=\"2xx\"} 18446744073709551615\n"
                               "# HELP x_lat_seconds Latency.\n"
                               "# TYPE x_lat_seconds histogram\n"
                               "x_lat_seconds_bucket{le=\"0.0001\"} 1\n"
                               "x_lat_seconds_bucket{le=\"0.0025\"} 1\n"
                               "x_lat_seconds_bucket{le=\"+Inf\"} 3\n"
                               "x_lat_seconds_sum 5.003080\n"
                               "x_lat_seconds_count 3\n";

static void exact_text(void **state)
{
    (void)state;
    char out[1024];
    assert_int_equal(render_sample_set(NULL, out, sizeof out), strlen(expected));
    assert_string_equal(out, expected);
}

/* Every cap from 0 up: the length is always the full one, the text a NUL-terminated prefix. */
static void truncation_like_snprintf(void **state)
{
    (void)state;
    size_t need = strlen(expected);
    assert_int_equal(render_sample_set(NULL, NULL, 0), need);
    for (size_t cap = 1; cap <= need + 1; cap++) {
        char out[1024];
        memset(out, 'Z', sizeof out);
        assert_int_equal(render_sample_set(NULL, out, cap), need);
        assert_int_equal(strlen(out), cap - 1);
        assert_memory_equal(out, expected, cap - 1);
        assert_int_equal(out[cap], 'Z'); /* nothing past cap */
    }
}

static void escaping(void **state)
{
    (void)state;
    char out[256];
    fw_prom p;
    fw_prom_init(&p, out, sizeof out);
    fw_prom_family(&p, "e", FW_PROM_GAUGE, "a\\b\nc \"q\"");
    fw_prom_sample(&p, "e", 7, "l", "x\"y\\z\n", NULL);
    assert_string_equal(out,
                        "# HELP e a\\\\b\\nc \"q\"\n# TYPE e gauge\ne{l=\"x\\\"y\\\\z\\n\"} 7\n");
    assert_int_equal(fw_prom_len(&p), strlen(out));
}

/* A hook appended where the text stands, also when the buffer is already full. */
static void append_hook(void **state)
{
    (void)state;
    size_t need = strlen(expected);
    char out[2048];
    for (size_t cap = 0; cap < 2 * need + 3; cap += 7) {
        fw_prom p;
        fw_prom_init(&p, cap ? out : NULL, cap);
        fw_prom_metric(&p, "x_first", FW_PROM_COUNTER, NULL, 2);
        fw_prom_append(&p, render_sample_set, NULL);
        fw_prom_append(&p, render_sample_set, NULL);
        size_t head = strlen("# TYPE x_first counter\nx_first 2\n");
        assert_int_equal(fw_prom_len(&p), head + 2 * need);
        if (cap > head + 2 * need)
            assert_memory_equal(out + head + need, expected, need);
        if (cap)
            assert_int_equal(strlen(out), cap - 1 < head + 2 * need ? cap - 1 : head + 2 * need);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exact_text),
        cmocka_unit_test(truncation_like_snprintf),
        cmocka_unit_test(escaping),
        cmocka_unit_test(append_hook),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
