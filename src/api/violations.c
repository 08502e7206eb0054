/* violations.c - GET /v1/violations: violations newest first with cursor pagination.
 *
 * One index is read (by vehicle, by plate, by type, else by time: redis_schema.h), in rounds:
 * ZREVRANGEBYSCORE fetches a batch of ids below the cursor, HGET fetches their records, the
 * filters the index does not cover (type, severity, plate/phone) are applied to the decoded
 * records. Rounds continue until the page is full, the index is exhausted or
 * API_VIO_SCAN_BUDGET ids were examined (then the page may be short, with a next_cursor).
 * The cursor "<start time>:<id>" names the last id examined; ids sharing its start time are
 * ordered by id, as Redis orders them, so pagination neither repeats nor skips any.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api_internal.h"
#include "json_add.h"
#include "json_out.h"
#include "fw/base/redis_schema.h"
#include "vocab.h"

#define API_VIO_BATCH       256  /* ids per round */
#define API_VIO_SCAN_BUDGET 2048 /* ids examined per request at most */

typedef struct {
    int64_t score; /* start time, epoch s */
    char id[API_ID_MAX + 1];
} vio_pos;

typedef struct {
    api_req base;
    char index[FW_REDIS_KEY_MAX];
    const char *type, *severity; /* post-filters, NULL = none (static names) */
    char phone[API_PHONE_MAX + 1], plate[API_PLATE_MAX + 1]; /* post-filters, "" = none */
    int64_t from, to;
    unsigned limit;
    bool has_cursor;
    vio_pos cursor;
    /* the current round */
    unsigned want; /* ids asked for */
    unsigned n;    /* candidates gathered */
    bool more;     /* the index may hold more below the last candidate */
    vio_pos cand[API_VIO_BATCH];
    cJSON *json[API_VIO_BATCH];
    /* the answer */
    unsigned scanned;
    unsigned count;
    cJSON *list;
    int64_t now_s;
} vio_list;

const size_t api_violations_state_size = sizeof(vio_list);

static void round_start(api_req *r);

static void cleanup(api_req *r)
{
    vio_list *s = (vio_list *)r;
    for (unsigned i = 0; i < s->n; i++)
        cJSON_Delete(s->json[i]);
    cJSON_Delete(s->list);
}

/* "<score>:<id>" -> *pos. */
static bool parse_cursor(const char *text, vio_pos *pos)
{
    const char *colon = strchr(text, ':');
    char *end = NULL;
    if (colon == NULL || colon == text || text[0] < '0' || text[0] > '9')
        return false;
    long long score = strtoll(text, &end, 10);
    if (end != colon || strlen(colon + 1) > API_ID_MAX || !api_valid_id(colon + 1))
        return false;
    pos->score = score;
    strcpy(pos->id, colon + 1);
    return true;
}

static bool read_filters(vio_list *s, api_query *q)
{
    const char *phone = api_query_str(q, "phone"), *plate = api_query_str(q, "plate");
    int type, sev;
    if (phone && !api_valid_phone(phone))
        return api_query_fail(q, "phone", "expected 1 to 20 digits");
    if (plate && !api_valid_plate(plate))
        return api_query_fail(q, "plate", "expected a plate of at most 32 UTF-8 bytes");
    if (!api_query_enum(q, "type", api_type_names, api_type_count, &type) ||
        !api_query_enum(q, "severity", api_severity_names, api_severity_count, &sev))
        return false;
    s->type = type >= 0 ? api_type_names[type] : NULL;
    s->severity = sev >= 0 ? api_severity_names[sev] : NULL;
    snprintf(s->phone, sizeof s->phone, "%s", phone ? phone : "");
    snprintf(s->plate, sizeof s->plate, "%s", plate ? plate : "");
    /* the most selective index; its own filter is then implied */
    int rc;
    if (phone) {
        rc = fw_redis_key(s->index, sizeof s->index, FW_KEY_VIO_BY_VEHICLE, phone, NULL);
        s->phone[0] = '\0';
    } else if (plate) {
        rc = fw_redis_key(s->index, sizeof s->index, FW_KEY_VIO_BY_PLATE, plate, NULL);
        s->plate[0] = '\0';
    } else if (s->type) {
        rc = fw_redis_key(s->index, sizeof s->index, FW_KEY_VIO_BY_TYPE, s->type, NULL);
        s->type = NULL;
    } else {
        rc = fw_redis_key(s->index, sizeof s->index, FW_KEY_VIO_BY_TIME, "", NULL);
    }
    return rc > 0;
}

static bool read_query(vio_list *s, api_query *q, const fw_api_config *cfg)
{
    const char *cursor = api_query_str(q, "cursor");
    if (!read_filters(s, q) || !api_query_time(q, "from", 0, &s->from) ||
        !api_query_time(q, "to", INT64_MAX, &s->to) || !api_query_range(q, s->from, s->to) ||
        !api_query_uint(q, "limit", cfg->api_limit_default, 1, cfg->api_limit_max, &s->limit))
        return false;
    s->has_cursor = cursor != NULL;
    if (cursor && !parse_cursor(cursor, &s->cursor))
        return api_query_fail(q, "cursor", "malformed cursor");
    return true;
}

void api_violations_start(api_req *r, api_query *q)
{
    vio_list *s = (vio_list *)r;
    r->cleanup = cleanup;
    if (!read_query(s, q, &r->api->cfg)) {
        api_reply_bad(r, &q->bad);
        return;
    }
    s->list = cJSON_CreateArray();
    s->now_s = time(NULL);
    round_start(r);
}

static void add_candidate(vio_list *s, const redisReply *id, const redisReply *score)
{
    if (s->n == API_VIO_BATCH || id->type != REDIS_REPLY_STRING || id->len > API_ID_MAX ||
        score->type != REDIS_REPLY_STRING)
        return;
    vio_pos *p = &s->cand[s->n++];
    memcpy(p->id, id->str, id->len + 1);
    p->score = strtoll(score->str, NULL, 10);
}

/* Ids at exactly the cursor's start time: those after the cursor's id in Redis' order. */
static void on_ties(api_req *r, const redisReply *rep, size_t tag)
{
    vio_list *s = (vio_list *)r;
    (void)tag;
    for (size_t i = 0; i + 1 < rep->elements; i += 2)
        if (strcmp(api_str(rep->element[i]), s->cursor.id) < 0)
            add_candidate(s, rep->element[i], rep->element[i + 1]);
    if (s->n == API_VIO_BATCH)
        s->more = true;
}

static void on_ids(api_req *r, const redisReply *rep, size_t tag)
{
    vio_list *s = (vio_list *)r;
    (void)tag;
    for (size_t i = 0; i + 1 < rep->elements; i += 2)
        add_candidate(s, rep->element[i], rep->element[i + 1]);
    if (rep->elements / 2 >= s->want)
        s->more = true;
}

static bool passes(const vio_list *s, const Fleetwatch__Violation *v)
{
    return (!s->type || strcmp(v->type, s->type) == 0) &&
           (!s->severity || strcmp(v->severity, s->severity) == 0) &&
           (!s->phone[0] || strcmp(v->phone, s->phone) == 0) &&
           (!s->plate[0] || strcmp(v->plate, s->plate) == 0);
}

/* A record (nil when expired meanwhile): decoded, filtered, rendered into json[tag]. */
static void on_record(api_req *r, const redisReply *rep, size_t tag)
{
    vio_list *s = (vio_list *)r;
    if (rep->type != REDIS_REPLY_STRING)
        return;
    Fleetwatch__Violation *v = api_violation_decode(r->api, rep->str, rep->len);
    if (v && passes(s, v))
        s->json[tag] = api_violation_json(v, false, s->now_s);
    api_violation_release(r->api, v);
}

static void reply_page(vio_list *s, const vio_pos *next)
{
    cJSON *o = cJSON_CreateObject();
    api_j_item(o, "violations", s->list);
    s->list = NULL;
    if (next) {
        char text[32 + API_ID_MAX];
        snprintf(text, sizeof text, "%" PRId64 ":%s", next->score, next->id);
        api_j_str(o, "next_cursor", text);
    } else {
        api_j_null(o, "next_cursor");
    }
    api_reply_json(&s->base, 200, o);
}

/* Move the round's matches to the page; answer when it is full or nothing is left. */
static void round_end(api_req *r)
{
    vio_list *s = (vio_list *)r;
    if (api_failed(r))
        return;
    unsigned used = 0;
    while (used < s->n && s->count < s->limit) {
        if (s->json[used]) {
            cJSON_AddItemToArray(s->list, s->json[used]);
            s->json[used] = NULL;
            s->count++;
        }
        used++;
    }
    s->scanned += used;
    bool rest_of_batch = used < s->n;
    if (used > 0)
        s->cursor = s->cand[used - 1];
    s->has_cursor = s->has_cursor || used > 0;
    bool more = s->more || rest_of_batch;
    if (!more || s->count == s->limit || s->scanned >= API_VIO_SCAN_BUDGET) {
        reply_page(s, more ? &s->cursor : NULL);
        return;
    }
    for (unsigned i = 0; i < s->n; i++)
        cJSON_Delete(s->json[i]);
    round_start(r);
}

static void fetch_records(api_req *r)
{
    vio_list *s = (vio_list *)r;
    char key[FW_REDIS_KEY_MAX];
    if (api_failed(r))
        return;
    for (unsigned i = 0; i < s->n; i++)
        if (fw_redis_key(key, sizeof key, FW_KEY_VIOLATION, s->cand[i].id, NULL) > 0)
            api_cmd(r, on_record, i, "HGET %s %s", key, FW_FIELD_PB);
    api_then(r, round_end);
}

static void round_start(api_req *r)
{
    vio_list *s = (vio_list *)r;
    bool filtered = s->type || s->severity || s->phone[0] || s->plate[0];
    unsigned left = s->limit - s->count;
    s->want = filtered ? (left < API_VIO_BATCH / 4 ? left * 4 : API_VIO_BATCH)
                       : (left < API_VIO_BATCH ? left : API_VIO_BATCH);
    s->n = 0;
    s->more = false;
    memset(s->json, 0, sizeof s->json);
    char max[32], min[32], want[16];
    if (s->has_cursor) {
        snprintf(max, sizeof max, "%" PRId64, s->cursor.score);
        api_cmd(r, on_ties, 0, "ZREVRANGEBYSCORE %s %s %s WITHSCORES LIMIT 0 %u", s->index, max,
                max, (unsigned)API_VIO_BATCH);
        snprintf(max, sizeof max, "(%" PRId64, s->cursor.score);
    } else if (s->to == INT64_MAX) {
        strcpy(max, "+inf");
    } else {
        snprintf(max, sizeof max, "%" PRId64, s->to);
    }
    snprintf(min, sizeof min, "%" PRId64, s->from);
    snprintf(want, sizeof want, "%u", s->want);
    api_cmd(r, on_ids, 0, "ZREVRANGEBYSCORE %s %s %s WITHSCORES LIMIT 0 %s", s->index, max, min,
            want);
    api_then(r, fetch_records);
}
