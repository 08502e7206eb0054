/* redis_link.h - one hiredis asynchronous connection on a libevent loop, kept alive.
 *
 * States: DOWN -> CONNECTING -> HANDSHAKE (AUTH, SELECT, SCRIPT LOAD, pipelined) -> READY.
 * Any failure goes back to DOWN and a reconnect is scheduled with exponential backoff
 * (reconnect_min_ms doubling up to reconnect_max_ms, reset once READY). When a READY link
 * goes down, every command in flight gets its callback with a NULL reply first (hiredis), then
 * the owner's on_down. Commands are only sent while READY; hiredis writes everything queued
 * during one loop iteration with one write when the loop next polls (pipelining).
 *
 * AUTH and SELECT are the base layer's (fw/base/redis_conn.h): AUTH sends redis_user and
 * redis_password when a user is set (a Redis ACL user), the password alone otherwise. A failed
 * connect and a refused handshake command are logged at warn, rate-limited (fw_log_limited); a
 * refusal for wrong or missing credentials (FW_REDIS_BAD_CREDENTIALS: WRONGPASS, NOAUTH, any
 * AUTH error) is reported to the owner's on_auth_failed.
 */
#ifndef FW_STORE_REDIS_LINK_H
#define FW_STORE_REDIS_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hiredis/async.h>

#include "fw/base/redis_conn.h"
#include "fw/store/store.h"

typedef enum { FW_LINK_DOWN, FW_LINK_CONNECTING, FW_LINK_HANDSHAKE, FW_LINK_READY } fw_link_state;

typedef struct {
    void (*on_ready)(void *owner);       /* READY: the script is loaded, sha is valid */
    void (*on_down)(void *owner);        /* a READY link was lost */
    void (*on_auth_failed)(void *owner); /* Redis refused the credentials; may be NULL */
} fw_link_events;

typedef struct {
    const fw_store_config *cfg;
    struct event_base *base;
    redisAsyncContext *ac;
    fw_link_state state;
    char sha[41];        /* SHA1 of the store script, from SCRIPT LOAD */
    unsigned backoff_ms; /* delay before the next reconnect */
    bool closing;        /* fw_link_close() called: never reconnect */
    struct event *retry_ev;
    struct event *reset_ev;
    fw_link_events events;
    void *owner;
    int64_t attempt_ms; /* start of the current connection attempt, -1 = not yet seen */
} fw_link;

/* The Redis endpoint of the store's options (borrows cfg's strings). */
static inline fw_redis_endpoint fw_link_endpoint(const fw_store_config *cfg)
{
    return (fw_redis_endpoint){cfg->redis_host, cfg->redis_port, cfg->redis_user,
                               cfg->redis_password, cfg->redis_db};
}

/* Prepare (no I/O yet). 0 or -1 (out of memory). */
int fw_link_init(fw_link *l, struct event_base *base, const fw_store_config *cfg,
                 const fw_link_events *events, void *owner);
/* Start connecting (asynchronously). */
void fw_link_start(fw_link *l);
bool fw_link_ready(const fw_link *l);
/* Queue a preformatted RESP command; 0, or -1 when not READY. */
int fw_link_send(fw_link *l, redisCallbackFn *cb, void *priv, const char *cmd, size_t len);
/* Queue a command from an argument vector; 0 or -1. */
int fw_link_send_argv(fw_link *l, redisCallbackFn *cb, void *priv, int argc, const char **argv,
                      const size_t *argvlen);
/* Called periodically with the loop's time: a connection attempt or handshake that has not
 * reached READY after timeout_ms (a hung Redis accepts TCP but never answers) is dropped. */
void fw_link_watchdog(fw_link *l, int64_t now_ms, unsigned timeout_ms);
/* Drop the connection soon (outside any hiredis callback) and reconnect with backoff. */
void fw_link_fail(fw_link *l);
/* Disconnect now (pending callbacks get NULL replies) and free the events. Not from inside a
 * hiredis callback. */
void fw_link_close(fw_link *l);

#endif
