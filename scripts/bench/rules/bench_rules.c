/* bench_rules.c - throughput of the rule engine: points per second per core through all seven
 * rules with realistic geodata loaded (10,000 zones and 1,000 routes around Jiangsu, one route
 * of 10,000 vertices), for N vehicles driving interleaved 1 Hz tracks.
 *
 * The geodata is generated as GeoJSON text and loaded through fw_geo_load() (the load time is
 * printed too). Tracks are generated before timing into a compact time-major array (as points
 * arrive: every vehicle's point of second 0, then of second 1, ...); the timed loop turns
 * each into an fw_position and applies it, vehicle after vehicle for each second, like a gateway
 * serving all of them. Single-threaded, so points/s is per core. Prints the median of 5 runs.
 *
 * Usage: bench_rules [vehicles=1000] [seconds=1000] [zones=10000] [routes=1000]
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fw/rules/rules.h"

#define RUNS                5
#define LAT_MIN             30.8
#define LAT_MAX             35.0
#define LON_MIN             116.4
#define LON_MAX             121.9
#define START_UTC           1795822800LL /* 2026-11-28 07:40 China time */
#define LONG_ROUTE_VERTICES 10000

typedef struct {
    int32_t lat_e6, lon_e6;
    uint16_t speed_dkmh;
} track_point;

typedef struct {
    char *p;
    size_t len, cap;
} text;

/* A generated route: n vertices, lon/lat pairs in degrees. */
typedef struct {
    double *xy;
    int n;
} route_path;

static void put(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(text *t, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->p + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        if ((size_t)n < t->cap - t->len) {
            t->len += (size_t)n;
            return;
        }
        t->cap = t->cap * 2 + (size_t)n + 1;
        t->p = realloc(t->p, t->cap);
        if (!t->p) {
            perror("realloc");
            exit(1);
        }
    }
}

static double frand(double lo, double hi)
{
    return lo + (hi - lo) * (rand() / (double)RAND_MAX);
}

static const char *const zone_kinds[] = {"speed_limit", "speed_limit", "speed_limit",
                                         "forbidden",   "expressway",  "urban"};

static void put_zone(text *t, int id)
{
    double lat = frand(LAT_MIN, LAT_MAX), lon = frand(LON_MIN, LON_MAX);
    double r = frand(0.003, 0.02);
    const char *kind = zone_kinds[rand() % 6];
    put(t, "%s{\"type\":\"Feature\",\"properties\":{\"id\":%d,\"kind\":\"%s\"", id > 1 ? "," : "",
        id, kind);
    if (strcmp(kind, "forbidden") != 0)
        put(t, ",\"speed_limit_kmh\":%d", 30 + 10 * (rand() % 8));
    else
        put(t, ",\"classes\":[\"dangerous_goods\",\"truck\"]");
    if (rand() % 4 == 0)
        put(t, ",\"time_windows\":\"07:00-09:00,17:00-19:00\"");
    put(t, "},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[");
    for (int k = 0; k <= 8; k++) {
        double a = (k % 8) * M_PI / 4, rr = r * (k % 2 ? 0.7 : 1.0);
        put(t, "%s[%.6f,%.6f]", k ? "," : "", lon + rr * cos(a) / 0.85, lat + rr * sin(a));
    }
    put(t, "]]}}");
}

/* A random walk of n vertices about 200 m apart, kept inside the box. */
static route_path make_route(int n)
{
    route_path r = {malloc(2 * sizeof(double) * (size_t)n), n};
    double lat = frand(LAT_MIN + 0.5, LAT_MAX - 0.5), lon = frand(LON_MIN + 0.5, LON_MAX - 0.5);
    double heading = frand(0, 2 * M_PI);
    for (int k = 0; k < n; k++) {
        r.xy[2 * k] = lon;
        r.xy[2 * k + 1] = lat;
        heading += frand(-0.15, 0.15);
        lat += 0.0018 * cos(heading);
        lon += 0.0018 * sin(heading) / 0.85;
        if (lat < LAT_MIN || lat > LAT_MAX || lon < LON_MIN || lon > LON_MAX)
            heading += M_PI;
    }
    return r;
}

static void put_route(text *t, int id, const route_path *r)
{
    put(t,
        ",{\"type\":\"Feature\",\"properties\":{\"id\":%d,\"width_m\":%d,"
        "\"speed_limit_kmh\":%d},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[",
        id, 100 + 100 * (rand() % 3), 80 + 10 * (rand() % 3));
    for (int k = 0; k < r->n; k++)
        put(t, "%s[%.6f,%.6f]", k ? "," : "", r->xy[2 * k], r->xy[2 * k + 1]);
    put(t, "]}}");
}

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double now_s(void)
{
    return clock_s(CLOCK_MONOTONIC);
}

/* Route i has id i + 1. */
static fw_geo *make_geo(int zones, route_path *paths, int routes, double *load_s, text *json)
{
    put(json, "{\"type\":\"FeatureCollection\",\"features\":[");
    for (int i = 1; i <= zones; i++)
        put_zone(json, i);
    for (int i = 0; i < routes; i++) {
        paths[i] = make_route(i == 0 ? LONG_ROUTE_VERTICES : 200 + rand() % 1800);
        put_route(json, i + 1, &paths[i]);
    }
    put(json, "]}");
    fw_geo_config gc = FW_GEO_CONFIG_DEFAULT;
    fw_geo_error err;
    double t0 = now_s();
    fw_geo *g = fw_geo_load(json->p, json->len, &gc, &err);
    *load_s = now_s() - t0;
    if (!g) {
        fprintf(stderr, "geodata: feature %d: %s\n", err.feature_index, err.reason);
        exit(1);
    }
    return g;
}

/* Route id of vehicle v (a third of them), 0 otherwise. */
static uint32_t route_of(int v, int routes)
{
    return v % 3 == 0 && routes ? (uint32_t)(1 + (v / 3) % routes) : 0;
}

/* Vehicles with a route follow its vertices with a few metres of noise, and leave it by
 * about 500 m for two minutes in every ten; the others wander. One point per second. */
static void make_track(track_point *out, size_t stride, int seconds, const double *route_xy,
                       int route_n)
{
    double lat = frand(LAT_MIN, LAT_MAX), lon = frand(LON_MIN, LON_MAX), heading = frand(0, 6.28);
    int k = route_n ? rand() % route_n : 0;
    double speed_kmh = frand(40, 110);
    for (int s = 0; s < seconds; s++) {
        if (route_n) {
            lon = route_xy[2 * k] + frand(-0.00005, 0.00005);
            lat = route_xy[2 * k + 1] + frand(-0.00005, 0.00005);
            if (s % 600 >= 300 && s % 600 < 420)
                lat += 0.0045;
            if (s % 7 == 6) /* ~200 m every 7 s at about 100 km/h */
                k = (k + 1) % route_n;
        } else {
            heading += frand(-0.05, 0.05);
            lat += speed_kmh / 3.6 / 111195.0 * cos(heading);
            lon += speed_kmh / 3.6 / 94500.0 * sin(heading);
        }
        speed_kmh += frand(-2, 2);
        speed_kmh = speed_kmh < 0 ? 0 : speed_kmh > 130 ? 130 : speed_kmh;
        out[(size_t)s * stride] = (track_point){
            (int32_t)lrint(lat * 1e6), (int32_t)lrint(lon * 1e6), (uint16_t)(speed_kmh * 10)};
    }
}

static unsigned long events, events_by_type[FW_VIOLATION__COUNT];
static void count_event(void *ctx, const fw_violation *v)
{
    (void)ctx;
    events++;
    events_by_type[v->type]++;
}

/* One pass over all tracks; returns the thread's CPU seconds (the per-core cost, not counting
 * time the shared machine gave to other processes) and sets *wall_s. */
static double run_once(const fw_rules_engine *eng, const fw_vehicle_profile *veh,
                       fw_vehicle_state *st, const track_point *tracks, int vehicles, int seconds,
                       double *wall_s)
{
    for (int v = 0; v < vehicles; v++)
        fw_state_init(&st[v]);
    fw_position p = {0};
    p.status = JT_STATUS_FIXED | JT_STATUS_ACC_ON;
    p.fixed = true;
    double t0 = now_s(), c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
    for (int s = 0; s < seconds; s++)
        for (int v = 0; v < vehicles; v++) {
            const track_point *tp = &tracks[(size_t)s * vehicles + v];
            p.time_utc = START_UTC + s;
            p.lat_e6 = tp->lat_e6;
            p.lon_e6 = tp->lon_e6;
            p.speed_dkmh = p.gnss_speed_dkmh = tp->speed_dkmh;
            p.has_load = p.has_passengers = true;
            p.load_kg = 17000 + (uint32_t)(v % 7) * 1000; /* some over the rated 20 t */
            p.passengers = (uint16_t)(40 + v % 8);        /* some over the 45 seats */
            fw_rules_apply(eng, &veh[v], &st[v], &p);
        }
    *wall_s = now_s() - t0;
    return clock_s(CLOCK_THREAD_CPUTIME_ID) - c0;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void setup_vehicles(fw_vehicle_profile *veh, track_point *tracks, int vehicles, int seconds,
                           const route_path *paths, int routes)
{
    for (int v = 0; v < vehicles; v++) {
        fw_vehicle_profile *p = &veh[v];
        memset(p, 0, sizeof(*p));
        snprintf(p->phone, sizeof(p->phone), "0138%08d", v);
        p->vclass = (fw_vehicle_class)(v % FW_CLASS__COUNT);
        p->approved_seats = 45;
        p->rated_load_kg = 20000;
        p->max_gross_kg = 31000;
        p->axles = 4;
        p->long_distance = v % 2;
        p->route_id = route_of(v, routes);
        const route_path *r = p->route_id ? &paths[p->route_id - 1] : NULL;
        make_track(&tracks[v], (size_t)vehicles, seconds, r ? r->xy : NULL, r ? r->n : 0);
    }
}

/* Events of the last run, then the medians of the CPU and wall times. */
static void report(double *runs, double *walls, int vehicles, int seconds)
{
    qsort(runs, RUNS, sizeof(double), by_value);
    qsort(walls, RUNS, sizeof(double), by_value);
    double points = (double)vehicles * seconds, med = runs[RUNS / 2];
    printf("vehicles: %d x %d points (1 Hz), %lu events per run\n", vehicles, seconds, events);
    printf("events by type:");
    for (int i = 0; i < FW_VIOLATION__COUNT; i++)
        printf(" %s %lu", fw_violation_name((fw_violation_type)i), events_by_type[i]);
    printf("\n");
    printf("runs: %d, CPU time median %.3f s (min %.3f, max %.3f), wall median %.3f s\n", RUNS, med,
           runs[0], runs[RUNS - 1], walls[RUNS / 2]);
    printf("points/s per core: %.0f (wall clock: %.0f)\nns/point: %.0f\n", points / med,
           points / walls[RUNS / 2], med * 1e9 / points);
}

int main(int argc, char **argv)
{
    int vehicles = argc > 1 ? atoi(argv[1]) : 1000, seconds = argc > 2 ? atoi(argv[2]) : 1000;
    int zones = argc > 3 ? atoi(argv[3]) : 10000, routes = argc > 4 ? atoi(argv[4]) : 1000;
    if (vehicles < 1 || seconds < 1 || zones < 0 || routes < 0) {
        fprintf(stderr, "usage: %s [vehicles] [seconds] [zones] [routes]\n", argv[0]);
        return 2;
    }
    srand(42);
    text json = {0};
    double load_s;
    route_path *paths = calloc((size_t)routes + 1, sizeof(*paths));
    fw_geo *geo = make_geo(zones, paths, routes, &load_s, &json);
    fw_vehicle_profile *veh = calloc((size_t)vehicles, sizeof(*veh));
    fw_vehicle_state *st = calloc((size_t)vehicles, sizeof(*st));
    track_point *tracks = calloc((size_t)vehicles * seconds, sizeof(*tracks));
    setup_vehicles(veh, tracks, vehicles, seconds, paths, routes);
    fw_rules_config cfg;
    fw_rules_config_default(&cfg);
    fw_rules_engine eng = {&cfg, geo, {count_event, NULL, NULL}};

    double runs[RUNS], walls[RUNS];
    for (int r = 0; r < RUNS; r++) {
        events = 0;
        memset(events_by_type, 0, sizeof(events_by_type));
        runs[r] = run_once(&eng, veh, st, tracks, vehicles, seconds, &walls[r]);
    }
    printf("geodata: %zu zones, %zu routes (longest %d vertices), %.1f MB GeoJSON loaded in "
           "%.2f s\n",
           fw_geo_zone_count(geo), fw_geo_route_count(geo), LONG_ROUTE_VERTICES, json.len / 1e6,
           load_s);
    report(runs, walls, vehicles, seconds);
    fw_geo_free(geo);
    for (int i = 0; i < routes; i++)
        free(paths[i].xy);
    free(paths);
    free(json.p);
    free(veh);
    free(st);
    free(tracks);
    return 0;
}
