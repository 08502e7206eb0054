/* stats.c - GET /v1/stats?from=&to=: violation counts over a time range (by start time), in
 * total, by type (ZCOUNT of each type index) and by severity (the severity field of each
 * violation in the range, read in pages of API_STATS_PAGE ids; skipped, with a note, when the
 * range holds more than API_STATS_SCAN_MAX violations).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api_internal.h"
#include "json_add.h"
#include "schema.h"
#include "vocab.h"

#define API_STATS_DEFAULT_S 86400
#define API_STATS_PAGE      1000
#define API_STATS_SCAN_MAX  100000
#define API_STATS_MAX_NAMES 32

typedef struct {
    api_req base;
    int64_t from, to;
    char min[24], max[24];
    long long total;
    long long by_type[API_STATS_MAX_NAMES];
    long long by_severity[API_STATS_MAX_NAMES];
    long long other_severity; /* severity names the API does not know */
    unsigned offset;          /* ids of the range read so far */
    unsigned page;            /* ids in the last page */
} stats_q;

const size_t api_stats_state_size = sizeof(stats_q);

_Static_assert(API_STATS_MAX_NAMES >= 8, "room for the type and severity names");

static void scan_page(api_req *r);

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
    stats_q *s = (stats_q *)r;
    (void)tag;
    if (rep->type != REDIS_REPLY_STRING)
        return;
    for (size_t i = 0; i < api_severity_count; i++)
        if (strcmp(rep->str, api_severity_names[i]) == 0) {
            s->by_severity[i]++;
            return;
        }
    s->other_severity++;
}

static void on_ids(api_req *r, const redisReply *rep, size_t tag)
{
    stats_q *s = (stats_q *)r;
    char key[API_KEY_MAX];
    (void)tag;
    s->page = (unsigned)rep->elements;
    for (size_t i = 0; i < rep->elements; i++)
        if (api_key(key, API_KEY_VIOLATION, api_str(rep->element[i]), NULL) > 0)
            api_cmd(r, on_severity, 0, "HGET %s %s", key, API_FIELD_SEVERITY);
}

static cJSON *counts(const char *const *names, const long long *v, size_t n)
{
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; i < n; i++)
        api_j_int(o, names[i], v[i]);
    return o;
}

static void answer(stats_q *s, bool severity_done)
{
    cJSON *o = cJSON_CreateObject();
    api_j_time(o, "from", s->from);
    api_j_time(o, "to", s->to);
    api_j_int(o, "total", s->total);
    api_j_item(o, "by_type", counts(api_type_names, s->by_type, api_type_count));
    if (severity_done) {
        cJSON *sev = counts(api_severity_names, s->by_severity, api_severity_count);
        if (s->other_severity)
            api_j_int(sev, "other", s->other_severity);
        api_j_item(o, "by_severity", sev);
    } else {
        api_j_null(o, "by_severity");
        api_j_str(o, "note",
                  "too many violations in the range to count by "
                  "severity: narrow from/to");
    }
    api_reply_json(&s->base, 200, o);
}

static void page_done(api_req *r)
{
    stats_q *s = (stats_q *)r;
    if (api_failed(r))
        return;
    s->offset += s->page;
    if (s->page < API_STATS_PAGE || s->offset >= API_STATS_SCAN_MAX)
        answer(s, true);
    else
        scan_page(r);
}

static void scan_page(api_req *r)
{
    stats_q *s = (stats_q *)r;
    api_cmd(r, on_ids, 0, "ZRANGEBYSCORE %s %s %s LIMIT %u %u", API_KEY_VIO_BY_TIME, s->min, s->max,
            s->offset, (unsigned)API_STATS_PAGE);
    api_then(r, page_done);
}

static void counted(api_req *r)
{
    stats_q *s = (stats_q *)r;
    if (api_failed(r))
        return;
    if (s->total > API_STATS_SCAN_MAX)
        answer(s, false);
    else
        scan_page(r);
}

void api_stats_start(api_req *r, api_query *q)
{
    stats_q *s = (stats_q *)r;
    char key[API_KEY_MAX];
    int64_t now = time(NULL);
    if (!api_query_time(q, "to", now, &s->to) ||
        !api_query_time(q, "from", s->to - API_STATS_DEFAULT_S, &s->from) ||
        !api_query_range(q, s->from, s->to)) {
        api_reply_bad(r, &q->bad);
        return;
    }
    snprintf(s->min, sizeof s->min, "%" PRId64, s->from);
    snprintf(s->max, sizeof s->max, "%" PRId64, s->to);
    api_cmd(r, on_total, 0, "ZCOUNT %s %s %s", API_KEY_VIO_BY_TIME, s->min, s->max);
    for (size_t i = 0; i < api_type_count && i < API_STATS_MAX_NAMES; i++)
        if (api_key(key, API_KEY_VIO_BY_TYPE, api_type_names[i], NULL) > 0)
            api_cmd(r, on_type, i, "ZCOUNT %s %s %s", key, s->min, s->max);
    api_then(r, counted);
}
