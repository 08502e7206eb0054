/* session.c - registration (0x0100 -> 0x8100), authentication (0x0102 -> 0x8001), deregistration
 * (0x0003) and the replacement of an older connection of the same terminal.
 *
 * Registration: the registry must bind the phone to the plate, plate colour and device sent
 * (identity.h). A match gets a fresh random code (authcode.h) whose digest the authority
 * (authority.h) stores; the 0x8100 with the code goes out only once it is stored. Every refusal
 * answers result 4 ("no such terminal"), whatever the reason, so the reply tells a prober nothing;
 * the reason is logged and counted (fleetwatch_registrations_total). Authentication: the digest of
 * the code sent must equal the one granted to the phone (constant-time). Failures of either count
 * against the phone and the source address (backoff.h): past the limits, both are refused without a
 * look until their shut-out ends. Deregistration revokes the terminal's grant. Refusals close the
 * connection once the reply is flushed.
 *
 * While an external authority (Redis) cannot be reached, an authentication is checked against the
 * digests it granted or confirmed on this node before (auth_cache), so terminals that reconnect
 * during a Redis outage keep working; a registration is refused then (its code must be where every
 * node finds it).
 *
 * The authority may answer later (Redis): until it does, the connection stops reading
 * (CONN_AUTH_WAIT), so frames behind the 0x0100/0x0102 are handled in order afterwards. The request
 * remembers the connection by name (slot, generation), so an answer for a connection closed
 * meanwhile finds nothing and is dropped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "fw/codec/jt_encode.h"
#include "fw/base/log.h"
#include "identity.h"
#include "worker.h"

/* One 0x0100, 0x0102 or 0x0003 waiting for the authority. */
typedef struct {
    fw_worker *w;
    fw_conn_ref ref;
    jt_frame hdr;                    /* the request's header (serial, message id, phone, version) */
    uint8_t phone_raw[10];           /* hdr.phone_raw points here */
    char code[FW_AUTH_CODE_LEN + 1]; /* 0x0100: the code to send once granted */
    uint8_t digest[FW_AUTH_DIGEST_LEN]; /* 0x0102: digest of the code sent */
    char addr[FW_AUTH_ADDR_MAX];
} auth_wait;

static auth_wait *wait_begin(fw_conn *c, const jt_frame *f)
{
    auth_wait *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    q->w = c->w;
    q->ref = conn_ref(c);
    q->hdr = *f;
    q->hdr.body = NULL;
    q->hdr.body_avail = 0;
    memcpy(q->phone_raw, f->phone_raw, f->phone_raw_len);
    q->hdr.phone_raw = q->phone_raw;
    conn_peer(c, q->addr);
    c->flags |= CONN_AUTH_WAIT;
    return q;
}

/* The waiting connection, or NULL when it closed meanwhile. Reading resumes (unless the answer came
 * inside the handler: the read loop then simply goes on). */
static fw_conn *wait_end(auth_wait *q)
{
    fw_conn *c = worker_conn(q->w, q->ref.slot, q->ref.gen);
    if (!c)
        return NULL;
    c->flags &= (uint16_t)~CONN_AUTH_WAIT;
    if (c->state == CONN_CLOSING)
        return NULL;
    if (!(c->flags & CONN_IN_READ))
        input_resume(c);
    return c;
}

static void wait_free(auth_wait *q)
{
    OPENSSL_cleanse(q->code, sizeof q->code);
    free(q);
}

/* ---- failures and shut-outs -------------------------------------------------------------- */

/* Only the host part of "address:port" (a new connection always has a new port). */
static size_t host_len(const char *addr)
{
    const char *colon = strrchr(addr, ':');
    return colon ? (size_t)(colon - addr) : strlen(addr);
}

static void host_of(const char *addr, char out[FW_AUTH_ADDR_MAX])
{
    snprintf(out, FW_AUTH_ADDR_MAX, "%.*s", (int)host_len(addr), addr);
}

static bool shut_out(fw_worker *w, const char *phone, const char *addr)
{
    char host[FW_AUTH_ADDR_MAX];
    host_of(addr, host);
    return fw_backoff_wait(w->srv->fail_by_phone, phone, w->now_s) ||
           fw_backoff_wait(w->srv->fail_by_addr, host, w->now_s);
}

/* Count a failure of phone from addr. */
static void failed_attempt(fw_worker *w, const char *phone, const char *addr)
{
    char host[FW_AUTH_ADDR_MAX];
    host_of(addr, host);
    unsigned by_phone = fw_backoff_fail(w->srv->fail_by_phone, phone, w->now_s);
    unsigned by_addr = fw_backoff_fail(w->srv->fail_by_addr, host, w->now_s);
    static fw_log_limit lim;
    if (by_phone || by_addr)
        fw_log_limited(&lim, FW_LOG_WARN,
                       "shut out after repeated failures: phone %s for %u s, "
                       "address %s for %u s",
                       phone, by_phone, host, by_addr);
}

/* ---- registration ------------------------------------------------------------------------ */

static void refuse_registration(fw_conn *c, const jt_frame *f, fw_identity_verdict verdict,
                                const char *addr)
{
    fw_worker *w = c->w;
    static fw_log_limit lim;
    fw_counter_add(&w->metrics.registrations[verdict], 1);
    worker_count_error(w, verdict == FW_IDENTITY_BACKOFF ? FW_SERR_AUTH_BACKOFF
                                                         : FW_SERR_REGISTER_REFUSED);
    fw_log_limited(&lim, FW_LOG_WARN, "registration refused: phone %s from %s: %s", f->phone, addr,
                   fw_identity_verdict_name(verdict));
    if (verdict != FW_IDENTITY_BACKOFF)
        failed_attempt(w, f->phone, addr);
    size_t len;
    if (jt_enc_register_reply(f->serial, JT_REG_NO_TERMINAL, "", w->body_scratch,
                              sizeof w->body_scratch, &len) == JT_OK)
        reply_to(c, f, JT_MSG_REGISTER_REPLY, w->body_scratch, len);
    conn_close(c, FW_CLOSE_REFUSED);
}

static void on_granted(void *cookie, int status, const uint8_t *digest)
{
    (void)digest;
    auth_wait *q = cookie;
    fw_conn *c = wait_end(q);
    fw_worker *w = q->w;
    if (status == FW_AUTHORITY_OK && w->srv->auth_cache) {
        uint8_t granted[FW_AUTH_DIGEST_LEN];
        fw_auth_digest((const uint8_t *)q->code, FW_AUTH_CODE_LEN, granted);
        fw_auth_table_put(w->srv->auth_cache, q->hdr.phone, granted);
    }
    if (c && status == FW_AUTHORITY_OK) {
        size_t len;
        fw_counter_add(&w->metrics.registrations[FW_IDENTITY_OK], 1);
        fw_backoff_clear(w->srv->fail_by_phone, q->hdr.phone);
        FW_LOG_INFO("registered: phone %s from %s", q->hdr.phone, q->addr);
        if (jt_enc_register_reply(q->hdr.serial, JT_REG_OK, q->code, w->body_scratch,
                                  sizeof w->body_scratch, &len) == JT_OK)
            reply_to(c, &q->hdr, JT_MSG_REGISTER_REPLY, w->body_scratch, len);
    } else if (c) {
        static fw_log_limit lim;
        fw_counter_add(&w->metrics.registrations[FW_IDENTITY_NO_AUTHORITY], 1);
        worker_count_error(w, FW_SERR_AUTHORITY_FAILED);
        fw_log_limited(&lim, FW_LOG_WARN,
                       "registration of phone %s not answered: the "
                       "authority could not store its code",
                       q->hdr.phone);
        conn_close(c, FW_CLOSE_REFUSED); /* no reply: the terminal registers again later */
    }
    wait_free(q);
}

/* The terminal id as printable text for the grant's record. */
static void printable(jt_bytes b, char out[FW_TERMINAL_ID_MAX + 1])
{
    size_t n = b.len < FW_TERMINAL_ID_MAX ? b.len : FW_TERMINAL_ID_MAX;
    while (n && (b.p[n - 1] == '\0' || b.p[n - 1] == ' '))
        n--;
    for (size_t i = 0; i < n; i++)
        out[i] = b.p[i] > 0x20 && b.p[i] < 0x7f ? (char)b.p[i] : '?';
    out[n] = '\0';
}

static void grant_code(fw_conn *c, const jt_frame *f, const jt_register *reg)
{
    fw_worker *w = c->w;
    auth_wait *q = wait_begin(c, f);
    if (!q || fw_auth_code_new(q->code) < 0) {
        if (q)
            wait_end(q), wait_free(q);
        conn_abort(c, FW_CLOSE_ERROR);
        return;
    }
    char terminal_id[FW_TERMINAL_ID_MAX + 1];
    printable(reg->terminal_id, terminal_id);
    fw_auth_grant g = {
        .phone = f->phone, .issued_ms = w->wall_ms, .terminal_id = terminal_id, .address = q->addr};
    fw_auth_digest((const uint8_t *)q->code, FW_AUTH_CODE_LEN, g.digest);
    if (w->authority->ops->grant(w->authority, &g, on_granted, q) < 0)
        on_granted(q, FW_AUTHORITY_FAILED, NULL);
}

void session_register(fw_conn *c, const jt_frame *f, const jt_body *b)
{
    fw_worker *w = c->w;
    char addr[FW_AUTH_ADDR_MAX];
    conn_peer(c, addr);
    fw_identity_verdict verdict;
    if (shut_out(w, f->phone, addr))
        verdict = FW_IDENTITY_BACKOFF;
    else if (c->state == CONN_AUTHED && !conn_authed_for(c, f))
        verdict = FW_IDENTITY_OTHER_PHONE;
    else
        verdict = fw_identity_check(fw_registry_by_phone(w->registry, f->phone), &b->u.reg);
    if (verdict != FW_IDENTITY_OK)
        refuse_registration(c, f, verdict, addr);
    else
        grant_code(c, f, &b->u.reg);
}

/* ---- authentication ---------------------------------------------------------------------- */

void session_replaced(fw_conn *prev, const char *phone, const char *new_addr)
{
    char old_addr[FW_AUTH_ADDR_MAX];
    conn_peer(prev, old_addr);
    size_t n = host_len(old_addr);
    if (n != host_len(new_addr) || memcmp(old_addr, new_addr, n) != 0) {
        static fw_log_limit lim;
        worker_count_error(prev->w, FW_SERR_SESSION_MOVED);
        fw_log_limited(&lim, FW_LOG_WARN,
                       "session of phone %s taken over from %s by %s "
                       "(another address: a moved terminal, or a cloned SIM)",
                       phone, old_addr, new_addr);
    }
    conn_close(prev, FW_CLOSE_REPLACED);
}

/* Close the connection that held this terminal's session before c. */
static void replace_old(fw_worker *w, fw_conn_ref old, const char *phone, const char *addr)
{
    if (old.worker == w->idx) {
        fw_conn *prev = worker_conn(w, old.slot, old.gen);
        if (prev)
            session_replaced(prev, phone, addr);
        return;
    }
    wmsg *m = calloc(1, sizeof *m);
    if (!m)
        return;
    m->kind = WMSG_CLOSE;
    m->reason = FW_CLOSE_REPLACED;
    m->ref = old;
    snprintf(m->phone, sizeof m->phone, "%s", phone);
    snprintf(m->addr, sizeof m->addr, "%s", addr);
    worker_post(w->srv->workers[old.worker], m);
}

static void auth_ok(fw_conn *c, const auth_wait *q)
{
    fw_worker *w = c->w;
    fw_backoff_clear(w->srv->fail_by_phone, q->hdr.phone);
    if (!conn_authed_for(c, &q->hdr)) {
        session_end(c); /* authenticated before as another phone */
        memcpy(c->phone_raw, q->phone_raw, q->hdr.phone_raw_len);
        c->phone_raw_len = q->hdr.phone_raw_len;
        fw_conn_ref old;
        int claimed = fw_sessions_claim(w->srv->sessions, q->hdr.phone, conn_ref(c), &old);
        if (claimed < 0) {
            reply_ack_to(c, &q->hdr, JT_RESULT_FAIL);
            return;
        }
        if (claimed == 1)
            replace_old(w, old, q->hdr.phone, q->addr);
        c->state = CONN_AUTHED;
        fw_counter_add(&w->metrics.sessions_started, 1);
    }
    reply_ack_to(c, &q->hdr, JT_RESULT_OK);
}

static void auth_refused(fw_conn *c, const jt_frame *f, const char *addr, fw_server_error why)
{
    static fw_log_limit lim;
    worker_count_error(c->w, why);
    fw_log_limited(&lim, FW_LOG_WARN, "authentication refused: phone %s from %s: %s", f->phone,
                   addr, fw_server_error_name(why));
    if (why == FW_SERR_AUTH_FAILED)
        failed_attempt(c->w, f->phone, addr);
    reply_ack_to(c, f, JT_RESULT_FAIL);
    conn_close(c, FW_CLOSE_REFUSED);
}

/* Keep the cache in step with what the authority said; while it cannot answer, the cached digest
 * stands in for it (granted points to it then, NULL when none). */
static int consult_cache(fw_server *s, const char *phone, int status, const uint8_t **granted,
                         uint8_t cached[FW_AUTH_DIGEST_LEN])
{
    if (!s->auth_cache)
        return status;
    if (status == FW_AUTHORITY_OK)
        fw_auth_table_put(s->auth_cache, phone, *granted);
    else if (status == FW_AUTHORITY_NONE)
        fw_auth_table_remove(s->auth_cache, phone);
    else if (fw_auth_table_get(s->auth_cache, phone, cached)) {
        static fw_log_limit lim;
        fw_log_limited(&lim, FW_LOG_WARN,
                       "authority unreachable: phone %s checked against this node's cache", phone);
        *granted = cached;
        return FW_AUTHORITY_OK;
    }
    return status;
}

static void on_looked_up(void *cookie, int status, const uint8_t *granted)
{
    auth_wait *q = cookie;
    fw_conn *c = wait_end(q);
    uint8_t cached[FW_AUTH_DIGEST_LEN];
    status = consult_cache(q->w->srv, q->hdr.phone, status, &granted, cached);
    if (c && status == FW_AUTHORITY_OK && fw_auth_digest_equal(granted, q->digest))
        auth_ok(c, q);
    else if (c)
        auth_refused(c, &q->hdr, q->addr,
                     status == FW_AUTHORITY_FAILED ? FW_SERR_AUTHORITY_FAILED
                                                   : FW_SERR_AUTH_FAILED);
    wait_free(q);
}

void session_auth(fw_conn *c, const jt_frame *f, const jt_body *b)
{
    fw_worker *w = c->w;
    char addr[FW_AUTH_ADDR_MAX];
    conn_peer(c, addr);
    if (shut_out(w, f->phone, addr)) {
        auth_refused(c, f, addr, FW_SERR_AUTH_BACKOFF);
        return;
    }
    if (!fw_registry_by_phone(w->registry, f->phone)) {
        auth_refused(c, f, addr, FW_SERR_AUTH_FAILED);
        return;
    }
    auth_wait *q = wait_begin(c, f);
    if (!q) {
        conn_abort(c, FW_CLOSE_ERROR);
        return;
    }
    fw_auth_digest(b->u.auth.code.p, b->u.auth.code.len, q->digest);
    if (w->authority->ops->lookup(w->authority, f->phone, on_looked_up, q) < 0)
        on_looked_up(q, FW_AUTHORITY_FAILED, NULL);
}

/* ---- deregistration ---------------------------------------------------------------------- */

static void on_revoked(void *cookie, int status, const uint8_t *digest)
{
    (void)digest;
    auth_wait *q = cookie;
    fw_conn *c = wait_end(q);
    bool done = status != FW_AUTHORITY_FAILED;
    if (q->w->srv->auth_cache)
        fw_auth_table_remove(q->w->srv->auth_cache, q->hdr.phone);
    if (done)
        fw_counter_add(&q->w->metrics.revocations, 1);
    FW_LOG_INFO("deregistered: phone %s from %s%s", q->hdr.phone, q->addr,
                done ? "" : " (the authority could not revoke its code)");
    if (c) {
        reply_ack_to(c, &q->hdr, done ? JT_RESULT_OK : JT_RESULT_FAIL);
        conn_close(c, FW_CLOSE_LOGOUT);
    }
    wait_free(q);
}

void session_logout(fw_conn *c, const jt_frame *f, const jt_body *b)
{
    (void)b;
    fw_worker *w = c->w;
    if (!conn_authed_for(c, f)) { /* only the terminal itself may give up its code */
        reply_ack_to(c, f, JT_RESULT_FAIL);
        conn_close(c, FW_CLOSE_LOGOUT);
        return;
    }
    auth_wait *q = wait_begin(c, f);
    if (!q) {
        conn_abort(c, FW_CLOSE_ERROR);
        return;
    }
    if (w->authority->ops->revoke(w->authority, f->phone, on_revoked, q) < 0)
        on_revoked(q, FW_AUTHORITY_FAILED, NULL);
}

bool session_end(fw_conn *c)
{
    if (c->state != CONN_AUTHED)
        return false;
    char phone[JT_PHONE_MAX_DIGITS + 1];
    conn_phone(c, phone);
    bool held = fw_sessions_release(c->w->srv->sessions, phone, conn_ref(c));
    fw_counter_add(&c->w->metrics.sessions_ended, 1);
    c->state = CONN_OPEN;
    return held;
}

bool fw_server_end_session(fw_server *s, const char *phone)
{
    if (s->auth_cache)
        fw_auth_table_remove(s->auth_cache, phone); /* revoked: not even during an outage */
    fw_conn_ref ref;
    if (!fw_sessions_find(s->sessions, phone, &ref) || ref.worker >= s->nworkers)
        return false;
    wmsg *m = calloc(1, sizeof *m);
    if (!m)
        return false;
    m->kind = WMSG_CLOSE;
    m->reason = FW_CLOSE_REVOKED;
    m->ref = ref;
    worker_post(s->workers[ref.worker], m);
    return true;
}
