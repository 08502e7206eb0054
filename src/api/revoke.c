/* revoke.c - POST /v1/admin/terminals/{phone}/revoke: an operator revokes a terminal's auth
 * code (a stolen or cloned SIM, a removed device). The code's digest leaves fw:auth:<phone>,
 * revoked_ms records when; the gateway then refuses the code on every node, and the
 * terminal's live session on this node is closed (hooks->end_session). A terminal connected to
 * another node keeps its session until it reconnects (docs/security.md). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api_internal.h"
#include "fw/base/authority.h"
#include "fw/base/log.h"
#include "fw/base/redis_schema.h"

typedef struct {
    api_req base;
    bool had_code;
} revoke_q;

const size_t api_revoke_state_size = sizeof(revoke_q);

static void on_revoked(api_req *r, const redisReply *rep, size_t tag)
{
    (void)tag;
    ((revoke_q *)r)->had_code = rep->type == REDIS_REPLY_INTEGER && rep->integer > 0;
}

static void answer(api_req *r)
{
    if (api_failed(r))
        return;
    fw_api *api = r->api;
    bool closed = api->hooks.end_session && api->hooks.end_session(api->hooks.end_ctx, r->phone);
    FW_LOG_INFO("api: auth code of terminal %s revoked (%s); live session %s", r->phone,
                ((revoke_q *)r)->had_code ? "it had one" : "it had none",
                closed ? "closed" : "not on this node");
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "phone", r->phone);
    cJSON_AddBoolToObject(o, "had_code", ((revoke_q *)r)->had_code);
    cJSON_AddBoolToObject(o, "session_closed", closed);
    api_reply_json(r, 200, o);
}

void api_revoke_start(api_req *r, api_query *q)
{
    (void)q;
    if (!api_valid_phone(r->arg)) {
        api_reply_error(r, 400, "expected a terminal phone (digits)", "phone");
        return;
    }
    const char *digits = r->arg + strspn(r->arg, "0");
    snprintf(r->phone, sizeof r->phone, "%s", *digits ? digits : "0");
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    long long now_ms = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    api_cmd(r, on_revoked, 0, "EVAL %s 1 " FW_KEY_AUTH "%s %lld", FW_AUTH_REVOKE_LUA, r->phone,
            now_ms);
    api_then(r, answer);
}
