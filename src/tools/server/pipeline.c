/* pipeline.c - the gateway hooks of the service (pipeline.h): a sink per worker that wraps the
 * store's (or the null) sink together with the worker's rules context, the location hook that
 * hands each point to that context, the message hook that hands it 0x1005 passenger flows, the
 * disconnect hook that saves the vehicle's rule state and marks it offline in Redis, and the
 * reload hook that reloads the geodata (from files or Redis, sources.h).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fw/base/log.h"
#include "fw/base/prom.h"
#include "pipeline.h"
#include "rules_worker.h"
#include "fw/base/conffile.h"

struct pipeline {
    rules_shared sh;
    sources *src;
    bool rules_on;
    unsigned workers;
    rules_worker **rw; /* per worker, set by the sink factory */
};

/* A worker's sink: the real one, and the rules context that shares its life. */
typedef struct {
    fw_sink base; /* first: the gateway sees an fw_sink */
    fw_sink *inner;
    rules_worker *rw;
    rules_worker **slot; /* the pipeline's pointer to rw, cleared when it goes */
} service_sink;

static int sink_submit(fw_sink *s, const fw_location_rec *rec, fw_sink_done_fn done, void *cookie)
{
    fw_sink *inner = ((service_sink *)s)->inner;
    return inner->ops->submit(inner, rec, done, cookie);
}

static void sink_close(fw_sink *s)
{
    service_sink *ss = (service_sink *)s;
    rules_worker_stop(ss->rw); /* states and events still reach the store's writer */
    ss->inner->ops->close(ss->inner);
    *ss->slot = NULL;
    rules_worker_free(ss->rw);
    free(ss);
}

static const fw_sink_ops service_sink_ops = {"service", sink_submit, sink_close};

static fw_sink *sink_new(void *ctx, struct event_base *base, unsigned worker)
{
    pipeline *p = ctx;
    fw_sink *inner = p->sh.store ? fw_store_sink_new(p->sh.store, base, worker)
                                 : fw_null_sink_new(NULL, base, worker);
    if (!inner || !p->rules_on || worker >= p->workers)
        return inner;
    service_sink *ss = calloc(1, sizeof *ss);
    rules_worker *rw = ss ? rules_worker_new(&p->sh, base, worker) : NULL;
    if (!rw) {
        free(ss);
        inner->ops->close(inner);
        return NULL;
    }
    *ss = (service_sink){{&service_sink_ops}, inner, rw, &p->rw[worker]};
    p->rw[worker] = rw;
    return &ss->base;
}

static void on_location(void *ctx, const fw_location_rec *rec)
{
    pipeline *p = ctx;
    rules_worker_point(p->rw[rec->worker], rec);
}

static void on_other_message(void *ctx, const fw_message_rec *rec)
{
    pipeline *p = ctx;
    if (rec->msg_id == JT_MSG_PASSENGER_FLOW && p->rw[rec->worker])
        rules_worker_passenger_flow(p->rw[rec->worker], rec->vehicle, &rec->body->u.flow);
}

/* Save the vehicle's rule state at once and mark it offline in Redis, unless a newer
 * connection has the terminal (its positions, possibly written by another worker's writer,
 * must not be followed by this offline mark). */
static void on_disconnect(void *ctx, const char *phone, const fw_vehicle *vehicle, unsigned worker)
{
    pipeline *p = ctx;
    if (vehicle && p->rw[worker])
        rules_worker_disconnect(p->rw[worker], vehicle->phone);
    if (!p->sh.store || fw_server_disconnect_superseded(p->sh.srv, worker))
        return;
    if (fw_store_vehicle_offline(p->sh.store, worker, phone) < 0)
        FW_LOG_WARN("offline mark of %s not stored (store refused it)", phone);
}

int pipeline_reload_geodata(pipeline *p)
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
    pipeline_reload_geodata(ctx);
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

pipeline *pipeline_new(const service_options *o, fw_store *store, sources *src, char *err,
                       size_t errcap)
{
    pipeline *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    p->sh.opt = &o->svc;
    p->sh.store = store;
    p->src = src;
    p->rules_on = o->svc.rules != 0;
    p->workers = o->server.workers;
    if (!(p->rw = calloc(p->workers, sizeof *p->rw)) ||
        load_rules_config(&p->sh.cfg, o->svc.rules_config, err, errcap) < 0) {
        pipeline_free(p);
        return NULL;
    }
    p->sh.cfg.items = o->store.items;
    fw_geo_config gc = fw_rules_geo_config(&p->sh.cfg);
    bool geodata =
        o->svc.rules_zones[0] || o->svc.rules_routes[0] || sources_from_redis(src, SOURCE_GEODATA);
    if (p->rules_on && geodata &&
        !(p->sh.geo = geo_source_new(sources_geodata_text, src, sources_geodata_label(src), &gc,
                                     err, errcap))) {
        pipeline_free(p);
        return NULL;
    }
    return p;
}

void pipeline_hooks(pipeline *p, fw_server_hooks *hooks)
{
    *hooks = (fw_server_hooks){.sink_factory = sink_new,
                               .sink_ctx = p,
                               .on_location = p->rules_on ? on_location : NULL,
                               .location_ctx = p,
                               .on_reload = on_reload,
                               .reload_ctx = p,
                               .on_other_message = p->rules_on ? on_other_message : NULL,
                               .other_message_ctx = p,
                               .on_disconnect = on_disconnect,
                               .disconnect_ctx = p};
}

void pipeline_set_server(pipeline *p, fw_server *srv)
{
    p->sh.srv = srv;
}

void pipeline_save_states(pipeline *p, unsigned timeout_ms)
{
    for (unsigned i = 0; i < p->workers; i++)
        if (p->rw[i])
            rules_worker_request_save(p->rw[i]);
    struct timespec step = {0, 10 * 1000 * 1000};
    for (unsigned waited_ms = 0; waited_ms < timeout_ms; waited_ms += 10) {
        unsigned done = 0;
        for (unsigned i = 0; i < p->workers; i++)
            done += !p->rw[i] || rules_worker_saved(p->rw[i]);
        if (done == p->workers)
            return;
        nanosleep(&step, NULL);
    }
    FW_LOG_WARN("rule states not confirmed by Redis within %u ms (they are spooled)", timeout_ms);
}

/* Sum of one counter over the workers still running. */
static uint64_t counter_sum(const pipeline *p, size_t offset)
{
    uint64_t sum = 0;
    for (unsigned i = 0; i < p->workers; i++)
        if (p->rw[i])
            sum += fw_counter_get(
                (const fw_counter *)((const char *)rules_worker_counters(p->rw[i]) + offset));
    return sum;
}

size_t pipeline_render_metrics(const pipeline *p, char *out, size_t cap)
{
    fw_prom text;
    fw_prom_init(&text, out, cap);
    if (!p->rules_on)
        return 0;
#define RULES_COUNTER_RENDER(field, name, help)                                                    \
    fw_prom_metric(&text, "fleetwatch_" name, FW_PROM_COUNTER, help,                               \
                   counter_sum(p, offsetof(rules_counters, field)));
    RULES_COUNTER_LIST(RULES_COUNTER_RENDER)
#undef RULES_COUNTER_RENDER
    return fw_prom_len(&text);
}

void pipeline_free(pipeline *p)
{
    if (!p)
        return;
    geo_source_free(p->sh.geo);
    free(p->rw);
    free(p);
}
