/* test_rules_forbidden_zone.c - forbidden zones: classes, time windows, the minimum duration,
 * circles, multipolygons with holes, and overlapping zones keeping one episode.
 */
#include "rules_test.h"

static const char *zones_json =
    "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"id\":10,\"name\":\"city centre\","
    "\"kind\":\"forbidden\",\"classes\":[\"dangerous_goods\"],\"time_windows\":\"07:00-19:00\"},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[118.7,32.0],[118.9,32.0],"
    "[118.9,32.1],[118.7,32.1],[118.7,32.0]]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"id\":11,\"name\":\"water source\","
    "\"kind\":\"forbidden\",\"radius_m\":500},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[118.8,32.05]}},"
    "{\"type\":\"Feature\",\"properties\":{\"id\":12,\"kind\":\"forbidden\","
    "\"classes\":[\"dangerous_goods\"]},"
    "\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":["
    "[[[119.0,32.0],[119.1,32.0],[119.1,32.1],[119.0,32.1],[119.0,32.0]],"
    "[[119.04,32.04],[119.06,32.04],[119.06,32.06],[119.04,32.06],[119.04,32.04]]],"
    "[[[119.2,32.0],[119.3,32.0],[119.3,32.1],[119.2,32.1],[119.2,32.0]]]]}}]}";

typedef struct {
    const char *name;
    fw_vehicle_class cls;
    int64_t start;
    int32_t lat_e6, lon_e6;
    int seconds;
    int opened;
    uint32_t ref_id;
} zone_case;

static const zone_case cases[] = {
    {"dangerous goods in the centre by day", FW_CLASS_DANGEROUS_GOODS, CN(10, 0, 0), 32050000,
     118750000, 31, 1, 10},
    {"inside for 29 s", FW_CLASS_DANGEROUS_GOODS, CN(10, 0, 0), 32050000, 118750000, 30, 0, 0},
    {"a truck is not concerned", FW_CLASS_TRUCK, CN(10, 0, 0), 32050000, 118750000, 120, 0, 0},
    {"outside the time window", FW_CLASS_DANGEROUS_GOODS, CN(19, 0, 0), 32050000, 118750000, 120, 0,
     0},
    {"window start is inside", FW_CLASS_DANGEROUS_GOODS, CN(7, 0, 0), 32050000, 118750000, 120, 1,
     10},
    {"water source: every class, always", FW_CLASS_TRUCK, CN(20, 0, 0), 32050000, 118799000, 60, 1,
     11},
    {"in the hole of a multipolygon", FW_CLASS_DANGEROUS_GOODS, CN(10, 0, 0), 32050000, 119050000,
     120, 0, 0},
    {"in the second polygon", FW_CLASS_DANGEROUS_GOODS, CN(10, 0, 0), 32050000, 119250000, 120, 1,
     12},
};

static void table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const zone_case *c = &cases[i];
        print_message("case: %s\n", c->name);
        rt_world w;
        rt_init(&w, c->cls);
        fw_geo *g = rt_geo(&w, zones_json);
        w.lat_e6 = c->lat_e6;
        w.lon_e6 = c->lon_e6;
        rt_drive(&w, c->start, c->seconds, 1, KMH(10));
        assert_int_equal(rt_count(&w, FW_VIOLATION_FORBIDDEN_ZONE, FW_EVENT_OPENED), c->opened);
        const fw_violation *v = rt_last(&w, FW_VIOLATION_FORBIDDEN_ZONE, FW_EVENT_OPENED);
        if (v) {
            assert_int_equal(v->ref_id, c->ref_id);
            assert_string_equal(v->ref_kind, "zone");
            assert_int_equal(v->severity, FW_SEVERITY_SERIOUS);
        }
        fw_geo_free(g);
    }
}

static void overlapping_zones_one_episode(void **state)
{
    (void)state;
    rt_world w;
    rt_init(&w, FW_CLASS_DANGEROUS_GOODS);
    fw_geo *g = rt_geo(&w, zones_json);
    w.lat_e6 = 32050000;
    w.lon_e6 = 118799000;
    /* starts in both the centre and the water source, drives 2 km east out of the circle */
    int64_t t = rt_drive(&w, CN(10, 0, 0), 120, 1, KMH(60));
    assert_int_equal(rt_count(&w, FW_VIOLATION_FORBIDDEN_ZONE, FW_EVENT_OPENED), 1);
    assert_int_equal(rt_count(&w, FW_VIOLATION_FORBIDDEN_ZONE, FW_EVENT_CLOSED), 0);
    uint32_t zone = rt_last(&w, FW_VIOLATION_FORBIDDEN_ZONE, FW_EVENT_OPENED)->ref_id;
    /* leaves the centre: closes after clear_s with the zone it opened with */
    w.lon_e6 = 118950000;
    rt_drive(&w, t, 60, 1, KMH(60));
    const fw_violation *c = rt_last(&w, FW_VIOLATION_FORBIDDEN_ZONE, FW_EVENT_CLOSED);
    assert_non_null(c);
    assert_int_equal(c->ref_id, zone);
    assert_int_equal(c->end_utc, t - 1);
    fw_geo_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table),
        cmocka_unit_test(overlapping_zones_one_episode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
