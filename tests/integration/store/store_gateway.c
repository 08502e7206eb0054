/* store_gateway.c - `fw-store-gateway`: the real gateway (fw_server) with the Redis sink
 * plugged in through fw_server_hooks.sink_factory, for the store's end-to-end test and
 * benchmark until the `fleetwatch` binary can choose its sink.
 *
 *   fw-store-gateway [--sink=redis|null] [--store.OPTION=VALUE ...] [--OPTION=VALUE ...]
 *
 * --store.* options are store options (include/fw/store.h), the others gateway options
 * (include/fw/server.h). Runs until SIGTERM/SIGINT, stops the gateway gracefully (the sinks
 * close: unconfirmed records go to the spool), then prints one line of store counters.
 */
#include <event2/event.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "fw/server.h"
#include "fw/store.h"

static void on_signal(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    event_base_loopbreak(arg);
}

/* Apply one --name=value; 0 or -1 with a message on stderr. */
static int apply_option(const char *arg, fw_server_config *scfg, fw_store_config *stcfg,
                        bool *redis)
{
    char name[128], err[256];
    const char *eq = strchr(arg, '=');
    if (strncmp(arg, "--", 2) != 0 || !eq || (size_t)(eq - arg - 2) >= sizeof name) {
        fprintf(stderr, "fw-store-gateway: expected --name=value, got %s\n", arg);
        return -1;
    }
    memcpy(name, arg + 2, (size_t)(eq - arg - 2));
    name[eq - arg - 2] = '\0';
    const char *value = eq + 1;
    int rc = 0;
    if (strcmp(name, "sink") == 0)
        *redis = strcmp(value, "null") != 0;
    else if (strncmp(name, "store.", 6) == 0)
        rc = fw_store_config_set(stcfg, name + 6, value, err, sizeof err);
    else
        rc = fw_server_config_set(scfg, name, value, err, sizeof err);
    if (rc < 0)
        fprintf(stderr, "fw-store-gateway: %s\n", err);
    return rc;
}

int main(int argc, char **argv)
{
    fw_server_config scfg;
    fw_store_config stcfg;
    bool redis = true;
    char err[512];
    fw_server_config_defaults(&scfg);
    fw_store_config_defaults(&stcfg);
    for (int i = 1; i < argc; i++)
        if (apply_option(argv[i], &scfg, &stcfg, &redis) < 0)
            return 2;
    unsigned workers = scfg.workers ? scfg.workers : 2;
    scfg.workers = workers;
    fw_store *st = redis ? fw_store_new(&stcfg, workers, err, sizeof err) : NULL;
    if (redis && !st) {
        fprintf(stderr, "fw-store-gateway: %s\n", err);
        return 2;
    }
    fw_server_hooks hooks = {.sink_factory = redis ? fw_store_sink_new : NULL, .sink_ctx = st};
    fw_server *srv = fw_server_new(&scfg, &hooks, err, sizeof err);
    if (!srv || fw_server_start(srv) < 0) {
        fprintf(stderr, "fw-store-gateway: %s\n", srv ? "cannot start" : err);
        return 2;
    }
    struct event_base *base = event_base_new();
    struct event *term = evsignal_new(base, SIGTERM, on_signal, base);
    struct event *intr = evsignal_new(base, SIGINT, on_signal, base);
    event_add(term, NULL);
    event_add(intr, NULL);
    event_base_dispatch(base);
    fw_server_stop(srv);
    fw_server_free(srv);
    if (st) {
        fw_store_stats s;
        fw_store_stats_get(st, -1, &s);
        printf(
            "store stored %" PRIu64 " duplicates %" PRIu64 " late %" PRIu64 " failed %" PRIu64
            " spooled %" PRIu64 " replayed %" PRIu64 " refused %" PRIu64 " commands %" PRIu64 "\n",
            s.stored, s.duplicates, s.late, s.failed, s.spooled, s.replayed, s.refused, s.commands);
        fw_store_free(st);
    }
    event_free(term);
    event_free(intr);
    event_base_free(base);
    return 0;
}
