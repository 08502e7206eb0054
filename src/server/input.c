/* input.c - reading a terminal connection: one recv() into the worker's read buffer, frames found
 * and handled in place, the rest held back.
 *
 * Zero copy: jt_scan finds each frame in the worker's buffer and dispatch_frame unescapes and
 * handles it where it lies. Bytes not consumed (a frame split across reads, or frames left when
 * reading pauses) are held in a small per-connection allocation and put in front of the next read;
 * usually there are none, so an idle connection holds no input memory, and a read costs one recv()
 * (no ioctl, no allocation). Each read takes at most input_cap_bytes, so one busy terminal cannot
 * starve the others on its worker.
 *
 * Bytes that are not frames (garbage, oversize input, runs of 0x7e) are counted against the
 * connection's budget (conn_bad_input).
 *
 * Pauses: reading stops when the frame-rate cap is hit (the tick resumes it), when the terminal
 * does not read its replies (resumed once they are written) and while a registration or
 * authentication awaits the authority (session.c resumes it).
 */
#include <errno.h>
#include <event2/event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "fw/base/log.h"
#include "worker.h"

static void on_readable(evutil_socket_t fd, short what, void *arg);

int input_open(fw_conn *c)
{
    c->rev = event_new(c->w->base, c->fd, EV_READ | EV_PERSIST, on_readable, c);
    return c->rev && event_add(c->rev, NULL) == 0 ? 0 : -1;
}

void input_stop(fw_conn *c)
{
    if (c->rev)
        event_del(c->rev);
}

void input_close(fw_conn *c)
{
    if (c->rev)
        event_free(c->rev);
    c->rev = NULL;
    free(c->held);
    c->held = NULL;
    c->held_len = 0;
}

/* An HTTP request line where a terminal's first frame should be. */
static bool looks_like_http(const uint8_t *data, size_t len)
{
    static const char *const methods[] = {"GET ", "POST", "HEAD", "PUT ", "DELE",
                                          "OPTI", "CONN", "PATC", "PRI "};
    for (size_t i = 0; len >= 4 && i < sizeof methods / sizeof methods[0]; i++)
        if (memcmp(data, methods[i], 4) == 0)
            return true;
    return false;
}

static bool rate_capped(fw_conn *c)
{
    unsigned cap = c->w->srv->cfg.max_frame_rate;
    if (!cap || c->rate_frames < cap)
        return false;
    c->flags |= CONN_RATE_PAUSED;
    input_stop(c);
    worker_count_error(c->w, FW_SERR_RATE_LIMITED);
    return true;
}

/* Scan data[0..len) for frames and handle them; returns the bytes consumed. */
static size_t scan_frames(fw_conn *c, uint8_t *data, size_t len)
{
    fw_worker *w = c->w;
    size_t off = 0;
    while (off < len && c->state != CONN_CLOSING && !(c->flags & CONN_AUTH_WAIT) &&
           !rate_capped(c)) {
        jt_scan_result r = jt_scan(&c->scan, data + off, len - off, JT_MAX_ESCAPED_FRAME);
        off += r.consumed;
        bool oversize = r.kind == JT_SCAN_OVERSIZE;
        if (r.garbage || r.empty || oversize)
            conn_bad_input(c, oversize ? r.consumed : r.garbage, r.empty);
        if (r.kind == JT_SCAN_NEED_MORE || c->state == CONN_CLOSING)
            break;
        if (oversize) {
            fw_counter_add(&w->metrics.codec_errors[JT_ERR_OVERSIZE], 1);
            conn_bad_frame(c);
            continue;
        }
        c->rate_frames++;
        dispatch_frame(c, r.frame, r.frame_len);
    }
    return off;
}

/* Keep rest[0..len) for the next read; false when out of memory. */
static bool hold(fw_conn *c, const uint8_t *rest, size_t len)
{
    if (len == 0) {
        free(c->held);
        c->held = NULL;
        c->held_len = 0;
        return true;
    }
    uint8_t *p = len == c->held_len ? c->held : realloc(c->held, len);
    if (!p)
        return false;
    memcpy(p, rest, len);
    c->held = p;
    c->held_len = (uint32_t)len;
    return true;
}

/* Handle the worker's read buffer rx[0..len), which starts with the bytes held before. */
static void process(fw_conn *c, size_t len)
{
    fw_worker *w = c->w;
    if (c->state == CONN_NEW && looks_like_http(w->rx, len)) {
        static fw_log_limit lim;
        fw_log_limited(&lim, FW_LOG_INFO, "worker %u: HTTP request on the terminal port: closed",
                       w->idx);
        conn_abort(c, FW_CLOSE_HTTP);
        return;
    }
    c->flags |= CONN_IN_READ;
    size_t used = scan_frames(c, w->rx, len);
    bool kept = hold(c, w->rx + used, len - used);
    c->flags &= (uint16_t)~CONN_IN_READ;
    if (!kept)
        conn_abort(c, FW_CLOSE_ERROR);
    else if (c->flags & CONN_AUTH_WAIT)
        input_stop(c); /* session.c resumes once the authority answers */
    conn_settle(c);
}

/* Put the held bytes at the start of the read buffer; returns how many. */
static size_t unhold(fw_conn *c)
{
    size_t len = c->held_len < c->w->rx_cap ? c->held_len : c->w->rx_cap;
    if (len)
        memcpy(c->w->rx, c->held, len);
    return len;
}

static void on_readable(evutil_socket_t fd, short what, void *arg)
{
    (void)what;
    fw_conn *c = arg;
    fw_worker *w = c->w;
    worker_clock(w);
    size_t have = unhold(c);
    ssize_t n = have < w->rx_cap ? recv(fd, w->rx + have, w->rx_cap - have, 0) : 0;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (n <= 0 && have < w->rx_cap) {
        conn_abort(c, n == 0 ? FW_CLOSE_PEER : FW_CLOSE_ERROR);
        return;
    }
    fw_counter_add(&w->metrics.bytes_in, (uint64_t)n);
    c->last_rx_s = w->now_s;
    process(c, have + (size_t)n);
}

void input_resume(fw_conn *c)
{
    if (c->state == CONN_CLOSING ||
        (c->flags & (CONN_RATE_PAUSED | CONN_OUTPUT_PAUSED | CONN_AUTH_WAIT)))
        return;
    if (!c->rev || event_add(c->rev, NULL) < 0) {
        conn_abort(c, FW_CLOSE_ERROR);
        return;
    }
    if (c->held_len) {
        worker_clock(c->w);
        process(c, unhold(c));
    }
}
