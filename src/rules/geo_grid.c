/* geo_grid.c - the uniform grid over the geodata (geo_internal.h): for each cell, the zones
 * whose bounding box touches it and the route segments whose bounding box, widened by the
 * corridor half-width plus FW_ROUTE_INDEX_MARGIN_M, touches it. Stored as compressed rows
 * (an offset per cell into one item array), built in two passes (count, then fill).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geo_internal.h"

#define GRID_MAX_CELLS (4u * 1024 * 1024)

typedef void (*item_box_fn)(const fw_geo *g, uint32_t i, fw_bbox *out);

static void zone_box(const fw_geo *g, uint32_t i, fw_bbox *out)
{
    *out = g->zones[i].box;
}

static void segment_box(const fw_geo *g, uint32_t i, fw_bbox *out)
{
    const fw_segment *s = &g->segs[i];
    double reach_m = s->half_width_m + FW_ROUTE_INDEX_MARGIN_M;
    int32_t dlat = (int32_t)ceil(reach_m / FW_M_PER_E6);
    double c = cos((s->lat1 > 0 ? s->lat1 : -s->lat1) * (M_PI / 180e6));
    int32_t dlon = (int32_t)ceil(reach_m / (FW_M_PER_E6 * (c > 0.01 ? c : 0.01)));
    out->min_lat = (s->lat1 < s->lat2 ? s->lat1 : s->lat2) - dlat;
    out->max_lat = (s->lat1 > s->lat2 ? s->lat1 : s->lat2) + dlat;
    out->min_lon = (s->lon1 < s->lon2 ? s->lon1 : s->lon2) - dlon;
    out->max_lon = (s->lon1 > s->lon2 ? s->lon1 : s->lon2) + dlon;
}

static void extent(const fw_geo *g, uint32_t n, item_box_fn box, fw_bbox *all)
{
    fw_bbox b;
    for (uint32_t i = 0; i < n; i++) {
        box(g, i, &b);
        all->min_lat = b.min_lat < all->min_lat ? b.min_lat : all->min_lat;
        all->min_lon = b.min_lon < all->min_lon ? b.min_lon : all->min_lon;
        all->max_lat = b.max_lat > all->max_lat ? b.max_lat : all->max_lat;
        all->max_lon = b.max_lon > all->max_lon ? b.max_lon : all->max_lon;
    }
}

static uint32_t cell_of(int32_t v, int32_t origin, int32_t cell, uint32_t n)
{
    int64_t c = ((int64_t)v - origin) / cell;
    return c < 0 ? 0 : c >= n ? n - 1 : (uint32_t)c;
}

/* Visit every cell of item i's box: count (items == NULL) or fill. */
static void cover(const fw_grid *gr, const fw_bbox *b, uint32_t i, uint32_t *fill_at,
                  uint32_t *items)
{
    uint32_t x0 = cell_of(b->min_lon, gr->lon0, gr->cell_e6, gr->nx);
    uint32_t x1 = cell_of(b->max_lon, gr->lon0, gr->cell_e6, gr->nx);
    uint32_t y0 = cell_of(b->min_lat, gr->lat0, gr->cell_e6, gr->ny);
    uint32_t y1 = cell_of(b->max_lat, gr->lat0, gr->cell_e6, gr->ny);
    for (uint32_t y = y0; y <= y1; y++)
        for (uint32_t x = x0; x <= x1; x++) {
            uint32_t c = y * gr->nx + x;
            if (items)
                items[fill_at[c]++] = i;
            else
                fill_at[c + 1]++;
        }
}

static int csr_build(const fw_grid *gr, const fw_geo *g, uint32_t n, item_box_fn box,
                     uint32_t **start_out, uint32_t **items_out)
{
    size_t cells = (size_t)gr->nx * gr->ny;
    uint32_t *start = calloc(cells + 1, sizeof(uint32_t));
    uint32_t *fill = malloc((cells + 1) * sizeof(uint32_t));
    fw_bbox b;
    if (!start || !fill)
        goto fail;
    for (uint32_t i = 0; i < n; i++) {
        box(g, i, &b);
        cover(gr, &b, i, start, NULL);
    }
    for (size_t c = 0; c < cells; c++)
        start[c + 1] += start[c];
    uint32_t *items = malloc((start[cells] + 1) * sizeof(uint32_t));
    if (!items)
        goto fail;
    memcpy(fill, start, (cells + 1) * sizeof(uint32_t));
    for (uint32_t i = 0; i < n; i++) {
        box(g, i, &b);
        cover(gr, &b, i, fill, items);
    }
    free(fill);
    *start_out = start;
    *items_out = items;
    return 0;
fail:
    free(start);
    free(fill);
    return -1;
}

int fw_geo_grid_build(fw_geo *g, int32_t cell_e6)
{
    fw_grid *gr = &g->grid;
    fw_bbox all = {INT32_MAX, INT32_MAX, INT32_MIN, INT32_MIN};
    extent(g, g->zone_count, zone_box, &all);
    extent(g, g->seg_count, segment_box, &all);
    memset(gr, 0, sizeof(*gr));
    gr->cell_e6 = cell_e6 > 0 ? cell_e6 : 10000;
    if (all.min_lat <= all.max_lat) {
        int64_t w = (int64_t)all.max_lon - all.min_lon, h = (int64_t)all.max_lat - all.min_lat;
        while ((w / gr->cell_e6 + 1) * (h / gr->cell_e6 + 1) > GRID_MAX_CELLS)
            gr->cell_e6 *= 2;
        gr->lat0 = all.min_lat;
        gr->lon0 = all.min_lon;
        gr->nx = (uint32_t)(w / gr->cell_e6 + 1);
        gr->ny = (uint32_t)(h / gr->cell_e6 + 1);
    }
    if (csr_build(gr, g, g->zone_count, zone_box, &gr->zone_start, &gr->zone_items) ||
        csr_build(gr, g, g->seg_count, segment_box, &gr->seg_start, &gr->seg_items))
        return -1;
    uint32_t items = gr->seg_start[(size_t)gr->nx * gr->ny];
    gr->seg_item_route = malloc(((size_t)items + 1) * sizeof(uint32_t));
    if (!gr->seg_item_route)
        return -1;
    for (uint32_t k = 0; k < items; k++)
        gr->seg_item_route[k] = g->segs[gr->seg_items[k]].route;
    return 0;
}

void fw_geo_grid_free(fw_grid *gr)
{
    free(gr->zone_start);
    free(gr->zone_items);
    free(gr->seg_start);
    free(gr->seg_items);
    free(gr->seg_item_route);
    memset(gr, 0, sizeof(*gr));
}
