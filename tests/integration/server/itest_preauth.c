/* itest_preauth.c - what an unauthenticated connection may do, against the real binary (with
 * require_auth): registration and authentication, and preauth_max_heartbeats heartbeats;
 * every other message is refused with result 1 and counted; the connection is closed
 * auth_timeout_s after connecting unless it authenticated, however busy it keeps it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <unistd.h>

#include "harness.h"

#define PHONE    "13800000001"
#define PLATE    "bea94131323334 35"
#define LOC_BODY "00000000000000020260d36006f01f8000320258005a261128101010"

static itest_server server;

static int setup(void **state)
{
    (void)state;
    static const char *const opts[] = {"--auth_timeout_s=3", "--preauth_max_heartbeats=2",
                                       "--api_listen=127.0.0.1:0", NULL};
    itest_start(&server, opts);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return itest_stop(&server);
}

static void only_registration_auth_and_some_heartbeats_before_auth(void **state)
{
    (void)state;
    unsigned long long refused =
        itest_metric(&server, "fleetwatch_errors_total{kind=\"unauthenticated\"}");
    int fd = itest_connect(&server);
    itest_send_msg(fd, 2013, 0x0002, PHONE, 1, "");
    itest_expect_ack(fd, PHONE, 0, 1, 0x0002, 0);
    itest_send_msg(fd, 2013, 0x0002, PHONE, 2, "");
    itest_expect_ack(fd, PHONE, 1, 2, 0x0002, 0);
    itest_send_msg(fd, 2013, 0x0002, PHONE, 3, ""); /* past preauth_max_heartbeats */
    itest_expect_ack(fd, PHONE, 2, 3, 0x0002, 1);
    itest_send_msg(fd, 2013, 0x0200, PHONE, 4, LOC_BODY);
    itest_expect_ack(fd, PHONE, 3, 4, 0x0200, 1);
    itest_send_msg(fd, 2013, 0x0004, PHONE, 5, ""); /* query time */
    itest_expect_ack(fd, PHONE, 4, 5, 0x0004, 1);
    itest_send_msg(fd, 2013, 0x0003, PHONE, 6, ""); /* logout: not before authenticating */
    itest_expect_ack(fd, PHONE, 5, 6, 0x0003, 1);
    assert_int_equal(
        itest_metric(&server, "fleetwatch_errors_total{kind=\"unauthenticated\"}") - refused, 4);
    itest_login_2013(fd, PHONE, 1, PLATE); /* platform serials 6 and 7 */
    for (uint16_t s = 10; s < 14; s++) {
        itest_send_msg(fd, 2013, 0x0002, PHONE, s, "");
        itest_expect_ack(fd, PHONE, (uint16_t)(s - 2), s, 0x0002, 0);
    }
    close(fd);
}

/* A heartbeat every 0.5 s (refused after the first two) does not keep an unauthenticated
 * connection: it closes 2 to 4 s after connecting (auth_timeout_s 3, checked by a 1 s tick); an
 * authenticated connection opened at the same time stays. */
static void unauthenticated_connection_closes_after_auth_timeout(void **state)
{
    (void)state;
    unsigned long long closed =
        itest_metric(&server, "fleetwatch_connections_closed_total{reason=\"auth_timeout\"}");
    int fd = itest_connect(&server), authed = itest_connect(&server);
    itest_login_2013(authed, "13800000004", 1, "bea944 3430303034");
    for (uint16_t s = 1; s <= 3; s++) {
        itest_send_msg(fd, 2013, 0x0002, PHONE, s, "");
        itest_expect_ack(fd, PHONE, (uint16_t)(s - 1), s, 0x0002, s <= 2 ? 0 : 1);
        usleep(500000);
    }
    assert_true(itest_closed_within(fd, 3500));
    assert_int_equal(
        itest_metric(&server, "fleetwatch_connections_closed_total{reason=\"auth_timeout\"}") -
            closed,
        1);
    sleep(1);
    itest_send_msg(authed, 2013, 0x0002, "13800000004", 9, "");
    itest_expect_ack(authed, "13800000004", 2, 9, 0x0002, 0);
    close(fd);
    close(authed);
}

int main(int argc, char **argv)
{
    itest_binary = argc > 1 ? argv[1] : NULL;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(only_registration_auth_and_some_heartbeats_before_auth),
        cmocka_unit_test(unauthenticated_connection_closes_after_auth_timeout),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
