/* test_rules_track.c - a recorded-style track from tests/data/rules replayed through the
 * engine with the sample Jiangsu geodata: a dangerous-goods truck on its approved route 502
 * speeds on the route (its 60 km/h limit) and later leaves the corridor; then the same track
 * sent twice (every point duplicated, as after a resend) gives the same events.
 */
#include "rules_test.h"

#define MAX_POINTS 256

static int read_track(fw_position *pts, int cap)
{
    static char buf[16384];
    rt_read_file(FW_TEST_DATA_DIR "/rules/track_dg_route502.csv", buf, sizeof(buf));
    int n = 0;
    for (char *line = strtok(buf, "\n"); line && n < cap; line = strtok(NULL, "\n")) {
        long long t;
        int lat, lon;
        unsigned speed, alarm, status;
        if (sscanf(line, "%lld,%d,%d,%u,%u,%u", &t, &lat, &lon, &speed, &alarm, &status) != 6)
            continue; /* comments and the header */
        fw_position p = {.time_utc = t, .lat_e6 = lat, .lon_e6 = lon};
        p.speed_dkmh = p.gnss_speed_dkmh = (uint16_t)speed;
        p.alarm = alarm;
        p.status = status;
        p.fixed = status & JT_STATUS_FIXED;
        pts[n++] = p;
    }
    return n;
}

static fw_geo *load_routes(rt_world *w)
{
    static char buf[65536];
    rt_read_file(FW_TEST_DATA_DIR "/rules/jiangsu_routes.geojson", buf, sizeof(buf));
    return rt_geo(w, buf);
}

static void check_events(const rt_world *w)
{
    assert_int_equal(rt_count(w, FW_VIOLATION_SPEEDING, FW_EVENT_OPENED), 1);
    assert_int_equal(rt_count(w, FW_VIOLATION_SPEEDING, FW_EVENT_CLOSED), 1);
    const fw_violation *s = rt_last(w, FW_VIOLATION_SPEEDING, FW_EVENT_CLOSED);
    assert_int_equal(s->limit, 600);
    assert_int_equal(s->value, 750);
    assert_int_equal(s->ref_id, 502);
    assert_string_equal(s->ref_kind, "route");
    assert_int_equal(s->severity, FW_SEVERITY_SERIOUS); /* 25 % over, not an expressway */
    assert_int_equal(s->start_utc, CN(10, 5, 0));
    assert_int_equal(s->end_utc, CN(10, 6, 50));
    assert_in_range(s->distance_m, 2250, 2330); /* 110 s at 75 km/h = 2,292 m */

    assert_int_equal(rt_count(w, FW_VIOLATION_ROUTE_DEVIATION, FW_EVENT_OPENED), 1);
    assert_int_equal(rt_count(w, FW_VIOLATION_ROUTE_DEVIATION, FW_EVENT_CLOSED), 1);
    const fw_violation *r = rt_last(w, FW_VIOLATION_ROUTE_DEVIATION, FW_EVENT_CLOSED);
    assert_int_equal(r->ref_id, 502);
    assert_in_range(r->value, 280, 310);
    assert_int_equal(r->start_utc, CN(10, 10, 0));
    assert_int_equal(r->end_utc, CN(10, 12, 50));
    assert_int_equal(w->sink.n, 4);
    assert_int_equal(w->sink.warns, 2);
}

static void replay(void **state)
{
    (void)state;
    static fw_position pts[MAX_POINTS];
    int n = read_track(pts, MAX_POINTS);
    assert_int_equal(n, 101);
    rt_world w;
    rt_init(&w, FW_CLASS_DANGEROUS_GOODS);
    w.veh.route_id = 502;
    fw_geo *g = load_routes(&w);
    for (int i = 0; i < n; i++)
        assert_int_equal(rt_apply(&w, &pts[i]), FW_APPLY_OK);
    check_events(&w);
    fw_geo_free(g);
}

static void replay_with_duplicates(void **state)
{
    (void)state;
    static fw_position pts[MAX_POINTS];
    int n = read_track(pts, MAX_POINTS);
    rt_world w;
    rt_init(&w, FW_CLASS_DANGEROUS_GOODS);
    w.veh.route_id = 502;
    fw_geo *g = load_routes(&w);
    for (int i = 0; i < n; i++) {
        assert_int_equal(rt_apply(&w, &pts[i]), FW_APPLY_OK);
        assert_int_equal(rt_apply(&w, &pts[i]), FW_APPLY_DUPLICATE);
        if (i > 0)
            assert_int_equal(rt_apply(&w, &pts[i - 1]), FW_APPLY_OUT_OF_ORDER);
    }
    check_events(&w);
    fw_geo_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(replay),
        cmocka_unit_test(replay_with_duplicates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
