/* server.c - the gateway's lifecycle (server.h): configuration checks (the open-file budget among
 * them), registry loading and reloading, the workers, graceful stop and the metrics snapshot.
 *
 * Registry reload (RCU style): the new registry gets one reference per worker and is posted to
 * every worker; each swaps its pointer between two callbacks and drops its reference to the old
 * one, which is freed by whichever worker lets go of it last. Readers never lock.
 */
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "fw/base/fd_limit.h"
#include "fw/base/log.h"
#include "worker.h"

/* Descriptors the process needs besides terminal connections: stdio, logs, files being read, the
 * API's and the store's own, plus per worker its listener, eventfd, epoll instance and sink
 * connection(s). The embedding service adds what it needs beyond that (reserved_fds). */
#define FD_BASE              64
#define FD_PER_WORKER        8
#define AUTO_MAX_CONNECTIONS 100000 /* max_connections = 0: at most this many */

static fw_registry *load_registry(const fw_server *s, char *err, size_t errcap)
{
    const fw_server_config *cfg = &s->cfg;
    if (s->hooks.load_registry)
        return s->hooks.load_registry(s->hooks.registry_ctx, err, errcap);
    if (!cfg->registry_path[0]) {
        FW_LOG_WARN("no registry_path configured: every terminal is unknown");
        static const char empty[] = "{\"vehicles\":[]}";
        return fw_registry_parse(empty, sizeof empty - 1, err, errcap);
    }
    return fw_registry_load(cfg->registry_path, err, errcap);
}

static int init_identity(fw_server *s, char *err, size_t errcap)
{
    const fw_server_config *c = &s->cfg;
    fw_backoff_config by_phone = {c->auth_fail_limit_phone, c->auth_backoff_s,
                                  c->auth_backoff_max_s, 65536};
    fw_backoff_config by_addr = {c->auth_fail_limit_address, c->auth_backoff_s,
                                 c->auth_backoff_max_s, 16384};
    if (!(s->fail_by_phone = fw_backoff_new(&by_phone)) ||
        !(s->fail_by_addr = fw_backoff_new(&by_addr))) {
        snprintf(err, errcap, "out of memory");
        return -1;
    }
    if (!(s->auth_table = fw_auth_table_new(c->auth_grants_max))) {
        snprintf(err, errcap, "out of memory");
        return -1;
    }
    if (s->hooks.authority_factory) {
        s->auth_cache = s->auth_table; /* what the authority confirmed, for its outages */
        return 0;
    }
    FW_LOG_WARN("no authority configured: auth codes are kept in this process only, so "
                "terminals must register again after a restart and on every other node");
    s->hooks.authority_factory = fw_memory_authority_new;
    s->hooks.authority_ctx = s->auth_table;
    return 0;
}

static unsigned worker_count(const fw_server_config *cfg)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cfg->workers ? cfg->workers : (unsigned)(cores > 0 ? cores : 1);
}

int fw_server_check_fds(fw_server_config *cfg, char *err, size_t errcap)
{
    unsigned long long others =
        FD_BASE + (unsigned long long)FD_PER_WORKER * worker_count(cfg) + cfg->reserved_fds;
    unsigned long long conns = cfg->max_connections ? cfg->max_connections : AUTO_MAX_CONNECTIONS;
    unsigned long long limit = fw_fd_limit_raise(conns + others);
    if (cfg->max_connections == 0 && limit > others) {
        cfg->max_connections = (unsigned)(limit - others < conns ? limit - others : conns);
        FW_LOG_INFO("max_connections %u: what the open-file limit %llu leaves after %llu "
                    "descriptors for the rest of the process",
                    cfg->max_connections, limit, others);
        return 0;
    }
    if (limit >= conns + others)
        return 0;
    snprintf(err, errcap,
             "open-file limit (RLIMIT_NOFILE) %llu is below the %llu descriptors this process may "
             "need: max_connections %llu + %llu for the rest of the process (%u of them for the "
             "API's connections); raise the limit (ulimit -n, LimitNOFILE=) or lower "
             "max_connections%s",
             limit, conns + others, conns, others, cfg->reserved_fds,
             cfg->reserved_fds ? " or api_max_connections" : "");
    return -1;
}

static int create_workers(fw_server *s, const char *host, uint16_t port, char *err, size_t errcap)
{
    s->workers = calloc(s->nworkers, sizeof *s->workers);
    if (!s->workers) {
        snprintf(err, errcap, "out of memory");
        return -1;
    }
    fw_registry_ref(s->registry, s->nworkers);
    for (unsigned i = 0; i < s->nworkers; i++)
        if (!(s->workers[i] = worker_new(s, i, host, port, s->registry, err, errcap))) {
            for (unsigned j = i + 1; j < s->nworkers; j++)
                fw_registry_unref(s->registry);
            return -1;
        }
    return 0;
}

fw_server *fw_server_new(const fw_server_config *cfg, const fw_server_hooks *hooks, char *err,
                         size_t errcap)
{
    char host[FW_CONFIG_STR_MAX];
    uint16_t port;
    if (fw_server_config_listen(cfg, host, sizeof host, &port) < 0) {
        snprintf(err, errcap, "listen: '%s' is not host:port", cfg->listen);
        return NULL;
    }
    fw_server *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    s->cfg = *cfg;
    if (hooks)
        s->hooks = *hooks;
    s->nworkers = worker_count(cfg);
    pthread_mutex_init(&s->reload_lock, NULL);
    if (fw_server_check_fds(&s->cfg, err, errcap) < 0 || init_identity(s, err, errcap) < 0 ||
        !(s->registry = load_registry(s, err, errcap)) ||
        !(s->sessions = fw_sessions_new(s->cfg.max_connections)) ||
        (s->cfg.max_connections_per_address &&
         !(s->peers = fw_peers_new(s->cfg.max_connections / 4))) ||
        create_workers(s, host, port, err, errcap) < 0) {
        fw_server_free(s);
        return NULL;
    }
    FW_LOG_INFO("listening on %s:%u with %u workers, %zu vehicles registered", host, port,
                s->nworkers, fw_registry_count(s->registry));
    return s;
}

int fw_server_start(fw_server *s)
{
    for (; s->nstarted < s->nworkers; s->nstarted++)
        if (worker_start(s->workers[s->nstarted]) < 0)
            return -1; /* fw_server_stop stops and joins the started ones */
    return 0;
}

/* A phone the reload makes known was refused as unknown until now: its failures are forgotten, so
 * that it is not shut out of a registration that now matches. Phones known before keep theirs (a
 * reload must not reset a brute force). */
static void forgive_new_vehicles(fw_server *s, const fw_registry *old, const fw_registry *now)
{
    for (size_t i = 0; i < fw_registry_count(now); i++) {
        const fw_vehicle *v = fw_registry_at(now, i);
        if (!fw_registry_by_phone(old, v->phone))
            fw_backoff_clear(s->fail_by_phone, v->phone);
    }
}

int fw_server_reload(fw_server *s, char *err, size_t errcap)
{
    pthread_mutex_lock(&s->reload_lock);
    fw_registry *r = load_registry(s, err, errcap);
    if (r) {
        fw_registry_ref(r, s->nworkers);
        for (unsigned i = 0; i < s->nworkers; i++) {
            wmsg *m = calloc(1, sizeof *m);
            if (!m) {
                fw_registry_unref(r);
                continue;
            }
            m->kind = WMSG_REGISTRY;
            m->registry = r;
            worker_post(s->workers[i], m);
        }
        fw_registry *old = s->registry;
        s->registry = r;
        forgive_new_vehicles(s, old, r);
        fw_registry_unref(old);
        FW_LOG_INFO("registry reloaded: %zu vehicles", fw_registry_count(r));
    }
    pthread_mutex_unlock(&s->reload_lock);
    if (r && s->hooks.on_reload)
        s->hooks.on_reload(s->hooks.reload_ctx);
    return r ? 0 : -1;
}

void fw_server_stop(fw_server *s)
{
    for (unsigned i = 0; i < s->nstarted; i++) {
        wmsg *m = calloc(1, sizeof *m);
        if (m) {
            m->kind = WMSG_STOP;
            worker_post(s->workers[i], m);
        }
    }
    for (unsigned i = 0; i < s->nstarted; i++)
        worker_join(s->workers[i]);
    s->nstarted = 0;
}

void fw_server_free(fw_server *s)
{
    if (!s)
        return;
    fw_server_stop(s);
    for (unsigned i = 0; s->workers && i < s->nworkers; i++)
        worker_free(s->workers[i]);
    free(s->workers);
    fw_sessions_free(s->sessions);
    fw_peers_free(s->peers);
    fw_auth_table_free(s->auth_table);
    fw_backoff_free(s->fail_by_phone);
    fw_backoff_free(s->fail_by_addr);
    fw_registry_unref(s->registry);
    pthread_mutex_destroy(&s->reload_lock);
    free(s);
}

void fw_server_metrics(fw_server *s, fw_metrics_snapshot *out)
{
    fw_worker_metrics *blocks[256];
    unsigned n = s->nworkers < 256 ? s->nworkers : 256;
    for (unsigned i = 0; i < n; i++)
        blocks[i] = &s->workers[i]->metrics;
    fw_metrics_sum(blocks, n, out);
}

bool fw_server_disconnect_superseded(const fw_server *s, unsigned worker)
{
    return worker < s->nworkers && s->workers[worker]->disconnect_superseded;
}
