/* sim_term.c - a simulated terminal's connection: connect, read and frame the platform's
 * bytes, send frames, track frames in flight, reconnect after a loss (sim_term.h). */
#include "sim_term.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fw/base/log.h"
#include "sim_engine.h"
#include "sim_net.h"
#include "sim_session.h"

#define BACKOFF_MIN_MS    1000u
#define BACKOFF_SPREAD_MS 1000u

static const char *const state_names[] = {
#define SIM_STATE_NAME(name, text) text,
    SIM_STATE_LIST(SIM_STATE_NAME)
#undef SIM_STATE_NAME
};

const char *sim_term_state_name(sim_term_state s)
{
    return state_names[s];
}

static void on_io(evutil_socket_t fd, short what, void *arg);
static void on_connected(evutil_socket_t fd, short what, void *arg);
static void on_backoff(evutil_socket_t fd, short what, void *arg);
static void on_tick(evutil_socket_t fd, short what, void *arg);
static void cork(sim_term *t);
static void uncork(sim_term *t);

void sim_term_init(sim_term *t, sim_engine *eng, uint32_t index, sim_inflight *slots)
{
    memset(t, 0, sizeof *t);
    t->eng = eng;
    t->index = index;
    t->slots = slots;
    t->fd = -1;
    t->state = SIM_ST_IDLE;
    t->last_report_s = -INFINITY;
    char phone[JT_PHONE_MAX_DIGITS + 1];
    sim_engine_phone(eng, index, phone);
    jt_phone_to_bcd(phone, sim_engine_vehicle(eng, index)->version, t->phone_bcd,
                    &t->phone_bcd_len);
    event_assign(&t->timer, eng->base, -1, 0, on_backoff, t);
}

/* Watch the socket for reading, and for writing while unsent bytes wait. */
static void watch_socket(sim_term *t, bool want_write)
{
    event_del(&t->io);
    short what = EV_READ | EV_PERSIST | (want_write ? EV_WRITE : 0);
    event_assign(&t->io, t->eng->base, t->fd, what, on_io, t);
    event_add(&t->io, NULL);
}

static void schedule_backoff(sim_term *t)
{
    t->state = SIM_ST_BACKOFF;
    uint32_t ms = BACKOFF_MIN_MS + (t->index * 7919u) % BACKOFF_SPREAD_MS;
    struct timeval tv = {.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000};
    event_del(&t->timer);
    event_assign(&t->timer, t->eng->base, -1, 0, on_backoff, t);
    event_add(&t->timer, &tv);
}

static void connect_failed(sim_term *t, int err)
{
    sim_engine_error(t->eng, SIM_E_connect_failed);
    if (t->eng->opt->verbose)
        FW_LOG_WARN("%ssim terminal %u: connect failed: %s", t->eng->tag, t->index, strerror(err));
    schedule_backoff(t);
}

void sim_term_connect(sim_term *t)
{
    const sim_options *o = t->eng->opt;
    const struct in_addr *src = o->source_count ? &o->sources[t->index % o->source_count] : NULL;
    int fd = sim_net_connect(&o->server, src);
    if (fd < 0) {
        connect_failed(t, -fd);
        return;
    }
    t->fd = fd;
    t->state = SIM_ST_CONNECTING;
    event_assign(&t->io, t->eng->base, fd, EV_WRITE, on_connected, t);
    event_add(&t->io, NULL);
}

static void release_buffers(sim_term *t)
{
    free(t->rx_big);
    free(t->spill);
    t->rx_big = t->spill = NULL;
    t->rx_len = t->spill_len = 0;
    t->scan = (jt_scan_state){0};
}

static void close_socket(sim_term *t)
{
    if (t->fd < 0)
        return;
    event_del(&t->io);
    close(t->fd);
    t->fd = -1;
    if (t->eng->corked == t)
        t->eng->txq_len = 0;
    if (t->state == SIM_ST_ONLINE)
        sim_engine_went_offline(t->eng, t);
    memset(t->slots, 0, t->eng->slots_per_term * sizeof *t->slots);
    t->eng->inflight -= t->inflight;
    t->inflight = 0;
    release_buffers(t);
}

void sim_term_drop(sim_term *t, sim_error why)
{
    if (why < SIM_E__COUNT)
        sim_engine_error(t->eng, why);
    if (t->eng->opt->verbose)
        FW_LOG_WARN("%ssim terminal %u: connection closed while %s", t->eng->tag, t->index,
                    sim_term_state_name(t->state));
    close_socket(t);
    if (t->eng->draining) {
        sim_term_stop(t);
        return;
    }
    schedule_backoff(t);
}

void sim_term_stop(sim_term *t)
{
    close_socket(t);
    event_del(&t->timer);
    t->state = SIM_ST_STOPPED;
}

void sim_term_start_ticks(sim_term *t)
{
    event_del(&t->timer);
    event_assign(&t->timer, t->eng->base, -1, EV_PERSIST, on_tick, t);
    event_add(&t->timer, t->eng->tick_tv);
}

static void on_backoff(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    sim_term *t = arg;
    if (t->state == SIM_ST_BACKOFF)
        sim_engine_count(t->eng, SIM_C_reconnects, 1);
    sim_term_connect(t);
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    sim_term *t = arg;
    cork(t);
    sim_session_tick(t);
    uncork(t);
}

static void on_connected(evutil_socket_t fd, short what, void *arg)
{
    (void)what;
    sim_term *t = arg;
    int err = sim_net_connect_result(fd);
    if (err != 0) {
        close(t->fd);
        t->fd = -1;
        connect_failed(t, err);
        return;
    }
    watch_socket(t, false);
    cork(t);
    sim_session_begin(t);
    uncork(t);
}

/* ---- sending ----------------------------------------------------------------------------- */

/* Keep bytes the socket did not take; false (connection dropped) when the spill is full. */
static bool spill(sim_term *t, const uint8_t *p, size_t n)
{
    if (!t->spill && !(t->spill = malloc(SIM_SPILL_CAP)))
        return false;
    if (SIM_SPILL_CAP - t->spill_len < n)
        return false;
    memcpy(t->spill + t->spill_len, p, n);
    bool was_empty = t->spill_len == 0;
    t->spill_len = (uint16_t)(t->spill_len + n);
    if (was_empty)
        watch_socket(t, true);
    return true;
}

static bool write_bytes(sim_term *t, const uint8_t *p, size_t n)
{
    if (t->spill_len)
        return spill(t, p, n);
    ssize_t w = send(t->fd, p, n, MSG_NOSIGNAL);
    if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
        return false;
    size_t done = w < 0 ? 0 : (size_t)w;
    return done == n || spill(t, p + done, n - done);
}

static void flush_spill(sim_term *t)
{
    ssize_t w = send(t->fd, t->spill, t->spill_len, MSG_NOSIGNAL);
    if (w < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            sim_term_drop(t, SIM_E_closed);
        return;
    }
    memmove(t->spill, t->spill + w, t->spill_len - (size_t)w);
    t->spill_len = (uint16_t)(t->spill_len - (size_t)w);
    if (t->spill_len == 0)
        watch_socket(t, false);
}

/* While a callback serves a terminal its frames are queued in the engine and leave in one
 * write at the end (one syscall and one TCP segment for a burst of pipelined frames). */
static void cork(sim_term *t)
{
    t->eng->corked = t;
    t->eng->txq_len = 0;
}

static void uncork(sim_term *t)
{
    sim_engine *e = t->eng;
    size_t len = e->txq_len;
    e->corked = NULL;
    e->txq_len = 0;
    if (len && t->fd >= 0 && !write_bytes(t, e->txq, len))
        sim_term_drop(t, SIM_E_closed);
}

static sim_inflight *free_slot(sim_term *t)
{
    for (uint32_t i = 0; i < t->eng->slots_per_term; i++) {
        if (t->slots[i].msg_id == 0)
            return &t->slots[i];
    }
    return NULL;
}

int sim_term_send(sim_term *t, uint16_t msg_id, const uint8_t *body, size_t len, bool track,
                  const sim_positions *pos)
{
    sim_engine *e = t->eng;
    sim_inflight *slot = track ? free_slot(t) : NULL;
    jt_header_out h = {.msg_id = msg_id,
                       .serial = t->serial,
                       .version = sim_engine_vehicle(e, t->index)->version,
                       .proto_version = 1,
                       .phone_raw = t->phone_bcd};
    bool queued = e->corked == t;
    if (queued && SIM_TXQ_CAP - e->txq_len < JT_MAX_ESCAPED_FRAME) {
        uncork(t);
        cork(t);
    }
    uint8_t *out = queued ? e->txq + e->txq_len : e->tx;
    size_t cap = queued ? SIM_TXQ_CAP - e->txq_len : sizeof e->tx;
    jt_err err = JT_OK;
    size_t n = t->fd < 0 || (track && !slot) ? 0 : jt_frame_build(&h, body, len, out, cap, &err);
    if (n == 0) {
        sim_engine_error(e, SIM_E_send_failed);
        return -1;
    }
    if (queued) {
        e->txq_len += n;
    } else if (!write_bytes(t, e->tx, n)) {
        sim_term_drop(t, SIM_E_closed);
        return -1;
    }
    uint16_t serial = t->serial++;
    t->last_tx_us = sim_engine_stamp(e);
    if (slot) {
        *slot = (sim_inflight){.msg_id = msg_id, .serial = serial, .sent_us = t->last_tx_us};
        if (pos)
            slot->pos = *pos;
        t->inflight++;
        e->inflight++;
    }
    sim_engine_count(e, SIM_C_sent, 1);
    sim_engine_count(e, SIM_C_bytes_out, n);
    return serial;
}

bool sim_term_settle(sim_term *t, uint16_t serial, uint16_t msg_id, sim_inflight *settled)
{
    for (uint32_t i = 0; i < t->eng->slots_per_term; i++) {
        sim_inflight *s = &t->slots[i];
        if (s->msg_id == msg_id && s->serial == serial) {
            *settled = *s;
            s->msg_id = 0;
            t->inflight--;
            t->eng->inflight--;
            return true;
        }
    }
    return false;
}

unsigned sim_term_inflight_of(const sim_term *t, uint16_t msg_id)
{
    unsigned n = 0;
    for (uint32_t i = 0; t->inflight && i < t->eng->slots_per_term; i++)
        n += t->slots[i].msg_id == msg_id;
    return n;
}

void sim_term_expire(sim_term *t, uint32_t now_us)
{
    for (uint32_t i = 0; t->inflight && i < t->eng->slots_per_term; i++) {
        sim_inflight *s = &t->slots[i];
        if (s->msg_id && now_us - s->sent_us > t->eng->ack_timeout_us) {
            s->msg_id = 0;
            t->inflight--;
            t->eng->inflight--;
            sim_engine_error(t->eng, SIM_E_ack_timeout);
        }
    }
}

/* ---- receiving --------------------------------------------------------------------------- */

static void handle_frame(sim_term *t, uint8_t *frame, size_t len)
{
    jt_frame f;
    if (jt_frame_parse(frame, len, &f) != JT_OK) {
        sim_engine_error(t->eng, SIM_E_bad_frame);
        return;
    }
    sim_session_frame(t, &f);
}

/* Keep the bytes of a frame split across reads for the next read. */
static void keep_tail(sim_term *t, const uint8_t *p, size_t n)
{
    if (n > JT_MAX_ESCAPED_FRAME) {
        sim_engine_error(t->eng, SIM_E_bad_frame);
        n = 0;
        t->scan = (jt_scan_state){0};
    }
    uint8_t *dst = t->rx_tail;
    if (n > SIM_RX_INLINE) {
        if (!t->rx_big && !(t->rx_big = malloc(JT_MAX_ESCAPED_FRAME))) {
            sim_term_drop(t, SIM_E_closed);
            return;
        }
        dst = t->rx_big;
    }
    memmove(dst, p, n);
    t->rx_len = (uint16_t)n;
}

static void read_frames(sim_term *t)
{
    sim_engine *e = t->eng;
    size_t len = t->rx_len;
    memcpy(e->rx, len > SIM_RX_INLINE ? t->rx_big : t->rx_tail, len);
    ssize_t n = recv(t->fd, e->rx + len, SIM_RX_SCRATCH, 0);
    if (n <= 0) {
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
            sim_term_drop(t, SIM_E_closed);
        return;
    }
    sim_engine_count(e, SIM_C_bytes_in, (uint64_t)n);
    len += (size_t)n;
    size_t off = 0;
    while (off < len && t->fd >= 0) {
        jt_scan_result r = jt_scan(&t->scan, e->rx + off, len - off, JT_MAX_ESCAPED_FRAME);
        if (r.kind == JT_SCAN_FRAME)
            handle_frame(t, r.frame, r.frame_len);
        else if (r.kind == JT_SCAN_OVERSIZE)
            sim_engine_error(e, SIM_E_bad_frame);
        off += r.consumed;
        if (r.kind == JT_SCAN_NEED_MORE || r.consumed == 0)
            break;
    }
    if (t->fd >= 0)
        keep_tail(t, e->rx + off, len - off);
}

static void on_io(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    sim_term *t = arg;
    if ((what & EV_WRITE) && t->spill_len)
        flush_spill(t);
    if ((what & EV_READ) && t->fd >= 0) {
        cork(t);
        read_frames(t);
        uncork(t);
    }
}
