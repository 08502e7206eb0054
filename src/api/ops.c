/* ops.c - the operational endpoints: GET /healthz (open; a PING to Redis with a deadline of at
 * most 1 s: 503 naming what failed),
 * GET /metrics (the gateway's Prometheus text from the render hook, then the API's own
 * counters) and POST /v1/admin/reload (token file, then the reload hook).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_internal.h"

/* /healthz checks Redis with a PING answered within this, or less when api_redis_timeout_ms
 * is shorter. */
#define API_HEALTH_DEADLINE_MS 1000

static void on_pong(api_req *r, const redisReply *rep, size_t tag)
{
    (void)r;
    (void)rep;
    (void)tag;
}

/* 200 {"status":"ok","redis":"ok"}, or 503 {"status":"unavailable","redis":"timeout" | "down",
 * "redis_error": why}: "timeout" also while reconnecting after a connection dropped for one. */
static void health_answer(api_req *r)
{
    bool up = !r->redis_failed;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "status", up ? "ok" : "unavailable");
    bool hung = r->redis_timed_out || r->api->redis.hung;
    cJSON_AddStringToObject(o, "redis", up ? "ok" : hung ? "timeout" : "down");
    if (!up && r->api->redis.last_error[0])
        cJSON_AddStringToObject(o, "redis_error", r->api->redis.last_error);
    cJSON_AddBoolToObject(o, "gateway", r->api->hooks.send_text != NULL);
    api_reply_json(r, up ? 200 : 503, o);
}

void api_healthz_start(api_req *r, api_query *q)
{
    (void)q;
    if (r->redis_deadline_ms > API_HEALTH_DEADLINE_MS)
        r->redis_deadline_ms = API_HEALTH_DEADLINE_MS;
    api_cmd(r, on_pong, 0, "PING");
    api_then(r, health_answer);
}

static const char *const route_labels[] = {
#define API_ROUTE_LABEL(name, label) label,
    API_ROUTE_LIST(API_ROUTE_LABEL)
#undef API_ROUTE_LABEL
};

/* The API's own counters in the Prometheus text format. */
static void render_own(const fw_api *api, FILE *out)
{
    fputs("# HELP fleetwatch_api_requests_total API requests answered, by route and status "
          "class.\n# TYPE fleetwatch_api_requests_total counter\n",
          out);
    for (unsigned rt = 0; rt < API_ROUTE__COUNT; rt++)
        for (unsigned c = 1; c < API_STATUS_CLASSES; c++)
            if (api->requests[rt][c])
                fprintf(out, "fleetwatch_api_requests_total{route=\"%s\",code=\"%uxx\"} %llu\n",
                        route_labels[rt], c, (unsigned long long)api->requests[rt][c]);
    fprintf(out,
            "# TYPE fleetwatch_api_redis_connected gauge\nfleetwatch_api_redis_connected %d\n"
            "# TYPE fleetwatch_api_redis_connections_total counter\n"
            "fleetwatch_api_redis_connections_total %llu\n"
            "# TYPE fleetwatch_api_redis_errors_total counter\n"
            "fleetwatch_api_redis_errors_total %llu\n",
            api->redis.connected ? 1 : 0, (unsigned long long)api->redis.reconnects,
            (unsigned long long)api->redis.errors);
    fprintf(out,
            "# HELP fleetwatch_api_redis_timeouts_total Rounds of Redis commands not answered "
            "within api_redis_timeout_ms (the request answered 503, Redis was reconnected).\n"
            "# TYPE fleetwatch_api_redis_timeouts_total counter\n"
            "fleetwatch_api_redis_timeouts_total %llu\n",
            (unsigned long long)api->redis.timeouts);
    api_conns_render(api, out);
}

/* The gateway's text from the render hook (snprintf convention: retried with the size it
 * needs). false when out of memory. */
static bool render_gateway(const fw_api *api, FILE *out)
{
    if (api->hooks.render_metrics == NULL)
        return true;
    size_t cap = 64 * 1024;
    char *buf = malloc(cap);
    size_t need = buf ? api->hooks.render_metrics(api->hooks.metrics_ctx, buf, cap) : 0;
    if (buf && need >= cap) {
        free(buf);
        cap = need + 1;
        buf = malloc(cap);
        need = buf ? api->hooks.render_metrics(api->hooks.metrics_ctx, buf, cap) : 0;
    }
    if (buf)
        fwrite(buf, 1, need < cap ? need : cap - 1, out);
    free(buf);
    return buf != NULL;
}

void api_metrics_start(api_req *r, api_query *q)
{
    (void)q;
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    bool ok = out && render_gateway(r->api, out);
    if (ok) {
        api_gauge_render(r->api, out);
        api_audit_render(r->api, out);
        render_own(r->api, out);
    }
    if (out)
        ok = fclose(out) == 0 && ok;
    if (ok)
        api_reply_raw(r, 200, "text/plain; version=0.0.4", text, len);
    else
        api_reply_error(r, 503, "out of memory", NULL);
    free(text);
}

void api_reload_start(api_req *r, api_query *q)
{
    (void)q;
    char err[256] = "";
    fw_api *api = r->api;
    if (fw_api_reload_tokens(api, err, sizeof err) != 0) {
        api_reply_error(r, 500, err, "api_token_file");
        return;
    }
    if (api->hooks.reload && api->hooks.reload(api->hooks.reload_ctx, err, sizeof err) != 0) {
        api_reply_error(r, 500, err, NULL);
        return;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "status", "reloaded");
    cJSON_AddBoolToObject(o, "gateway", api->hooks.reload != NULL);
    api_reply_json(r, 200, o);
}
