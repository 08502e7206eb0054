/* rules_test.h - helpers for the rule engine tests: a world (config, engine, one vehicle,
 * its state, a sink that records events), synthetic tracks at 1 point per step along a line,
 * and event counting. Header-only (static inline) so each test file takes what it needs.
 */
#ifndef FW_RULES_TEST_H
#define FW_RULES_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw/rules/rules.h"

/* 2026-11-28 00:00 China time (UTC+8) as UTC epoch seconds. */
#define CN_DAY0     1795795200LL
#define CN(h, m, s) (CN_DAY0 + (h)*3600LL + (m)*60LL + (s))
#define KMH(v)      ((uint16_t)((v)*10)) /* km/h -> 0.1 km/h */

#define RT_MAX_EVENTS 256

typedef struct {
    fw_violation ev[RT_MAX_EVENTS];
    int n;
    int warns;
    char warn_text[FW_RULES_TEXT_MAX];
} rt_sink;

typedef struct {
    fw_rules_config cfg;
    fw_rules_engine eng;
    fw_vehicle_profile veh;
    fw_vehicle_state st;
    rt_sink sink;
    int32_t lat_e6, lon_e6; /* where the next point is */
    int32_t offset_north_m; /* track offset north of lat_e6 (route tests) */
    bool late;
} rt_world;

static inline void rt_collect(void *ctx, const fw_violation *v)
{
    rt_sink *s = ctx;
    if (s->n < RT_MAX_EVENTS)
        s->ev[s->n++] = *v;
}

static inline void rt_warn(void *ctx, const fw_violation *v, const char *text)
{
    rt_sink *s = ctx;
    (void)v;
    s->warns++;
    snprintf(s->warn_text, sizeof(s->warn_text), "%s", text);
}

/* Nanjing, a vehicle of class c, no geodata. */
static inline void rt_init(rt_world *w, fw_vehicle_class c)
{
    memset(w, 0, sizeof(*w));
    fw_rules_config_default(&w->cfg);
    w->eng.cfg = &w->cfg;
    w->eng.sink = (fw_rules_sink){rt_collect, rt_warn, &w->sink};
    snprintf(w->veh.phone, sizeof(w->veh.phone), "013800138000");
    snprintf(w->veh.plate, sizeof(w->veh.plate), "苏A12345");
    w->veh.vclass = c;
    fw_state_init(&w->st);
    w->lat_e6 = 32000000;
    w->lon_e6 = 118800000;
}

/* Read a test data file into buf (NUL-terminated); returns its length (fails the test when it
 * cannot be read or does not fit). */
static inline size_t rt_read_file(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    size_t n = fread(buf, 1, cap - 1, f);
    int more = fgetc(f) != EOF;
    fclose(f);
    if (more)
        fail_msg("%s is larger than %zu bytes", path, cap - 1);
    buf[n] = '\0';
    return n;
}

/* Load geodata from a GeoJSON text into the world (fails the test on error). */
static inline fw_geo *rt_geo(rt_world *w, const char *json)
{
    fw_geo_config gc = fw_rules_geo_config(&w->cfg);
    fw_geo_error err = {0};
    fw_geo *g = fw_geo_load(json, strlen(json), &gc, &err);
    if (!g)
        fail_msg("geojson: feature %d: %s", err.feature_index, err.reason);
    w->eng.geo = g;
    return g;
}

static inline fw_position rt_point(const rt_world *w, int64_t t, uint16_t speed_dkmh)
{
    fw_position p = {0};
    p.time_utc = t;
    p.lat_e6 = w->lat_e6 + (int32_t)(w->offset_north_m / 0.11119508);
    p.lon_e6 = w->lon_e6;
    p.speed_dkmh = p.gnss_speed_dkmh = speed_dkmh;
    p.status = JT_STATUS_FIXED | JT_STATUS_ACC_ON;
    p.fixed = true;
    p.late = w->late;
    return p;
}

static inline fw_apply_result rt_apply(rt_world *w, const fw_position *p)
{
    return fw_rules_apply(&w->eng, &w->veh, &w->st, p);
}

/* Move east by the distance covered at speed_dkmh in step_s. */
static inline void rt_move(rt_world *w, uint16_t speed_dkmh, int step_s)
{
    double m = speed_dkmh / 36.0 * step_s;
    w->lon_e6 += (int32_t)(m / (0.11119508 * 0.848048)); /* cos(32 deg) */
}

/* Drive from t for `seconds` at speed_dkmh, one point every step_s (the first at t, the last
 * at t + seconds - step_s); returns t + seconds. */
static inline int64_t rt_drive(rt_world *w, int64_t t, int seconds, int step_s, uint16_t speed_dkmh)
{
    for (int i = 0; i < seconds; i += step_s) {
        fw_position p = rt_point(w, t + i, speed_dkmh);
        rt_apply(w, &p);
        rt_move(w, speed_dkmh, step_s);
    }
    return t + seconds;
}

static inline int rt_count(const rt_world *w, fw_violation_type type, fw_event_phase phase)
{
    int n = 0;
    for (int i = 0; i < w->sink.n; i++)
        n += w->sink.ev[i].type == type && w->sink.ev[i].phase == phase;
    return n;
}

/* The last event of a type and phase, NULL when none. */
static inline const fw_violation *rt_last(const rt_world *w, fw_violation_type type,
                                          fw_event_phase phase)
{
    for (int i = w->sink.n - 1; i >= 0; i--)
        if (w->sink.ev[i].type == type && w->sink.ev[i].phase == phase)
            return &w->sink.ev[i];
    return NULL;
}

/* A track segment for table-driven tests: `seconds` at speed_dkmh. */
typedef struct {
    int seconds;
    uint16_t speed_dkmh;
} rt_leg;

/* Drive the legs (0-terminated) at 1 Hz from t; returns the end time. */
static inline int64_t rt_legs(rt_world *w, int64_t t, const rt_leg *legs)
{
    for (; legs->seconds; legs++)
        t = rt_drive(w, t, legs->seconds, 1, legs->speed_dkmh);
    return t;
}

#endif
