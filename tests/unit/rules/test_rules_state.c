/* test_rules_state.c - the per-vehicle state: its size bound, the byte format continuing an open
 * episode on another node, rejection of damaged bytes, and the late lane for blind-area data.
 */
#include "rules_test.h"

static void size_bound(void **state)
{
    (void)state;
    assert_true(sizeof(fw_vehicle_state) <= FW_STATE_MAX_BYTES);
    uint8_t buf[1024];
    fw_vehicle_state st;
    fw_state_init(&st);
    size_t n = fw_state_save(&st, buf, sizeof(buf));
    assert_true(n > 0 && n <= FW_STATE_MAX_BYTES);
    assert_int_equal(fw_state_save(&st, buf, n - 1), 0);
}

static void continue_on_another_node(void **state)
{
    (void)state;
    rt_world a;
    rt_init(&a, FW_CLASS_DANGEROUS_GOODS);
    int64_t t = rt_drive(&a, CN(10, 0, 0), 90, 1, KMH(90));
    const fw_violation *opened = rt_last(&a, FW_VIOLATION_SPEEDING, FW_EVENT_OPENED);
    assert_non_null(opened);
    uint8_t buf[FW_STATE_MAX_BYTES];
    size_t n = fw_state_save(&a.st, buf, sizeof(buf));
    assert_true(n > 0);

    rt_world b; /* another node: same vehicle, fresh process */
    rt_init(&b, FW_CLASS_DANGEROUS_GOODS);
    b.lon_e6 = a.lon_e6;
    assert_int_equal(fw_state_load(&b.st, buf, n), 0);
    assert_memory_equal(&b.st, &a.st, sizeof(a.st));
    t = rt_drive(&b, t, 30, 1, KMH(100));
    rt_drive(&b, t, 40, 1, KMH(60));
    assert_int_equal(rt_count(&b, FW_VIOLATION_SPEEDING, FW_EVENT_OPENED), 0);
    const fw_violation *closed = rt_last(&b, FW_VIOLATION_SPEEDING, FW_EVENT_CLOSED);
    assert_non_null(closed);
    assert_string_equal(closed->id, opened->id);
    assert_int_equal(closed->start_utc, CN(10, 0, 0));
    assert_int_equal(closed->value, 1000);
    /* distance over the limit covers both nodes: 90 s at 90 + 30 s at 100 km/h */
    assert_in_range(closed->distance_m, 2950, 3150);
}

static void damaged_bytes_rejected(void **state)
{
    (void)state;
    rt_world w;
    rt_init(&w, FW_CLASS_DANGEROUS_GOODS);
    rt_drive(&w, CN(10, 0, 0), 90, 1, KMH(90));
    uint8_t buf[FW_STATE_MAX_BYTES + 1];
    size_t n = fw_state_save(&w.st, buf, sizeof(buf));
    fw_vehicle_state st;
    fw_state_init(&st);
    assert_int_equal(fw_state_load(&st, buf, n - 1), -1); /* short */
    assert_int_equal(fw_state_load(&st, buf, n + 1), -1); /* trailing byte */
    uint8_t bad[sizeof(buf)];
    memcpy(bad, buf, n);
    bad[0] = 'X';
    assert_int_equal(fw_state_load(&st, bad, n), -1); /* magic */
    memcpy(bad, buf, n);
    bad[4] = FW_STATE_VERSION + 1;
    assert_int_equal(fw_state_load(&st, bad, n), -1); /* version */
    /* the speeding episode's phase byte: after the header (5), the lane (1+1+2+4+4+4+4), the
     * evidence of the first episode (3 x 14) */
    memcpy(bad, buf, n);
    bad[5 + 20 + 42] = 7;
    assert_int_equal(fw_state_load(&st, bad, n), -1); /* impossible phase */
    memcpy(bad, buf, n);
    bad[5 + 20 + 42 + 5] = 4; /* phase, severity, limit (2), flags, subtype */
    assert_int_equal(fw_state_load(&st, bad, n), -1); /* subtype out of range */
    assert_int_equal(st.last_seen_t, 0);              /* untouched on failure */
}

/* Random bytes with a valid header either load or are refused; a loaded state then takes
 * points without reading outside itself (ASan/UBSan). */
static void random_bytes(void **state)
{
    (void)state;
    uint8_t buf[FW_STATE_MAX_BYTES];
    fw_vehicle_state ref;
    fw_state_init(&ref);
    size_t n = fw_state_save(&ref, buf, sizeof(buf));
    srand(5);
    int loaded = 0;
    for (int i = 0; i < 2000; i++) {
        for (size_t k = 5; k < n; k++)
            buf[k] = (uint8_t)(i % 2 ? rand() : (rand() % 4 == 0 ? rand() : 0));
        rt_world w;
        rt_init(&w, (fw_vehicle_class)(i % FW_CLASS__COUNT));
        if (fw_state_load(&w.st, buf, n) != 0)
            continue;
        loaded++;
        rt_drive(&w, CN(10, 0, 0), 5, 1, KMH(90));
        fw_rules_flush(&w.eng, &w.veh, &w.st);
    }
    assert_true(loaded > 0);
}

static void late_lane(void **state)
{
    (void)state;
    rt_world w;
    rt_init(&w, FW_CLASS_DANGEROUS_GOODS);
    /* live data at noon; the terminal then uploads a blind-area stretch from 11:00 */
    rt_drive(&w, CN(12, 0, 0), 60, 1, KMH(60));
    uint32_t live_drive_s = w.st.ring.current_s + w.st.ring.total_min * 60u;
    fw_position old = rt_point(&w, CN(11, 0, 0), KMH(90));
    old.late = true;
    assert_int_equal(rt_apply(&w, &old), FW_APPLY_OUT_OF_ORDER);

    fw_vehicle_state late;
    fw_state_fork_late(&w.st, &late);
    fw_vehicle_state live = w.st;
    w.st = late;
    w.late = true;
    rt_drive(&w, CN(11, 0, 0), 600, 1, KMH(90));
    fw_rules_flush(&w.eng, &w.veh, &w.st);
    const fw_violation *c = rt_last(&w, FW_VIOLATION_SPEEDING, FW_EVENT_CLOSED);
    assert_non_null(c);
    assert_true(c->late);
    assert_int_equal(c->start_utc, CN(11, 0, 0));
    late = w.st;
    fw_state_merge_late(&live, &late);
    uint32_t merged_s = live.ring.current_s + live.ring.total_min * 60u;
    assert_in_range(merged_s, live_drive_s + 540, live_drive_s + 660);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(size_bound),
        cmocka_unit_test(continue_on_another_node),
        cmocka_unit_test(damaged_bytes_rejected),
        cmocka_unit_test(random_bytes),
        cmocka_unit_test(late_lane),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
