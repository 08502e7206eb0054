/* session.c - registration (0x0100 -> 0x8100), authentication (0x0102 ->
 * 0x8001), logout and the replacement of an older connection of the same
 * terminal.
 *
 * 0x8100 results (docs/operations.md, "Registration"):
 *   4 no such terminal         the phone is not in the registry
 *   2 no such vehicle          the plate sent is in no registry entry
 *   1 vehicle already taken    the plate sent belongs to another phone's entry
 *   3 terminal already registered  the registry binds the vehicle to another
 * device: its "terminal_id" differs from the terminal id sent (a second device
 * with the same SIM) 0 success                  with the auth code (authcode.h)
 * The plate is not checked when the terminal sends none, or plate colour 0 (a
 * VIN instead). Every refusal closes the connection after the reply is flushed.
 */
#include <stdlib.h>
#include <string.h>

#include "fw/jt_encode.h"
#include "fw/jt_text.h"
#include "fw/server_log.h"
#include "worker.h"

/* The registry binds the vehicle to another device than the one registering. */
static bool other_device(const jt_register *reg, const fw_vehicle *v)
{
    size_t len = strlen(v->terminal_id);
    return len && (reg->terminal_id.len != len || memcmp(reg->terminal_id.p, v->terminal_id, len));
}

static uint8_t plate_result(fw_worker *w, const jt_register *reg, const fw_vehicle *v)
{
    char plate[FW_PLATE_MAX * 2];
    size_t len;
    if (reg->plate_color == 0 || reg->plate.len == 0)
        return JT_REG_OK;
    if (jt_gbk_to_utf8(reg->plate.p, reg->plate.len, plate, sizeof plate, &len) != JT_OK)
        return JT_REG_NO_VEHICLE;
    if (strcmp(plate, v->plate) == 0)
        return JT_REG_OK;
    return fw_registry_by_plate(w->registry, plate) ? JT_REG_VEHICLE_TAKEN : JT_REG_NO_VEHICLE;
}

static uint8_t register_result(fw_conn *c, const jt_frame *f, const jt_register *reg)
{
    const fw_vehicle *v = fw_registry_by_phone(c->w->registry, f->phone);
    if (!v)
        return JT_REG_NO_TERMINAL;
    uint8_t result = plate_result(c->w, reg, v);
    if (result == JT_REG_OK && other_device(reg, v))
        result = JT_REG_TERMINAL_TAKEN;
    return result;
}

void session_register(fw_conn *c, const jt_frame *f, const jt_body *b)
{
    fw_worker *w = c->w;
    uint8_t result = register_result(c, f, &b->u.reg);
    char code[FW_AUTH_CODE_LEN + 1] = "";
    if (result == JT_REG_OK)
        fw_auth_code(&w->srv->auth_key, f->phone, code);
    size_t len;
    if (jt_enc_register_reply(f->serial, result, code, w->body_scratch, sizeof w->body_scratch,
                              &len) == JT_OK)
        reply_to(c, f, JT_MSG_REGISTER_REPLY, w->body_scratch, len);
    if (result != JT_REG_OK) {
        static fw_log_limit lim;
        fw_log_limited(&lim, FW_LOG_INFO, "register refused: phone %s result %u", f->phone, result);
        worker_count_error(w, FW_SERR_REGISTER_REFUSED);
        conn_close(c, FW_CLOSE_REFUSED);
    }
}

static bool code_matches(fw_worker *w, const jt_frame *f, const jt_auth *auth)
{
    if (!fw_registry_by_phone(w->registry, f->phone))
        return false;
    char code[FW_AUTH_CODE_LEN + 1];
    fw_auth_code(&w->srv->auth_key, f->phone, code);
    return auth->code.len == FW_AUTH_CODE_LEN && memcmp(auth->code.p, code, FW_AUTH_CODE_LEN) == 0;
}

/* Close the connection that held this terminal's session before c. */
static void replace_old(fw_worker *w, fw_conn_ref old)
{
    if (old.worker == w->idx) {
        fw_conn *prev = worker_conn(w, old.slot, old.gen);
        if (prev)
            conn_close(prev, FW_CLOSE_REPLACED);
        return;
    }
    wmsg *m = calloc(1, sizeof *m);
    if (!m)
        return;
    m->kind = WMSG_CLOSE;
    m->ref = old;
    worker_post(w->srv->workers[old.worker], m);
}

void session_auth(fw_conn *c, const jt_frame *f, const jt_body *b)
{
    fw_worker *w = c->w;
    if (!code_matches(w, f, &b->u.auth)) {
        static fw_log_limit lim;
        fw_log_limited(&lim, FW_LOG_INFO, "authentication failed: phone %s", f->phone);
        worker_count_error(w, FW_SERR_AUTH_FAILED);
        reply_ack_to(c, f, JT_RESULT_FAIL);
        conn_close(c, FW_CLOSE_REFUSED);
        return;
    }
    if (!conn_authed_for(c, f)) {
        session_end(c); /* authenticated before as another phone */
        memcpy(c->phone_raw, f->phone_raw, f->phone_raw_len);
        c->phone_raw_len = f->phone_raw_len;
        fw_conn_ref old;
        char phone[JT_PHONE_MAX_DIGITS + 1];
        conn_phone(c, phone);
        int claimed = fw_sessions_claim(w->srv->sessions, phone, conn_ref(c), &old);
        if (claimed < 0) {
            reply_ack_to(c, f, JT_RESULT_FAIL);
            return;
        }
        if (claimed == 1)
            replace_old(w, old);
        c->state = CONN_AUTHED;
        fw_counter_add(&w->metrics.sessions_started, 1);
    }
    reply_ack_to(c, f, JT_RESULT_OK);
}

void session_logout(fw_conn *c, const jt_frame *f, const jt_body *b)
{
    (void)b;
    reply_ack_to(c, f, JT_RESULT_OK);
    conn_close(c, FW_CLOSE_LOGOUT);
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
