/* sim_engine.c - one simulator process: event loop, ramp, clocks, stop conditions and the
 * report (sim_engine.h). */
#include "sim_engine.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fw/base/log.h"
#include "sim_session.h"

#define RAMP_PERIOD_MS   10
#define CLOCK_PERIOD_MS  100
#define SETTLE_GRACE_US  5000000u /* window opens this long after the ramp even if some fail */
#define CONTROL_SLOTS    8u       /* slots beyond --inflight: auth, heartbeats, replays, 0x1005 */
#define DEFAULT_REPORT_S 30.0
#define PHASE_STEP_S     97.0 /* spread of terminals sharing the default path */

uint64_t sim_clock_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

uint32_t sim_engine_stamp(const sim_engine *e)
{
    return (uint32_t)(sim_clock_us() - e->t0_us);
}

double sim_engine_scenario_s(const sim_engine *e)
{
    return (double)(sim_clock_us() - e->t0_us) / 1e6 * e->compression;
}

int64_t sim_engine_utc(const sim_engine *e, double scenario_s)
{
    return e->start_utc + (int64_t)floor(scenario_s);
}

const sim_vehicle *sim_engine_vehicle(const sim_engine *e, uint32_t index)
{
    return e->fleet->count ? &e->fleet->vehicles[index % e->fleet->count] : &e->base_vehicle;
}

void sim_engine_phone(const sim_engine *e, uint32_t index, char out[JT_PHONE_MAX_DIGITS + 1])
{
    sim_fleet_phone(e->fleet, e->opt->phone_base, index, out);
}

void sim_engine_plate(const sim_engine *e, uint32_t index, char out[32])
{
    sim_fleet_plate(e->fleet, index, out);
}

const sim_path *sim_engine_path(const sim_engine *e, uint32_t index, double *offset_s)
{
    const sim_vehicle *v = sim_engine_vehicle(e, index);
    if (v->path.count) {
        *offset_s = v->start_s;
        return &v->path;
    }
    const sim_path *p = &e->fleet->default_path;
    *offset_s = v->start_s - fmod(index * PHASE_STEP_S, p->total_s);
    return p;
}

/* ---- counting ---------------------------------------------------------------------------- */

/* The measurement window opens when every terminal has been online (or a grace period after
 * the ramp): latencies and acks/s from then on, --duration counted from then. */
static void open_window(sim_engine *e, uint64_t now_us)
{
    e->window_open = true;
    e->window_start_us = now_us;
    e->report.window_acks = 0;
    sim_hist_reset(&e->report.latency);
    if (e->opt->duration_s > 0)
        e->stop_by_us = now_us + (uint64_t)(e->opt->duration_s * 1e6);
}

void sim_engine_count(sim_engine *e, sim_counter c, uint64_t n)
{
    e->report.counters[c] += n;
}

void sim_engine_error(sim_engine *e, sim_error err)
{
    e->report.errors[err]++;
}

void sim_engine_ack_latency(sim_engine *e, uint32_t sent_us, bool is_location)
{
    e->report.counters[SIM_C_acked]++;
    if (is_location)
        e->report.counters[SIM_C_acked_locations]++;
    uint64_t now_us = sim_clock_us() - e->t0_us;
    sim_hist_record(&e->report.latency, (uint32_t)((uint32_t)now_us - sent_us));
    e->report.window_acks++;
    e->last_ack_us = now_us;
}

void sim_engine_acked_positions(sim_engine *e, uint32_t index, const sim_positions *pos)
{
    if (e->acklog.fd < 0 || pos->points == 0)
        return;
    char phone[JT_PHONE_MAX_DIGITS + 1];
    sim_engine_phone(e, index, phone);
    e->report.errors[SIM_E_ack_log] +=
        sim_acklog_add(&e->acklog, phone, pos->gnss_s, pos->step_s, pos->points);
}

void sim_engine_went_online(sim_engine *e, sim_term *t)
{
    e->online++;
    e->report.counters[SIM_C_authenticated]++;
    if (t->ever_online)
        return;
    t->ever_online = true;
    e->ever_online++;
    if (e->ever_online == e->count && !e->window_open && !e->draining)
        open_window(e, sim_clock_us() - e->t0_us);
}

void sim_engine_went_offline(sim_engine *e, sim_term *t)
{
    (void)t;
    e->online--;
}

bool sim_engine_take_frame(sim_engine *e)
{
    if (e->draining || e->frames_left == 0)
        return false;
    if (e->frames_left != UINT64_MAX)
        e->frames_left--;
    return true;
}

/* ---- loop events ------------------------------------------------------------------------- */

static void begin_drain(sim_engine *e, const char *why)
{
    if (e->draining)
        return;
    uint64_t now = sim_clock_us() - e->t0_us;
    e->draining = true;
    e->window_end_us = now;
    e->stop_by_us = now + (uint64_t)(e->opt->drain_s * 1e6);
    if (e->opt->verbose || e->opt->progress_s > 0)
        FW_LOG_INFO("%sfleetwatch-sim: %s; draining", e->tag, why);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
    (void)what;
    sim_engine *e = arg;
    if (e->draining)
        event_base_loopbreak(e->base);
    begin_drain(e, sig == SIGINT ? "SIGINT" : "SIGTERM");
}

static void on_ramp(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    sim_engine *e = arg;
    double due = (double)(sim_clock_us() - e->t0_us) / 1e6 * e->ramp_per_s + 1;
    uint32_t target = due >= e->count ? e->count : (uint32_t)due;
    while (e->started < target && !e->draining)
        sim_term_connect(&e->terms[e->started++]);
    if (e->started == e->count || e->draining)
        event_del(e->ramp_ev);
}

static void progress(sim_engine *e, uint64_t now_us)
{
    const uint64_t *c = e->report.counters;
    double period_s = e->opt->progress_s;
    fprintf(stderr,
            "%st=%.0fs started=%u online=%u sent=%" PRIu64 " acked=%" PRIu64
            " acks/s=%.0f in_flight=%" PRIu64 " errors=%" PRIu64 "\n",
            e->tag, (double)now_us / 1e6, e->started, e->online, c[SIM_C_sent], c[SIM_C_acked],
            (double)(c[SIM_C_acked] - e->progress_acked) / period_s, e->inflight,
            sim_report_errors(&e->report));
    e->progress_acked = c[SIM_C_acked];
}

static void on_clock(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    sim_engine *e = arg;
    uint64_t now = sim_clock_us() - e->t0_us;
    bool ramped = e->started == e->count;
    if (!e->window_open && !e->draining && ramped && now >= e->ramp_done_us + SETTLE_GRACE_US)
        open_window(e, now);
    if (!ramped)
        e->ramp_done_us = now;
    if (e->draining && (e->inflight == 0 || now >= e->stop_by_us))
        event_base_loopbreak(e->base);
    else if (e->window_open && now >= e->stop_by_us)
        begin_drain(e, "duration reached");
    else if (sim_engine_scenario_s(e) >= e->end_s)
        begin_drain(e, "scenario finished");
    else if (e->frames_left == 0)
        begin_drain(e, "frame budget spent");
    e->report.errors[SIM_E_ack_log] += sim_acklog_flush(&e->acklog);
    if (e->opt->progress_s > 0 && now >= e->next_progress_us) {
        progress(e, now);
        e->next_progress_us = now + (uint64_t)(e->opt->progress_s * 1e6);
    }
}

/* ---- setup and teardown ------------------------------------------------------------------ */

static void choose_timing(sim_engine *e)
{
    const sim_options *o = e->opt;
    const sim_fleet *f = e->fleet;
    e->compression = o->compression > 0 ? o->compression : f->compression;
    e->report_s = o->report_s >= 0   ? o->report_s
                  : f->report_s >= 0 ? f->report_s
                                     : DEFAULT_REPORT_S;
    if (o->batch > 1 && e->report_s > 0) /* 0x0704 points are whole GNSS seconds apart */
        e->report_s = fmax(1.0, round(e->report_s));
    e->end_s = f->end_s;
    e->start_utc = f->start_utc;
    e->ack_timeout_us = (uint32_t)(o->ack_timeout_s * 1e6);
    e->heartbeat_us = (uint32_t)(o->heartbeat_s * 1e6);
    double report_wall_s = e->report_s * (o->batch > 1 ? o->batch : 1) / e->compression;
    double tick_s = e->report_s > 0 ? report_wall_s : 1.0;
    tick_s = tick_s < o->heartbeat_s ? tick_s : o->heartbeat_s;
    e->tick_s = tick_s > 0.001 ? tick_s : 0.001;
}

static int add_loop_events(sim_engine *e)
{
    struct timeval ramp = {0, RAMP_PERIOD_MS * 1000}, clock = {0, CLOCK_PERIOD_MS * 1000};
    struct timeval tick = {(time_t)e->tick_s, (suseconds_t)(fmod(e->tick_s, 1.0) * 1e6)};
    e->tick_tv = event_base_init_common_timeout(e->base, &tick);
    e->ramp_ev = event_new(e->base, -1, EV_PERSIST, on_ramp, e);
    e->clock_ev = event_new(e->base, -1, EV_PERSIST, on_clock, e);
    e->sigint_ev = evsignal_new(e->base, SIGINT, on_signal, e);
    e->sigterm_ev = evsignal_new(e->base, SIGTERM, on_signal, e);
    if (!e->tick_tv || !e->ramp_ev || !e->clock_ev || !e->sigint_ev || !e->sigterm_ev)
        return -1;
    event_add(e->ramp_ev, &ramp);
    event_add(e->clock_ev, &clock);
    event_add(e->sigint_ev, NULL);
    event_add(e->sigterm_ev, NULL);
    return 0;
}

int sim_engine_init(sim_engine *e, const sim_options *opt, const sim_fleet *fleet, uint32_t first,
                    uint32_t count, uint64_t frames, double ramp_per_s, uint64_t t0_us,
                    const char *tag)
{
    if (sim_acklog_open(&e->acklog, opt->ack_log_path[0] ? opt->ack_log_path : NULL) < 0) {
        FW_LOG_ERROR("%sfleetwatch-sim: %s: %s", tag, opt->ack_log_path, strerror(errno));
        return -1;
    }
    e->opt = opt;
    e->fleet = fleet;
    e->first_index = first;
    e->count = count;
    e->t0_us = t0_us;
    e->tag = tag;
    e->frames_left = frames;
    e->ramp_per_s = ramp_per_s;
    e->stop_by_us = UINT64_MAX;
    e->next_progress_us = (uint64_t)(opt->progress_s * 1e6);
    e->base_vehicle = (sim_vehicle){
        .version = opt->protocol.version, .layout = opt->protocol.layout, .plate_color = 2};
    choose_timing(e);
    sim_report_init(&e->report);
    e->report.counters[SIM_C_terminals] = count;
    e->slots_per_term = opt->inflight + CONTROL_SLOTS;
    e->base = event_base_new();
    e->terms = calloc(count ? count : 1, sizeof *e->terms);
    e->slot_pool = calloc((size_t)(count ? count : 1) * e->slots_per_term, sizeof *e->slot_pool);
    if (!e->base || !e->terms || !e->slot_pool || add_loop_events(e) < 0)
        return -1;
    for (uint32_t i = 0; i < count; i++)
        sim_term_init(&e->terms[i], e, first + i, e->slot_pool + (size_t)i * e->slots_per_term);
    return 0;
}

void sim_engine_run(sim_engine *e)
{
    event_base_dispatch(e->base);
    uint64_t now = sim_clock_us() - e->t0_us;
    sim_report *r = &e->report;
    r->counters[SIM_C_online] = e->online;
    for (uint32_t i = 0; i < e->count; i++)
        sim_term_stop(&e->terms[i]);
    r->errors[SIM_E_ack_log] += sim_acklog_close(&e->acklog);
    uint64_t end = now;
    if (e->draining) /* the drain counts for as long as acks kept coming */
        end = e->last_ack_us > e->window_end_us ? e->last_ack_us : e->window_end_us;
    r->window_s = (double)(end - e->window_start_us) / 1e6;
    r->acks_per_s = r->window_s > 0 ? (double)r->window_acks / r->window_s : 0;
    r->elapsed_s = (double)now / 1e6;
}

void sim_engine_free(sim_engine *e)
{
    struct event *evs[] = {e->ramp_ev, e->clock_ev, e->sigint_ev, e->sigterm_ev};
    for (size_t i = 0; i < sizeof evs / sizeof evs[0]; i++) {
        if (evs[i])
            event_free(evs[i]);
    }
    sim_acklog_close(&e->acklog);
    free(e->terms);
    free(e->slot_pool);
    if (e->base)
        event_base_free(e->base);
}
