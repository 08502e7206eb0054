/* encode_areas.c - encoders of the area and route commands (0x8600, 0x8602, 0x8604, 0x8606).
 *
 * All three area kinds share one entry layout (see rd_area() in decode_downlink.c): geometry
 * for circles and rectangles, optional times and speed limit, vertices for polygons, then the
 * 2019 night speed limit and name. wr_area() writes that layout for any kind.
 */
#include "encode_common.h"

/* The optional start and end times of an area or route: present when attr has
 * JT_AREA_BY_TIME (the mirror of rd_times() in decode_downlink.c). */
static jt_err wr_times(jt_writer *w, uint16_t attr, const uint8_t *start_bcd,
                       const uint8_t *end_bcd)
{
    return (attr & JT_AREA_BY_TIME) ? wr_bcd_span(w, start_bcd, end_bcd) : JT_OK;
}

/* A 2019 area or route name: UTF-8 (empty when NULL) written as GBK after a WORD length. */
static jt_err wr_name_2019(jt_writer *w, jt_bytes name)
{
    return wr_gbk_prefixed(w, 2, (const char *)name.p, name.p ? name.len : 0);
}

static void wr_area_geometry(jt_writer *w, jt_area_kind kind, const jt_area *a)
{
    wr_u32(w, a->lat_raw);
    wr_u32(w, a->lon_raw);
    if (kind == JT_AREA_CIRCLE) {
        wr_u32(w, a->radius_m);
    } else {
        wr_u32(w, a->lat2_raw);
        wr_u32(w, a->lon2_raw);
    }
}

static jt_err wr_vertices(jt_writer *w, const jt_area *a)
{
    if (a->vertex_count && !a->vertices)
        return JT_ERR_BAD_FIELD;
    wr_u16(w, a->vertex_count);
    wr_bytes(w, a->vertices, 8u * a->vertex_count);
    return JT_OK;
}

static jt_err wr_area(jt_writer *w, jt_area_kind kind, jt_version v, const jt_area *a)
{
    wr_u32(w, a->id);
    wr_u16(w, a->attr);
    if (kind != JT_AREA_POLYGON)
        wr_area_geometry(w, kind, a);
    if (wr_times(w, a->attr, a->start_bcd, a->end_bcd) != JT_OK)
        return JT_ERR_BAD_FIELD;
    bool speed_limit = a->attr & JT_AREA_SPEED_LIMIT;
    if (speed_limit) {
        wr_u16(w, a->max_speed_kmh);
        wr_u8(w, a->overspeed_s);
    }
    if (kind == JT_AREA_POLYGON && wr_vertices(w, a) != JT_OK)
        return JT_ERR_BAD_FIELD;
    if (v != JT_V2019)
        return JT_OK;
    if (speed_limit)
        wr_u16(w, a->night_max_speed_kmh);
    return wr_name_2019(w, a->name);
}

jt_err jt_enc_areas(jt_version v, jt_area_kind kind, uint8_t set_type, const jt_area *areas,
                    uint8_t count, uint8_t *out, size_t cap, size_t *out_len)
{
    if (kind == JT_AREA_POLYGON && count != 1)
        return JT_ERR_BAD_FIELD;
    jt_writer w;
    wr_init(&w, out, cap);
    if (kind != JT_AREA_POLYGON) {
        wr_u8(&w, set_type);
        wr_u8(&w, count);
    }
    for (unsigned i = 0; i < count; i++) {
        jt_err e = wr_area(&w, kind, v, &areas[i]);
        if (e != JT_OK)
            return e;
    }
    return enc_finish(&w, out_len);
}

void jt_vertex_put(uint8_t dst[8], uint32_t lat_raw, uint32_t lon_raw)
{
    jt_writer w;
    wr_init(&w, dst, 8);
    wr_u32(&w, lat_raw);
    wr_u32(&w, lon_raw);
}

static void wr_route_point(jt_writer *w, jt_version v, const jt_route_point *pt)
{
    wr_u32(w, pt->point_id);
    wr_u32(w, pt->segment_id);
    wr_u32(w, pt->lat_raw);
    wr_u32(w, pt->lon_raw);
    wr_u8(w, pt->width_m);
    wr_u8(w, pt->attr);
    if (pt->attr & JT_SEG_TIME_LIMITS) {
        wr_u16(w, pt->too_long_s);
        wr_u16(w, pt->too_short_s);
    }
    if (pt->attr & JT_SEG_SPEED_LIMIT) {
        wr_u16(w, pt->max_speed_kmh);
        wr_u8(w, pt->overspeed_s);
        if (v == JT_V2019)
            wr_u16(w, pt->night_max_speed_kmh);
    }
}

jt_err jt_enc_route(jt_version v, const jt_route *r, const jt_route_point *points, uint16_t count,
                    uint8_t *out, size_t cap, size_t *out_len)
{
    jt_writer w;
    wr_init(&w, out, cap);
    wr_u32(&w, r->id);
    wr_u16(&w, r->attr);
    jt_err e = wr_times(&w, r->attr, r->start_bcd, r->end_bcd);
    if (e != JT_OK)
        return e;
    wr_u16(&w, count);
    for (unsigned i = 0; i < count && !w.overflow; i++)
        wr_route_point(&w, v, &points[i]);
    if (v == JT_V2019)
        e = wr_name_2019(&w, r->name);
    return e != JT_OK ? e : enc_finish(&w, out_len);
}
