/* test_sessions.c - the phone -> connection map: claim, replacement, stale release. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>

#include "sessions.h"

static void claim_replace_release(void **state)
{
    (void)state;
    fw_sessions *s = fw_sessions_new(4);
    fw_conn_ref a = {0, 5, 1}, b = {1, 7, 3}, old, found;
    assert_int_equal(fw_sessions_claim(s, "13800000001", a, &old), 0);
    assert_int_equal(fw_sessions_claim(s, "13800000001", a, &old), 0); /* same connection */
    assert_true(fw_sessions_find(s, "13800000001", &found));
    assert_int_equal(found.slot, 5);
    assert_int_equal(fw_sessions_claim(s, "13800000001", b, &old), 1);
    assert_int_equal(old.worker, 0);
    assert_int_equal(old.slot, 5);
    assert_int_equal(old.gen, 1);
    /* the replaced connection closing must not remove the new session */
    fw_sessions_release(s, "13800000001", a);
    assert_true(fw_sessions_find(s, "13800000001", &found));
    assert_int_equal(found.worker, 1);
    fw_sessions_release(s, "13800000001", b);
    assert_false(fw_sessions_find(s, "13800000001", &found));
    assert_int_equal(fw_sessions_count(s), 0);
    assert_int_equal(fw_sessions_claim(s, "123456789012345678901", a, &old), -1);
    fw_sessions_free(s);
}

static void many_phones_share_buckets(void **state)
{
    (void)state;
    fw_sessions *s = fw_sessions_new(16);
    char phone[24];
    fw_conn_ref old, found;
    for (uint32_t i = 0; i < 1000; i++) {
        snprintf(phone, sizeof phone, "139%08u", i);
        fw_conn_ref r = {i % 2, i, i * 3};
        assert_int_equal(fw_sessions_claim(s, phone, r, &old), 0);
    }
    assert_int_equal(fw_sessions_count(s), 1000);
    for (uint32_t i = 0; i < 1000; i += 7) {
        snprintf(phone, sizeof phone, "139%08u", i);
        assert_true(fw_sessions_find(s, phone, &found));
        assert_int_equal(found.gen, i * 3);
    }
    fw_sessions_free(s);
}

typedef struct {
    fw_sessions *s;
    uint32_t worker;
} thread_arg;

static void *hammer(void *p)
{
    thread_arg *a = p;
    char phone[24];
    fw_conn_ref old;
    for (uint32_t i = 0; i < 2000; i++) {
        snprintf(phone, sizeof phone, "%u", i % 50);
        fw_conn_ref r = {a->worker, i, 1};
        (void)fw_sessions_claim(a->s, phone, r, &old);
        fw_sessions_release(a->s, phone, r);
    }
    return NULL;
}

static void concurrent_claims_are_consistent(void **state)
{
    (void)state;
    fw_sessions *s = fw_sessions_new(64);
    pthread_t t[4];
    thread_arg args[4];
    for (uint32_t i = 0; i < 4; i++) {
        args[i] = (thread_arg){s, i};
        pthread_create(&t[i], NULL, hammer, &args[i]);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    /* every claim was followed by its own release, unless another thread replaced it first */
    assert_true(fw_sessions_count(s) <= 50);
    fw_sessions_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(claim_replace_release),
        cmocka_unit_test(many_phones_share_buckets),
        cmocka_unit_test(concurrent_claims_are_consistent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
