/* router.c - the one evhttp callback: match the path against the route table, check the
 * bearer token's role, check the query's parameter names, then hand the request to its
 * handler with a freshly allocated state. Answers 404 / 405 / 401 / 403 / 400 itself, and
 * audits the 401s and 403s (audit.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/http.h>

#include "api_internal.h"

typedef struct {
    enum evhttp_cmd_type method;
    const char *pattern; /* '*' matches one non-empty segment: the request's arg */
    api_route_id id;
    api_role min_role; /* API_ROLE_NONE: no token needed */
    const char *const *params;
    const size_t *state_size; /* NULL: a bare api_req */
    void (*start)(api_req *r, api_query *q);
} api_route;

static const char *const no_params[] = {NULL};
static const char *const violations_params[] = {"plate", "phone", "type",   "severity", "from",
                                                "to",    "limit", "cursor", NULL};
static const char *const near_params[] = {"near", "radius_m", "limit", NULL};
static const char *const track_params[] = {"from", "to", "format", "limit", "cursor", NULL};
static const char *const stats_params[] = {"from", "to", NULL};

static const api_route routes[] = {
    {EVHTTP_REQ_GET, "/healthz", API_ROUTE_HEALTHZ, API_ROLE_NONE, no_params, NULL,
     api_healthz_start},
    {EVHTTP_REQ_GET, "/metrics", API_ROUTE_METRICS, API_ROLE_POLICE, no_params, NULL,
     api_metrics_start},
    {EVHTTP_REQ_GET, "/v1/violations", API_ROUTE_VIOLATIONS, API_ROLE_POLICE, violations_params,
     &api_violations_state_size, api_violations_start},
    {EVHTTP_REQ_GET, "/v1/violations/*", API_ROUTE_VIOLATION, API_ROLE_POLICE, no_params,
     &api_violation_state_size, api_violation_start},
    {EVHTTP_REQ_GET, "/v1/vehicles", API_ROUTE_NEAR, API_ROLE_POLICE, near_params,
     &api_near_state_size, api_near_start},
    {EVHTTP_REQ_GET, "/v1/vehicles/*", API_ROUTE_VEHICLE, API_ROLE_POLICE, no_params,
     &api_vehicle_state_size, api_vehicle_start},
    {EVHTTP_REQ_GET, "/v1/vehicles/*/track", API_ROUTE_TRACK, API_ROLE_POLICE, track_params,
     &api_track_state_size, api_track_start},
    {EVHTTP_REQ_POST, "/v1/vehicles/*/text", API_ROUTE_TEXT, API_ROLE_DISPATCHER, no_params,
     &api_text_state_size, api_text_start},
    {EVHTTP_REQ_GET, "/v1/stats", API_ROUTE_STATS, API_ROLE_POLICE, stats_params,
     &api_stats_state_size, api_stats_start},
    {EVHTTP_REQ_POST, "/v1/admin/reload", API_ROUTE_RELOAD, API_ROLE_ADMIN, no_params, NULL,
     api_reload_start},
    {EVHTTP_REQ_POST, "/v1/admin/terminals/*/revoke", API_ROUTE_REVOKE, API_ROLE_ADMIN, no_params,
     &api_revoke_state_size, api_revoke_start},
};
#define N_ROUTES (sizeof routes / sizeof routes[0])

/* Does path have the pattern's shape? The '*' segment goes to *arg / *arg_len. */
static bool match(const char *pattern, const char *path, const char **arg, size_t *arg_len)
{
    while (*pattern && *path) {
        if (*pattern == '*') {
            size_t n = strcspn(path, "/");
            if (n == 0)
                return false;
            *arg = path;
            *arg_len = n;
            path += n;
            pattern++;
        } else if (*pattern++ != *path++) {
            return false;
        }
    }
    return *pattern == '\0' && *path == '\0';
}

/* Percent-decode the path argument into r->arg; false when malformed or too long. */
static bool decode_arg(api_req *r, const char *raw, size_t raw_len)
{
    char seg[API_ARG_MAX * 3 + 1];
    if (raw_len >= sizeof seg)
        return false;
    memcpy(seg, raw, raw_len);
    seg[raw_len] = '\0';
    size_t len = 0;
    char *dec = evhttp_uridecode(seg, 0, &len);
    bool ok = dec && len < API_ARG_MAX && strlen(dec) == len;
    if (ok)
        memcpy(r->arg, dec, len + 1);
    free(dec);
    return ok;
}

/* Role of the request's bearer token and its label (copied: a reload may free the table);
 * *why says what was wrong when API_ROLE_NONE. */
static api_role authenticate(fw_api *api, struct evhttp_request *req,
                             char label[API_TOKEN_LABEL_MAX], const char **why)
{
    const char *h = evhttp_find_header(evhttp_request_get_input_headers(req), "Authorization");
    label[0] = '\0';
    if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0) {
        *why = "missing bearer token";
        return API_ROLE_NONE;
    }
    const char *token = h + 7 + strspn(h + 7, " "), *name = NULL;
    size_t len = strcspn(token, " \t");
    pthread_mutex_lock(&api->tokens_mu);
    api_role role = api_tokens_find(api->tokens, token, len, &name);
    snprintf(label, API_TOKEN_LABEL_MAX, "%s", name);
    pthread_mutex_unlock(&api->tokens_mu);
    *why = "invalid token";
    return role;
}

/* 401/403 when the token does not allow the route; true when answered. Refusals are audited
 * with the token's label (never the token). */
static bool refuse_access(fw_api *api, struct evhttp_request *req, const api_route *rt,
                          api_role *role, char label[API_TOKEN_LABEL_MAX])
{
    bool open =
        rt->min_role == API_ROLE_NONE || (rt->id == API_ROUTE_METRICS && api->cfg.api_metrics_open);
    const char *why = NULL;
    *role = authenticate(api, req, label, &why);
    if (open)
        return false;
    if (*role == API_ROLE_NONE) {
        api_audit(api, req, &(api_audit_who){label, *role, why}, 401);
        evhttp_add_header(evhttp_request_get_output_headers(req), "WWW-Authenticate",
                          "Bearer realm=\"fleetwatch\"");
        api_send_error(api, req, rt->id, 401, why, NULL);
        return true;
    }
    if (*role < rt->min_role) {
        api_audit(api, req, &(api_audit_who){label, *role, "the token's role may not do this"},
                  403);
        api_send_error(api, req, rt->id, 403, "this token's role may not do this", NULL);
        return true;
    }
    return false;
}

static void start_route(fw_api *api, struct evhttp_request *req, const api_route *rt, api_role role,
                        const char *label, const char *arg, size_t arg_len, const char *query)
{
    api_req *r = calloc(1, rt->state_size ? *rt->state_size : sizeof(api_req));
    if (r == NULL) {
        api_send_error(api, req, rt->id, 503, "out of memory", NULL);
        return;
    }
    *r = (api_req){.api = api,
                   .http = req,
                   .route = rt->id,
                   .role = role,
                   .redis_deadline_ms = api->cfg.api_redis_timeout_ms};
    snprintf(r->token, sizeof r->token, "%s", label);
    api_query q;
    if (arg && !decode_arg(r, arg, arg_len)) {
        api_reply_error(r, 400, "malformed path segment", "path");
        return;
    }
    if (!api_query_init(&q, query, rt->params))
        api_reply_bad(r, &q.bad);
    else
        rt->start(r, &q);
    api_query_free(&q);
}

void api_route_request(struct evhttp_request *req, void *ctx)
{
    fw_api *api = ctx;
    api_conn_dispatched(api, req);
    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
    const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
    enum evhttp_cmd_type method = evhttp_request_get_command(req);
    const api_route *found = NULL;
    bool path_known = false;
    const char *arg = NULL;
    size_t arg_len = 0;
    for (size_t i = 0; path && i < N_ROUTES && !found; i++) {
        if (!match(routes[i].pattern, path, &arg, &arg_len))
            continue;
        path_known = true;
        if (routes[i].method == method)
            found = &routes[i];
    }
    if (found == NULL) {
        int status = path_known ? 405 : 404;
        api_send_error(api, req, API_ROUTE_UNMATCHED, status,
                       path_known ? "method not allowed" : "no such endpoint", NULL);
        return;
    }
    api_role role;
    char label[API_TOKEN_LABEL_MAX];
    if (refuse_access(api, req, found, &role, label))
        return;
    start_route(api, req, found, role, label, strchr(found->pattern, '*') ? arg : NULL, arg_len,
                evhttp_uri_get_query(uri));
}
