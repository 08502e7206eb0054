/* service.c - assembly of the service (service.h), the API's hooks into the gateway
 * (docs/api.md, "In the gateway") and the reloads of the registry and geodata (SIGHUP, the
 * admin API, changes in Redis: sources.h). */
#include <inttypes.h>
#include <stdlib.h>
#include <unistd.h>

#include "fw/api/api.h"
#include "fw/base/log.h"
#include "fw/pipeline/pipeline.h"
#include "fw/pipeline/service.h"
#include "sources.h"

struct fw_service {
    fw_service_config cfg; /* the service's copy, read by its parts */
    sources *src;
    fw_store *store;
    fw_pipeline *pipe;
    fw_server *srv;
    fw_api *api;
};

/* ---- the API's hooks --------------------------------------------------------------------- */

static size_t api_render_metrics(void *ctx, char *out, size_t cap)
{
    fw_service *s = ctx;
    fw_metrics_snapshot snap;
    fw_server_metrics(s->srv, &snap);
    size_t len = fw_metrics_render_prometheus(&snap, out, cap);
    len += fw_pipeline_render_metrics(s->pipe, out + (len < cap ? len : cap),
                                      len < cap ? cap - len : 0);
    if (s->store)
        len += fw_store_render_prometheus(s->store, out + (len < cap ? len : cap),
                                          len < cap ? cap - len : 0);
    return len +
           sources_render_metrics(s->src, out + (len < cap ? len : cap), len < cap ? cap - len : 0);
}

static int api_send_text(void *ctx, const char *phone, uint8_t flags, const char *utf8,
                         uint32_t timeout_ms, fw_downlink_cb cb, void *cb_ctx)
{
    fw_service *s = ctx;
    return fw_server_send_text(s->srv, phone, flags, utf8, timeout_ms, cb, cb_ctx);
}

/* The registry (then the geodata), counted. */
static int reload_registry(fw_service *s, char *err, size_t errcap)
{
    int rc = fw_server_reload(s->srv, err, errcap);
    sources_count_reload(s->src, SOURCE_REGISTRY, rc == 0);
    return rc;
}

static int api_reload(void *ctx, char *err, size_t errcap)
{
    return reload_registry(ctx, err, errcap);
}

static bool api_end_session(void *ctx, const char *phone)
{
    fw_service *s = ctx;
    return fw_server_end_session(s->srv, phone);
}

/* ---- lifecycle --------------------------------------------------------------------------- */

static int start_gateway(fw_service *s, char *err, size_t errcap)
{
    fw_server_hooks hooks;
    if (!(s->pipe = fw_pipeline_new(&s->cfg.pipeline, fw_pipeline_store_redis(s->store), s->src,
                                    err, errcap)))
        return -1;
    s->cfg.server.position = fw_pipeline_position_config(s->pipe);
    fw_pipeline_hooks(s->pipe, &hooks);
    if (s->store) { /* auth codes where every node checks them */
        hooks.authority_factory = fw_store_authority_new;
        hooks.authority_ctx = s->store;
    }
    if (sources_from_redis(s->src, SOURCE_REGISTRY)) {
        hooks.load_registry = sources_load_registry;
        hooks.registry_ctx = s->src;
    }
    if (!(s->srv = fw_server_new(&s->cfg.server, &hooks, err, errcap)))
        return -1;
    fw_pipeline_set_server(s->pipe, s->srv);
    if (fw_server_start(s->srv) < 0) {
        snprintf(err, errcap, "cannot start the worker threads");
        return -1;
    }
    return 0;
}

static int start_api(fw_service *s, char *err, size_t errcap)
{
    fw_api_hooks hooks = {api_render_metrics, s, api_send_text,   s,
                          api_reload,         s, api_end_session, s};
    if (!(s->api = fw_api_start(&s->cfg.api, &hooks, err, errcap)))
        return -1;
    FW_LOG_INFO("police API listening on port %u", fw_api_port(s->api));
    return 0;
}

/* fw:changes (sources_watch): a registry change reloads the registry and then the geodata,
 * a geodata change the geodata alone; a bad version is logged, counted and not used. */
static void on_source_change(void *ctx, source_kind kind)
{
    fw_service *s = ctx;
    char err[512];
    if (kind == SOURCE_GEODATA)
        fw_pipeline_reload_geodata(s->pipe);
    else if (reload_registry(s, err, sizeof err) < 0)
        FW_LOG_ERROR("registry change in Redis refused, keeping the old registry: %s", err);
}

static int start_watch(fw_service *s, struct event_base *base, char *err, size_t errcap)
{
    if (sources_watch(s->src, base, on_source_change, s) == 0)
        return 0;
    snprintf(err, errcap, "out of memory");
    return -1;
}

fw_service *fw_service_start(const fw_service_config *cfg, struct event_base *base, char *err,
                             size_t errcap)
{
    fw_service *s = calloc(1, sizeof *s);
    if (s) {
        s->cfg = *cfg;
        s->src = sources_new(&s->cfg.pipeline, &s->cfg.store);
    }
    if (s && !s->src) {
        free(s);
        s = NULL;
    }
    if (!s) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    fw_service_config *c = &s->cfg;
    if (!c->server.workers) { /* the store needs the count before the gateway resolves it */
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        c->server.workers = cores > 0 ? (unsigned)cores : 1;
    }
    c->pipeline.workers = c->server.workers;
    /* the API shares the open-file limit with the terminals: the gateway's check counts it */
    c->server.reserved_fds = c->api_on ? fw_api_fd_need(&c->api) : 0;
    if ((c->redis && !(s->store = fw_store_new(&c->store, c->server.workers, err, errcap))) ||
        start_gateway(s, err, errcap) < 0 || (c->api_on && start_api(s, err, errcap) < 0) ||
        start_watch(s, base, err, errcap) < 0) {
        fw_service_stop(s);
        return NULL;
    }
    FW_LOG_INFO("sink %s, rules %s, API %s", c->redis ? "redis" : "null",
                c->pipeline.rules ? "on" : "off", s->api ? "on" : "off");
    return s;
}

int fw_service_reload(fw_service *s)
{
    char err[512];
    int rc = 0;
    if (reload_registry(s, err, sizeof err) < 0) {
        FW_LOG_ERROR("reload failed, keeping the old registry: %s", err);
        rc = -1;
    }
    if (s->api && fw_api_reload_tokens(s->api, err, sizeof err) < 0) {
        FW_LOG_ERROR("API token reload failed, keeping the old tokens: %s", err);
        rc = -1;
    }
    return rc;
}

void fw_service_stop(fw_service *s)
{
    if (!s)
        return;
    sources_free(s->src); /* no reload from Redis from here on */
    fw_api_stop(s->api);
    if (s->srv && s->pipe)
        fw_pipeline_save_states(s->pipe, 2000);
    if (s->srv) {
        fw_server_stop(s->srv);
        fw_server_free(s->srv);
    }
    fw_pipeline_free(s->pipe);
    if (s->store) {
        fw_store_stats t;
        fw_store_stats_get(s->store, -1, &t);
        FW_LOG_INFO(
            "store: stored %" PRIu64 " duplicates %" PRIu64 " late %" PRIu64 " future %" PRIu64
            " failed %" PRIu64 " spooled %" PRIu64 " replayed %" PRIu64 " refused %" PRIu64
            " commands %" PRIu64 " reconnects %" PRIu64 " redis_lost %" PRIu64
            " auth_failures %" PRIu64 " spool_dropped_bytes %" PRIu64,
            t.stored, t.duplicates, t.late, t.future, t.failed, t.spooled, t.replayed, t.refused,
            t.commands, t.reconnects, t.redis_lost, t.auth_failures, t.spool_dropped_bytes);
        fw_store_free(s->store);
    }
    free(s);
}
