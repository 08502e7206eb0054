/* rules_worker.c - the rule engine on one gateway worker (rules_worker.h).
 *
 * Point path (a point dated in the future, fw_position.future, is only counted): vehicle entry
 * (found, or added: its saved state is asked of Redis and its points and passenger flows wait in
 * the worker's backlog until the reply), profile from the registry entry, then the live state, or
 * the late lane for blind-area points older than the live state. A disconnect saves the changed
 * state at once; the entry stays until rules_idle_s, like any silent vehicle, for a reconnect to
 * this worker. Events go to the store's writer of this worker and to the log; opening speeding /
 * route / zone episodes warn the driver with a 0x8300.
 */
#include <event2/event.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <string.h>
#include <time.h>

#include "fw/base/log.h"
#include "late_lanes.h"
#include "rules_worker.h"
#include "vehicles.h"

#define BACKLOG_POINTS 4096 /* points waiting for state loads, per worker */

/* A point, or a 0x1005 passenger-flow window (its BCD pointers cleared: the frame is gone),
 * waiting for its vehicle's saved state. */
typedef struct {
    vehicle *v;
    bool is_flow;
    union {
        fw_position pt;
        jt_passenger_flow flow;
    } u;
} waiting_input;

struct rules_worker {
    const rules_shared *sh;
    unsigned idx;
    fw_rules_engine eng;
    geo_ref *geo_held;
    unsigned geo_version;
    vehicles table;
    late_lanes lanes;
    waiting_input *backlog;
    uint32_t backlog_len;
    struct event *tick_ev;
    uint32_t sweep_ix; /* next entry the periodic save visits */
    int save_fd;       /* eventfd: rules_worker_request_save() from another thread */
    struct event *save_ev;
    atomic_bool saved; /* the requested saves are confirmed */
    bool stopped;
    bool warned_full; /* the table filled up (logged once per worker) */
    rules_counters counters;
};

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- events ------------------------------------------------------------------------------ */

static void on_violation(void *ctx, const fw_violation *v)
{
    rules_worker *w = ctx;
    fw_counter_add(&w->counters.events, 1);
    FW_LOG_INFO("violation %s %s %s %s%s", v->id, fw_event_phase_name(v->phase),
                fw_severity_name(v->severity), v->vehicle->plate, v->late ? " (late data)" : "");
    const fw_pipeline_store *st = &w->sh->store;
    if (st->ops && st->ops->violation(st->ctx, w->idx, v) < 0) {
        fw_counter_add(&w->counters.events_refused, 1);
        FW_LOG_WARN("violation %s not stored (store refused it)", v->id);
    }
}

static void on_warn_driver(void *ctx, const fw_violation *v, const char *text_utf8)
{
    rules_worker *w = ctx;
    if (v->late || w->stopped || !w->sh->srv)
        return; /* no warning about the past, nor while stopping */
    if (fw_server_send_text(w->sh->srv, v->vehicle->phone, JT_TEXT_TTS | JT_TEXT_DISPLAY, text_utf8,
                            w->sh->opt->rules_warn_timeout_ms, NULL, NULL) == 0)
        fw_counter_add(&w->counters.warnings, 1);
}

/* ---- applying points --------------------------------------------------------------------- */

static void apply(rules_worker *w, vehicle *v, const fw_position *pt, int64_t now_ms)
{
    fw_apply_result r = fw_rules_apply(&w->eng, &v->profile, &v->state, pt);
    if (r == FW_APPLY_OUT_OF_ORDER && pt->late) {
        r = late_lanes_apply(&w->lanes, &w->eng, v, pt, now_ms);
        fw_counter_add(&w->counters.late_points, 1);
    } else if (r == FW_APPLY_OUT_OF_ORDER)
        fw_counter_add(&w->counters.out_of_order, 1);
    fw_counter_add(&w->counters.points, 1);
    v->dirty |= r == FW_APPLY_OK || r == FW_APPLY_NO_EVIDENCE;
}

static void apply_flow(rules_worker *w, vehicle *v, const jt_passenger_flow *flow)
{
    fw_rules_passenger_flow(&w->eng, &v->state, flow);
    v->dirty = true;
}

/* The backlog's next free entry for v; NULL (counted as dropped) when it is full. */
static waiting_input *backlog_push(rules_worker *w, vehicle *v)
{
    if (w->backlog_len == BACKLOG_POINTS) {
        fw_counter_add(&w->counters.dropped, 1);
        return NULL;
    }
    waiting_input *in = &w->backlog[w->backlog_len++];
    in->v = v;
    return in;
}

/* Apply v's waiting inputs in arrival order and remove them from the backlog. */
static void backlog_drain(rules_worker *w, vehicle *v)
{
    uint32_t kept = 0;
    int64_t now_ms = wall_ms();
    for (uint32_t i = 0; i < w->backlog_len; i++) {
        waiting_input *in = &w->backlog[i];
        if (in->v != v)
            w->backlog[kept++] = *in;
        else if (w->stopped)
            continue;
        else if (in->is_flow)
            apply_flow(w, v, &in->u.flow);
        else
            apply(w, v, &in->u.pt, now_ms);
    }
    w->backlog_len = kept;
}

/* ---- rule state in Redis ----------------------------------------------------------------- */

static void save(rules_worker *w, vehicle *v)
{
    uint8_t buf[FW_STATE_MAX_BYTES];
    size_t n = fw_state_save(&v->state, buf, sizeof buf);
    const fw_pipeline_store *st = &w->sh->store;
    if (!st->ops || !n ||
        st->ops->rstate_save(st->ctx, w->idx, v->phone, FW_STATE_VERSION, buf, n) < 0)
        return;
    v->dirty = false;
    fw_counter_add(&w->counters.states_saved, 1);
}

static void on_state_loaded(void *ctx, int status, uint32_t version, const uint8_t *blob,
                            size_t len)
{
    vehicle *v = ctx;
    rules_worker *w = v->owner;
    if (v->status != VEH_LOADING)
        return;
    v->status = VEH_READY;
    if (status == 0 && version == FW_STATE_VERSION && fw_state_load(&v->state, blob, len) == 0)
        fw_counter_add(&w->counters.states_loaded, 1);
    else if (status == 0) {
        FW_LOG_WARN("rule state of %s: saved state unusable (version %u), starting fresh", v->phone,
                    version);
        fw_state_init(&v->state);
    } else if (status < 0)
        FW_LOG_DEBUG("rule state of %s: Redis unavailable, starting fresh", v->phone);
    backlog_drain(w, v);
}

static void evict(rules_worker *w, vehicle *v)
{
    late_lanes_close(&w->lanes, &w->eng, v);
    if (v->dirty)
        save(w, v);
    vehicles_remove(&w->table, v);
}

/* The entry of a vehicle seen for the first time (its saved state requested); NULL when the
 * table is full of vehicles still loading. */
static vehicle *admit(rules_worker *w, const char *phone)
{
    vehicle *v = vehicles_add(&w->table, phone, w);
    if (!v) {
        if (!w->warned_full)
            FW_LOG_WARN("worker %u: rule table full (rules_vehicles = %u): the vehicle seen "
                        "least recently is saved and replaced; raise rules_vehicles",
                        w->idx, w->table.capacity);
        w->warned_full = true;
        vehicle *oldest = vehicles_oldest(&w->table);
        if (!oldest)
            return NULL;
        evict(w, oldest);
        v = vehicles_add(&w->table, phone, w);
    }
    const fw_pipeline_store *st = &w->sh->store;
    if (v && st->ops) {
        v->status = VEH_LOADING;
        st->ops->rstate_load(st->ctx, w->idx, phone, on_state_loaded, v);
    }
    return v;
}

/* The entry of a registered vehicle sending input now (found or admitted; seen time and
 * profile refreshed); NULL, counted, when unknown, stopping or the table is full. */
static vehicle *input_vehicle(rules_worker *w, const fw_vehicle *reg, int64_t now_ms)
{
    if (!reg) {
        fw_counter_add(&w->counters.unknown_vehicle, 1);
        return NULL;
    }
    if (w->stopped)
        return NULL;
    vehicle *v = vehicles_find(&w->table, reg->phone);
    if (!v && !(v = admit(w, reg->phone))) {
        fw_counter_add(&w->counters.dropped, 1);
        return NULL;
    }
    v->seen_ms = now_ms;
    fw_profile_from_registry(reg, &v->profile);
    return v;
}

void rules_worker_point(rules_worker *w, const fw_location_rec *rec)
{
    if (rec->pos->future) { /* its time would move the live state past every real point */
        fw_counter_add(&w->counters.future, 1);
        return;
    }
    vehicle *v = input_vehicle(w, rec->vehicle, rec->received_ms);
    if (!v)
        return;
    if (w->sh->geo)
        w->eng.geo = geo_current(w->sh->geo, &w->geo_held, &w->geo_version);
    waiting_input *in;
    if (v->status != VEH_LOADING)
        apply(w, v, rec->pos, rec->received_ms);
    else if ((in = backlog_push(w, v)))
        *in = (waiting_input){.v = v, .u.pt = *rec->pos};
}

void rules_worker_passenger_flow(rules_worker *w, const fw_vehicle *reg,
                                 const jt_passenger_flow *flow)
{
    vehicle *v = input_vehicle(w, reg, wall_ms());
    waiting_input *in;
    if (!v)
        return;
    if (v->status != VEH_LOADING)
        apply_flow(w, v, flow);
    else if ((in = backlog_push(w, v))) {
        *in = (waiting_input){.v = v, .is_flow = true, .u.flow = *flow};
        in->u.flow.start_bcd = in->u.flow.end_bcd = NULL;
    }
}

/* ---- timer and lifecycle ----------------------------------------------------------------- */

/* Save the entry's state if it changed; forget it when idle_ms > 0 and it was silent that
 * long. True when a state was saved. */
static bool visit(rules_worker *w, vehicle *v, int64_t now_ms, int64_t idle_ms)
{
    if (v->status != VEH_READY)
        return false;
    if (idle_ms > 0 && now_ms - v->seen_ms >= idle_ms) {
        evict(w, v);
        return false;
    }
    if (!v->dirty)
        return false;
    save(w, v);
    return true;
}

void rules_worker_disconnect(rules_worker *w, const char *phone)
{
    vehicle *v = w->stopped ? NULL : vehicles_find(&w->table, phone);
    if (v)
        visit(w, v, 0, 0);
}

/* Every changed state now (SIGTERM); returns the last vehicle saved, NULL when none. */
static vehicle *save_all(rules_worker *w, int64_t now_ms)
{
    vehicle *last = NULL;
    for (uint32_t i = 0; i < w->table.capacity; i++)
        if (visit(w, &w->table.v[i], now_ms, 0))
            last = &w->table.v[i];
    return last;
}

/* One tick's share of the table, so that each entry is visited once per rules_save_s and the
 * saves are spread evenly (not a burst that would overflow the store's queue). */
static void sweep_step(rules_worker *w, int64_t now_ms)
{
    uint32_t cap = w->table.capacity, save_s = w->sh->opt->rules_save_s;
    int64_t idle_ms = (int64_t)w->sh->opt->rules_idle_s * 1000;
    for (uint32_t n = (cap + save_s - 1) / save_s; n > 0; n--) {
        visit(w, &w->table.v[w->sweep_ix], now_ms, idle_ms);
        w->sweep_ix = (w->sweep_ix + 1) % cap;
    }
}

/* A load issued after the saves is answered after Redis applied them (store.h). */
static void on_save_barrier(void *ctx, int status, uint32_t version, const uint8_t *blob,
                            size_t len)
{
    (void)status;
    (void)version;
    (void)blob;
    (void)len;
    rules_worker *w = ctx;
    atomic_store(&w->saved, true);
}

static void on_save_request(evutil_socket_t fd, short what, void *arg)
{
    (void)what;
    rules_worker *w = arg;
    uint64_t n;
    if (read(fd, &n, sizeof n) < 0)
        return;
    late_lanes_close_idle(&w->lanes, &w->eng, 0, -1);
    vehicle *last = save_all(w, wall_ms());
    const fw_pipeline_store *st = &w->sh->store;
    if (last && st->ops)
        st->ops->rstate_load(st->ctx, w->idx, last->phone, on_save_barrier, w);
    else
        atomic_store(&w->saved, true);
}

void rules_worker_request_save(rules_worker *w)
{
    uint64_t one = 1;
    if (write(w->save_fd, &one, sizeof one) < 0)
        atomic_store(&w->saved, true); /* cannot happen with an eventfd; never wait for it */
}

bool rules_worker_saved(const rules_worker *w)
{
    return atomic_load(&w->saved);
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    rules_worker *w = arg;
    int64_t now_ms = wall_ms();
    if (w->sh->geo)
        w->eng.geo = geo_current(w->sh->geo, &w->geo_held, &w->geo_version);
    late_lanes_close_idle(&w->lanes, &w->eng, now_ms, w->sh->opt->rules_late_idle_ms);
    sweep_step(w, now_ms);
}

rules_worker *rules_worker_new(const rules_shared *sh, struct event_base *base, unsigned worker)
{
    rules_worker *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->sh = sh;
    w->idx = worker;
    w->save_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    w->eng = (fw_rules_engine){&sh->cfg, NULL, {on_violation, on_warn_driver, w}};
    late_lanes_init(&w->lanes);
    struct timeval one_s = {1, 0};
    if (sh->geo)
        w->eng.geo = geo_current(sh->geo, &w->geo_held, &w->geo_version);
    if (vehicles_init(&w->table, sh->opt->rules_vehicles) < 0 ||
        !(w->backlog = malloc(BACKLOG_POINTS * sizeof *w->backlog)) ||
        !(w->tick_ev = event_new(base, -1, EV_PERSIST, on_tick, w)) ||
        event_add(w->tick_ev, &one_s) < 0 || w->save_fd < 0 ||
        !(w->save_ev = event_new(base, w->save_fd, EV_READ | EV_PERSIST, on_save_request, w)) ||
        event_add(w->save_ev, NULL) < 0) {
        rules_worker_free(w);
        return NULL;
    }
    return w;
}

/* Leave the worker's event loop (its base may be freed before the worker). */
static void detach(rules_worker *w)
{
    if (w->tick_ev)
        event_free(w->tick_ev);
    if (w->save_ev)
        event_free(w->save_ev);
    w->tick_ev = w->save_ev = NULL;
}

void rules_worker_stop(rules_worker *w)
{
    late_lanes_close_idle(&w->lanes, &w->eng, 0, -1);
    save_all(w, wall_ms());
    w->stopped = true;
    detach(w);
}

void rules_worker_free(rules_worker *w)
{
    if (!w)
        return;
    detach(w);
    if (w->save_fd >= 0)
        close(w->save_fd);
    vehicles_destroy(&w->table);
    free(w->backlog);
    geo_release(w->geo_held);
    free(w);
}

const rules_counters *rules_worker_counters(const rules_worker *w)
{
    return &w->counters;
}
