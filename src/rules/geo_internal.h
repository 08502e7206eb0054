/* geo_internal.h - the in-memory layout of fw_geo (geo.h), shared by the GeoJSON loader
 * (geo_load.c), the grid builder (geo_grid.c) and the point query (geo_query.c).
 *
 * Everything lives in flat arrays owned by the fw_geo: zone rings index into one vertex array,
 * route segments are contiguous per route, and the grid stores, per cell, the zones whose
 * bounding box and the segments whose widened bounding box touch it (compressed rows).
 */
#ifndef FW_RULES_GEO_INTERNAL_H
#define FW_RULES_GEO_INTERNAL_H

#include <stdint.h>

#include "fw/rules/geo.h"

enum { FW_ZONE_SPEED_LIMIT, FW_ZONE_FORBIDDEN, FW_ZONE_ROAD };
#define FW_ZONE_MAX_WINDOWS 4
#define FW_CLASSES_ALL      0xffu

/* Segments are indexed with this margin beyond their half-width, so that a point near the
 * corridor finds them in its own cell. */
#define FW_ROUTE_INDEX_MARGIN_M 250

typedef struct {
    int32_t min_lat, min_lon, max_lat, max_lon; /* bounding box, 1e-6 degrees */
} fw_bbox;

typedef struct {
    uint32_t first; /* into fw_geo.vlat / vlon */
    uint32_t count;
} fw_ring;

typedef struct {
    fw_bbox box;
    uint32_t id;
    uint32_t ring_first; /* into fw_geo.rings; ring_count 0 = circle */
    uint32_t ring_count;
    int32_t c_lat, c_lon; /* circle centre */
    uint32_t radius_m;
    uint16_t limit_dkmh;                         /* 0 = none */
    uint8_t kind;                                /* FW_ZONE_* */
    uint8_t road;                                /* fw_road_type for road zones */
    uint8_t classes;                             /* bit per fw_vehicle_class */
    uint8_t window_count;                        /* 0 = always */
    uint16_t window_min[FW_ZONE_MAX_WINDOWS][2]; /* China-time minutes [start, end) */
    double area_deg2; /* bounding-box area: the smallest road zone wins */
} fw_zone;

typedef struct {
    int32_t lat1, lon1, lat2, lon2;
    uint32_t route; /* index into fw_geo.routes */
    uint16_t half_width_m;
    uint16_t limit_dkmh; /* 0 = none */
} fw_segment;

typedef struct {
    uint32_t id;
    uint32_t seg_first, seg_count;
} fw_route;

typedef struct {
    int32_t lat0, lon0; /* south-west corner */
    int32_t cell_e6;
    uint32_t nx, ny;
    uint32_t *zone_start; /* nx*ny+1 row offsets into zone_items */
    uint32_t *zone_items;
    uint32_t *seg_start;
    uint32_t *seg_items;
    uint32_t *seg_item_route; /* route index of each seg_items entry: filtering by route reads
                                 this array sequentially instead of every segment */
} fw_grid;

struct fw_geo {
    fw_zone *zones;
    uint32_t zone_count;
    fw_ring *rings;
    uint32_t ring_count;
    int32_t *vlat, *vlon;
    uint32_t vertex_count;
    fw_segment *segs;
    uint32_t seg_count;
    fw_route *routes; /* sorted by id */
    uint32_t route_count;
    fw_grid grid;
};

/* Build geo->grid from the zones and segments; 0, or -1 when out of memory. */
int fw_geo_grid_build(fw_geo *geo, int32_t cell_e6);
void fw_geo_grid_free(fw_grid *grid);

/* Metres per 1e-6 degree of latitude (mean Earth radius 6371008.8 m). */
#define FW_M_PER_E6 0.11119508023353292

#endif
