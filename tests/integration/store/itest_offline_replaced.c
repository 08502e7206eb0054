/* itest_offline_replaced.c - the offline mark of a replaced connection (cmocka, through the
 * real `fleetwatch` binary with the Redis sink; test_store_offline_replaced.sh starts Redis).
 *
 * A terminal that reconnects is authenticated on the new connection and the old one is closed
 * as replaced, possibly on another worker whose writer to Redis is a different connection: its
 * offline mark could land after the new connection's positions and show a connected vehicle as
 * offline. The gateway tells on_disconnect that the session was superseded, and fleetwatch then
 * writes no offline mark; a plain disconnect still writes one.
 *
 * Usage: itest_offline_replaced path/to/fleetwatch REDIS_PORT SPOOL_DIR
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define PHONE     "13800000001"
#define PLATE_GBK "bea94131323334 35" /* 京A12345, tests/data/registry_test.json */
#define LOC_BODY  "00000000000000020260d36006f01f8000320258005a261128101010"

static const char *redis_port, *spool_dir;

/* fw:veh:<PHONE> online, "" when absent. */
static void online_of(char *out, size_t cap)
{
    redisContext *c = redisConnect("127.0.0.1", atoi(redis_port));
    assert_non_null(c);
    assert_int_equal(c->err, 0);
    redisReply *r = redisCommand(c, "HGET fw:veh:" PHONE " online");
    assert_non_null(r);
    snprintf(out, cap, "%s", r->type == REDIS_REPLY_STRING ? r->str : "");
    freeReplyObject(r);
    redisFree(c);
}

/* Poll until online equals want, at most timeout_ms; returns the last value seen. */
static const char *wait_online(const char *want, int timeout_ms)
{
    static char seen[16];
    struct timespec step = {0, 20 * 1000 * 1000};
    for (int waited_ms = 0;; waited_ms += 20) {
        online_of(seen, sizeof seen);
        if (!strcmp(seen, want) || waited_ms >= timeout_ms)
            return seen;
        nanosleep(&step, NULL);
    }
}

static void replaced_connection_leaves_vehicle_online(void **state)
{
    (void)state;
    char opt_port[64], opt_spool[300];
    snprintf(opt_port, sizeof opt_port, "--redis_port=%s", redis_port);
    snprintf(opt_spool, sizeof opt_spool, "--spool_dir=%s", spool_dir);
    const char *extra[] = {"--sink=redis", "--rules=0", "--workers=2", opt_port, opt_spool, NULL};
    itest_server srv;
    itest_start(&srv, extra);

    int old_fd = itest_connect(&srv);
    itest_login_2013(old_fd, PHONE, 1, PLATE_GBK);
    itest_send_msg(old_fd, 2013, 0x0200, PHONE, 3, LOC_BODY);
    uint8_t ack[64];
    assert_true(itest_read_frame(old_fd, ack, sizeof ack, 3000) > 0);
    assert_string_equal(wait_online("1", 3000), "1");

    int new_fd = itest_connect(&srv);
    itest_login_2013(new_fd, PHONE, 1, PLATE_GBK);
    assert_true(itest_closed_within(old_fd, 3000));
    close(old_fd);
    /* an offline mark of the replaced connection would be in Redis well within this */
    assert_string_equal(wait_online("0", 1000), "1");

    close(new_fd); /* the terminal's current connection ends: now it is offline */
    assert_string_equal(wait_online("0", 3000), "0");
    assert_int_equal(itest_stop(&srv), 0);
}

int main(int argc, char **argv)
{
    if (!itest_args(argc, argv, 3, "path/to/fleetwatch REDIS_PORT SPOOL_DIR"))
        return 2;
    redis_port = argv[2];
    spool_dir = argv[3];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(replaced_connection_leaves_vehicle_online),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
