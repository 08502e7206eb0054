/* geo.h - geodata for the rule engine: zones and routes loaded from GeoJSON, and the spatial
 * index that answers "what applies at this point" in microseconds.
 *
 * One GeoJSON FeatureCollection holds both:
 *   zones  - Polygon, MultiPolygon, or Point with properties.radius_m;
 *            properties: id (positive integer, required), name, kind ("speed_limit",
 *            "forbidden", "expressway", "highway", "urban"), speed_limit_kmh (any kind),
 *            classes (array of class names, absent = all), time_windows
 *            ("07:00-09:00,17:00-19:00", China time, absent = always).
 *   routes - LineString with properties: id (required), name, width_m (required),
 *            width_is_full (default from fw_geo_config), speed_limit_kmh (whole route),
 *            segment_speed_limits_kmh and segment_widths_m (arrays, one per segment, 0 = use
 *            the route's value).
 * Coordinates are [lon, lat] in degrees (WGS-84, as the terminals send them).
 *
 * An fw_geo is immutable after fw_geo_load(): reload = load a new one, swap the engine's
 * pointer, free the old one when no point is being evaluated with it.
 * Distances are metres on a local equirectangular projection (docs/rules.md states the error).
 */
#ifndef FW_GEO_H
#define FW_GEO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fw/rules/rules_types.h"

typedef struct fw_geo fw_geo;

typedef struct {
    int32_t cell_e6;    /* grid cell edge, 1e-6 degrees (10000 = 0.01 deg, about 1.1 km) */
    bool width_is_full; /* a route's width_m is the whole corridor (true) or its half-width */
} fw_geo_config;

#define FW_GEO_CONFIG_DEFAULT                                                                      \
    {                                                                                              \
        .cell_e6 = 10000, .width_is_full = true                                                    \
    }

typedef struct {
    int feature_index; /* 0-based feature, -1 for the document itself */
    char reason[160];
} fw_geo_error;

/* Parse a FeatureCollection and build the index. Returns NULL with *err filled on bad input
 * or out of memory. The caller owns the result (fw_geo_free). */
fw_geo *fw_geo_load(const char *json, size_t len, const fw_geo_config *cfg, fw_geo_error *err);
void fw_geo_free(fw_geo *geo);
size_t fw_geo_zone_count(const fw_geo *geo);
size_t fw_geo_route_count(const fw_geo *geo);

/* What the geodata says at one point, for one vehicle class at one China-time minute. */
typedef struct {
    uint16_t zone_limit_dkmh; /* lowest applicable zone speed limit, 0 = none */
    uint32_t limit_zone_id;
    fw_road_type road; /* from the smallest road zone containing the point */
    bool in_forbidden;
    uint32_t forbidden_zone_id;
    bool route_known;            /* the route asked for exists */
    bool in_corridor;            /* distance <= the corridor half-width of a nearby segment */
    uint32_t route_distance_m;   /* to the nearest segment of that route */
    uint16_t route_half_width_m; /* of that segment */
    uint16_t route_limit_dkmh;   /* of that segment (or the route), 0 = none */
    uint32_t route_id;
} fw_geo_hit;

/* Query one point. route_id 0 = no route. keep_forbidden_id: when that zone still applies it
 * is the one reported (an open episode keeps its zone); 0 = report the first match. */
void fw_geo_query(const fw_geo *geo, int32_t lat_e6, int32_t lon_e6, fw_vehicle_class vclass,
                  uint16_t china_minute_of_day, uint32_t route_id, uint32_t keep_forbidden_id,
                  fw_geo_hit *out);

/* Distance in metres: local equirectangular projection (the engine's method) and haversine
 * (reference, for tests). */
double fw_distance_m(int32_t lat1_e6, int32_t lon1_e6, int32_t lat2_e6, int32_t lon2_e6);
double fw_haversine_m(int32_t lat1_e6, int32_t lon1_e6, int32_t lat2_e6, int32_t lon2_e6);

#endif
