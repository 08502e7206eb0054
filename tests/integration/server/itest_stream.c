/* itest_stream.c - the byte stream against the real binary: frames split into single bytes or
 * merged into one write, garbage between frames, oversized input, too many bad frames, an HTTP
 * request on the port, no valid frame after connecting, idle timeout, and a burst from one
 * connection not starving another.
 *
 * Heartbeats (0x0002) from an unregistered phone are used, with require_auth off.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define PHONE "13912345678"

static itest_server server;

static int setup(void **state)
{
    (void)state;
    /* one worker: the burst and the quiet connection share an event loop; require_auth off,
     * so that unauthenticated heartbeats are answered with result 0 however many there are */
    static const char *const opts[] = {"--workers=1",
                                       "--idle_timeout_s=3",
                                       "--first_frame_timeout_s=2",
                                       "--max_bad_frames=3",
                                       "--max_frame_rate=1000",
                                       "--require_auth=false",
                                       NULL};
    itest_start(&server, opts);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return itest_stop(&server);
}

static size_t heartbeat(uint8_t *out, uint16_t serial)
{
    return itest_frame(out, 64, 2013, 0x0002, PHONE, serial, "", 0, 0);
}

static void split_into_single_bytes(void **state)
{
    (void)state;
    int fd = itest_connect(&server);
    uint8_t f[64];
    size_t n = heartbeat(f, 0x1234);
    for (size_t i = 0; i < n; i++) {
        itest_send(fd, f + i, 1);
        usleep(2000);
    }
    itest_expect_ack(fd, PHONE, 0, 0x1234, 0x0002, 0);
    close(fd);
}

static void merged_into_one_write(void **state)
{
    (void)state;
    int fd = itest_connect(&server);
    uint8_t buf[256];
    size_t n = 0;
    for (uint16_t s = 1; s <= 3; s++)
        n += heartbeat(buf + n, s);
    /* and one frame sharing its start flag with the previous end flag */
    uint8_t last[64];
    size_t k = heartbeat(last, 4);
    memcpy(buf + n, last + 1, k - 1);
    n += k - 1;
    itest_send(fd, buf, n);
    for (uint16_t s = 1; s <= 4; s++)
        itest_expect_ack(fd, PHONE, (uint16_t)(s - 1), s, 0x0002, 0);
    close(fd);
}

static void garbage_between_frames_is_skipped(void **state)
{
    (void)state;
    int fd = itest_connect(&server);
    uint8_t buf[256], f[64];
    size_t n = itest_hex("0102030405", buf, sizeof buf);
    size_t k = heartbeat(f, 7);
    memcpy(buf + n, f, k);
    n += k;
    n += itest_hex("ffff", buf + n, sizeof buf - n);
    k = heartbeat(f, 8);
    memcpy(buf + n, f, k);
    n += k;
    itest_send(fd, buf, n);
    itest_expect_ack(fd, PHONE, 0, 7, 0x0002, 0);
    itest_expect_ack(fd, PHONE, 1, 8, 0x0002, 0);
    close(fd);
}

static void too_many_bad_frames_close(void **state)
{
    (void)state;
    int fd = itest_connect(&server);
    uint8_t f[64];
    itest_send(fd, f, heartbeat(f, 1));
    itest_expect_ack(fd, PHONE, 0, 1, 0x0002, 0);
    itest_send_hex(fd, "7e0102037e 7e0405067e"); /* two bad frames: still open */
    itest_send(fd, f, heartbeat(f, 2));          /* a good one resets the count */
    itest_expect_ack(fd, PHONE, 1, 2, 0x0002, 0);
    itest_send_hex(fd, "7e0102037e 7e0405067e 7e0708097e");
    assert_true(itest_closed_within(fd, 2000));
    close(fd);
}

static void oversized_input_is_dropped_and_resynced(void **state)
{
    (void)state;
    int fd = itest_connect(&server);
    static uint8_t big[6000];
    big[0] = 0x7e;
    memset(big + 1, 0x11, sizeof big - 1);
    itest_send(fd, big, sizeof big);
    uint8_t f[64];
    itest_send(fd, f, heartbeat(f, 3));
    itest_expect_ack(fd, PHONE, 0, 3, 0x0002, 0);
    close(fd);
}

static void http_request_is_closed_at_once(void **state)
{
    (void)state;
    int fd = itest_connect(&server);
    const char *req = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
    itest_send(fd, (const uint8_t *)req, strlen(req));
    assert_true(itest_closed_within(fd, 500));
    close(fd);
}

static void no_valid_frame_after_connecting_closes(void **state)
{
    (void)state;
    int fd = itest_connect(&server);
    itest_send_hex(fd, "68656c6c6f"); /* "hello", no frame at all */
    assert_false(itest_closed_within(fd, 1000));
    assert_true(itest_closed_within(fd, 3000));
    close(fd);
}

static void idle_connection_is_closed(void **state)
{
    (void)state;
    int fd = itest_connect(&server);
    uint8_t f[64];
    itest_send(fd, f, heartbeat(f, 1));
    itest_expect_ack(fd, PHONE, 0, 1, 0x0002, 0);
    assert_false(itest_closed_within(fd, 1500));
    itest_send(fd, f, heartbeat(f, 2)); /* activity restarts the clock */
    itest_expect_ack(fd, PHONE, 1, 2, 0x0002, 0);
    assert_false(itest_closed_within(fd, 2000));
    assert_true(itest_closed_within(fd, 3000));
    close(fd);
}

static long elapsed_ms(const struct timespec *a)
{
    struct timespec b;
    clock_gettime(CLOCK_MONOTONIC, &b);
    return (b.tv_sec - a->tv_sec) * 1000 + (b.tv_nsec - a->tv_nsec) / 1000000;
}

static void burst_does_not_starve_others(void **state)
{
    (void)state;
    int busy = itest_connect(&server);
    int quiet = itest_connect(&server);
    fcntl(busy, F_SETFL, O_NONBLOCK);
    /* 20,000 frames in as few writes as the socket takes, never reading the acks */
    static uint8_t burst[20000 * 16];
    size_t n = 0;
    for (unsigned i = 0; i < 20000; i++)
        n += heartbeat(burst + n, (uint16_t)i);
    size_t sent = 0;
    for (int tries = 0; tries < 200 && sent < n; tries++) {
        ssize_t k = write(busy, burst + sent, n - sent);
        if (k > 0)
            sent += (size_t)k;
        else
            usleep(1000);
    }
    for (uint16_t s = 1; s <= 5; s++) {
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        uint8_t f[64];
        itest_send(quiet, f, heartbeat(f, s));
        itest_expect_ack(quiet, PHONE, (uint16_t)(s - 1), s, 0x0002, 0);
        assert_true(elapsed_ms(&t0) < 500);
    }
    close(busy);
    close(quiet);
}

int main(int argc, char **argv)
{
    itest_binary = argc > 1 ? argv[1] : NULL;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(split_into_single_bytes),
        cmocka_unit_test(merged_into_one_write),
        cmocka_unit_test(garbage_between_frames_is_skipped),
        cmocka_unit_test(too_many_bad_frames_close),
        cmocka_unit_test(oversized_input_is_dropped_and_resynced),
        cmocka_unit_test(http_request_is_closed_at_once),
        cmocka_unit_test(no_valid_frame_after_connecting_closes),
        cmocka_unit_test(idle_connection_is_closed),
        cmocka_unit_test(burst_does_not_starve_others),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
