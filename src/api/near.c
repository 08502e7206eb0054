/* near.c - GET /v1/vehicles?near=lat,lon&radius_m=: vehicles whose latest position is within
 * radius_m, nearest first (GEOSEARCH on fw:geo), each with its latest state.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_internal.h"
#include "json_add.h"
#include "json_out.h"
#include "fw/base/redis_schema.h"

#define API_NEAR_DEFAULT_RADIUS_M 1000
#define API_NEAR_DEFAULT_LIMIT    100

typedef struct {
    api_req base;
    double lat, lon;
    unsigned radius_m, limit;
    cJSON *list; /* one object per vehicle found, in distance order */
} near_q;

const size_t api_near_state_size = sizeof(near_q);

static void cleanup(api_req *r)
{
    cJSON_Delete(((near_q *)r)->list);
}

/* HMGET of every vehicle field, in the table's order; tag is the vehicle's object in the list
 * (finding it by index would walk the list once per reply). */
static void on_state(api_req *r, const redisReply *rep, size_t tag)
{
    cJSON *v = (cJSON *)(uintptr_t)tag;
    (void)r;
    for (size_t i = 0; i < rep->elements && i < api_vehicle_field_count(); i++) {
        const redisReply *e = rep->element[i];
        bool has = e->type == REDIS_REPLY_STRING;
        api_vehicle_field_json(v, i, has ? e->str : "", has ? e->len : 0);
    }
}

static void answer(api_req *r)
{
    near_q *s = (near_q *)r;
    if (api_failed(r))
        return;
    cJSON *o = cJSON_CreateObject();
    cJSON *center = api_j_item(o, "center", cJSON_CreateObject());
    api_j_item(center, "lat", cJSON_CreateNumber(s->lat));
    api_j_item(center, "lon", cJSON_CreateNumber(s->lon));
    api_j_int(o, "radius_m", s->radius_m);
    api_j_item(o, "vehicles", s->list);
    s->list = NULL;
    api_reply_json(r, 200, o);
}

/* One HMGET per vehicle found: "HMGET key f1 f2 ..." built as an argument vector. */
static void fetch_state(api_req *r, cJSON *vehicle, const char *phone)
{
    char key[FW_REDIS_KEY_MAX], fmt[512] = "HMGET %s";
    if (fw_redis_key(key, sizeof key, FW_KEY_VEHICLE, phone, NULL) < 0)
        return;
    for (size_t i = 0; i < api_vehicle_field_count(); i++) {
        strcat(fmt, " ");
        strcat(fmt, api_vehicle_field_name(i));
    }
    api_cmd(r, on_state, (size_t)(uintptr_t)vehicle, fmt, key);
}

/* GEOSEARCH ... WITHDIST: [[member, distance], ...] */
static void on_found(api_req *r, const redisReply *rep, size_t tag)
{
    near_q *s = (near_q *)r;
    (void)tag;
    for (size_t i = 0; i < rep->elements; i++) {
        const redisReply *e = rep->element[i];
        if (e->type != REDIS_REPLY_ARRAY || e->elements < 2 ||
            e->element[0]->type != REDIS_REPLY_STRING || !api_valid_phone(e->element[0]->str))
            continue;
        cJSON *v = cJSON_CreateObject();
        api_j_str(v, "phone", e->element[0]->str);
        api_j_fixed(v, "distance_m", (int64_t)(strtod(api_str(e->element[1]), NULL) * 10 + 0.5), 1);
        cJSON_AddItemToArray(s->list, v);
        fetch_state(r, v, e->element[0]->str);
    }
}

static bool read_query(near_q *s, api_query *q, const fw_api_config *cfg)
{
    const char *near = api_query_str(q, "near");
    if (near == NULL)
        return api_query_fail(q, "near", "required: near=lat,lon");
    if (!api_parse_latlon(near, &s->lat, &s->lon))
        return api_query_fail(q, "near", "expected lat,lon in degrees");
    if (!api_query_uint(q, "radius_m", API_NEAR_DEFAULT_RADIUS_M, 1, UINT_MAX, &s->radius_m) ||
        !api_query_uint(q, "limit", API_NEAR_DEFAULT_LIMIT, 1, cfg->api_near_max_results,
                        &s->limit))
        return false;
    if (s->radius_m > cfg->api_near_max_radius_m)
        return api_query_fail(q, "radius_m", "larger than the largest radius allowed");
    return true;
}

void api_near_start(api_req *r, api_query *q)
{
    near_q *s = (near_q *)r;
    r->cleanup = cleanup;
    if (!read_query(s, q, &r->api->cfg)) {
        api_reply_bad(r, &q->bad);
        return;
    }
    s->list = cJSON_CreateArray();
    char lon[32], lat[32];
    snprintf(lon, sizeof lon, "%.7f", s->lon);
    snprintf(lat, sizeof lat, "%.7f", s->lat);
    api_cmd(r, on_found, 0, "GEOSEARCH %s FROMLONLAT %s %s BYRADIUS %u m ASC COUNT %u WITHDIST",
            FW_KEY_GEO, lon, lat, s->radius_m, s->limit);
    api_then(r, answer);
}
