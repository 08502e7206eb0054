/* sim_term.h - one simulated terminal's connection: socket, framing of the platform's replies,
 * sending frames, the frames in flight and reconnecting.
 *
 * Per-terminal memory is kept small (about 450 bytes) because one process holds up to 19,000
 * of them: two libevent events, the phone, the auth code, a 48-byte tail for a reply split
 * across reads and a slot array in the engine's pool (16 bytes a slot). Larger split frames and
 * unsent bytes (a full socket buffer) get a buffer of their own, allocated on first need and freed
 * when the connection closes. What to send and how to answer is sim_session's job.
 */
#ifndef FW_SIM_TERM_H
#define FW_SIM_TERM_H

#include <event2/event.h>
#include <event2/event_struct.h>
#include <stdbool.h>
#include <stdint.h>

#include "fw/codec/jt_frame.h"

#include "sim_report.h"

typedef struct sim_engine sim_engine;

/* X(enum suffix, name) */
#define SIM_STATE_LIST(X)                                                                          \
    X(IDLE, "idle")                                                                                \
    X(CONNECTING, "connecting")                                                                    \
    X(REGISTERING, "registering")                                                                  \
    X(AUTHENTICATING, "authenticating")                                                            \
    X(ONLINE, "online")                                                                            \
    X(BACKOFF, "backoff")                                                                          \
    X(STOPPED, "stopped")

typedef enum {
#define SIM_STATE_ENUM(name, text) SIM_ST_##name,
    SIM_STATE_LIST(SIM_STATE_ENUM)
#undef SIM_STATE_ENUM
} sim_term_state;

const char *sim_term_state_name(sim_term_state s);

/* The positions a location frame carries, by GNSS time: `points` positions at gnss_s,
 * gnss_s + step_s, ... (UTC epoch seconds; a 0x0704's points are whole seconds apart). */
typedef struct {
    uint32_t gnss_s;
    uint16_t step_s;
    uint8_t points; /* 0: not a location frame */
} sim_positions;

/* A frame waiting for its 0x8001/0x8100. */
typedef struct {
    uint16_t msg_id; /* 0: free slot */
    uint16_t serial;
    uint32_t sent_us;  /* engine clock, wraps after 71 minutes (latencies are differences) */
    sim_positions pos; /* what an ack of a location frame confirms (the ack log) */
} sim_inflight;

#define SIM_RX_INLINE 48u    /* a 0x8001 fits even fully escaped */
#define SIM_AUTH_MAX  33u    /* longest auth code kept, NUL included (fleetwatch: 32 digits) */
#define SIM_SPILL_CAP 16384u /* unsent bytes kept when the socket buffer is full */

typedef struct {
    struct event io;    /* socket readiness */
    struct event timer; /* periodic tick, or the reconnect backoff */
    sim_engine *eng;
    sim_inflight *slots; /* eng->slots_per_term entries in the engine's pool */
    uint8_t *rx_big;     /* JT_MAX_ESCAPED_FRAME bytes for a long split frame, or NULL */
    uint8_t *spill;      /* SIM_SPILL_CAP unsent bytes, or NULL */
    uint32_t index;      /* terminal number over all processes */
    int fd;
    uint32_t last_tx_us;  /* when anything was last sent */
    uint32_t alarm_seq;   /* numbers ADAS/DSM alarms */
    uint32_t last_gnss_s; /* newest GNSS second of a live report (UTC), for unique seconds */
    double last_report_s; /* vehicle time of the last report (events due since) */
    double replay_from_s; /* vehicle time of the next blind-area report to replay */
    uint32_t replay_left; /* blind-area reports still to replay, sent as acks free slots */
    uint16_t serial;      /* next message serial */
    uint16_t rx_len;      /* pending bytes of a split frame (rx_tail or rx_big) */
    uint16_t spill_len;
    uint16_t passengers_sent;
    uint8_t state;    /* sim_term_state */
    uint8_t inflight; /* used slots */
    uint8_t auth_len; /* 0: no auth code yet: register first */
    uint8_t phone_bcd_len;
    jt_scan_state scan;
    bool ever_online;
    uint8_t phone_bcd[10];
    char auth[SIM_AUTH_MAX];
    uint8_t rx_tail[SIM_RX_INLINE];
} sim_term;

/* Prepare terminal `index` (no I/O yet). */
void sim_term_init(sim_term *t, sim_engine *eng, uint32_t index, sim_inflight *slots);
/* Open the connection (state CONNECTING); failures go to backoff. */
void sim_term_connect(sim_term *t);
/* Frame and send a body; with `track` the frame waits for an ack in a slot, which keeps `pos`
 * (NULL: no positions). Returns the serial used, or -1 (counted as send_failed) when no slot is
 * free or it cannot be built. */
int sim_term_send(sim_term *t, uint16_t msg_id, const uint8_t *body, size_t len, bool track,
                  const sim_positions *pos);
/* Remove the slot of an acked frame; returns true and a copy of the slot when there was one. */
bool sim_term_settle(sim_term *t, uint16_t serial, uint16_t msg_id, sim_inflight *settled);
/* Frames with this message id waiting for their ack. */
unsigned sim_term_inflight_of(const sim_term *t, uint16_t msg_id);
/* Drop frames in flight longer than the ack timeout, counting each as ack_timeout. */
void sim_term_expire(sim_term *t, uint32_t now_us);
/* Close the connection, count `why` (SIM_E__COUNT: nothing) and reconnect after a backoff,
 * unless the engine is stopping. */
void sim_term_drop(sim_term *t, sim_error why);
/* Close for good and release buffers. */
void sim_term_stop(sim_term *t);
/* Switch the tick timer on (when online). */
void sim_term_start_ticks(sim_term *t);

#endif
