/* sim_engine.h - one simulator process: its event loop, its share of the terminals, the clocks,
 * the connection ramp, the stop conditions (duration, frame budget, scenario end, signals)
 * and its report.
 *
 * With --ack-log the engine owns the process's ack log (flushed every clock tick and at the end).
 *
 * Time: the wall clock is CLOCK_MONOTONIC microseconds from t0_us, which the parent sets before
 * forking so that every process plays the same scenario time. Scenario time runs
 * `compression` times faster and maps to GNSS time from the scenario's start (China time in
 * the file, UTC epoch seconds here).
 */
#ifndef FW_SIM_ENGINE_H
#define FW_SIM_ENGINE_H

#include <event2/event.h>
#include <stdbool.h>
#include <stdint.h>

#include "fw/codec/jt_frame.h"

#include "sim_acklog.h"
#include "sim_fleet.h"
#include "sim_frames.h"
#include "sim_options.h"
#include "sim_report.h"
#include "sim_term.h"

#define SIM_RX_SCRATCH (64u * 1024u)
#define SIM_TXQ_CAP    (8u * 1024u) /* at most half of SIM_SPILL_CAP */

struct sim_engine {
    struct event_base *base;
    const sim_options *opt;
    const sim_fleet *fleet;
    sim_vehicle base_vehicle; /* identity template of terminals without a file */
    sim_term *terms;
    uint32_t count;       /* terminals in this process */
    uint32_t first_index; /* global number of terms[0] */
    sim_inflight *slot_pool;
    uint32_t slots_per_term; /* --inflight plus room for control frames */

    uint64_t t0_us;     /* monotonic start, shared by all processes */
    double compression; /* scenario seconds per wall second */
    double report_s;    /* scenario seconds between reports; 0: back to back */
    double end_s;       /* scenario time to stop at (INFINITY: none) */
    double tick_s;      /* wall seconds between a terminal's ticks */
    int64_t start_utc;  /* GNSS time at scenario time 0 */
    uint32_t ack_timeout_us;
    uint32_t heartbeat_us;

    uint64_t frames_left;     /* location frames still allowed (UINT64_MAX: no limit) */
    double ramp_per_s;        /* this process's share of --ramp */
    uint32_t started;         /* terminals the ramp has started */
    uint32_t online;          /* terminals online now */
    uint32_t ever_online;     /* terminals that have been online at least once */
    uint64_t inflight;        /* frames in flight over all terminals */
    bool draining;            /* no new reports; waiting for acks, then stop */
    bool window_open;         /* all terminals were started and have had their chance */
    uint64_t window_start_us; /* measurement window, wall us since t0 (0 until it opens) */
    uint64_t window_end_us;   /* set when draining starts */
    uint64_t stop_by_us;      /* end of the window (--duration), then of the drain */
    uint64_t last_ack_us;     /* when the last ack arrived */
    uint64_t ramp_done_us;
    uint64_t next_progress_us;
    uint64_t progress_acked; /* acks at the last progress line */

    struct event *ramp_ev, *clock_ev, *sigint_ev, *sigterm_ev;
    const struct timeval *tick_tv; /* common timeout of the terminals' ticks */
    sim_report report;
    const char *tag;   /* "" or "[proc k] " for log lines */
    sim_acklog acklog; /* --ack-log: positions acked with result 0 (fd -1 without it) */

    uint8_t rx[SIM_RX_SCRATCH + JT_MAX_ESCAPED_FRAME]; /* pending tail + one read */
    uint8_t tx[JT_MAX_ESCAPED_FRAME];
    uint8_t txq[SIM_TXQ_CAP]; /* frames of the terminal being served, sent in one write */
    size_t txq_len;
    sim_term *corked; /* that terminal (see sim_term.c), or NULL */
    uint8_t body[JT_MAX_BODY];
    uint8_t batch_items[SIM_MAX_BATCH][SIM_ITEMS_CAP]; /* items of the points of one 0x0704 */
};

uint64_t sim_clock_us(void);
/* Wall microseconds since t0, as the 32-bit stamp kept in flight slots. */
uint32_t sim_engine_stamp(const sim_engine *e);
/* Scenario seconds now. */
double sim_engine_scenario_s(const sim_engine *e);
int64_t sim_engine_utc(const sim_engine *e, double scenario_s);

/* Set up terminals [first, first + count) of the whole run and the loop; e must be zeroed.
 * frames: this process's location frame budget (UINT64_MAX: none). Returns 0 or -1 (then
 * call sim_engine_free). */
int sim_engine_init(sim_engine *e, const sim_options *opt, const sim_fleet *fleet, uint32_t first,
                    uint32_t count, uint64_t frames, double ramp_per_s, uint64_t t0_us,
                    const char *tag);
/* Run until a stop condition; the report is then in e->report. */
void sim_engine_run(sim_engine *e);
void sim_engine_free(sim_engine *e);

/* The vehicle terminal `index` simulates (base_vehicle without a file), its phone number and
 * plate (the file's, or generated from --phone-base and the index). */
const sim_vehicle *sim_engine_vehicle(const sim_engine *e, uint32_t index);
void sim_engine_phone(const sim_engine *e, uint32_t index, char out[JT_PHONE_MAX_DIGITS + 1]);
void sim_engine_plate(const sim_engine *e, uint32_t index, char out[32]);
/* The path terminal `index` drives and the scenario time at which it is at vehicle time 0
 * (terminals sharing the default path start at different places on it). */
const sim_path *sim_engine_path(const sim_engine *e, uint32_t index, double *offset_s);

/* Called by terminals. */
void sim_engine_count(sim_engine *e, sim_counter c, uint64_t n);
void sim_engine_error(sim_engine *e, sim_error err);
void sim_engine_ack_latency(sim_engine *e, uint32_t sent_us, bool is_location);
/* The platform acked the positions of terminal `index` with result 0: into the ack log. */
void sim_engine_acked_positions(sim_engine *e, uint32_t index, const sim_positions *pos);
void sim_engine_went_online(sim_engine *e, sim_term *t);
void sim_engine_went_offline(sim_engine *e, sim_term *t);
/* Reserve one location frame of the budget; false when it is spent or the run is draining. */
bool sim_engine_take_frame(sim_engine *e);

#endif
