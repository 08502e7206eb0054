/* downlink.c - commands to terminals (fw_server_send*): routed to the worker owning the terminal's
 * connection, sent with the connection's next platform serial, matched with the terminal's 0x0001
 * (serial and message id) and completed exactly once: answered, timed out, connection closed, or
 * not sent.
 *
 * The caller's thread looks the terminal up in the session map and posts the command to the owning
 * worker; from then on only that worker touches it. Outstanding commands are a short list per
 * worker (commands are rare next to uplink traffic).
 */
#include <stdlib.h>
#include <string.h>

#include "fw/codec/jt_encode.h"
#include "worker.h"

struct fw_downlink {
    fw_downlink *next;
    fw_conn_ref ref;
    uint64_t deadline_us;
    uint32_t timeout_ms;
    uint16_t msg_id;
    uint16_t serial;
    bool is_text; /* body holds NUL-terminated UTF-8 for a 0x8300 */
    uint8_t text_flags;
    fw_downlink_cb cb;
    void *ctx;
    size_t body_len;
    uint8_t body[];
};

static void complete(fw_downlink *d, fw_downlink_status st, uint8_t result)
{
    if (d->cb)
        d->cb(d->ctx, st, result, st == FW_DL_NOT_SENT ? 0 : d->serial);
    free(d);
}

static int post(fw_server *s, const char *phone, fw_downlink *d)
{
    fw_conn_ref ref;
    if (!fw_sessions_find(s->sessions, phone, &ref) || ref.worker >= s->nworkers) {
        free(d);
        return -1;
    }
    wmsg *m = calloc(1, sizeof *m);
    if (!m) {
        free(d);
        return -1;
    }
    d->ref = ref;
    m->kind = WMSG_DOWNLINK;
    m->downlink = d;
    worker_post(s->workers[ref.worker], m);
    return 0;
}

static fw_downlink *make(uint16_t msg_id, const void *body, size_t len, uint32_t timeout_ms,
                         fw_downlink_cb cb, void *ctx)
{
    fw_downlink *d = calloc(1, sizeof *d + len);
    if (!d)
        return NULL;
    d->msg_id = msg_id;
    d->timeout_ms = timeout_ms;
    d->cb = cb;
    d->ctx = ctx;
    d->body_len = len;
    if (len)
        memcpy(d->body, body, len);
    return d;
}

int fw_server_send(fw_server *s, const char *phone, uint16_t msg_id, const uint8_t *body,
                   size_t body_len, uint32_t timeout_ms, fw_downlink_cb cb, void *ctx)
{
    if (body_len > JT_MAX_BODY)
        return -1;
    fw_downlink *d = make(msg_id, body, body_len, timeout_ms, cb, ctx);
    return d ? post(s, phone, d) : -1;
}

int fw_server_send_text(fw_server *s, const char *phone, uint8_t flags, const char *utf8,
                        uint32_t timeout_ms, fw_downlink_cb cb, void *ctx)
{
    size_t len = strlen(utf8);
    if (len > 4 * JT_MAX_BODY)
        return -1;
    fw_downlink *d = make(JT_MSG_TEXT, utf8, len + 1, timeout_ms, cb, ctx);
    if (!d)
        return -1;
    d->is_text = true;
    d->text_flags = flags;
    return post(s, phone, d);
}

/* The body to send, for the connection's protocol version. */
static bool encode(fw_worker *w, const fw_conn *c, const fw_downlink *d, const uint8_t **body,
                   size_t *len)
{
    if (!d->is_text) {
        *body = d->body;
        *len = d->body_len;
        return true;
    }
    *body = w->body_scratch;
    return jt_enc_text(c->v2019 ? JT_V2019 : JT_V2013, d->text_flags, 1, (const char *)d->body,
                       w->body_scratch, sizeof w->body_scratch, len) == JT_OK;
}

void downlink_deliver(fw_worker *w, fw_downlink *d)
{
    fw_conn *c = worker_conn(w, d->ref.slot, d->ref.gen);
    const uint8_t *body;
    size_t len;
    int serial = -1;
    if (c && c->state == CONN_AUTHED && encode(w, c, d, &body, &len))
        serial = reply_send(c, d->msg_id, body, len);
    if (serial < 0) {
        complete(d, FW_DL_NOT_SENT, 0);
        return;
    }
    d->serial = (uint16_t)serial;
    d->deadline_us = w->now_us + (uint64_t)d->timeout_ms * 1000u;
    fw_downlink **tail = &w->downlinks;
    while (*tail)
        tail = &(*tail)->next;
    *tail = d;
    fw_counter_add(&w->metrics.downlink_sent, 1);
}

static bool same_conn(fw_conn_ref r, const fw_conn *c)
{
    return r.slot == c->slot && r.gen == c->gen;
}

void downlink_answer(fw_conn *c, uint16_t serial, uint16_t msg_id, uint8_t result)
{
    fw_worker *w = c->w;
    for (fw_downlink **link = &w->downlinks; *link; link = &(*link)->next) {
        fw_downlink *d = *link;
        if (same_conn(d->ref, c) && d->serial == serial && d->msg_id == msg_id) {
            *link = d->next;
            fw_counter_add(&w->metrics.downlink_answered, 1);
            complete(d, FW_DL_ANSWERED, result);
            return;
        }
    }
}

/* Complete and unlink every command for which pick() is true. */
static void complete_where(fw_worker *w, bool (*pick)(const fw_downlink *, const void *),
                           const void *arg, fw_downlink_status st)
{
    fw_downlink **link = &w->downlinks;
    while (*link) {
        fw_downlink *d = *link;
        if (!pick(d, arg)) {
            link = &d->next;
            continue;
        }
        *link = d->next;
        if (st == FW_DL_TIMEOUT)
            worker_count_error(w, FW_SERR_DOWNLINK_TIMEOUT);
        complete(d, st, 0);
    }
}

static bool expired(const fw_downlink *d, const void *now_us)
{
    return d->deadline_us <= *(const uint64_t *)now_us;
}

static bool of_conn(const fw_downlink *d, const void *c)
{
    return !c || same_conn(d->ref, c);
}

void downlink_tick(fw_worker *w)
{
    complete_where(w, expired, &w->now_us, FW_DL_TIMEOUT);
}

void downlink_cancel(fw_worker *w, const fw_conn *c)
{
    complete_where(w, of_conn, c, FW_DL_CLOSED);
}
