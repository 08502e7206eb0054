/* metrics.h - the gateway's counters: kept per worker without locks, summed on demand.
 *
 * Each worker owns one fw_worker_metrics and is its only writer (single-writer fw_counter of
 * fw/base/counter.h), so any thread may read them at any time without a data race. fw_metrics_sum()
 * adds the workers' blocks into a plain snapshot; fw_metrics_render_prometheus() writes it with the
 * base layer's Prometheus writer (fw/base/prom.h; served on /metrics by the API). Gauges (open
 * connections, sessions) are differences of monotonic counters, so they too need no cross-thread
 * writes. This header keeps the gateway's vocabularies: close reasons, server errors, identity
 * verdicts, message slots.
 */
#ifndef FW_METRICS_H
#define FW_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "fw/base/counter.h"
#include "fw/codec/jt_errors.h"

/* Why a connection was closed. X(enum suffix, label) */
#define FW_CLOSE_LIST(X)                                                                           \
    X(PEER, "peer")                     /* terminal closed or reset the connection */              \
    X(IDLE, "idle")                     /* nothing received for idle_timeout_s */                  \
    X(NO_VALID_FRAME, "no_valid_frame") /* no valid frame within first_frame_timeout_s */          \
    X(BAD_FRAMES, "bad_frames")         /* max_bad_frames consecutive bad frames */                \
    X(HTTP, "http")                     /* an HTTP request line instead of JT/T 808 */             \
    X(OUTPUT_BACKLOG, "output_backlog") /* replies not read by the terminal */                     \
    X(REPLACED, "replaced")             /* the same phone authenticated on a new connection */     \
    X(REFUSED, "refused")               /* registration or authentication refused */               \
    X(LOGOUT, "logout")                 /* 0x0003 deregistration: its auth code is revoked */      \
    X(REVOKED, "revoked")               /* an operator revoked the terminal's auth code */         \
    X(SHUTDOWN, "shutdown")             /* server stopping */                                      \
    X(ERROR, "error")                   /* socket error */                                         \
    X(AUTH_TIMEOUT, "auth_timeout")     /* not authenticated within auth_timeout_s */              \
    X(BAD_INPUT, "bad_input")           /* max_garbage_bytes or max_empty_frames exceeded */

typedef enum {
#define FW_CLOSE_ENUM(name, str) FW_CLOSE_##name,
    FW_CLOSE_LIST(FW_CLOSE_ENUM)
#undef FW_CLOSE_ENUM
        FW_CLOSE__COUNT
} fw_close_reason;

/* Server-level error kinds (codec errors are counted by jt_err). X(enum suffix, label) */
#define FW_SERR_LIST(X)                                                                            \
    X(MAX_CONNECTIONS, "max_connections")   /* connection refused: limit reached */                \
    X(ACCEPT_FAILED, "accept_failed")       /* accept() failed (e.g. out of file descriptors) */   \
    X(RATE_LIMITED, "rate_limited")         /* reading paused: frame rate cap hit */               \
    X(DAMAGED_FRAME, "damaged_frame")       /* check code or length wrong */                       \
    X(GARBAGE_BYTES, "garbage_bytes")       /* bytes that are not frames (max_garbage_bytes) */    \
    X(UNAUTHENTICATED, "unauthenticated")   /* data message before authentication */               \
    X(UNSUPPORTED, "unsupported")           /* message id without a decoder (result 3) */          \
    X(BAD_BODY, "bad_body")                 /* body could not be decoded (result 2) */             \
    X(REGISTER_REFUSED, "register_refused") /* 0x8100 result != 0 */                               \
    X(AUTH_FAILED, "auth_failed")           /* wrong, revoked or no auth code, unknown phone */    \
    X(AUTH_BACKOFF, "auth_backoff")         /* 0x0100/0x0102 refused: shut out after failures */   \
    X(AUTHORITY_FAILED, "authority_failed") /* the authority (Redis) could not answer */           \
    X(SESSION_MOVED, "session_moved")       /* session taken over from another address */          \
    X(SINK_FULL, "sink_full")               /* sink refused a location: frame not acked */         \
    X(SINK_FAILED, "sink_failed")           /* sink reported a failed store (result 1) */          \
    X(ACK_SLOTS_FULL, "ack_slots_full")     /* no pending-ack slot free: frame not acked */        \
    X(SUBPKG, "subpkg")                     /* sub-package refused by the reassembler */           \
    X(DOWNLINK_TIMEOUT, "downlink_timeout") /* command not answered in time */                     \
    X(MAX_PER_ADDRESS, "max_per_address")   /* connection refused: max_connections_per_address */  \
    X(EMPTY_FRAME, "empty_frame")           /* a 0x7e that delimits nothing (7e7e beyond one) */   \
    X(SUBPKG_EVICTED, "subpkg_evicted")     /* series dropped: subpkg_max_per_terminal reached */

typedef enum {
#define FW_SERR_ENUM(name, str) FW_SERR_##name,
    FW_SERR_LIST(FW_SERR_ENUM)
#undef FW_SERR_ENUM
        FW_SERR__COUNT
} fw_server_error;

/* Verdicts on a registration (0x0100), src/server/identity.h. X(enum suffix, label) */
#define FW_IDENTITY_LIST(X)                                                                        \
    X(OK, "ok")                                   /* matched: a code was issued */                 \
    X(UNKNOWN_PHONE, "unknown_phone")             /* the phone is in no registry entry */          \
    X(PLATE, "plate")                             /* plate differs (or is not GBK) */              \
    X(PLATE_COLOR, "plate_color")                 /* plate colour differs */                       \
    X(NO_TERMINAL_ON_FILE, "no_terminal_on_file") /* no terminal_id on file, binding required */   \
    X(TERMINAL_ID, "terminal_id")                 /* terminal id differs */                        \
    X(MAKER, "maker")                             /* manufacturer id differs */                    \
    X(MODEL, "model")                             /* terminal model differs */                     \
    X(BACKOFF, "backoff")                         /* phone or address shut out after failures */   \
    X(OTHER_PHONE, "other_phone")                 /* connection authenticated as another phone */  \
    X(NO_AUTHORITY, "no_authority")               /* the code could not be stored (Redis down) */

typedef enum {
#define FW_IDENTITY_ENUM(name, str) FW_IDENTITY_##name,
    FW_IDENTITY_LIST(FW_IDENTITY_ENUM)
#undef FW_IDENTITY_ENUM
        FW_IDENTITY__COUNT
} fw_identity_verdict;

/* Uplink message ids counted individually; everything else is counted as "other". */
#define FW_METRIC_MSG_LIST(X)                                                                      \
    X(0x0001)                                                                                      \
    X(0x0002)                                                                                      \
    X(0x0003)                                                                                      \
    X(0x0004)                                                                                      \
    X(0x0100)                                                                                      \
    X(0x0102)                                                                                      \
    X(0x0104)                                                                                      \
    X(0x0107)                                                                                      \
    X(0x0200)                                                                                      \
    X(0x0201)                                                                                      \
    X(0x0702)                                                                                      \
    X(0x0704)                                                                                      \
    X(0x0800)                                                                                      \
    X(0x0801)                                                                                      \
    X(0x0900)                                                                                      \
    X(0x1005)

enum {
#define FW_MSG_SLOT_ENUM(id) FW_MSG_SLOT_##id,
    FW_METRIC_MSG_LIST(FW_MSG_SLOT_ENUM)
#undef FW_MSG_SLOT_ENUM
        FW_MSG_SLOT_OTHER,
    FW_MSG_SLOT__COUNT
};

/* Slot of a message id in frames_by_msg[]. */
unsigned fw_metrics_msg_slot(uint16_t msg_id);
/* Message id of a slot; 0 for FW_MSG_SLOT_OTHER. */
uint16_t fw_metrics_slot_msg(unsigned slot);

/* Ack latency histogram: upper bounds in microseconds (from reading the frame to queueing the ack),
 * plus an implicit +Inf bucket. */
#define FW_ACK_LATENCY_BUCKETS_US                                                                  \
    {                                                                                              \
        100, 250, 500, 1000, 2500, 5000, 10000, 25000, 100000, 1000000                             \
    }
#define FW_ACK_LATENCY_NBUCKETS 11 /* 10 bounds + Inf */

#define FW_ACK_RESULTS 5 /* 0x8001 results 0..4 */

/* One worker's counters. Written only by that worker (fw_counter_add). */
typedef struct {
    fw_counter conn_accepted;
    fw_counter conn_closed[FW_CLOSE__COUNT];
    fw_counter sessions_started; /* successful authentications */
    fw_counter sessions_ended;
    fw_counter frames_by_msg[FW_MSG_SLOT__COUNT];
    fw_counter codec_errors[JT_ERR__COUNT];
    fw_counter server_errors[FW_SERR__COUNT];
    fw_counter bytes_in;
    fw_counter bytes_out;
    fw_counter acks_by_result[FW_ACK_RESULTS];
    fw_histogram ack_latency_us; /* FW_ACK_LATENCY_BUCKETS_US */
    fw_counter locations;        /* locations handed to the sink */
    fw_counter downlink_sent;
    fw_counter downlink_answered;
    fw_counter subpkg_resend_requests;            /* 0x8003 sent */
    fw_counter registrations[FW_IDENTITY__COUNT]; /* 0x0100 by verdict */
    fw_counter revocations;                       /* grants removed: 0x0003 and operators */
} fw_worker_metrics;

/* Record one ack: its result and its latency. */
void fw_metrics_ack(fw_worker_metrics *m, uint8_t result, uint64_t latency_us);

/* The sum of all workers, plain numbers. */
typedef struct {
    unsigned workers;
    uint64_t conn_accepted;
    uint64_t conn_closed[FW_CLOSE__COUNT];
    uint64_t conn_open;     /* gauge: accepted - closed */
    uint64_t sessions_open; /* gauge: authenticated connections */
    uint64_t sessions_started;
    uint64_t frames_by_msg[FW_MSG_SLOT__COUNT];
    uint64_t codec_errors[JT_ERR__COUNT];
    uint64_t server_errors[FW_SERR__COUNT];
    uint64_t bytes_in, bytes_out;
    uint64_t acks_by_result[FW_ACK_RESULTS];
    uint64_t ack_latency[FW_ACK_LATENCY_NBUCKETS]; /* per bucket, not cumulative */
    uint64_t ack_latency_sum_us;
    uint64_t locations;
    uint64_t downlink_sent, downlink_answered;
    uint64_t subpkg_resend_requests;
    uint64_t registrations[FW_IDENTITY__COUNT];
    uint64_t revocations;
} fw_metrics_snapshot;

void fw_metrics_sum(fw_worker_metrics *const *workers, unsigned n, fw_metrics_snapshot *out);

/* Render the snapshot in the Prometheus text format (metric names prefixed "fleetwatch_"). Writes
 * at most cap bytes including a NUL; returns the length the full text needs (excluding the NUL),
 * like snprintf: call again with a bigger buffer when the result >= cap. */
size_t fw_metrics_render_prometheus(const fw_metrics_snapshot *s, char *out, size_t cap);

/* Label of a close reason / server error ("idle"); "unknown" out of range. */
const char *fw_close_reason_name(fw_close_reason r);
const char *fw_server_error_name(fw_server_error e);
const char *fw_identity_verdict_name(fw_identity_verdict v);

#endif
