/* redis_link.c - the store's Redis connection (redis_link.h): connect and AUTH / SELECT
 * through the base layer (fw/base/redis_conn.h), then SCRIPT LOAD; backoff.
 */
#include "redis_link.h"

#include <string.h>

#include <event2/event.h>

#include "fw/base/log.h"

#include "store_script.h"

static void link_connect(fw_link *l);

static void link_schedule_retry(fw_link *l)
{
    if (l->closing)
        return;
    struct timeval tv = {l->backoff_ms / 1000, (l->backoff_ms % 1000) * 1000};
    event_add(l->retry_ev, &tv);
    l->backoff_ms *= 2;
    if (l->backoff_ms > l->cfg->reconnect_max_ms)
        l->backoff_ms = l->cfg->reconnect_max_ms;
}

static void on_retry(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    link_connect(arg);
}

static void on_reset(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    fw_link *l = arg;
    if (l->ac)
        redisAsyncFree(l->ac); /* NULL replies, then on_disconnect */
}

/* A handshake command (`cmd`) failed: log why (once per window: every worker's link and every
 * retry would say the same), tell the owner about bad credentials, reconnect with backoff.
 * The state leaves HANDSHAKE at once, so the commands queued behind it (which fail with
 * NOAUTH too) are not reported again. */
static void handshake_failed(fw_link *l, const char *cmd, const redisReply *r)
{
    static fw_log_limit refused_log;
    fw_redis_verdict v = fw_redis_handshake_verdict(cmd, r);
    if (v == FW_REDIS_REFUSED || v == FW_REDIS_BAD_CREDENTIALS) {
        fw_log_limited(&refused_log, FW_LOG_WARN, "store: Redis %s:%u refused %s: %s",
                       l->cfg->redis_host, l->cfg->redis_port, cmd, r->str);
        if (v == FW_REDIS_BAD_CREDENTIALS && l->events.on_auth_failed)
            l->events.on_auth_failed(l->owner);
    }
    l->state = FW_LINK_DOWN;
    fw_link_fail(l);
}

static void on_handshake_reply(redisAsyncContext *ac, void *reply, void *priv)
{
    fw_link *l = ac->data;
    if (l->state == FW_LINK_HANDSHAKE &&
        fw_redis_handshake_verdict(priv, reply) != FW_REDIS_ANSWERED)
        handshake_failed(l, priv, reply);
}

static void on_script_loaded(redisAsyncContext *ac, void *reply, void *priv)
{
    (void)priv;
    fw_link *l = ac->data;
    const redisReply *r = reply;
    if (l->state != FW_LINK_HANDSHAKE)
        return;
    if (!r || r->type != REDIS_REPLY_STRING || r->len != 40) {
        handshake_failed(l, "SCRIPT LOAD", r);
        return;
    }
    memcpy(l->sha, r->str, 40);
    l->sha[40] = '\0';
    l->state = FW_LINK_READY;
    l->backoff_ms = l->cfg->reconnect_min_ms;
    l->events.on_ready(l->owner);
}

static void send_handshake(fw_link *l)
{
    const char *load[] = {"SCRIPT", "LOAD", fw_store_lua};
    fw_redis_endpoint ep = fw_link_endpoint(l->cfg);
    fw_redis_handshake_async(l->ac, &ep, on_handshake_reply);
    redisAsyncCommandArgv(l->ac, on_script_loaded, NULL, 3, load, NULL);
}

static void on_connect(const redisAsyncContext *ac, int status)
{
    static fw_log_limit unreachable_log;
    fw_link *l = ac->data;
    if (status != REDIS_OK) {
        fw_log_limited(&unreachable_log, FW_LOG_WARN, "store: Redis %s:%u unreachable: %s",
                       l->cfg->redis_host, l->cfg->redis_port, ac->errstr);
        l->ac = NULL; /* hiredis frees it */
        l->state = FW_LINK_DOWN;
        link_schedule_retry(l);
        return;
    }
    l->state = FW_LINK_HANDSHAKE;
    send_handshake(l);
}

static void on_disconnect(const redisAsyncContext *ac, int status)
{
    (void)status;
    fw_link *l = ac->data;
    bool was_ready = l->state == FW_LINK_READY;
    l->ac = NULL;
    l->state = FW_LINK_DOWN;
    if (was_ready && !l->closing) /* fw_link_close: the owner knows */
        l->events.on_down(l->owner);
    link_schedule_retry(l);
}

static void link_connect(fw_link *l)
{
    if (l->closing || l->ac)
        return;
    char err[128];
    fw_redis_endpoint ep = fw_link_endpoint(l->cfg);
    redisAsyncContext *ac =
        fw_redis_connect_async(&ep, l->base, l, on_connect, on_disconnect, err, sizeof err);
    if (!ac) {
        link_schedule_retry(l);
        return;
    }
    l->ac = ac;
    l->state = FW_LINK_CONNECTING;
    l->attempt_ms = -1; /* set by the first watchdog call */
}

int fw_link_init(fw_link *l, struct event_base *base, const fw_store_config *cfg,
                 const fw_link_events *events, void *owner)
{
    memset(l, 0, sizeof *l);
    l->cfg = cfg;
    l->base = base;
    l->events = *events;
    l->owner = owner;
    l->backoff_ms = cfg->reconnect_min_ms ? cfg->reconnect_min_ms : 1;
    l->retry_ev = evtimer_new(base, on_retry, l);
    l->reset_ev = event_new(base, -1, 0, on_reset, l);
    if (!l->retry_ev || !l->reset_ev) {
        fw_link_close(l);
        return -1;
    }
    return 0;
}

void fw_link_start(fw_link *l)
{
    link_connect(l);
}

bool fw_link_ready(const fw_link *l)
{
    return l->state == FW_LINK_READY;
}

int fw_link_send(fw_link *l, redisCallbackFn *cb, void *priv, const char *cmd, size_t len)
{
    if (l->state != FW_LINK_READY)
        return -1;
    return redisAsyncFormattedCommand(l->ac, cb, priv, cmd, len) == REDIS_OK ? 0 : -1;
}

int fw_link_send_argv(fw_link *l, redisCallbackFn *cb, void *priv, int argc, const char **argv,
                      const size_t *argvlen)
{
    if (l->state != FW_LINK_READY)
        return -1;
    return redisAsyncCommandArgv(l->ac, cb, priv, argc, argv, argvlen) == REDIS_OK ? 0 : -1;
}

void fw_link_watchdog(fw_link *l, int64_t now_ms, unsigned timeout_ms)
{
    if (l->state != FW_LINK_CONNECTING && l->state != FW_LINK_HANDSHAKE)
        return;
    if (l->attempt_ms < 0)
        l->attempt_ms = now_ms;
    else if (now_ms - l->attempt_ms > (int64_t)timeout_ms)
        fw_link_fail(l);
}

void fw_link_fail(fw_link *l)
{
    if (l->reset_ev)
        event_active(l->reset_ev, 0, 1);
}

void fw_link_close(fw_link *l)
{
    l->closing = true;
    if (l->ac)
        redisAsyncFree(l->ac);
    l->ac = NULL;
    if (l->retry_ev)
        event_free(l->retry_ev);
    if (l->reset_ev)
        event_free(l->reset_ev);
    l->retry_ev = l->reset_ev = NULL;
}
