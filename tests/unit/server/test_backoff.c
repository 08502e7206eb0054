/* test_backoff.c - failures per key: free up to the limit, then shut-outs doubling to the
 * maximum, forgetting on success and after a quiet maximum, and a full table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "backoff.h"

static void limit_then_doubling_to_max(void **state)
{
    (void)state;
    fw_backoff_config cfg = {.limit = 3, .base_s = 10, .max_s = 60, .max_keys = 64};
    fw_backoff *b = fw_backoff_new(&cfg);
    uint32_t t = 1000;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(fw_backoff_fail(b, "13800000001", t), 0);
        assert_int_equal(fw_backoff_wait(b, "13800000001", t), 0);
    }
    assert_int_equal(fw_backoff_fail(b, "13800000001", t), 10);
    assert_int_equal(fw_backoff_wait(b, "13800000001", t + 4), 6);
    assert_int_equal(fw_backoff_wait(b, "13800000002", t), 0); /* other keys unaffected */
    assert_int_equal(fw_backoff_fail(b, "13800000001", t + 10), 20);
    assert_int_equal(fw_backoff_fail(b, "13800000001", t + 30), 40);
    assert_int_equal(fw_backoff_fail(b, "13800000001", t + 70), 60); /* capped */
    assert_int_equal(fw_backoff_fail(b, "13800000001", t + 100), 60);
    fw_backoff_clear(b, "13800000001");
    assert_int_equal(fw_backoff_wait(b, "13800000001", t + 101), 0);
    assert_int_equal(fw_backoff_fail(b, "13800000001", t + 101), 0); /* counting again */
    fw_backoff_free(b);
}

static void quiet_keys_are_forgotten(void **state)
{
    (void)state;
    fw_backoff_config cfg = {.limit = 1, .base_s = 5, .max_s = 100, .max_keys = 64};
    fw_backoff *b = fw_backoff_new(&cfg);
    assert_int_equal(fw_backoff_fail(b, "10.0.0.1:0", 0), 0);
    assert_int_equal(fw_backoff_fail(b, "10.0.0.1:0", 50), 5);
    /* quiet for max_s after the last failure: starts from scratch */
    assert_int_equal(fw_backoff_fail(b, "10.0.0.1:0", 160), 0);
    fw_backoff_free(b);
}

static void limit_zero_never_shuts_out(void **state)
{
    (void)state;
    fw_backoff_config cfg = {.limit = 0, .base_s = 5, .max_s = 100, .max_keys = 8};
    fw_backoff *b = fw_backoff_new(&cfg);
    for (int i = 0; i < 100; i++)
        assert_int_equal(fw_backoff_fail(b, "x", (uint32_t)i), 0);
    assert_int_equal(fw_backoff_wait(b, "x", 100), 0);
    fw_backoff_free(b);
}

static void a_full_table_keeps_the_longest_shut_outs(void **state)
{
    (void)state;
    fw_backoff_config cfg = {.limit = 1, .base_s = 1000, .max_s = 100000, .max_keys = 16};
    fw_backoff *b = fw_backoff_new(&cfg);
    fw_backoff_fail(b, "attacked", 0);
    assert_int_equal(fw_backoff_fail(b, "attacked", 0), 1000);
    fw_backoff_fail(b, "attacked", 1);
    fw_backoff_fail(b, "attacked", 2); /* shut out for 4000 s */
    char key[32];
    for (int i = 0; i < 1000; i++) { /* a flood of other keys with one failure each */
        snprintf(key, sizeof key, "k%d", i);
        fw_backoff_fail(b, key, 3);
    }
    assert_true(fw_backoff_wait(b, "attacked", 4) > 3000);
    fw_backoff_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(limit_then_doubling_to_max),
        cmocka_unit_test(quiet_keys_are_forgotten),
        cmocka_unit_test(limit_zero_never_shuts_out),
        cmocka_unit_test(a_full_table_keeps_the_longest_shut_outs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
