/* violation.c - GET /v1/violations/{id}: one violation record with its evidence points. */
#include <time.h>

#include "api_internal.h"
#include "json_out.h"
#include "fw/base/redis_schema.h"

typedef struct {
    api_req base;
    int status; /* 0 not found, 1 found, -1 malformed record */
    cJSON *json;
} vio_one;

const size_t api_violation_state_size = sizeof(vio_one);

static void cleanup(api_req *r)
{
    cJSON_Delete(((vio_one *)r)->json);
}

static void on_record(api_req *r, const redisReply *rep, size_t tag)
{
    vio_one *s = (vio_one *)r;
    (void)tag;
    if (rep->type != REDIS_REPLY_STRING)
        return;
    Fleetwatch__Violation *v = api_violation_decode(r->api, rep->str, rep->len);
    s->json = v ? api_violation_json(v, true, time(NULL)) : NULL;
    s->status = s->json ? 1 : -1;
    api_violation_release(r->api, v);
}

static void answer(api_req *r)
{
    vio_one *s = (vio_one *)r;
    if (api_failed(r))
        return;
    if (s->status == 0) {
        api_reply_error(r, 404, "no such violation", "id");
    } else if (s->status < 0) {
        api_reply_error(r, 500, "the stored record is malformed", "id");
    } else {
        cJSON *json = s->json;
        s->json = NULL;
        api_reply_json(r, 200, json);
    }
}

void api_violation_start(api_req *r, api_query *q)
{
    char key[FW_REDIS_KEY_MAX];
    (void)q;
    r->cleanup = cleanup;
    if (!api_valid_id(r->arg) ||
        fw_redis_key(key, sizeof key, FW_KEY_VIOLATION, r->arg, NULL) < 0) {
        api_reply_error(r, 400, "expected a violation id ([A-Za-z0-9_.:-], at most 96)", "id");
        return;
    }
    api_cmd(r, on_record, 0, "HGET %s %s", key, FW_FIELD_PB);
    api_then(r, answer);
}
