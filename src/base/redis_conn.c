/* redis_conn.c - connecting to Redis and the AUTH / SELECT handshake, synchronous and on a
 * libevent loop (redis_conn.h). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <hiredis/adapters/libevent.h>

#include "fw/base/redis_conn.h"

/* The AUTH and SELECT of ep as argument vectors; an argc of 0: that command is not needed. */
typedef struct {
    const char *auth[3];
    int auth_argc;
    char db[24];
    const char *select[2];
    int select_argc;
} handshake;

static void handshake_of(const fw_redis_endpoint *ep, handshake *h)
{
    bool user = ep->user && ep->user[0];
    bool password = ep->password && ep->password[0];
    h->auth[0] = "AUTH";
    h->auth[1] = user ? ep->user : ep->password;
    h->auth[2] = ep->password ? ep->password : "";
    h->auth_argc = user ? 3 : password ? 2 : 0;
    snprintf(h->db, sizeof h->db, "%u", ep->db);
    h->select[0] = "SELECT";
    h->select[1] = h->db;
    h->select_argc = ep->db ? 2 : 0;
}

/* One handshake command on a synchronous context: true when answered without an error. */
static bool sync_step(redisContext *c, int argc, const char **argv, char *err, size_t errcap)
{
    if (argc == 0)
        return true;
    redisReply *r = redisCommandArgv(c, argc, argv, NULL);
    bool ok = r && r->type != REDIS_REPLY_ERROR;
    if (!ok)
        snprintf(err, errcap, "redis: %s", r ? r->str : c->errstr);
    freeReplyObject(r);
    return ok;
}

redisContext *fw_redis_connect_sync(const fw_redis_endpoint *ep, unsigned timeout_ms, char *err,
                                    size_t errcap)
{
    struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    redisContext *c = redisConnectWithTimeout(ep->host, (int)ep->port, tv);
    if (!c || c->err) {
        snprintf(err, errcap, "redis %s:%u: %s", ep->host, ep->port,
                 c ? c->errstr : "out of memory");
        redisFree(c);
        return NULL;
    }
    redisSetTimeout(c, tv);
    handshake h;
    handshake_of(ep, &h);
    if (!sync_step(c, h.auth_argc, h.auth, err, errcap) ||
        !sync_step(c, h.select_argc, h.select, err, errcap)) {
        redisFree(c);
        return NULL;
    }
    return c;
}

redisAsyncContext *fw_redis_connect_async(const fw_redis_endpoint *ep, struct event_base *base,
                                          void *data, redisConnectCallback *on_connect,
                                          redisDisconnectCallback *on_disconnect, char *err,
                                          size_t errcap)
{
    redisAsyncContext *ac = redisAsyncConnect(ep->host, (int)ep->port);
    if (!ac || ac->err) {
        snprintf(err, errcap, "%s", ac ? ac->errstr : "out of memory");
        if (ac)
            redisAsyncFree(ac);
        return NULL;
    }
    ac->data = data;
    redisLibeventAttach(ac, base);
    redisAsyncSetConnectCallback(ac, on_connect);
    redisAsyncSetDisconnectCallback(ac, on_disconnect);
    return ac;
}

void fw_redis_handshake_async(redisAsyncContext *ac, const fw_redis_endpoint *ep,
                              redisCallbackFn *on_reply)
{
    handshake h;
    handshake_of(ep, &h);
    if (h.auth_argc)
        redisAsyncCommandArgv(ac, on_reply, "AUTH", h.auth_argc, h.auth, NULL);
    if (h.select_argc)
        redisAsyncCommandArgv(ac, on_reply, "SELECT", h.select_argc, h.select, NULL);
}

fw_redis_verdict fw_redis_handshake_verdict(const char *cmd, const redisReply *reply)
{
    if (!reply)
        return FW_REDIS_NO_ANSWER;
    if (reply->type != REDIS_REPLY_ERROR)
        return FW_REDIS_ANSWERED;
    if (!strcmp(cmd, "AUTH") || !strncmp(reply->str, "NOAUTH", 6) ||
        !strncmp(reply->str, "WRONGPASS", 9))
        return FW_REDIS_BAD_CREDENTIALS;
    return FW_REDIS_REFUSED;
}
