/* audit.c - the access audit: who read which vehicle, track or violation, who sent which text,
 * every admin action and every refused request (401/403). One entry per answered request in the
 * Redis stream fw:audit (fields: time, token, role, addr, method, path, status, detail;
 * docs/redis-schema.md), trimmed to audit_retention_days by each XADD (MINID), and one log line.
 * The XADD goes out on the API's Redis connection without waiting for it; a write that fails (no
 * connection, an error reply, the connection lost before the reply) is counted
 * (fleetwatch_api_audit_entries_total{result="failed"} on /metrics) and logged, rate-limited.
 * 401s are logged rate-limited too (anyone can cause them), and written at most
 * API_AUDIT_401_BURST at once and API_AUDIT_401_PER_S after that: a flood of requests without a
 * valid token must not fill Redis with three years of entries. The 401s over that limit are
 * counted ({result="suppressed"}) and the next 401 entry written says how many it stands for.
 * A path is recorded up to API_AUDIT_PATH_MAX bytes, with the length of the rest.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <event2/http.h>
#include <hiredis/async.h>

#include "api_internal.h"
#include "fw/base/china_time.h"
#include "fw/base/log.h"
#include "fw/base/redis_schema.h"

#define API_AUDIT_DAY_S     86400
#define API_AUDIT_401_BURST 100  /* 401 entries written back to back */
#define API_AUDIT_401_PER_S 10   /* ... and per second after that */
#define API_AUDIT_PATH_MAX  1024 /* bytes of a path recorded */

/* Routes whose every answer is audited (reads of vehicles, tracks and violations, texts, admin
 * actions); any other route only when refused (401/403). A new admin route goes here. */
static const bool audited_routes[API_ROUTE__COUNT] = {
    [API_ROUTE_VIOLATIONS] = true, [API_ROUTE_VIOLATION] = true, [API_ROUTE_NEAR] = true,
    [API_ROUTE_VEHICLE] = true,    [API_ROUTE_TRACK] = true,     [API_ROUTE_TEXT] = true,
    [API_ROUTE_RELOAD] = true,     [API_ROUTE_REVOKE] = true,
};

static const char *method_name(enum evhttp_cmd_type m)
{
    switch (m) {
    case EVHTTP_REQ_GET:
        return "GET";
    case EVHTTP_REQ_POST:
        return "POST";
    case EVHTTP_REQ_PUT:
        return "PUT";
    case EVHTTP_REQ_DELETE:
        return "DELETE";
    case EVHTTP_REQ_PATCH:
        return "PATCH";
    default:
        return "OTHER";
    }
}

static void on_written(redisAsyncContext *c, void *reply, void *priv)
{
    static fw_log_limit lim;
    const redisReply *rep = reply;
    api_audit_counts *a = priv;
    (void)c;
    if (rep && rep->type != REDIS_REPLY_ERROR) {
        a->written++;
        return;
    }
    a->failed++;
    fw_log_limited(&lim, FW_LOG_WARN, "api: audit entry not written to " FW_KEY_AUDIT ": %s",
                   rep ? rep->str : "Redis connection lost");
}

/* XADD the entry; counted as failed at once when it cannot be sent. */
static void write_entry(fw_api *api, const char **argv, const size_t *lens, int argc)
{
    static fw_log_limit lim;
    redisAsyncContext *c = api->redis.ctx;
    if (c && redisAsyncCommandArgv(c, on_written, &api->audit, argc, argv, lens) == REDIS_OK)
        return;
    api->audit.failed++;
    fw_log_limited(&lim, FW_LOG_WARN,
                   "api: audit entry not written to " FW_KEY_AUDIT ": Redis not connected");
}

/* May another 401 entry be written now? (token bucket; API thread only) */
static bool unauthenticated_allowed(api_audit_counts *a)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    int64_t now_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    if (a->unauth_fill_ms == 0)
        a->unauth_tokens = API_AUDIT_401_BURST;
    else
        a->unauth_tokens += (double)(now_ms - a->unauth_fill_ms) * API_AUDIT_401_PER_S / 1000.0;
    if (a->unauth_tokens > API_AUDIT_401_BURST)
        a->unauth_tokens = API_AUDIT_401_BURST;
    a->unauth_fill_ms = now_ms;
    if (a->unauth_tokens < 1) {
        a->suppressed++;
        a->unrecorded++;
        return false;
    }
    a->unauth_tokens -= 1;
    return true;
}

void api_audit(fw_api *api, struct evhttp_request *req, const api_audit_who *who, int status)
{
    static fw_log_limit unauthenticated;
    if (status == 401 && !unauthenticated_allowed(&api->audit))
        return;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    char time_text[FW_TIME_TEXT_MAX], addr[INET6_ADDRSTRLEN + 8] = "?", status_text[8], minid[24];
    fw_utc_time_text_ms((int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000L, time_text);
    struct evhttp_connection *conn = evhttp_request_get_connection(req);
    char *host = NULL;
    ev_uint16_t port = 0;
    if (conn) {
        evhttp_connection_get_peer(conn, &host, &port);
        snprintf(addr, sizeof addr, "%s:%u", host ? host : "?", (unsigned)port);
    }
    snprintf(status_text, sizeof status_text, "%d", status);
    long long cutoff_s =
        (long long)now.tv_sec - (long long)api->cfg.audit_retention_days * API_AUDIT_DAY_S;
    snprintf(minid, sizeof minid, "%lld", cutoff_s > 0 ? cutoff_s * 1000 : 0);
    const char *method = method_name(evhttp_request_get_command(req));
    const char *uri = evhttp_request_get_uri(req);
    char path[API_AUDIT_PATH_MAX + 32], detail_more[160];
    size_t uri_len = strlen(uri);
    if (uri_len > API_AUDIT_PATH_MAX)
        snprintf(path, sizeof path, "%.*s [+%zu bytes]", API_AUDIT_PATH_MAX, uri,
                 uri_len - API_AUDIT_PATH_MAX);
    else
        snprintf(path, sizeof path, "%s", uri);
    const char *role = api_role_name(who->role);
    const char *detail = who->detail ? who->detail : "";
    if (status == 401 && api->audit.unrecorded) {
        snprintf(detail_more, sizeof detail_more,
                 "%s (and %llu earlier 401s not recorded: over %d/s)", detail,
                 (unsigned long long)api->audit.unrecorded, API_AUDIT_401_PER_S);
        api->audit.unrecorded = 0;
        detail = detail_more;
    }
    /* clang-format off: field, value */
    const char *argv[] = {"XADD",     FW_KEY_AUDIT,          "MINID",     minid,
                          "*",        FW_AUDIT_FIELD_TIME,   time_text,   FW_AUDIT_FIELD_TOKEN,
                          who->token, FW_AUDIT_FIELD_ROLE,   role,        FW_AUDIT_FIELD_ADDR,
                          addr,       FW_AUDIT_FIELD_METHOD, method,      FW_AUDIT_FIELD_PATH,
                          path,       FW_AUDIT_FIELD_STATUS, status_text, FW_AUDIT_FIELD_DETAIL,
                          detail};
    /* clang-format on */
    size_t lens[sizeof argv / sizeof argv[0]];
    for (size_t i = 0; i < sizeof argv / sizeof argv[0]; i++)
        lens[i] = strlen(argv[i]);
    write_entry(api, argv, lens, (int)(sizeof argv / sizeof argv[0]));
    if (status == 401)
        fw_log_limited(&unauthenticated, FW_LOG_WARN, "api: audit: %s %s %s -> 401 (%s)", addr,
                       method, path, detail);
    else
        fw_log(FW_LOG_INFO, "api: audit: token \"%s\" (role %s) %s %s %s -> %d%s%.200s", who->token,
               role, addr, method, path, status, detail[0] ? ": " : "", detail);
}

void api_audit_answer(api_req *r, int status)
{
    if (r->http == NULL || r->route >= API_ROUTE__COUNT || !audited_routes[r->route])
        return;
    api_audit_who who = {r->token, r->role, r->audit_detail};
    api_audit(r->api, r->http, &who, status);
}

void api_audit_render(const fw_api *api, fw_prom *out)
{
    static const char name[] = "fleetwatch_api_audit_entries_total";
    fw_prom_family(out, name, FW_PROM_COUNTER,
                   "Access audit entries (fw:audit), written, failed, or 401s suppressed over "
                   "the flood limit.");
    fw_prom_sample(out, name, api->audit.written, "result", "written", NULL);
    fw_prom_sample(out, name, api->audit.failed, "result", "failed", NULL);
    fw_prom_sample(out, name, api->audit.suppressed, "result", "suppressed", NULL);
}
