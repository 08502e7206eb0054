/* redis_conn.h - the one Redis handshake of every part: connect to host:port, AUTH (as an ACL
 * user, or with the password alone), SELECT, synchronously (tools, registry fetch) or on a
 * libevent loop (hiredis async), and one reading of a handshake reply that tells a refusal of
 * the credentials from the rest.
 *
 * Reconnect policies, logs and counters stay with the owner of a connection (the store's link
 * backs off exponentially, the API retries after a fixed delay): this module only connects,
 * queues the handshake and classifies its replies.
 */
#ifndef FW_BASE_REDIS_CONN_H
#define FW_BASE_REDIS_CONN_H

#include <stddef.h>

#include <event2/event.h>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>

/* Where and as whom to connect. The strings are borrowed (usually an option struct's). */
typedef struct {
    const char *host;     /* IPv4 address or name */
    unsigned port;        /* TCP port */
    const char *user;     /* ACL user for AUTH; "" = the default user (AUTH with password only) */
    const char *password; /* "" = no AUTH */
    unsigned db;          /* SELECT this database; 0 = stay on the default one, no SELECT */
} fw_redis_endpoint;

/* Connect with a deadline of timeout_ms (also the timeout of every later command), then AUTH
 * and SELECT as ep asks. The context (free with redisFree), or NULL with the reason in err:
 * "redis HOST:PORT: <why>" when the connection failed, "redis: <Redis error>" when AUTH or
 * SELECT was refused. */
redisContext *fw_redis_connect_sync(const fw_redis_endpoint *ep, unsigned timeout_ms, char *err,
                                    size_t errcap);

/* Start connecting to ep on base: the context with data set and the callbacks attached (hiredis
 * frees it after a failed connect or a disconnect), or NULL with the reason in err (out of
 * memory, or an error hiredis saw at once). No command is queued. */
redisAsyncContext *fw_redis_connect_async(const fw_redis_endpoint *ep, struct event_base *base,
                                          void *data, redisConnectCallback *on_connect,
                                          redisDisconnectCallback *on_disconnect, char *err,
                                          size_t errcap);

/* Queue AUTH and SELECT as ep asks (nothing when neither is needed); may be called before the
 * connection is up (hiredis sends them first once it is). Each reply goes to on_reply with
 * priv = the command's name ("AUTH", "SELECT"); read it with fw_redis_handshake_verdict. */
void fw_redis_handshake_async(redisAsyncContext *ac, const fw_redis_endpoint *ep,
                              redisCallbackFn *on_reply);

typedef enum {
    FW_REDIS_ANSWERED,        /* not an error reply */
    FW_REDIS_NO_ANSWER,       /* NULL reply: the connection went away first */
    FW_REDIS_REFUSED,         /* an error reply (no such db, a script error, ...) */
    FW_REDIS_BAD_CREDENTIALS, /* AUTH refused, or NOAUTH / WRONGPASS from any command */
} fw_redis_verdict;

/* What the reply to handshake command cmd ("AUTH", "SELECT", or one of the owner's own, such
 * as "SCRIPT LOAD") says about the connection. */
fw_redis_verdict fw_redis_handshake_verdict(const char *cmd, const redisReply *reply);

#endif
