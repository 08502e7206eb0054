/* stats.c - GET /v1/stats?from=&to=: violation counts over a time range (by start time), in
 * total, by type and by severity, each a ZCOUNT of one index (fw:vio:by_time, by_type:<type>,
 * by_severity:<severity>): one round of 1 + types + severities commands whose cost grows with
 * the logarithm of the violations kept, never with how many fall in the range.
 */
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "api_internal.h"
#include "json_add.h"
#include "fw/base/redis_schema.h"
#include "vocab.h"

#define API_STATS_DEFAULT_S 86400
#define API_STATS_MAX_NAMES 32

typedef struct {
    api_req base;
    int64_t from, to;
    long long total;
    long long by_type[API_STATS_MAX_NAMES];
    long long by_severity[API_STATS_MAX_NAMES];
} stats_q;

const size_t api_stats_state_size = sizeof(stats_q);

_Static_assert(API_STATS_MAX_NAMES >= 8, "room for the type and severity names");

static void on_total(api_req *r, const redisReply *rep, size_t tag)
{
    (void)tag;
    ((stats_q *)r)->total = rep->integer;
}

static void on_type(api_req *r, const redisReply *rep, size_t tag)
{
    ((stats_q *)r)->by_type[tag] = rep->integer;
}

static void on_severity(api_req *r, const redisReply *rep, size_t tag)
{
    ((stats_q *)r)->by_severity[tag] = rep->integer;
}

static cJSON *counts(const char *const *names, const long long *v, size_t n)
{
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; i < n; i++)
        api_j_int(o, names[i], v[i]);
    return o;
}

static void answer(api_req *r)
{
    stats_q *s = (stats_q *)r;
    if (api_failed(r))
        return;
    cJSON *o = cJSON_CreateObject();
    api_j_time(o, "from", s->from);
    api_j_time(o, "to", s->to);
    api_j_int(o, "total", s->total);
    api_j_item(o, "by_type", counts(api_type_names, s->by_type, api_type_count));
    api_j_item(o, "by_severity", counts(api_severity_names, s->by_severity, api_severity_count));
    api_reply_json(r, 200, o);
}

/* ZCOUNT of every index named prefix + names[i], each reply to fn with tag i. */
static void count_each(api_req *r, const char *prefix, const char *const *names, size_t n,
                       api_reply_fn fn, const char *min, const char *max)
{
    char key[FW_REDIS_KEY_MAX];
    for (size_t i = 0; i < n && i < API_STATS_MAX_NAMES; i++)
        if (fw_redis_key(key, sizeof key, prefix, names[i], NULL) > 0)
            api_cmd(r, fn, i, "ZCOUNT %s %s %s", key, min, max);
}

void api_stats_start(api_req *r, api_query *q)
{
    stats_q *s = (stats_q *)r;
    char min[24], max[24];
    int64_t now = time(NULL);
    if (!api_query_time(q, "to", now, &s->to) ||
        !api_query_time(q, "from", s->to - API_STATS_DEFAULT_S, &s->from) ||
        !api_query_range(q, s->from, s->to)) {
        api_reply_bad(r, &q->bad);
        return;
    }
    snprintf(min, sizeof min, "%" PRId64, s->from);
    snprintf(max, sizeof max, "%" PRId64, s->to);
    api_cmd(r, on_total, 0, "ZCOUNT %s %s %s", FW_KEY_VIO_BY_TIME, min, max);
    count_each(r, FW_KEY_VIO_BY_TYPE, api_type_names, api_type_count, on_type, min, max);
    count_each(r, FW_KEY_VIO_BY_SEVERITY, api_severity_names, api_severity_count, on_severity, min,
               max);
    api_then(r, answer);
}
