/* dispatch.c - one frame from parse to handler: damaged-frame policy, authentication gate, body
 * decoding, the handler table, and the standard 0x8001 for everything without its own reply
 * (decoded messages without a handler go to hooks->on_other_message first).
 *
 * The gate (require_auth): before a connection is authenticated as the frame's sender, only
 * registration and authentication (whole or as sub-packages) and the first preauth_max_heartbeats
 * heartbeats get through; anything else is answered with result 1 and counted (unauthenticated).
 *
 * Result codes of the 0x8001 (docs/operations.md, "Acks"): 0 handled; 1 refused (before
 * authentication, sink failure); 2 message error (damaged frame under the default policy, body that
 * does not decode); 3 unsupported (message id without a decoder, a platform id sent by a terminal,
 * an encrypted body). A terminal's own 0x0001 is never acked.
 */
#include <string.h>
#include <time.h>

#include "fw/codec/jt_encode.h"
#include "worker.h"

typedef void (*msg_handler_fn)(fw_conn *c, const jt_frame *f, const jt_body *b);

/* What a message may do before authentication when require_auth is on. */
typedef enum {
    PREAUTH_REFUSED, /* answered with result 1 */
    PREAUTH_ALLOWED, /* handled */
    PREAUTH_COUNTED, /* handled preauth_max_heartbeats times per connection, then refused */
} preauth_rule;

typedef struct {
    uint16_t msg_id;
    msg_handler_fn fn;
    preauth_rule before_auth;
} msg_handler;

static void on_term_ack(fw_conn *c, const jt_frame *f, const jt_body *b);
static void on_heartbeat(fw_conn *c, const jt_frame *f, const jt_body *b);
static void on_query_time(fw_conn *c, const jt_frame *f, const jt_body *b);

static const msg_handler handlers[] = {
    {JT_MSG_TERM_ACK, on_term_ack, PREAUTH_REFUSED},
    {JT_MSG_HEARTBEAT, on_heartbeat, PREAUTH_COUNTED},
    {JT_MSG_LOGOUT, session_logout, PREAUTH_REFUSED},
    {JT_MSG_QUERY_TIME, on_query_time, PREAUTH_REFUSED},
    {JT_MSG_REGISTER, session_register, PREAUTH_ALLOWED},
    {JT_MSG_AUTH, session_auth, PREAUTH_ALLOWED},
    {JT_MSG_LOCATION, location_single, PREAUTH_REFUSED},
    {JT_MSG_LOCATION_REPLY, location_reply, PREAUTH_REFUSED},
    {JT_MSG_LOCATION_BATCH, location_batch, PREAUTH_REFUSED},
};

static const msg_handler *find_handler(uint16_t msg_id)
{
    for (size_t i = 0; i < sizeof handlers / sizeof handlers[0]; i++)
        if (handlers[i].msg_id == msg_id)
            return &handlers[i];
    return NULL;
}

static void on_term_ack(fw_conn *c, const jt_frame *f, const jt_body *b)
{
    (void)f;
    downlink_answer(c, b->u.ack.reply_serial, b->u.ack.reply_id, b->u.ack.result);
}

static void on_heartbeat(fw_conn *c, const jt_frame *f, const jt_body *b)
{
    (void)b;
    reply_ack_to(c, f, JT_RESULT_OK);
}

static void on_query_time(fw_conn *c, const jt_frame *f, const jt_body *b)
{
    (void)b;
    size_t len;
    if (jt_enc_server_time((int64_t)time(NULL), c->w->body_scratch, sizeof c->w->body_scratch,
                           &len) == JT_OK)
        reply_to(c, f, JT_MSG_SERVER_TIME, c->w->body_scratch, len);
}

/* A decoded message without a handler here: to the service (hooks->on_other_message). */
static void pass_on(fw_conn *c, const jt_frame *f, const jt_body *b)
{
    fw_worker *w = c->w;
    const fw_server_hooks *hooks = &w->srv->hooks;
    if (!hooks->on_other_message)
        return;
    fw_message_rec rec = {.phone = f->phone,
                          .vehicle = fw_registry_by_phone(w->registry, f->phone),
                          .worker = w->idx,
                          .msg_id = f->msg_id,
                          .serial = f->serial,
                          .version = f->version,
                          .body = b};
    hooks->on_other_message(hooks->other_message_ctx, &rec);
}

/* Result code for a body that did not decode. */
static uint8_t decode_failure_result(fw_worker *w, jt_err e)
{
    fw_counter_add(&w->metrics.codec_errors[e], 1);
    bool unsupported = e == JT_ERR_UNSUPPORTED || e == JT_ERR_ENCRYPTED;
    worker_count_error(w, unsupported ? FW_SERR_UNSUPPORTED : FW_SERR_BAD_BODY);
    return unsupported ? JT_RESULT_UNSUPPORTED : JT_RESULT_MSG_ERROR;
}

/* The authentication gate (top comment): true when frame f (a whole message or one packet of it)
 * may be handled; otherwise it has been refused. */
static bool admitted(fw_conn *c, const jt_frame *f)
{
    fw_worker *w = c->w;
    if (!w->srv->cfg.require_auth || conn_authed_for(c, f))
        return true;
    const msg_handler *h = find_handler(f->msg_id);
    preauth_rule rule = h ? h->before_auth : PREAUTH_REFUSED;
    if (rule == PREAUTH_ALLOWED)
        return true;
    if (rule == PREAUTH_COUNTED && !f->subpkg &&
        c->preauth_heartbeats < w->srv->cfg.preauth_max_heartbeats) {
        c->preauth_heartbeats++;
        return true;
    }
    worker_count_error(w, FW_SERR_UNAUTHENTICATED);
    if (f->msg_id != JT_MSG_TERM_ACK)
        reply_ack_to(c, f, JT_RESULT_FAIL);
    return false;
}

static void dispatch_message(fw_conn *c, const jt_frame *f)
{
    fw_worker *w = c->w;
    const msg_handler *h = find_handler(f->msg_id);
    bool acked = f->msg_id != JT_MSG_TERM_ACK;
    jt_body b;
    jt_err e = (f->msg_id & 0x8000) ? JT_ERR_UNSUPPORTED : jt_decode_body(f, &b);
    if (e != JT_OK) {
        uint8_t result = decode_failure_result(w, e);
        if (acked)
            reply_ack_to(c, f, result);
    } else if (h) {
        h->fn(c, f, &b);
    } else {
        pass_on(c, f, &b);
        reply_ack_to(c, f, JT_RESULT_OK);
    }
}

/* A sound (or accepted) frame: reset the garbage counters, remember who sent it. */
static void frame_accepted(fw_conn *c, const jt_frame *f)
{
    c->bad_frames = 0;
    if (c->state == CONN_NEW)
        c->state = CONN_OPEN;
    if (c->state != CONN_AUTHED) {
        memcpy(c->phone_raw, f->phone_raw, f->phone_raw_len);
        c->phone_raw_len = f->phone_raw_len;
        c->v2019 = f->version == JT_V2019;
        c->proto_version = f->proto_version;
    }
    fw_counter_add(&c->w->metrics.frames_by_msg[fw_metrics_msg_slot(f->msg_id)], 1);
}

/* Check code or length wrong: apply the configured policy. True when it is to be processed. */
static bool damaged_frame(fw_conn *c, const jt_frame *f)
{
    worker_count_error(c->w, FW_SERR_DAMAGED_FRAME);
    switch (c->w->srv->cfg.damaged_frames) {
    case FW_DAMAGED_ACCEPT:
        return true;
    case FW_DAMAGED_REJECT:
        if (f->msg_id != JT_MSG_TERM_ACK)
            reply_ack_to(c, f, JT_RESULT_MSG_ERROR);
        break;
    case FW_DAMAGED_DROP:
        break;
    }
    conn_bad_frame(c);
    return false;
}

void dispatch_frame(fw_conn *c, uint8_t *frame, size_t len)
{
    jt_frame f;
    jt_err e = jt_frame_parse(frame, len, &f);
    if (e != JT_OK) {
        fw_counter_add(&c->w->metrics.codec_errors[e], 1);
        bool readable = e == JT_ERR_CHECKSUM || e == JT_ERR_LENGTH_MISMATCH;
        if (!readable) {
            conn_bad_input(c, len, 0);
            conn_bad_frame(c);
            return;
        }
        if (!damaged_frame(c, &f))
            return;
    }
    frame_accepted(c, &f);
    if (!admitted(c, &f))
        return;
    jt_frame whole;
    if (!f.subpkg)
        dispatch_message(c, &f);
    else if (subpkg_add(c, &f, &whole))
        dispatch_message(c, &whole);
}
