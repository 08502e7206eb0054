/* conn.c - one terminal connection's life: accept, timeouts and frame-rate
 * windows (tick), closing (reported to hooks->on_disconnect when the terminal
 * was authenticated) and freeing. Reading is input.c, writing output.c.
 *
 * Closing: conn_close stops reading and frees the connection once the acks for
 * locations being stored are sent and its output is flushed (at most
 * CLOSING_LINGER_S); conn_abort discards the output. While the connection is
 * being read, or has staged replies, freeing waits for that to end (conn_settle
 * is called again then).
 */
#include <arpa/inet.h>
#include <event2/event.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fw/server_log.h"
#include "worker.h"

#define CLOSING_LINGER_S 5 /* longest wait for a closing connection's output to drain */

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
    uint32_t slot = c ? worker_slot_take(w, c) : UINT32_MAX;
    if (slot == UINT32_MAX) {
        FW_LOG_ERROR("worker %u: out of memory accepting a connection", w->idx);
        close(fd);
        free(c);
        atomic_fetch_sub(&s->nconns, 1);
        return;
    }
    int one = 1, sndbuf = (int)s->cfg.sndbuf_bytes;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (sndbuf)
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    *c = (fw_conn){.w = w,
                   .fd = fd,
                   .slot = slot,
                   .gen = w->slots[slot].gen,
                   .last_rx_s = w->now_s,
                   .opened_s = w->now_s,
                   .rate_window_s = w->now_s};
    w->nconns++;
    fw_counter_add(&w->metrics.conn_accepted, 1);
    if (input_open(c) < 0) {
        FW_LOG_ERROR("worker %u: cannot watch a new connection", w->idx);
        conn_abort(c, FW_CLOSE_ERROR);
    }
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
    input_close(c);
    output_close(c);
    close(c->fd);
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
        output_queued(c) == 0)
        conn_free(c);
}

/* An authenticated terminal is leaving: tell the service (hooks->on_disconnect), and whether a
 * newer connection of the terminal had already taken its session over. */
static void report_disconnect(fw_conn *c, bool superseded)
{
    const fw_server_hooks *hooks = &c->w->srv->hooks;
    if (!hooks->on_disconnect)
        return;
    char phone[JT_PHONE_MAX_DIGITS + 1];
    conn_phone(c, phone);
    c->w->disconnect_superseded = superseded;
    hooks->on_disconnect(hooks->disconnect_ctx, phone, fw_registry_by_phone(c->w->registry, phone),
                         c->w->idx);
    c->w->disconnect_superseded = false;
}

void conn_close(fw_conn *c, fw_close_reason reason)
{
    if (c->state == CONN_CLOSING)
        return;
    bool authed = c->state == CONN_AUTHED;
    bool held = session_end(c);
    if (authed)
        report_disconnect(c, !held);
    c->state = CONN_CLOSING;
    c->close_reason = (uint8_t)reason;
    c->last_rx_s = c->w->now_s;
    input_stop(c);
    FW_LOG_DEBUG("worker %u: closing connection %u (%s)", c->w->idx, c->slot,
                 fw_close_reason_name(reason));
    conn_settle(c);
}

void conn_abort(fw_conn *c, fw_close_reason reason)
{
    c->flags |= CONN_ABORTED;
    output_close(c);
    if (c->state == CONN_CLOSING)
        conn_settle(c);
    else
        conn_close(c, reason);
}

void conn_peer(const fw_conn *c, char out[FW_AUTH_ADDR_MAX])
{
    struct sockaddr_storage sa;
    socklen_t len = sizeof sa;
    char host[INET6_ADDRSTRLEN] = "?";
    unsigned port = 0;
    if (getpeername(c->fd, (struct sockaddr *)&sa, &len) == 0) {
        if (sa.ss_family == AF_INET) {
            const struct sockaddr_in *in = (const struct sockaddr_in *)&sa;
            inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
            port = ntohs(in->sin_port);
        } else if (sa.ss_family == AF_INET6) {
            const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&sa;
            inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
            port = ntohs(in6->sin6_port);
        }
    }
    snprintf(out, FW_AUTH_ADDR_MAX, strchr(host, ':') ? "[%s]:%u" : "%s:%u", host, port);
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

void conn_bad_frame(fw_conn *c)
{
    if (++c->bad_frames >= c->w->srv->cfg.max_bad_frames)
        conn_close(c, FW_CLOSE_BAD_FRAMES);
}

/* The start of a new frame-rate window: resume a paused connection. */
static void rate_window(fw_conn *c)
{
    c->rate_frames = 0;
    c->rate_window_s = c->w->now_s;
    if (!(c->flags & CONN_RATE_PAUSED))
        return;
    c->flags &= (uint8_t)~CONN_RATE_PAUSED;
    input_resume(c);
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
