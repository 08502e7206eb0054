/* itest_future.c - a position dated in the future (cmocka, through the real `fleetwatch` binary
 * with the Redis sink, the rules and the API; test_store_future.sh starts Redis).
 *
 * A terminal reports one 0x0200 dated 2098 (with the emergency alarm bit, which the rules
 * would turn into a violation at once), then three real positions. The future one is acked
 * (it is stored: the late set of its track, at its receive time, flagged `future`), counted
 * by the store and by the rules, and moves nothing live: fw:veh and fw:geo follow the real
 * positions, the rules evaluate the real ones in order (none out of order) and record no
 * violation, and the API's track shows it flagged.
 *
 * Usage: itest_future path/to/fleetwatch REDIS_PORT SPOOL_DIR
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "fleetwatch.pb-c.h"
#include "harness.h"

#define PHONE        "13800000001"
#define PLATE_GBK    "bea94131323334 35" /* 京A12345, tests/data/registry_test.json */
#define REAL_POINTS  3
#define CHINA_OFFSET (8 * 3600)
#define TOKEN        "police-test-token-0001" /* tests/data/tokens_test.txt */

static const char *redis_port, *spool_dir;

/* A 0x0200 body: alarm, status fixed, position (1e-6 degrees), 60 km/h, at epoch second t. */
static void location_body(char *out, size_t cap, uint32_t alarm, uint32_t lat_e6, uint32_t lon_e6,
                          time_t t)
{
    time_t local = t + CHINA_OFFSET; /* the BCD time is Beijing time */
    struct tm tm;
    gmtime_r(&local, &tm);
    snprintf(out, cap, "%08x%08x%08x%08x%04x%04x%04x%02d%02d%02d%02d%02d%02d", alarm, 2u, lat_e6,
             lon_e6, 50u, 600u, 90u, tm.tm_year % 100, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec);
}

static redisReply *redis_cmd(const char *fmt, const char *arg)
{
    redisContext *c = redisConnect("127.0.0.1", atoi(redis_port));
    assert_non_null(c);
    assert_int_equal(c->err, 0);
    redisReply *r = redisCommand(c, fmt, arg);
    assert_non_null(r);
    redisFree(c);
    return r;
}

static long long redis_int(const char *fmt, const char *arg)
{
    redisReply *r = redis_cmd(fmt, arg);
    assert_int_equal(r->type, REDIS_REPLY_INTEGER);
    long long v = r->integer;
    freeReplyObject(r);
    return v;
}

/* HGET fw:veh:PHONE field as a number (-1 when absent). */
static long long veh_field(const char *field)
{
    redisReply *r = redis_cmd("HGET fw:veh:" PHONE " %s", field);
    long long v = r->type == REDIS_REPLY_STRING ? atoll(r->str) : -1;
    freeReplyObject(r);
    return v;
}

static int count_of(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static void future_position_moves_nothing_live(void **state)
{
    (void)state;
    char opt_port[64], opt_spool[300], opt_tokens[300];
    snprintf(opt_port, sizeof opt_port, "--redis_port=%s", redis_port);
    snprintf(opt_spool, sizeof opt_spool, "--spool_dir=%s", spool_dir);
    snprintf(opt_tokens, sizeof opt_tokens, "--api_token_file=%s/tokens_test.txt",
             FW_TEST_DATA_DIR);
    const char *extra[] = {"--sink=redis", "--rules=1", "--log_level=info",
                           opt_port,       opt_spool,   "--api_listen=127.0.0.1:0",
                           opt_tokens,     NULL};
    itest_server srv;
    itest_start(&srv, extra);
    int fd = itest_connect(&srv);
    itest_login_2013(fd, PHONE, 1, PLATE_GBK);

    time_t now = time(NULL);
    redisReply *r0;
    struct tm y2098 = {.tm_year = 198, .tm_mon = 10, .tm_mday = 28, .tm_hour = 2, .tm_min = 10};
    time_t future_t = timegm(&y2098); /* 2098-11-28 10:10 Beijing time */
    char body[128];
    location_body(body, sizeof body, 1 /* emergency button */, 30000000, 120000000, future_t);
    itest_send_msg(fd, 2013, 0x0200, PHONE, 3, body);
    itest_expect_ack(fd, PHONE, 2, 3, 0x0200, 0); /* stored, so acked */
    for (uint16_t i = 0; i < REAL_POINTS; i++) {
        location_body(body, sizeof body, 0, 40000000 + i * 1000u, 116000000,
                      now - 30 + 10 * (time_t)i);
        itest_send_msg(fd, 2013, 0x0200, PHONE, (uint16_t)(4 + i), body);
        itest_expect_ack(fd, PHONE, (uint16_t)(3 + i), (uint16_t)(4 + i), 0x0200, 0);
    }

    /* live state: the last real position; the future one was the session's first (the one
     * that carries the static fields), so it still says the vehicle is online on this node */
    assert_int_equal(veh_field("gnss_time"), (long long)(now - 30 + 10 * (REAL_POINTS - 1)));
    assert_int_equal(veh_field("alarm"), 0);
    assert_int_equal(veh_field("online"), 1);
    r0 = redis_cmd("HGET fw:veh:" PHONE " %s", "node");
    assert_int_equal(r0->type, REDIS_REPLY_STRING);
    freeReplyObject(r0);
    redisReply *r = redis_cmd("GEOPOS fw:geo %s", PHONE);
    assert_int_equal(r->type, REDIS_REPLY_ARRAY);
    assert_int_equal(r->element[0]->type, REDIS_REPLY_ARRAY);
    assert_true(atof(r->element[0]->element[0]->str) > 115.99); /* lon 116, not 120 */
    assert_true(atof(r->element[0]->element[0]->str) < 116.01);
    assert_true(atof(r->element[0]->element[1]->str) > 40.001); /* lat 40.002, not 30 */
    freeReplyObject(r);

    /* the track: the real ones in the stream, the future one flagged in the late set, scored
     * by its receive time */
    assert_int_equal(redis_int("XLEN fw:track:%s", PHONE), REAL_POINTS);
    r = redis_cmd("ZRANGE fw:track:%s:late 0 -1 WITHSCORES", PHONE);
    assert_int_equal(r->type, REDIS_REPLY_ARRAY);
    assert_int_equal(r->elements, 2);
    long long score_ms = atoll(r->element[1]->str);
    assert_true(score_ms >= (long long)now * 1000 - 2000 &&
                score_ms <= (long long)now * 1000 + 5000);
    Fleetwatch__Position *p =
        fleetwatch__position__unpack(NULL, r->element[0]->len, (const uint8_t *)r->element[0]->str);
    assert_non_null(p);
    assert_true(p->future);
    assert_false(p->late);
    assert_int_equal(p->gnss_time, (long long)future_t);
    assert_int_equal(p->alarm, 1);
    fleetwatch__position__free_unpacked(p, NULL);
    freeReplyObject(r);

    /* no violation from the emergency button of the future point */
    assert_int_equal(redis_int("EXISTS %s", "fw:vio:by_vehicle:" PHONE), 0);
    assert_int_equal(redis_int("XLEN %s", "fw:violations"), 0);

    /* counted; the rules saw the real points in order */
    assert_int_equal(itest_metric(&srv, "fleetwatch_store_future_total"), 1);
    assert_int_equal(itest_metric(&srv, "fleetwatch_rules_points_future_total"), 1);
    assert_int_equal(itest_metric(&srv, "fleetwatch_rules_points_total"), REAL_POINTS);
    assert_int_equal(itest_metric(&srv, "fleetwatch_rules_points_out_of_order_total"), 0);

    /* the API's track shows all four, the future one flagged */
    static char resp[1 << 18];
    assert_int_equal(
        itest_http(&srv, "GET", "/v1/vehicles/" PHONE "/track", TOKEN, resp, sizeof resp), 200);
    assert_int_equal(count_of(resp, "\"future\":true") + count_of(resp, "\"future\": true"), 1);
    assert_int_equal(count_of(resp, "\"future\":false") + count_of(resp, "\"future\": false"),
                     REAL_POINTS);
    assert_true(itest_log_contains(&srv, "store: position of " PHONE " dated "));

    close(fd);
    assert_int_equal(itest_stop(&srv), 0);
}

int main(int argc, char **argv)
{
    if (!itest_args(argc, argv, 3, "path/to/fleetwatch REDIS_PORT SPOOL_DIR"))
        return 2;
    redis_port = argv[2];
    spool_dir = argv[3];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(future_position_moves_nothing_live),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
