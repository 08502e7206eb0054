/* conn.c - one terminal connection's life: accept (within max_connections and
 * max_connections_per_address), timeouts (first frame, authentication within auth_timeout_s when
 * require_auth, idle) and frame-rate windows (tick), the bad-frame and bad-input budgets, closing
 * (reported to hooks->on_disconnect when the terminal was authenticated) and freeing. Reading is
 * input.c, writing output.c. Refusals and closes for bad input are logged rate-limited.
 *
 * Closing: conn_close stops reading and frees the connection once the acks for locations being
 * stored are sent and its output is flushed (at most CLOSING_LINGER_S); conn_abort discards the
 * output. While the connection is being read, or has staged replies, freeing waits for that to end
 * (conn_settle is called again then).
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

#include "fw/base/log.h"
#include "worker.h"

#define CLOSING_LINGER_S 5 /* longest wait for a closing connection's output to drain */

/* An IPv4 or IPv6 address as text ("?" for another family), with ":port" ("[v6]:port") when
 * with_port: the one formatter of refusals' logs and of the peers session.c records. */
static void address_text(const struct sockaddr *addr, bool with_port, char *out, size_t cap)
{
    char host[INET6_ADDRSTRLEN] = "?";
    unsigned port = 0;
    if (addr->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)addr;
        inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
        port = ntohs(in->sin_port);
    } else if (addr->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)addr;
        inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
        port = ntohs(in6->sin6_port);
    }
    if (!with_port)
        snprintf(out, cap, "%s", host);
    else
        snprintf(out, cap, strchr(host, ':') ? "[%s]:%u" : "%s:%u", host, port);
}

static void refuse(fw_worker *w, int fd, const struct sockaddr *addr, fw_server_error why)
{
    static fw_log_limit lim;
    close(fd);
    worker_count_error(w, why);
    if (w->stopping)
        return;
    char text[INET6_ADDRSTRLEN];
    address_text(addr, false, text, sizeof text);
    fw_log_limited(
        &lim, FW_LOG_WARN, "worker %u: connection from %s refused: %s reached", w->idx, text,
        why == FW_SERR_MAX_PER_ADDRESS ? "max_connections_per_address" : "max_connections");
}

/* Count the connection against its address's cap: false when refused (and closed). */
static bool admit_address(fw_worker *w, int fd, const struct sockaddr *addr, fw_peer **peer)
{
    fw_server *s = w->srv;
    if (!s->peers)
        return true;
    int rc = fw_peers_take(s->peers, addr, s->cfg.max_connections_per_address, peer);
    if (rc == -1)
        refuse(w, fd, addr, FW_SERR_MAX_PER_ADDRESS);
    else if (rc < 0) {
        FW_LOG_ERROR("worker %u: out of memory counting a connection's address", w->idx);
        close(fd);
    }
    return rc == 0;
}

void conn_accept(fw_worker *w, int fd, const struct sockaddr *addr)
{
    fw_server *s = w->srv;
    fw_peer *peer = NULL;
    if (w->stopping || atomic_fetch_add(&s->nconns, 1) >= s->cfg.max_connections) {
        if (!w->stopping)
            atomic_fetch_sub(&s->nconns, 1);
        refuse(w, fd, addr, FW_SERR_MAX_CONNECTIONS);
        return;
    }
    if (!admit_address(w, fd, addr, &peer)) {
        atomic_fetch_sub(&s->nconns, 1);
        return;
    }
    fw_conn *c = calloc(1, sizeof *c);
    uint32_t slot = c ? worker_slot_take(w, c) : UINT32_MAX;
    if (slot == UINT32_MAX) {
        FW_LOG_ERROR("worker %u: out of memory accepting a connection", w->idx);
        close(fd);
        free(c);
        if (peer)
            fw_peers_release(s->peers, peer);
        atomic_fetch_sub(&s->nconns, 1);
        return;
    }
    int one = 1, sndbuf = (int)s->cfg.sndbuf_bytes;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (sndbuf)
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    *c = (fw_conn){.w = w,
                   .peer = peer,
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
    subpkg_forget(c);
    fw_counter_add(&w->metrics.conn_closed[c->close_reason], 1);
    if (c->peer)
        fw_peers_release(w->srv->peers, c->peer);
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
    struct sockaddr_storage sa = {.ss_family = AF_UNSPEC};
    socklen_t len = sizeof sa;
    if (getpeername(c->fd, (struct sockaddr *)&sa, &len) != 0)
        sa.ss_family = AF_UNSPEC;
    address_text((const struct sockaddr *)&sa, true, out, FW_AUTH_ADDR_MAX);
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
    static fw_log_limit lim;
    if (++c->bad_frames < c->w->srv->cfg.max_bad_frames)
        return;
    fw_log_limited(&lim, FW_LOG_INFO,
                   "worker %u: connection %u closed after %u bad frames in a row", c->w->idx,
                   c->slot, (unsigned)c->bad_frames);
    conn_close(c, FW_CLOSE_BAD_FRAMES);
}

static uint32_t add_capped(uint32_t a, size_t b)
{
    return b >= UINT32_MAX - a ? UINT32_MAX : a + (uint32_t)b;
}

void conn_bad_input(fw_conn *c, size_t bytes, size_t empty_frames)
{
    static fw_log_limit lim;
    fw_worker *w = c->w;
    const fw_server_config *cfg = &w->srv->cfg;
    if (bytes)
        fw_counter_add(&w->metrics.server_errors[FW_SERR_GARBAGE_BYTES], bytes);
    if (empty_frames)
        fw_counter_add(&w->metrics.server_errors[FW_SERR_EMPTY_FRAME], empty_frames);
    c->garbage_bytes = add_capped(c->garbage_bytes, bytes);
    c->empty_frames = add_capped(c->empty_frames, empty_frames);
    if (c->garbage_bytes <= cfg->max_garbage_bytes && c->empty_frames <= cfg->max_empty_frames)
        return;
    fw_log_limited(&lim, FW_LOG_INFO,
                   "worker %u: connection %u closed for bad input: %u bytes that are not frames, "
                   "%u empty frames",
                   w->idx, c->slot, c->garbage_bytes, c->empty_frames);
    conn_close(c, FW_CLOSE_BAD_INPUT);
}

/* The start of a new frame-rate window: resume a paused connection. */
static void rate_window(fw_conn *c)
{
    c->rate_frames = 0;
    c->rate_window_s = c->w->now_s;
    if (!(c->flags & CONN_RATE_PAUSED))
        return;
    c->flags &= (uint16_t)~CONN_RATE_PAUSED;
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
    } else if (cfg->require_auth && c->state != CONN_AUTHED &&
               now - c->opened_s >= cfg->auth_timeout_s) {
        conn_close(c, FW_CLOSE_AUTH_TIMEOUT);
    } else if (now - c->last_rx_s >= cfg->idle_timeout_s) {
        if (c->flags & CONN_OUTPUT_PAUSED)
            conn_abort(c, FW_CLOSE_OUTPUT_BACKLOG);
        else
            conn_close(c, FW_CLOSE_IDLE);
    } else if (now != c->rate_window_s) {
        rate_window(c);
    }
}
