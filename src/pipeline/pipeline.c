/* pipeline.c - the gateway hooks of the service (pipeline.h): the worker start and stop hooks
 * that create and stop each worker's rules context, the location hook that hands each point to
 * that context, the message hook that hands it 0x1005 passenger flows, the disconnect hook
 * that saves the vehicle's rule state and marks it offline in Redis, and the reload hook that
 * reloads the geodata (from files or Redis, sources.h).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fw/base/conffile.h"
#include "fw/base/log.h"
#include "fw/base/prom.h"
#include "fw/pipeline/pipeline.h"
#include "rules_worker.h"
#include "sources.h"

struct fw_pipeline {
    rules_shared sh;
    fw_pipeline_config cfg;
    sources *src;
    rules_worker **rw; /* per worker, from its start hook until fw_pipeline_free */
};

static int on_worker_start(void *ctx, unsigned worker, struct event_base *base)
{
    fw_pipeline *p = ctx;
    if (worker >= p->cfg.workers)
        return -1;
    p->rw[worker] = rules_worker_new(&p->sh, base, worker);
    return p->rw[worker] ? 0 : -1;
}

/* Before the worker's sink closes: states and events still reach the store's writer. */
static void on_worker_stop(void *ctx, unsigned worker)
{
    fw_pipeline *p = ctx;
    rules_worker_stop(p->rw[worker]);
}

static fw_sink *sink_new(void *ctx, struct event_base *base, unsigned worker)
{
    const fw_pipeline *p = ctx;
    return p->sh.store.ops ? p->sh.store.ops->sink_new(p->sh.store.ctx, base, worker)
                           : fw_null_sink_new(NULL, base, worker);
}

static void on_location(void *ctx, const fw_location_rec *rec)
{
    fw_pipeline *p = ctx;
    rules_worker_point(p->rw[rec->worker], rec);
}

static void on_other_message(void *ctx, const fw_message_rec *rec)
{
    fw_pipeline *p = ctx;
    if (rec->msg_id == JT_MSG_PASSENGER_FLOW && p->rw[rec->worker])
        rules_worker_passenger_flow(p->rw[rec->worker], rec->vehicle, &rec->body->u.flow);
}

/* Save the vehicle's rule state at once and mark it offline in Redis, unless a newer
 * connection has the terminal (its positions, possibly written by another worker's writer,
 * must not be followed by this offline mark). */
static void on_disconnect(void *ctx, const char *phone, const fw_vehicle *vehicle, unsigned worker)
{
    fw_pipeline *p = ctx;
    if (vehicle && p->rw[worker])
        rules_worker_disconnect(p->rw[worker], vehicle->phone);
    const fw_pipeline_store *st = &p->sh.store;
    if (!st->ops || (p->sh.srv && fw_server_disconnect_superseded(p->sh.srv, worker)))
        return;
    if (st->ops->vehicle_offline(st->ctx, worker, phone) < 0)
        FW_LOG_WARN("offline mark of %s not stored (store refused it)", phone);
}

int fw_pipeline_reload_geodata(fw_pipeline *p)
{
    char err[512];
    if (!p->sh.geo)
        return 0;
    int rc = geo_source_reload(p->sh.geo, err, sizeof err);
    sources_count_reload(p->src, SOURCE_GEODATA, rc == 0);
    if (rc < 0)
        FW_LOG_ERROR("geodata reload failed, keeping the old zones and routes: %s", err);
    else
        FW_LOG_INFO("geodata reloaded from %s", sources_geodata_label(p->src));
    return rc;
}

static void on_reload(void *ctx)
{
    fw_pipeline_reload_geodata(ctx);
}

static int load_rules_config(fw_rules_config *cfg, const char *path, char *err, size_t errcap)
{
    fw_rules_config_default(cfg);
    if (!path[0])
        return 0;
    char *json = fw_read_text_file(path, err, errcap), reason[400];
    int rc = json ? fw_rules_config_from_json(cfg, json, reason, sizeof reason) : -1;
    if (json && rc < 0)
        snprintf(err, errcap, "%s: %s", path, reason);
    free(json);
    return rc;
}

fw_pipeline *fw_pipeline_new(const fw_pipeline_config *cfg, fw_pipeline_store store, sources *src,
                             char *err, size_t errcap)
{
    fw_pipeline *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    p->cfg = *cfg;
    p->sh.opt = &p->cfg;
    p->sh.store = store;
    p->src = src;
    if (!(p->rw = calloc(cfg->workers, sizeof *p->rw)) ||
        load_rules_config(&p->sh.cfg, cfg->rules_config, err, errcap) < 0) {
        fw_pipeline_free(p);
        return NULL;
    }
    fw_geo_config gc = fw_rules_geo_config(&p->sh.cfg);
    bool geodata = cfg->rules_zones[0] || cfg->rules_routes[0] || cfg->geodata_from_redis;
    if (cfg->rules && geodata &&
        !(p->sh.geo = geo_source_new(sources_geodata_text, src, sources_geodata_label(src), &gc,
                                     err, errcap))) {
        fw_pipeline_free(p);
        return NULL;
    }
    return p;
}

fw_position_config fw_pipeline_position_config(const fw_pipeline *p)
{
    return (fw_position_config){.items = p->cfg.items,
                                .speed_from_tacho = p->sh.cfg.speed_from_tacho};
}

void fw_pipeline_hooks(fw_pipeline *p, fw_server_hooks *hooks)
{
    bool rules = p->cfg.rules;
    *hooks = (fw_server_hooks){.sink_factory = sink_new,
                               .sink_ctx = p,
                               .on_worker_start = rules ? on_worker_start : NULL,
                               .on_worker_stop = rules ? on_worker_stop : NULL,
                               .worker_ctx = p,
                               .on_location = rules ? on_location : NULL,
                               .location_ctx = p,
                               .on_reload = on_reload,
                               .reload_ctx = p,
                               .on_other_message = rules ? on_other_message : NULL,
                               .other_message_ctx = p,
                               .on_disconnect = on_disconnect,
                               .disconnect_ctx = p};
}

void fw_pipeline_set_server(fw_pipeline *p, fw_server *srv)
{
    p->sh.srv = srv;
}

void fw_pipeline_save_states(fw_pipeline *p, unsigned timeout_ms)
{
    for (unsigned i = 0; i < p->cfg.workers; i++)
        if (p->rw[i])
            rules_worker_request_save(p->rw[i]);
    struct timespec step = {0, 10 * 1000 * 1000};
    for (unsigned waited_ms = 0; waited_ms < timeout_ms; waited_ms += 10) {
        unsigned done = 0;
        for (unsigned i = 0; i < p->cfg.workers; i++)
            done += !p->rw[i] || rules_worker_saved(p->rw[i]);
        if (done == p->cfg.workers)
            return;
        nanosleep(&step, NULL);
    }
    FW_LOG_WARN("rule states not confirmed by Redis within %u ms (they are spooled)", timeout_ms);
}

/* Sum of one counter over the workers started. */
static uint64_t counter_sum(const fw_pipeline *p, size_t offset)
{
    uint64_t sum = 0;
    for (unsigned i = 0; i < p->cfg.workers; i++)
        if (p->rw[i])
            sum += fw_counter_get(
                (const fw_counter *)((const char *)rules_worker_counters(p->rw[i]) + offset));
    return sum;
}

size_t fw_pipeline_render_metrics(const fw_pipeline *p, char *out, size_t cap)
{
    fw_prom text;
    fw_prom_init(&text, out, cap);
    if (!p->cfg.rules)
        return 0;
#define RULES_COUNTER_RENDER(field, name, help)                                                    \
    fw_prom_metric(&text, "fleetwatch_" name, FW_PROM_COUNTER, help,                               \
                   counter_sum(p, offsetof(rules_counters, field)));
    RULES_COUNTER_LIST(RULES_COUNTER_RENDER)
#undef RULES_COUNTER_RENDER
    return fw_prom_len(&text);
}

void fw_pipeline_free(fw_pipeline *p)
{
    if (!p)
        return;
    for (unsigned i = 0; p->rw && i < p->cfg.workers; i++)
        rules_worker_free(p->rw[i]);
    geo_source_free(p->sh.geo);
    free(p->rw);
    free(p);
}
