/* itest_badinput.c - input that is not frames, against the real binary: empty frames (runs of
 * 0x7e) and bytes that are not frames (before the first flag, unreadable candidates between
 * frames) are counted in /metrics, tolerated up to max_empty_frames / max_garbage_bytes per
 * connection, and past that the connection is closed (reason bad_input).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <unistd.h>

#include "harness.h"

#define PHONE "13800000001"

static itest_server server;

static int setup(void **state)
{
    (void)state;
    /* bad frames in a row never close here: the budgets are what is tested */
    static const char *const opts[] = {"--max_empty_frames=100", "--max_garbage_bytes=100",
                                       "--max_bad_frames=255", "--api_listen=127.0.0.1:0", NULL};
    itest_start(&server, opts);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return itest_stop(&server);
}

static void heartbeat(int fd, uint16_t serial, uint16_t platform_serial)
{
    itest_send_msg(fd, 2013, 0x0002, PHONE, serial, "");
    itest_expect_ack(fd, PHONE, platform_serial, serial, 0x0002, 0);
}

static void send_flags(int fd, size_t n)
{
    static uint8_t flags[20000];
    memset(flags, 0x7e, sizeof flags);
    itest_send(fd, flags, n);
}

static void empty_frame_flood_is_counted_then_closed(void **state)
{
    (void)state;
    unsigned long long empty =
        itest_metric(&server, "fleetwatch_errors_total{kind=\"empty_frame\"}");
    unsigned long long closed =
        itest_metric(&server, "fleetwatch_connections_closed_total{reason=\"bad_input\"}");
    int fd = itest_connect(&server);
    heartbeat(fd, 1, 0);
    /* the first flag separates; the 49 others and the next frame's opening flag are empty */
    send_flags(fd, 50);
    heartbeat(fd, 2, 1);
    assert_int_equal(itest_metric(&server, "fleetwatch_errors_total{kind=\"empty_frame\"}") - empty,
                     50);
    send_flags(fd, 20000);
    assert_true(itest_closed_within(fd, 2000));
    assert_true(itest_metric(&server, "fleetwatch_errors_total{kind=\"empty_frame\"}") - empty >
                100);
    assert_int_equal(
        itest_metric(&server, "fleetwatch_connections_closed_total{reason=\"bad_input\"}") - closed,
        1);
    close(fd);
}

static void bytes_that_are_not_frames_are_counted_then_closed(void **state)
{
    (void)state;
    unsigned long long garbage =
        itest_metric(&server, "fleetwatch_errors_total{kind=\"garbage_bytes\"}");
    unsigned long long closed =
        itest_metric(&server, "fleetwatch_connections_closed_total{reason=\"bad_input\"}");
    int fd = itest_connect(&server);
    itest_send_hex(fd, "68656c6c6f"); /* "hello" before the first flag: 5 bytes */
    heartbeat(fd, 1, 0);
    /* 30 unreadable 3-byte candidates between frames, sharing their flags: 90 bytes */
    for (int i = 0; i < 30; i++)
        itest_send_hex(fd, "010203 7e");
    heartbeat(fd, 2, 1); /* 95 of 100: still served */
    assert_int_equal(
        itest_metric(&server, "fleetwatch_errors_total{kind=\"garbage_bytes\"}") - garbage, 95);
    itest_send_hex(fd, "010203 7e 010203 7e"); /* 101 */
    assert_true(itest_closed_within(fd, 2000));
    assert_int_equal(
        itest_metric(&server, "fleetwatch_errors_total{kind=\"garbage_bytes\"}") - garbage, 101);
    assert_int_equal(
        itest_metric(&server, "fleetwatch_connections_closed_total{reason=\"bad_input\"}") - closed,
        1);
    close(fd);
}

int main(int argc, char **argv)
{
    itest_binary = argc > 1 ? argv[1] : NULL;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_frame_flood_is_counted_then_closed),
        cmocka_unit_test(bytes_that_are_not_frames_are_counted_then_closed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
