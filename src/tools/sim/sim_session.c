/* sim_session.c - the JT/T 808 conversation of one simulated terminal (sim_session.h). */
#include "sim_session.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fw/codec/jt_encode.h"
#include "fw/codec/jt_msg.h"
#include "fw/codec/jt_text.h"
#include "fw/base/log.h"

#include "sim_engine.h"
#include "sim_frames.h"
#include "sim_motion.h"

#define SOFTWARE_VERSION "fwsim-0.1"
#define REPLAY_CHUNK     16 /* points per 0x0704 of a blind-area replay (fewer if too big) */
#define REPLAY_STEP_S    10 /* replay spacing when reports are back to back */

/* Platform commands answered with 0x0001 and the result given; other platform ids
 * (0x8000-0x8FFF) get "unsupported". 0x8004 needs no answer and 0x8201 gets a 0x0201. */
static const struct {
    uint16_t msg_id;
    uint8_t result;
} command_results[] = {
    {JT_MSG_RESEND_REQ, JT_RESULT_OK},       {JT_MSG_SET_PARAMS, JT_RESULT_OK},
    {JT_MSG_TRACK_LOCATION, JT_RESULT_OK},   {JT_MSG_TEXT, JT_RESULT_OK},
    {JT_MSG_SET_CIRCLE_AREA, JT_RESULT_OK},  {JT_MSG_SET_RECT_AREA, JT_RESULT_OK},
    {JT_MSG_SET_POLYGON_AREA, JT_RESULT_OK}, {JT_MSG_SET_ROUTE, JT_RESULT_OK},
};

/* Where a terminal's vehicle is: its record, its path and the scenario time of vehicle time 0. */
typedef struct {
    const sim_vehicle *v;
    const sim_path *path;
    double offset_s;
} sim_where;

static sim_where where_of(const sim_term *t)
{
    sim_where w = {.v = sim_engine_vehicle(t->eng, t->index)};
    w.path = sim_engine_path(t->eng, t->index, &w.offset_s);
    return w;
}

static void say(const sim_term *t, fw_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(const sim_term *t, fw_log_level level, const char *fmt, ...)
{
    if (!t->eng->opt->verbose)
        return;
    char phone[JT_PHONE_MAX_DIGITS + 1];
    sim_engine_phone(t->eng, t->index, phone);
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    fw_log(level, "%ssim %s: %s", t->eng->tag, phone, text);
}

/* The last n digits of the phone, left padded with zeros (terminal id, IMEI). */
static void phone_tail(const sim_term *t, size_t n, char *out)
{
    char phone[JT_PHONE_MAX_DIGITS + 1];
    sim_engine_phone(t->eng, t->index, phone);
    size_t len = strlen(phone);
    size_t pad = len < n ? n - len : 0;
    memset(out, '0', pad);
    memcpy(out + pad, phone + len - (n - pad), n - pad);
    out[n] = '\0';
}

/* ---- register and authenticate ----------------------------------------------------------- */

static void send_register(sim_term *t)
{
    sim_engine *e = t->eng;
    char phone[JT_PHONE_MAX_DIGITS + 1], plate[32], terminal_id[8];
    sim_engine_phone(e, t->index, phone);
    sim_engine_plate(e, t->index, plate);
    jt_register_in r;
    sim_register_fill(sim_engine_vehicle(e, t->index), phone, plate, terminal_id, &r);
    size_t len;
    t->state = SIM_ST_REGISTERING;
    if (jt_enc_register(&r, e->body, sizeof e->body, &len) != JT_OK) {
        sim_term_drop(t, SIM_E_send_failed);
        return;
    }
    sim_term_send(t, JT_MSG_REGISTER, e->body, len, true, NULL);
}

static void send_auth(sim_term *t)
{
    sim_engine *e = t->eng;
    char imei[16];
    phone_tail(t, 13, imei + 2);
    memcpy(imei, "86", 2);
    size_t len;
    t->state = SIM_ST_AUTHENTICATING;
    jt_version v = sim_engine_vehicle(e, t->index)->version;
    if (jt_enc_auth(v, t->auth, imei, SOFTWARE_VERSION, e->body, sizeof e->body, &len) != JT_OK) {
        sim_term_drop(t, SIM_E_send_failed);
        return;
    }
    sim_term_send(t, JT_MSG_AUTH, e->body, len, true, NULL);
}

void sim_session_begin(sim_term *t)
{
    say(t, FW_LOG_INFO, "connected, %s", t->auth_len ? "authenticating" : "registering");
    if (t->auth_len)
        send_auth(t);
    else
        send_register(t);
}

static void on_register_reply(sim_term *t, const jt_register_reply *r)
{
    sim_inflight settled;
    if (!sim_term_settle(t, r->reply_serial, JT_MSG_REGISTER, &settled)) {
        sim_engine_error(t->eng, SIM_E_unmatched_ack);
        return;
    }
    sim_engine_ack_latency(t->eng, settled.sent_us, false);
    if (r->result != JT_REG_OK || r->auth_code.len == 0 || r->auth_code.len >= SIM_AUTH_MAX) {
        say(t, FW_LOG_WARN, "registration refused (result %u)", r->result);
        sim_term_drop(t, SIM_E_register_refused);
        return;
    }
    memcpy(t->auth, r->auth_code.p, r->auth_code.len);
    t->auth[r->auth_code.len] = '\0';
    t->auth_len = (uint8_t)r->auth_code.len;
    send_auth(t);
}

/* ---- reports ----------------------------------------------------------------------------- */

/* Fill *loc for vehicle time t_v, `age_s` older than it really is, with the safety items due.
 * Returns its GNSS time (UTC epoch seconds). */
static int64_t location_at(sim_term *t, sim_where w, double t_v, int64_t age_s,
                           const sim_event *const *safety, size_t safety_count,
                           uint8_t items[SIM_ITEMS_CAP], jt_location_in *loc)
{
    sim_state st;
    sim_motion_state(w.v, w.path, t_v, &st);
    char terminal_id[8] = "";
    if (safety_count)
        phone_tail(t, 7, terminal_id);
    int64_t utc = sim_engine_utc(t->eng, t_v + w.offset_s) - age_s;
    sim_location_fill(t->eng->fleet, &st, utc, safety, safety_count, t->alarm_seq, terminal_id,
                      items, loc);
    t->alarm_seq += (uint32_t)safety_count;
    return utc;
}

/* Seconds between the points of a 0x0704: the report period in whole seconds (the engine
 * rounds it for --batch), or `fallback_s` when reports are back to back. Whole seconds make
 * the points' GNSS times gnss_s + i * step_s, which is what a slot keeps for the ack log. */
static uint16_t batch_step_s(const sim_engine *e, uint16_t fallback_s)
{
    if (e->report_s <= 0)
        return fallback_s;
    double step_s = fmax(1.0, round(e->report_s));
    return step_s < UINT16_MAX ? (uint16_t)step_s : UINT16_MAX;
}

/* Encode and send `count` points at t0_v, t0_v + step_s, ... as one 0x0704 of `type`; *pos
 * gets their GNSS times. Returns false when they do not fit one frame (sending may still fail). */
static bool send_batch(sim_term *t, sim_where w, double t0_v, uint16_t step_s, uint16_t count,
                       uint8_t type, int64_t age_s, sim_positions *pos)
{
    sim_engine *e = t->eng;
    jt_location_in locs[SIM_MAX_BATCH];
    *pos = (sim_positions){.step_s = step_s, .points = (uint8_t)count};
    for (uint16_t i = 0; i < count && i < SIM_MAX_BATCH; i++) {
        int64_t utc =
            location_at(t, w, t0_v + i * step_s, age_s, NULL, 0, e->batch_items[i], &locs[i]);
        pos->gnss_s = i == 0 ? (uint32_t)utc : pos->gnss_s;
    }
    size_t len;
    if (jt_enc_location_batch(type, locs, count, e->body, sizeof e->body, &len) != JT_OK)
        return false;
    bool track = t->inflight + 1u < e->slots_per_term;
    if (sim_term_send(t, JT_MSG_LOCATION_BATCH, e->body, len, track, pos) < 0)
        return true;
    sim_engine_count(e, SIM_C_sent_locations, 1);
    sim_engine_count(e, SIM_C_points, count);
    return true;
}

/* Replay of the reports missed in a blind area: 0x0704 type 1 chunks that fit a frame, each
 * waiting for its ack in a free slot, so a long replay goes on as the platform acks (an
 * untracked chunk's ack could not be matched). Called again on every ack of a 0x0704. */
static void replay_pump(sim_term *t)
{
    sim_engine *e = t->eng;
    uint16_t step_s = batch_step_s(e, REPLAY_STEP_S);
    sim_where w = where_of(t);
    sim_positions pos;
    while (t->replay_left && t->fd >= 0 && t->inflight + 1u < e->slots_per_term) {
        uint16_t chunk = t->replay_left < REPLAY_CHUNK ? (uint16_t)t->replay_left : REPLAY_CHUNK;
        while (chunk > 0 && !send_batch(t, w, t->replay_from_s, step_s, chunk, 1, 0, &pos))
            chunk /= 2;
        if (chunk == 0) {
            sim_engine_error(e, SIM_E_send_failed);
            t->replay_left = 0;
            return;
        }
        t->replay_left -= chunk;
        t->replay_from_s += chunk * step_s;
    }
}

/* A blind area ended: replay it (a replay still unfinished by then is cut short, as an error). */
static void replay_blind_area(sim_term *t, const sim_event *ev)
{
    double step_s = batch_step_s(t->eng, REPLAY_STEP_S);
    if (t->replay_left)
        sim_engine_error(t->eng, SIM_E_send_failed);
    t->replay_left = (uint32_t)ceil((ev->until_s - ev->at_s) / step_s);
    t->replay_from_s = ev->at_s;
    say(t, FW_LOG_INFO, "leaving blind area: replaying %u reports", t->replay_left);
    replay_pump(t);
}

/* A 0x1005 when the passengers on board changed since the last one. */
static void report_passengers(sim_term *t, sim_where w, const sim_state *st, double t_v)
{
    if (!st->has_passengers || st->passengers == t->passengers_sent)
        return;
    sim_engine *e = t->eng;
    uint16_t was = t->passengers_sent, now = st->passengers;
    int64_t end_utc = sim_engine_utc(e, t_v + w.offset_s);
    int64_t start_utc =
        isfinite(t->last_report_s) ? sim_engine_utc(e, t->last_report_s + w.offset_s) : end_utc;
    size_t len;
    if (jt_enc_passenger_flow(start_utc, end_utc, now > was ? now - was : 0,
                              was > now ? was - now : 0, e->body, sizeof e->body, &len) != JT_OK) {
        sim_engine_error(e, SIM_E_send_failed);
        return;
    }
    if (sim_term_send(t, JT_MSG_PASSENGER_FLOW, e->body, len, true, NULL) >= 0)
        t->passengers_sent = now;
}

/* The points of the report due at vehicle time t_v: --batch points ending at t_v, else one. */
typedef struct {
    double first_v; /* vehicle time of the first point */
    uint16_t step_s;
    uint16_t count;
    int64_t age_s; /* --blind: how much older the GNSS times are */
} report_points;

static report_points points_of_report(const sim_engine *e, double t_v)
{
    const sim_options *o = e->opt;
    if (o->batch <= 1)
        return (report_points){.first_v = t_v, .count = 1};
    uint16_t step_s = batch_step_s(e, 1);
    return (report_points){.first_v = t_v - (o->batch - 1) * step_s,
                           .step_s = step_s,
                           .count = o->batch,
                           .age_s = o->blind ? (int64_t)o->blind_age_s : 0};
}

/* With --ack-log a terminal never reports a GNSS second twice (docs/sim.md): a report whose
 * first point is not newer than the last one sent waits for a later tick. */
static bool gnss_second_is_new(const sim_term *t, sim_where w, double t_v)
{
    const sim_engine *e = t->eng;
    if (!e->opt->ack_log_path[0])
        return true;
    report_points p = points_of_report(e, t_v);
    return sim_engine_utc(e, p.first_v + w.offset_s) - p.age_s > (int64_t)t->last_gnss_s;
}

/* One 0x0200 (or 0x0704 of --batch points ending now) with the one-off items due. */
static bool send_location(sim_term *t, sim_where w, double t_v)
{
    sim_engine *e = t->eng;
    report_points p = points_of_report(e, t_v);
    sim_positions pos;
    if (p.count > 1) {
        if (!send_batch(t, w, p.first_v, p.step_s, p.count, e->opt->blind, p.age_s, &pos))
            return false;
        t->last_gnss_s = pos.gnss_s + (uint32_t)(pos.points - 1) * pos.step_s;
        return true;
    }
    const sim_event *safety[8];
    size_t n = 0;
    for (size_t i = 0; i < w.v->event_count && n < 8; i++) {
        const sim_event *ev = &w.v->events[i];
        if ((ev->kind == SIM_EV_ADAS || ev->kind == SIM_EV_DSM) &&
            sim_event_due(ev->at_s, t->last_report_s, t_v))
            safety[n++] = ev;
    }
    uint8_t items[SIM_ITEMS_CAP];
    jt_location_in loc;
    pos = (sim_positions){.gnss_s = (uint32_t)location_at(t, w, t_v, 0, safety, n, items, &loc),
                          .points = 1};
    size_t len;
    if (jt_enc_location(&loc, e->body, sizeof e->body, &len) != JT_OK ||
        sim_term_send(t, JT_MSG_LOCATION, e->body, len, true, &pos) < 0)
        return false;
    t->last_gnss_s = pos.gnss_s;
    sim_engine_count(e, SIM_C_sent_locations, 1);
    sim_engine_count(e, SIM_C_points, 1);
    return true;
}

/* Reports waiting for their ack: --inflight bounds them (replays and 0x1005 do not count). */
static unsigned reports_in_flight(const sim_term *t)
{
    uint16_t id = t->eng->opt->batch > 1 ? JT_MSG_LOCATION_BATCH : JT_MSG_LOCATION;
    return sim_term_inflight_of(t, id);
}

/* A report now. Returns true when a location frame went out. */
static bool report(sim_term *t)
{
    sim_engine *e = t->eng;
    sim_where w = where_of(t);
    double t_v = sim_engine_scenario_s(e) - w.offset_s;
    sim_state st;
    sim_motion_state(w.v, w.path, t_v, &st);
    if (st.blind) {
        t->last_report_s = t_v;
        return false;
    }
    if (reports_in_flight(t) >= e->opt->inflight) {
        sim_engine_error(e, SIM_E_backlog);
        return false;
    }
    if (!gnss_second_is_new(t, w, t_v))
        return false;
    if (!sim_engine_take_frame(e) || !send_location(t, w, t_v))
        return false;
    for (size_t i = 0; i < w.v->event_count && t->fd >= 0; i++) {
        const sim_event *ev = &w.v->events[i];
        if (ev->kind == SIM_EV_BLIND_AREA && sim_event_due(ev->until_s, t->last_report_s, t_v))
            replay_blind_area(t, ev);
    }
    if (t->fd >= 0)
        report_passengers(t, w, &st, t_v);
    t->last_report_s = t_v;
    return t->fd >= 0;
}

void sim_session_pump(sim_term *t)
{
    while (t->state == SIM_ST_ONLINE && reports_in_flight(t) < t->eng->opt->inflight && report(t))
        ;
}

/* Due when less than half a tick of the period is left (ticks jitter a little). */
static bool report_due(const sim_term *t)
{
    const sim_engine *e = t->eng;
    sim_where w = where_of(t);
    double period_s = e->report_s * (e->opt->batch > 1 ? e->opt->batch : 1);
    double slack_s = e->tick_s * e->compression / 2;
    double t_v = sim_engine_scenario_s(e) - w.offset_s;
    return !isfinite(t->last_report_s) || t_v - t->last_report_s >= period_s - slack_s;
}

void sim_session_tick(sim_term *t)
{
    sim_engine *e = t->eng;
    uint32_t now_us = sim_engine_stamp(e);
    sim_term_expire(t, now_us);
    if (t->state != SIM_ST_ONLINE || e->draining)
        return;
    if (e->report_s > 0 && report_due(t))
        report(t);
    else if (e->report_s == 0)
        sim_session_pump(t);
    if (t->fd >= 0 && sim_engine_stamp(e) - t->last_tx_us >= e->heartbeat_us)
        sim_term_send(t, JT_MSG_HEARTBEAT, NULL, 0, true, NULL);
}

static void go_online(sim_term *t)
{
    t->state = SIM_ST_ONLINE;
    sim_engine_went_online(t->eng, t);
    say(t, FW_LOG_INFO, "online");
    sim_term_start_ticks(t);
    if (t->eng->draining)
        return;
    if (t->eng->report_s > 0)
        report(t);
    else
        sim_session_pump(t);
}

/* ---- platform replies and commands ------------------------------------------------------- */

static void on_plat_ack(sim_term *t, const jt_general_ack *a)
{
    sim_engine *e = t->eng;
    sim_inflight settled;
    if (!sim_term_settle(t, a->reply_serial, a->reply_id, &settled)) {
        sim_engine_error(e, SIM_E_unmatched_ack);
        return;
    }
    bool is_location = a->reply_id == JT_MSG_LOCATION || a->reply_id == JT_MSG_LOCATION_BATCH;
    sim_engine_ack_latency(e, settled.sent_us, is_location);
    if (a->reply_id == JT_MSG_AUTH) {
        if (a->result == JT_RESULT_OK) {
            go_online(t);
            return;
        }
        say(t, FW_LOG_WARN, "authentication refused (result %u): registering again", a->result);
        t->auth_len = 0;
        sim_term_drop(t, SIM_E_auth_refused);
        return;
    }
    if (a->result != JT_RESULT_OK)
        sim_engine_error(e, SIM_E_nack);
    else
        sim_engine_acked_positions(e, t->index, &settled.pos);
    if (a->reply_id == JT_MSG_LOCATION_BATCH)
        replay_pump(t);
    if (is_location && e->report_s == 0 && t->fd >= 0)
        sim_session_pump(t);
}

static void log_text(const sim_term *t, const jt_frame *f)
{
    jt_body b;
    char utf8[1024];
    size_t len;
    if (jt_decode_body(f, &b) == JT_OK &&
        jt_gbk_to_utf8(b.u.text.text.p, b.u.text.text.len, utf8, sizeof utf8, &len) == JT_OK)
        say(t, FW_LOG_INFO, "text from the platform (flags 0x%02x): %s", b.u.text.flags, utf8);
}

/* 0x8201: answer with 0x0201 (reply serial + the location now). */
static void answer_location_query(sim_term *t, uint16_t serial)
{
    sim_engine *e = t->eng;
    sim_where w = where_of(t);
    uint8_t items[SIM_ITEMS_CAP];
    jt_location_in loc;
    location_at(t, w, sim_engine_scenario_s(e) - w.offset_s, 0, NULL, 0, items, &loc);
    size_t len;
    e->body[0] = (uint8_t)(serial >> 8);
    e->body[1] = (uint8_t)serial;
    if (jt_enc_location(&loc, e->body + 2, sizeof e->body - 2, &len) == JT_OK)
        sim_term_send(t, JT_MSG_LOCATION_REPLY, e->body, len + 2, false, NULL);
}

static void on_command(sim_term *t, const jt_frame *f)
{
    sim_engine *e = t->eng;
    if (f->msg_id == JT_MSG_SERVER_TIME)
        return;
    sim_engine_count(e, SIM_C_commands, 1);
    if (f->msg_id == JT_MSG_QUERY_LOCATION) {
        answer_location_query(t, f->serial);
        return;
    }
    jt_general_ack a = {
        .reply_serial = f->serial, .reply_id = f->msg_id, .result = JT_RESULT_UNSUPPORTED};
    for (size_t i = 0; i < sizeof command_results / sizeof command_results[0]; i++) {
        if (command_results[i].msg_id == f->msg_id)
            a.result = command_results[i].result;
    }
    if (f->msg_id == JT_MSG_TEXT)
        log_text(t, f);
    else
        say(t, FW_LOG_INFO, "command 0x%04x answered with result %u", f->msg_id, a.result);
    size_t len;
    if (jt_enc_term_ack(&a, e->body, sizeof e->body, &len) == JT_OK)
        sim_term_send(t, JT_MSG_TERM_ACK, e->body, len, false, NULL);
}

void sim_session_frame(sim_term *t, const jt_frame *f)
{
    jt_body b;
    if (f->msg_id == JT_MSG_PLAT_ACK || f->msg_id == JT_MSG_REGISTER_REPLY) {
        if (jt_decode_body(f, &b) != JT_OK) {
            sim_engine_error(t->eng, SIM_E_bad_frame);
            return;
        }
        if (f->msg_id == JT_MSG_PLAT_ACK)
            on_plat_ack(t, &b.u.ack);
        else
            on_register_reply(t, &b.u.reg_reply);
    } else if (f->msg_id & 0x8000u) {
        on_command(t, f);
    } else {
        sim_engine_error(t->eng, SIM_E_bad_frame);
    }
}
