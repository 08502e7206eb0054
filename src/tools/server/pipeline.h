/* pipeline.h - what the gateway does with a location in the `fleetwatch` service: the rule
 * engine on the worker that read it (rules_worker.h), then the sink (the Redis store, or the
 * null sink). Builds the fw_server_hooks that plug both into the gateway.
 *
 * Each worker's sink is wrapped so that the worker's rules context lives exactly as long as
 * its sink: created by the sink factory on the worker's event base, stopped on the worker's
 * thread when the gateway closes the sink (states saved while the store can still take them).
 */
#ifndef FW_SERVICE_PIPELINE_H
#define FW_SERVICE_PIPELINE_H

#include <stddef.h>

#include "fw/server/server.h"
#include "fw/store/store.h"
#include "options.h"
#include "sources.h"

typedef struct pipeline pipeline;

/* Rules config, geodata (from src) and the store (NULL = null sink) per the options; o and src
 * outlive the pipeline. NULL with a reason in err. */
pipeline *pipeline_new(const service_options *o, fw_store *store, sources *src, char *err,
                       size_t errcap);
/* Reload the zones and routes (also the gateway's reload hook, after a registry reload); a bad
 * new version is logged and counted, the old one stays. 0 or -1. Any thread. */
int pipeline_reload_geodata(pipeline *p);
/* How the gateway makes positions for this pipeline (fw_server_config.position): the load and
 * passenger items of the options o, the speed source of the rules config. */
fw_position_config pipeline_position_config(const pipeline *p, const service_options *o);
/* The hooks to give fw_server_new (they point into p). */
void pipeline_hooks(pipeline *p, fw_server_hooks *hooks);
/* The server, for driver warnings; set before fw_server_start. */
void pipeline_set_server(pipeline *p, fw_server *srv);
/* SIGTERM, before fw_server_stop: every worker saves its changed rule states now; waits for
 * Redis to confirm them, at most timeout_ms. */
void pipeline_save_states(pipeline *p, unsigned timeout_ms);
/* Append the rule engine's counters in the Prometheus text format, like snprintf. */
size_t pipeline_render_metrics(const pipeline *p, char *out, size_t cap);
/* After fw_server_free (every sink closed). NULL ok. */
void pipeline_free(pipeline *p);

#endif
