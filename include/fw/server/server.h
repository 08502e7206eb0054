/* server.h - the terminal gateway: configuration, lifecycle and the downlink API.
 *
 * The gateway accepts JT/T 808 terminals over TCP on N worker threads (one libevent loop each,
 * SO_REUSEPORT listeners), registers and authenticates them against the vehicle registry, acks
 * their messages, interprets each location once into a position (position.h), hands it to the rule
 * hook and to a sink (sink.h) and sends each location ack once the sink has stored it. Behaviour
 * and every option are described in docs/operations.md; config/fleetwatch.conf.example lists the
 * options.
 *
 * Threads: fw_server_start() runs the workers on their own threads. fw_server_reload(),
 * fw_server_send*(), fw_server_metrics() and fw_server_stop() may be called from any thread. Hooks
 * and downlink callbacks run on the worker thread that owns the connection.
 */
#ifndef FW_SERVER_H
#define FW_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fw/base/authority.h"
#include "fw/base/downlink.h"
#include "fw/base/log.h"
#include "fw/base/options.h"
#include "fw/base/position.h"
#include "fw/server/metrics.h"
#include "fw/base/registry.h"
#include "fw/base/sink.h"

struct event_base;

/* What to do with a frame whose check code or declared length is wrong. */
typedef enum {
    FW_DAMAGED_REJECT, /* answer 0x8001 result 2 (message error), do not process; default */
    FW_DAMAGED_ACCEPT, /* process it as if it were sound (the readable part of the body) */
    FW_DAMAGED_DROP,   /* count it, answer nothing */
} fw_damaged_policy;

#define FW_CONFIG_STR_MAX 256

typedef struct {
    char listen[FW_CONFIG_STR_MAX];        /* "host:port", default "0.0.0.0:8808" */
    unsigned workers;                      /* event loop threads, 0 = one per core */
    unsigned max_connections;              /* in total; 0 = fit the open-file limit (see
                                              fw_server_check_fds) */
    unsigned max_connections_per_address;  /* from one source address, all workers; 0 = no cap */
    unsigned idle_timeout_s;               /* close after this long without input */
    unsigned first_frame_timeout_s;        /* close when no valid frame within this */
    unsigned max_bad_frames;               /* close after this many bad frames in a row */
    unsigned max_garbage_bytes;            /* close after this many non-frame bytes (life) */
    unsigned max_empty_frames;             /* close after this many empty frames (life) */
    unsigned auth_timeout_s;               /* close when not authenticated within this */
    unsigned preauth_max_heartbeats;       /* heartbeats answered before authentication */
    unsigned input_cap_bytes;              /* bytes read from one connection per callback */
    unsigned output_cap_bytes;             /* stop reading while more replies are queued */
    unsigned sndbuf_bytes;                 /* SO_SNDBUF of terminal sockets, 0 = kernel's */
    unsigned max_frame_rate;               /* frames per second per connection, 0 = no cap */
    char registry_path[FW_CONFIG_STR_MAX]; /* vehicle registry JSON file */
    unsigned auth_fail_limit_phone;        /* failures before a phone is shut out, 0 = never */
    unsigned auth_fail_limit_address;      /* failures before an address is shut out */
    unsigned auth_backoff_s;               /* first shut-out, doubled per further failure */
    unsigned auth_backoff_max_s;           /* longest shut-out; failures remembered this long */
    unsigned auth_grants_max; /* codes kept in the process: the memory authority, or the cache */
    bool require_auth;        /* data messages only after 0x0102 */
    fw_damaged_policy damaged_frames;
    unsigned ack_slots;               /* pending location acks per worker */
    unsigned subpkg_max_msgs;         /* sub-packaged messages in progress per worker */
    unsigned subpkg_max_bytes;        /* sub-package bytes held per worker */
    unsigned subpkg_max_per_terminal; /* messages in progress per terminal: oldest evicted */
    unsigned subpkg_timeout_ms;       /* silence before a 0x8003 resend request */
    unsigned subpkg_retries;          /* 0x8003 requests before a message is dropped */
    unsigned shutdown_timeout_s;      /* SIGTERM: longest wait for outputs to flush */
    unsigned future_tolerance_s;      /* GNSS time further ahead of the server clock: future */

    /* Not an option: descriptors the embedding process needs besides the gateway's (e.g. the API's
     * connection cap), set by the service before fw_server_new (fw_server_check_fds). */
    unsigned reserved_fds;
    /* Not an option: how each location becomes a position (the load and passenger items, the rules'
     * speed source), set by the service; default FW_POSITION_CONFIG_DEFAULT. */
    fw_position_config position;
} fw_server_config;

/* The gateway's options in the option engine's format (fw/base/options.h): a program puts them in a
 * group bound to its fw_server_config (flags, config file, --help). */
extern const fw_opt_table fw_server_options;

/* Every option at its default (reserved_fds 0). */
void fw_server_config_defaults(fw_server_config *c);
/* Set one option by name from text ("idle_timeout_s", "300"). 0 on success, -1 with a reason in err
 * for an unknown key, a retired one or a bad value. */
int fw_server_config_set(fw_server_config *c, const char *key, const char *value, char *err,
                         size_t errcap);
/* Host and port of c->listen; 0 or -1 when malformed. */
int fw_server_config_listen(const fw_server_config *c, char *host, size_t hostcap, uint16_t *port);

/* A location the gateway accepted, before it goes to the sink: the rule engine's entry point. NULL
 * hook = rules off. */
typedef void (*fw_location_hook)(void *ctx, const fw_location_rec *rec);

/* A decoded message the gateway has no handler of its own for (0x1005 passenger flow, ...), passed
 * on before the gateway acks it with 0x8001; on the worker's thread. */
typedef struct {
    const char *phone;         /* terminal phone, digits */
    const fw_vehicle *vehicle; /* registry entry, NULL when unknown (require_auth off) */
    unsigned worker;           /* gateway worker index (0-based) */
    uint16_t msg_id;
    uint16_t serial; /* the frame's serial */
    jt_version version;
    const jt_body *body; /* decoded body, valid during the call only */
} fw_message_rec;
typedef void (*fw_message_hook)(void *ctx, const fw_message_rec *rec);

/* An authenticated terminal's connection closed, for any reason (logout, idle, error, replaced by a
 * newer connection, shutdown); on the worker's thread that held it. vehicle: registry entry, NULL
 * when unknown. fw_server_disconnect_superseded() tells, during the call, whether a newer
 * connection (on any worker) had already taken the terminal's session over. */
typedef void (*fw_disconnect_hook)(void *ctx, const char *phone, const fw_vehicle *vehicle,
                                   unsigned worker);

/* Per-worker start and stop, on the worker's own thread (e.g. a context living on its loop).
 *
 * Order, for each worker: fw_server_new creates its event base, listener, sink (sink_factory) and
 * authority on the calling thread. fw_server_start runs its thread, which calls
 * on_worker_start(ctx, worker, base) before its loop accepts the first connection; fw_server_start
 * returns once every worker's start hook returned, -1 when one failed (that worker's thread has
 * ended; stop and free the server). Then the location, message and disconnect hooks run on the
 * loop. At fw_server_stop, when the loop has ended (connections drained or the shutdown timeout
 * passed) and queued replies are flushed, on_worker_stop(ctx, worker) runs, only on a worker whose
 * start hook succeeded, and before the worker's sink and authority close: the sink still takes
 * writes. Then the sink closes, connections still open are closed without flushing (on_disconnect
 * still runs for them) and the thread ends. */
typedef int (*fw_worker_start_hook)(void *ctx, unsigned worker, struct event_base *base);
typedef void (*fw_worker_stop_hook)(void *ctx, unsigned worker);

typedef struct {
    fw_sink_factory sink_factory; /* NULL: the null sink */
    void *sink_ctx;
    /* Where auth codes are granted and checked (authority.h); NULL: the memory authority, good for
     * one node only (codes die with the process). */
    fw_authority_factory authority_factory;
    void *authority_ctx;
    fw_location_hook on_location; /* NULL: rules off */
    void *location_ctx;
    void (*on_reload)(void *ctx); /* SIGHUP: reload zones and routes (rules); may be NULL */
    void *reload_ctx;
    fw_message_hook on_other_message; /* messages without a gateway handler; may be NULL */
    void *other_message_ctx;
    fw_disconnect_hook on_disconnect; /* may be NULL */
    void *disconnect_ctx;
    fw_worker_start_hook on_worker_start; /* 0, or -1: the gateway does not start; may be NULL */
    fw_worker_stop_hook on_worker_stop;   /* may be NULL */
    void *worker_ctx;
    /* Where the registry comes from, at start and on every reload (e.g. Redis); NULL: the file
     * registry_path. Returns a registry holding one reference, or NULL with a reason in err. */
    fw_registry *(*load_registry)(void *ctx, char *err, size_t errcap);
    void *registry_ctx;
} fw_server_hooks;

typedef struct fw_server fw_server;

/* The open-file budget: max_connections plus what the rest of the process needs (a margin for its
 * own files and per worker, plus cfg->reserved_fds, e.g. the API's connection cap set by the
 * service) must fit RLIMIT_NOFILE; the soft limit is first raised as far as the hard limit allows.
 * max_connections 0 is resolved here to what the limit leaves (at most 100,000). fw_server_new
 * calls it; a service may call it before, with reserved_fds set, to fail early. 0, or -1 with a
 * reason naming the numbers in err. */
int fw_server_check_fds(fw_server_config *cfg, char *err, size_t errcap);

/* Load the registry, bind the listeners (one SO_REUSEPORT socket per worker) and create the
 * workers. NULL with a reason in err. hooks may be NULL. */
fw_server *fw_server_new(const fw_server_config *cfg, const fw_server_hooks *hooks, char *err,
                         size_t errcap);
/* Start the worker threads; returns after every on_worker_start hook ran. 0, or -1 (a thread or a
 * start hook failed: call fw_server_free). */
int fw_server_start(fw_server *s);
/* Reload the registry (hooks->load_registry, else the file) and call hooks->on_reload. Connections
 * are kept; each worker switches to the new registry between two callbacks. 0, or -1 with a reason
 * (the old registry stays in force). */
int fw_server_reload(fw_server *s, char *err, size_t errcap);
/* Graceful stop: stop accepting, stop reading, flush queued replies (at most shutdown_timeout_s),
 * close every connection and join the workers. */
void fw_server_stop(fw_server *s);
void fw_server_free(fw_server *s);

void fw_server_metrics(fw_server *s, fw_metrics_snapshot *out);

/* An operator revoked phone's auth code (the authority's grant is already gone): close the
 * terminal's session on this node, if it has one. Any thread. True when a session was found. */
bool fw_server_end_session(fw_server *s, const char *phone);

/* Inside on_disconnect for worker `worker`: true when the closing connection's session had already
 * passed to a newer connection of the same terminal (it was replaced, or closed after a newer one
 * authenticated), so the terminal is still connected to this node. */
bool fw_server_disconnect_superseded(const fw_server *s, unsigned worker);

/* ---- downlink ---------------------------------------------------------------------------- */

/* fw_downlink_status, fw_downlink_cb: downlink.h (base), shared with the API. */

/* Send a command with the given body (the same bytes for 2013 and 2019 terminals) to the
 * authenticated terminal with this phone. The body is copied. Returns 0 when queued (cb will be
 * called exactly once), -1 when the terminal is not connected or the body is too long (cb is not
 * called). cb may be NULL. */
int fw_server_send(fw_server *s, const char *phone, uint16_t msg_id, const uint8_t *body,
                   size_t body_len, uint32_t timeout_ms, fw_downlink_cb cb, void *ctx);
/* 0x8300 text message (UTF-8, sent as GBK), encoded for the terminal's protocol version; flags are
 * JT_TEXT_* (e.g. JT_TEXT_TTS | JT_TEXT_DISPLAY). Same returns as fw_server_send. */
int fw_server_send_text(fw_server *s, const char *phone, uint8_t flags, const char *utf8,
                        uint32_t timeout_ms, fw_downlink_cb cb, void *ctx);

#endif
