/* test_rules_geo.c - geodata: GeoJSON errors with feature index and reason, the distance method's
 * error against haversine (the figure docs/rules.md states), and the grid index agreeing with
 * a brute-force scan over many zones.
 */
#include <math.h>

#include "rules_test.h"

typedef struct {
    const char *name;
    const char *json;
    int feature_index;
    const char *reason_part;
} bad_case;

#define FC(features) "{\"type\":\"FeatureCollection\",\"features\":[" features "]}"
#define GOOD_ZONE                                                                                  \
    "{\"type\":\"Feature\",\"properties\":{\"id\":1,\"kind\":\"forbidden\"},\"geometry\":{"        \
    "\"type\":\"Polygon\",\"coordinates\":[[[118,32],[119,32],[119,33],[118,32]]]}}"
#define ZONE(props, geom) "{\"type\":\"Feature\",\"properties\":" props ",\"geometry\":" geom "}"
#define RING              "[[118,32],[119,32],[119,33],[118,32]]"
#define POLY              "{\"type\":\"Polygon\",\"coordinates\":[" RING "]}"
#define LINE              "{\"type\":\"LineString\",\"coordinates\":[[118,32],[119,32]]}"

static const bad_case bad[] = {
    {"not JSON", "{\"type\":", -1, "not valid JSON"},
    {"not a collection", "{\"type\":\"Feature\"}", -1, "FeatureCollection"},
    {"no id", FC(GOOD_ZONE "," ZONE("{\"kind\":\"forbidden\"}", POLY)), 1, "properties.id"},
    {"id zero", FC(ZONE("{\"id\":0,\"kind\":\"forbidden\"}", POLY)), 0, "properties.id"},
    {"unknown kind", FC(ZONE("{\"id\":1,\"kind\":\"parking\"}", POLY)), 0, "properties.kind"},
    {"unknown class", FC(ZONE("{\"id\":1,\"kind\":\"forbidden\",\"classes\":[\"tank\"]}", POLY)), 0,
     "unknown class"},
    {"bad time window",
     FC(ZONE("{\"id\":1,\"kind\":\"forbidden\",\"time_windows\":\"7-9\"}", POLY)), 0,
     "HH:MM-HH:MM"},
    {"speed zone without a limit", FC(ZONE("{\"id\":1,\"kind\":\"speed_limit\"}", POLY)), 0,
     "speed_limit_kmh"},
    {"ring not closed",
     FC(GOOD_ZONE "," GOOD_ZONE "," ZONE("{\"id\":3,\"kind\":\"forbidden\"}",
                                         "{\"type\":\"Polygon\",\"coordinates\":[[[118,32],[119,"
                                         "32],[119,33],[118,33]]]}")),
     2, "not closed"},
    {"short ring",
     FC(ZONE("{\"id\":1,\"kind\":\"forbidden\"}",
             "{\"type\":\"Polygon\",\"coordinates\":[[[118,32],[119,32],[118,32]]]}")),
     0, "at least 4"},
    {"latitude out of range",
     FC(ZONE("{\"id\":1,\"kind\":\"forbidden\"}",
             "{\"type\":\"Polygon\",\"coordinates\":[[[118,32],[119,95],[119,33],[118,32]]]}")),
     0, "outside"},
    {"point without radius",
     FC(ZONE("{\"id\":1,\"kind\":\"forbidden\"}", "{\"type\":\"Point\",\"coordinates\":[118,32]}")),
     0, "radius_m"},
    {"unsupported geometry",
     FC(ZONE("{\"id\":1,\"kind\":\"forbidden\"}",
             "{\"type\":\"MultiPoint\",\"coordinates\":[[118,32]]}")),
     0, "geometry type"},
    {"route without width", FC(ZONE("{\"id\":5}", LINE)), 0, "width_m is required"},
    {"route of one position",
     FC(ZONE("{\"id\":5,\"width_m\":50}", "{\"type\":\"LineString\",\"coordinates\":[[118,32]]}")),
     0, "at least 2"},
    {"segment array length", FC(ZONE("{\"id\":5,\"width_m\":50,\"segment_widths_m\":[1,2]}", LINE)),
     0, "one number per segment"},
    {"two routes with one id",
     FC(ZONE("{\"id\":5,\"width_m\":50}", LINE) "," ZONE("{\"id\":5,\"width_m\":50}", LINE)), -1,
     "same properties.id"},
};

static void bad_geojson(void **state)
{
    (void)state;
    fw_geo_config cfg = FW_GEO_CONFIG_DEFAULT;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        fw_geo_error err = {0};
        print_message("case: %s\n", bad[i].name);
        fw_geo *g = fw_geo_load(bad[i].json, strlen(bad[i].json), &cfg, &err);
        assert_null(g);
        assert_int_equal(err.feature_index, bad[i].feature_index);
        assert_non_null(strstr(err.reason, bad[i].reason_part));
    }
}

/* The equirectangular distance against haversine: the bound documented in docs/rules.md. */
static void distance_error(void **state)
{
    (void)state;
    const int32_t lats[] = {18000000, 32000000, 45000000, 53000000};
    const double dists_m[] = {10, 100, 1000, 10000, 50000, 100000};
    const double bearings[] = {0, 45, 90, 135};
    double worst[6] = {0};
    for (size_t a = 0; a < 4; a++)
        for (size_t d = 0; d < 6; d++)
            for (size_t b = 0; b < 4; b++) {
                double br = bearings[b] * M_PI / 180, deg = dists_m[d] / 111195.08;
                int32_t lat2 = lats[a] + (int32_t)lround(deg * cos(br) * 1e6);
                int32_t lon2 =
                    118000000 + (int32_t)lround(deg * sin(br) / cos(lats[a] * M_PI / 180e6) * 1e6);
                double h = fw_haversine_m(lats[a], 118000000, lat2, lon2);
                double e = fw_distance_m(lats[a], 118000000, lat2, lon2);
                double rel = fabs(e - h) / h;
                worst[d] = rel > worst[d] ? rel : worst[d];
            }
    for (size_t d = 0; d < 6; d++)
        print_message("distance %.0f m: worst relative error %.2e\n", dists_m[d], worst[d]);
    assert_true(worst[3] < 1e-6); /* 10 km: under 1 cm */
    assert_true(worst[5] < 1e-4); /* 100 km: under 10 m */
    /* haversine itself: one degree of latitude */
    assert_in_range(fw_haversine_m(32000000, 118000000, 33000000, 118000000), 111190, 111200);
}

/* 2,500 small zones on a 50 x 50 lattice; random points agree with a direct test. */
static void grid_agrees_with_scan(void **state)
{
    (void)state;
    size_t cap = 2500 * 300 + 100, len = 0;
    char *json = malloc(cap);
    len +=
        (size_t)snprintf(json + len, cap - len, "{\"type\":\"FeatureCollection\",\"features\":[");
    for (int i = 0; i < 2500; i++) {
        double lon = 118.0 + (i % 50) * 0.02, lat = 31.0 + (i / 50) * 0.02, s = 0.013;
        len += (size_t)snprintf(json + len, cap - len,
                                "%s{\"type\":\"Feature\",\"properties\":{\"id\":%d,\"kind\":"
                                "\"speed_limit\",\"speed_limit_kmh\":%d},\"geometry\":{\"type\":"
                                "\"Polygon\",\"coordinates\":[[[%.6f,%.6f],[%.6f,%.6f],[%.6f,%.6f],"
                                "[%.6f,%.6f]]]}}",
                                i ? "," : "", i + 1, 30 + i % 50, lon, lat, lon + s, lat, lon,
                                lat + s, lon, lat);
    }
    snprintf(json + len, cap - len, "]}");
    fw_geo_config cfg = {.cell_e6 = 5000, .width_is_full = true};
    fw_geo_error err;
    fw_geo *g = fw_geo_load(json, strlen(json), &cfg, &err);
    assert_non_null(g);
    assert_int_equal(fw_geo_zone_count(g), 2500);
    srand(7);
    int hits = 0;
    for (int k = 0; k < 20000; k++) {
        int32_t lat = 31000000 + rand() % 1000000, lon = 118000000 + rand() % 1000000;
        fw_geo_hit hit;
        fw_geo_query(g, lat, lon, FW_CLASS_TRUCK, 600, 0, 0, &hit);
        /* the triangle of lattice cell (i, j): lon - lon0 + lat - lat0 < s */
        int i = (lon - 118000000) / 20000, j = (lat - 31000000) / 20000;
        int32_t dx = lon - (118000000 + i * 20000), dy = lat - (31000000 + j * 20000);
        bool inside = dx + dy < 13000 && dx > 0 && dy > 0;
        if (dx + dy == 13000 || !dx || !dy)
            continue; /* on an edge */
        assert_int_equal(hit.zone_limit_dkmh != 0, inside);
        if (inside) {
            assert_int_equal(hit.limit_zone_id, (uint32_t)(j * 50 + i + 1));
            hits++;
        }
    }
    assert_true(hits > 1000);
    fw_geo_free(g);
    free(json);
}

static void data_files_load(void **state)
{
    (void)state;
    const char *files[] = {FW_TEST_DATA_DIR "/rules/jiangsu_zones.geojson",
                           FW_TEST_DATA_DIR "/rules/jiangsu_routes.geojson"};
    static char buf[65536];
    for (int i = 0; i < 2; i++) {
        size_t n = rt_read_file(files[i], buf, sizeof(buf));
        fw_geo_config cfg = FW_GEO_CONFIG_DEFAULT;
        fw_geo_error err = {0};
        fw_geo *g = fw_geo_load(buf, n, &cfg, &err);
        if (!g)
            fail_msg("%s: feature %d: %s", files[i], err.feature_index, err.reason);
        assert_true(fw_geo_zone_count(g) + fw_geo_route_count(g) > 0);
        fw_geo_free(g);
    }
}

/* Damaged documents (bytes changed, cut short) never crash the loader: it returns a geodata
 * or an error with a reason. */
static void damaged_documents(void **state)
{
    (void)state;
    static char orig[65536], buf[65536];
    size_t n = rt_read_file(FW_TEST_DATA_DIR "/rules/jiangsu_zones.geojson", orig, sizeof(orig));
    const char noise[] = "{}[],:\"0-9.eE aZ";
    fw_geo_config cfg = FW_GEO_CONFIG_DEFAULT;
    srand(11);
    int loaded = 0, refused = 0;
    for (int i = 0; i < 1500; i++) {
        memcpy(buf, orig, n);
        size_t len = i % 3 == 0 ? (size_t)rand() % n : n;
        for (int k = 0; k < 1 + i % 4; k++)
            buf[rand() % len] = noise[rand() % (sizeof(noise) - 1)];
        fw_geo_error err = {0};
        fw_geo *g = fw_geo_load(buf, len, &cfg, &err);
        if (g) {
            fw_geo_hit hit;
            fw_geo_query(g, 32050000, 118780000, FW_CLASS_DANGEROUS_GOODS, 600, 1, 0, &hit);
            loaded++;
        } else {
            assert_true(err.reason[0] != '\0');
            assert_true(err.feature_index >= -1 && err.feature_index < 6);
            refused++;
        }
        fw_geo_free(g);
    }
    assert_true(loaded > 0 && refused > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bad_geojson),           cmocka_unit_test(distance_error),
        cmocka_unit_test(grid_agrees_with_scan), cmocka_unit_test(data_files_load),
        cmocka_unit_test(damaged_documents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
