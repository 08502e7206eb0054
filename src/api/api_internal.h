/* api_internal.h - what the API's modules share: the instance, one request in progress and
 * the calls a handler makes (Redis commands, continuations, replies).
 *
 * A request's life: the router (router.c) matches the path, checks the token's role,
 * validates the query's parameter names and allocates the route's state (an api_req first,
 * then handler fields). The handler's start function validates values and issues Redis
 * commands (api_cmd), each with a reply function that digests its reply at once (hiredis
 * frees replies after the callback); api_then() names the step to run when every reply of
 * the round has arrived. The last step answers with api_reply_json / api_reply_error, which
 * sends, runs the cleanup and frees the state. Everything runs on the API thread.
 */
#ifndef FW_API_INTERNAL_H
#define FW_API_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>
#include <hiredis/hiredis.h>

#include "fw/api/api.h"
#include "fw/base/prom.h"
#include "fleetwatch.pb-c.h"
#include "params.h"
#include "pb_arena.h"
#include "tokens.h"
#include "vocab.h"

struct bufferevent;
struct event_base;
struct event;
struct evconnlistener;
struct ssl_ctx_st;
struct evhttp;
struct evhttp_request;
struct redisAsyncContext;

/* The one Redis connection of the API (rconn.c). */
typedef struct {
    struct redisAsyncContext *ctx; /* NULL while disconnected */
    bool connected;                /* the connect callback reported success */
    bool refused;                  /* this connection's AUTH or SELECT was refused */
    bool ready;                    /* handshake answered, none refused: /healthz may say ok */
    bool closing;                  /* no reconnect: the API is stopping */
    struct event *retry;           /* reconnect timer */
    struct event_base *base;
    const fw_api_config *cfg;
    uint64_t reconnects;  /* successful connections */
    uint64_t errors;      /* error replies and lost connections */
    uint64_t timeouts;    /* rounds not answered within their deadline (then reconnected) */
    char last_error[128]; /* why the last connection failed or was lost ("" when none) */
    bool hung;            /* dropped for a deadline; cleared by the next connection's outcome */
} api_redis;

#define API_CONN_REFUSE_ROOM 64 /* connections being refused at the same time (conn.c) */

/* The API's HTTP connections: a pool of records, the cap and the deadlines (conn.c). */
typedef struct api_conn api_conn;
typedef struct {
    api_conn *pool; /* api_max_connections + a margin for those being refused */
    size_t pool_len;
    api_conn *free_list;
    api_conn **by_fd; /* connections by socket, up to the open-file limit seen at start */
    size_t by_fd_len;
    struct evconnlistener *listener; /* paused while no record is free; NULL once freed */
    unsigned open;                   /* connections counted against api_max_connections */
    uint64_t refused;                /* closed at once: the cap was reached */
    uint64_t closed_header;          /* headers not complete within api_header_timeout_s */
    uint64_t closed_body;            /* body not complete within api_body_timeout_s */
} api_conns;

/* Routes, in the order of the router's table; also the rows of the request counters. */
#define API_ROUTE_LIST(X)                                                                          \
    X(HEALTHZ, "healthz")                                                                          \
    X(METRICS, "metrics")                                                                          \
    X(VIOLATIONS, "violations")                                                                    \
    X(VIOLATION, "violation")                                                                      \
    X(NEAR, "vehicles_near")                                                                       \
    X(VEHICLE, "vehicle")                                                                          \
    X(TRACK, "track")                                                                              \
    X(TEXT, "text")                                                                                \
    X(STATS, "stats")                                                                              \
    X(RELOAD, "reload")                                                                            \
    X(REVOKE, "revoke")                                                                            \
    X(UNMATCHED, "unmatched")

typedef enum {
#define API_ROUTE_ENUM(name, label) API_ROUTE_##name,
    API_ROUTE_LIST(API_ROUTE_ENUM)
#undef API_ROUTE_ENUM
        API_ROUTE__COUNT
} api_route_id;

#define API_STATUS_CLASSES 6 /* 1xx..5xx by hundreds, index 0 unused */

/* Texts waiting for a terminal's reply (text.c); guarded by mu (completions come from
 * gateway worker threads). */
typedef struct api_text_op api_text_op;
typedef struct {
    pthread_mutex_t mu;
    api_text_op *head;
} api_texts;

/* ---- requests ------------------------------------------------------------------------- */

typedef struct api_req api_req;
typedef void (*api_step_fn)(api_req *r);
/* Digest one reply (never NULL, never an error reply) of a command issued with this tag. */
typedef void (*api_reply_fn)(api_req *r, const redisReply *reply, size_t tag);

#define API_ARG_MAX 128 /* a decoded path argument (plate, phone or id) */

struct api_req {
    struct fw_api *api;
    struct evhttp_request *http; /* NULL for the API's own queries (gauges) */
    api_route_id route;
    api_role role;
    char arg[API_ARG_MAX];         /* the path's '*' segment, percent-decoded; "" when none */
    unsigned pending;              /* replies still to come in this round */
    bool redis_failed;             /* a command could not be sent, failed or lost its connection */
    bool redis_timed_out;          /* ... because Redis did not answer within the deadline */
    unsigned redis_deadline_ms;    /* each round of commands must be answered within this */
    struct event *redis_deadline;  /* armed while a round is pending (HTTP requests only) */
    api_step_fn next;              /* runs when pending drops to 0 */
    void (*cleanup)(api_req *r);   /* frees what the handler owns; may be NULL */
    char phone[API_PHONE_MAX + 1]; /* resolved vehicle (api_resolve_vehicle) */
    char token[API_TOKEN_LABEL_MAX]; /* the bearer token's label, "" when none or unknown */
    const char *audit_detail;        /* what the audit entry adds (a text sent); may be NULL */
};

/* Violations stored, by type: refreshed on a timer for /metrics (gauge.c). */
typedef struct {
    api_req query; /* a request of the API's own, never answered */
    struct event *timer;
    bool valid;                        /* the last refresh succeeded */
    long long stored[API_TYPES_MAX];   /* as of the last successful refresh */
    long long counting[API_TYPES_MAX]; /* the refresh in progress */
} api_gauge;

/* Access audit entries (audit.c); API thread only. */
typedef struct {
    uint64_t written;       /* confirmed by Redis */
    uint64_t failed;        /* not sent, refused or lost with the connection */
    uint64_t suppressed;    /* 401s beyond the flood limit: counted, not written */
    uint64_t unrecorded;    /* of those, the ones not yet named by a later entry */
    double unauth_tokens;   /* 401 entries that may be written now (token bucket) */
    int64_t unauth_fill_ms; /* when the bucket was last refilled (monotonic) */
} api_audit_counts;

struct fw_api {
    fw_api_config cfg;
    fw_api_hooks hooks;
    struct event_base *base;
    struct evhttp *http;
    api_conns conns;
    struct ssl_ctx_st *tls; /* NULL: plain HTTP */
    struct event *stop_ev;  /* activated by fw_api_stop from another thread */
    uint16_t port;
    pthread_t thread;
    bool thread_started;
    pthread_mutex_t tokens_mu; /* fw_api_reload_tokens may run on another thread */
    api_tokens *tokens;
    api_redis redis;
    api_texts texts;
    uint64_t requests[API_ROUTE__COUNT][API_STATUS_CLASSES]; /* API thread only */
    api_gauge gauge;
    api_audit_counts audit;
    api_pb_arena pb_arena; /* API thread only */
    char *print_buf;       /* JSON answers are printed here (API thread only) */
    size_t print_cap;
};

/* Route handlers (one file each); start owns r from then on. */
void api_healthz_start(api_req *r, api_query *q);
void api_metrics_start(api_req *r, api_query *q);
void api_violations_start(api_req *r, api_query *q);
void api_violation_start(api_req *r, api_query *q);
void api_near_start(api_req *r, api_query *q);
void api_vehicle_start(api_req *r, api_query *q);
void api_track_start(api_req *r, api_query *q);
void api_text_start(api_req *r, api_query *q);
void api_stats_start(api_req *r, api_query *q);
void api_reload_start(api_req *r, api_query *q);
void api_revoke_start(api_req *r, api_query *q);
/* Sizes of the handlers' request states (each starts with an api_req). */
extern const size_t api_violations_state_size, api_violation_state_size, api_near_state_size,
    api_vehicle_state_size, api_track_state_size, api_text_state_size, api_stats_state_size,
    api_revoke_state_size;

/* The evhttp callback for every request (router.c). */
void api_route_request(struct evhttp_request *req, void *arg);

/* ---- connections (conn.c) and TLS (tls.c) --------------------------------------------- */

/* Take over evhttp's new connections (bufferevent callback). -1 with a reason in err. */
int api_conns_init(fw_api *api, struct evconnlistener *listener, char *err, size_t errcap);
/* After evhttp_free. */
void api_conns_free(api_conns *cs);
/* The router took req: its connection's deadline stops until the answer has been sent. */
void api_conn_dispatched(fw_api *api, struct evhttp_request *req);
void api_conns_render(const fw_api *api, fw_prom *out);

/* The TLS context from api_tls_cert / api_tls_key, or the check that plain HTTP is allowed
 * on host (api_plain_http). -1 with a reason in err. */
int api_tls_init(fw_api *api, const char *host, char *err, size_t errcap);
/* A TLS bufferevent for a new connection (socket set later); NULL without TLS or memory. */
struct bufferevent *api_tls_bev(fw_api *api, struct event_base *base);
void api_tls_free(fw_api *api);

/* ---- Redis (rconn.c) ------------------------------------------------------------------ */

int api_redis_open(api_redis *rd, struct event_base *base, const fw_api_config *cfg);
/* Disconnect for good; commands in flight complete as failures. */
void api_redis_close(api_redis *rd);

/* Issue a command (hiredis format: %s and %b are single arguments). false when it could not
 * be sent (then redis_failed is set and fn will not run). */
bool api_cmd(api_req *r, api_reply_fn fn, size_t tag, const char *fmt, ...);
/* The text of a string reply, "" for a reply of any other type (never NULL). */
static inline const char *api_str(const redisReply *reply)
{
    return reply->type == REDIS_REPLY_STRING ? reply->str : "";
}
/* Run next once every reply of this round has arrived (at once when none is pending). */
void api_then(api_req *r, api_step_fn next);
/* When a command of the round failed: answer 503 and return true (r is gone). */
bool api_failed(api_req *r);

/* Resolve r->arg (phone digits, or a plate via fw:plate:<plate>) into r->phone, then run
 * next; r->phone is "" when the plate is unknown. */
void api_resolve_vehicle(api_req *r, api_step_fn next);

/* Decode a violation record with the API's arena (API thread); NULL when malformed. Release
 * it before decoding the next one. (violation_pb.c) */
Fleetwatch__Violation *api_violation_decode(fw_api *api, const char *pb, size_t len);
void api_violation_release(fw_api *api, Fleetwatch__Violation *v);

/* ---- replies (reply.c) ---------------------------------------------------------------- */

/* Send body (consumed) with this status, then clean up and free r. */
void api_reply_json(api_req *r, int status, cJSON *body);
/* {"error": error, "param": param or null}. */
void api_reply_error(api_req *r, int status, const char *error, const char *param);
void api_reply_bad(api_req *r, const api_bad *bad);
/* A non-JSON body (metrics), copied. */
void api_reply_raw(api_req *r, int status, const char *content_type, const char *body, size_t len);
/* Answer a request that has no api_req (router errors) and count it. */
void api_send_error(fw_api *api, struct evhttp_request *req, api_route_id route, int status,
                    const char *error, const char *param);

/* Start / stop refreshing the violations gauge (gauge.c); render it for /metrics. */
int api_gauge_start(fw_api *api);
void api_gauge_stop(fw_api *api);
void api_gauge_render(const fw_api *api, fw_prom *out);

/* ---- access audit (audit.c) ----------------------------------------------------------- */

/* Who made an audited request: the token's label ("" when none or unknown), its role and what
 * the entry adds (may be NULL). */
typedef struct {
    const char *token;
    api_role role;
    const char *detail;
} api_audit_who;

/* One entry in fw:audit and one log line for an answered request: time, token, role, client
 * address, method, path with query, status, detail. Any call site may use it (refusals, an
 * admin action done outside a route's answer). */
void api_audit(fw_api *api, struct evhttp_request *req, const api_audit_who *who, int status);
/* At the answer of r (reply.c): audited when its route is (reads of vehicles, tracks and
 * violations, texts, admin actions; the table in audit.c), with r's token, role and
 * audit_detail. */
void api_audit_answer(api_req *r, int status);
/* fleetwatch_api_audit_entries_total{result} for /metrics. */
void api_audit_render(const fw_api *api, fw_prom *out);

/* ---- texts (text.c) ------------------------------------------------------------------- */

void api_texts_init(api_texts *t);
/* Answer every text still waiting with 503 (the API is stopping); later completions from the
 * gateway are absorbed. */
void api_texts_abort(fw_api *api);
void api_texts_destroy(api_texts *t);

#endif
