/* ops.c - the operational endpoints: GET /healthz (open; a PING to Redis with a deadline of at
 * most 1 s: 503 naming what failed), GET /metrics (the gateway's Prometheus text from the
 * render hook, then the API's own counters, all through fw/base/prom.h) and
 * POST /v1/admin/reload (token file, then the reload hook).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_internal.h"
#include "fw/base/log.h"

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
    bool up = !r->redis_failed && r->api->redis.ready;
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

/* The API's own counters. */
static void render_own(const fw_api *api, fw_prom *out)
{
    static const char requests[] = "fleetwatch_api_requests_total";
    fw_prom_family(out, requests, FW_PROM_COUNTER,
                   "API requests answered, by route and status class.");
    for (unsigned rt = 0; rt < API_ROUTE__COUNT; rt++)
        for (unsigned c = 1; c < API_STATUS_CLASSES; c++)
            if (api->requests[rt][c]) {
                char code[8];
                snprintf(code, sizeof code, "%uxx", c);
                fw_prom_sample(out, requests, api->requests[rt][c], "route", route_labels[rt],
                               "code", code, NULL);
            }
    fw_prom_metric(out, "fleetwatch_api_redis_connected", FW_PROM_GAUGE,
                   "1 while the API's Redis connection is ready.", api->redis.connected ? 1 : 0);
    fw_prom_metric(out, "fleetwatch_api_redis_connections_total", FW_PROM_COUNTER,
                   "Successful connections to Redis, the first included.", api->redis.reconnects);
    fw_prom_metric(
        out, "fleetwatch_api_redis_errors_total", FW_PROM_COUNTER,
        "Redis failures: connects failed, connections lost, AUTH or SELECT refused, error "
        "replies.",
        api->redis.errors);
    fw_prom_metric(out, "fleetwatch_api_redis_timeouts_total", FW_PROM_COUNTER,
                   "Rounds of Redis commands not answered within api_redis_timeout_ms (the "
                   "request answered 503, Redis was reconnected).",
                   api->redis.timeouts);
    api_conns_render(api, out);
}

/* The whole /metrics text: the gateway's from the render hook, then the API's own. Like
 * snprintf: at most cap bytes, returns the length the full text needs. */
static size_t render_all(const fw_api *api, char *out, size_t cap)
{
    fw_prom text;
    fw_prom_init(&text, out, cap);
    if (api->hooks.render_metrics)
        fw_prom_append(&text, api->hooks.render_metrics, api->hooks.metrics_ctx);
    api_gauge_render(api, &text);
    api_audit_render(api, &text);
    render_own(api, &text);
    /* the logger's, of whichever program the API runs in */
    fw_prom_metric(&text, "fleetwatch_log_syslog_dropped_total", FW_PROM_COUNTER,
                   "Log lines dropped because the syslog socket was full (log_target = syslog).",
                   fw_log_syslog_dropped());
    return fw_prom_len(&text);
}

void api_metrics_start(api_req *r, api_query *q)
{
    (void)q;
    size_t cap = 64 * 1024;
    char *text = malloc(cap);
    size_t len = text ? render_all(r->api, text, cap) : 0;
    if (text && len >= cap) {
        free(text);
        cap = len + 1;
        text = malloc(cap);
        len = text ? render_all(r->api, text, cap) : 0;
    }
    if (text)
        api_reply_raw(r, 200, "text/plain; version=0.0.4", text, len < cap ? len : cap - 1);
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
