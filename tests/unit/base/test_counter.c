/* test_counter.c - single-writer counters, gauges and the fixed-bucket histogram (counter.h):
 * bucket boundaries are inclusive, values past the last bound land in +Inf, sums add up, and a
 * reader thread sees a writer's counts without tearing. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fw/base/counter.h"

static const uint64_t bounds[] = {10, 100, 1000};

static void histogram_buckets(void **state)
{
    (void)state;
    fw_histogram h = {0};
    fw_histogram_observe(&h, bounds, 3, 0);
    fw_histogram_observe(&h, bounds, 3, 10); /* on the bound: that bucket */
    fw_histogram_observe(&h, bounds, 3, 11); /* just above: the next */
    fw_histogram_observe(&h, bounds, 3, 1000);
    fw_histogram_observe(&h, bounds, 3, 1001); /* past the last bound: +Inf */
    assert_int_equal(fw_counter_get(&h.bucket[0]), 2);
    assert_int_equal(fw_counter_get(&h.bucket[1]), 1);
    assert_int_equal(fw_counter_get(&h.bucket[2]), 1);
    assert_int_equal(fw_counter_get(&h.bucket[3]), 1);
    assert_int_equal(fw_counter_get(&h.sum), 0 + 10 + 11 + 1000 + 1001);

    uint64_t total[4] = {5, 0, 0, 0}, sum = 1;
    fw_histogram_sum_into(&h, 3, total, &sum);
    fw_histogram_sum_into(&h, 3, total, &sum);
    assert_int_equal(total[0], 5 + 4);
    assert_int_equal(total[3], 2);
    assert_int_equal(sum, 1 + 2 * 2022);
}

static void counter_and_gauge(void **state)
{
    (void)state;
    fw_counter c = {0};
    fw_counter_add(&c, 3);
    fw_counter_add(&c, 4);
    assert_int_equal(fw_counter_get(&c), 7);
    fw_gauge g = {0};
    fw_gauge_set(&g, 9);
    fw_gauge_set(&g, 2);
    assert_int_equal(fw_gauge_get(&g), 2);
}

#define WRITES 1000000

static void *writer(void *arg)
{
    for (unsigned i = 0; i < WRITES; i++)
        fw_counter_add(arg, 1);
    return NULL;
}

/* One writer, one reader: the reader sees a monotonic count and finally all of it. */
static void reader_on_another_thread(void **state)
{
    (void)state;
    fw_counter c = {0};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, writer, &c), 0);
    uint64_t last = 0;
    for (int i = 0; i < 10000; i++) {
        uint64_t now = fw_counter_get(&c);
        assert_true(now >= last);
        last = now;
    }
    pthread_join(t, NULL);
    assert_int_equal(fw_counter_get(&c), WRITES);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(histogram_buckets),
        cmocka_unit_test(counter_and_gauge),
        cmocka_unit_test(reader_on_another_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
