/* authority_redis.c - the Redis authority (authority.h): auth code grants in fw:auth:<phone>,
 * where every node of the fleet reads them.
 *
 * fw:auth:<phone> is a hash: digest (hex SHA-256 of the code), issued_ms, terminal_id and
 * address (who received the code, when: evidence of the registration); a revocation deletes
 * the digest and adds revoked_ms. One connection per gateway worker (redis_link.h: AUTH,
 * SELECT, reconnect with backoff), on the worker's loop. A request made while the connection is
 * not ready (at start, during a reconnect) waits for it, at most reply_timeout_ms and at most
 * AUTHORITY_WAITING_MAX requests; then it completes as failed. Requests are answered in order,
 * so the oldest one sent tells whether Redis is hanging: past reply_timeout_ms the connection is
 * dropped and every request sent completes as failed (the terminal asks again later).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "fw/base/authority.h"
#include "fw/base/log.h"
#include "fw/base/redis_schema.h"
#include "redis_link.h"
#include "store_internal.h"

#define TICK_MS               250
#define DIGEST_HEX_LEN        (2 * FW_AUTH_DIGEST_LEN)
#define AUTHORITY_WAITING_MAX 4096 /* requests waiting for the connection, per worker */

typedef struct request {
    struct request *next, *prev;
    struct redis_authority *owner;
    fw_authority_done_fn done;
    void *cookie;
    int64_t queued_ms;
    char *cmd; /* RESP, sent once the connection is ready */
    int cmd_len;
    bool sent;
    enum { REQ_GRANT, REQ_LOOKUP, REQ_REVOKE } kind;
} request;

typedef struct redis_authority {
    fw_authority base;
    const fw_store_config *cfg;
    fw_link link;
    struct event *tick;
    request *head, *tail; /* sent ones first, then those waiting; oldest first */
    unsigned waiting;
    unsigned worker;
} redis_authority;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void unlink_request(redis_authority *ra, request *rq)
{
    *(rq->prev ? &rq->prev->next : &ra->head) = rq->next;
    *(rq->next ? &rq->next->prev : &ra->tail) = rq->prev;
    if (!rq->sent)
        ra->waiting--;
}

static void finish(request *rq, int status, const uint8_t *digest)
{
    rq->done(rq->cookie, status, digest);
    redisFreeCommand(rq->cmd);
    free(rq);
}

static int hex_value(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A stored digest: 64 lowercase hex digits. */
static bool parse_digest(const redisReply *r, uint8_t out[FW_AUTH_DIGEST_LEN])
{
    if (r->type != REDIS_REPLY_STRING || r->len != DIGEST_HEX_LEN)
        return false;
    for (int i = 0; i < FW_AUTH_DIGEST_LEN; i++) {
        int hi = hex_value(r->str[2 * i]), lo = hex_value(r->str[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

static void on_reply(redisAsyncContext *ac, void *reply, void *priv)
{
    (void)ac;
    request *rq = priv;
    redis_authority *ra = rq->owner;
    const redisReply *r = reply;
    uint8_t digest[FW_AUTH_DIGEST_LEN];
    int status = FW_AUTHORITY_FAILED;
    const uint8_t *found = NULL;
    unlink_request(ra, rq);
    if (r && r->type != REDIS_REPLY_ERROR) {
        if (rq->kind == REQ_GRANT)
            status = FW_AUTHORITY_OK;
        else if (rq->kind == REQ_REVOKE)
            status =
                r->type == REDIS_REPLY_INTEGER && r->integer ? FW_AUTHORITY_OK : FW_AUTHORITY_NONE;
        else if (r->type == REDIS_REPLY_NIL)
            status = FW_AUTHORITY_NONE;
        else if (parse_digest(r, digest)) {
            status = FW_AUTHORITY_OK;
            found = digest;
        }
    } else if (r) {
        static fw_log_limit lim;
        fw_log_limited(&lim, FW_LOG_WARN, "authority: Redis refused a command: %.*s", (int)r->len,
                       r->str);
    }
    finish(rq, status, found);
}

/* Send the requests waiting for the connection, oldest first (sent ones precede them). */
static void send_waiting(redis_authority *ra)
{
    for (request *rq = ra->head; rq; rq = rq->next) {
        if (rq->sent)
            continue;
        if (fw_link_send(&ra->link, on_reply, rq, rq->cmd, (size_t)rq->cmd_len) < 0)
            return;
        rq->sent = true;
        ra->waiting--;
        rq->queued_ms = now_ms(); /* from now on its reply deadline runs */
    }
}

/* Queue argv for done: sent at once when the connection is ready, else when it is. 0, or -1
 * when out of memory or too many requests wait already. */
static int send_request(redis_authority *ra, int kind, int argc, const char **argv,
                        fw_authority_done_fn done, void *cookie)
{
    if (ra->waiting >= AUTHORITY_WAITING_MAX)
        return -1;
    request *rq = calloc(1, sizeof *rq);
    if (!rq)
        return -1;
    *rq = (request){.owner = ra, .done = done, .cookie = cookie, .queued_ms = now_ms()};
    rq->kind = kind;
    if ((rq->cmd_len = redisFormatCommandArgv(&rq->cmd, argc, argv, NULL)) < 0) {
        free(rq);
        return -1;
    }
    rq->prev = ra->tail;
    *(ra->tail ? &ra->tail->next : &ra->head) = rq;
    ra->tail = rq;
    ra->waiting++;
    send_waiting(ra);
    return 0;
}

/* fw:auth:<phone>; -1 when the phone does not fit (the request is refused). */
static int key_of(const char *phone, char out[FW_REDIS_KEY_MAX])
{
    return fw_redis_key(out, FW_REDIS_KEY_MAX, FW_KEY_AUTH, phone, NULL);
}

static int redis_grant(fw_authority *a, const fw_auth_grant *g, fw_authority_done_fn done,
                       void *cookie)
{
    redis_authority *ra = (redis_authority *)a;
    char key[FW_REDIS_KEY_MAX], hex[DIGEST_HEX_LEN + 1], issued[24];
    if (key_of(g->phone, key) < 0)
        return -1;
    for (int i = 0; i < FW_AUTH_DIGEST_LEN; i++)
        snprintf(hex + 2 * i, 3, "%02x", g->digest[i]);
    snprintf(issued, sizeof issued, "%lld", (long long)g->issued_ms);
    /* clang-format off: field, value */
    const char *argv[] = {"HSET",
                          key,
                          FW_AUTH_FIELD_DIGEST,
                          hex,
                          FW_AUTH_FIELD_ISSUED_MS,
                          issued,
                          FW_AUTH_FIELD_TERMINAL_ID,
                          g->terminal_id,
                          FW_AUTH_FIELD_ADDRESS,
                          g->address};
    /* clang-format on */
    return send_request(ra, REQ_GRANT, 10, argv, done, cookie);
}

static int redis_lookup(fw_authority *a, const char *phone, fw_authority_done_fn done, void *cookie)
{
    char key[FW_REDIS_KEY_MAX];
    if (key_of(phone, key) < 0)
        return -1;
    const char *argv[] = {"HGET", key, FW_AUTH_FIELD_DIGEST};
    return send_request((redis_authority *)a, REQ_LOOKUP, 3, argv, done, cookie);
}

static int redis_revoke(fw_authority *a, const char *phone, fw_authority_done_fn done, void *cookie)
{
    redis_authority *ra = (redis_authority *)a;
    char key[FW_REDIS_KEY_MAX], revoked[24];
    if (key_of(phone, key) < 0)
        return -1;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    snprintf(revoked, sizeof revoked, "%lld", (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
    const char *argv[] = {"EVAL", FW_AUTH_REVOKE_LUA, "1", key, revoked};
    return send_request(ra, REQ_REVOKE, 5, argv, done, cookie);
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    redis_authority *ra = arg;
    int64_t now = now_ms();
    int64_t deadline = now - (int64_t)ra->cfg->reply_timeout_ms;
    fw_link_watchdog(&ra->link, now, ra->cfg->reply_timeout_ms);
    if (ra->head && ra->head->sent && ra->head->queued_ms < deadline) {
        static fw_log_limit lim;
        fw_log_limited(&lim, FW_LOG_WARN,
                       "authority: Redis did not answer within %u ms; reconnecting",
                       ra->cfg->reply_timeout_ms);
        fw_link_fail(&ra->link); /* every request sent completes as failed */
    }
    /* Those that waited too long for a connection: the waiting ones follow the sent ones in
     * the order they were queued, so the first that has not waited too long ends the walk. */
    for (request *rq = ra->head, *next; rq && (rq->sent || rq->queued_ms < deadline); rq = next) {
        next = rq->next;
        if (!rq->sent) {
            unlink_request(ra, rq);
            finish(rq, FW_AUTHORITY_FAILED, NULL);
        }
    }
}

static void redis_close(fw_authority *a)
{
    redis_authority *ra = (redis_authority *)a;
    fw_link_close(&ra->link); /* NULL replies: every request sent completes as failed */
    while (ra->head) {        /* and those still waiting for a connection */
        request *rq = ra->head;
        unlink_request(ra, rq);
        finish(rq, FW_AUTHORITY_FAILED, NULL);
    }
    if (ra->tick)
        event_free(ra->tick);
    free(ra);
}

static void on_link_ready(void *owner)
{
    send_waiting(owner);
}

static void on_link_down(void *owner)
{
    redis_authority *ra = owner;
    static fw_log_limit lim;
    fw_log_limited(&lim, FW_LOG_WARN,
                   "authority (worker %u): lost Redis; registrations and "
                   "authentications are refused until it is back",
                   ra->worker);
}

static const fw_authority_ops redis_ops = {redis_grant, redis_lookup, redis_revoke, redis_close};

fw_authority *fw_store_authority_new(void *ctx, struct event_base *base, unsigned worker)
{
    fw_store *st = ctx;
    redis_authority *ra = calloc(1, sizeof *ra);
    if (!ra)
        return NULL;
    ra->base.ops = &redis_ops;
    ra->cfg = &st->cfg;
    ra->worker = worker;
    static const fw_link_events events = {on_link_ready, on_link_down, NULL};
    struct timeval tick = {0, TICK_MS * 1000};
    if (fw_link_init(&ra->link, base, ra->cfg, &events, ra) < 0 ||
        !(ra->tick = event_new(base, -1, EV_PERSIST, on_tick, ra)) ||
        event_add(ra->tick, &tick) < 0) {
        redis_close(&ra->base);
        return NULL;
    }
    fw_link_start(&ra->link);
    return &ra->base;
}
