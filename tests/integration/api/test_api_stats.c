/* test_api_stats.c - /v1/stats counts what the store wrote: violation episodes of several
 * types, vehicles and days written through the real store (opened, updated with a higher
 * severity, closed, one update replayed), read back over HTTP from a real fleetwatch-api, per
 * day and over the whole range; then scripts/fw-rebuild-stats rebuilds the severity indexes
 * from nothing and from a wrong state. Arguments: the fleetwatch-api binary, the token file,
 * the rebuild script.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api_fixture.h"
#include "store_feed.h"

#define POLICE   "police-test-token-0001"
#define DAYS     3
#define VEHICLES 3
#define TYPES    4
#define EPISODES (DAYS * VEHICLES * TYPES)
#define DAY_S    86400

static const char *binary, *token_file, *rebuild_script;
static af_redis redis;
static af_api api;
static int64_t base_s; /* midnight UTC, DAYS days ago */

static const fw_violation_type types[TYPES] = {FW_VIOLATION_SPEEDING, FW_VIOLATION_OVERLOAD,
                                               FW_VIOLATION_NIGHT_BAN, FW_VIOLATION_FATIGUE};
static const fw_vehicle fleet[VEHICLES] = {
    {.phone = "13800000001", .plate = "苏G00001", .plate_color = 2, .vclass = FW_CLASS_TOUR_COACH},
    {.phone = "13800000002", .plate = "苏G00002", .plate_color = 2, .vclass = FW_CLASS_TRUCK},
    {.phone = "13800000003", .plate = "", .plate_color = 0, .vclass = FW_CLASS_LINE_COACH},
};

typedef struct {
    int day, vehicle, type;
    int64_t start;
    fw_severity opened, final; /* severity when opened; after the update and when closed */
} episode;

static episode episodes[EPISODES];

/* Episode k: its day, vehicle and type, and severities that differ between episodes; every
 * third one is raised by its update. */
static void plan(void)
{
    base_s = (time(NULL) / DAY_S - DAYS) * DAY_S;
    for (int k = 0; k < EPISODES; k++) {
        episode *e = &episodes[k];
        e->day = k / (VEHICLES * TYPES);
        e->vehicle = k / TYPES % VEHICLES;
        e->type = k % TYPES;
        e->start = base_s + e->day * DAY_S + 3600 + e->vehicle * 600 + e->type * 60;
        e->opened = (fw_severity)(k % 2);
        e->final = k % 3 == 0 ? (fw_severity)(e->opened + 2) : e->opened;
    }
}

static int put_event(store_feed *f, const episode *e, fw_event_phase phase, fw_severity sev,
                     int64_t end, fw_vehicle_profile *profile)
{
    fw_violation v = {.phase = phase,
                      .type = types[e->type],
                      .severity = sev,
                      .vehicle = profile,
                      .start_utc = e->start,
                      .end_utc = end,
                      .first = {e->start, 32060300, 118796900, 1050},
                      .peak = {e->start + 30, 32065000, 118798000, 1055},
                      .last = {end, 32070000, 118800000, 1000},
                      .value = 1055,
                      .limit = 800,
                      .mean_value = 964,
                      .unit = "0.1km/h"};
    snprintf(v.id, sizeof v.id, "%s-%s-%d", fleet[e->vehicle].phone,
             fw_violation_name(types[e->type]), e->day);
    return store_feed_violation(f, &v);
}

/* Every episode opened, updated (twice: the second is a replay of the first), closed. */
static int write_episodes(void)
{
    char err[256];
    store_feed *f = store_feed_open(redis.port, "", "test-node", err, sizeof err);
    if (!f)
        return -1;
    fw_vehicle_profile profiles[VEHICLES];
    for (int i = 0; i < VEHICLES; i++)
        fw_profile_from_registry(&fleet[i], &profiles[i]);
    int rc = 0;
    for (int k = 0; k < EPISODES; k++) {
        const episode *e = &episodes[k];
        fw_vehicle_profile *p = &profiles[e->vehicle];
        rc |= put_event(f, e, FW_EVENT_OPENED, e->opened, e->start + 60, p);
        rc |= put_event(f, e, FW_EVENT_UPDATED, e->final, e->start + 120, p);
        rc |= put_event(f, e, FW_EVENT_UPDATED, e->final, e->start + 120, p);
        rc |= put_event(f, e, FW_EVENT_CLOSED, e->final, e->start + 180, p);
    }
    rc |= store_feed_flush(f, 10000);
    store_feed_close(f);
    return rc;
}

static int setup(void **state)
{
    (void)state;
    plan();
    if (af_redis_start(&redis) != 0 || write_episodes() != 0)
        return -1;
    return af_api_start(&api, binary, token_file, &redis, NULL);
}

static int teardown(void **state)
{
    (void)state;
    af_api_stop(&api);
    af_redis_stop(&redis);
    return 0;
}

/* /v1/stats over [from, to] against the episodes that start in it, counted here. */
static void expect_counts(int64_t from, int64_t to)
{
    long long total = 0, by_type[TYPES] = {0}, by_sev[FW_SEVERITY__COUNT] = {0};
    for (int k = 0; k < EPISODES; k++)
        if (episodes[k].start >= from && episodes[k].start <= to) {
            total++;
            by_type[episodes[k].type]++;
            by_sev[episodes[k].final]++;
        }
    char target[128];
    snprintf(target, sizeof target, "/v1/stats?from=%lld&to=%lld", (long long)from, (long long)to);
    af_response r;
    assert_int_equal(af_http(api.port, "GET", target, POLICE, NULL, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_int_equal((long long)af_num(r.json, "total"), total);
    const cJSON *type = cJSON_GetObjectItem(r.json, "by_type");
    for (int t = 0; t < TYPES; t++)
        assert_int_equal((long long)af_num(type, fw_violation_name(types[t])), by_type[t]);
    assert_int_equal((long long)af_num(type, "route_deviation"), 0);
    const cJSON *sev = cJSON_GetObjectItem(r.json, "by_severity");
    assert_int_equal(cJSON_GetArraySize(sev), FW_SEVERITY__COUNT);
    for (int s = 0; s < FW_SEVERITY__COUNT; s++)
        assert_int_equal((long long)af_num(sev, fw_severity_name((fw_severity)s)), by_sev[s]);
    af_response_free(&r);
}

static void expect_every_range(void)
{
    expect_counts(base_s, base_s + DAYS * DAY_S);
    for (int d = 0; d < DAYS; d++)
        expect_counts(base_s + d * DAY_S, base_s + (d + 1) * DAY_S - 1);
    /* a range that cuts through a day: one vehicle's first two types of day 1 */
    int64_t from = base_s + DAY_S + 3600 + 600;
    expect_counts(from, from + 60);
}

/* Each episode once, at its latest severity, whatever the range. */
static void counts_match_what_was_written(void **state)
{
    (void)state;
    expect_every_range();
    long long severe = 0;
    for (int k = 0; k < EPISODES; k++)
        severe += episodes[k].final == FW_SEVERITY_SEVERE;
    assert_true(severe > 0); /* the plan raises some episodes: the moves are exercised */
}

static void rebuild(void)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s -p %u >/dev/null", rebuild_script, redis.port);
    assert_int_equal(system(cmd), 0);
}

/* Indexes gone (violations written before the store kept them), then a wrong state (an
 * episode left in its opening severity's index): the script puts both right. */
static void rebuild_script_restores_the_indexes(void **state)
{
    (void)state;
    for (int s = 0; s < FW_SEVERITY__COUNT; s++)
        assert_int_equal(
            af_redis_cmd(&redis, "DEL fw:vio:by_severity:%s", fw_severity_name((fw_severity)s)), 0);
    rebuild();
    expect_every_range();
    const episode *e = &episodes[0]; /* raised from warning to serious */
    assert_int_equal(af_redis_cmd(&redis, "ZADD fw:vio:by_severity:warning %lld %s-%s-%d",
                                  (long long)e->start, fleet[e->vehicle].phone,
                                  fw_violation_name(types[e->type]), e->day),
                     0);
    rebuild();
    expect_every_range();
}

int main(int argc, char **argv)
{
    if (af_args(argc, argv, 1, " <fw-rebuild-stats>", &binary, &token_file) != 0)
        return 2;
    rebuild_script = argv[3];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counts_match_what_was_written),
        cmocka_unit_test(rebuild_script_restores_the_indexes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
