/* output.c - bytes to terminals: staged per worker, flushed once per event-loop turn.
 *
 * Every reply is appended to the worker's stage, as one segment of consecutive bytes per
 * connection. The first staged byte activates the worker's flush event, which runs after the
 * callbacks of the current loop turn: the acks for a whole batch of reads leave together, each
 * connection's with a single send() when nothing is queued for it. What the socket does not take is
 * queued in a per-connection buffer that exists only until the socket has taken it (written when
 * the socket is writable). So the usual ack costs one send() and no epoll change, an idle
 * connection holds no output memory, and bytes never overtake queued ones.
 *
 * A connection with staged bytes (CONN_STAGED) is freed only after the flush; an aborted one
 * (CONN_ABORTED) has its staged bytes discarded. A connection is in at most one segment: when it
 * would need a second, the stage is flushed first.
 */
#include <errno.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "fw/base/log.h"
#include "worker.h"

/* Bytes a connection's socket did not take yet; exists only while there are some. */
struct fw_out {
    struct evbuffer *buf;
    struct event *wev; /* socket writable */
};

size_t output_queued(const fw_conn *c)
{
    return c->out ? evbuffer_get_length(c->out->buf) : 0;
}

void output_close(fw_conn *c)
{
    if (!c->out)
        return;
    event_free(c->out->wev);
    evbuffer_free(c->out->buf);
    free(c->out);
    c->out = NULL;
}

static void on_writable(evutil_socket_t fd, short what, void *arg)
{
    (void)what;
    fw_conn *c = arg;
    worker_clock(c->w);
    if (evbuffer_write(c->out->buf, fd) < 0 && errno != EAGAIN && errno != EINTR) {
        conn_abort(c, FW_CLOSE_ERROR);
        return;
    }
    if (output_queued(c))
        return;
    output_close(c);
    if (c->state == CONN_CLOSING) {
        conn_settle(c);
    } else if (c->flags & CONN_OUTPUT_PAUSED) {
        c->flags &= (uint16_t)~CONN_OUTPUT_PAUSED;
        input_resume(c);
    }
}

/* Keep bytes for when the socket is writable. */
static void queue(fw_conn *c, const uint8_t *p, size_t n)
{
    if (!c->out && (c->out = calloc(1, sizeof *c->out))) {
        c->out->buf = evbuffer_new();
        c->out->wev = event_new(c->w->base, c->fd, EV_WRITE | EV_PERSIST, on_writable, c);
        if (!c->out->buf || !c->out->wev || event_add(c->out->wev, NULL) < 0) {
            if (c->out->wev)
                event_free(c->out->wev);
            if (c->out->buf)
                evbuffer_free(c->out->buf);
            free(c->out);
            c->out = NULL;
        }
    }
    if (!c->out || evbuffer_add(c->out->buf, p, n) < 0)
        FW_LOG_ERROR("worker %u: out of memory: %zu bytes to connection %u lost", c->w->idx, n,
                     c->slot);
}

/* Send directly when nothing is queued; queue what the socket does not take (a socket error is left
 * for the write event to find). */
static void send_or_queue(fw_conn *c, const uint8_t *p, size_t n)
{
    size_t sent = 0;
    if (!output_queued(c)) {
        ssize_t k = send(c->fd, p, n, MSG_DONTWAIT | MSG_NOSIGNAL);
        sent = k > 0 ? (size_t)k : 0;
    }
    if (sent < n)
        queue(c, p + sent, n - sent);
}

/* A terminal that does not read its replies is not read either, until it catches up. */
static void pause_for_output(fw_conn *c)
{
    if (c->state != CONN_CLOSING && output_queued(c) > c->w->srv->cfg.output_cap_bytes) {
        c->flags |= CONN_OUTPUT_PAUSED;
        input_stop(c);
    }
}

/* Send every segment; settle (maybe free) each connection except keep. */
static void flush_except(fw_worker *w, const fw_conn *keep)
{
    for (uint32_t i = 0; i < w->nsegs; i++) {
        fw_conn *c = w->segs[i].conn;
        c->flags &= (uint16_t)~CONN_STAGED;
        if (!(c->flags & CONN_ABORTED)) {
            send_or_queue(c, w->stage + w->segs[i].start, w->segs[i].len);
            pause_for_output(c);
        }
        if (c != keep)
            conn_settle(c);
    }
    w->nsegs = 0;
    w->stage_len = 0;
}

void output_flush(fw_worker *w)
{
    flush_except(w, NULL);
}

static void on_flush(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    fw_worker *w = arg;
    w->flush_pending = false;
    output_flush(w);
}

int output_init(fw_worker *w)
{
    w->flush_ev = event_new(w->base, -1, 0, on_flush, w);
    return w->flush_ev ? 0 : -1;
}

void conn_write(fw_conn *c, const uint8_t *p, size_t n)
{
    fw_worker *w = c->w;
    fw_out_segment *last = w->nsegs ? &w->segs[w->nsegs - 1] : NULL;
    bool extend = last && last->conn == c;
    if (w->stage_len + n > sizeof w->stage || (!extend && (c->flags & CONN_STAGED)) ||
        (!extend && w->nsegs == FW_OUT_SEGMENTS)) {
        flush_except(w, c);
        extend = false;
    }
    if (n > sizeof w->stage) {
        send_or_queue(c, p, n);
        return;
    }
    if (extend) {
        last->len += (uint32_t)n;
    } else {
        w->segs[w->nsegs++] = (fw_out_segment){c, (uint32_t)w->stage_len, (uint32_t)n};
        c->flags |= CONN_STAGED;
    }
    memcpy(w->stage + w->stage_len, p, n);
    w->stage_len += n;
    if (!w->flush_pending) {
        w->flush_pending = true;
        event_active(w->flush_ev, EV_TIMEOUT, 0);
    }
}
