/* subpkg.c - sub-packaged messages: each worker's reassembler (jt_subpkg), the 0x8001 for each
 * packet, and 0x8003 resend requests from the once-a-second poll.
 *
 * Every packet but the completing one is acked (0x8001, result 0) as it arrives. The packet that
 * completes a message is not acked by itself: the whole message is dispatched with that packet's
 * serial, so its ack is the message's own (e.g. sent after its locations are stored). A reassembled
 * body longer than a frame header can describe (64 KiB) is acked and not decoded. Bounds (messages
 * in progress, bytes held) are per worker (subpkg_max_msgs, subpkg_max_bytes); a packet beyond them
 * is refused with result 1. One terminal has at most subpkg_max_per_terminal messages in progress:
 * starting another evicts its oldest (counted as subpkg_evicted), so it cannot starve the others.
 *
 * Before authentication (with require_auth; only 0x0100 and 0x0102 get here, dispatch.c) packets go
 * to a second, smaller reassembler of the worker, so phones claimed by unauthenticated connections
 * never touch the messages of authenticated terminals.
 */
#include <string.h>

#include "fw/codec/jt_encode.h"
#include "fw/base/log.h"
#include "worker.h"

static uint64_t worker_ms(const fw_worker *w)
{
    return w->now_us / 1000u;
}

/* Count (and log) the messages the reassembler evicted during the last add. */
static void count_evictions(fw_worker *w, const jt_subpkg *sp, uint64_t before, const char *phone)
{
    uint64_t evicted = jt_subpkg_evicted(sp) - before;
    if (!evicted)
        return;
    static fw_log_limit lim;
    fw_counter_add(&w->metrics.server_errors[FW_SERR_SUBPKG_EVICTED], evicted);
    fw_log_limited(&lim, FW_LOG_WARN,
                   "worker %u: phone %s started more than subpkg_max_per_terminal sub-packaged "
                   "messages: its oldest was dropped",
                   w->idx, phone);
}

bool subpkg_add(fw_conn *c, const jt_frame *f, jt_frame *whole)
{
    fw_worker *w = c->w;
    bool preauth = w->srv->cfg.require_auth && !conn_authed_for(c, f);
    jt_subpkg *sp = preauth ? w->subpkg_preauth : w->subpkg;
    c->flags |= preauth ? CONN_HAS_PREAUTH_SUBPKG : CONN_HAS_SUBPKG;
    jt_subpkg_msg m;
    bool done = false;
    uint64_t evicted = jt_subpkg_evicted(sp);
    jt_err e = jt_subpkg_add(sp, f, worker_ms(w), &m, &done);
    count_evictions(w, sp, evicted, f->phone);
    if (e != JT_OK) {
        static fw_log_limit lim;
        fw_counter_add(&w->metrics.codec_errors[e], 1);
        worker_count_error(w, FW_SERR_SUBPKG);
        fw_log_limited(&lim, FW_LOG_INFO,
                       "worker %u: sub-package of 0x%04x from phone %s refused: %s", w->idx,
                       f->msg_id, f->phone, jt_err_name(e));
        reply_ack_to(c, f, e == JT_ERR_SUBPKG_FULL ? JT_RESULT_FAIL : JT_RESULT_MSG_ERROR);
        return false;
    }
    if (!done || m.body_len > UINT16_MAX) {
        reply_ack_to(c, f, JT_RESULT_OK);
        return false;
    }
    *whole = *f;
    whole->subpkg = false;
    whole->pkg_total = whole->pkg_index = 0;
    whole->body = m.body;
    whole->body_len = whole->body_avail = (uint16_t)m.body_len;
    return true;
}

/* The open connection on this worker whose terminal has this phone, if any. */
static fw_conn *find_by_phone(fw_worker *w, const char *phone)
{
    char p[JT_PHONE_MAX_DIGITS + 1];
    for (uint32_t i = 0; i < w->slot_cap; i++) {
        fw_conn *c = w->slots[i].conn;
        if (c && c->state != CONN_CLOSING && c->phone_raw_len) {
            conn_phone(c, p);
            if (strcmp(p, phone) == 0)
                return c;
        }
    }
    return NULL;
}

static void on_subpkg_event(void *ctx, jt_subpkg_event ev, const char *phone, uint16_t msg_id,
                            jt_version version, uint16_t first_serial, const uint16_t *missing,
                            uint16_t missing_count)
{
    (void)msg_id;
    fw_worker *w = ctx;
    if (ev == JT_SUBPKG_EXPIRED) {
        worker_count_error(w, FW_SERR_SUBPKG);
        return;
    }
    fw_conn *c = find_by_phone(w, phone);
    size_t len;
    if (c &&
        jt_enc_resend_req(version, first_serial, missing, missing_count, w->body_scratch,
                          sizeof w->body_scratch, &len) == JT_OK &&
        reply_send(c, JT_MSG_RESEND_REQ, w->body_scratch, len) >= 0)
        fw_counter_add(&w->metrics.subpkg_resend_requests, 1);
}

void subpkg_tick(fw_worker *w)
{
    jt_subpkg_poll(w->subpkg, worker_ms(w), on_subpkg_event, w);
    jt_subpkg_poll(w->subpkg_preauth, worker_ms(w), on_subpkg_event, w);
}

void subpkg_forget(fw_conn *c)
{
    if (!(c->flags & (CONN_HAS_SUBPKG | CONN_HAS_PREAUTH_SUBPKG)))
        return;
    char phone[JT_PHONE_MAX_DIGITS + 1];
    conn_phone(c, phone);
    if (c->flags & CONN_HAS_SUBPKG)
        jt_subpkg_forget(c->w->subpkg, phone);
    if (c->flags & CONN_HAS_PREAUTH_SUBPKG)
        jt_subpkg_forget(c->w->subpkg_preauth, phone);
}
