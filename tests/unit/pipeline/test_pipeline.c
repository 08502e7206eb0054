/* test_pipeline.c - the pipeline (src/pipeline) driven the way the gateway drives it: the
 * worker start hook on an event base, locations through the location hook, the stop hook,
 * then the sink's close - with a fake store side that records what it would write. No Redis,
 * no sockets. Checks that violations reach the store, that blind-area points go through the
 * late lanes, that the states are saved on worker stop (before the sink closes) and loaded
 * back, that unknown vehicles are only counted, and that a bad geodata file on reload keeps
 * the old zones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <event2/event.h>

#include "fw/pipeline/pipeline.h"
#include "sources.h"

/* 2026-11-28 10:00 China time (UTC+8) as UTC epoch seconds. */
#define T0       (1795795200LL + 10 * 3600)
#define NOW_MS   (T0 * 1000 + 5000)
#define KMH(v)   ((uint16_t)((v)*10))
#define MAX_SEEN 64
#define PHONE_A  "13800138000"
#define PHONE_B  "13800138001"
#define ZONE_JSON(limit_kmh)                                                                       \
    "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{"         \
    "\"id\":7,\"kind\":\"speed_limit\",\"speed_limit_kmh\":" #limit_kmh "},\"geometry\":{"         \
    "\"type\":\"Polygon\",\"coordinates\":[[[118.7,31.9],[118.9,31.9],[118.9,32.1],[118.7,"        \
    "32.1],[118.7,31.9]]]}}]}"

/* ---- the fake store side ----------------------------------------------------------------- */

typedef struct {
    fw_violation_type type;
    fw_event_phase phase;
    bool late;
    uint32_t limit;
    char phone[FW_PHONE_MAX + 1];
} seen_event;

typedef struct {
    fw_sink sink; /* first: the gateway sees an fw_sink */
    seen_event events[MAX_SEEN];
    int nevents;
    int saves, loads, offline;
    int saves_at_close; /* saves recorded when the sink closed; -1 while open */
    char saved_phone[FW_PHONE_MAX + 1];
    uint8_t saved[FW_STORE_RSTATE_MAX];
    size_t saved_len; /* > 0: a load answers with this state */
} fake_store;

static int fake_submit(fw_sink *s, const fw_location_rec *rec, fw_sink_done_fn done, void *cookie)
{
    (void)s;
    (void)rec;
    done(cookie, 0);
    return FW_SINK_QUEUED;
}

static void fake_close(fw_sink *s)
{
    fake_store *f = (fake_store *)s;
    f->saves_at_close = f->saves;
}

static const fw_sink_ops fake_sink_ops = {"fake", fake_submit, fake_close};

static fw_sink *fake_sink_new(void *ctx, struct event_base *base, unsigned worker)
{
    (void)base;
    (void)worker;
    fake_store *f = ctx;
    f->sink.ops = &fake_sink_ops;
    f->saves_at_close = -1;
    return &f->sink;
}

static int fake_violation(void *ctx, unsigned worker, const fw_violation *v)
{
    fake_store *f = ctx;
    assert_int_equal(worker, 0);
    assert_int_equal(f->saves_at_close, -1); /* never after the sink closed */
    if (f->nevents < MAX_SEEN) {
        seen_event *e = &f->events[f->nevents++];
        *e = (seen_event){v->type, v->phase, v->late, v->limit, ""};
        snprintf(e->phone, sizeof e->phone, "%s", v->vehicle->phone);
    }
    return 0;
}

static int fake_rstate_save(void *ctx, unsigned worker, const char *phone, uint32_t version,
                            const uint8_t *blob, size_t len)
{
    fake_store *f = ctx;
    (void)version;
    assert_int_equal(worker, 0);
    assert_int_equal(f->saves_at_close, -1);
    assert_true(len > 0 && len <= sizeof f->saved);
    f->saves++;
    snprintf(f->saved_phone, sizeof f->saved_phone, "%s", phone);
    memcpy(f->saved, blob, len);
    f->saved_len = len;
    return 0;
}

/* Answers inside the call: the saved state when there is one, else "none saved". */
static void fake_rstate_load(void *ctx, unsigned worker, const char *phone, fw_store_rstate_cb cb,
                             void *cb_ctx)
{
    fake_store *f = ctx;
    (void)worker;
    f->loads++;
    if (f->saved_len && !strcmp(phone, f->saved_phone))
        cb(cb_ctx, 0, FW_STATE_VERSION, f->saved, f->saved_len);
    else
        cb(cb_ctx, 1, 0, NULL, 0);
}

static int fake_vehicle_offline(void *ctx, unsigned worker, const char *phone)
{
    fake_store *f = ctx;
    (void)worker;
    (void)phone;
    f->offline++;
    return 0;
}

static const fw_pipeline_store_ops fake_ops = {fake_sink_new, fake_violation, fake_rstate_save,
                                               fake_rstate_load, fake_vehicle_offline};

/* ---- one worker of the pipeline ---------------------------------------------------------- */

typedef struct {
    fw_pipeline_config cfg;
    sources *src;
    fw_pipeline *p;
    fw_server_hooks hooks;
    struct event_base *base;
    fw_sink *sink;
    fw_vehicle veh[2]; /* registry entries of PHONE_A and PHONE_B */
    bool stopped;
} world;

static void config_default(fw_pipeline_config *c)
{
    *c = (fw_pipeline_config){.rules = true,
                              .workers = 1,
                              .rules_vehicles = 16,
                              .rules_save_s = 300,
                              .rules_idle_s = 1800,
                              .rules_late_idle_ms = 2000,
                              .rules_warn_timeout_ms = 10000,
                              .items = FW_LOCATION_ITEMS_NONE};
}

/* The gateway's part: sink, then the start hook on the worker's base. */
static void world_start(world *w, fake_store *f)
{
    char err[512] = "";
    for (int i = 0; i < 2; i++) {
        snprintf(w->veh[i].phone, sizeof w->veh[i].phone, "%s", i ? PHONE_B : PHONE_A);
        snprintf(w->veh[i].plate, sizeof w->veh[i].plate, "苏A1234%d", i);
        w->veh[i].vclass = FW_CLASS_DANGEROUS_GOODS; /* 80 km/h off expressways */
    }
    assert_non_null(w->src = sources_new(&w->cfg, NULL));
    w->p = fw_pipeline_new(&w->cfg, (fw_pipeline_store){&fake_ops, f}, w->src, err, sizeof err);
    if (!w->p)
        fail_msg("fw_pipeline_new: %s", err);
    fw_pipeline_hooks(w->p, &w->hooks);
    assert_non_null(w->base = event_base_new());
    assert_non_null(w->sink = w->hooks.sink_factory(w->hooks.sink_ctx, w->base, 0));
    assert_non_null(w->hooks.on_worker_start);
    assert_int_equal(w->hooks.on_worker_start(w->hooks.worker_ctx, 0, w->base), 0);
}

/* The gateway's stop: the stop hook, then the sink closes. */
static void world_stop(world *w)
{
    w->hooks.on_worker_stop(w->hooks.worker_ctx, 0);
    w->sink->ops->close(w->sink);
    w->stopped = true;
}

static void world_free(world *w)
{
    if (!w->stopped)
        world_stop(w);
    fw_pipeline_free(w->p);
    event_base_free(w->base);
    sources_free(w->src);
}

/* One location of vehicle veh (NULL: unknown) at t, in the Nanjing zone of ZONE_JSON. */
static void locate(world *w, const fw_vehicle *veh, int64_t t, uint16_t speed_dkmh, bool blind)
{
    jt_location loc = {.status = JT_STATUS_FIXED | JT_STATUS_ACC_ON,
                       .lat_e6 = 32000000,
                       .lon_e6 = 118800000,
                       .speed_dkmh = speed_dkmh,
                       .time_utc = t,
                       .time_err = JT_OK};
    fw_position_config pc = FW_POSITION_CONFIG_DEFAULT;
    fw_position pos;
    fw_position_from_location(&loc, &pc, &pos);
    pos.late = blind;
    fw_location_rec rec = {.phone = veh ? veh->phone : PHONE_A,
                           .vehicle = veh,
                           .msg_id = blind ? 0x0704 : 0x0200,
                           .pos = &pos,
                           .received_ms = NOW_MS,
                           .worker = 0};
    w->hooks.on_location(w->hooks.location_ctx, &rec);
}

/* n points at 1 Hz from t. */
static void drive(world *w, const fw_vehicle *veh, int64_t t, int n, uint16_t speed_dkmh,
                  bool blind)
{
    for (int i = 0; i < n; i++)
        locate(w, veh, t + i, speed_dkmh, blind);
}

static int count_events(const fake_store *f, fw_event_phase phase, bool late)
{
    int n = 0;
    for (int i = 0; i < f->nevents; i++)
        n += f->events[i].type == FW_VIOLATION_SPEEDING && f->events[i].phase == phase &&
             f->events[i].late == late;
    return n;
}

/* The value of a metric line "name value" in the pipeline's Prometheus text; -1 when absent. */
static long metric(const world *w, const char *name)
{
    char text[8192], line[160];
    fw_pipeline_render_metrics(w->p, text, sizeof text);
    snprintf(line, sizeof line, "\n%s ", name);
    const char *at = strstr(text, line);
    return at ? strtol(at + strlen(line), NULL, 10) : -1;
}

/* ---- tests ------------------------------------------------------------------------------- */

static void violations_reach_the_store(void **state)
{
    (void)state;
    fake_store f = {0};
    world w = {0};
    config_default(&w.cfg);
    world_start(&w, &f);
    drive(&w, &w.veh[0], T0, 90, KMH(100), false); /* 100 km/h for 90 s: over for 60 s */
    assert_int_equal(count_events(&f, FW_EVENT_OPENED, false), 1);
    assert_string_equal(f.events[0].phone, PHONE_A);
    assert_int_equal(f.events[0].limit, KMH(80));
    drive(&w, &w.veh[0], T0 + 90, 60, KMH(50), false); /* back under the limit: closed */
    assert_int_equal(count_events(&f, FW_EVENT_CLOSED, false), 1);
    assert_int_equal(f.loads, 1); /* its saved state asked for once */
    assert_int_equal(metric(&w, "fleetwatch_rules_points_total"), 150);
    assert_int_equal(metric(&w, "fleetwatch_rules_violation_events_total"), f.nevents);
    world_free(&w);
}

static void unknown_vehicles_are_counted_only(void **state)
{
    (void)state;
    fake_store f = {0};
    world w = {0};
    config_default(&w.cfg);
    world_start(&w, &f);
    drive(&w, NULL, T0, 90, KMH(100), false);
    assert_int_equal(f.nevents, 0);
    assert_int_equal(f.loads, 0);
    assert_int_equal(metric(&w, "fleetwatch_rules_points_unknown_vehicle_total"), 90);
    assert_int_equal(metric(&w, "fleetwatch_rules_points_total"), 0);
    world_stop(&w);
    assert_int_equal(f.saves, 0);
    world_free(&w);
}

/* Blind-area points older than the live state: evaluated in a late lane, their events marked
 * late, the lane closed when the worker stops; live points stay out of order. */
static void blind_area_points_go_through_the_late_lanes(void **state)
{
    (void)state;
    fake_store f = {0};
    world w = {0};
    config_default(&w.cfg);
    world_start(&w, &f);
    drive(&w, &w.veh[0], T0 + 3600, 10, KMH(50), false); /* the live state is an hour ahead */
    drive(&w, &w.veh[0], T0, 90, KMH(100), true);        /* the gap, retransmitted */
    assert_int_equal(metric(&w, "fleetwatch_rules_late_points_total"), 90);
    assert_int_equal(count_events(&f, FW_EVENT_OPENED, true), 1);
    assert_int_equal(count_events(&f, FW_EVENT_OPENED, false), 0);
    drive(&w, &w.veh[0], T0 + 100, 5, KMH(50), false); /* old, not blind-area: refused */
    assert_int_equal(metric(&w, "fleetwatch_rules_points_out_of_order_total"), 5);
    world_stop(&w); /* closes the lane: the episode ends, late */
    assert_int_equal(count_events(&f, FW_EVENT_CLOSED, true), 1);
    world_free(&w);
}

/* The stop hook saves every changed state while the sink is open; a new pipeline loads it
 * back and continues the open episode (no second opening). */
static void states_saved_on_stop_and_loaded_back(void **state)
{
    (void)state;
    fake_store f = {0};
    world w = {0};
    config_default(&w.cfg);
    world_start(&w, &f);
    drive(&w, &w.veh[0], T0, 90, KMH(100), false);
    assert_int_equal(count_events(&f, FW_EVENT_OPENED, false), 1);
    assert_int_equal(f.saves, 0); /* rules_save_s not reached */
    world_stop(&w);
    assert_int_equal(f.saves, 1);
    assert_int_equal(f.saves_at_close, 1); /* saved before the sink closed */
    assert_string_equal(f.saved_phone, PHONE_A);
    world_free(&w);

    world w2 = {0};
    config_default(&w2.cfg);
    f.nevents = 0;
    world_start(&w2, &f);
    drive(&w2, &w2.veh[0], T0 + 90, 30, KMH(100), false);
    assert_int_equal(metric(&w2, "fleetwatch_rules_states_loaded_total"), 1);
    assert_int_equal(count_events(&f, FW_EVENT_OPENED, false), 0); /* the same episode */
    drive(&w2, &w2.veh[0], T0 + 120, 60, KMH(50), false);
    assert_int_equal(count_events(&f, FW_EVENT_CLOSED, false), 1);
    world_free(&w2);
}

/* A disconnect saves the vehicle's state at once and marks it offline; after the stop hook a
 * disconnect (connections aborted at shutdown) writes nothing to the closed store. */
static void disconnect_saves_and_marks_offline(void **state)
{
    (void)state;
    fake_store f = {0};
    world w = {0};
    config_default(&w.cfg);
    world_start(&w, &f);
    drive(&w, &w.veh[1], T0, 10, KMH(50), false);
    w.hooks.on_disconnect(w.hooks.disconnect_ctx, PHONE_B, &w.veh[1], 0);
    assert_int_equal(f.saves, 1);
    assert_string_equal(f.saved_phone, PHONE_B);
    assert_int_equal(f.offline, 1);
    drive(&w, &w.veh[1], T0 + 10, 10, KMH(50), false);
    world_stop(&w);
    assert_int_equal(f.saves, 2);
    w.hooks.on_disconnect(w.hooks.disconnect_ctx, PHONE_B, &w.veh[1], 0);
    assert_int_equal(f.saves, 2);
    world_free(&w);
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

/* The zone file is replaced by a broken one: the reload is refused and counted, the old 40 km/h
 * zone still applies; a good new file (60 km/h) then replaces it between two points. */
static void geodata_reload_keeps_the_old_version_on_a_bad_file(void **state)
{
    (void)state;
    char path[] = "/tmp/fw_test_zonesXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    write_file(path, ZONE_JSON(40));
    fake_store f = {0};
    world w = {0};
    config_default(&w.cfg);
    snprintf(w.cfg.rules_zones, sizeof w.cfg.rules_zones, "%s", path);
    world_start(&w, &f);

    write_file(path, "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":");
    assert_int_equal(fw_pipeline_reload_geodata(w.p), -1);
    drive(&w, &w.veh[0], T0, 90, KMH(50), false); /* over the old zone's 40 */
    assert_int_equal(count_events(&f, FW_EVENT_OPENED, false), 1);
    assert_int_equal(f.events[0].limit, KMH(40));

    write_file(path, ZONE_JSON(60));
    assert_int_equal(fw_pipeline_reload_geodata(w.p), 0);
    drive(&w, &w.veh[1], T0, 90, KMH(50), false); /* under the new zone's 60 */
    drive(&w, &w.veh[1], T0 + 90, 90, KMH(70), false);
    assert_int_equal(count_events(&f, FW_EVENT_OPENED, false), 2);
    assert_string_equal(f.events[f.nevents - 1].phone, PHONE_B);
    assert_int_equal(f.events[f.nevents - 1].limit, KMH(60));

    char text[2048];
    sources_render_metrics(w.src, text, sizeof text);
    assert_non_null(strstr(text, "{source=\"geodata\",result=\"refused\"} 1\n"));
    assert_non_null(strstr(text, "{source=\"geodata\",result=\"done\"} 1\n"));
    world_free(&w);
    unlink(path);
}

/* Rules off: no worker hooks, no location hook; the store side still gets the sink. */
static void rules_off_installs_no_rule_hooks(void **state)
{
    (void)state;
    fake_store f = {0};
    fw_pipeline_config cfg;
    config_default(&cfg);
    cfg.rules = false;
    char err[256];
    sources *src = sources_new(&cfg, NULL);
    fw_pipeline *p =
        fw_pipeline_new(&cfg, (fw_pipeline_store){&fake_ops, &f}, src, err, sizeof err);
    assert_non_null(p);
    fw_server_hooks hooks;
    fw_pipeline_hooks(p, &hooks);
    assert_null(hooks.on_worker_start);
    assert_null(hooks.on_worker_stop);
    assert_null(hooks.on_location);
    assert_null(hooks.on_other_message);
    assert_ptr_equal(hooks.sink_factory(hooks.sink_ctx, NULL, 0), &f.sink);
    char text[64] = "unchanged";
    assert_int_equal(fw_pipeline_render_metrics(p, text, sizeof text), 0);
    fw_pipeline_free(p);
    sources_free(src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(violations_reach_the_store),
        cmocka_unit_test(unknown_vehicles_are_counted_only),
        cmocka_unit_test(blind_area_points_go_through_the_late_lanes),
        cmocka_unit_test(states_saved_on_stop_and_loaded_back),
        cmocka_unit_test(disconnect_saves_and_marks_offline),
        cmocka_unit_test(geodata_reload_keeps_the_old_version_on_a_bad_file),
        cmocka_unit_test(rules_off_installs_no_rule_hooks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
