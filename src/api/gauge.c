/* gauge.c - the API's gauge of violations stored, by type (ZCARD of each fw:vio:by_type:
 * index), refreshed every API_GAUGE_PERIOD_S on the API loop with a request of the API's own,
 * and shown on /metrics as fleetwatch_violations_stored{type}. Omitted while the last refresh
 * failed (Redis down).
 */
#include <event2/event.h>

#include "api_internal.h"
#include "fw/base/redis_schema.h"

#define API_GAUGE_FIRST_MS 200
#define API_GAUGE_PERIOD_S 10

static void on_count(api_req *r, const redisReply *rep, size_t tag)
{
    r->api->gauge.counting[tag] = rep->type == REDIS_REPLY_INTEGER ? rep->integer : 0;
}

static void schedule(api_gauge *g, unsigned ms)
{
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    evtimer_add(g->timer, &tv);
}

static void refreshed(api_req *r)
{
    api_gauge *g = &r->api->gauge;
    g->valid = !r->redis_failed;
    for (size_t i = 0; g->valid && i < api_type_count; i++)
        g->stored[i] = g->counting[i];
    r->redis_failed = false;
    if (g->timer && !r->api->redis.closing)
        schedule(g, API_GAUGE_PERIOD_S * 1000);
}

static void refresh(evutil_socket_t fd, short what, void *arg)
{
    api_gauge *g = arg;
    char key[FW_REDIS_KEY_MAX];
    (void)fd;
    (void)what;
    for (size_t i = 0; i < api_type_count; i++)
        if (fw_redis_key(key, sizeof key, FW_KEY_VIO_BY_TYPE, api_type_names[i], NULL) > 0)
            api_cmd(&g->query, on_count, i, "ZCARD %s", key);
    api_then(&g->query, refreshed);
}

int api_gauge_start(fw_api *api)
{
    api_gauge *g = &api->gauge;
    g->query.api = api;
    g->timer = evtimer_new(api->base, refresh, g);
    if (g->timer == NULL)
        return -1;
    schedule(g, API_GAUGE_FIRST_MS);
    return 0;
}

void api_gauge_stop(fw_api *api)
{
    if (api->gauge.timer)
        event_free(api->gauge.timer);
    api->gauge.timer = NULL;
}

void api_gauge_render(const fw_api *api, fw_prom *out)
{
    const api_gauge *g = &api->gauge;
    if (!g->valid)
        return;
    static const char name[] = "fleetwatch_violations_stored";
    fw_prom_family(out, name, FW_PROM_GAUGE, "Violation records kept in Redis, by type.");
    for (size_t i = 0; i < api_type_count; i++)
        fw_prom_sample(out, name, (uint64_t)g->stored[i], "type", api_type_names[i], NULL);
}
