/* test_tables.c - unit tests of the pipeline's per-worker tables
 * (src/pipeline): the phone -> rule state table (vehicles.c, checked against a plain model
 * under random churn) and the blind-area late lanes (late_lanes.c, with the real engine).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "late_lanes.h"
#include "vehicles.h"

static void phone_of(unsigned i, char *out)
{
    snprintf(out, FW_PHONE_MAX + 1, "139%08u", i);
}

static void table_full_and_find(void **state)
{
    (void)state;
    vehicles t;
    char phone[FW_PHONE_MAX + 1];
    assert_int_equal(vehicles_init(&t, 64), 0);
    for (unsigned i = 0; i < 64; i++) {
        phone_of(i, phone);
        vehicle *v = vehicles_add(&t, phone, &t);
        assert_non_null(v);
        assert_int_equal(v->status, VEH_READY);
        assert_int_equal(v->lane, VEH_NO_LANE);
        assert_ptr_equal(v->owner, &t);
    }
    phone_of(64, phone);
    assert_null(vehicles_add(&t, phone, &t)); /* full */
    for (unsigned i = 0; i < 64; i++) {
        phone_of(i, phone);
        vehicle *v = vehicles_find(&t, phone);
        assert_non_null(v);
        assert_string_equal(v->phone, phone);
    }
    phone_of(64, phone);
    assert_null(vehicles_find(&t, phone)); /* never added */
    vehicles_destroy(&t);
}

/* Random adds and removes against a model: every present phone is found, every removed one is
 * not (backward-shift deletion must keep the probe runs intact). */
static void table_churn_matches_model(void **state)
{
    (void)state;
    enum { CAP = 200, PHONES = 400, OPS = 20000 };
    vehicles t;
    bool present[PHONES] = {false};
    unsigned used = 0;
    char phone[FW_PHONE_MAX + 1];
    assert_int_equal(vehicles_init(&t, CAP), 0);
    srand(7);
    for (unsigned op = 0; op < OPS; op++) {
        unsigned i = (unsigned)rand() % PHONES;
        phone_of(i, phone);
        vehicle *v = vehicles_find(&t, phone);
        assert_int_equal(v != NULL, present[i]);
        if (v) {
            vehicles_remove(&t, v);
            present[i] = false;
            used--;
        } else if (used < CAP) {
            assert_non_null(vehicles_add(&t, phone, NULL));
            present[i] = true;
            used++;
        }
    }
    assert_int_equal(t.used, used);
    for (unsigned i = 0; i < PHONES; i++) {
        phone_of(i, phone);
        assert_int_equal(vehicles_find(&t, phone) != NULL, present[i]);
    }
    vehicles_destroy(&t);
}

static void table_oldest_skips_loading(void **state)
{
    (void)state;
    vehicles t;
    char phone[FW_PHONE_MAX + 1];
    assert_int_equal(vehicles_init(&t, 8), 0);
    vehicle *v[3];
    for (unsigned i = 0; i < 3; i++) {
        phone_of(i, phone);
        v[i] = vehicles_add(&t, phone, NULL);
        v[i]->seen_ms = 1000 - i; /* v[2] is the oldest */
    }
    v[2]->status = VEH_LOADING;
    assert_ptr_equal(vehicles_oldest(&t), v[1]);
    vehicles_destroy(&t);
}

/* ---- late lanes -------------------------------------------------------------------------- */

typedef struct {
    unsigned opened, closed, late;
} event_count;

static void count_event(void *ctx, const fw_violation *v)
{
    event_count *c = ctx;
    c->opened += v->phase == FW_EVENT_OPENED;
    c->closed += v->phase == FW_EVENT_CLOSED;
    c->late += v->late;
}

static fw_position point_at(int64_t t, uint16_t speed_dkmh, bool late)
{
    /* driving north along a meridian at the given speed, one point per 10 s */
    fw_position p = {.time_utc = t,
                     .lat_e6 = 34600000 + (int32_t)(t % 100000) * speed_dkmh / 360,
                     .lon_e6 = 119300000,
                     .speed_dkmh = speed_dkmh,
                     .gnss_speed_dkmh = speed_dkmh,
                     .status = 3,
                     .fixed = true,
                     .late = late};
    return p;
}

typedef struct {
    fw_rules_config cfg;
    event_count events;
    fw_rules_engine eng;
    vehicles t;
    late_lanes lanes;
} lane_fixture;

static void lane_fixture_init(lane_fixture *f, uint32_t vehicles_cap)
{
    memset(f, 0, sizeof *f);
    fw_rules_config_default(&f->cfg);
    f->eng = (fw_rules_engine){&f->cfg, NULL, {count_event, NULL, &f->events}};
    assert_int_equal(vehicles_init(&f->t, vehicles_cap), 0);
    late_lanes_init(&f->lanes);
}

static vehicle *dangerous_goods(lane_fixture *f, unsigned i)
{
    char phone[FW_PHONE_MAX + 1];
    phone_of(i, phone);
    vehicle *v = vehicles_add(&f->t, phone, NULL);
    strcpy(v->profile.phone, phone);
    strcpy(v->profile.plate, "苏G00001");
    v->profile.vclass = FW_CLASS_DANGEROUS_GOODS; /* 80 km/h cap on an unknown road */
    return v;
}

/* Live points up to t0 + 3000, then a blind-area run from t0 at 95 km/h: refused by the live
 * state, evaluated in the lane (speeding found, marked late), closed by late_lanes_close. */
static void late_run_goes_to_a_lane(void **state)
{
    (void)state;
    static lane_fixture f;
    lane_fixture_init(&f, 4);
    vehicle *v = dangerous_goods(&f, 1);
    const int64_t t0 = 1795826400;
    for (int64_t t = t0 + 2000; t <= t0 + 3000; t += 10) {
        fw_position p = point_at(t, 500, false);
        assert_int_equal(fw_rules_apply(&f.eng, &v->profile, &v->state, &p), FW_APPLY_OK);
    }
    for (int64_t t = t0; t < t0 + 300; t += 10) {
        fw_position p = point_at(t, 950, true);
        assert_int_equal(fw_rules_apply(&f.eng, &v->profile, &v->state, &p), FW_APPLY_OUT_OF_ORDER);
        assert_int_equal(late_lanes_apply(&f.lanes, &f.eng, v, &p, 1000 + t - t0), FW_APPLY_OK);
    }
    assert_int_not_equal(v->lane, VEH_NO_LANE);
    assert_int_equal(f.events.opened, 1);
    assert_int_equal(f.events.closed, 0);
    late_lanes_close_idle(&f.lanes, &f.eng, 1000 + 300, 5000); /* not idle long enough */
    assert_int_not_equal(v->lane, VEH_NO_LANE);
    late_lanes_close(&f.lanes, &f.eng, v);
    assert_int_equal(v->lane, VEH_NO_LANE);
    assert_true(v->dirty);
    assert_int_equal(f.events.closed, 1);
    assert_int_equal(f.events.late, 2);
    vehicles_destroy(&f.t);
}

/* A point older than the lane's last one ends the run: the lane is closed and a new one opened. */
static void older_run_restarts_the_lane(void **state)
{
    (void)state;
    static lane_fixture f;
    lane_fixture_init(&f, 4);
    vehicle *v = dangerous_goods(&f, 2);
    const int64_t t0 = 1795826400;
    fw_position live = point_at(t0 + 5000, 500, false);
    fw_rules_apply(&f.eng, &v->profile, &v->state, &live);
    for (int64_t t = t0 + 1000; t < t0 + 1200; t += 10) {
        fw_position p = point_at(t, 950, true);
        late_lanes_apply(&f.lanes, &f.eng, v, &p, 0);
    }
    assert_int_equal(f.events.opened, 1);
    fw_position older = point_at(t0, 950, true);
    assert_int_equal(late_lanes_apply(&f.lanes, &f.eng, v, &older, 0), FW_APPLY_OK);
    assert_int_equal(f.events.closed, 1); /* the first run's episode */
    assert_int_not_equal(v->lane, VEH_NO_LANE);
    vehicles_destroy(&f.t);
}

/* Every lane busy: the least recently used one is closed for a new vehicle. */
static void lanes_are_recycled_lru(void **state)
{
    (void)state;
    static lane_fixture f;
    lane_fixture_init(&f, LATE_LANES + 1);
    vehicle *v[LATE_LANES + 1];
    const int64_t t0 = 1795826400;
    for (unsigned i = 0; i <= LATE_LANES; i++) {
        v[i] = dangerous_goods(&f, 100 + i);
        fw_position live = point_at(t0 + 5000, 500, false);
        fw_rules_apply(&f.eng, &v[i]->profile, &v[i]->state, &live);
        fw_position p = point_at(t0, 500, true);
        late_lanes_apply(&f.lanes, &f.eng, v[i], &p, i == 0 ? 50 : 100 + i);
    }
    assert_int_equal(v[0]->lane, VEH_NO_LANE); /* oldest, recycled */
    for (unsigned i = 1; i <= LATE_LANES; i++)
        assert_int_not_equal(v[i]->lane, VEH_NO_LANE);
    late_lanes_close_idle(&f.lanes, &f.eng, 0, -1);
    for (unsigned i = 0; i <= LATE_LANES; i++)
        assert_int_equal(v[i]->lane, VEH_NO_LANE);
    vehicles_destroy(&f.t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_full_and_find),         cmocka_unit_test(table_churn_matches_model),
        cmocka_unit_test(table_oldest_skips_loading),  cmocka_unit_test(late_run_goes_to_a_lane),
        cmocka_unit_test(older_run_restarts_the_lane), cmocka_unit_test(lanes_are_recycled_lru),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
