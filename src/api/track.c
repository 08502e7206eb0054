/* track.c - GET /v1/vehicles/{plate or phone}/track: positions in time order, as JSON or as
 * a GeoJSON LineString feature (format=geojson).
 *
 * A track is the stream fw:track:<phone> (ids "<GNSS ms>-<seq>") merged with its late set
 * (points older than the stream's newest when they arrived, scored by the same ms). At most
 * `limit` points are answered; when more remain the page ends before the group of points
 * sharing the first left-out millisecond, and next_cursor is the last answered millisecond:
 * the next page starts just after it, so no point is repeated or skipped.
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

#define API_TRACK_DEFAULT_S 86400 /* without from: the last 24 hours */

typedef struct {
    int64_t ms;
    Fleetwatch__Position *pos;
} track_point;

typedef struct {
    track_point *v;
    size_t n;
} track_list;

typedef struct {
    api_req base;
    int64_t from, to; /* epoch s */
    int64_t start_ms, end_ms;
    unsigned limit;
    bool geojson;
    bool known; /* fw:veh:<phone> exists */
    track_list stream, late;
} track_q;

const size_t api_track_state_size = sizeof(track_q);

static void free_list(track_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        fleetwatch__position__free_unpacked(l->v[i].pos, NULL);
    free(l->v);
}

static void cleanup(api_req *r)
{
    track_q *s = (track_q *)r;
    free_list(&s->stream);
    free_list(&s->late);
}

static void add_point(track_q *s, track_list *l, int64_t ms, const redisReply *pb)
{
    if (pb->type != REDIS_REPLY_STRING || l->n > s->limit)
        return;
    Fleetwatch__Position *p = fleetwatch__position__unpack(NULL, pb->len, (const uint8_t *)pb->str);
    if (p)
        l->v[l->n++] = (track_point){ms, p};
}

static const redisReply *pb_field(const redisReply *fields)
{
    for (size_t i = 0; fields->type == REDIS_REPLY_ARRAY && i + 1 < fields->elements; i += 2)
        if (strcmp(api_str(fields->element[i]), FW_FIELD_PB) == 0)
            return fields->element[i + 1];
    return NULL;
}

static void on_stream(api_req *r, const redisReply *rep, size_t tag)
{
    track_q *s = (track_q *)r;
    (void)tag;
    for (size_t i = 0; i < rep->elements; i++) {
        const redisReply *e = rep->element[i];
        const redisReply *pb = e->elements == 2 ? pb_field(e->element[1]) : NULL;
        if (pb && e->element[0]->type == REDIS_REPLY_STRING)
            add_point(s, &s->stream, strtoll(e->element[0]->str, NULL, 10), pb);
    }
}

static void on_late(api_req *r, const redisReply *rep, size_t tag)
{
    track_q *s = (track_q *)r;
    (void)tag;
    for (size_t i = 0; i + 1 < rep->elements; i += 2)
        add_point(s, &s->late, strtoll(api_str(rep->element[i + 1]), NULL, 10), rep->element[i]);
}

static void on_exists(api_req *r, const redisReply *rep, size_t tag)
{
    (void)tag;
    ((track_q *)r)->known = rep->type == REDIS_REPLY_INTEGER && rep->integer > 0;
}

/* Merge both lists in time order into out (room for limit + 1). */
static size_t merge(const track_q *s, const track_point **out)
{
    size_t i = 0, j = 0, n = 0;
    while (n <= s->limit && (i < s->stream.n || j < s->late.n)) {
        bool take_late = j < s->late.n && (i == s->stream.n || s->late.v[j].ms < s->stream.v[i].ms);
        out[n++] = take_late ? &s->late.v[j++] : &s->stream.v[i++];
    }
    return n;
}

/* Points to answer out of n merged, and whether a page follows. */
static size_t page_size(const track_q *s, const track_point **pts, size_t n, bool *more)
{
    *more = n > s->limit;
    if (!*more)
        return n;
    size_t keep = s->limit;
    while (keep > 0 && pts[keep - 1]->ms == pts[s->limit]->ms)
        keep--;
    return keep > 0 ? keep : s->limit;
}

static cJSON *json_body(const track_q *s, const track_point **pts, size_t n)
{
    cJSON *o = cJSON_CreateObject();
    api_j_str(o, "phone", s->base.phone);
    api_j_time(o, "from", s->from);
    api_j_time(o, "to", s->to);
    api_j_int(o, "count", (int64_t)n);
    cJSON *list = api_j_item(o, "points", cJSON_CreateArray());
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(list, api_position_json(pts[i]->pos));
    return o;
}

static cJSON *geojson_body(const track_q *s, const track_point **pts, size_t n)
{
    cJSON *o = cJSON_CreateObject();
    api_j_str(o, "type", "Feature");
    cJSON *geom = n >= 2 ? api_j_item(o, "geometry", cJSON_CreateObject()) : NULL;
    cJSON *coords = NULL;
    if (geom) {
        api_j_str(geom, "type", "LineString");
        coords = api_j_item(geom, "coordinates", cJSON_CreateArray());
    } else {
        api_j_null(o, "geometry"); /* a LineString needs two positions */
    }
    cJSON *props = api_j_item(o, "properties", cJSON_CreateObject());
    api_j_str(props, "phone", s->base.phone);
    api_j_time(props, "from", s->from);
    api_j_time(props, "to", s->to);
    api_j_int(props, "count", (int64_t)n);
    cJSON *times = api_j_item(props, "times", cJSON_CreateArray());
    cJSON *speeds = api_j_item(props, "speeds_kmh", cJSON_CreateArray());
    for (size_t i = 0; i < n; i++) {
        const Fleetwatch__Position *p = pts[i]->pos;
        if (coords) {
            cJSON *xy = cJSON_CreateArray();
            cJSON_AddItemToArray(xy, api_j_fixed_node(p->lon_e6, 6));
            cJSON_AddItemToArray(xy, api_j_fixed_node(p->lat_e6, 6));
            cJSON_AddItemToArray(coords, xy);
        }
        cJSON_AddItemToArray(times, api_j_time_node(p->gnss_time));
        cJSON_AddItemToArray(speeds, api_j_fixed_node(p->speed_dkmh, 1));
    }
    return o;
}

static void answer(api_req *r)
{
    track_q *s = (track_q *)r;
    if (api_failed(r))
        return;
    if (!s->known && s->stream.n == 0 && s->late.n == 0) {
        api_reply_error(r, 404, "no such vehicle", "vehicle");
        return;
    }
    const track_point **pts = malloc((s->limit + 1) * sizeof *pts);
    if (pts == NULL) {
        api_reply_error(r, 503, "out of memory", NULL);
        return;
    }
    bool more;
    size_t n = page_size(s, pts, merge(s, pts), &more);
    cJSON *o = s->geojson ? geojson_body(s, pts, n) : json_body(s, pts, n);
    cJSON *where = s->geojson ? cJSON_GetObjectItem(o, "properties") : o;
    char cursor[24];
    snprintf(cursor, sizeof cursor, "%" PRId64, n > 0 ? pts[n - 1]->ms : s->start_ms);
    if (more)
        api_j_str(where, "next_cursor", cursor);
    else
        api_j_null(where, "next_cursor");
    free(pts);
    api_reply_json(r, 200, o);
}

static void fetch(api_req *r)
{
    track_q *s = (track_q *)r;
    char veh[FW_REDIS_KEY_MAX], track[FW_REDIS_KEY_MAX], late[FW_REDIS_KEY_MAX];
    if (api_failed(r))
        return;
    if (r->phone[0] == '\0') {
        api_reply_error(r, 404, "no such vehicle", "vehicle");
        return;
    }
    s->stream.v = malloc((s->limit + 1) * sizeof *s->stream.v);
    s->late.v = malloc((s->limit + 1) * sizeof *s->late.v);
    if (s->stream.v == NULL || s->late.v == NULL) {
        api_reply_error(r, 503, "out of memory", NULL);
        return;
    }
    fw_redis_key(veh, sizeof veh, FW_KEY_VEHICLE, r->phone, NULL);
    fw_redis_key(track, sizeof track, FW_KEY_TRACK, r->phone, NULL);
    fw_redis_key(late, sizeof late, FW_KEY_TRACK, r->phone, FW_KEY_TRACK_LATE_SUFFIX);
    char start[24], end[24];
    snprintf(start, sizeof start, "%" PRId64, s->start_ms);
    snprintf(end, sizeof end, "%" PRId64, s->end_ms);
    api_cmd(r, on_exists, 0, "EXISTS %s", veh);
    api_cmd(r, on_stream, 0, "XRANGE %s %s %s COUNT %u", track, start, end, s->limit + 1);
    api_cmd(r, on_late, 0, "ZRANGEBYSCORE %s %s %s WITHSCORES LIMIT 0 %u", late, start, end,
            s->limit + 1);
    api_then(r, answer);
}

static bool read_query(track_q *s, api_query *q, const fw_api_config *cfg)
{
    int64_t now = time(NULL), cursor_ms = -1;
    const char *format = api_query_str(q, "format"), *cursor = api_query_str(q, "cursor");
    char *end = NULL;
    if (!api_query_time(q, "to", now, &s->to) ||
        !api_query_time(q, "from", s->to - API_TRACK_DEFAULT_S, &s->from) ||
        !api_query_range(q, s->from, s->to) ||
        !api_query_uint(q, "limit", cfg->api_track_max_points, 1, cfg->api_track_max_points,
                        &s->limit))
        return false;
    if (format && strcmp(format, "json") != 0 && strcmp(format, "geojson") != 0)
        return api_query_fail(q, "format", "expected json or geojson");
    if (cursor && (cursor[0] < '0' || cursor[0] > '9' ||
                   (cursor_ms = strtoll(cursor, &end, 10), *end != '\0') || cursor_ms < 0))
        return api_query_fail(q, "cursor", "malformed cursor");
    s->geojson = format && strcmp(format, "geojson") == 0;
    s->start_ms = s->from * 1000;
    if (cursor_ms >= s->start_ms)
        s->start_ms = cursor_ms + 1;
    s->end_ms = s->to * 1000 + 999;
    return true;
}

void api_track_start(api_req *r, api_query *q)
{
    track_q *s = (track_q *)r;
    r->cleanup = cleanup;
    if (!read_query(s, q, &r->api->cfg)) {
        api_reply_bad(r, &q->bad);
        return;
    }
    api_resolve_vehicle(r, fetch);
}
