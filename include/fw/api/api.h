/* api.h - the police query API: HTTP/JSON over the Redis store, on its own thread.
 *
 * Traffic police, regulators and dispatchers look up violations, vehicles, tracks and
 * statistics, and dispatchers send a text to a driver. The API is a libevent evhttp server
 * with its own event_base on its own thread; it reads Redis through one hiredis asynchronous
 * connection on that base (pipelined, never blocking), so a slow query never slows down the
 * gateway's ingestion threads. Endpoints, parameters, errors and roles: docs/api.md. The Redis
 * keys it reads are those of docs/redis-schema.md.
 *
 * The gateway's main creates it after the server (fw_api_start with hooks into the gateway)
 * and stops it before the server; the standalone `fleetwatch-api` runs it against Redis
 * alone (no hooks: /metrics shows only the API's own counters, text sending answers 503).
 *
 * Threads: fw_api_start() and fw_api_stop() on one thread (e.g. main). The hooks are called on
 * the API thread; a send_text completion may come from any thread (the API hands it back to
 * its own loop).
 */
#ifndef FW_API_H
#define FW_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fw/base/downlink.h"

#define FW_API_STR_MAX 256

/* Options. X(kind, name, default, min, max, help); kind: S string (min/max unused), U unsigned
 * within [min, max]. */
#define FW_API_OPTION_LIST(X)                                                                      \
    X(S, api_listen, "127.0.0.1:8080", 0, 0, "HTTP listen address host:port")                      \
    X(S, api_token_file, "", 0, 0, "bearer tokens: lines <role> <token> <label>; empty = none")    \
    X(U, api_metrics_open, 1, 0, 1, "1: /metrics needs no token; 0: any valid token")              \
    X(S, redis_host, "127.0.0.1", 0, 0, "Redis host (IPv4 address or name)")                       \
    X(U, redis_port, 6379, 1, 65535, "Redis TCP port")                                             \
    X(S, redis_user, "", 0, 0, "ACL user for AUTH (with redis_password), empty = default user")    \
    X(S, redis_password, "", 0, 0, "AUTH password, empty = none")                                  \
    X(U, redis_db, 0, 0, 1023, "database index (SELECT)")                                          \
    X(U, api_limit_default, 50, 1, 100000, "violations per page when a query gives no limit")      \
    X(U, api_limit_max, 500, 1, 100000, "largest page a query may ask for (larger: capped)")       \
    X(U, api_track_max_points, 10000, 1, 1000000, "positions per track answer, then next_cursor")  \
    X(U, api_open_window_s, 172800, 0, 31536000,                                                   \
      "open violations of a vehicle: among those started this recently (0 = any)")                 \
    X(U, api_near_max_radius_m, 50000, 1, 1000000, "largest radius_m of a near search")            \
    X(U, api_near_max_results, 500, 1, 100000, "vehicles per near search")                         \
    X(U, api_text_timeout_ms, 10000, 100, 600000, "wait for the terminal's reply to a text")       \
    X(U, api_max_header_bytes, 8192, 512, 1048576, "larger request line + headers: refused")       \
    X(U, api_max_body_bytes, 4096, 64, 1048576, "larger request bodies: refused")                  \
    X(U, api_timeout_s, 30, 1, 3600, "idle HTTP connection timeout")                               \
    X(U, api_max_connections, 1024, 1, 65536,                                                      \
      "HTTP connections open at once; more: closed at once")                                       \
    X(U, api_header_timeout_s, 10, 1, 3600,                                                        \
      "request line + headers complete within this (total) after connect or the previous answer")  \
    X(U, api_body_timeout_s, 10, 1, 3600,                                                          \
      "request body complete within this (total) after headers")                                   \
    X(U, api_redis_timeout_ms, 2000, 10, 60000,                                                    \
      "a request's Redis commands answered within this, else 503 (and Redis reconnected)")         \
    X(S, api_tls_cert, "", 0, 0, "HTTPS: certificate chain file (PEM); empty = plain HTTP")        \
    X(S, api_tls_key, "", 0, 0, "HTTPS: private key file (PEM)")                                   \
    X(S, api_plain_http, "loopback", 0, 0,                                                         \
      "plain HTTP (no api_tls_cert) allowed on: loopback (listen address only) or allow (any)")    \
    X(U, api_reconnect_ms, 500, 10, 60000, "delay before reconnecting to Redis after a failure")   \
    X(U, audit_retention_days, 1096, 1, 36500,                                                     \
      "access audit entries (fw:audit) are kept this long (1096 = 3 years)")

#define FW_API_FIELD_S(name)                          char name[FW_API_STR_MAX];
#define FW_API_FIELD_U(name)                          unsigned name;
#define FW_API_FIELD(kind, name, def, min, max, help) FW_API_FIELD_##kind(name)
typedef struct {
    FW_API_OPTION_LIST(FW_API_FIELD)
} fw_api_config;
#undef FW_API_FIELD

void fw_api_config_defaults(fw_api_config *c);
/* Set one option by name ("api_listen", "0.0.0.0:8080"). 0, or -1 with a reason in err;
 * 1 when the key is not an API option (so a caller can try other option sets). */
int fw_api_config_set(fw_api_config *c, const char *key, const char *value, char *err,
                      size_t errcap);
/* Print every option with its default and help text. */
void fw_api_config_usage(FILE *out);

/* Descriptors kept free beyond the connections: Redis connections, listeners, event loops,
 * files (registry, spool, logs). */
#define FW_API_FD_RESERVE 64
/* Descriptors the API's clients may hold: api_max_connections and those being refused. In
 * `fleetwatch` the service reserves them in the gateway's budget (reserved_fds), whose margin
 * covers the rest of the process. */
unsigned fw_api_fd_need(const fw_api_config *cfg);
/* The API alone (fleetwatch-api): check at start that RLIMIT_NOFILE (the soft limit raised
 * towards the hard one if needed) holds fw_api_fd_need(cfg) + FW_API_FD_RESERVE. 0, or -1 with
 * what to change in err. */
int fw_api_check_fd_budget(const fw_api_config *cfg, char *err, size_t errcap);

/* What the API asks of the process it runs in. Every member may be NULL. */
typedef struct {
    /* Render the gateway's metrics in the Prometheus text format like snprintf: write at most
     * cap bytes including a NUL, return the length the full text needs. The API appends its
     * own counters after it. */
    size_t (*render_metrics)(void *ctx, char *out, size_t cap);
    void *metrics_ctx;
    /* Send a 0x8300 text (UTF-8; flags JT_TEXT_*) to the connected terminal `phone`: the
     * contract of fw_server_send_text (0 queued and cb called exactly once from any thread,
     * -1 not connected or too long). */
    int (*send_text)(void *ctx, const char *phone, uint8_t flags, const char *utf8,
                     uint32_t timeout_ms, fw_downlink_cb cb, void *cb_ctx);
    void *send_ctx;
    /* Admin reload (registry, zones, routes): 0, or -1 with a reason in err. The API reloads
     * its token file itself before calling it. */
    int (*reload)(void *ctx, char *err, size_t errcap);
    void *reload_ctx;
    /* An admin revoked phone's auth code: close its live session (fw_server_end_session);
     * true when there was one. */
    bool (*end_session)(void *ctx, const char *phone);
    void *end_ctx;
} fw_api_hooks;

typedef struct fw_api fw_api;

/* Load the token file, bind the listener, start connecting to Redis and start the API
 * thread. The config and hooks are copied. NULL with a reason in err. */
fw_api *fw_api_start(const fw_api_config *cfg, const fw_api_hooks *hooks, char *err, size_t errcap);
/* Port the API listens on (useful with port 0). */
uint16_t fw_api_port(const fw_api *api);
/* Reload the token file (e.g. on SIGHUP); the old tokens stay in force on error. 0 or -1. */
int fw_api_reload_tokens(fw_api *api, char *err, size_t errcap);
/* Stop the thread, answer requests still waiting with 503, close Redis and free. NULL ok. */
void fw_api_stop(fw_api *api);

#endif
