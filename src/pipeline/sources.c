/* sources.c - the registry and geodata loaders of the service, files or Redis (sources.h), their
 * reload counters and the fw:changes subscription that triggers reloads from Redis.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw/base/prom.h"
#include "fw/store/store.h"
#include "geo_files.h"
#include "sources.h"

static const char *const kind_names[] = {
#define SOURCE_KIND_NAME(name, str) str,
    SOURCE_KIND_LIST(SOURCE_KIND_NAME)
#undef SOURCE_KIND_NAME
};

struct sources {
    const fw_pipeline_config *cfg;
    const fw_store_config *redis_cfg;
    bool redis[SOURCE__COUNT];
    char geo_label[2 * FW_PIPELINE_STR_MAX + 4];
    atomic_uint_fast64_t reloads[SOURCE__COUNT][2]; /* [kind][0 refused, 1 done] */
    fw_store_watch *watch;
    sources_change_cb cb;
    void *cb_ctx;
};

sources *sources_new(const fw_pipeline_config *cfg, const fw_store_config *redis)
{
    sources *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->cfg = cfg;
    s->redis_cfg = redis;
    s->redis[SOURCE_REGISTRY] = cfg->registry_from_redis;
    s->redis[SOURCE_GEODATA] = cfg->geodata_from_redis;
    if (s->redis[SOURCE_GEODATA])
        snprintf(s->geo_label, sizeof s->geo_label, "fw:geodata");
    else
        snprintf(s->geo_label, sizeof s->geo_label, "%s + %s", cfg->rules_zones, cfg->rules_routes);
    return s;
}

void sources_free(sources *s)
{
    if (!s)
        return;
    fw_store_watch_free(s->watch);
    free(s);
}

bool sources_from_redis(const sources *s, source_kind kind)
{
    return s->redis[kind];
}

void sources_count_reload(sources *s, source_kind kind, bool done)
{
    atomic_fetch_add_explicit(&s->reloads[kind][done], 1, memory_order_relaxed);
}

fw_registry *sources_load_registry(void *ctx, char *err, size_t errcap)
{
    const sources *s = ctx;
    size_t len = 0;
    char reason[400];
    char *json = fw_store_fetch(s->redis_cfg, "registry", &len, reason, sizeof reason);
    fw_registry *r = json ? fw_registry_parse(json, len, reason, sizeof reason) : NULL;
    if (!r)
        snprintf(err, errcap, "fw:registry: %s", reason);
    free(json);
    return r;
}

char *sources_geodata_text(void *ctx, char *err, size_t errcap)
{
    sources *s = ctx;
    if (!s->redis[SOURCE_GEODATA])
        return geo_files_text((void *)s->cfg, err, errcap);
    size_t len = 0;
    char reason[400];
    char *text = fw_store_fetch(s->redis_cfg, "geodata", &len, reason, sizeof reason);
    if (!text)
        snprintf(err, errcap, "%s", reason);
    return text;
}

const char *sources_geodata_label(const sources *s)
{
    return s->geo_label;
}

size_t sources_render_metrics(const sources *s, char *out, size_t cap)
{
    static const char *const results[] = {"refused", "done"};
    static const char name[] = "fleetwatch_source_reloads_total";
    fw_prom text;
    fw_prom_init(&text, out, cap);
    fw_prom_family(&text, name, FW_PROM_COUNTER,
                   "registry and geodata reloads (SIGHUP, admin API, fw:changes), done or "
                   "refused");
    for (int k = 0; k < SOURCE__COUNT; k++)
        for (int ok = 0; ok < 2; ok++)
            fw_prom_sample(&text, name,
                           atomic_load_explicit(&s->reloads[k][ok], memory_order_relaxed), "source",
                           kind_names[k], "result", results[ok], NULL);
    return fw_prom_len(&text);
}

/* fw_store_change_cb: "registry", "geodata" or "*" (resubscribed: reload what comes from
 * Redis; the registry reload takes the geodata with it). */
static void on_change(void *ctx, const char *what)
{
    sources *s = ctx;
    for (int k = 0; k < SOURCE__COUNT; k++)
        if (s->redis[k] && (!strcmp(what, kind_names[k]) || !strcmp(what, "*"))) {
            s->cb(s->cb_ctx, (source_kind)k);
            return;
        }
}

int sources_watch(sources *s, struct event_base *base, sources_change_cb cb, void *ctx)
{
    if (!s->redis[SOURCE_REGISTRY] && !s->redis[SOURCE_GEODATA])
        return 0;
    s->cb = cb;
    s->cb_ctx = ctx;
    s->watch = fw_store_watch_new(s->redis_cfg, base, on_change, s);
    return s->watch ? 0 : -1;
}
