/* test_api_http.c - the police query API end to end: a real fleetwatch-api process, a real
 * redis-server holding the test fleet (api_fixture.c), real HTTP requests. Each endpoint, each
 * error answer, each role. Arguments: the fleetwatch-api binary, the token file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api_fixture.h"

#define POLICE     "police-test-token-0001"
#define DISPATCHER "dispatcher-test-token-0002"
#define ADMIN      "admin-test-token-0003"

static const char *binary, *token_file;
static af_redis redis;
static af_api api;

static int setup(void **state)
{
    (void)state;
    /* the fixture's times are fixed: open violations are looked for at any age */
    const char *opts[] = {"--api_limit_max=100", "--api_open_window_s=0", NULL};
    return af_start_fleet(&redis, &api, binary, token_file, opts);
}

static int teardown(void **state)
{
    (void)state;
    af_stop_fleet(&redis, &api);
    return 0;
}

/* GET target with token; asserts the status and that the answer is JSON. */
static af_response get(const char *target, const char *token, int status)
{
    af_response r;
    assert_int_equal(af_http(api.port, "GET", target, token, NULL, NULL, &r), 0);
    if (r.status != status)
        fprintf(stderr, "GET %s -> %d %s\n", target, r.status, r.body);
    assert_int_equal(r.status, status);
    assert_non_null(r.json);
    assert_non_null(strstr(r.headers, "Content-Type: application/json"));
    return r;
}

/* A 400 blaming `param`. */
static void expect_bad(const char *target, const char *param)
{
    af_response r = get(target, POLICE, 400);
    assert_non_null(af_str(r.json, "error"));
    assert_string_equal(af_str(r.json, "param"), param);
    af_response_free(&r);
}

static const cJSON *list_of(const af_response *r, const char *name)
{
    const cJSON *l = cJSON_GetObjectItemCaseSensitive(r->json, name);
    assert_true(cJSON_IsArray(l));
    return l;
}

/* ---- access -------------------------------------------------------------------------- */

static void healthz_is_open(void **state)
{
    (void)state;
    af_response r = get("/healthz", NULL, 200);
    assert_string_equal(af_str(r.json, "status"), "ok");
    assert_string_equal(af_str(r.json, "redis"), "ok");
    af_response_free(&r);
}

static void missing_or_wrong_token_is_401(void **state)
{
    (void)state;
    af_response r = get("/v1/violations", NULL, 401);
    assert_string_equal(af_str(r.json, "error"), "missing bearer token");
    assert_non_null(strstr(r.headers, "WWW-Authenticate: Bearer"));
    af_response_free(&r);
    r = get("/v1/violations", "police-test-token-0009", 401);
    assert_string_equal(af_str(r.json, "error"), "invalid token");
    af_response_free(&r);
    r = get("/v1/violations", "police-test-token-000", 401); /* a prefix */
    af_response_free(&r);
    assert_int_equal(af_http(api.port, "GET", "/v1/stats", NULL, NULL,
                             "Authorization: Basic cG9saWNlOng=\r\n", &r),
                     0);
    assert_int_equal(r.status, 401);
    af_response_free(&r);
}

static void each_role_gets_its_rights(void **state)
{
    (void)state;
    const char *readers[] = {POLICE, DISPATCHER, ADMIN};
    for (size_t i = 0; i < 3; i++) {
        af_response r = get("/v1/stats", readers[i], 200);
        af_response_free(&r);
    }
    af_response r;
    /* text: police may not; dispatcher and admin may (no gateway here: 503) */
    const char *body = "{\"text\":\"请靠边停车\",\"tts\":true}";
    assert_int_equal(
        af_http(api.port, "POST", "/v1/vehicles/" AF_PHONE_A "/text", POLICE, body, NULL, &r), 0);
    assert_int_equal(r.status, 403);
    assert_non_null(r.json);
    af_response_free(&r);
    const char *senders[] = {DISPATCHER, ADMIN};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(af_http(api.port, "POST", "/v1/vehicles/" AF_PHONE_A "/text", senders[i],
                                 body, NULL, &r),
                         0);
        assert_int_equal(r.status, 503);
        assert_string_equal(af_str(r.json, "error"), "no gateway in this process");
        af_response_free(&r);
    }
    /* reload: admin only */
    const char *not_admin[] = {POLICE, DISPATCHER};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(
            af_http(api.port, "POST", "/v1/admin/reload", not_admin[i], NULL, NULL, &r), 0);
        assert_int_equal(r.status, 403);
        af_response_free(&r);
    }
    assert_int_equal(af_http(api.port, "POST", "/v1/admin/reload", ADMIN, NULL, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(af_str(r.json, "status"), "reloaded");
    af_response_free(&r);
}

static void metrics_are_prometheus_text(void **state)
{
    (void)state;
    af_response r;
    /* the violations gauge is refreshed on a timer: its first value comes shortly after start */
    for (int i = 0; i < 50; i++) {
        assert_int_equal(af_http(api.port, "GET", "/metrics", NULL, NULL, NULL, &r), 0);
        if (strstr(r.body, "fleetwatch_violations_stored"))
            break;
        af_response_free(&r);
        usleep(100 * 1000);
    }
    assert_int_equal(r.status, 200); /* api_metrics_open defaults to 1 */
    assert_non_null(strstr(r.headers, "Content-Type: text/plain"));
    assert_non_null(strstr(r.body, "fleetwatch_api_requests_total{route=\"stats\",code=\"2xx\"}"));
    assert_non_null(strstr(r.body, "fleetwatch_api_redis_connected 1"));
    assert_non_null(strstr(r.body, "fleetwatch_log_syslog_dropped_total 0\n"));
    assert_non_null(strstr(r.body, "fleetwatch_violations_stored{type=\"speeding\"} 3\n"));
    assert_non_null(strstr(r.body, "fleetwatch_violations_stored{type=\"fatigue_daily\"} 0\n"));
    assert_null(strstr(r.body, "test-token")); /* tokens appear nowhere */
    af_response_free(&r);
}

static void unknown_paths_and_methods(void **state)
{
    (void)state;
    af_response r = get("/v2/violations", POLICE, 404);
    assert_string_equal(af_str(r.json, "error"), "no such endpoint");
    af_response_free(&r);
    r = get("/v1/violations/", POLICE, 404);
    af_response_free(&r);
    assert_int_equal(af_http(api.port, "DELETE", "/v1/violations", POLICE, NULL, NULL, &r), 0);
    assert_int_equal(r.status, 405);
    assert_non_null(r.json);
    af_response_free(&r);
    assert_int_equal(af_http(api.port, "POST", "/v1/violations", POLICE, "{}", NULL, &r), 0);
    assert_int_equal(r.status, 405);
    af_response_free(&r);
}

static void oversized_requests_are_refused(void **state)
{
    (void)state;
    af_response r;
    size_t n = 10000;
    char *header = malloc(n + 16);
    memcpy(header, "X-Pad: ", 7);
    memset(header + 7, 'a', n);
    strcpy(header + 7 + n, "\r\n");
    assert_int_equal(af_http(api.port, "GET", "/healthz", NULL, NULL, header, &r), 0);
    assert_true(r.status == 413 || r.status == 431 || r.status == 400 || r.status == 0);
    af_response_free(&r);
    free(header);
    char *body = malloc(8192);
    memset(body, ' ', 8191);
    body[8191] = '\0';
    assert_int_equal(
        af_http(api.port, "POST", "/v1/vehicles/" AF_PHONE_A "/text", DISPATCHER, body, NULL, &r),
        0);
    assert_true(r.status == 413 || r.status == 0);
    af_response_free(&r);
    free(body);
    /* the server is still fine */
    r = get("/healthz", NULL, 200);
    af_response_free(&r);
}

/* ---- violations ---------------------------------------------------------------------- */

static void violations_newest_first_with_every_field(void **state)
{
    (void)state;
    af_response r = get("/v1/violations", POLICE, 200);
    const cJSON *l = list_of(&r, "violations");
    assert_int_equal(cJSON_GetArraySize(l), AF_VIOLATIONS);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(r.json, "next_cursor")));
    const char *fields[] = {"id",         "type",        "severity",      "state",   "phone",
                            "plate",      "plate_color", "vehicle_class", "start",   "end",
                            "duration_s", "value",       "limit",         "unit",    "start_lat",
                            "start_lon",  "end_lat",     "end_lon",       "zone_id", "route_id",
                            "late"};
    const cJSON *v;
    cJSON_ArrayForEach(v, l)
    {
        for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
            assert_non_null(cJSON_GetObjectItemCaseSensitive(v, fields[i]));
        assert_non_null(strstr(af_str(v, "start"), "+08:00"));
    }
    /* newest first: the next day's night_ban, then the open fatigue, ... the day before last */
    assert_string_equal(af_str(cJSON_GetArrayItem(l, 0), "type"), "night_ban");
    assert_string_equal(af_str(cJSON_GetArrayItem(l, 1), "type"), "fatigue");
    assert_string_equal(af_str(cJSON_GetArrayItem(l, 6), "type"), "terminal_alarm");
    const cJSON *speeding = cJSON_GetArrayItem(l, 5);
    assert_string_equal(af_str(speeding, "id"), AF_PHONE_A "-speeding-1");
    assert_string_equal(af_str(speeding, "start"), "2026-11-28T08:01:40+08:00");
    assert_string_equal(af_str(speeding, "end"), "2026-11-28T08:06:40+08:00");
    assert_int_equal((int)af_num(speeding, "duration_s"), 300);
    assert_string_equal(af_str(speeding, "plate"), AF_PLATE_A);
    assert_int_equal((int)af_num(speeding, "plate_color"), 2); /* from the registry entry */
    assert_true(af_num(speeding, "start_lat") > 32.0602 && af_num(speeding, "start_lat") < 32.0604);
    const cJSON *open = cJSON_GetArrayItem(l, 1);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(open, "end")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(open, "end_lat")));
    af_response_free(&r);
}

static void pagination_visits_each_once(void **state)
{
    (void)state;
    char target[256] = "/v1/violations?limit=2";
    int seen[AF_VIOLATIONS] = {0}, pages = 0, total = 0;
    for (;;) {
        af_response r = get(target, POLICE, 200);
        const cJSON *l = list_of(&r, "violations");
        const cJSON *v;
        cJSON_ArrayForEach(v, l)
        {
            for (int i = 0; i < AF_VIOLATIONS; i++)
                if (strcmp(af_str(v, "id"), af_violations[i].id) == 0)
                    seen[i]++;
            total++;
        }
        pages++;
        const char *next = af_str(r.json, "next_cursor");
        if (next == NULL) {
            af_response_free(&r);
            break;
        }
        assert_true(cJSON_GetArraySize(l) <= 2);
        snprintf(target, sizeof target, "/v1/violations?limit=2&cursor=%s", next);
        af_response_free(&r);
        assert_true(pages < 10);
    }
    assert_int_equal(total, AF_VIOLATIONS);
    for (int i = 0; i < AF_VIOLATIONS; i++)
        assert_int_equal(seen[i], 1);
    assert_true(pages >= 4);
}

/* Ids answered for target, in order, joined by ' '. */
static void ids_of(const char *target, char *out, size_t cap)
{
    af_response r = get(target, POLICE, 200);
    const cJSON *v;
    out[0] = '\0';
    cJSON_ArrayForEach(v, list_of(&r, "violations"))
    {
        strncat(out, af_str(v, "id"), cap - strlen(out) - 2);
        strcat(out, " ");
    }
    af_response_free(&r);
}

static void violation_filters(void **state)
{
    (void)state;
    char ids[1024];
    ids_of("/v1/violations?phone=" AF_PHONE_B, ids, sizeof ids);
    /* the three share one start time: ordered by id, descending, as Redis orders them */
    assert_string_equal(ids, AF_PHONE_B "-speeding-2 " AF_PHONE_B "-speeding-1 " AF_PHONE_B
                                        "-overload-1 ");
    ids_of("/v1/violations?plate=" AF_PLATE_A_URL, ids, sizeof ids);
    assert_string_equal(ids, AF_PHONE_A "-fatigue-1 " AF_PHONE_A "-speeding-1 " AF_PHONE_A
                                        "-terminal_alarm-1 ");
    ids_of("/v1/violations?type=speeding", ids, sizeof ids);
    assert_string_equal(ids, AF_PHONE_B "-speeding-2 " AF_PHONE_B "-speeding-1 " AF_PHONE_A
                                        "-speeding-1 ");
    ids_of("/v1/violations?type=speeding&severity=warning", ids, sizeof ids);
    assert_string_equal(ids, AF_PHONE_B "-speeding-1 ");
    ids_of("/v1/violations?severity=minor&limit=1", ids, sizeof ids);
    assert_string_equal(ids, AF_PHONE_C "-night_ban-1 ");
    ids_of("/v1/violations?phone=" AF_PHONE_A "&type=speeding", ids, sizeof ids);
    assert_string_equal(ids, AF_PHONE_A "-speeding-1 ");
    ids_of("/v1/violations?plate=" AF_PLATE_A_URL "&phone=" AF_PHONE_B, ids, sizeof ids);
    assert_string_equal(ids, "");
    /* time range, ISO with offset (escaped '+') and epoch */
    ids_of("/v1/violations?from=2026-11-28T08:00:00%2B08:00&to=1795824200", ids, sizeof ids);
    assert_string_equal(ids, AF_PHONE_B "-speeding-2 " AF_PHONE_B "-speeding-1 " AF_PHONE_B
                                        "-overload-1 " AF_PHONE_A "-speeding-1 ");
    ids_of("/v1/violations?from=2026-11-28T00:00:00Z&to=2026-11-28T00:01:40Z", ids, sizeof ids);
    assert_string_equal(ids, AF_PHONE_A "-speeding-1 ");
    ids_of("/v1/violations?plate=%E4%BA%ACA00000", ids, sizeof ids);
    assert_string_equal(ids, "");
}

static void violation_parameter_errors(void **state)
{
    (void)state;
    expect_bad("/v1/violations?limit=0", "limit");
    expect_bad("/v1/violations?limit=ten", "limit");
    expect_bad("/v1/violations?type=parking", "type");
    expect_bad("/v1/violations?severity=grave", "severity");
    expect_bad("/v1/violations?from=yesterday", "from");
    expect_bad("/v1/violations?to=2026-13-01", "to");
    expect_bad("/v1/violations?from=1795824200&to=1795824000", "from");
    expect_bad("/v1/violations?cursor=abc", "cursor");
    expect_bad("/v1/violations?cursor=123:bad%20id", "cursor");
    expect_bad("/v1/violations?phone=1380013800x", "phone");
    expect_bad("/v1/violations?plate=%E8%8B", "plate");
    expect_bad("/v1/violations?colour=red", "colour");
    expect_bad("/v1/violations?limit=1&limit=2", "limit");
    /* a limit above the cap is lowered, not refused */
    af_response r = get("/v1/violations?limit=100000", POLICE, 200);
    assert_int_equal(cJSON_GetArraySize(list_of(&r, "violations")), AF_VIOLATIONS);
    af_response_free(&r);
}

static void one_violation_with_evidence(void **state)
{
    (void)state;
    af_response r = get("/v1/violations/" AF_PHONE_A "-speeding-1", POLICE, 200);
    assert_string_equal(af_str(r.json, "type"), "speeding");
    assert_string_equal(af_str(r.json, "severity"), "serious");
    assert_string_equal(af_str(r.json, "state"), "closed");
    /* stored as 0.1 km/h, presented in km/h */
    assert_string_equal(af_str(r.json, "unit"), "km/h");
    assert_true(af_num(r.json, "value") == 105.5);
    assert_true(af_num(r.json, "limit") == 80);
    assert_true(af_num(r.json, "peak") == 105.5);
    assert_true(af_num(r.json, "mean") == 96.4);
    const cJSON *ev = cJSON_GetObjectItem(r.json, "evidence");
    assert_int_equal(cJSON_GetArraySize(ev), 3); /* first, peak, last */
    assert_string_equal(af_str(cJSON_GetArrayItem(ev, 1), "role"), "peak");
    assert_string_equal(af_str(cJSON_GetArrayItem(ev, 2), "role"), "last");
    assert_string_equal(af_str(cJSON_GetArrayItem(ev, 1), "time"), "2026-11-28T08:02:40+08:00");
    assert_true(af_num(cJSON_GetArrayItem(ev, 0), "speed_kmh") == 105.0);
    af_response_free(&r);
    r = get("/v1/violations/" AF_PHONE_A "-speeding-99", POLICE, 404);
    assert_string_equal(af_str(r.json, "param"), "id");
    af_response_free(&r);
    expect_bad("/v1/violations/bad%20id", "id");
    expect_bad("/v1/violations/" AF_PHONE_A "-speeding-1?full=1", "full");
}

/* ---- vehicles ------------------------------------------------------------------------ */

static void vehicle_by_phone_and_by_plate(void **state)
{
    (void)state;
    const char *targets[] = {"/v1/vehicles/" AF_PHONE_A, "/v1/vehicles/" AF_PLATE_A_URL};
    for (size_t i = 0; i < 2; i++) {
        af_response r = get(targets[i], POLICE, 200);
        assert_string_equal(af_str(r.json, "phone"), AF_PHONE_A);
        assert_string_equal(af_str(r.json, "plate"), AF_PLATE_A);
        assert_string_equal(af_str(r.json, "vehicle_class"), "tour_coach");
        assert_true(af_num(r.json, "lat") == 32.0603);
        assert_true(af_num(r.json, "speed_kmh") == 62.5);
        assert_string_equal(af_str(r.json, "gnss_time"), "2026-11-28T08:04:30+08:00");
        assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "online")));
        assert_true(cJSON_IsNull(cJSON_GetObjectItem(r.json, "load_kg")));
        const cJSON *open = cJSON_GetObjectItem(r.json, "open_violations");
        assert_int_equal(cJSON_GetArraySize(open), 1);
        assert_string_equal(af_str(cJSON_GetArrayItem(open, 0), "id"), AF_PHONE_A "-fatigue-1");
        af_response_free(&r);
    }
    af_response r = get("/v1/vehicles/%E4%BA%ACA00000", POLICE, 404);
    assert_string_equal(af_str(r.json, "param"), "vehicle");
    af_response_free(&r);
    r = get("/v1/vehicles/13000000000", POLICE, 404);
    af_response_free(&r);
    expect_bad("/v1/vehicles/%E8%8B", "vehicle");
    expect_bad("/v1/vehicles/a%20b", "vehicle");
    expect_bad("/v1/vehicles/%00", "path");
}

static void track_json_merges_late_points(void **state)
{
    (void)state;
    af_response r =
        get("/v1/vehicles/" AF_PLATE_A_URL "/track?from=1795824000&to=1795825000", POLICE, 200);
    const cJSON *pts = list_of(&r, "points");
    assert_int_equal(cJSON_GetArraySize(pts), AF_TRACK_POINTS + AF_TRACK_LATE);
    assert_int_equal((int)af_num(r.json, "count"), AF_TRACK_POINTS + AF_TRACK_LATE);
    assert_string_equal(af_str(cJSON_GetArrayItem(pts, 0), "time"), "2026-11-28T08:00:00+08:00");
    /* the first late point (08:01:15) sits between 08:01:00 and 08:01:30 */
    const cJSON *late = cJSON_GetArrayItem(pts, 3);
    assert_string_equal(af_str(late, "time"), "2026-11-28T08:01:15+08:00");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(late, "late")));
    assert_true(af_num(cJSON_GetArrayItem(pts, 1), "speed_kmh") == 60.1);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(r.json, "next_cursor")));
    af_response_free(&r);
    r = get("/v1/vehicles/" AF_PHONE_A "/track?from=2026-11-28T08:01:00&to=2026-11-28T08:02:00",
            POLICE, 200);
    assert_int_equal(cJSON_GetArraySize(list_of(&r, "points")), 4); /* :00 :15 :30 2:00 */
    af_response_free(&r);
}

static void track_pages_and_geojson(void **state)
{
    (void)state;
    char target[256] = "/v1/vehicles/" AF_PHONE_A "/track?from=1795824000&to=1795825000&limit=5";
    int total = 0, pages = 0;
    char last[40] = "";
    for (;;) {
        af_response r = get(target, POLICE, 200);
        const cJSON *p;
        cJSON_ArrayForEach(p, list_of(&r, "points"))
        {
            assert_true(strcmp(af_str(p, "time"), last) > 0); /* strictly later: no repeats */
            snprintf(last, sizeof last, "%s", af_str(p, "time"));
            total++;
        }
        pages++;
        const char *next = af_str(r.json, "next_cursor");
        if (next)
            snprintf(target, sizeof target,
                     "/v1/vehicles/" AF_PHONE_A "/track?from=1795824000&to=1795825000&limit=5"
                     "&cursor=%s",
                     next);
        af_response_free(&r);
        if (next == NULL)
            break;
        assert_true(pages < 10);
    }
    assert_int_equal(total, AF_TRACK_POINTS + AF_TRACK_LATE);
    assert_int_equal(pages, 3);
    af_response r =
        get("/v1/vehicles/" AF_PHONE_A "/track?from=1795824000&to=1795825000&format=geojson",
            POLICE, 200);
    assert_string_equal(af_str(r.json, "type"), "Feature");
    const cJSON *geom = cJSON_GetObjectItem(r.json, "geometry");
    assert_string_equal(af_str(geom, "type"), "LineString");
    const cJSON *coords = cJSON_GetObjectItem(geom, "coordinates");
    assert_int_equal(cJSON_GetArraySize(coords), AF_TRACK_POINTS + AF_TRACK_LATE);
    const cJSON *first = cJSON_GetArrayItem(coords, 0);
    assert_true(cJSON_GetArrayItem(first, 0)->valuedouble == 118.7969); /* lon first */
    assert_true(cJSON_GetArrayItem(first, 1)->valuedouble == 32.0603);
    const cJSON *props = cJSON_GetObjectItem(r.json, "properties");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(props, "times")),
                     AF_TRACK_POINTS + AF_TRACK_LATE);
    af_response_free(&r);
    r = get("/v1/vehicles/" AF_PHONE_A "/track?from=1795000000&to=1795000100&format=geojson",
            POLICE, 200);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(r.json, "geometry")));
    af_response_free(&r);
}

static void track_errors(void **state)
{
    (void)state;
    expect_bad("/v1/vehicles/" AF_PHONE_A "/track?format=kml", "format");
    expect_bad("/v1/vehicles/" AF_PHONE_A "/track?from=1795825000&to=1795824000", "from");
    expect_bad("/v1/vehicles/" AF_PHONE_A "/track?cursor=-1", "cursor");
    expect_bad("/v1/vehicles/" AF_PHONE_A "/track?limit=0", "limit");
    af_response r = get("/v1/vehicles/13000000000/track", POLICE, 404);
    af_response_free(&r);
}

static void near_search(void **state)
{
    (void)state;
    af_response r = get("/v1/vehicles?near=32.0603,118.7969&radius_m=5000", POLICE, 200);
    const cJSON *l = list_of(&r, "vehicles");
    assert_int_equal(cJSON_GetArraySize(l), 2);
    assert_string_equal(af_str(cJSON_GetArrayItem(l, 0), "phone"), AF_PHONE_A);
    assert_string_equal(af_str(cJSON_GetArrayItem(l, 1), "phone"), AF_PHONE_B);
    assert_string_equal(af_str(cJSON_GetArrayItem(l, 1), "plate"), AF_PLATE_B);
    double d = af_num(cJSON_GetArrayItem(l, 1), "distance_m");
    assert_true(d > 1000 && d < 1200);
    assert_int_equal((int)af_num(r.json, "radius_m"), 5000);
    af_response_free(&r);
    r = get("/v1/vehicles?near=32.0603,118.7969&radius_m=5000&limit=1", POLICE, 200);
    assert_int_equal(cJSON_GetArraySize(list_of(&r, "vehicles")), 1);
    af_response_free(&r);
    r = get("/v1/vehicles?near=0,0", POLICE, 200);
    assert_int_equal(cJSON_GetArraySize(list_of(&r, "vehicles")), 0);
    af_response_free(&r);
    expect_bad("/v1/vehicles", "near");
    expect_bad("/v1/vehicles?near=32.06", "near");
    expect_bad("/v1/vehicles?near=95,118", "near");
    expect_bad("/v1/vehicles?near=32,118&radius_m=999999", "radius_m");
    expect_bad("/v1/vehicles?near=32,118&radius_m=0", "radius_m");
}

static void stats_by_type_and_severity(void **state)
{
    (void)state;
    af_response r = get("/v1/stats?from=2026-11-27T00:00:00%2B08:00&to=2026-11-30", POLICE, 200);
    assert_int_equal((int)af_num(r.json, "total"), AF_VIOLATIONS);
    const cJSON *type = cJSON_GetObjectItem(r.json, "by_type");
    assert_int_equal((int)af_num(type, "speeding"), 3);
    assert_int_equal((int)af_num(type, "overload"), 1);
    assert_int_equal((int)af_num(type, "fatigue"), 1);
    assert_int_equal((int)af_num(type, "route_deviation"), 0);
    const cJSON *sev = cJSON_GetObjectItem(r.json, "by_severity");
    assert_int_equal((int)af_num(sev, "minor"), 3);
    assert_int_equal((int)af_num(sev, "warning"), 2);
    assert_int_equal((int)af_num(sev, "serious"), 1);
    assert_int_equal((int)af_num(sev, "severe"), 1);
    assert_string_equal(af_str(r.json, "from"), "2026-11-27T00:00:00+08:00");
    af_response_free(&r);
    r = get("/v1/stats?from=1795824000&to=1795824200", POLICE, 200);
    assert_int_equal((int)af_num(r.json, "total"), 4);
    assert_int_equal((int)af_num(cJSON_GetObjectItem(r.json, "by_severity"), "serious"), 1);
    af_response_free(&r);
    expect_bad("/v1/stats?from=later", "from");
    expect_bad("/v1/stats?from=1795824200&to=1795824000", "from");
    expect_bad("/v1/stats?type=speeding", "type");
}

static void text_body_errors(void **state)
{
    (void)state;
    static const struct {
        const char *body, *param;
    } cases[] = {
        {"not json", "body"},
        {"[1,2]", "body"},
        {"{\"text\":\"hi\",\"urgent\":true}", "body"},
        {"{\"text\":\"\"}", "text"},
        {"{\"text\":42}", "text"},
        {"{\"text\":\"hi\",\"tts\":\"yes\"}", "tts"},
        {"{\"text\":\"slow down \xf0\x9f\x9a\x97\"}", "text"}, /* an emoji: no GBK for it */
        {"{\"text\":\"stop\\u0000 and wait\"}", "text"},       /* would be cut at the NUL */
        {"{\"text\":\"\\u0000\"}", "text"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        af_response r;
        assert_int_equal(af_http(api.port, "POST", "/v1/vehicles/" AF_PHONE_A "/text", DISPATCHER,
                                 cases[i].body, NULL, &r),
                         0);
        assert_int_equal(r.status, 400);
        assert_string_equal(af_str(r.json, "param"), cases[i].param);
        af_response_free(&r);
    }
    /* the reasons, and an escaped backslash before "u0000" is text, not a NUL (it reaches the
     * missing gateway: 503) */
    static const struct {
        const char *body, *error_part;
        int status;
    } reasons[] = {
        {"{\"text\":\"\xf0\x9f\x9a\x97\"}", "GBK cannot encode", 400},
        {"{\"text\":\"a\\u0000b\"}", "NUL", 400},
        {"{\"text\":\"C:\\\\u0000\"}", "no gateway", 503},
    };
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++) {
        af_response r;
        assert_int_equal(af_http(api.port, "POST", "/v1/vehicles/" AF_PHONE_A "/text", DISPATCHER,
                                 reasons[i].body, NULL, &r),
                         0);
        assert_int_equal(r.status, reasons[i].status);
        assert_non_null(strstr(af_str(r.json, "error"), reasons[i].error_part));
        af_response_free(&r);
    }
}

/* An admin revokes a terminal's code: the digest leaves fw:auth:<phone> (the phone's leading
 * zeros dropped, as the gateway keys it), revoked_ms says when, the evidence of the grant stays;
 * a second revoke finds no code. Police may not; a phone that is not digits is 400. */
static void revoke_removes_the_code(void **state)
{
    (void)state;
    const char *target = "/v1/admin/terminals/0" AF_PHONE_A "/revoke";
    assert_int_equal(af_redis_cmd(&redis,
                                  "HSET fw:auth:" AF_PHONE_A " digest %s issued_ms 1000 "
                                  "terminal_id T-0001 revoked_ms %s",
                                  "ab12", ""),
                     0);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    long long before_ms = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    af_response r;
    assert_int_equal(af_http(api.port, "POST", target, ADMIN, NULL, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(af_str(r.json, "phone"), AF_PHONE_A);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "had_code")));
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "session_closed")));
    af_response_free(&r);
    redisReply *rep = af_redis_reply(&redis, "HMGET fw:auth:" AF_PHONE_A
                                             " digest revoked_ms terminal_id issued_ms");
    assert_non_null(rep);
    assert_int_equal(rep->elements, 4);
    assert_int_equal(rep->element[0]->type, REDIS_REPLY_NIL);
    assert_int_equal(rep->element[1]->type, REDIS_REPLY_STRING);
    assert_true(atoll(rep->element[1]->str) >= before_ms);
    assert_true(atoll(rep->element[1]->str) < before_ms + 60 * 1000);
    assert_string_equal(rep->element[2]->str, "T-0001");
    assert_string_equal(rep->element[3]->str, "1000");
    freeReplyObject(rep);

    assert_int_equal(af_http(api.port, "POST", target, ADMIN, NULL, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "had_code")));
    af_response_free(&r);
    assert_int_equal(af_http(api.port, "POST", target, POLICE, NULL, NULL, &r), 0);
    assert_int_equal(r.status, 403);
    af_response_free(&r);
    assert_int_equal(
        af_http(api.port, "POST", "/v1/admin/terminals/1380013800x/revoke", ADMIN, NULL, NULL, &r),
        0);
    assert_int_equal(r.status, 400);
    assert_string_equal(af_str(r.json, "param"), "phone");
    af_response_free(&r);
    assert_int_equal(af_redis_cmd(&redis, "DEL fw:auth:" AF_PHONE_A), 0);
}

/* After the role tests: refusals are logged (audit.c) with the token's label, tokens never. */
static void log_names_labels_never_tokens(void **state)
{
    (void)state;
    static char log[1 << 18];
    FILE *f = fopen(api.log_path, "r");
    assert_non_null(f);
    size_t n = fread(log, 1, sizeof log - 1, f);
    fclose(f);
    log[n] = '\0';
    assert_non_null(strstr(log, "\"traffic-police-desk\" (role police) 127.0.0.1:"));
    assert_non_null(strstr(log, " POST /v1/admin/reload -> 403"));
    assert_non_null(strstr(log, "\"dispatch-centre\" (role dispatcher)"));
    assert_null(strstr(log, "test-token"));
}

/* Last: Redis goes away, then comes back (empty): the API reconnects by itself. */
static void redis_down_is_503_until_it_returns(void **state)
{
    (void)state;
    af_redis_stop(&redis);
    af_response r = get("/v1/violations", POLICE, 503);
    assert_string_equal(af_str(r.json, "error"), "redis unavailable");
    af_response_free(&r);
    r = get("/healthz", NULL, 503);
    assert_string_equal(af_str(r.json, "status"), "unavailable");
    assert_string_equal(af_str(r.json, "redis"), "down");
    assert_non_null(af_str(r.json, "redis_error"));
    af_response_free(&r);
    r = get("/v1/vehicles/" AF_PLATE_A_URL, POLICE, 503);
    af_response_free(&r);
    assert_int_equal(af_redis_restart(&redis), 0);
    for (int i = 0; i < 50; i++) { /* api_reconnect_ms is 500 */
        assert_int_equal(af_http(api.port, "GET", "/healthz", NULL, NULL, NULL, &r), 0);
        int status = r.status;
        af_response_free(&r);
        if (status == 200)
            break;
        usleep(100 * 1000);
    }
    r = get("/v1/violations", POLICE, 200);
    assert_int_equal(cJSON_GetArraySize(list_of(&r, "violations")), 0);
    af_response_free(&r);
}

int main(int argc, char **argv)
{
    if (af_args(argc, argv, 0, "", &binary, &token_file) != 0)
        return 2;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(healthz_is_open),
        cmocka_unit_test(missing_or_wrong_token_is_401),
        cmocka_unit_test(each_role_gets_its_rights),
        cmocka_unit_test(unknown_paths_and_methods),
        cmocka_unit_test(oversized_requests_are_refused),
        cmocka_unit_test(violations_newest_first_with_every_field),
        cmocka_unit_test(pagination_visits_each_once),
        cmocka_unit_test(violation_filters),
        cmocka_unit_test(violation_parameter_errors),
        cmocka_unit_test(one_violation_with_evidence),
        cmocka_unit_test(vehicle_by_phone_and_by_plate),
        cmocka_unit_test(track_json_merges_late_points),
        cmocka_unit_test(track_pages_and_geojson),
        cmocka_unit_test(track_errors),
        cmocka_unit_test(near_search),
        cmocka_unit_test(stats_by_type_and_severity),
        cmocka_unit_test(text_body_errors),
        cmocka_unit_test(revoke_removes_the_code),
        cmocka_unit_test(metrics_are_prometheus_text),
        cmocka_unit_test(log_names_labels_never_tokens),
        cmocka_unit_test(redis_down_is_503_until_it_returns),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
