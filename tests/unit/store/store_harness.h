/* store_harness.h - shared scaffolding of the store tests (header-only, static): a libevent
 * loop with one store worker, a synthetic location builder and a loop runner with a deadline.
 */
#ifndef FW_STORE_HARNESS_H
#define FW_STORE_HARNESS_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <event2/event.h>

#include "fw/base/sink.h"
#include "fw/store/store.h"
#include "redis_fixture.h"

typedef struct {
    rf_redis redis;
    struct event_base *base;
    fw_store_config cfg;
    fw_store *st;
    fw_sink *sink;
    unsigned done_ok, done_failed;
} sh_env;

static inline void sh_done(void *cookie, int status)
{
    sh_env *e = cookie;
    if (status == 0)
        e->done_ok++;
    else
        e->done_failed++;
}

/* Config pointing at e->redis with a spool under its directory. */
static inline void sh_config(sh_env *e)
{
    fw_store_config_defaults(&e->cfg);
    e->cfg.redis_port = e->redis.port;
    snprintf(e->cfg.redis_password, sizeof e->cfg.redis_password, "%s", e->redis.password);
    snprintf(e->cfg.spool_dir, sizeof e->cfg.spool_dir, "%s/spool", e->redis.dir);
    e->cfg.reconnect_min_ms = 20;
    e->cfg.reconnect_max_ms = 200;
    snprintf(e->cfg.node, sizeof e->cfg.node, "test-node");
}

static inline bool sh_open(sh_env *e)
{
    char err[256];
    e->done_ok = e->done_failed = 0;
    e->st = fw_store_new(&e->cfg, 1, err, sizeof err);
    if (!e->st) {
        fprintf(stderr, "fw_store_new: %s\n", err);
        return false;
    }
    e->sink = fw_store_sink_new(e->st, e->base, 0);
    return e->sink != NULL;
}

static inline void sh_close(sh_env *e)
{
    if (e->sink)
        e->sink->ops->close(e->sink);
    fw_store_free(e->st);
    e->sink = NULL;
    e->st = NULL;
}

/* Run the loop until *counter >= target or timeout_ms passed; true when reached. */
static inline bool sh_run_until(sh_env *e, const unsigned *counter, unsigned target,
                                unsigned timeout_ms)
{
    for (unsigned waited = 0; *counter < target && waited < timeout_ms; waited += 5) {
        struct timeval tv = {0, 5000};
        event_base_loopexit(e->base, &tv);
        event_base_dispatch(e->base);
    }
    return *counter >= target;
}

static inline void sh_run_ms(sh_env *e, unsigned ms)
{
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    event_base_loopexit(e->base, &tv);
    event_base_dispatch(e->base);
}

static inline bool sh_connected(sh_env *e, unsigned timeout_ms)
{
    fw_store_stats s;
    for (unsigned waited = 0; waited < timeout_ms; waited += 10) {
        fw_store_stats_get(e->st, 0, &s);
        if (s.connected)
            return true;
        sh_run_ms(e, 10);
    }
    return false;
}

/* A fixed location at t_utc (epoch s) with lat/lon in 1e-6 degrees. */
static inline void sh_location(jt_location *loc, int64_t t_utc, int32_t lat_e6, int32_t lon_e6)
{
    memset(loc, 0, sizeof *loc);
    loc->status = JT_STATUS_FIXED;
    loc->lat_e6 = lat_e6;
    loc->lon_e6 = lon_e6;
    loc->lat_raw = (uint32_t)(lat_e6 < 0 ? -lat_e6 : lat_e6);
    loc->lon_raw = (uint32_t)(lon_e6 < 0 ? -lon_e6 : lon_e6);
    loc->speed_dkmh = 625;
    loc->course_deg = 90;
    loc->altitude_m = 44;
    loc->time_utc = t_utc;
    loc->time_err = JT_OK;
}

/* A 0x0200 record of loc, interpreted into *pos as the gateway does (no custom items). */
static inline void sh_record(fw_location_rec *rec, fw_position *pos, const char *phone,
                             const jt_location *loc, int64_t received_ms)
{
    memset(rec, 0, sizeof *rec);
    fw_position_from_location(loc, &FW_POSITION_CONFIG_DEFAULT, pos);
    rec->phone = phone;
    rec->msg_id = 0x0200;
    rec->pos = pos;
    rec->received_ms = received_ms;
}

static inline int sh_submit(sh_env *e, const char *phone, int64_t t_utc, int64_t received_ms)
{
    jt_location loc;
    fw_location_rec rec;
    fw_position pos;
    sh_location(&loc, t_utc, 39904200 + (int32_t)(t_utc % 1000), 116407400);
    sh_record(&rec, &pos, phone, &loc, received_ms);
    return e->sink->ops->submit(e->sink, &rec, sh_done, e);
}

#endif
