/* rconn.c - the API's Redis connection: one hiredis asynchronous context on the API's
 * event_base, connected with its AUTH / SELECT by the base layer (fw/base/redis_conn.h),
 * reconnected after a delay when lost, and the command /
 * continuation calls the handlers use (api_internal.h). Commands of all requests in flight
 * share the connection, so Redis sees them pipelined.
 *
 * Deadline: each round of an HTTP request's commands must be answered within its
 * redis_deadline_ms (api_redis_timeout_ms; /healthz at most 1 s). hiredis 0.14 has no timeout
 * of its own, and Redis answers in order, so a round past its deadline means the connection is
 * stuck (a hung or unreachable server): it is dropped at once, which fails every command in
 * flight (their requests answer 503; no late reply can reach a request any more), and
 * reconnected after api_reconnect_ms.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <event2/event.h>
#include <hiredis/async.h>

#include "api_internal.h"
#include "fw/base/log.h"
#include "fw/base/redis_conn.h"

typedef struct {
    api_req *r;
    api_reply_fn fn;
    size_t tag;
} api_cmd_ctx;

static void connect_now(api_redis *rd);

static void retry_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    connect_now(arg);
}

static void schedule_retry(api_redis *rd)
{
    if (rd->closing)
        return;
    struct timeval tv = {rd->cfg->api_reconnect_ms / 1000,
                         (rd->cfg->api_reconnect_ms % 1000) * 1000};
    evtimer_add(rd->retry, &tv);
}

static void on_connect(const redisAsyncContext *c, int status)
{
    api_redis *rd = c->data;
    rd->hung = false;
    if (status != REDIS_OK) {
        snprintf(rd->last_error, sizeof rd->last_error, "%s", c->errstr);
        static fw_log_limit lim;
        fw_log_limited(&lim, FW_LOG_WARN, "api: redis %s:%u: connect failed: %s",
                       rd->cfg->redis_host, rd->cfg->redis_port, c->errstr);
        rd->ctx = NULL; /* hiredis frees it */
        rd->errors++;
        schedule_retry(rd);
        return;
    }
    rd->connected = true;
    rd->reconnects++;
    rd->last_error[0] = '\0';
}

static void on_disconnect(const redisAsyncContext *c, int status)
{
    api_redis *rd = c->data;
    if (status != REDIS_OK) {
        FW_LOG_WARN("api: redis connection lost: %s", c->errstr);
        snprintf(rd->last_error, sizeof rd->last_error, "%s", c->errstr);
        rd->errors++;
    }
    rd->ctx = NULL;
    rd->connected = rd->ready = false;
    schedule_retry(rd);
}

/* AUTH or SELECT refused (wrong redis_user/redis_password, no such db): logged at warn once
 * per window, counted, kept as the last error (/healthz names it while the reconnect waits),
 * and the connection is dropped, so that every request does not fail
 * with NOAUTH and a corrected ACL is picked up by the reconnect. */
static void on_setup_reply(redisAsyncContext *c, void *reply, void *priv)
{
    static fw_log_limit refused_log;
    const redisReply *rep = reply;
    api_redis *rd = c->data;
    fw_redis_verdict v = fw_redis_handshake_verdict(priv, rep);
    if (v != FW_REDIS_REFUSED && v != FW_REDIS_BAD_CREDENTIALS)
        return;
    fw_log_limited(&refused_log, FW_LOG_WARN, "api: redis %s:%u refused %s: %s",
                   rd->cfg->redis_host, rd->cfg->redis_port, (const char *)priv, rep->str);
    rd->refused = true;
    snprintf(rd->last_error, sizeof rd->last_error, "%s refused: %s", (const char *)priv, rep->str);
    rd->errors++;
    redisAsyncDisconnect(c);
}

/* The PING queued behind the handshake: answered means every handshake reply came before it,
 * so the connection is ready unless one of them was refused. Behind a refused AUTH, Redis may
 * still answer commands (a server without a password), so /healthz waits for this. */
static void on_ready(redisAsyncContext *c, void *reply, void *priv)
{
    api_redis *rd = c->data;
    (void)priv;
    rd->ready = reply != NULL && !rd->refused;
}

static void connect_now(api_redis *rd)
{
    const fw_api_config *cfg = rd->cfg;
    fw_redis_endpoint ep = {cfg->redis_host, cfg->redis_port, cfg->redis_user, cfg->redis_password,
                            cfg->redis_db};
    char err[128];
    redisAsyncContext *c =
        fw_redis_connect_async(&ep, rd->base, rd, on_connect, on_disconnect, err, sizeof err);
    if (c == NULL) {
        static fw_log_limit lim;
        fw_log_limited(&lim, FW_LOG_WARN, "api: redis %s:%u: %s", cfg->redis_host, cfg->redis_port,
                       err);
        schedule_retry(rd);
        return;
    }
    rd->ctx = c;
    rd->refused = rd->ready = false;
    fw_redis_handshake_async(c, &ep, on_setup_reply);
    redisAsyncCommand(c, on_ready, NULL, "PING");
}

int api_redis_open(api_redis *rd, struct event_base *base, const fw_api_config *cfg)
{
    rd->base = base;
    rd->cfg = cfg;
    rd->retry = evtimer_new(base, retry_cb, rd);
    if (rd->retry == NULL)
        return -1;
    connect_now(rd);
    return 0;
}

void api_redis_close(api_redis *rd)
{
    rd->closing = true;
    redisAsyncContext *c = rd->ctx;
    rd->ctx = NULL;
    if (c)
        redisAsyncFree(c); /* callbacks in flight run with a NULL reply */
    if (rd->retry)
        event_free(rd->retry);
    rd->retry = NULL;
}

/* A round past its deadline: drop the stuck connection (every command in flight fails at
 * once, r's included, whose handler then answers 503) and reconnect. */
static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
    static fw_log_limit lim;
    api_req *r = arg;
    api_redis *rd = &r->api->redis;
    (void)fd;
    (void)what;
    rd->timeouts++;
    rd->hung = true;
    r->redis_timed_out = true;
    fw_log_limited(&lim, FW_LOG_WARN, "api: redis %s:%u did not answer within %u ms: reconnecting",
                   rd->cfg->redis_host, rd->cfg->redis_port, r->redis_deadline_ms);
    snprintf(rd->last_error, sizeof rd->last_error, "no answer within %u ms", r->redis_deadline_ms);
    redisAsyncContext *c = rd->ctx;
    rd->ctx = NULL;
    rd->connected = rd->ready = false;
    if (c)
        redisAsyncFree(c); /* r may be gone from here on */
    schedule_retry(rd);
}

/* The first command of a round starts the round's deadline (HTTP requests only: the API's
 * own queries are failed by the next reset if Redis hangs). */
static void arm_deadline(api_req *r)
{
    if (r->http == NULL)
        return;
    if (r->redis_deadline == NULL)
        r->redis_deadline = evtimer_new(r->api->base, on_deadline, r);
    if (r->redis_deadline == NULL) {
        static fw_log_limit lim;
        fw_log_limited(&lim, FW_LOG_ERROR, "api: out of memory for a Redis deadline");
        return;
    }
    struct timeval tv = {r->redis_deadline_ms / 1000, (r->redis_deadline_ms % 1000) * 1000};
    evtimer_add(r->redis_deadline, &tv);
}

static void on_reply(redisAsyncContext *c, void *reply, void *priv)
{
    api_cmd_ctx *cc = priv;
    api_req *r = cc->r;
    const redisReply *rep = reply;
    if (rep == NULL || rep->type == REDIS_REPLY_ERROR) {
        if (rep) {
            static fw_log_limit lim;
            fw_log_limited(&lim, FW_LOG_WARN, "api: redis error reply: %s", rep->str);
            snprintf(r->api->redis.last_error, sizeof r->api->redis.last_error, "%s", rep->str);
        }
        r->api->redis.errors++;
        r->redis_failed = true;
    } else if (!r->redis_failed) {
        cc->fn(r, rep, cc->tag);
    }
    (void)c;
    free(cc);
    if (--r->pending == 0 && r->redis_deadline)
        event_del(r->redis_deadline);
    if (r->pending == 0 && r->next) {
        api_step_fn next = r->next;
        r->next = NULL;
        next(r);
    }
}

bool api_cmd(api_req *r, api_reply_fn fn, size_t tag, const char *fmt, ...)
{
    redisAsyncContext *c = r->api->redis.ctx;
    api_cmd_ctx *cc = c ? malloc(sizeof *cc) : NULL;
    if (cc == NULL) {
        r->redis_failed = true;
        return false;
    }
    *cc = (api_cmd_ctx){r, fn, tag};
    va_list ap;
    va_start(ap, fmt);
    int rc = redisvAsyncCommand(c, on_reply, cc, fmt, ap);
    va_end(ap);
    if (rc != REDIS_OK) {
        free(cc);
        r->redis_failed = true;
        return false;
    }
    if (r->pending++ == 0)
        arm_deadline(r);
    return true;
}

void api_then(api_req *r, api_step_fn next)
{
    if (r->pending == 0) {
        next(r);
        return;
    }
    r->next = next;
}

bool api_failed(api_req *r)
{
    if (!r->redis_failed)
        return false;
    api_reply_error(r, 503, r->redis_timed_out ? "redis timeout" : "redis unavailable", NULL);
    return true;
}
