/* api.c - the API's lifecycle (api.h): load tokens, bind the evhttp listener (TLS: tls.c;
 * connection cap and deadlines: conn.c), connect Redis, run the event loop on its own thread; stop
 * it from another thread and tear down in reverse.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <event2/event.h>
#include <event2/http.h>
#include <event2/thread.h>

#include "api_internal.h"

#define API_PRINT_BUF_BYTES (1024 * 1024) /* answers larger than this are printed by cJSON */

static void *run_loop(void *arg)
{
    fw_api *api = arg;
    event_base_loop(api->base, EVLOOP_NO_EXIT_ON_EMPTY);
    return NULL;
}

/* On the API thread: answer what waits, drop Redis, let the replies flush, leave the loop. */
static void stop_cb(evutil_socket_t fd, short what, void *arg)
{
    fw_api *api = arg;
    (void)fd;
    (void)what;
    api_texts_abort(api);
    api_gauge_stop(api);
    api_redis_close(&api->redis);
    struct timeval flush = {0, 100 * 1000};
    event_base_loopexit(api->base, &flush);
}

static api_tokens *load_tokens(const fw_api_config *cfg, char *err, size_t errcap)
{
    if (cfg->api_token_file[0] == '\0')
        return api_tokens_empty();
    return api_tokens_load(cfg->api_token_file, err, errcap);
}

static int split_listen(const char *listen, char *host, size_t hostcap, uint16_t *port)
{
    const char *colon = strrchr(listen, ':');
    char *end = NULL;
    if (colon == NULL || (size_t)(colon - listen) >= hostcap || colon == listen)
        return -1;
    unsigned long p = strtoul(colon + 1, &end, 10);
    if (colon[1] == '\0' || *end != '\0' || p > 65535)
        return -1;
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    *port = (uint16_t)p;
    return 0;
}

static int bind_http(fw_api *api, char *err, size_t errcap)
{
    char host[FW_API_STR_MAX];
    uint16_t port;
    if (split_listen(api->cfg.api_listen, host, sizeof host, &port) != 0) {
        snprintf(err, errcap, "api_listen: expected host:port, got \"%s\"", api->cfg.api_listen);
        return -1;
    }
    api->http = evhttp_new(api->base);
    if (api->http == NULL) {
        snprintf(err, errcap, "evhttp_new failed");
        return -1;
    }
    evhttp_set_max_headers_size(api->http, api->cfg.api_max_header_bytes);
    evhttp_set_max_body_size(api->http, api->cfg.api_max_body_bytes);
    evhttp_set_timeout(api->http, (int)api->cfg.api_timeout_s);
    evhttp_set_allowed_methods(api->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
                                              EVHTTP_REQ_DELETE | EVHTTP_REQ_PATCH);
    evhttp_set_gencb(api->http, api_route_request, api);
    if (api_tls_init(api, host, err, errcap) != 0)
        return -1;
    struct evhttp_bound_socket *sock = evhttp_bind_socket_with_handle(api->http, host, port);
    if (sock == NULL) {
        snprintf(err, errcap, "api_listen %s: cannot bind", api->cfg.api_listen);
        return -1;
    }
    if (api_conns_init(api, evhttp_bound_socket_get_listener(sock), err, errcap) != 0)
        return -1;
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    evutil_socket_t fd = evhttp_bound_socket_get_fd(sock);
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
        api->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                                   : ((struct sockaddr_in *)&ss)->sin_port);
    return 0;
}

static void destroy(fw_api *api)
{
    api->conns.listener = NULL; /* evhttp_free frees it before closing the connections */
    if (api->http)
        evhttp_free(api->http);
    api_conns_free(&api->conns);
    api_tls_free(api);
    api_gauge_stop(api);
    api_redis_close(&api->redis);
    if (api->stop_ev)
        event_free(api->stop_ev);
    if (api->base)
        event_base_free(api->base);
    api_texts_destroy(&api->texts);
    free(api->print_buf);
    api_tokens_free(api->tokens);
    pthread_mutex_destroy(&api->tokens_mu);
    free(api);
}

fw_api *fw_api_start(const fw_api_config *cfg, const fw_api_hooks *hooks, char *err, size_t errcap)
{
    fw_api *api = calloc(1, sizeof *api);
    err[0] = '\0';
    if (api == NULL || evthread_use_pthreads() != 0) {
        snprintf(err, errcap, "out of memory");
        free(api);
        return NULL;
    }
    api->cfg = *cfg;
    if (hooks)
        api->hooks = *hooks;
    pthread_mutex_init(&api->tokens_mu, NULL);
    api_pb_arena_init(&api->pb_arena);
    api->print_cap = API_PRINT_BUF_BYTES;
    api->print_buf = malloc(api->print_cap);
    api_texts_init(&api->texts);
    api->tokens = load_tokens(cfg, err, errcap);
    api->base = api->tokens ? event_base_new() : NULL;
    if (api->base == NULL || bind_http(api, err, errcap) != 0 ||
        (api->stop_ev = event_new(api->base, -1, 0, stop_cb, api)) == NULL ||
        api_redis_open(&api->redis, api->base, &api->cfg) != 0 || api_gauge_start(api) != 0 ||
        pthread_create(&api->thread, NULL, run_loop, api) != 0) {
        if (api->tokens && api->base && !err[0])
            snprintf(err, errcap, "cannot start the API thread");
        destroy(api);
        return NULL;
    }
    api->thread_started = true;
    return api;
}

uint16_t fw_api_port(const fw_api *api)
{
    return api->port;
}

int fw_api_reload_tokens(fw_api *api, char *err, size_t errcap)
{
    api_tokens *fresh = load_tokens(&api->cfg, err, errcap);
    if (fresh == NULL)
        return -1;
    pthread_mutex_lock(&api->tokens_mu);
    api_tokens *old = api->tokens;
    api->tokens = fresh;
    pthread_mutex_unlock(&api->tokens_mu);
    api_tokens_free(old);
    return 0;
}

void fw_api_stop(fw_api *api)
{
    if (api == NULL)
        return;
    if (api->thread_started) {
        event_active(api->stop_ev, EV_TIMEOUT, 0);
        pthread_join(api->thread, NULL);
    }
    destroy(api);
}
