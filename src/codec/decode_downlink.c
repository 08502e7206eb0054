/* decode_downlink.c - body decoders for the platform's downlink messages (0x8003 .. 0x8606)
 * and the iterators over area and route entries.
 *
 * jt_decode_body() (decode_body.c) dispatches here through decoders.h; these decoders exist so
 * that every encoder in jt_encode.h round-trips and the simulator can read the platform's
 * commands. Layouts follow JT/T 808-2013 and -2019; where 2019 differs the frame's version
 * decides. Variable parts stay spans into the body: area and route decoders walk their
 * entries once to validate them and to bound the span, the iterators below walk them again
 * for the caller. Nothing here allocates or reads outside [body, body + len).
 */
#include "decoders.h"
#include "fw/codec/jt_bcd.h"

/* A WORD length followed by that many bytes (2019 names). */
static jt_bytes rd_word_prefixed(jt_reader *r)
{
    return rd_span(r, rd_u16(r));
}

jt_err jt_dec_resend_req(const uint8_t *body, size_t len, jt_version v, jt_body *out)
{
    jt_reader r;
    rd_init(&r, body, len);
    jt_resend_req *q = &out->u.resend;
    q->first_serial = rd_u16(&r);
    q->count = v == JT_V2019 ? rd_u16(&r) : rd_u8(&r);
    q->ids = rd_span(&r, 2u * q->count);
    return rd_status(&r);
}

jt_err jt_dec_server_time(const uint8_t *body, size_t len, jt_version v, jt_body *out)
{
    (void)v;
    jt_server_time *t = &out->u.server_time;
    t->time_bcd = NULL;
    t->time_utc = 0;
    if (len < JT_BCD_TIME_LEN)
        return JT_ERR_TRUNCATED;
    t->time_bcd = body;
    return jt_bcd_time_decode(body, 0, &t->time_utc);
}

jt_err jt_dec_register_reply(const uint8_t *body, size_t len, jt_version v, jt_body *out)
{
    (void)v;
    jt_reader r;
    rd_init(&r, body, len);
    jt_register_reply *rr = &out->u.reg_reply;
    rr->reply_serial = rd_u16(&r);
    rr->result = rd_u8(&r);
    jt_bytes none = {NULL, 0};
    rr->auth_code = (!r.short_read && rr->result == JT_REG_OK) ? rd_rest(&r) : none;
    return rd_status(&r);
}

jt_err jt_dec_set_params(const uint8_t *body, size_t len, jt_version v, jt_body *out)
{
    (void)v;
    jt_reader r;
    rd_init(&r, body, len);
    jt_param_list *pl = &out->u.params;
    pl->reply_serial = 0;
    pl->count = rd_u8(&r);
    pl->list = rd_rest(&r);
    return rd_status(&r);
}

jt_err jt_dec_track_request(const uint8_t *body, size_t len, jt_version v, jt_body *out)
{
    (void)v;
    jt_reader r;
    rd_init(&r, body, len);
    out->u.track.interval_s = rd_u16(&r);
    out->u.track.validity_s = rd_u32(&r);
    return rd_status(&r);
}

jt_err jt_dec_text(const uint8_t *body, size_t len, jt_version v, jt_body *out)
{
    jt_reader r;
    rd_init(&r, body, len);
    jt_text_msg *t = &out->u.text;
    t->flags = rd_u8(&r);
    t->text_type = v == JT_V2019 ? rd_u8(&r) : 0;
    t->text = rd_rest(&r);
    return rd_status(&r);
}

/* ---- areas ------------------------------------------------------------------------------ */

static void rd_times(jt_reader *r, uint16_t attr, const uint8_t **start, const uint8_t **end)
{
    bool by_time = attr & JT_AREA_BY_TIME;
    *start = by_time ? rd_take(r, JT_BCD_TIME_LEN) : NULL;
    *end = by_time ? rd_take(r, JT_BCD_TIME_LEN) : NULL;
}

static void rd_area_geometry(jt_reader *r, jt_area *a)
{
    a->lat_raw = rd_u32(r);
    a->lon_raw = rd_u32(r);
    if (a->kind == JT_AREA_CIRCLE) {
        a->radius_m = rd_u32(r);
    } else if (a->kind == JT_AREA_RECT) {
        a->lat2_raw = rd_u32(r);
        a->lon2_raw = rd_u32(r);
    }
}

/* One area entry; the layout is shared by all kinds: geometry (circle, rectangle) before the
 * optional times and speed limit, vertices (polygon) after them, then the 2019 tail. */
static void rd_area(jt_reader *r, jt_area_kind kind, jt_version v, jt_area *a)
{
    *a = (jt_area){.kind = kind};
    a->id = rd_u32(r);
    a->attr = rd_u16(r);
    if (kind != JT_AREA_POLYGON)
        rd_area_geometry(r, a);
    rd_times(r, a->attr, &a->start_bcd, &a->end_bcd);
    bool speed_limit = a->attr & JT_AREA_SPEED_LIMIT;
    if (speed_limit) {
        a->max_speed_kmh = rd_u16(r);
        a->overspeed_s = rd_u8(r);
    }
    if (kind == JT_AREA_POLYGON) {
        a->vertex_count = rd_u16(r);
        a->vertices = rd_take(r, 8u * a->vertex_count);
    }
    if (v == JT_V2019) {
        if (speed_limit)
            a->night_max_speed_kmh = rd_u16(r);
        a->name = rd_word_prefixed(r);
    }
}

void jt_area_iter_init(jt_area_iter *it, const jt_area_set *s)
{
    iter_bounds(s->data, &it->p, &it->end);
    it->kind = s->kind;
    it->version = s->version;
}

bool jt_area_next(jt_area_iter *it, jt_area *out, jt_err *err)
{
    jt_reader r;
    if (!iter_step_begin(&r, it->p, it->end, err))
        return false;
    rd_area(&r, it->kind, it->version, out);
    return iter_step_done(&r, &it->p, err);
}

/* Walk `count` entries from r's position; data spans exactly those entries. */
static jt_err walk_areas(jt_reader *r, jt_area_set *s)
{
    const uint8_t *start = r->p;
    jt_area a;
    for (unsigned i = 0; i < s->count && !r->short_read; i++)
        rd_area(r, s->kind, s->version, &a);
    s->data.p = start;
    s->data.len = (uint16_t)(r->p - start);
    return rd_status(r);
}

static jt_err dec_area_set(const uint8_t *body, size_t len, jt_version v, jt_area_kind kind,
                           jt_area_set *s)
{
    jt_reader r;
    rd_init(&r, body, len);
    *s = (jt_area_set){.kind = kind, .version = v};
    if (kind == JT_AREA_POLYGON) {
        s->count = 1;
    } else {
        s->set_type = rd_u8(&r);
        s->count = rd_u8(&r);
    }
    return r.short_read ? JT_ERR_TRUNCATED : walk_areas(&r, s);
}

jt_err jt_dec_circle_areas(const uint8_t *body, size_t len, jt_version v, jt_body *out)
{
    return dec_area_set(body, len, v, JT_AREA_CIRCLE, &out->u.areas);
}

jt_err jt_dec_rect_areas(const uint8_t *body, size_t len, jt_version v, jt_body *out)
{
    return dec_area_set(body, len, v, JT_AREA_RECT, &out->u.areas);
}

jt_err jt_dec_polygon_area(const uint8_t *body, size_t len, jt_version v, jt_body *out)
{
    return dec_area_set(body, len, v, JT_AREA_POLYGON, &out->u.areas);
}

/* ---- route ------------------------------------------------------------------------------ */

static void rd_route_point(jt_reader *r, jt_version v, jt_route_point *pt)
{
    *pt = (jt_route_point){0};
    pt->point_id = rd_u32(r);
    pt->segment_id = rd_u32(r);
    pt->lat_raw = rd_u32(r);
    pt->lon_raw = rd_u32(r);
    pt->width_m = rd_u8(r);
    pt->attr = rd_u8(r);
    if (pt->attr & JT_SEG_TIME_LIMITS) {
        pt->too_long_s = rd_u16(r);
        pt->too_short_s = rd_u16(r);
    }
    if (pt->attr & JT_SEG_SPEED_LIMIT) {
        pt->max_speed_kmh = rd_u16(r);
        pt->overspeed_s = rd_u8(r);
        if (v == JT_V2019)
            pt->night_max_speed_kmh = rd_u16(r);
    }
}

void jt_route_iter_init(jt_route_iter *it, const jt_route *r)
{
    iter_bounds(r->points, &it->p, &it->end);
    it->version = r->version;
}

bool jt_route_next(jt_route_iter *it, jt_route_point *out, jt_err *err)
{
    jt_reader r;
    if (!iter_step_begin(&r, it->p, it->end, err))
        return false;
    rd_route_point(&r, it->version, out);
    return iter_step_done(&r, &it->p, err);
}

jt_err jt_dec_route(const uint8_t *body, size_t len, jt_version v, jt_body *out)
{
    jt_reader r;
    rd_init(&r, body, len);
    jt_route *rt = &out->u.route;
    *rt = (jt_route){.version = v};
    rt->id = rd_u32(&r);
    rt->attr = rd_u16(&r);
    rd_times(&r, rt->attr, &rt->start_bcd, &rt->end_bcd);
    rt->point_count = rd_u16(&r);
    const uint8_t *points = r.p;
    jt_route_point pt;
    for (unsigned i = 0; i < rt->point_count && !r.short_read; i++)
        rd_route_point(&r, v, &pt);
    rt->points.p = points;
    rt->points.len = (uint16_t)(r.p - points);
    if (v == JT_V2019)
        rt->name = rd_word_prefixed(&r);
    return rd_status(&r);
}
