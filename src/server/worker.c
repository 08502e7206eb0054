/* worker.c - one gateway worker: its thread, event loop, SO_REUSEPORT listener, message queue from
 * other threads, the once-a-second tick and the graceful stop.
 *
 * Each event base is created without locks: other threads never call libevent on it, they append to
 * the worker's queue and write its eventfd.
 *
 * Graceful stop (WMSG_STOP): the listener is closed, every connection stops reading and is freed
 * once its queued replies are written; the loop ends when none is left or after shutdown_timeout_s,
 * whichever is first. Anything still open then is closed without flushing.
 */
#include <arpa/inet.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "fw/base/log.h"
#include "worker.h"

#define LISTEN_BACKLOG 4096

void worker_clock(fw_worker *w)
{
    struct timespec mono, wall;
    clock_gettime(CLOCK_MONOTONIC, &mono);
    clock_gettime(CLOCK_REALTIME, &wall);
    w->now_us = (uint64_t)mono.tv_sec * 1000000u + (uint64_t)mono.tv_nsec / 1000u;
    w->now_s = (uint32_t)mono.tv_sec;
    w->wall_ms = (int64_t)wall.tv_sec * 1000 + wall.tv_nsec / 1000000;
}

uint32_t worker_slot_take(fw_worker *w, fw_conn *c)
{
    if (w->free_slot == UINT32_MAX) {
        uint32_t old = w->slot_cap, cap = old ? old * 2 : 1024;
        conn_slot *grown = realloc(w->slots, cap * sizeof *grown);
        if (!grown)
            return UINT32_MAX;
        for (uint32_t i = old; i < cap; i++)
            grown[i] = (conn_slot){NULL, 0, i + 1 < cap ? i + 1 : UINT32_MAX};
        w->slots = grown;
        w->slot_cap = cap;
        w->free_slot = old;
    }
    uint32_t i = w->free_slot;
    w->free_slot = w->slots[i].next_free;
    w->slots[i].conn = c;
    w->slots[i].gen++;
    return i;
}

void worker_slot_release(fw_worker *w, uint32_t i)
{
    w->slots[i].conn = NULL;
    w->slots[i].gen++;
    w->slots[i].next_free = w->free_slot;
    w->free_slot = i;
}

fw_conn *worker_conn(fw_worker *w, uint32_t slot, uint32_t gen)
{
    if (slot >= w->slot_cap || w->slots[slot].gen != gen)
        return NULL;
    return w->slots[slot].conn;
}

fw_conn_ref conn_ref(const fw_conn *c)
{
    return (fw_conn_ref){c->w->idx, c->slot, c->gen};
}

void worker_post(fw_worker *w, wmsg *m)
{
    m->next = NULL;
    pthread_mutex_lock(&w->queue_lock);
    if (w->queue_tail)
        w->queue_tail->next = m;
    else
        w->queue_head = m;
    w->queue_tail = m;
    pthread_mutex_unlock(&w->queue_lock);
    uint64_t one = 1;
    ssize_t k = write(w->notify_fd, &one, sizeof one);
    (void)k; /* an eventfd write fails only when its counter is saturated: already
                readable */
}

static void for_each_conn(fw_worker *w, void (*fn)(fw_conn *c))
{
    for (uint32_t i = 0; i < w->slot_cap; i++)
        if (w->slots[i].conn)
            fn(w->slots[i].conn);
}

static void close_for_shutdown(fw_conn *c)
{
    conn_close(c, FW_CLOSE_SHUTDOWN);
}

static void abort_for_shutdown(fw_conn *c)
{
    conn_abort(c, FW_CLOSE_SHUTDOWN);
}

static void on_stop_deadline(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    event_base_loopbreak(((fw_worker *)arg)->base);
}

static void begin_stop(fw_worker *w)
{
    if (w->stopping)
        return;
    w->stopping = true;
    if (w->listener) {
        evconnlistener_free(w->listener);
        w->listener = NULL;
    }
    for_each_conn(w, close_for_shutdown);
    if (w->nconns == 0) {
        event_base_loopbreak(w->base);
        return;
    }
    struct timeval tv = {(time_t)w->srv->cfg.shutdown_timeout_s, 0};
    w->stop_ev = evtimer_new(w->base, on_stop_deadline, w);
    if (!w->stop_ev || evtimer_add(w->stop_ev, &tv) < 0)
        event_base_loopbreak(w->base);
}

static void swap_registry(fw_worker *w, fw_registry *r)
{
    fw_registry *old = w->registry;
    w->registry = r;
    fw_registry_unref(old);
}

static void handle_message(fw_worker *w, wmsg *m)
{
    fw_conn *c;
    switch (m->kind) {
    case WMSG_CLOSE:
        if ((c = worker_conn(w, m->ref.slot, m->ref.gen)) && m->reason == FW_CLOSE_REPLACED)
            session_replaced(c, m->phone, m->addr);
        else if (c)
            conn_close(c, m->reason);
        break;
    case WMSG_DOWNLINK:
        downlink_deliver(w, m->downlink);
        break;
    case WMSG_REGISTRY:
        swap_registry(w, m->registry);
        break;
    case WMSG_STOP:
        begin_stop(w);
        break;
    }
    free(m);
}

static wmsg *take_queue(fw_worker *w)
{
    pthread_mutex_lock(&w->queue_lock);
    wmsg *m = w->queue_head;
    w->queue_head = w->queue_tail = NULL;
    pthread_mutex_unlock(&w->queue_lock);
    return m;
}

static void on_notify(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    fw_worker *w = arg;
    uint64_t posted;
    ssize_t k = read(w->notify_fd, &posted, sizeof posted);
    (void)k; /* the queue itself says what was posted */
    worker_clock(w);
    for (wmsg *m = take_queue(w), *next; m; m = next) {
        next = m->next;
        handle_message(w, m);
    }
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    fw_worker *w = arg;
    worker_clock(w);
    if (w->accept_paused && w->listener) {
        w->accept_paused = false;
        evconnlistener_enable(w->listener);
    }
    for_each_conn(w, conn_tick);
    subpkg_tick(w);
    downlink_tick(w);
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *addr,
                      int socklen, void *arg)
{
    (void)l;
    (void)socklen;
    fw_worker *w = arg;
    worker_clock(w);
    conn_accept(w, fd, addr);
}

/* accept() failed, typically out of file descriptors: stop accepting until the next tick instead of
 * spinning on a listener that stays readable, and say so once per pause. */
static void on_accept_error(struct evconnlistener *l, void *arg)
{
    fw_worker *w = arg;
    worker_count_error(w, FW_SERR_ACCEPT_FAILED);
    if (w->accept_paused)
        return;
    FW_LOG_WARN("worker %u: accept failed (%s): pausing accepts for a second", w->idx,
                evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
    evconnlistener_disable(l);
    w->accept_paused = true;
}

static struct evconnlistener *listen_on(fw_worker *w, const char *host, uint16_t port, char *err,
                                        size_t errcap)
{
    struct addrinfo hints = {.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV,
                             .ai_socktype = SOCK_STREAM},
                    *ai = NULL;
    char service[8];
    snprintf(service, sizeof service, "%u", port);
    int rc = getaddrinfo(host, service, &hints, &ai);
    if (rc) {
        snprintf(err, errcap, "listen address %s: %s", host, gai_strerror(rc));
        return NULL;
    }
    struct evconnlistener *l = evconnlistener_new_bind(
        w->base, on_accept, w,
        LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC | LEV_OPT_REUSEABLE | LEV_OPT_REUSEABLE_PORT,
        LISTEN_BACKLOG, ai->ai_addr, (int)ai->ai_addrlen);
    freeaddrinfo(ai);
    if (!l)
        snprintf(err, errcap, "cannot listen on %s:%u: %s", host, port,
                 evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
    else
        evconnlistener_set_error_cb(l, on_accept_error);
    return l;
}

/* An event base without locks: only its own thread touches it (others write the eventfd). */
static struct event_base *new_base(void)
{
    struct event_config *cfg = event_config_new();
    if (!cfg)
        return NULL;
    event_config_set_flag(cfg, EVENT_BASE_FLAG_NOLOCK);
    struct event_base *base = event_base_new_with_config(cfg);
    event_config_free(cfg);
    return base;
}

/* One terminal may hold at most this fraction (1/N) of a worker's sub-package bytes, so a terminal
 * sending endless partial messages cannot starve the others on its worker. */
#define SUBPKG_TERMINAL_SHARE 8

static int worker_setup(fw_worker *w, const char *host, uint16_t port, char *err, size_t errcap)
{
    const fw_server_config *cfg = &w->srv->cfg;
    const fw_server_hooks *hooks = &w->srv->hooks;
    jt_subpkg_config sp = {.max_msgs = cfg->subpkg_max_msgs,
                           .max_bytes = cfg->subpkg_max_bytes,
                           .timeout_ms = cfg->subpkg_timeout_ms,
                           .max_retries = (uint8_t)cfg->subpkg_retries,
                           .max_bytes_per_terminal = cfg->subpkg_max_bytes / SUBPKG_TERMINAL_SHARE,
                           .max_msgs_per_terminal = cfg->subpkg_max_per_terminal};
    /* before authentication: only 0x0100 and 0x0102 (well under 1 KiB), one each at a time */
    jt_subpkg_config preauth = sp;
    preauth.max_bytes = cfg->subpkg_max_bytes / SUBPKG_TERMINAL_SHARE;
    preauth.max_bytes_per_terminal = preauth.max_bytes / SUBPKG_TERMINAL_SHARE;
    preauth.max_msgs_per_terminal = 2;
    fw_sink_factory factory = hooks->sink_factory ? hooks->sink_factory : fw_null_sink_new;
    w->rx_cap = cfg->input_cap_bytes + JT_MAX_ESCAPED_FRAME;
    struct timeval one_s = {1, 0};
    if (!(w->base = new_base()) || !(w->listener = listen_on(w, host, port, err, errcap)))
        return -1;
    w->tick_ev = event_new(w->base, -1, EV_PERSIST, on_tick, w);
    w->notify_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    w->notify_ev = w->notify_fd < 0
                       ? NULL
                       : event_new(w->base, w->notify_fd, EV_READ | EV_PERSIST, on_notify, w);
    w->subpkg = jt_subpkg_new(&sp);
    w->subpkg_preauth = jt_subpkg_new(&preauth);
    w->sink = factory(hooks->sink_ctx, w->base, w->idx);
    w->authority = hooks->authority_factory(hooks->authority_ctx, w->base, w->idx);
    if (!w->tick_ev || !w->notify_ev || !w->subpkg || !w->subpkg_preauth || !w->sink ||
        !w->authority || fw_ack_pool_init(&w->acks, cfg->ack_slots, location_ack_complete, w) < 0 ||
        event_add(w->tick_ev, &one_s) < 0 || event_add(w->notify_ev, NULL) < 0 ||
        output_init(w) < 0 || !(w->rx = malloc(w->rx_cap))) {
        snprintf(err, errcap, "worker %u: out of memory, or the sink or authority failed to open",
                 w->idx);
        return -1;
    }
    return 0;
}

fw_worker *worker_new(struct fw_server *srv, unsigned idx, const char *host, uint16_t port,
                      fw_registry *registry, char *err, size_t errcap)
{
    fw_worker *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errcap, "out of memory");
        fw_registry_unref(registry);
        return NULL;
    }
    w->srv = srv;
    w->idx = idx;
    w->registry = registry;
    w->free_slot = UINT32_MAX;
    w->notify_fd = -1;
    pthread_mutex_init(&w->queue_lock, NULL);
    sem_init(&w->started, 0, 0);
    worker_clock(w);
    if (worker_setup(w, host, port, err, errcap) < 0) {
        worker_free(w);
        return NULL;
    }
    return w;
}

/* The order of the hooks is documented in server.h (fw_worker_start_hook). */
static void *worker_main(void *arg)
{
    fw_worker *w = arg;
    const fw_server_hooks *hooks = &w->srv->hooks;
    w->start_rc =
        hooks->on_worker_start ? hooks->on_worker_start(hooks->worker_ctx, w->idx, w->base) : 0;
    bool started = w->start_rc == 0; /* w->start_rc is not read by this thread after the post */
    sem_post(&w->started);
    if (started)
        event_base_dispatch(w->base);
    worker_clock(w);
    output_flush(w);
    if (started && hooks->on_worker_stop)
        hooks->on_worker_stop(hooks->worker_ctx, w->idx); /* the sink still takes writes */
    w->sink->ops->close(w->sink); /* completes in-flight stores (acks go nowhere now) */
    w->sink = NULL;
    w->authority->ops->close(w->authority); /* completes pending checks as failed */
    w->authority = NULL;
    for_each_conn(w, abort_for_shutdown);
    output_flush(w); /* frees the aborted connections that still had staged bytes */
    downlink_cancel(w, NULL);
    FW_LOG_INFO("worker %u stopped", w->idx);
    return NULL;
}

int worker_start(fw_worker *w)
{
    if (pthread_create(&w->thread, NULL, worker_main, w) != 0)
        return -1;
    while (sem_wait(&w->started) < 0) /* EINTR */
        ;
    if (w->start_rc == 0)
        return 0;
    pthread_join(w->thread, NULL);
    return -1;
}

void worker_join(fw_worker *w)
{
    pthread_join(w->thread, NULL);
}

/* Messages never handled (posted after the loop ended): complete and free them.
 */
static void drop_queue(fw_worker *w)
{
    for (wmsg *m = take_queue(w), *next; m; m = next) {
        next = m->next;
        if (m->kind == WMSG_DOWNLINK)
            downlink_deliver(w, m->downlink); /* no connection left: completes as not sent */
        else if (m->kind == WMSG_REGISTRY)
            fw_registry_unref(m->registry);
        free(m);
    }
}

void worker_free(fw_worker *w)
{
    if (!w)
        return;
    drop_queue(w);
    if (w->sink)
        w->sink->ops->close(w->sink);
    if (w->authority)
        w->authority->ops->close(w->authority);
    for_each_conn(w, abort_for_shutdown);
    output_flush(w);
    if (w->listener)
        evconnlistener_free(w->listener);
    if (w->stop_ev)
        event_free(w->stop_ev);
    if (w->tick_ev)
        event_free(w->tick_ev);
    if (w->flush_ev)
        event_free(w->flush_ev);
    if (w->notify_ev)
        event_free(w->notify_ev);
    if (w->notify_fd >= 0)
        close(w->notify_fd);
    jt_subpkg_free(w->subpkg);
    jt_subpkg_free(w->subpkg_preauth);
    fw_ack_pool_destroy(&w->acks);
    if (w->base)
        event_base_free(w->base);
    fw_registry_unref(w->registry);
    pthread_mutex_destroy(&w->queue_lock);
    sem_destroy(&w->started);
    free(w->slots);
    free(w->rx);
    free(w);
}
