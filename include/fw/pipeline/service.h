/* service.h - the whole `fleetwatch` service in one process: the Redis store, the rule engine
 * (pipeline.h), the gateway and the police API, started and stopped in the right order.
 *
 * Start: store -> pipeline -> gateway (its sinks) -> worker threads (each creates its rules
 * context in its start hook) -> API (when api_on) -> watch of fw:changes (a source is Redis).
 * Stop: the watch, API (no text completion can then reach a stopped API), then the gateway
 * (each worker's stop hook saves its rule states, then its sink closes: unconfirmed records
 * spooled), then the pipeline (rules contexts freed), then the store.
 *
 * Config: fw_service_config, the configs of the parts; `fleetwatch` fills it from its options
 * (src/tools/server/options.c, service_options_to_config).
 */
#ifndef FW_PIPELINE_SERVICE_H
#define FW_PIPELINE_SERVICE_H

#include <stdbool.h>
#include <stddef.h>

#include "fw/api/api.h"
#include "fw/pipeline/pipeline.h"
#include "fw/server/server.h"
#include "fw/store/store.h"

struct event_base;
typedef struct fw_service fw_service;

/* The configs of the service's parts. */
typedef struct {
    fw_server_config server;     /* workers 0: one per core, resolved by fw_service_start */
    fw_store_config store;       /* also where Redis sources are read */
    fw_api_config api;           /* used when api_on */
    fw_pipeline_config pipeline; /* workers: ignored, the gateway's */
    bool redis;                  /* locations, events and states to Redis; else the null sink */
    bool api_on;                 /* the police API runs */
} fw_service_config;

/* cfg is copied. base: the main thread's loop, where changes in Redis are watched
 * (pipeline.registry_from_redis or geodata_from_redis) and reloaded. NULL with a reason in
 * err. */
fw_service *fw_service_start(const fw_service_config *cfg, struct event_base *base, char *err,
                             size_t errcap);
/* SIGHUP: the registry, the zones and routes (from files or Redis), the API's tokens. 0 or -1
 * (logged). */
int fw_service_reload(fw_service *s);
void fw_service_stop(fw_service *s);

#endif
