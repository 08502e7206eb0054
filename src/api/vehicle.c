/* vehicle.c - GET /v1/vehicles/{plate or phone}: the latest state (fw:veh:<phone>) and the
 * vehicle's open violations: those not closed among the (at most API_OPEN_SCAN) most recent
 * violations that started within api_open_window_s (the longest episode, daily fatigue,
 * spans a day; an older episode still open belongs to a vehicle that went silent).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api_internal.h"
#include "json_add.h"
#include "json_out.h"
#include "fw/base/redis_schema.h"

#define API_OPEN_SCAN 64 /* most recent violations searched for open ones */

typedef struct {
    api_req base;
    cJSON *vehicle; /* NULL: unknown */
    char ids[API_OPEN_SCAN][API_ID_MAX + 1];
    unsigned n_ids;
    cJSON *open[API_OPEN_SCAN];
} vehicle_q;

const size_t api_vehicle_state_size = sizeof(vehicle_q);

static void cleanup(api_req *r)
{
    vehicle_q *s = (vehicle_q *)r;
    cJSON_Delete(s->vehicle);
    for (unsigned i = 0; i < s->n_ids; i++)
        cJSON_Delete(s->open[i]);
}

static void on_state(api_req *r, const redisReply *rep, size_t tag)
{
    (void)tag;
    if (rep->type == REDIS_REPLY_ARRAY && rep->elements > 0)
        ((vehicle_q *)r)->vehicle = api_vehicle_json(rep);
}

static void on_ids(api_req *r, const redisReply *rep, size_t tag)
{
    vehicle_q *s = (vehicle_q *)r;
    (void)tag;
    for (size_t i = 0; i < rep->elements && s->n_ids < API_OPEN_SCAN; i++) {
        const redisReply *e = rep->element[i];
        if (e->type == REDIS_REPLY_STRING && e->len <= API_ID_MAX)
            memcpy(s->ids[s->n_ids++], e->str, e->len + 1);
    }
}

static void on_record(api_req *r, const redisReply *rep, size_t tag)
{
    vehicle_q *s = (vehicle_q *)r;
    if (rep->type != REDIS_REPLY_STRING)
        return;
    Fleetwatch__Violation *v = api_violation_decode(r->api, rep->str, rep->len);
    if (v && v->end_time == 0 && strcmp(v->state, "closed") != 0)
        s->open[tag] = api_violation_json(v, false, time(NULL));
    api_violation_release(r->api, v);
}

static void answer(api_req *r)
{
    vehicle_q *s = (vehicle_q *)r;
    if (api_failed(r))
        return;
    cJSON *o = s->vehicle;
    s->vehicle = NULL;
    api_j_str(o, "phone", r->phone);
    cJSON *open = api_j_item(o, "open_violations", cJSON_CreateArray());
    for (unsigned i = 0; i < s->n_ids; i++)
        if (s->open[i]) {
            cJSON_AddItemToArray(open, s->open[i]);
            s->open[i] = NULL;
        }
    api_reply_json(r, 200, o);
}

static void fetch_open(api_req *r)
{
    vehicle_q *s = (vehicle_q *)r;
    char key[FW_REDIS_KEY_MAX];
    if (api_failed(r))
        return;
    if (s->vehicle == NULL) {
        api_reply_error(r, 404, "no such vehicle", "vehicle");
        return;
    }
    for (unsigned i = 0; i < s->n_ids; i++)
        if (fw_redis_key(key, sizeof key, FW_KEY_VIOLATION, s->ids[i], NULL) > 0)
            api_cmd(r, on_record, i, "HGET %s %s", key, FW_FIELD_PB);
    api_then(r, answer);
}

static void fetch_state(api_req *r)
{
    char veh[FW_REDIS_KEY_MAX], idx[FW_REDIS_KEY_MAX];
    if (api_failed(r))
        return;
    if (r->phone[0] == '\0') {
        api_reply_error(r, 404, "no such vehicle", "vehicle");
        return;
    }
    fw_redis_key(veh, sizeof veh, FW_KEY_VEHICLE, r->phone, NULL);
    fw_redis_key(idx, sizeof idx, FW_KEY_VIO_BY_VEHICLE, r->phone, NULL);
    api_cmd(r, on_state, 0, "HGETALL %s", veh);
    unsigned window_s = r->api->cfg.api_open_window_s;
    char since[24] = "-inf";
    if (window_s)
        snprintf(since, sizeof since, "%lld", (long long)time(NULL) - window_s);
    api_cmd(r, on_ids, 0, "ZREVRANGEBYSCORE %s +inf %s LIMIT 0 %u", idx, since,
            (unsigned)API_OPEN_SCAN);
    api_then(r, fetch_open);
}

void api_vehicle_start(api_req *r, api_query *q)
{
    (void)q;
    r->cleanup = cleanup;
    api_resolve_vehicle(r, fetch_state);
}
