/* shared_data.c - the registry and geodata kept in Redis (store.h): a synchronous fetch of
 * fw:registry / fw:geodata and a subscription to fw:changes on a libevent loop, so that every
 * node reloads what scripts/fw-load-registry loaded.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>

#include "fw/base/redis_schema.h"
#include "redis_link.h"

#define FETCH_TIMEOUT_MS 2000

static redisReply *command_or_fail(redisContext *c, char *err, size_t errcap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    redisReply *r = redisvCommand(c, fmt, ap);
    va_end(ap);
    if (!r || r->type == REDIS_REPLY_ERROR) {
        snprintf(err, errcap, "redis: %s", r ? r->str : c->errstr);
        freeReplyObject(r);
        return NULL;
    }
    return r;
}

redisContext *fw_store_connect_sync(const fw_store_config *cfg, char *err, size_t errcap)
{
    fw_redis_endpoint ep = fw_link_endpoint(cfg);
    return fw_redis_connect_sync(&ep, FETCH_TIMEOUT_MS, err, errcap);
}

char *fw_store_fetch(const fw_store_config *cfg, const char *what, size_t *len, char *err,
                     size_t errcap)
{
    char key[64];
    fw_redis_key(key, sizeof key, FW_KEY_SHARED, what, NULL);
    redisContext *c = fw_store_connect_sync(cfg, err, errcap);
    if (!c)
        return NULL;
    redisReply *r = command_or_fail(c, err, errcap, "GET %s", key);
    redisFree(c);
    if (!r)
        return NULL;
    char *text = NULL;
    if (r->type != REDIS_REPLY_STRING)
        snprintf(err, errcap, "%s is not set (scripts/fw-load-registry loads it)", key);
    else if (!(text = malloc(r->len + 1)))
        snprintf(err, errcap, "out of memory");
    else {
        memcpy(text, r->str, r->len);
        text[r->len] = '\0';
        *len = r->len;
    }
    freeReplyObject(r);
    return text;
}

struct fw_store_watch {
    fw_store_config cfg;
    fw_link link;
    fw_store_change_cb cb;
    void *ctx;
};

static void on_message(redisAsyncContext *ac, void *reply, void *priv)
{
    (void)ac;
    fw_store_watch *w = priv;
    const redisReply *r = reply;
    if (!r || r->type != REDIS_REPLY_ARRAY || r->elements != 3 ||
        r->element[0]->type != REDIS_REPLY_STRING)
        return;
    if (strcmp(r->element[0]->str, "subscribe") == 0) {
        w->cb(w->ctx, "*");
        return;
    }
    const redisReply *payload = r->element[2];
    if (strcmp(r->element[0]->str, "message") != 0 || payload->type != REDIS_REPLY_STRING)
        return;
    char what[16];
    size_t n = strcspn(payload->str, " ");
    if (n == 0 || n >= sizeof what)
        return;
    memcpy(what, payload->str, n);
    what[n] = '\0';
    w->cb(w->ctx, what);
}

static void on_watch_ready(void *owner)
{
    fw_store_watch *w = owner;
    const char *argv[] = {"SUBSCRIBE", FW_CHANNEL_CHANGES};
    if (fw_link_send_argv(&w->link, on_message, w, 2, argv, NULL) < 0)
        fw_link_fail(&w->link);
}

static void on_watch_down(void *owner)
{
    (void)owner; /* the link reconnects and subscribes again */
}

static const fw_link_events watch_events = {on_watch_ready, on_watch_down, NULL};

fw_store_watch *fw_store_watch_new(const fw_store_config *cfg, struct event_base *base,
                                   fw_store_change_cb cb, void *ctx)
{
    fw_store_watch *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->cfg = *cfg;
    w->cb = cb;
    w->ctx = ctx;
    if (fw_link_init(&w->link, base, &w->cfg, &watch_events, w) < 0) {
        free(w);
        return NULL;
    }
    fw_link_start(&w->link);
    return w;
}

void fw_store_watch_free(fw_store_watch *w)
{
    if (!w)
        return;
    fw_link_close(&w->link);
    free(w);
}
