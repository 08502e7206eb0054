/* test_sim_hist.c - the simulator's latency histogram: bucket bounds, percentiles, merging. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sim_hist.h"

static void values_fall_inside_their_bucket(void **state)
{
    (void)state;
    for (uint64_t v = 0; v < 5000000; v = v < 200 ? v + 1 : v + v / 7) {
        size_t b = sim_hist_bucket_of(v);
        assert_true(b < SIM_HIST_BUCKETS);
        assert_true(sim_hist_bucket_low(b) <= v);
        assert_true(v <= sim_hist_bucket_high(b));
        if (b + 1 < SIM_HIST_BUCKETS)
            assert_int_equal(sim_hist_bucket_low(b + 1), sim_hist_bucket_high(b) + 1);
    }
}

static void small_values_are_exact_and_large_ones_within_one_32nd(void **state)
{
    (void)state;
    for (uint64_t v = 0; v < 64; v++)
        assert_int_equal(sim_hist_bucket_low(sim_hist_bucket_of(v)), v);
    for (uint64_t v = 64; v < ((uint64_t)1 << 39); v = v * 3 + 1) {
        size_t b = sim_hist_bucket_of(v);
        uint64_t width = sim_hist_bucket_high(b) - sim_hist_bucket_low(b) + 1;
        assert_true(width * 32 <= sim_hist_bucket_low(b));
    }
}

static void huge_values_are_clamped(void **state)
{
    (void)state;
    assert_int_equal(sim_hist_bucket_of(UINT64_MAX), SIM_HIST_BUCKETS - 1);
    sim_hist h;
    sim_hist_reset(&h);
    sim_hist_record(&h, UINT64_MAX);
    assert_int_equal(h.max_us, UINT64_MAX);
    assert_int_equal(sim_hist_percentile(&h, 50), sim_hist_bucket_high(SIM_HIST_BUCKETS - 1));
}

static void percentiles_of_a_uniform_spread(void **state)
{
    (void)state;
    static sim_hist h;
    sim_hist_reset(&h);
    for (uint64_t v = 1; v <= 10000; v++)
        sim_hist_record(&h, v);
    uint64_t p50 = sim_hist_percentile(&h, 50), p99 = sim_hist_percentile(&h, 99);
    assert_true(p50 >= 5000 && p50 <= 5000 + 5000 / 32);
    assert_true(p99 >= 9900 && p99 <= 10000);
    assert_int_equal(sim_hist_percentile(&h, 100), 10000);
    assert_int_equal(h.min_us, 1);
    assert_int_equal(h.count, 10000);
    assert_int_equal(h.sum_us, 10000u * 10001u / 2u);
}

static void percentile_is_never_above_the_maximum(void **state)
{
    (void)state;
    static sim_hist h;
    sim_hist_reset(&h);
    sim_hist_record(&h, 1000);
    assert_int_equal(sim_hist_percentile(&h, 50), 1000);
    assert_int_equal(sim_hist_percentile(&h, 99.9), 1000);
}

static void empty_histogram_reports_zero(void **state)
{
    (void)state;
    static sim_hist h;
    sim_hist_reset(&h);
    assert_int_equal(sim_hist_percentile(&h, 99), 0);
    assert_int_equal(h.count, 0);
}

static void merged_histograms_equal_one_recording_everything(void **state)
{
    (void)state;
    static sim_hist a, b, all;
    sim_hist_reset(&a);
    sim_hist_reset(&b);
    sim_hist_reset(&all);
    for (uint64_t v = 3; v < 100000; v += 17) {
        sim_hist_record(v % 2 ? &a : &b, v);
        sim_hist_record(&all, v);
    }
    sim_hist_merge(&a, &b);
    assert_memory_equal(&a, &all, sizeof a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(values_fall_inside_their_bucket),
        cmocka_unit_test(small_values_are_exact_and_large_ones_within_one_32nd),
        cmocka_unit_test(huge_values_are_clamped),
        cmocka_unit_test(percentiles_of_a_uniform_spread),
        cmocka_unit_test(percentile_is_never_above_the_maximum),
        cmocka_unit_test(empty_histogram_reports_zero),
        cmocka_unit_test(merged_histograms_equal_one_recording_everything),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
