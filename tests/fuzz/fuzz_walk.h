/* fuzz_walk.h - touch every byte a decoded body points at (shared by the fuzz targets).
 *
 * After jt_decode_body() succeeds, the fuzzers walk every iterator (items, batch entries,
 * parameters, areas, route points), decode every Jiangsu safety item and convert every GBK
 * string, so that AddressSanitizer sees any span that points outside the input.
 */
#ifndef FW_FUZZ_WALK_H
#define FW_FUZZ_WALK_H

#include <stdint.h>

#include "fw/codec/jt_msg.h"
#include "fw/codec/jt_text.h"

static volatile uint32_t fuzz_sink;

static void fuzz_touch(jt_bytes b)
{
    uint32_t acc = 0;
    for (uint16_t i = 0; i < b.len; i++)
        acc += b.p[i];
    char utf8[4 * 1024];
    size_t n;
    if (b.len && jt_gbk_to_utf8(b.p, b.len, utf8, sizeof utf8, &n) == JT_OK)
        acc += (uint8_t)utf8[0];
    fuzz_sink += acc;
}

static void fuzz_walk_location(const jt_location *loc)
{
    jt_item_iter it;
    jt_item item;
    jt_safety_alarm alarm;
    jt_item_iter_init(&it, loc);
    while (jt_item_next(&it, &item)) {
        fuzz_touch((jt_bytes){item.data, item.len});
        if (item.id >= JT_ITEM_ADAS && item.id <= JT_ITEM_BSD &&
            jt_safety_alarm_decode(&item, &alarm) == JT_OK) {
            fuzz_sink += alarm.time_bcd[5] + alarm.ident[15];
            for (unsigned t = 0; t < alarm.tyre_count * 9u; t++)
                fuzz_sink += alarm.tyres[t];
        }
    }
    fuzz_touch(loc->items);
}

static void fuzz_walk_batch(const jt_location_batch *batch)
{
    jt_batch_iter it;
    jt_location loc;
    jt_err err;
    jt_batch_iter_init(&it, batch);
    while (jt_batch_next(&it, &loc, &err))
        if (err == JT_OK)
            fuzz_walk_location(&loc);
}

static void fuzz_walk_params(const jt_param_list *params)
{
    jt_param_iter it;
    jt_param p;
    jt_err err;
    jt_param_iter_init(&it, params);
    while (jt_param_next(&it, &p, &err))
        fuzz_touch((jt_bytes){p.value, p.len});
}

static void fuzz_walk_areas(const jt_area_set *areas)
{
    jt_area_iter it;
    jt_area a;
    jt_err err;
    jt_area_iter_init(&it, areas);
    while (jt_area_next(&it, &a, &err)) {
        fuzz_touch(a.name);
        fuzz_touch((jt_bytes){a.vertices, (uint16_t)(a.vertex_count * 8u)});
    }
}

static void fuzz_walk_route(const jt_route *route)
{
    jt_route_iter it;
    jt_route_point p;
    jt_err err;
    jt_route_iter_init(&it, route);
    while (jt_route_next(&it, &p, &err))
        fuzz_sink += p.width_m;
    fuzz_touch(route->name);
}

/* Bodies with entries to iterate over. */
static void fuzz_walk_entries(const jt_body *b)
{
    switch (b->msg_id) {
    case JT_MSG_LOCATION:
        fuzz_walk_location(&b->u.loc);
        break;
    case JT_MSG_LOCATION_REPLY:
        fuzz_walk_location(&b->u.loc_reply.loc);
        break;
    case JT_MSG_LOCATION_BATCH:
        fuzz_walk_batch(&b->u.batch);
        break;
    case JT_MSG_PARAM_REPLY:
    case JT_MSG_SET_PARAMS:
        fuzz_walk_params(&b->u.params);
        break;
    case JT_MSG_SET_CIRCLE_AREA:
    case JT_MSG_SET_RECT_AREA:
    case JT_MSG_SET_POLYGON_AREA:
        fuzz_walk_areas(&b->u.areas);
        break;
    case JT_MSG_SET_ROUTE:
        fuzz_walk_route(&b->u.route);
        break;
    default:
        break;
    }
}

/* Bodies with text and byte spans. */
static void fuzz_walk_spans(const jt_body *b)
{
    switch (b->msg_id) {
    case JT_MSG_REGISTER:
        fuzz_touch(b->u.reg.plate);
        fuzz_touch(b->u.reg.maker);
        fuzz_touch(b->u.reg.model);
        fuzz_touch(b->u.reg.terminal_id);
        break;
    case JT_MSG_AUTH:
        fuzz_touch(b->u.auth.code);
        fuzz_touch(b->u.auth.imei);
        fuzz_touch(b->u.auth.software_version);
        break;
    case JT_MSG_TEXT:
        fuzz_touch(b->u.text.text);
        break;
    case JT_MSG_DRIVER_ID:
        fuzz_touch(b->u.driver.name);
        fuzz_touch(b->u.driver.certificate);
        fuzz_touch(b->u.driver.authority);
        fuzz_touch(b->u.driver.id_card);
        break;
    case JT_MSG_MEDIA_DATA:
        fuzz_touch(b->u.media.data);
        break;
    case JT_MSG_PASSTHROUGH_UP:
        fuzz_touch(b->u.passthrough.data);
        break;
    case JT_MSG_ATTR_REPLY:
        fuzz_touch(b->u.attrs.hw_version);
        fuzz_touch(b->u.attrs.fw_version);
        break;
    case JT_MSG_RESEND_REQ:
        fuzz_touch(b->u.resend.ids);
        break;
    case JT_MSG_REGISTER_REPLY:
        fuzz_touch(b->u.reg_reply.auth_code);
        break;
    default:
        break;
    }
}

static void fuzz_walk_body(const jt_body *b)
{
    fuzz_walk_entries(b);
    fuzz_walk_spans(b);
}

#endif
