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
#include "fw/base/options.h"

#define FW_API_STR_MAX 256

/* Options (their table, bounds, defaults and help: fw_api_options in config.c). */
typedef struct {
    char api_listen[FW_API_STR_MAX];     /* HTTP listen address host:port */
    char api_token_file[FW_API_STR_MAX]; /* bearer tokens file, empty = none */
    unsigned api_metrics_open;           /* 1: /metrics needs no token */
    char redis_host[FW_API_STR_MAX];     /* IPv4 address or name */
    unsigned redis_port;                 /* TCP port */
    char redis_user[FW_API_STR_MAX];     /* ACL user for AUTH, empty = default */
    char redis_password[FW_API_STR_MAX]; /* AUTH password, empty = none */
    unsigned redis_db;                   /* SELECT index */
    unsigned api_limit_default;          /* violations per page without limit= */
    unsigned api_limit_max;              /* largest page (larger: capped) */
    unsigned api_track_max_points;       /* positions per track answer */
    unsigned api_open_window_s;          /* open violations started this recently, 0 = any */
    unsigned api_near_max_radius_m;      /* largest radius_m of a near search */
    unsigned api_near_max_results;       /* vehicles per near search */
    unsigned api_text_timeout_ms;        /* wait for the terminal's reply to a text */
    unsigned api_max_header_bytes;       /* request line + headers, larger: refused */
    unsigned api_max_body_bytes;         /* request body, larger: refused */
    unsigned api_timeout_s;              /* idle HTTP connection timeout */
    unsigned api_max_connections;        /* HTTP connections open at once */
    unsigned api_header_timeout_s;       /* request line + headers complete within this */
    unsigned api_body_timeout_s;         /* request body complete within this */
    unsigned api_redis_timeout_ms;       /* a request's Redis commands, else 503 */
    char api_tls_cert[FW_API_STR_MAX];   /* certificate chain (PEM), empty = plain HTTP */
    char api_tls_key[FW_API_STR_MAX];    /* private key (PEM) */
    char api_plain_http[FW_API_STR_MAX]; /* plain HTTP allowed on: loopback or allow */
    unsigned api_reconnect_ms;           /* delay before reconnecting to Redis */
    unsigned audit_retention_days;       /* fw:audit entries kept this long */
} fw_api_config;

/* The API's options in the option engine's format (fw/base/options.h): a program puts them in
 * a group bound to its fw_api_config. redis_* names are shared with the store's table. */
extern const fw_opt_table fw_api_options;

/* Every option at its default. */
void fw_api_config_defaults(fw_api_config *c);
/* Set one option by name ("api_listen", "0.0.0.0:8080"). 0, or -1 with a reason in err;
 * 1 when the key is not an API option (so a caller can try other option sets). */
int fw_api_config_set(fw_api_config *c, const char *key, const char *value, char *err,
                      size_t errcap);

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
