/* test_rules_speeding.c - the speeding rule on synthetic 1 Hz tracks: the limit (class caps by road
 * type, zones, night 80%), the minimum duration, jitter around the limit, severity tiers,
 * late data, duplicates, bad fixes, overlapping zones and zone time windows.
 */
#include "rules_test.h"

/* An expressway around Nanjing, and two overlapping speed-limit zones further east. */
static const char *geo_json =
    "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"id\":1,\"kind\":\"expressway\"},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[118.7,31.9],[119.5,31.9],"
    "[119.5,32.2],[118.7,32.2],[118.7,31.9]]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"id\":2,\"kind\":\"speed_limit\","
    "\"speed_limit_kmh\":60},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[120.0,31.0],[120.2,31.0],"
    "[120.2,31.2],[120.0,31.2],[120.0,31.0]]]}},"
    "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[120.1,31.1]},"
    "\"properties\":{\"id\":3,\"kind\":\"speed_limit\",\"speed_limit_kmh\":40,"
    "\"radius_m\":5000,\"time_windows\":\"07:00-09:00,17:00-19:00\"}}]}";

typedef struct {
    const char *name;
    fw_vehicle_class cls;
    bool on_expressway;
    int64_t start;
    rt_leg legs[4];
    int opened, closed;
    fw_severity severity; /* of the opening, when opened */
    uint32_t limit_dkmh;
    int64_t first_t; /* start of the episode, 0 = not checked */
} speeding_case;

static const speeding_case cases[] = {
    {"exactly at the limit",
     FW_CLASS_DANGEROUS_GOODS,
     false,
     CN(10, 0, 0),
     {{300, KMH(80)}},
     0,
     0,
     0,
     0,
     0},
    {"over for 59 s",
     FW_CLASS_DANGEROUS_GOODS,
     false,
     CN(10, 0, 0),
     {{10, KMH(70)}, {60, 801}, {60, KMH(70)}},
     0,
     0,
     0,
     0,
     0},
    {"over for 60 s",
     FW_CLASS_DANGEROUS_GOODS,
     false,
     CN(10, 0, 0),
     {{10, KMH(70)}, {61, 801}, {60, KMH(70)}},
     1,
     1,
     FW_SEVERITY_WARNING,
     800,
     CN(10, 0, 10)},
    {"under 10% on other roads: warning",
     FW_CLASS_DANGEROUS_GOODS,
     false,
     CN(10, 0, 0),
     {{120, KMH(87.9)}},
     1,
     0,
     FW_SEVERITY_WARNING,
     800,
     0},
    {"10% on other roads: minor",
     FW_CLASS_DANGEROUS_GOODS,
     false,
     CN(10, 0, 0),
     {{120, KMH(88)}},
     1,
     0,
     FW_SEVERITY_MINOR,
     800,
     0},
    {"20% on other roads: serious",
     FW_CLASS_DANGEROUS_GOODS,
     false,
     CN(10, 0, 0),
     {{120, KMH(96)}},
     1,
     0,
     FW_SEVERITY_SERIOUS,
     800,
     0},
    {"50% on other roads: severe",
     FW_CLASS_DANGEROUS_GOODS,
     false,
     CN(10, 0, 0),
     {{120, KMH(120)}},
     1,
     0,
     FW_SEVERITY_SEVERE,
     800,
     0},
    {"dangerous goods on expressway: 80",
     FW_CLASS_DANGEROUS_GOODS,
     true,
     CN(10, 0, 0),
     {{120, KMH(95)}},
     1,
     0,
     FW_SEVERITY_MINOR,
     800,
     0},
    {"coach on expressway, 19%: minor",
     FW_CLASS_TOUR_COACH,
     true,
     CN(10, 0, 0),
     {{120, KMH(119)}},
     1,
     0,
     FW_SEVERITY_MINOR,
     1000,
     0},
    {"coach on expressway, 20%: serious",
     FW_CLASS_TOUR_COACH,
     true,
     CN(10, 0, 0),
     {{120, KMH(120)}},
     1,
     0,
     FW_SEVERITY_SERIOUS,
     1000,
     0},
    {"coach at night: 80% of 100",
     FW_CLASS_TOUR_COACH,
     true,
     CN(22, 30, 0),
     {{120, KMH(85)}},
     1,
     0,
     FW_SEVERITY_MINOR,
     800,
     CN(22, 30, 0)},
    {"truck at night keeps 100",
     FW_CLASS_TRUCK,
     true,
     CN(22, 30, 0),
     {{120, KMH(85)}},
     0,
     0,
     0,
     0,
     0},
    {"coach across the night boundary",
     FW_CLASS_LINE_COACH,
     true,
     CN(21, 58, 0),
     {{300, KMH(90)}},
     1,
     0,
     FW_SEVERITY_MINOR,
     800,
     CN(22, 0, 0)},
    {"coach at 06:00 is day again",
     FW_CLASS_LINE_COACH,
     true,
     CN(6, 0, 0),
     {{300, KMH(90)}},
     0,
     0,
     0,
     0,
     0},
    {"across midnight: one episode",
     FW_CLASS_DANGEROUS_GOODS,
     false,
     CN(23, 59, 0),
     {{180, KMH(90)}},
     1,
     0,
     FW_SEVERITY_MINOR,
     800,
     CN(23, 59, 0)},
};

static void table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const speeding_case *c = &cases[i];
        rt_world w;
        rt_init(&w, c->cls);
        fw_geo *g = c->on_expressway ? rt_geo(&w, geo_json) : NULL;
        rt_legs(&w, c->start, c->legs);
        print_message("case: %s\n", c->name);
        assert_int_equal(rt_count(&w, FW_VIOLATION_SPEEDING, FW_EVENT_OPENED), c->opened);
        assert_int_equal(rt_count(&w, FW_VIOLATION_SPEEDING, FW_EVENT_CLOSED), c->closed);
        const fw_violation *v = rt_last(&w, FW_VIOLATION_SPEEDING, FW_EVENT_OPENED);
        if (c->opened) {
            assert_int_equal(v->severity, c->severity);
            assert_int_equal(v->limit, c->limit_dkmh);
            assert_string_equal(v->unit, "0.1km/h");
            if (c->first_t)
                assert_int_equal(v->start_utc, c->first_t);
        }
        fw_geo_free(g);
    }
}

static void opened_event_fields(void **state)
{
    (void)state;
    rt_world w;
    rt_init(&w, FW_CLASS_DANGEROUS_GOODS);
    int64_t t = rt_legs(&w, CN(10, 0, 0), (const rt_leg[]){{121, KMH(90)}, {40, KMH(50)}, {0}});
    (void)t;
    const fw_violation *o = rt_last(&w, FW_VIOLATION_SPEEDING, FW_EVENT_OPENED);
    const fw_violation *c = rt_last(&w, FW_VIOLATION_SPEEDING, FW_EVENT_CLOSED);
    assert_non_null(o);
    assert_non_null(c);
    /* stable id: phone, type, start in UTC (10:00 China = 02:00 UTC) */
    assert_string_equal(o->id, "013800138000-speeding-20261128T020000Z");
    assert_string_equal(c->id, o->id);
    assert_int_equal(o->start_utc, CN(10, 0, 0));
    assert_int_equal(o->end_utc, CN(10, 1, 0));
    assert_int_equal(c->end_utc, CN(10, 2, 0));
    assert_int_equal(c->value, 900);
    assert_int_equal(c->mean_value, 900);
    /* 120 s at 90 km/h = 3000 m */
    assert_in_range(c->distance_m, 2950, 3050);
    assert_int_equal(c->first.time_utc, CN(10, 0, 0));
    assert_int_equal(c->last.time_utc, CN(10, 2, 0));
    assert_true(c->last.lon_e6 > c->first.lon_e6);
    assert_ptr_equal(c->vehicle, &w.veh);
    assert_int_equal(c->subtype, FW_LIMIT_CLASS_CAP);
    assert_null(c->ref_kind);
    assert_false(c->late);
    /* warned once, with the configured text */
    assert_int_equal(w.sink.warns, 1);
    assert_string_equal(w.sink.warn_text, w.cfg.warn_speeding_text);
}

static void severity_rise_sends_update(void **state)
{
    (void)state;
    rt_world w;
    rt_init(&w, FW_CLASS_DANGEROUS_GOODS);
    rt_legs(&w, CN(10, 0, 0), (const rt_leg[]){{90, KMH(85)}, {20, KMH(100)}, {0}});
    assert_int_equal(rt_count(&w, FW_VIOLATION_SPEEDING, FW_EVENT_OPENED), 1);
    const fw_violation *u = rt_last(&w, FW_VIOLATION_SPEEDING, FW_EVENT_UPDATED);
    assert_non_null(u);
    assert_int_equal(u->severity, FW_SEVERITY_SERIOUS);
    assert_int_equal(u->value, 1000);
}

static void jitter_around_the_limit(void **state)
{
    (void)state;
    rt_world w;
    rt_init(&w, FW_CLASS_DANGEROUS_GOODS);
    int64_t t = CN(10, 0, 0);
    /* 10 minutes alternating 2 km/h over and under the limit every 5 s (under by less than
     * the 3 km/h band, then by more), then steady well under */
    for (int i = 0; i < 60; i++)
        t = rt_drive(&w, t, 5, 1, i % 2 ? KMH(78) : KMH(82));
    for (int i = 0; i < 60; i++)
        t = rt_drive(&w, t, 5, 1, i % 2 ? KMH(76) : KMH(82));
    t = rt_drive(&w, t, 60, 1, KMH(60));
    assert_int_equal(rt_count(&w, FW_VIOLATION_SPEEDING, FW_EVENT_OPENED), 1);
    assert_int_equal(rt_count(&w, FW_VIOLATION_SPEEDING, FW_EVENT_CLOSED), 1);
}

static void late_duplicates_and_order(void **state)
{
    (void)state;
    rt_world w;
    rt_init(&w, FW_CLASS_DANGEROUS_GOODS);
    w.late = true;
    rt_drive(&w, CN(10, 0, 0), 61, 1, KMH(90));
    const fw_violation *o = rt_last(&w, FW_VIOLATION_SPEEDING, FW_EVENT_OPENED);
    assert_non_null(o);
    assert_true(o->late);
    /* the same time again is a duplicate; an older time is out of order */
    fw_position dup = rt_point(&w, CN(10, 1, 0), KMH(150));
    assert_int_equal(rt_apply(&w, &dup), FW_APPLY_DUPLICATE);
    fw_position old = rt_point(&w, CN(10, 0, 30), KMH(150));
    assert_int_equal(rt_apply(&w, &old), FW_APPLY_OUT_OF_ORDER);
    assert_int_equal(rt_count(&w, FW_VIOLATION_SPEEDING, FW_EVENT_UPDATED), 0);
    assert_int_equal(w.st.ep[FW_SLOT_SPEEDING].value[FW_EV_PEAK], 900);
}

static void bad_fixes_are_not_evidence(void **state)
{
    (void)state;
    rt_world w;
    rt_init(&w, FW_CLASS_DANGEROUS_GOODS);
    int64_t t = rt_drive(&w, CN(10, 0, 0), 10, 1, KMH(60));
    /* 2 minutes of fast points without a fix */
    for (int i = 0; i < 120; i++) {
        fw_position p = rt_point(&w, t + i, KMH(120));
        p.fixed = false;
        assert_int_equal(rt_apply(&w, &p), FW_APPLY_NO_EVIDENCE);
    }
    t += 120;
    /* a single point 50 km away one second later is an impossible jump */
    fw_position jump = rt_point(&w, t, KMH(120));
    jump.lon_e6 += 500000;
    assert_int_equal(rt_apply(&w, &jump), FW_APPLY_NO_EVIDENCE);
    rt_drive(&w, t + 1, 30, 1, KMH(60));
    assert_int_equal(w.sink.n, 0);
}

static void bad_profile_and_times(void **state)
{
    (void)state;
    rt_world w;
    rt_init(&w, FW_CLASS_DANGEROUS_GOODS);
    fw_position p = rt_point(&w, CN(10, 0, 0), KMH(150));
    w.veh.vclass = (fw_vehicle_class)FW_CLASS__COUNT;
    assert_int_equal(rt_apply(&w, &p), FW_APPLY_BAD_PROFILE);
    w.veh.vclass = FW_CLASS_DANGEROUS_GOODS;
    p.time_utc = 0;
    assert_int_equal(rt_apply(&w, &p), FW_APPLY_NO_EVIDENCE);
    p.time_utc = (int64_t)UINT32_MAX + 1;
    assert_int_equal(rt_apply(&w, &p), FW_APPLY_NO_EVIDENCE);
    assert_int_equal(w.st.last_seen_t, 0);
}

static void consistent_jumps_reanchor(void **state)
{
    (void)state;
    rt_world w;
    rt_init(&w, FW_CLASS_DANGEROUS_GOODS);
    int64_t t = rt_drive(&w, CN(10, 0, 0), 5, 1, KMH(60));
    w.lon_e6 += 1000000; /* the track continues 100 km away: the old anchor was wrong */
    fw_position p1 = rt_point(&w, t, KMH(60)), p2 = rt_point(&w, t + 1, KMH(60)),
                p3 = rt_point(&w, t + 2, KMH(60));
    assert_int_equal(rt_apply(&w, &p1), FW_APPLY_NO_EVIDENCE);
    assert_int_equal(rt_apply(&w, &p2), FW_APPLY_NO_EVIDENCE);
    assert_int_equal(rt_apply(&w, &p3), FW_APPLY_OK);
    assert_int_equal(w.st.last_lon_e6, p3.lon_e6);
}

static void overlapping_zones_lowest_wins(void **state)
{
    (void)state;
    rt_world w;
    rt_init(&w, FW_CLASS_TRUCK);
    fw_geo *g = rt_geo(&w, geo_json);
    w.lat_e6 = 31100000;
    w.lon_e6 = 120050000;
    /* 08:00: both zones apply (60 and, in its window, 40) */
    rt_drive(&w, CN(8, 0, 0), 90, 1, KMH(50));
    const fw_violation *o = rt_last(&w, FW_VIOLATION_SPEEDING, FW_EVENT_OPENED);
    assert_non_null(o);
    assert_int_equal(o->limit, 400);
    assert_int_equal(o->ref_id, 3);
    assert_string_equal(o->ref_kind, "zone");
    assert_int_equal(o->subtype, FW_LIMIT_ZONE);
    /* 10:00: outside the window only the 60 zone applies */
    rt_world w2;
    rt_init(&w2, FW_CLASS_TRUCK);
    w2.eng.geo = g;
    w2.lat_e6 = 31100000;
    w2.lon_e6 = 120050000;
    rt_drive(&w2, CN(10, 0, 0), 90, 1, KMH(50));
    assert_int_equal(w2.sink.n, 0);
    rt_drive(&w2, CN(10, 2, 0), 90, 1, KMH(65));
    o = rt_last(&w2, FW_VIOLATION_SPEEDING, FW_EVENT_OPENED);
    assert_non_null(o);
    assert_int_equal(o->limit, 600);
    assert_int_equal(o->ref_id, 2);
    fw_geo_free(g);
}

static void data_gap_closes(void **state)
{
    (void)state;
    rt_world w;
    rt_init(&w, FW_CLASS_DANGEROUS_GOODS);
    int64_t t = rt_drive(&w, CN(10, 0, 0), 90, 1, KMH(90));
    /* silence for 20 minutes, then a new stretch over the limit: two episodes */
    t = rt_drive(&w, t + 1200, 90, 1, KMH(100));
    assert_int_equal(rt_count(&w, FW_VIOLATION_SPEEDING, FW_EVENT_OPENED), 2);
    const fw_violation *c = rt_last(&w, FW_VIOLATION_SPEEDING, FW_EVENT_CLOSED);
    assert_non_null(c);
    assert_int_equal(c->end_utc, CN(10, 1, 29));
    assert_int_equal(c->mean_value, 900);
    assert_in_range(c->distance_m, 2200, 2250); /* 89 s at 90 km/h */
    /* the second episode starts its own sums */
    rt_drive(&w, t, 40, 1, KMH(50));
    c = rt_last(&w, FW_VIOLATION_SPEEDING, FW_EVENT_CLOSED);
    assert_int_equal(c->start_utc, CN(10, 21, 30));
    assert_int_equal(c->mean_value, 1000);
    assert_in_range(c->distance_m, 2440, 2500); /* 89 s at 100 km/h */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table),
        cmocka_unit_test(opened_event_fields),
        cmocka_unit_test(severity_rise_sends_update),
        cmocka_unit_test(jitter_around_the_limit),
        cmocka_unit_test(late_duplicates_and_order),
        cmocka_unit_test(bad_fixes_are_not_evidence),
        cmocka_unit_test(bad_profile_and_times),
        cmocka_unit_test(consistent_jumps_reanchor),
        cmocka_unit_test(overlapping_zones_lowest_wins),
        cmocka_unit_test(data_gap_closes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
