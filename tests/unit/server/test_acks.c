/* test_acks.c - pending-ack slots: the guard reference, failures, exhaustion, reuse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "acks.h"

typedef struct {
    int completed;
    fw_ack_slot last;
} record;

static void on_complete(void *ctx, const fw_ack_slot *slot)
{
    record *r = ctx;
    r->completed++;
    r->last = *slot;
}

static void completes_after_all_references(void **state)
{
    (void)state;
    record rec = {0};
    fw_ack_pool p;
    assert_int_equal(fw_ack_pool_init(&p, 4, on_complete, &rec), 0);
    fw_ack_slot *s = fw_ack_begin(&p, 3, 9, 0x1234, 0x0704, 100);
    assert_non_null(s);
    fw_ack_hold(s);
    fw_ack_hold(s);
    fw_ack_release(s, 0);               /* first location stored */
    fw_ack_release(s, 0);               /* second */
    assert_int_equal(rec.completed, 0); /* guard still held */
    fw_ack_release(s, 0);
    assert_int_equal(rec.completed, 1);
    assert_int_equal(rec.last.serial, 0x1234);
    assert_int_equal(rec.last.msg_id, 0x0704);
    assert_int_equal(rec.last.conn_slot, 3);
    assert_int_equal(rec.last.conn_gen, 9);
    assert_int_equal(rec.last.result, 0);
    assert_int_equal(p.in_use, 0);
    fw_ack_pool_destroy(&p);
}

static void synchronous_completion_inside_submit_is_safe(void **state)
{
    (void)state;
    record rec = {0};
    fw_ack_pool p;
    fw_ack_pool_init(&p, 2, on_complete, &rec);
    fw_ack_slot *s = fw_ack_begin(&p, 0, 0, 1, 0x0200, 0);
    fw_ack_hold(s);
    fw_ack_release(s, 0); /* a null sink completes inside submit */
    assert_int_equal(rec.completed, 0);
    fw_ack_release(s, 0);
    assert_int_equal(rec.completed, 1);
    fw_ack_pool_destroy(&p);
}

static void failure_marks_result_one(void **state)
{
    (void)state;
    record rec = {0};
    fw_ack_pool p;
    fw_ack_pool_init(&p, 2, on_complete, &rec);
    fw_ack_slot *s = fw_ack_begin(&p, 0, 0, 1, 0x0704, 0);
    fw_ack_hold(s);
    fw_ack_hold(s);
    fw_ack_release(s, 0);
    fw_ack_release(s, 5);
    fw_ack_release(s, 0);
    assert_int_equal(rec.last.result, 1);
    fw_ack_pool_destroy(&p);
}

static void exhaustion_and_reuse(void **state)
{
    (void)state;
    record rec = {0};
    fw_ack_pool p;
    fw_ack_pool_init(&p, 2, on_complete, &rec);
    fw_ack_slot *a = fw_ack_begin(&p, 0, 0, 1, 0x0200, 0);
    fw_ack_slot *b = fw_ack_begin(&p, 0, 0, 2, 0x0200, 0);
    assert_non_null(a);
    assert_non_null(b);
    assert_null(fw_ack_begin(&p, 0, 0, 3, 0x0200, 0));
    fw_ack_release(a, 0);
    fw_ack_slot *c = fw_ack_begin(&p, 0, 0, 4, 0x0200, 0);
    assert_ptr_equal(c, a);
    assert_int_equal(c->result, 0);
    fw_ack_release(b, 0);
    fw_ack_release(c, 0);
    assert_int_equal(rec.completed, 3);
    fw_ack_pool_destroy(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(completes_after_all_references),
        cmocka_unit_test(synchronous_completion_inside_submit_is_safe),
        cmocka_unit_test(failure_marks_result_one),
        cmocka_unit_test(exhaustion_and_reuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
