/* conn.c - the API's HTTP connections: at most api_max_connections open (further ones are
 * closed at once and counted), and total deadlines, whatever the client sends: the request
 * line and headers (with the TLS handshake) must be in within api_header_timeout_s of the
 * connection opening or of the previous answer on a kept-alive connection, the body within
 * api_body_timeout_s after the headers. evhttp's own timer (api_timeout_s) bounds only idle
 * time, so without these a client sending a byte every few seconds holds a connection for ever.
 *
 * libevent 2.1 tells a server of a new connection only through the bufferevent callback
 * (evhttp_set_bevcb), before the connection object exists. So each connection takes a record
 * from a pool made at start (no allocation per connection) when its bufferevent is made, with
 * a reference on it; an event activated at once runs after evhttp has built the connection,
 * finds it (evhttp is the bufferevent's callback argument) and hooks its close. The end of the
 * headers is seen by scanning the bytes added to the input buffer for the empty line. The pool
 * has API_CONN_REFUSE_ROOM records beyond the cap for connections being refused; when every
 * record is taken the listener pauses until one is back.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>

#include "api_internal.h"
#include "fw/base/log.h"

typedef enum { CONN_BINDING, CONN_HEADERS, CONN_BODY, CONN_HANDLING } conn_phase;
/* Header-end scanner: inside a line, at the start of a line, after a CR at the start. */
typedef enum { SCAN_IN_LINE, SCAN_LINE_START, SCAN_CR_AT_START } conn_scan;

struct api_conn {
    fw_api *api;
    api_conn *next_free;
    struct bufferevent *bev;         /* ours until bound (a reference is held) */
    struct evhttp_connection *evcon; /* once bound */
    struct evbuffer_cb_entry *input_cb;
    struct event *timer; /* the bind step (activated at once), then the deadline */
    evutil_socket_t fd;
    conn_phase phase;
    conn_scan scan;
    bool refused; /* over the cap: closed in the bind step */
};

static void arm(api_conn *c, conn_phase phase, unsigned timeout_s)
{
    struct timeval tv = {(time_t)timeout_s, 0};
    c->phase = phase;
    evtimer_add(c->timer, &tv);
}

/* Stop watching the input (before the bufferevent may go). */
static void detach_input(api_conn *c)
{
    if (c->input_cb)
        evbuffer_remove_cb_entry(bufferevent_get_input(c->bev), c->input_cb);
    c->input_cb = NULL;
}

static void put_back(api_conn *c)
{
    api_conns *cs = &c->api->conns;
    detach_input(c);
    event_del(c->timer);
    if (!c->refused)
        cs->open--;
    if (c->fd >= 0 && (size_t)c->fd < cs->by_fd_len && cs->by_fd[c->fd] == c)
        cs->by_fd[c->fd] = NULL;
    c->bev = NULL;
    c->evcon = NULL;
    c->fd = -1;
    bool was_empty = cs->free_list == NULL;
    c->next_free = cs->free_list;
    cs->free_list = c;
    if (was_empty && cs->listener)
        evconnlistener_enable(cs->listener);
}

static void on_close(struct evhttp_connection *evcon, void *arg)
{
    (void)evcon;
    put_back(arg);
}

/* Bytes added to the input while the headers are read: an empty line ends them. */
static void on_input(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
    api_conn *c = arg;
    if (c->phase != CONN_HEADERS || info->n_added == 0)
        return;
    struct evbuffer_ptr at;
    struct evbuffer_iovec vec[8];
    size_t len = evbuffer_get_length(buf), left = info->n_added;
    if (evbuffer_ptr_set(buf, &at, len - left, EVBUFFER_PTR_SET) != 0)
        return;
    while (left > 0) {
        int n = evbuffer_peek(buf, (ev_ssize_t)left, &at, vec, 8);
        for (int i = 0; i < n && i < 8; i++) {
            const unsigned char *p = vec[i].iov_base;
            size_t m = vec[i].iov_len < left ? vec[i].iov_len : left;
            for (size_t k = 0; k < m; k++) {
                if (p[k] == '\n' && c->scan != SCAN_IN_LINE) {
                    arm(c, CONN_BODY, c->api->cfg.api_body_timeout_s);
                    return;
                }
                c->scan = p[k] == '\n'                                 ? SCAN_LINE_START
                          : p[k] == '\r' && c->scan == SCAN_LINE_START ? SCAN_CR_AT_START
                          : p[k] == '\r'                               ? c->scan
                                                                       : SCAN_IN_LINE;
            }
            left -= m;
            evbuffer_ptr_set(buf, &at, m, EVBUFFER_PTR_ADD);
        }
        if (n <= 0)
            return;
    }
}

/* After evhttp built the connection: hook its close, or close it when refused. */
static void bind_conn(api_conn *c)
{
    api_conns *cs = &c->api->conns;
    void *evcon = NULL;
    bufferevent_getcb(c->bev, NULL, NULL, NULL, &evcon);
    c->fd = bufferevent_getfd(c->bev);
    if (evcon == NULL) { /* evhttp gave up on it already: ours is the last reference */
        detach_input(c);
        bufferevent_decref(c->bev);
        put_back(c);
        return;
    }
    bufferevent_decref(c->bev); /* evhttp's reference remains while the connection lives */
    c->evcon = evcon;
    if (!c->refused && (c->fd < 0 || (size_t)c->fd >= cs->by_fd_len)) {
        cs->open--; /* a socket beyond the open-file limit seen at start */
        c->refused = true;
    }
    if (c->refused) {
        static fw_log_limit lim;
        cs->refused++;
        fw_log_limited(&lim, FW_LOG_WARN, "api: connection refused: %u open (api_max_connections)",
                       cs->open);
        detach_input(c);
        evhttp_connection_free(c->evcon);
        put_back(c);
        return;
    }
    cs->by_fd[c->fd] = c;
    evhttp_connection_set_closecb(c->evcon, on_close, c);
    c->scan = SCAN_IN_LINE;
    arm(c, CONN_HEADERS, c->api->cfg.api_header_timeout_s);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
    api_conn *c = arg;
    (void)fd;
    (void)what;
    if (c->phase == CONN_BINDING) {
        bind_conn(c);
        return;
    }
    static fw_log_limit lim;
    api_conns *cs = &c->api->conns;
    bool headers = c->phase == CONN_HEADERS;
    if (headers)
        cs->closed_header++;
    else
        cs->closed_body++;
    fw_log_limited(&lim, FW_LOG_WARN, "api: connection closed: %s not complete within %u s",
                   headers ? "request headers" : "request body",
                   headers ? c->api->cfg.api_header_timeout_s : c->api->cfg.api_body_timeout_s);
    evhttp_connection_free(c->evcon); /* on_close puts c back */
}

/* evhttp's bufferevent callback: a new connection. */
static struct bufferevent *new_bev(struct event_base *base, void *arg)
{
    fw_api *api = arg;
    api_conns *cs = &api->conns;
    api_conn *c = cs->free_list;
    if (c == NULL) /* cannot happen: the listener pauses while no record is free */
        return NULL;
    c->refused = cs->open >= api->cfg.api_max_connections;
    c->bev = c->refused ? NULL : api_tls_bev(api, base);
    if (c->bev == NULL) {
        c->refused = c->refused || api->tls != NULL; /* never serve a TLS port in plain */
        c->bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
    }
    if (c->bev == NULL)
        return NULL;
    cs->free_list = c->next_free;
    if (cs->free_list == NULL && cs->listener)
        evconnlistener_disable(cs->listener);
    if (!c->refused)
        cs->open++;
    bufferevent_incref(c->bev);
    c->input_cb = evbuffer_add_cb(bufferevent_get_input(c->bev), on_input, c);
    c->phase = CONN_BINDING;
    event_active(c->timer, EV_TIMEOUT, 0);
    return c->bev;
}

int api_conns_init(fw_api *api, struct evconnlistener *listener, char *err, size_t errcap)
{
    api_conns *cs = &api->conns;
    size_t n = (size_t)api->cfg.api_max_connections + API_CONN_REFUSE_ROOM;
    struct rlimit rl;
    cs->by_fd_len = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (1u << 22)
                        ? (size_t)rl.rlim_cur
                        : (size_t)1 << 22;
    cs->pool = calloc(n, sizeof *cs->pool);
    cs->by_fd = calloc(cs->by_fd_len, sizeof *cs->by_fd);
    if (cs->pool == NULL || cs->by_fd == NULL) {
        snprintf(err, errcap, "out of memory for %zu connection records", n);
        return -1;
    }
    cs->pool_len = n;
    for (size_t i = n; i-- > 0;) {
        api_conn *c = &cs->pool[i];
        *c = (api_conn){.api = api, .fd = -1, .next_free = cs->free_list};
        if ((c->timer = evtimer_new(api->base, on_timer, c)) == NULL) {
            snprintf(err, errcap, "out of memory for %zu connection records", n);
            return -1;
        }
        cs->free_list = c;
    }
    cs->listener = listener;
    evhttp_set_bevcb(api->http, new_bev, api);
    return 0;
}

void api_conns_free(api_conns *cs)
{
    for (size_t i = 0; cs->pool && i < cs->pool_len; i++)
        if (cs->pool[i].timer)
            event_free(cs->pool[i].timer);
    free(cs->pool);
    free(cs->by_fd);
    memset(cs, 0, sizeof *cs);
}

/* The answer has been sent on a kept-alive connection: the next request's deadline runs. */
static void on_answered(struct evhttp_request *req, void *arg)
{
    api_conn *c = arg;
    (void)req;
    c->scan = SCAN_IN_LINE;
    arm(c, CONN_HEADERS, c->api->cfg.api_header_timeout_s);
}

void api_conn_dispatched(fw_api *api, struct evhttp_request *req)
{
    struct evhttp_connection *evcon = evhttp_request_get_connection(req);
    struct bufferevent *bev = evcon ? evhttp_connection_get_bufferevent(evcon) : NULL;
    evutil_socket_t fd = bev ? bufferevent_getfd(bev) : -1;
    api_conns *cs = &api->conns;
    if (fd < 0 || (size_t)fd >= cs->by_fd_len || cs->by_fd[fd] == NULL ||
        cs->by_fd[fd]->evcon != evcon)
        return;
    api_conn *c = cs->by_fd[fd];
    event_del(c->timer);
    c->phase = CONN_HANDLING;
    evhttp_request_set_on_complete_cb(req, on_answered, c);
}

void api_conns_render(const fw_api *api, fw_prom *out)
{
    const api_conns *cs = &api->conns;
    fw_prom_metric(out, "fleetwatch_api_connections", FW_PROM_GAUGE,
                   "HTTP connections open (api_max_connections).", cs->open);
    fw_prom_metric(out, "fleetwatch_api_connections_refused_total", FW_PROM_COUNTER,
                   "Connections closed at once: api_max_connections were open.", cs->refused);
    static const char timed_out[] = "fleetwatch_api_connections_timed_out_total";
    fw_prom_family(out, timed_out, FW_PROM_COUNTER,
                   "Connections closed because the request headers or body were not complete "
                   "in time.");
    fw_prom_sample(out, timed_out, cs->closed_header, "phase", "headers", NULL);
    fw_prom_sample(out, timed_out, cs->closed_body, "phase", "body", NULL);
}
