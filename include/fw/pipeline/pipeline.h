/* pipeline.h - what the gateway does with a location in the `fleetwatch` service: the rule
 * engine on the worker that read it (one rules context per gateway worker), then the store
 * side (the Redis store, a fake in tests, or nothing). Builds the fw_server_hooks that plug
 * both into the gateway.
 *
 * Per worker, on the worker's own thread (fw_server_hooks, server.h): on_worker_start creates
 * the worker's rules context on its event loop before the first connection; on_location and
 * on_other_message feed it; on_disconnect saves the vehicle's state and marks it offline;
 * on_worker_stop, before the worker's sink closes, closes its late lanes and saves its changed
 * states while the store can still take them. The contexts are freed by fw_pipeline_free.
 *
 * Config: fw_pipeline_config below, only what the pipeline reads; `fleetwatch` translates its
 * options into it (src/tools/server/options.c).
 */
#ifndef FW_PIPELINE_H
#define FW_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fw/base/sink.h"
#include "fw/base/position.h"
#include "fw/rules/rules.h"
#include "fw/server/server.h"
#include "fw/store/store.h"

#define FW_PIPELINE_STR_MAX 256

typedef struct {
    bool rules;                             /* the rule engine runs */
    char rules_config[FW_PIPELINE_STR_MAX]; /* rule parameters, JSON file; "" defaults */
    char rules_zones[FW_PIPELINE_STR_MAX];  /* zones, GeoJSON file; "" none */
    char rules_routes[FW_PIPELINE_STR_MAX]; /* routes, GeoJSON file; "" none */
    bool registry_from_redis;               /* fw:registry, not the gateway's file */
    bool geodata_from_redis;                /* fw:geodata, not rules_zones/rules_routes */
    unsigned workers;                       /* gateway workers (resolved, >= 1) */
    unsigned rules_vehicles;                /* rule states held per worker */
    unsigned rules_save_s;                  /* changed states saved this often, s */
    unsigned rules_idle_s;                  /* a vehicle silent this long is forgotten */
    unsigned rules_late_idle_ms;            /* a late lane without points is closed */
    unsigned rules_warn_timeout_ms;         /* wait for a driver warning's reply */
    fw_location_items items;                /* load and passenger items (rules' overload) */
} fw_pipeline_config;

/* The store side of the pipeline: every call is made on worker `worker`'s thread, between its
 * sink's creation and close (like store.h). NULL ops: no store (the null sink; states start
 * fresh and are not saved; events are only logged). */
typedef struct {
    /* The location sink of a worker (sink.h; ctx below). */
    fw_sink *(*sink_new)(void *ctx, struct event_base *base, unsigned worker);
    /* A violation event; 0 queued, -1 refused. */
    int (*violation)(void *ctx, unsigned worker, const fw_violation *v);
    /* A vehicle's serialised rule state (fw_state_save); 0 queued, -1 refused. */
    int (*rstate_save)(void *ctx, unsigned worker, const char *phone, uint32_t version,
                       const uint8_t *blob, size_t len);
    /* Load a saved state: cb runs exactly once (later, or inside the call), as in store.h. */
    void (*rstate_load)(void *ctx, unsigned worker, const char *phone, fw_store_rstate_cb cb,
                        void *cb_ctx);
    /* The vehicle left this node: mark it offline; 0 queued, -1 refused. */
    int (*vehicle_offline)(void *ctx, unsigned worker, const char *phone);
} fw_pipeline_store_ops;

typedef struct {
    const fw_pipeline_store_ops *ops; /* NULL: no store */
    void *ctx;
} fw_pipeline_store;

/* The Redis store as the pipeline's store side (ctx = st, which outlives the pipeline). */
fw_pipeline_store fw_pipeline_store_redis(fw_store *st);

typedef struct fw_pipeline fw_pipeline;
struct sources; /* where the geodata comes from (the pipeline's sources.h) */

/* Rules config (read from cfg->rules_config), geodata (from src) and the store side; cfg, store
 * and src are copied or referenced and must outlive the pipeline. NULL with a reason in err. */
fw_pipeline *fw_pipeline_new(const fw_pipeline_config *cfg, fw_pipeline_store store,
                             struct sources *src, char *err, size_t errcap);
/* Reload the zones and routes (also the gateway's reload hook, after a registry reload); a bad
 * new version is logged and counted, the old one stays. 0 or -1. Any thread. */
int fw_pipeline_reload_geodata(fw_pipeline *p);
/* How the gateway makes positions for this pipeline (fw_server_config.position): the load and
 * passenger items of its config, the speed source of its rules config. */
fw_position_config fw_pipeline_position_config(const fw_pipeline *p);
/* The hooks to give fw_server_new (they point into p). */
void fw_pipeline_hooks(fw_pipeline *p, fw_server_hooks *hooks);
/* The server, for driver warnings and superseded disconnects; set before fw_server_start.
 * Without one (tests) no warning is sent. */
void fw_pipeline_set_server(fw_pipeline *p, fw_server *srv);
/* SIGTERM, before fw_server_stop: every worker saves its changed rule states now; waits for
 * Redis to confirm them, at most timeout_ms. */
void fw_pipeline_save_states(fw_pipeline *p, unsigned timeout_ms);
/* Append the rule engine's counters in the Prometheus text format, like snprintf. */
size_t fw_pipeline_render_metrics(const fw_pipeline *p, char *out, size_t cap);
/* After fw_server_free (every worker stopped, every sink closed): frees the rules contexts
 * too. NULL ok. */
void fw_pipeline_free(fw_pipeline *p);

#endif
