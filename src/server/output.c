/* output.c - bytes to terminals: staged per worker, flushed once per event-loop turn.
 *
 * Every reply is appended to the worker's stage, as one segment of consecutive bytes per
 * connection. The first staged byte activates the worker's flush event, which runs after the
 * callbacks of the current loop turn: the acks for a whole batch of reads leave together, each
 * connection's with a single send() when nothing is queued for it. What the socket does not
 * take goes to the bufferevent's output, which libevent writes when the socket is writable. So
 * the usual ack costs one send() and no epoll change, and bytes never overtake queued ones.
 *
 * A connection with staged bytes (CONN_STAGED) is freed only after the flush; an aborted one
 * (CONN_ABORTED) has its staged bytes discarded. A connection is in at most one segment: when
 * it would need a second, the stage is flushed first.
 */
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <string.h>
#include <sys/socket.h>

#include "worker.h"

/* Send directly when nothing is queued; queue what the socket does not take. */
static void send_or_queue(fw_conn *c, const uint8_t *p, size_t n)
{
    struct evbuffer *out = bufferevent_get_output(c->bev);
    size_t sent = 0;
    if (evbuffer_get_length(out) == 0) {
        ssize_t k = send(bufferevent_getfd(c->bev), p, n, MSG_DONTWAIT | MSG_NOSIGNAL);
        sent = k > 0 ? (size_t)k : 0;
    }
    if (sent < n)
        evbuffer_add(out, p + sent, n - sent);
}

/* Send every segment; settle (maybe free) each connection except keep. */
static void flush_except(fw_worker *w, const fw_conn *keep)
{
    for (uint32_t i = 0; i < w->nsegs; i++) {
        fw_conn *c = w->segs[i].conn;
        c->flags &= (uint8_t)~CONN_STAGED;
        if (!(c->flags & CONN_ABORTED))
            send_or_queue(c, w->stage + w->segs[i].start, w->segs[i].len);
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
