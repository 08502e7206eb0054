/* test_rules_overload.c - the overload rule: trucks by rated load (tiers of the maximum gross mass
 * or of the rated load) and by the gross-mass limit for the axle count with its 1,000 kg
 * warning margin; coaches by passengers (item or 0x1005 sums) with the child allowance.
 */
#include "rules_test.h"

/* Drive 2 minutes at 60 km/h with the given load or passengers on every point. */
static void drive_loaded(rt_world *w, int64_t t, bool load, uint32_t value)
{
    for (int i = 0; i < 120; i++) {
        fw_position p = rt_point(w, t + i, KMH(60));
        p.has_load = load;
        p.load_kg = value;
        p.has_passengers = !load;
        p.passengers = (uint16_t)value;
        rt_apply(w, &p);
        rt_move(w, KMH(60), 1);
    }
}

typedef struct {
    const char *name;
    uint32_t rated_kg, max_gross_kg;
    uint8_t axles;
    bool articulated, tiers_of_rated;
    uint32_t load_kg;
    int opened;
    uint8_t subtype;
    fw_severity severity;
    uint32_t value, limit;
} truck_case;

static const truck_case trucks[] = {
    {"exactly the rated load", 10000, 18000, 2, false, false, 10000, 0, 0, 0, 0, 0},
    {"1 kg over the rated load", 10000, 18000, 2, false, false, 10001, 1, FW_OVERLOAD_RATED_LOAD,
     FW_SEVERITY_MINOR, 10001, 10000},
    /* 5,400 kg over = 30% of the 18 t maximum gross mass */
    {"30% of max gross over: serious", 10000, 18000, 5, false, false, 15400, 1,
     FW_OVERLOAD_RATED_LOAD, FW_SEVERITY_SERIOUS, 15400, 10000},
    {"29.9% of max gross over: minor", 10000, 18000, 5, false, false, 15390, 1,
     FW_OVERLOAD_RATED_LOAD, FW_SEVERITY_MINOR, 15390, 10000},
    {"tiers of the rated load: 50% severe", 10000, 18000, 5, false, true, 15000, 1,
     FW_OVERLOAD_RATED_LOAD, FW_SEVERITY_SEVERE, 15000, 10000},
    /* curb 5 t + load 13.5..14.001 t against the 2-axle 18 t limit */
    {"axle limit +500 kg: warning only", 20000, 25000, 2, false, false, 13500, 1,
     FW_OVERLOAD_AXLE_LIMIT, FW_SEVERITY_WARNING, 18500, 18000},
    {"axle limit +1000 kg: warning only", 20000, 25000, 2, false, false, 14000, 1,
     FW_OVERLOAD_AXLE_LIMIT, FW_SEVERITY_WARNING, 19000, 18000},
    {"axle limit +1001 kg: minor", 20000, 25000, 2, false, false, 14001, 1, FW_OVERLOAD_AXLE_LIMIT,
     FW_SEVERITY_MINOR, 19001, 18000},
    {"3 axles articulated: 27 t", 22000, 27000, 3, true, false, 21900, 0, 0, 0, 0, 0},
    {"3 axles rigid: 25 t", 22000, 27000, 3, false, false, 21900, 1, FW_OVERLOAD_AXLE_LIMIT,
     FW_SEVERITY_MINOR, 26900, 25000},
    {"4 axles articulated: 36 t", 30000, 36000, 4, true, false, 30000, 0, 0, 0, 0, 0},
};

static void truck_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(trucks) / sizeof(trucks[0]); i++) {
        const truck_case *c = &trucks[i];
        print_message("case: %s\n", c->name);
        rt_world w;
        rt_init(&w, FW_CLASS_TRUCK);
        w.veh.rated_load_kg = c->rated_kg;
        w.veh.max_gross_kg = c->max_gross_kg;
        w.veh.axles = c->axles;
        w.veh.articulated = c->articulated;
        w.cfg.load_tiers_of_gross = !c->tiers_of_rated;
        drive_loaded(&w, CN(10, 0, 0), true, c->load_kg);
        assert_int_equal(rt_count(&w, FW_VIOLATION_OVERLOAD, FW_EVENT_OPENED), c->opened);
        const fw_violation *v = rt_last(&w, FW_VIOLATION_OVERLOAD, FW_EVENT_OPENED);
        if (!c->opened)
            continue;
        assert_int_equal(v->subtype, c->subtype);
        assert_int_equal(v->severity, c->severity);
        assert_int_equal(v->value, c->value);
        assert_int_equal(v->limit, c->limit);
        assert_string_equal(v->unit, "kg");
    }
}

typedef struct {
    const char *name;
    bool child_allowance;
    uint16_t passengers;
    int opened;
    fw_severity severity;
} coach_case;

static const coach_case coaches[] = {
    {"all seats taken", false, 40, 0, 0},
    {"one over the seats", false, 41, 1, FW_SEVERITY_MINOR},
    {"20% over: serious", false, 48, 1, FW_SEVERITY_SERIOUS},
    {"child allowance: 10% over allowed", true, 44, 0, 0},
    {"child allowance: one more", true, 45, 1, FW_SEVERITY_MINOR},
};

static void coach_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(coaches) / sizeof(coaches[0]); i++) {
        const coach_case *c = &coaches[i];
        print_message("case: %s\n", c->name);
        rt_world w;
        rt_init(&w, FW_CLASS_LINE_COACH);
        w.veh.approved_seats = 40;
        w.cfg.child_allowance = c->child_allowance;
        drive_loaded(&w, CN(10, 0, 0), false, c->passengers);
        assert_int_equal(rt_count(&w, FW_VIOLATION_OVERLOAD, FW_EVENT_OPENED), c->opened);
        if (c->opened) {
            const fw_violation *v = rt_last(&w, FW_VIOLATION_OVERLOAD, FW_EVENT_OPENED);
            assert_int_equal(v->severity, c->severity);
            assert_int_equal(v->subtype, FW_OVERLOAD_SEATS);
            assert_int_equal(v->value, c->passengers);
            assert_int_equal(v->limit, 40);
            assert_string_equal(v->unit, "passengers");
        }
    }
}

static void passengers_from_flow_sums(void **state)
{
    (void)state;
    rt_world w;
    rt_init(&w, FW_CLASS_LINE_COACH);
    w.veh.approved_seats = 40;
    jt_passenger_flow f1 = {.boarded = 30}, f2 = {.boarded = 15, .alighted = 5},
                      f3 = {.boarded = 1, .alighted = 0}, f4 = {.alighted = 50};
    fw_rules_passenger_flow(&w.eng, &w.st, &f1);
    fw_rules_passenger_flow(&w.eng, &w.st, &f2);
    assert_int_equal(w.st.passengers_on_board, 40);
    int64_t t = rt_drive(&w, CN(10, 0, 0), 120, 1, KMH(60));
    assert_int_equal(w.sink.n, 0);
    fw_rules_passenger_flow(&w.eng, &w.st, &f3);
    t = rt_drive(&w, t, 120, 1, KMH(60));
    const fw_violation *v = rt_last(&w, FW_VIOLATION_OVERLOAD, FW_EVENT_OPENED);
    assert_non_null(v);
    assert_int_equal(v->value, 41);
    /* everybody leaves (more than on board: clamped at 0) and the episode closes */
    fw_rules_passenger_flow(&w.eng, &w.st, &f4);
    assert_int_equal(w.st.passengers_on_board, 0);
    rt_drive(&w, t, 120, 1, KMH(60));
    assert_int_equal(rt_count(&w, FW_VIOLATION_OVERLOAD, FW_EVENT_CLOSED), 1);
}

static void load_sensor_noise_does_not_flap(void **state)
{
    (void)state;
    rt_world w;
    rt_init(&w, FW_CLASS_DANGEROUS_GOODS);
    w.veh.rated_load_kg = 10000;
    w.veh.max_gross_kg = 18000;
    w.veh.axles = 2;
    int64_t t = CN(10, 0, 0);
    /* 10 minutes alternating 10,050 and 9,950 kg every 20 s */
    for (int i = 0; i < 30; i++) {
        drive_loaded(&w, t, true, i % 2 ? 9950 : 10050);
        t += 120;
    }
    assert_int_equal(rt_count(&w, FW_VIOLATION_OVERLOAD, FW_EVENT_OPENED), 1);
    assert_int_equal(rt_count(&w, FW_VIOLATION_OVERLOAD, FW_EVENT_CLOSED), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(truck_table),
        cmocka_unit_test(coach_table),
        cmocka_unit_test(passengers_from_flow_sums),
        cmocka_unit_test(load_sensor_noise_does_not_flap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
