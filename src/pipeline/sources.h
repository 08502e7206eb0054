/* sources.h - where the service's vehicle registry and geodata come from: files (registry_path;
 * rules_zones + rules_routes) or Redis (fw:registry, fw:geodata, put there by
 * scripts/fw-load-registry, docs/redis-schema.md), chosen by registry_source and
 * geodata_source. With a Redis source every node loads the same data at start and reloads it
 * when the loader publishes on fw:changes (sources_watch), through the same atomic swaps as
 * SIGHUP. Reloads are counted for /metrics: fleetwatch_source_reloads_total{source,result}.
 *
 * Threads: the loaders run on whichever thread reloads (start, SIGHUP and the watch on the main
 * thread, POST /v1/admin/reload on the API's); the counters are atomic.
 */
#ifndef FW_PIPELINE_SOURCES_H
#define FW_PIPELINE_SOURCES_H

#include <stdbool.h>
#include <stddef.h>

#include "fw/base/registry.h"
#include "fw/pipeline/pipeline.h"
#include "fw/store/store.h"

struct event_base;

/* X(enum suffix, name in fw:changes messages and metrics) */
#define SOURCE_KIND_LIST(X)                                                                        \
    X(REGISTRY, "registry")                                                                        \
    X(GEODATA, "geodata")

typedef enum {
#define SOURCE_KIND_ENUM(name, str) SOURCE_##name,
    SOURCE_KIND_LIST(SOURCE_KIND_ENUM)
#undef SOURCE_KIND_ENUM
        SOURCE__COUNT
} source_kind;

typedef struct sources sources;

/* The sources cfg names; Redis ones are read with redis (both must outlive the result). NULL
 * when out of memory. */
sources *sources_new(const fw_pipeline_config *cfg, const fw_store_config *redis);
void sources_free(sources *s);
bool sources_from_redis(const sources *s, source_kind kind);

/* fw_server_hooks.load_registry (ctx = the sources) when the registry comes from Redis:
 * fw:registry. */
fw_registry *sources_load_registry(void *ctx, char *err, size_t errcap);
/* geo_text_fn (geodata.h; ctx = the sources): the zones and routes files merged, or
 * fw:geodata. */
char *sources_geodata_text(void *ctx, char *err, size_t errcap);
/* The geodata source for errors and logs: "zones.geojson + routes.geojson" or "fw:geodata". */
const char *sources_geodata_label(const sources *s);

/* Count a reload (SIGHUP, POST /v1/admin/reload, fw:changes) that was done or refused. */
void sources_count_reload(sources *s, source_kind kind, bool done);
/* Append the reload counters in the Prometheus text format, like snprintf. */
size_t sources_render_metrics(const sources *s, char *out, size_t cap);

/* A change in Redis to reload: SOURCE_REGISTRY (then the geodata too, as on SIGHUP) or
 * SOURCE_GEODATA alone. On the watch's thread. */
typedef void (*sources_change_cb)(void *ctx, source_kind kind);
/* When a source is Redis, subscribe to fw:changes on base (reconnecting with backoff) and call
 * cb for every change of a Redis source, and after every (re)subscription (changes may have
 * been missed). No subscription otherwise. 0, or -1 when out of memory. */
int sources_watch(sources *s, struct event_base *base, sources_change_cb cb, void *ctx);

#endif
