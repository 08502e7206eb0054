/* print_areas.c - body printers of the area and route commands: 0x8600 circles, 0x8602
 * rectangles, 0x8604 one polygon (each area with its attributes, geometry, time window, speed
 * limit and 2019 name) and 0x8606 routes with their inflection points. */
#include "printers.h"

#include "fw/codec/byte_io.h"

#define VERTEX_LEN 8 /* lat DWORD, lon DWORD */

static const char *const kind_names[] = {
    [JT_AREA_CIRCLE] = "circle", [JT_AREA_RECT] = "rect", [JT_AREA_POLYGON] = "polygon"};
static const char *const set_type_names[] = {"update", "append", "modify"};

static const pr_bit_name area_attr_names[] = {
    {JT_AREA_BY_TIME, "by_time"},
    {JT_AREA_SPEED_LIMIT, "speed_limit"},
    {JT_AREA_ENTER_ALARM_DRIVER, "enter_alarm_driver"},
    {JT_AREA_ENTER_ALARM_PLATFORM, "enter_alarm_platform"},
    {JT_AREA_EXIT_ALARM_DRIVER, "exit_alarm_driver"},
    {JT_AREA_EXIT_ALARM_PLATFORM, "exit_alarm_platform"},
    {JT_AREA_SOUTH, "south"},
    {JT_AREA_WEST, "west"},
    {JT_AREA_NO_DOOR_OPEN, "no_door_open"},
};
static const pr_bit_name route_attr_names[] = {
    {JT_AREA_BY_TIME, "by_time"},
    {JT_AREA_ENTER_ALARM_DRIVER, "enter_alarm_driver"},
    {JT_AREA_ENTER_ALARM_PLATFORM, "enter_alarm_platform"},
    {JT_AREA_EXIT_ALARM_DRIVER, "exit_alarm_driver"},
    {JT_AREA_EXIT_ALARM_PLATFORM, "exit_alarm_platform"},
};
static const pr_bit_name segment_attr_names[] = {
    {JT_SEG_TIME_LIMITS, "time_limits"},
    {JT_SEG_SPEED_LIMIT, "speed_limit"},
    {JT_SEG_SOUTH, "south"},
    {JT_SEG_WEST, "west"},
};

static void print_point(jw_writer *w, const char *key, uint32_t lat_raw, uint32_t lon_raw,
                        bool south, bool west)
{
    jw_key(w, key);
    jw_begin_object(w);
    pr_position(w, lat_raw, lon_raw, south, west);
    jw_end_object(w);
}

static void print_geometry(jw_writer *w, const jt_area *a)
{
    bool south = a->attr & JT_AREA_SOUTH, west = a->attr & JT_AREA_WEST;
    if (a->kind == JT_AREA_CIRCLE) {
        print_point(w, "centre", a->lat_raw, a->lon_raw, south, west);
        jw_kv_uint(w, "radius_m", a->radius_m);
    } else if (a->kind == JT_AREA_RECT) {
        print_point(w, "top_left", a->lat_raw, a->lon_raw, south, west);
        print_point(w, "bottom_right", a->lat2_raw, a->lon2_raw, south, west);
    } else {
        jw_key(w, "vertices");
        jw_begin_array(w);
        for (unsigned i = 0; i < a->vertex_count; i++) {
            const uint8_t *v = a->vertices + i * VERTEX_LEN;
            jw_begin_object(w);
            pr_position(w, be32(v), be32(v + 4), south, west);
            jw_end_object(w);
        }
        jw_end_array(w);
    }
}

static void print_time_window(jw_writer *w, uint16_t attr, const uint8_t *start, const uint8_t *end)
{
    if (!(attr & JT_AREA_BY_TIME))
        return;
    pr_bcd_time(w, "start", start, "+08:00");
    pr_bcd_time(w, "end", end, "+08:00");
}

static void print_speed_limit(jw_writer *w, jt_version v, uint16_t max_kmh, uint8_t overspeed_s,
                              uint16_t night_max_kmh)
{
    jw_kv_uint(w, "max_speed_kmh", max_kmh);
    jw_kv_uint(w, "overspeed_s", overspeed_s);
    if (v == JT_V2019)
        jw_kv_uint(w, "night_max_speed_kmh", night_max_kmh);
}

/* One area as an object of the open array. */
static void print_area(jw_writer *w, const jt_area *a, jt_version v)
{
    jw_begin_object(w);
    jw_kv_uint(w, "id", a->id);
    jw_kv_uint(w, "attr", a->attr);
    pr_bit_names(w, "attr_names", a->attr, area_attr_names, PR_COUNT(area_attr_names));
    print_geometry(w, a);
    print_time_window(w, a->attr, a->start_bcd, a->end_bcd);
    if (a->attr & JT_AREA_SPEED_LIMIT)
        print_speed_limit(w, v, a->max_speed_kmh, a->overspeed_s, a->night_max_speed_kmh);
    pr_text_bytes(w, "name", a->name);
    jw_end_object(w);
}

void pr_body_areas(jw_writer *w, const jt_frame *f, const jt_body *b)
{
    const jt_area_set *s = &b->u.areas;
    jw_kv_string(w, "kind", kind_names[s->kind]);
    if (s->kind != JT_AREA_POLYGON)
        pr_enum(w, "set_type", s->set_type, set_type_names, PR_COUNT(set_type_names));
    jw_kv_uint(w, "count", s->count);
    pr_entries_begin(w, "areas");
    jt_area_iter it;
    jt_area area;
    jt_err err = JT_OK;
    jt_area_iter_init(&it, s);
    while (jt_area_next(&it, &area, &err))
        print_area(w, &area, f->version);
    pr_entries_end(w, "areas_error", err);
}

/* One inflection point as an object of the open array. */
static void print_route_point(jw_writer *w, const jt_route_point *p, jt_version v)
{
    jw_begin_object(w);
    jw_kv_uint(w, "point_id", p->point_id);
    jw_kv_uint(w, "segment_id", p->segment_id);
    pr_position(w, p->lat_raw, p->lon_raw, p->attr & JT_SEG_SOUTH, p->attr & JT_SEG_WEST);
    jw_kv_uint(w, "width_m", p->width_m);
    jw_kv_uint(w, "attr", p->attr);
    pr_bit_names(w, "attr_names", p->attr, segment_attr_names, PR_COUNT(segment_attr_names));
    if (p->attr & JT_SEG_TIME_LIMITS) {
        jw_kv_uint(w, "too_long_s", p->too_long_s);
        jw_kv_uint(w, "too_short_s", p->too_short_s);
    }
    if (p->attr & JT_SEG_SPEED_LIMIT)
        print_speed_limit(w, v, p->max_speed_kmh, p->overspeed_s, p->night_max_speed_kmh);
    jw_end_object(w);
}

void pr_body_route(jw_writer *w, const jt_frame *f, const jt_body *b)
{
    const jt_route *r = &b->u.route;
    jw_kv_uint(w, "id", r->id);
    jw_kv_uint(w, "attr", r->attr);
    pr_bit_names(w, "attr_names", r->attr, route_attr_names, PR_COUNT(route_attr_names));
    print_time_window(w, r->attr, r->start_bcd, r->end_bcd);
    pr_text_bytes(w, "name", r->name);
    jw_kv_uint(w, "point_count", r->point_count);
    pr_entries_begin(w, "points");
    jt_route_iter it;
    jt_route_point p;
    jt_err err = JT_OK;
    jt_route_iter_init(&it, r);
    while (jt_route_next(&it, &p, &err))
        print_route_point(w, &p, f->version);
    pr_entries_end(w, "points_error", err);
}
