/* geo_query.c - what the geodata says at one point (fw_geo_query, geo.h): the applicable zones
 * from the point's grid cell (speed limit, road type, forbidden) and the distance to the
 * vehicle's route. Cost: one cell's candidates, bounding-box checks, then exact tests
 * (integer crossing test for polygons, projected metres for circles and segments).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fw/base/china_time.h"
#include "geo_internal.h"

/* Even-odd crossing test over all rings (outer rings, holes and multipolygon parts). */
static bool in_rings(const fw_geo *g, const fw_zone *z, int32_t lat, int32_t lon)
{
    bool inside = false;
    for (uint32_t r = 0; r < z->ring_count; r++) {
        const fw_ring *ring = &g->rings[z->ring_first + r];
        const int32_t *ys = g->vlat + ring->first, *xs = g->vlon + ring->first;
        for (uint32_t i = 0, j = ring->count - 1; i < ring->count; j = i++) {
            if ((ys[i] > lat) == (ys[j] > lat))
                continue;
            int64_t dy = (int64_t)ys[j] - ys[i];
            int64_t num =
                ((int64_t)xs[j] - xs[i]) * ((int64_t)lat - ys[i]) - ((int64_t)lon - xs[i]) * dy;
            if ((num > 0) == (dy > 0) && num != 0)
                inside = !inside;
        }
    }
    return inside;
}

static bool zone_contains(const fw_geo *g, const fw_zone *z, int32_t lat, int32_t lon, double kx)
{
    if (lat < z->box.min_lat || lat > z->box.max_lat || lon < z->box.min_lon ||
        lon > z->box.max_lon)
        return false;
    if (z->ring_count)
        return in_rings(g, z, lat, lon);
    double dx = ((double)lon - z->c_lon) * kx, dy = ((double)lat - z->c_lat) * FW_M_PER_E6;
    return dx * dx + dy * dy <= (double)z->radius_m * z->radius_m;
}

static bool zone_applies(const fw_zone *z, fw_vehicle_class vclass, uint16_t minute)
{
    if (!(z->classes & (1u << vclass)))
        return false;
    if (z->window_count == 0)
        return true;
    for (uint8_t w = 0; w < z->window_count; w++)
        if (fw_minute_in_window(minute, z->window_min[w][0], z->window_min[w][1]))
            return true;
    return false;
}

static void apply_zone(const fw_zone *z, uint32_t keep_forbidden_id, double *road_area,
                       fw_geo_hit *out)
{
    if (z->limit_dkmh && (!out->zone_limit_dkmh || z->limit_dkmh < out->zone_limit_dkmh)) {
        out->zone_limit_dkmh = z->limit_dkmh;
        out->limit_zone_id = z->id;
    }
    if (z->kind == FW_ZONE_ROAD && z->area_deg2 < *road_area) {
        *road_area = z->area_deg2;
        out->road = (fw_road_type)z->road;
    }
    if (z->kind == FW_ZONE_FORBIDDEN && (!out->in_forbidden || z->id == keep_forbidden_id)) {
        out->in_forbidden = true;
        out->forbidden_zone_id = z->id;
    }
}

/* Squared distance in m^2 from the point (origin) to segment s, projected with kx. */
static double segment_dist2(const fw_segment *s, int32_t lat, int32_t lon, double kx)
{
    double ax = ((double)s->lon1 - lon) * kx, ay = ((double)s->lat1 - lat) * FW_M_PER_E6;
    double dx = ((double)s->lon2 - s->lon1) * kx, dy = ((double)s->lat2 - s->lat1) * FW_M_PER_E6;
    double len2 = dx * dx + dy * dy, t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double px = ax + t * dx, py = ay + t * dy;
    return px * px + py * py;
}

typedef struct {
    double best_d2;
    const fw_segment *best;
    bool inside;
} nearest;

static void consider(nearest *n, const fw_segment *s, int32_t lat, int32_t lon, double kx)
{
    double d2 = segment_dist2(s, lat, lon, kx);
    if (d2 <= (double)s->half_width_m * s->half_width_m)
        n->inside = true;
    if (d2 < n->best_d2) {
        n->best_d2 = d2;
        n->best = s;
    }
}

static const fw_route *find_route(const fw_geo *g, uint32_t id)
{
    uint32_t lo = 0, hi = g->route_count;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (g->routes[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < g->route_count && g->routes[lo].id == id ? &g->routes[lo] : NULL;
}

/* Nearest segment of route ridx among the segments listed in one cell. */
static void scan_cell(const fw_geo *g, uint32_t cell, uint32_t ridx, int32_t lat, int32_t lon,
                      double kx, nearest *n)
{
    const fw_grid *gr = &g->grid;
    for (uint32_t k = gr->seg_start[cell]; k < gr->seg_start[cell + 1]; k++)
        if (gr->seg_item_route[k] == ridx)
            consider(n, &g->segs[gr->seg_items[k]], lat, lon, kx);
}

/* The cells at Chebyshev distance r from (cx, cy), clipped to the grid. */
static void scan_ring(const fw_geo *g, int64_t cx, int64_t cy, int64_t r, uint32_t ridx,
                      int32_t lat, int32_t lon, double kx, nearest *n)
{
    const fw_grid *gr = &g->grid;
    for (int64_t y = cy - r; y <= cy + r; y++) {
        if (y < 0 || y >= gr->ny)
            continue;
        int64_t step = (y == cy - r || y == cy + r) ? 1 : 2 * r;
        for (int64_t x = cx - r; x <= cx + r; x += step)
            if (x >= 0 && x < gr->nx)
                scan_cell(g, (uint32_t)(y * gr->nx + x), ridx, lat, lon, kx, n);
    }
}

/* Every segment within FW_ROUTE_INDEX_MARGIN_M of the point is listed in its cell; a segment
 * listed only in cells of ring r + 1 or further is at least r cell edges away. So the search
 * widens ring by ring until the best distance is provably the nearest, up to
 * FW_ROUTE_RING_MAX rings, then falls back to the whole route. */
#define FW_ROUTE_RING_MAX 8

static void nearest_on_route(const fw_geo *g, const fw_route *r, int64_t cell, int32_t lat,
                             int32_t lon, double kx, nearest *n)
{
    uint32_t ridx = (uint32_t)(r - g->routes);
    if (cell >= 0) {
        const fw_grid *gr = &g->grid;
        double edge_m = gr->cell_e6 * (kx < FW_M_PER_E6 ? kx : FW_M_PER_E6);
        int64_t cx = cell % gr->nx, cy = cell / gr->nx;
        scan_cell(g, (uint32_t)cell, ridx, lat, lon, kx, n);
        double reach_m = FW_ROUTE_INDEX_MARGIN_M;
        for (int64_t ring = 1; ring <= FW_ROUTE_RING_MAX; ring++) {
            if (n->best && n->best_d2 <= reach_m * reach_m)
                return;
            scan_ring(g, cx, cy, ring, ridx, lat, lon, kx, n);
            reach_m = ring * edge_m;
        }
        if (n->best && n->best_d2 <= reach_m * reach_m)
            return;
    }
    for (uint32_t k = 0; k < r->seg_count; k++) /* far away: the whole route */
        consider(n, &g->segs[r->seg_first + k], lat, lon, kx);
}

static void query_route(const fw_geo *g, int64_t cell, int32_t lat, int32_t lon, double kx,
                        uint32_t route_id, fw_geo_hit *out)
{
    const fw_route *r = find_route(g, route_id);
    if (!r)
        return;
    out->route_known = true;
    nearest n = {INFINITY, NULL, false};
    nearest_on_route(g, r, cell, lat, lon, kx, &n);
    out->in_corridor = n.inside;
    out->route_distance_m = (uint32_t)sqrt(n.best_d2);
    out->route_half_width_m = n.best->half_width_m;
    out->route_limit_dkmh = n.inside ? n.best->limit_dkmh : 0;
}

static int64_t cell_index(const fw_grid *gr, int32_t lat, int32_t lon)
{
    int64_t x = ((int64_t)lon - gr->lon0), y = ((int64_t)lat - gr->lat0);
    if (x < 0 || y < 0)
        return -1;
    x /= gr->cell_e6;
    y /= gr->cell_e6;
    return x < gr->nx && y < gr->ny ? y * gr->nx + x : -1;
}

void fw_geo_query(const fw_geo *g, int32_t lat, int32_t lon, fw_vehicle_class vclass,
                  uint16_t minute, uint32_t route_id, uint32_t keep_forbidden_id, fw_geo_hit *out)
{
    memset(out, 0, sizeof(*out));
    out->road = FW_ROAD_UNKNOWN;
    out->route_id = route_id;
    if (!g)
        return;
    int64_t cell = cell_index(&g->grid, lat, lon);
    double kx = cos(lat * (M_PI / 180e6)) * FW_M_PER_E6;
    double road_area = INFINITY;
    if (cell >= 0)
        for (uint32_t k = g->grid.zone_start[cell]; k < g->grid.zone_start[cell + 1]; k++) {
            const fw_zone *z = &g->zones[g->grid.zone_items[k]];
            if (zone_applies(z, vclass, minute) && zone_contains(g, z, lat, lon, kx))
                apply_zone(z, keep_forbidden_id, &road_area, out);
        }
    if (route_id)
        query_route(g, cell, lat, lon, kx, route_id, out);
}
