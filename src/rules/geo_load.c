/* geo_load.c - builds an fw_geo from a GeoJSON FeatureCollection (geo.h): zones from
 * Polygon / MultiPolygon / Point+radius features, routes from LineString features, then the
 * grid index (geo_grid.c). Any bad feature stops the load with its index and the reason.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo_internal.h"
#include "geo_props.h"

/* A growable array while loading; its buffer is handed to the fw_geo at the end. */
typedef struct {
    void *data;
    size_t len, cap;
} vec;

static void *vec_push(vec *v, size_t elem_size)
{
    if (v->len == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 64;
        void *p = realloc(v->data, cap * elem_size);
        if (!p)
            return NULL;
        v->data = p;
        v->cap = cap;
    }
    return (char *)v->data + v->len++ * elem_size;
}

typedef struct {
    const fw_geo_config *cfg;
    vec zones, rings, vlat, vlon, segs, routes;
    char msg[FW_PROP_MSG_MAX]; /* a formatted reason */
} loader;

static const char *const kind_names[] = {"speed_limit", "forbidden", "expressway", "highway",
                                         "urban"};

static const char *zone_kind(const cJSON *props, fw_zone *z)
{
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(props, "kind");
    if (!cJSON_IsString(k))
        return "properties.kind must be a string (speed_limit, forbidden, expressway, ...)";
    for (size_t i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++) {
        if (strcmp(k->valuestring, kind_names[i]) != 0)
            continue;
        z->kind = i < FW_ZONE_ROAD ? (uint8_t)i : FW_ZONE_ROAD;
        z->road = i < FW_ZONE_ROAD ? FW_ROAD_UNKNOWN : (uint8_t)fw_road_from_name(kind_names[i]);
        return NULL;
    }
    return "properties.kind is not one of speed_limit, forbidden, expressway, highway, urban";
}

static void bbox_add(fw_bbox *b, int32_t lat, int32_t lon)
{
    b->min_lat = lat < b->min_lat ? lat : b->min_lat;
    b->max_lat = lat > b->max_lat ? lat : b->max_lat;
    b->min_lon = lon < b->min_lon ? lon : b->min_lon;
    b->max_lon = lon > b->max_lon ? lon : b->max_lon;
}

static const char *push_vertex(loader *L, const cJSON *pos, int32_t *lat, int32_t *lon)
{
    const char *why = fw_position(pos, lat, lon);
    if (why)
        return why;
    int32_t *a = vec_push(&L->vlat, sizeof(int32_t)), *o = vec_push(&L->vlon, sizeof(int32_t));
    if (!a || !o)
        return "out of memory";
    *a = *lat;
    *o = *lon;
    return NULL;
}

static const char *add_ring(loader *L, const cJSON *ring, fw_zone *z)
{
    if (!cJSON_IsArray(ring) || cJSON_GetArraySize(ring) < 4)
        return "a polygon ring needs at least 4 positions";
    fw_ring *r = vec_push(&L->rings, sizeof(fw_ring));
    if (!r)
        return "out of memory";
    r->first = (uint32_t)L->vlat.len;
    r->count = (uint32_t)cJSON_GetArraySize(ring);
    const cJSON *pos;
    int32_t lat = 0, lon = 0;
    cJSON_ArrayForEach(pos, ring)
    {
        const char *why = push_vertex(L, pos, &lat, &lon);
        if (why)
            return why;
        bbox_add(&z->box, lat, lon);
    }
    const int32_t *vlat = L->vlat.data, *vlon = L->vlon.data;
    if (vlat[r->first] != lat || vlon[r->first] != lon)
        return "a polygon ring is not closed (first position != last)";
    z->ring_count++;
    return NULL;
}

static const char *add_polygon(loader *L, const cJSON *rings, fw_zone *z)
{
    if (!cJSON_IsArray(rings) || cJSON_GetArraySize(rings) < 1)
        return "a polygon needs an array of rings";
    const cJSON *ring;
    cJSON_ArrayForEach(ring, rings)
    {
        const char *why = add_ring(L, ring, z);
        if (why)
            return why;
    }
    return NULL;
}

static const char *zone_shape(loader *L, const char *type, const cJSON *coords, const cJSON *props,
                              fw_zone *z)
{
    z->box = (fw_bbox){INT32_MAX, INT32_MAX, INT32_MIN, INT32_MIN};
    z->ring_first = (uint32_t)L->rings.len;
    if (strcmp(type, "Polygon") == 0)
        return add_polygon(L, coords, z);
    if (strcmp(type, "MultiPolygon") == 0) {
        if (!cJSON_IsArray(coords) || cJSON_GetArraySize(coords) < 1)
            return "a MultiPolygon needs an array of polygons";
        const cJSON *poly;
        cJSON_ArrayForEach(poly, coords)
        {
            const char *why = add_polygon(L, poly, z);
            if (why)
                return why;
        }
        return NULL;
    }
    const char *why = fw_position(coords, &z->c_lat, &z->c_lon);
    if (!why)
        why = fw_prop_uint(props, "radius_m", true, 0, 1000000, &z->radius_m, L->msg);
    if (why || z->radius_m == 0)
        return why ? why : "properties.radius_m must be positive for a Point zone";
    int32_t dlat = (int32_t)ceil(z->radius_m / FW_M_PER_E6);
    double c = cos(z->c_lat * (M_PI / 180e6));
    int32_t dlon = (int32_t)ceil(z->radius_m / (FW_M_PER_E6 * (c > 0.01 ? c : 0.01)));
    z->box = (fw_bbox){z->c_lat - dlat, z->c_lon - dlon, z->c_lat + dlat, z->c_lon + dlon};
    return NULL;
}

static const char *add_zone(loader *L, const char *type, const cJSON *coords, const cJSON *props)
{
    fw_zone *z = vec_push(&L->zones, sizeof(fw_zone));
    if (!z)
        return "out of memory";
    memset(z, 0, sizeof(*z));
    uint32_t limit_kmh;
    const char *why = fw_prop_id(props, &z->id);
    why = why ? why : zone_kind(props, z);
    why = why ? why : fw_prop_uint(props, "speed_limit_kmh", false, 0, 6000, &limit_kmh, L->msg);
    why = why ? why : fw_prop_classes(props, &z->classes);
    why = why ? why : fw_prop_windows(props, z);
    why = why ? why : zone_shape(L, type, coords, props, z);
    if (why)
        return why;
    if (z->kind == FW_ZONE_SPEED_LIMIT && limit_kmh == 0)
        return "a speed_limit zone needs properties.speed_limit_kmh";
    z->limit_dkmh = (uint16_t)(limit_kmh * 10);
    z->area_deg2 = ((double)z->box.max_lat - z->box.min_lat) * 1e-6 *
                   (((double)z->box.max_lon - z->box.min_lon) * 1e-6);
    return NULL;
}

/* Route width and per-segment values for segment i. */
typedef struct {
    uint32_t half_width_m, limit_kmh;
    uint16_t *seg_width_m, *seg_limit_kmh;
} route_props;

static const char *read_route_props(loader *L, const cJSON *props, uint32_t nseg, route_props *rp)
{
    uint32_t width_m;
    bool full;
    char *m = L->msg;
    const char *why = fw_prop_uint(props, "width_m", true, 0, 65535, &width_m, m);
    why = why ? why : fw_prop_bool(props, "width_is_full", L->cfg->width_is_full, &full, m);
    why = why ? why : fw_prop_uint(props, "speed_limit_kmh", false, 0, 6000, &rp->limit_kmh, m);
    why = why ? why
              : fw_prop_segment_array(props, "segment_widths_m", nseg, 65535, rp->seg_width_m, m);
    why = why ? why
              : fw_prop_segment_array(props, "segment_speed_limits_kmh", nseg, 6000,
                                      rp->seg_limit_kmh, m);
    if (why)
        return why;
    if (width_m == 0)
        return "properties.width_m must be positive";
    for (uint32_t i = 0; i < nseg; i++)
        if (rp->seg_width_m[i] && full)
            rp->seg_width_m[i] = (uint16_t)((rp->seg_width_m[i] + 1) / 2);
    rp->half_width_m = full ? (width_m + 1) / 2 : width_m;
    return NULL;
}

static const char *add_segments(loader *L, const cJSON *coords, uint32_t route_idx,
                                const route_props *rp)
{
    int32_t plat = 0, plon = 0, lat, lon;
    uint32_t i = 0;
    const cJSON *pos;
    cJSON_ArrayForEach(pos, coords)
    {
        const char *why = fw_position(pos, &lat, &lon);
        if (why)
            return why;
        if (i > 0) {
            fw_segment *s = vec_push(&L->segs, sizeof(fw_segment));
            if (!s)
                return "out of memory";
            uint16_t w = rp->seg_width_m[i - 1], lim = rp->seg_limit_kmh[i - 1];
            *s = (fw_segment){plat,
                              plon,
                              lat,
                              lon,
                              route_idx,
                              (uint16_t)(w ? w : rp->half_width_m),
                              (uint16_t)((lim ? lim : rp->limit_kmh) * 10)};
        }
        plat = lat;
        plon = lon;
        i++;
    }
    return NULL;
}

static const char *add_route(loader *L, const cJSON *coords, const cJSON *props)
{
    int n = cJSON_IsArray(coords) ? cJSON_GetArraySize(coords) : 0;
    if (n < 2)
        return "a LineString route needs at least 2 positions";
    fw_route *r = vec_push(&L->routes, sizeof(fw_route));
    if (!r)
        return "out of memory";
    const char *why = fw_prop_id(props, &r->id);
    if (why)
        return why;
    r->seg_first = (uint32_t)L->segs.len;
    r->seg_count = (uint32_t)n - 1;
    route_props rp = {0};
    rp.seg_width_m = calloc(r->seg_count, sizeof(uint16_t));
    rp.seg_limit_kmh = calloc(r->seg_count, sizeof(uint16_t));
    why = rp.seg_width_m && rp.seg_limit_kmh ? NULL : "out of memory";
    why = why ? why : read_route_props(L, props, r->seg_count, &rp);
    why = why ? why : add_segments(L, coords, (uint32_t)(L->routes.len - 1), &rp);
    free(rp.seg_width_m);
    free(rp.seg_limit_kmh);
    return why;
}

static const char *add_feature(loader *L, const cJSON *f)
{
    const cJSON *geom = cJSON_GetObjectItemCaseSensitive(f, "geometry");
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(f, "properties");
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(geom, "type");
    const cJSON *coords = cJSON_GetObjectItemCaseSensitive(geom, "coordinates");
    if (!cJSON_IsObject(props))
        return "a feature needs a properties object";
    if (!cJSON_IsString(type) || !coords)
        return "a feature needs a geometry with type and coordinates";
    const char *t = type->valuestring;
    if (strcmp(t, "LineString") == 0)
        return add_route(L, coords, props);
    if (strcmp(t, "Polygon") == 0 || strcmp(t, "MultiPolygon") == 0 || strcmp(t, "Point") == 0)
        return add_zone(L, t, coords, props);
    return "geometry type must be Polygon, MultiPolygon, Point (zones) or LineString (routes)";
}

static int route_by_id(const void *a, const void *b)
{
    uint32_t x = ((const fw_route *)a)->id, y = ((const fw_route *)b)->id;
    return x < y ? -1 : x > y;
}

/* Sort routes by id (for lookup) and renumber their segments; duplicate ids are an error. */
static const char *index_routes(fw_geo *g)
{
    if (g->route_count)
        qsort(g->routes, g->route_count, sizeof(fw_route), route_by_id);
    for (uint32_t i = 0; i < g->route_count; i++) {
        const fw_route *r = &g->routes[i];
        for (uint32_t s = 0; s < r->seg_count; s++)
            g->segs[r->seg_first + s].route = i;
        if (i > 0 && r->id == g->routes[i - 1].id)
            return "two routes have the same properties.id";
    }
    return NULL;
}

static void take_arrays(loader *L, fw_geo *g)
{
    g->zones = L->zones.data;
    g->zone_count = (uint32_t)L->zones.len;
    g->rings = L->rings.data;
    g->ring_count = (uint32_t)L->rings.len;
    g->vlat = L->vlat.data;
    g->vlon = L->vlon.data;
    g->vertex_count = (uint32_t)L->vlat.len;
    g->segs = L->segs.data;
    g->seg_count = (uint32_t)L->segs.len;
    g->routes = L->routes.data;
    g->route_count = (uint32_t)L->routes.len;
}

static void set_error(fw_geo_error *err, int index, const char *why)
{
    if (err) {
        err->feature_index = index;
        snprintf(err->reason, sizeof(err->reason), "%s", why);
    }
}

static const char *load_features(loader *L, const cJSON *doc, int *index)
{
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(doc, "type");
    const cJSON *features = cJSON_GetObjectItemCaseSensitive(doc, "features");
    if (!cJSON_IsString(type) || strcmp(type->valuestring, "FeatureCollection") != 0 ||
        !cJSON_IsArray(features)) {
        *index = -1;
        return "the document is not a GeoJSON FeatureCollection with a features array";
    }
    const cJSON *f;
    cJSON_ArrayForEach(f, features)
    {
        const char *why = add_feature(L, f);
        if (why)
            return why;
        ++*index;
    }
    return NULL;
}

fw_geo *fw_geo_load(const char *json, size_t len, const fw_geo_config *cfg, fw_geo_error *err)
{
    loader L = {.cfg = cfg};
    fw_geo *g = calloc(1, sizeof(*g));
    if (!g) {
        set_error(err, -1, "out of memory");
        return NULL;
    }
    cJSON *doc = cJSON_ParseWithLength(json, len);
    int index = -1;
    const char *why = "not valid JSON";
    if (doc) {
        index = 0;
        why = load_features(&L, doc, &index);
    }
    cJSON_Delete(doc);
    take_arrays(&L, g);
    if (!why)
        index = -1;
    why = why ? why : index_routes(g);
    why = why ? why : fw_geo_grid_build(g, cfg->cell_e6) ? "out of memory" : NULL;
    if (!why)
        return g;
    set_error(err, index, why);
    fw_geo_free(g);
    return NULL;
}

void fw_geo_free(fw_geo *geo)
{
    if (!geo)
        return;
    fw_geo_grid_free(&geo->grid);
    free(geo->zones);
    free(geo->rings);
    free(geo->vlat);
    free(geo->vlon);
    free(geo->segs);
    free(geo->routes);
    free(geo);
}

size_t fw_geo_zone_count(const fw_geo *geo)
{
    return geo ? geo->zone_count : 0;
}

size_t fw_geo_route_count(const fw_geo *geo)
{
    return geo ? geo->route_count : 0;
}
