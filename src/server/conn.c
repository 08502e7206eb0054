/* conn.c - one terminal connection: accept, the read path, pauses, timeouts and closing.
 *
 * Read path (zero copy): the bufferevent's input is made contiguous (evbuffer_pullup), jt_scan
 * finds each frame in it, dispatch_frame unescapes and handles it in place, and the consumed
 * bytes are drained; an incomplete frame simply stays in the input. Each read callback sees at
 * most input_cap_bytes, so one busy terminal cannot starve the others on its worker.
 *
 * Pauses: reading stops when the frame-rate cap is hit (resumed by the next tick) or when the
 * terminal does not read its replies (resumed once the output is drained).
 *
 * Replies go out through output.c (staged, one send() per connection and loop turn).
 *
 * Closing: conn_close stops reading and frees the connection once the acks for locations being
 * stored are sent and its output is flushed (at most CLOSING_LINGER_S); conn_abort discards
 * the output. Inside the read callback freeing is deferred to its end.
 */
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fw/server_log.h"
#include "worker.h"

#define CLOSING_LINGER_S 5 /* longest wait for a closing connection's output to drain */

static void on_read(struct bufferevent *bev, void *arg);
static void on_write(struct bufferevent *bev, void *arg);
static void on_event(struct bufferevent *bev, short events, void *arg);

static void refuse(fw_worker *w, int fd)
{
    close(fd);
    worker_count_error(w, FW_SERR_MAX_CONNECTIONS);
}

void conn_accept(fw_worker *w, int fd)
{
    fw_server *s = w->srv;
    if (w->stopping || atomic_fetch_add(&s->nconns, 1) >= s->cfg.max_connections) {
        if (!w->stopping)
            atomic_fetch_sub(&s->nconns, 1);
        refuse(w, fd);
        return;
    }
    fw_conn *c = calloc(1, sizeof *c);
    struct bufferevent *bev = c ? bufferevent_socket_new(w->base, fd, BEV_OPT_CLOSE_ON_FREE) : NULL;
    uint32_t slot = bev ? worker_slot_take(w, c) : UINT32_MAX;
    if (slot == UINT32_MAX) {
        FW_LOG_ERROR("worker %u: out of memory accepting a connection", w->idx);
        if (bev)
            bufferevent_free(bev);
        else
            close(fd);
        free(c);
        atomic_fetch_sub(&s->nconns, 1);
        return;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    *c = (fw_conn){.bev = bev,
                   .w = w,
                   .slot = slot,
                   .gen = w->slots[slot].gen,
                   .last_rx_s = w->now_s,
                   .opened_s = w->now_s,
                   .rate_window_s = w->now_s};
    w->nconns++;
    fw_counter_add(&w->metrics.conn_accepted, 1);
    bufferevent_setcb(bev, on_read, on_write, on_event, c);
    bufferevent_set_max_single_read(bev, s->cfg.input_cap_bytes);
    bufferevent_enable(bev, EV_READ);
}

static void conn_free(fw_conn *c)
{
    fw_worker *w = c->w;
    downlink_cancel(w, c);
    if (c->flags & CONN_HAS_SUBPKG) {
        char phone[JT_PHONE_MAX_DIGITS + 1];
        conn_phone(c, phone);
        jt_subpkg_forget(w->subpkg, phone);
    }
    fw_counter_add(&w->metrics.conn_closed[c->close_reason], 1);
    worker_slot_release(w, c->slot);
    bufferevent_free(c->bev);
    free(c);
    w->nconns--;
    atomic_fetch_sub(&w->srv->nconns, 1);
    if (w->stopping && w->nconns == 0)
        event_base_loopbreak(w->base);
}

void conn_settle(fw_conn *c)
{
    bool acks_due = c->pending_acks && !(c->flags & CONN_ABORTED);
    if (c->state == CONN_CLOSING && !(c->flags & (CONN_IN_READ | CONN_STAGED)) && !acks_due &&
        evbuffer_get_length(bufferevent_get_output(c->bev)) == 0)
        conn_free(c);
}

void conn_close(fw_conn *c, fw_close_reason reason)
{
    if (c->state == CONN_CLOSING)
        return;
    session_end(c);
    c->state = CONN_CLOSING;
    c->close_reason = (uint8_t)reason;
    c->last_rx_s = c->w->now_s;
    bufferevent_disable(c->bev, EV_READ);
    FW_LOG_DEBUG("worker %u: closing connection %u (%s)", c->w->idx, c->slot,
                 fw_close_reason_name(reason));
    conn_settle(c);
}

void conn_abort(fw_conn *c, fw_close_reason reason)
{
    c->flags |= CONN_ABORTED;
    struct evbuffer *out = bufferevent_get_output(c->bev);
    evbuffer_drain(out, evbuffer_get_length(out));
    if (c->state == CONN_CLOSING)
        conn_settle(c);
    else
        conn_close(c, reason);
}

void conn_phone(const fw_conn *c, char out[JT_PHONE_MAX_DIGITS + 1])
{
    static const char digits[] = "0123456789abcdef";
    size_t n = 0;
    for (unsigned i = 0; i < c->phone_raw_len; i++) {
        uint8_t hi = c->phone_raw[i] >> 4, lo = c->phone_raw[i] & 15;
        if (n || hi)
            out[n++] = digits[hi];
        if (n || lo)
            out[n++] = digits[lo];
    }
    if (!n)
        out[n++] = '0';
    out[n] = '\0';
}

bool conn_authed_for(const fw_conn *c, const jt_frame *f)
{
    return c->state == CONN_AUTHED && f->phone_raw_len == c->phone_raw_len &&
           memcmp(f->phone_raw, c->phone_raw, c->phone_raw_len) == 0;
}

/* An HTTP request line where a terminal's first frame should be. */
static bool looks_like_http(struct evbuffer *in)
{
    static const char *const methods[] = {"GET ", "POST", "HEAD", "PUT ", "DELE",
                                          "OPTI", "CONN", "PATC", "PRI "};
    uint8_t head[4];
    if (evbuffer_copyout(in, head, sizeof head) != (ev_ssize_t)sizeof head)
        return false;
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (memcmp(head, methods[i], sizeof head) == 0)
            return true;
    return false;
}

static bool rate_capped(fw_conn *c)
{
    unsigned cap = c->w->srv->cfg.max_frame_rate;
    if (!cap || c->rate_frames < cap)
        return false;
    c->flags |= CONN_RATE_PAUSED;
    bufferevent_disable(c->bev, EV_READ);
    worker_count_error(c->w, FW_SERR_RATE_LIMITED);
    return true;
}

void conn_bad_frame(fw_conn *c)
{
    if (++c->bad_frames >= c->w->srv->cfg.max_bad_frames)
        conn_close(c, FW_CLOSE_BAD_FRAMES);
}

/* Scan data[0..len) for frames and handle them; returns the bytes consumed. */
static size_t scan_frames(fw_conn *c, uint8_t *data, size_t len)
{
    fw_worker *w = c->w;
    size_t off = 0;
    while (off < len && c->state != CONN_CLOSING && !rate_capped(c)) {
        jt_scan_result r = jt_scan(&c->scan, data + off, len - off, JT_MAX_ESCAPED_FRAME);
        off += r.consumed;
        if (r.garbage)
            fw_counter_add(&w->metrics.server_errors[FW_SERR_GARBAGE_BYTES], r.garbage);
        if (r.kind == JT_SCAN_NEED_MORE)
            break;
        if (r.kind == JT_SCAN_OVERSIZE) {
            fw_counter_add(&w->metrics.codec_errors[JT_ERR_OVERSIZE], 1);
            conn_bad_frame(c);
            continue;
        }
        c->rate_frames++;
        dispatch_frame(c, r.frame, r.frame_len);
    }
    return off;
}

static void pause_for_output(fw_conn *c)
{
    size_t queued = evbuffer_get_length(bufferevent_get_output(c->bev));
    if (c->state != CONN_CLOSING && queued > c->w->srv->cfg.output_cap_bytes) {
        c->flags |= CONN_OUTPUT_PAUSED;
        bufferevent_disable(c->bev, EV_READ);
    }
}

void conn_process_input(fw_conn *c)
{
    fw_worker *w = c->w;
    struct evbuffer *in = bufferevent_get_input(c->bev);
    size_t len = evbuffer_get_length(in);
    if (len > c->held_bytes) {
        fw_counter_add(&w->metrics.bytes_in, len - c->held_bytes);
        c->last_rx_s = w->now_s;
    }
    if (c->state == CONN_NEW && looks_like_http(in)) {
        conn_abort(c, FW_CLOSE_HTTP);
        return;
    }
    c->flags |= CONN_IN_READ;
    size_t used = len ? scan_frames(c, evbuffer_pullup(in, -1), len) : 0;
    evbuffer_drain(in, used);
    c->held_bytes = (uint32_t)evbuffer_get_length(in);
    w->sink->ops->flush(w->sink);
    c->flags &= (uint8_t)~CONN_IN_READ;
    pause_for_output(c);
    conn_settle(c);
}

static void on_read(struct bufferevent *bev, void *arg)
{
    (void)bev;
    fw_conn *c = arg;
    worker_clock(c->w);
    conn_process_input(c);
}

static void on_write(struct bufferevent *bev, void *arg)
{
    (void)bev;
    fw_conn *c = arg;
    if (c->state == CONN_CLOSING) {
        conn_settle(c);
        return;
    }
    if (c->flags & CONN_OUTPUT_PAUSED) {
        c->flags &= (uint8_t)~CONN_OUTPUT_PAUSED;
        worker_clock(c->w);
        if (!(c->flags & CONN_RATE_PAUSED))
            bufferevent_enable(c->bev, EV_READ);
        conn_process_input(c);
    }
}

static void on_event(struct bufferevent *bev, short events, void *arg)
{
    (void)bev;
    fw_conn *c = arg;
    worker_clock(c->w);
    if (events & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
        conn_abort(c, (events & BEV_EVENT_EOF) ? FW_CLOSE_PEER : FW_CLOSE_ERROR);
}

/* The start of a new frame-rate window: resume a paused connection. */
static void rate_window(fw_conn *c)
{
    c->rate_frames = 0;
    c->rate_window_s = c->w->now_s;
    if (!(c->flags & CONN_RATE_PAUSED))
        return;
    c->flags &= (uint8_t)~CONN_RATE_PAUSED;
    if (!(c->flags & CONN_OUTPUT_PAUSED)) {
        bufferevent_enable(c->bev, EV_READ);
        conn_process_input(c);
    }
}

void conn_tick(fw_conn *c)
{
    const fw_server_config *cfg = &c->w->srv->cfg;
    uint32_t now = c->w->now_s;
    if (c->state == CONN_CLOSING) {
        if (now - c->last_rx_s >= CLOSING_LINGER_S)
            conn_abort(c, (fw_close_reason)c->close_reason);
    } else if (c->state == CONN_NEW && now - c->opened_s >= cfg->first_frame_timeout_s) {
        conn_abort(c, FW_CLOSE_NO_VALID_FRAME);
    } else if (now - c->last_rx_s >= cfg->idle_timeout_s) {
        if (c->flags & CONN_OUTPUT_PAUSED)
            conn_abort(c, FW_CLOSE_OUTPUT_BACKLOG);
        else
            conn_close(c, FW_CLOSE_IDLE);
    } else if (now != c->rate_window_s) {
        rate_window(c);
    }
}
