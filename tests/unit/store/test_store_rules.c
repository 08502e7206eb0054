/* test_store_rules.c - violation events, rule state and the offline mark in a real Redis:
 * stream fields, record hash, indexes, idempotent replays of events, rule state round trip.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <event2/event.h>

#include "fleetwatch.pb-c.h"
#include "fw/store/store_violation.h"
#include "redis_fixture.h"

/* Event times one day ago: records expire `violation_retention_days` after their start. */
static int64_t T0;

typedef struct {
    rf_redis redis;
    struct event_base *base;
    fw_store *st;
    fw_vehicle_profile veh;
    int load_status;
    uint32_t load_version;
    uint8_t load_blob[FW_STORE_RSTATE_MAX];
    size_t load_len;
    unsigned loads;
} env;

static void run_ms(env *e, unsigned ms)
{
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    event_base_loopexit(e->base, &tv);
    event_base_dispatch(e->base);
}

/* Run until the worker has confirmed `stored` records. */
static bool run_until_stored(env *e, uint64_t stored)
{
    fw_store_stats s = {0};
    for (int i = 0; i < 300 && s.stored < stored; i++) {
        run_ms(e, 10);
        fw_store_stats_get(e->st, 0, &s);
    }
    return s.stored >= stored;
}

static int setup(void **state)
{
    static env e;
    char err[256];
    T0 = (int64_t)time(NULL) - 86400;
    memset(&e, 0, sizeof e);
    e.base = event_base_new();
    if (!e.base || rf_start(&e.redis, NULL) < 0)
        return -1;
    fw_store_config cfg;
    fw_store_config_defaults(&cfg);
    cfg.redis_port = e.redis.port;
    snprintf(cfg.spool_dir, sizeof cfg.spool_dir, "%s/spool", e.redis.dir);
    snprintf(cfg.node, sizeof cfg.node, "node-a");
    e.st = fw_store_new(&cfg, 1, err, sizeof err);
    if (!e.st || fw_store_worker_open(e.st, e.base, 0) < 0)
        return -1;
    snprintf(e.veh.phone, sizeof e.veh.phone, "13900000001");
    snprintf(e.veh.plate, sizeof e.veh.plate, "京A12345");
    e.veh.plate_color = 2; /* yellow */
    e.veh.vclass = FW_CLASS_TOUR_COACH;
    *state = &e;
    return 0;
}

static int teardown(void **state)
{
    env *e = *state;
    fw_store_worker_close(e->st, 0);
    fw_store_free(e->st);
    rf_destroy(&e->redis);
    event_base_free(e->base);
    return 0;
}

static void speeding(fw_violation *v, const fw_vehicle_profile *veh, fw_event_phase phase,
                     int64_t end_utc, fw_severity sev)
{
    memset(v, 0, sizeof *v);
    snprintf(v->id, sizeof v->id, "%s-speeding-20231114T221320Z", veh->phone);
    v->phase = phase;
    v->type = FW_VIOLATION_SPEEDING;
    v->severity = sev;
    v->vehicle = veh;
    v->start_utc = T0;
    v->end_utc = end_utc;
    v->first = (fw_evidence){T0, 39900000, 116400000, 1100};
    v->peak = (fw_evidence){T0 + 30, 39910000, 116410000, 1250};
    v->last = (fw_evidence){end_utc, 39920000, 116420000, 1050};
    v->value = 1250;
    v->limit = 1000;
    v->mean_value = 1150;
    v->unit = "0.1km/h";
    v->ref_kind = "zone";
    v->ref_id = 42;
    v->distance_m = 1800;
}

static void violation_events_fill_stream_record_and_indexes(void **state)
{
    env *e = *state;
    fw_violation v;
    speeding(&v, &e->veh, FW_EVENT_OPENED, T0 + 10, FW_SEVERITY_MINOR);
    assert_int_equal(fw_store_violation(e->st, 0, &v), 0);
    speeding(&v, &e->veh, FW_EVENT_CLOSED, T0 + 60, FW_SEVERITY_SERIOUS);
    assert_int_equal(fw_store_violation(e->st, 0, &v), 0);
    assert_true(run_until_stored(e, 2));

    redisReply *r = rf_cmd(&e->redis, "XRANGE fw:violations - +");
    assert_int_equal(r->elements, 2);
    const redisReply *f = r->element[1]->element[1];
    assert_int_equal(f->elements, 12);
    const char *expect[] = {"type",  "speeding", "state",    "closed",  "phone", "13900000001",
                            "plate", "京A12345", "severity", "serious", "pb"};
    for (int i = 0; i < 11; i++)
        assert_string_equal(f->element[i]->str, expect[i]);
    Fleetwatch__Violation *pb = fleetwatch__violation__unpack(NULL, f->element[11]->len,
                                                              (const uint8_t *)f->element[11]->str);
    assert_non_null(pb);
    assert_string_equal(pb->id, v.id);
    assert_int_equal(pb->end_time, T0 + 60);
    assert_string_equal(pb->zone_id, "42");
    assert_string_equal(pb->vehicle_class, "tour_coach");
    assert_int_equal(pb->plate_color, 2);
    assert_int_equal(pb->n_evidence, 3);
    assert_string_equal(pb->evidence[1]->role, "peak");
    assert_int_equal(pb->evidence[1]->speed_dkmh, 1250);
    fleetwatch__violation__free_unpacked(pb, NULL);
    freeReplyObject(r);

    r = rf_cmd(&e->redis, "HMGET fw:vio:%s state severity start_time end_time value limit", v.id);
    assert_string_equal(r->element[0]->str, "closed");
    assert_string_equal(r->element[1]->str, "serious");
    assert_int_equal(atoll(r->element[2]->str), T0);
    assert_int_equal(atoll(r->element[3]->str), T0 + 60);
    assert_string_equal(r->element[4]->str, "1250");
    assert_string_equal(r->element[5]->str, "1000");
    freeReplyObject(r);
    long long ttl_s = rf_int(&e->redis, "TTL fw:vio:%s", v.id);
    assert_true(ttl_s > 1093LL * 86400 && ttl_s <= 1094LL * 86400); /* start + 1095 d */
    const char *indexes[] = {"fw:vio:by_time", "fw:vio:by_vehicle:13900000001",
                             "fw:vio:by_type:speeding", "fw:vio:by_plate:京A12345"};
    for (int i = 0; i < 4; i++) {
        r = rf_cmd(&e->redis, "ZSCORE %s %s", indexes[i], v.id);
        assert_non_null(r);
        assert_int_equal(r->type, REDIS_REPLY_STRING);
        assert_int_equal(atoll(r->str), T0);
        freeReplyObject(r);
    }
}

static void replayed_events_are_not_duplicated(void **state)
{
    env *e = *state;
    fw_violation v;
    fw_store_stats before, after;
    fw_store_stats_get(e->st, 0, &before);
    speeding(&v, &e->veh, FW_EVENT_OPENED, T0 + 10, FW_SEVERITY_MINOR); /* older event */
    fw_store_violation(e->st, 0, &v);
    speeding(&v, &e->veh, FW_EVENT_CLOSED, T0 + 60, FW_SEVERITY_SERIOUS); /* same event */
    fw_store_violation(e->st, 0, &v);
    assert_true(run_until_stored(e, before.stored + 2));
    fw_store_stats_get(e->st, 0, &after);
    assert_int_equal(after.duplicates - before.duplicates, 2);
    assert_int_equal(rf_int(&e->redis, "XLEN fw:violations"), 2);
    redisReply *r = rf_cmd(&e->redis, "HGET fw:vio:%s state", v.id);
    assert_string_equal(r->str, "closed");
    freeReplyObject(r);
}

static void the_largest_event_and_state_fit_a_record(void **state)
{
    env *e = *state;
    fw_vehicle_profile veh = e->veh;
    fw_violation v;
    fw_store_stats before, after;
    memset(veh.phone, '9', sizeof veh.phone - 1);
    memset(veh.plate, 'P', sizeof veh.plate - 1);
    speeding(&v, &veh, FW_EVENT_CLOSED, T0 + 60, FW_SEVERITY_SEVERE);
    memset(v.id, 'x', sizeof v.id - 1);
    v.id[sizeof v.id - 1] = '\0';
    v.type = FW_VIOLATION_TERMINAL_ALARM;
    v.subtype = FW_TALARM_SIGN_LIMIT; /* the longest subtype name */
    v.value = v.limit = v.mean_value = v.distance_m = UINT32_MAX;
    v.first.time_utc = v.peak.time_utc = v.last.time_utc = INT64_MAX / 2;
    v.first.lat_e6 = v.peak.lat_e6 = v.last.lat_e6 = INT32_MIN;
    fw_store_stats_get(e->st, 0, &before);
    assert_int_equal(fw_store_violation(e->st, 0, &v), 0);
    uint8_t blob[FW_STORE_RSTATE_MAX];
    memset(blob, 0xff, sizeof blob);
    assert_int_equal(fw_store_rstate_save(e->st, 0, veh.phone, UINT32_MAX, blob, sizeof blob), 0);
    assert_true(run_until_stored(e, before.stored + 2));
    fw_store_stats_get(e->st, 0, &after);
    assert_int_equal(after.failed, before.failed);
}

static void on_load(void *ctx, int status, uint32_t version, const uint8_t *blob, size_t len)
{
    env *e = ctx;
    e->loads++;
    e->load_status = status;
    e->load_version = version;
    e->load_len = len;
    if (len)
        memcpy(e->load_blob, blob, len);
}

static void rule_state_round_trip(void **state)
{
    env *e = *state;
    uint8_t blob[300];
    for (size_t i = 0; i < sizeof blob; i++)
        blob[i] = (uint8_t)(i * 7);
    fw_store_rstate_load(e->st, 0, "13900000002", on_load, e);
    for (int i = 0; i < 100 && e->loads < 1; i++)
        run_ms(e, 10);
    assert_int_equal(e->load_status, 1); /* none saved */

    assert_int_equal(fw_store_rstate_save(e->st, 0, "13900000002", 1, blob, sizeof blob), 0);
    fw_store_rstate_load(e->st, 0, "13900000002", on_load, e); /* ordered after the save */
    for (int i = 0; i < 100 && e->loads < 2; i++)
        run_ms(e, 10);
    assert_int_equal(e->load_status, 0);
    assert_int_equal(e->load_version, 1);
    assert_int_equal(e->load_len, sizeof blob);
    assert_memory_equal(e->load_blob, blob, sizeof blob);
    assert_true(rf_int(&e->redis, "PTTL fw:rstate:13900000002") > 29LL * 86400000);
    uint8_t big[FW_STORE_RSTATE_MAX + 1] = {0};
    assert_int_equal(fw_store_rstate_save(e->st, 0, "13900000002", 1, big, sizeof big), -1);
}

static void offline_mark_respects_the_owning_node(void **state)
{
    env *e = *state;
    freeReplyObject(rf_cmd(&e->redis, "HSET fw:veh:13900000003 online 1 node node-a"));
    freeReplyObject(rf_cmd(&e->redis, "HSET fw:veh:13900000004 online 1 node node-b"));
    /* a reconnect to this node whose first position was stored before the old connection's
     * offline mark arrived (its receive time is after the mark's) */
    freeReplyObject(rf_cmd(&e->redis, "HSET fw:veh:13900000005 online 1 node node-a recv_time %lld",
                           (long long)time(NULL) + 60));
    fw_store_stats s;
    fw_store_stats_get(e->st, 0, &s);
    assert_int_equal(fw_store_vehicle_offline(e->st, 0, "13900000003"), 0);
    assert_int_equal(fw_store_vehicle_offline(e->st, 0, "13900000004"), 0);
    assert_int_equal(fw_store_vehicle_offline(e->st, 0, "13900000005"), 0);
    assert_true(run_until_stored(e, s.stored + 3));
    redisReply *r = rf_cmd(&e->redis, "HGET fw:veh:13900000003 online");
    assert_string_equal(r->str, "0");
    freeReplyObject(r);
    r = rf_cmd(&e->redis, "HGET fw:veh:13900000004 online"); /* taken over by node-b */
    assert_string_equal(r->str, "1");
    freeReplyObject(r);
    r = rf_cmd(&e->redis, "HGET fw:veh:13900000005 online"); /* back online already */
    assert_string_equal(r->str, "1");
    freeReplyObject(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(violation_events_fill_stream_record_and_indexes),
        cmocka_unit_test(replayed_events_are_not_duplicated),
        cmocka_unit_test(the_largest_event_and_state_fit_a_record),
        cmocka_unit_test(rule_state_round_trip),
        cmocka_unit_test(offline_mark_respects_the_owning_node),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
