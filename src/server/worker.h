/* worker.h - the gateway's internal structures: server, workers, connections (internal).
 *
 * A worker is one thread running one libevent loop with its own SO_REUSEPORT listener. It owns its
 * connections outright: no other thread touches them. Other threads talk to a worker only by
 * posting messages to its queue (worker_post), which wakes the loop; that is how a connection on
 * another worker is closed (replacement), a downlink command is delivered and a reloaded registry
 * is handed over.
 *
 * Connections are kept in a slot table; a connection is named across threads and across time by
 * (slot, generation), so stale names fail to resolve instead of dangling.
 *
 * Time: each worker caches a monotonic clock (now_us, now_s) refreshed at the start of every
 * callback; the connection struct stores 32-bit seconds of that clock.
 */
#ifndef FW_SERVER_WORKER_H
#define FW_SERVER_WORKER_H

#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "acks.h"
#include "authcode.h"
#include "backoff.h"
#include "fw/base/authority.h"
#include "fw/codec/jt_frame.h"
#include "fw/codec/jt_msg.h"
#include "fw/codec/jt_subpkg.h"
#include "fw/server/server.h"
#include "peers.h"
#include "sessions.h"

struct event_base;
struct event;
struct sockaddr;
struct evconnlistener;
typedef struct fw_worker fw_worker;
typedef struct fw_downlink fw_downlink;
typedef struct fw_out fw_out;

typedef enum {
    CONN_NEW,     /* no valid frame yet */
    CONN_OPEN,    /* valid frames seen, not authenticated */
    CONN_AUTHED,  /* authenticated: in the session map */
    CONN_CLOSING, /* reading stopped; freed once the output is flushed */
} conn_state;

enum {
    CONN_IN_READ = 1u << 0,            /* inside the read callback: defer freeing */
    CONN_RATE_PAUSED = 1u << 1,        /* frame rate cap hit: resumed by the next tick */
    CONN_OUTPUT_PAUSED = 1u << 2,      /* too many unsent replies: resumed when drained */
    CONN_HAS_SUBPKG = 1u << 3,         /* sent sub-packages: forget them on close */
    CONN_STAGED = 1u << 4,             /* has bytes in the worker's output stage (output.c) */
    CONN_ABORTED = 1u << 5,            /* closed without flushing: staged bytes are dropped */
    CONN_LOCATED = 1u << 6,            /* the sink accepted a location of this connection */
    CONN_HAS_PREAUTH_SUBPKG = 1u << 7, /* sent sub-packages before authenticating */
    CONN_AUTH_WAIT = 1u << 8,          /* a 0x0100/0x0102 awaits the authority: reading stops */
};

/* One terminal connection. Kept small: between reads only a partial frame (rare) is held, and an
 * output buffer exists only while the socket refuses bytes. */
typedef struct {
    struct event *rev; /* read readiness (persistent; added while reading) */
    fw_out *out;       /* bytes the socket did not take yet; NULL when none (output.c) */
    uint8_t *held;     /* input not consumed yet: a partial frame, or frames left by a
                          pause; malloc'd, NULL when none (input.c) */
    fw_worker *w;
    fw_peer *peer; /* its source address's count (peers.h); NULL without a per-address cap */
    int fd;
    uint32_t held_len;
    uint32_t slot;
    uint32_t gen;
    uint32_t last_rx_s; /* worker clock: last input (or when closing started) */
    uint32_t opened_s;
    uint32_t rate_window_s;     /* start of the current frame-rate window */
    uint32_t garbage_bytes;     /* bytes that were not frames, in the connection's life */
    uint32_t empty_frames;      /* empty frames beyond the one between two frames, in its life */
    uint16_t rate_frames;       /* frames in the current window */
    uint16_t next_serial;       /* platform serial for the next message to this terminal */
    uint16_t pending_acks;      /* frames whose locations the sink is still storing */
    uint8_t state;              /* conn_state */
    uint16_t flags;             /* CONN_* */
    uint8_t bad_frames;         /* consecutive */
    uint8_t preauth_heartbeats; /* heartbeats answered before authentication */
    uint8_t close_reason;       /* fw_close_reason, valid when CLOSING */
    uint8_t phone_raw_len;      /* BCD phone of the last valid frame: 6 (2013) or 10
                                   (2019) */
    uint8_t proto_version;
    uint8_t phone_raw[10];
    bool v2019;
    jt_scan_state scan;
} fw_conn;

typedef struct {
    fw_conn *conn; /* NULL when free */
    uint32_t gen;
    uint32_t next_free;
} conn_slot;

/* Messages posted to a worker from other threads. */
typedef enum { WMSG_CLOSE, WMSG_DOWNLINK, WMSG_REGISTRY, WMSG_STOP } wmsg_kind;
typedef struct wmsg {
    struct wmsg *next;
    wmsg_kind kind;
    fw_conn_ref ref;                     /* WMSG_CLOSE */
    fw_close_reason reason;              /* WMSG_CLOSE */
    char phone[JT_PHONE_MAX_DIGITS + 1]; /* WMSG_CLOSE, REPLACED: the terminal */
    char addr[FW_AUTH_ADDR_MAX];         /* WMSG_CLOSE, REPLACED: the new connection's peer */
    fw_downlink *downlink;               /* WMSG_DOWNLINK */
    fw_registry *registry;               /* WMSG_REGISTRY: one reference handed over */
} wmsg;

#define REPLY_SCRATCH   (JT_MAX_ESCAPED_FRAME + 64)
#define FW_OUT_STAGE    65536 /* bytes of replies staged per worker and loop turn */
#define FW_OUT_SEGMENTS 2048  /* connections with staged replies per loop turn */

typedef struct {
    fw_conn *conn;
    uint32_t start, len; /* in the worker's stage */
} fw_out_segment;

struct fw_worker {
    struct fw_server *srv;
    unsigned idx;
    pthread_t thread;
    sem_t started; /* posted by the thread once its start hook returned */
    int start_rc;  /* the start hook's result (0 without one) */
    struct event_base *base;
    struct evconnlistener *listener;
    struct event *tick_ev;   /* once a second: timeouts, rate windows, sub-packages */
    struct event *notify_ev; /* wakes the loop for posted messages (eventfd readable) */
    int notify_fd;           /* eventfd other threads write to after posting */
    struct event *stop_ev;   /* shutdown deadline */

    conn_slot *slots;
    uint32_t slot_cap;
    uint32_t free_slot;
    uint32_t nconns;

    fw_registry *registry; /* this worker's reference, swapped between callbacks */
    fw_sink *sink;
    fw_authority *authority;   /* where auth codes are granted and checked (authority.h) */
    jt_subpkg *subpkg;         /* sub-packages of authenticated terminals */
    jt_subpkg *subpkg_preauth; /* of terminals not authenticated yet (0x0100, 0x0102): apart, so
                                  forged phones cannot evict authenticated terminals' messages */
    fw_ack_pool acks;
    fw_downlink *downlinks; /* commands awaiting 0x0001, oldest first */

    pthread_mutex_t queue_lock;
    wmsg *queue_head, *queue_tail;

    bool stopping;
    bool disconnect_superseded; /* during hooks->on_disconnect: fw_server_disconnect_superseded */
    bool accept_paused;         /* accept() failed: the listener rests until the next tick */
    uint64_t now_us;            /* monotonic */
    uint32_t now_s;
    int64_t wall_ms; /* UTC epoch ms, refreshed with now_us */

    struct event *flush_ev; /* sends the output stage after the current loop turn */
    bool flush_pending;
    uint32_t nsegs;
    fw_out_segment segs[FW_OUT_SEGMENTS]; /* per connection: its bytes in stage */
    size_t stage_len;
    uint8_t stage[FW_OUT_STAGE]; /* replies of one loop turn (output.c) */
    uint8_t *rx;                 /* read buffer: held bytes + one read (input.c) */
    size_t rx_cap;               /* input_cap_bytes + the largest frame */
    uint8_t body_scratch[JT_MAX_BODY + 64];
    uint8_t frame_scratch[REPLY_SCRATCH];
    fw_worker_metrics metrics;
};

struct fw_server {
    fw_server_config cfg;
    fw_server_hooks hooks;
    fw_auth_table *auth_table; /* the memory authority's grants, or the cache below */
    fw_auth_table *auth_cache; /* digests an external authority granted or confirmed on this
                                  node: used while it cannot be reached; NULL without one */
    fw_backoff *fail_by_phone; /* failed 0x0100/0x0102 per phone */
    fw_backoff *fail_by_addr;  /* ... per source address */
    fw_sessions *sessions;
    fw_peers *peers; /* connections per source address; NULL when not capped */
    unsigned nworkers;
    fw_worker **workers;
    _Atomic unsigned nconns; /* open connections, all workers */
    pthread_mutex_t reload_lock;
    fw_registry *registry; /* the server's reference (protected by reload_lock) */
    unsigned nstarted;     /* workers whose thread runs (fw_server_start), stopped in order */
};

/* Count one server-level error on the worker. */
static inline void worker_count_error(fw_worker *w, fw_server_error e)
{
    fw_counter_add(&w->metrics.server_errors[e], 1);
}

/* ---- worker.c -------------------------------------------------------------------------------- */
fw_worker *worker_new(struct fw_server *srv, unsigned idx, const char *host, uint16_t port,
                      fw_registry *registry, char *err, size_t errcap);
void worker_free(fw_worker *w);
/* Run the worker's thread and wait for its start hook: 0, or -1 (no thread, or the hook failed and
 * the thread has ended). */
int worker_start(fw_worker *w);
void worker_join(fw_worker *w);
/* Post a message (takes ownership of m); any thread. */
void worker_post(fw_worker *w, wmsg *m);
void worker_clock(fw_worker *w);
/* Take a slot for a new connection (its generation is slots[i].gen); UINT32_MAX when out of memory.
 * Release it when the connection is freed (stale names then fail to resolve). */
uint32_t worker_slot_take(fw_worker *w, fw_conn *c);
void worker_slot_release(fw_worker *w, uint32_t slot);
/* Resolve a connection name; NULL when stale. */
fw_conn *worker_conn(fw_worker *w, uint32_t slot, uint32_t gen);
fw_conn_ref conn_ref(const fw_conn *c);

/* ---- conn.c ---------------------------------------------------------------------------------- */
/* A connection from addr was accepted: admit it (max_connections, max_connections_per_address) or
 * close it at once, counted and logged. */
void conn_accept(fw_worker *w, int fd, const struct sockaddr *addr);
/* Stop reading and close once queued replies are flushed (or at once when output is empty). */
void conn_close(fw_conn *c, fw_close_reason reason);
/* Close without flushing. */
void conn_abort(fw_conn *c, fw_close_reason reason);
/* A bad frame: closes the connection after max_bad_frames in a row. */
void conn_bad_frame(fw_conn *c);
/* Input that is not frames: bytes (garbage, unreadable or oversize candidates) and empty frames.
 * Counted; closes the connection past max_garbage_bytes or max_empty_frames. */
void conn_bad_input(fw_conn *c, size_t bytes, size_t empty_frames);
/* Free a closing connection whose output is flushed, unless it is being read, has staged bytes or
 * awaits location acks (then whoever finishes with it settles it again). */
void conn_settle(fw_conn *c);
/* Once a second: timeouts, frame-rate windows. */
void conn_tick(fw_conn *c);
/* The terminal's phone as digits without leading zeros (from the last accepted frame). */
void conn_phone(const fw_conn *c, char out[JT_PHONE_MAX_DIGITS + 1]);
/* True when c is authenticated as the terminal that sent f. */
bool conn_authed_for(const fw_conn *c, const jt_frame *f);

/* ---- input.c --------------------------------------------------------------------------------- */
/* Create the read event and start reading. 0 or -1. */
int input_open(fw_conn *c);
/* Stop reading (pause or close). */
void input_stop(fw_conn *c);
/* Read again unless paused or closing, after handling the bytes held back. */
void input_resume(fw_conn *c);
/* Free the read event and the held bytes. */
void input_close(fw_conn *c);

/* ---- output.c -------------------------------------------------------------------------------- */
int output_init(fw_worker *w);
/* Queue bytes to the terminal: staged, sent after the current loop turn. */
void conn_write(fw_conn *c, const uint8_t *p, size_t n);
/* Send everything staged now. */
void output_flush(fw_worker *w);
/* Bytes the socket has not taken yet. */
size_t output_queued(const fw_conn *c);
/* Drop (abort) or free (close) the unsent bytes. */
void output_close(fw_conn *c);

/* ---- reply.c --------------------------------------------------------------------------------- */
/* Build a frame to the terminal and queue it on the connection's output; the platform serial comes
 * from the connection. reply_send addresses it with the connection's phone and version, reply_to
 * with those of frame f. Return the serial used, or -1 when it could not be built. */
int reply_send(fw_conn *c, uint16_t msg_id, const uint8_t *body, size_t body_len);
int reply_to(fw_conn *c, const jt_frame *f, uint16_t msg_id, const uint8_t *body, size_t body_len);
/* 0x8001 answering frame f / answering (serial, msg_id) later, with result; both record the ack in
 * the metrics with its latency from start_us. */
void reply_ack_to(fw_conn *c, const jt_frame *f, uint8_t result);
void reply_ack(fw_conn *c, uint16_t serial, uint16_t msg_id, uint8_t result, uint64_t start_us);

/* ---- dispatch.c ------------------------------------------------------------------------------ */
/* Handle one escaped frame (between the flags), unescaping it in place. */
void dispatch_frame(fw_conn *c, uint8_t *frame, size_t len);

/* ---- locations.c ----------------------------------------------------------------------------- */
void location_single(fw_conn *c, const jt_frame *f, const jt_body *b);
void location_reply(fw_conn *c, const jt_frame *f, const jt_body *b);
void location_batch(fw_conn *c, const jt_frame *f, const jt_body *b);
/* Pending-ack completion (acks.h callback, ctx = worker). */
void location_ack_complete(void *ctx, const fw_ack_slot *slot);

/* ---- session.c ------------------------------------------------------------------------------- */
void session_register(fw_conn *c, const jt_frame *f, const jt_body *b);
void session_auth(fw_conn *c, const jt_frame *f, const jt_body *b);
/* 0x0003 deregistration: the terminal's auth code is revoked, then the connection closes. */
void session_logout(fw_conn *c, const jt_frame *f, const jt_body *b);
/* Leave the session map (on close or logout). True when c still held its terminal's session (false:
 * not authenticated, or a newer connection of the terminal has claimed it). */
bool session_end(fw_conn *c);
/* prev's session passed to a newer connection of phone from new_addr: logged and counted when the
 * address changed (a cloned SIM is evidence too); prev closes. */
void session_replaced(fw_conn *prev, const char *phone, const char *new_addr);

/* The connection's peer as "address:port" ("?" when unknown). */
void conn_peer(const fw_conn *c, char out[FW_AUTH_ADDR_MAX]);

/* ---- subpkg.c -------------------------------------------------------------------------------- */
/* Returns true when the packet completed a message, now described by *whole (body pointing into the
 * reassembler, valid until its next call). Acks incomplete packets itself. */
bool subpkg_add(fw_conn *c, const jt_frame *f, jt_frame *whole);
void subpkg_tick(fw_worker *w);
/* A connection is freed: drop what its terminal left unfinished. */
void subpkg_forget(fw_conn *c);

/* ---- downlink.c ------------------------------------------------------------------------------ */
void downlink_deliver(fw_worker *w, fw_downlink *d);
/* A terminal 0x0001 arrived: complete the matching command, if any. */
void downlink_answer(fw_conn *c, uint16_t serial, uint16_t msg_id, uint8_t result);
void downlink_tick(fw_worker *w);
/* Complete every command of a closing connection (c) or of the worker (c == NULL). */
void downlink_cancel(fw_worker *w, const fw_conn *c);

#endif
