/* test_rules_route_deviation.c - the route corridor: in and out with the minimum duration,
 * hysteresis against jitter at the edge, full vs half width, per-segment speed limits, and
 * the exact distance when far away.
 */
#include "rules_test.h"

static const char *route_json =
    "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
    "\"properties\":{\"id\":7,\"name\":\"Nanjing-Zhenjiang\",\"width_m\":100,"
    "\"speed_limit_kmh\":80,\"segment_speed_limits_kmh\":[60,0]},"
    "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[118.8,32.0],[119.0,32.0],"
    "[119.2,32.0]]}}]}";

typedef struct {
    int seconds;
    int offset_m; /* north of the route's centre line */
} offset_leg;

typedef struct {
    const char *name;
    bool half_width;
    offset_leg legs[8];
    int opened, closed;
    uint32_t value;
} route_case;

static const route_case cases[] = {
    {"inside the corridor", false, {{300, 40}}, 0, 0, 0},
    {"out for 59 s", false, {{10, 0}, {60, 70}, {60, 0}}, 0, 0, 0},
    {"out for 60 s, back", false, {{10, 0}, {61, 70}, {60, 20}}, 1, 1, 70},
    {"back but inside the band", false, {{10, 0}, {61, 70}, {120, 45}}, 1, 0, 70},
    {"back for 29 s only", false, {{10, 0}, {61, 70}, {29, 20}, {61, 75}}, 1, 0, 70},
    {"width is the half-width", true, {{10, 0}, {120, 70}}, 0, 0, 0},
};

static void drive_offsets(rt_world *w, int64_t t, const offset_leg *legs)
{
    for (; legs->seconds; legs++) {
        w->offset_north_m = legs->offset_m;
        t = rt_drive(w, t, legs->seconds, 1, KMH(50));
    }
}

static void table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const route_case *c = &cases[i];
        print_message("case: %s\n", c->name);
        rt_world w;
        rt_init(&w, FW_CLASS_DANGEROUS_GOODS);
        w.cfg.geo_width_is_full = !c->half_width;
        fw_geo *g = rt_geo(&w, route_json);
        w.veh.route_id = 7;
        drive_offsets(&w, CN(10, 0, 0), c->legs);
        assert_int_equal(rt_count(&w, FW_VIOLATION_ROUTE_DEVIATION, FW_EVENT_OPENED), c->opened);
        assert_int_equal(rt_count(&w, FW_VIOLATION_ROUTE_DEVIATION, FW_EVENT_CLOSED), c->closed);
        const fw_violation *v = rt_last(&w, FW_VIOLATION_ROUTE_DEVIATION,
                                        c->closed ? FW_EVENT_CLOSED : FW_EVENT_OPENED);
        if (v) {
            assert_in_range(v->value, c->value - 1, c->value + 1);
            assert_int_equal(v->limit, 50);
            assert_int_equal(v->ref_id, 7);
            assert_string_equal(v->ref_kind, "route");
            assert_string_equal(v->unit, "m");
        }
        fw_geo_free(g);
    }
}

static void jitter_at_the_edge(void **state)
{
    (void)state;
    rt_world w;
    rt_init(&w, FW_CLASS_DANGEROUS_GOODS);
    fw_geo *g = rt_geo(&w, route_json);
    w.veh.route_id = 7;
    int64_t t = CN(10, 0, 0);
    for (int i = 0; i < 120; i++) {
        w.offset_north_m = i % 2 ? 58 : 62; /* 8 and 12 m outside a 50 m half-width */
        t = rt_drive(&w, t, 5, 1, KMH(50));
    }
    w.offset_north_m = 10;
    rt_drive(&w, t, 60, 1, KMH(50));
    assert_int_equal(rt_count(&w, FW_VIOLATION_ROUTE_DEVIATION, FW_EVENT_OPENED), 1);
    assert_int_equal(rt_count(&w, FW_VIOLATION_ROUTE_DEVIATION, FW_EVENT_CLOSED), 1);
    assert_int_equal(w.sink.warns, 1);
    fw_geo_free(g);
}

static void segment_speed_limit(void **state)
{
    (void)state;
    rt_world w;
    rt_init(&w, FW_CLASS_TRUCK);
    fw_geo *g = rt_geo(&w, route_json);
    w.veh.route_id = 7;
    rt_drive(&w, CN(10, 0, 0), 90, 1, KMH(70));
    const fw_violation *v = rt_last(&w, FW_VIOLATION_SPEEDING, FW_EVENT_OPENED);
    assert_non_null(v);
    assert_int_equal(v->limit, 600);
    assert_int_equal(v->ref_id, 7);
    assert_string_equal(v->ref_kind, "route");
    /* second segment: the route's own 80 km/h */
    rt_world w2;
    rt_init(&w2, FW_CLASS_TRUCK);
    w2.eng.geo = g;
    w2.veh.route_id = 7;
    w2.lon_e6 = 119100000;
    rt_drive(&w2, CN(10, 0, 0), 90, 1, KMH(70));
    assert_int_equal(w2.sink.n, 0);
    fw_geo_free(g);
}

static void far_away_and_unknown_route(void **state)
{
    (void)state;
    rt_world w;
    rt_init(&w, FW_CLASS_DANGEROUS_GOODS);
    fw_geo *g = rt_geo(&w, route_json);
    /* found in the point's cell, by widening rings of cells, and beyond them */
    const int offsets_m[] = {300, 600, 2000, 5000, 10000, -4000};
    for (size_t i = 0; i < sizeof(offsets_m) / sizeof(offsets_m[0]); i++) {
        rt_init(&w, FW_CLASS_DANGEROUS_GOODS);
        w.eng.geo = g;
        w.veh.route_id = 7;
        w.offset_north_m = offsets_m[i];
        rt_drive(&w, CN(10, 0, 0), 61, 1, KMH(50));
        const fw_violation *v = rt_last(&w, FW_VIOLATION_ROUTE_DEVIATION, FW_EVENT_OPENED);
        assert_non_null(v);
        uint32_t d = (uint32_t)abs(offsets_m[i]);
        assert_in_range(v->value, d - 2, d + 2);
    }
    /* a route id the geodata does not have: nothing to check against */
    rt_world w2;
    rt_init(&w2, FW_CLASS_DANGEROUS_GOODS);
    w2.eng.geo = g;
    w2.veh.route_id = 8;
    w2.offset_north_m = 10000;
    rt_drive(&w2, CN(10, 0, 0), 120, 1, KMH(50));
    assert_int_equal(w2.sink.n, 0);
    fw_geo_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table),
        cmocka_unit_test(jitter_at_the_edge),
        cmocka_unit_test(segment_speed_limit),
        cmocka_unit_test(far_away_and_unknown_route),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
