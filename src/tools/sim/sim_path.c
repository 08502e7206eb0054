/* sim_path.c - great-circle helpers and time lookups along a waypoint path (sim_path.h). */
#include "sim_path.h"

#include <math.h>

#define EARTH_RADIUS_M 6371008.8
#define DEG            (M_PI / 180.0)
#define KMH_TO_MS      (1000.0 / 3600.0)

double sim_distance_m(sim_point a, sim_point b)
{
    double dlat = (b.lat_deg - a.lat_deg) * DEG;
    double dlon = (b.lon_deg - a.lon_deg) * DEG;
    double h = sin(dlat / 2) * sin(dlat / 2) +
               cos(a.lat_deg * DEG) * cos(b.lat_deg * DEG) * sin(dlon / 2) * sin(dlon / 2);
    return 2.0 * EARTH_RADIUS_M * asin(sqrt(h < 1.0 ? h : 1.0));
}

double sim_course_deg(sim_point a, sim_point b)
{
    double lat1 = a.lat_deg * DEG, lat2 = b.lat_deg * DEG;
    double dlon = (b.lon_deg - a.lon_deg) * DEG;
    double y = sin(dlon) * cos(lat2);
    double x = cos(lat1) * sin(lat2) - sin(lat1) * cos(lat2) * cos(dlon);
    double deg = atan2(y, x) / DEG;
    return deg < 0 ? deg + 360.0 : deg;
}

sim_point sim_move(sim_point p, double course_deg, double dist_m)
{
    double d = dist_m / EARTH_RADIUS_M, brg = course_deg * DEG;
    double lat1 = p.lat_deg * DEG, lon1 = p.lon_deg * DEG;
    double lat2 = asin(sin(lat1) * cos(d) + cos(lat1) * sin(d) * cos(brg));
    double lon2 = lon1 + atan2(sin(brg) * sin(d) * cos(lat1), cos(d) - sin(lat1) * sin(lat2));
    return (sim_point){.lon_deg = lon2 / DEG, .lat_deg = lat2 / DEG};
}

int sim_path_prepare(sim_path *p)
{
    if (p->count == 0)
        return -1;
    double t_s = 0, odo_m = 0;
    for (size_t i = 0; i < p->count; i++) {
        sim_waypoint *w = &p->points[i];
        if (w->dwell_s < 0)
            return -1;
        w->arrive_s = t_s;
        w->odo_m = odo_m;
        t_s += w->dwell_s;
        if (i + 1 == p->count)
            break;
        if (!(w->speed_kmh > 0))
            return -1;
        double leg_m = sim_distance_m(w->at, p->points[i + 1].at);
        odo_m += leg_m;
        t_s += leg_m / (w->speed_kmh * KMH_TO_MS);
    }
    p->total_s = t_s;
    p->total_m = odo_m;
    return 0;
}

/* Index of the last waypoint whose arrival time is <= t_s (t_s >= 0). */
static size_t waypoint_before(const sim_path *p, double t_s)
{
    size_t lo = 0, hi = p->count - 1;
    while (lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        if (p->points[mid].arrive_s <= t_s)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

static void parked_at(const sim_path *p, size_t i, double laps_m, sim_fix *out)
{
    const sim_waypoint *w = &p->points[i];
    out->pos = w->at;
    out->speed_kmh = 0;
    out->odo_m = laps_m + w->odo_m;
    if (i + 1 < p->count)
        out->course_deg = sim_course_deg(w->at, p->points[i + 1].at);
    else if (i > 0)
        out->course_deg = sim_course_deg(p->points[i - 1].at, w->at);
    else
        out->course_deg = 0;
}

void sim_path_at(const sim_path *p, double t_s, sim_fix *out)
{
    out->ended = false;
    double laps_m = 0;
    if (t_s < 0) { /* not set off yet */
        parked_at(p, 0, 0, out);
        return;
    }
    if (p->loop && p->total_s > 0) {
        double laps = floor(t_s / p->total_s);
        laps_m = laps * p->total_m;
        t_s -= laps * p->total_s;
    } else if (t_s >= p->total_s) {
        parked_at(p, p->count - 1, 0, out);
        out->ended = true;
        return;
    }
    size_t i = waypoint_before(p, t_s);
    const sim_waypoint *w = &p->points[i];
    double on_leg_s = t_s - w->arrive_s - w->dwell_s;
    if (on_leg_s < 0 || i + 1 == p->count) {
        parked_at(p, i, laps_m, out);
        return;
    }
    double course = sim_course_deg(w->at, p->points[i + 1].at);
    double moved_m = on_leg_s * w->speed_kmh * KMH_TO_MS;
    out->pos = sim_move(w->at, course, moved_m);
    out->speed_kmh = w->speed_kmh;
    out->course_deg = course;
    out->odo_m = laps_m + w->odo_m + moved_m;
}
