/* itest_rate.c - the per-connection frame-rate cap against the real binary: a terminal sending
 * 30 frames at once with max_frame_rate=10 gets about 10 answered per second, the rest later
 * (nothing is lost), while another connection is answered at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <time.h>
#include <unistd.h>

#include "harness.h"

#define PHONE "13912345678"

static long ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static void rate_cap_spreads_a_burst_over_seconds(void **state)
{
    (void)state;
    /* unauthenticated heartbeats: require_auth off, so that they all get result 0 */
    static const char *const opts[] = {"--workers=1", "--max_frame_rate=10", "--require_auth=false",
                                       NULL};
    itest_server s;
    itest_start(&s, opts);
    int busy = itest_connect(&s), other = itest_connect(&s);
    uint8_t burst[30 * 20];
    size_t n = 0;
    for (uint16_t i = 0; i < 30; i++)
        n += itest_frame(burst + n, sizeof burst - n, 2013, 0x0002, PHONE, i, "", 0, 0);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    itest_send(busy, burst, n);
    for (uint16_t i = 0; i < 10; i++)
        itest_expect_ack(busy, PHONE, i, i, 0x0002, 0);
    /* the busy connection is paused; the other one is answered at once */
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    itest_send_msg(other, 2013, 0x0002, PHONE, 99, "");
    itest_expect_ack(other, PHONE, 0, 99, 0x0002, 0);
    assert_true(ms_since(&t1) < 500);
    for (uint16_t i = 10; i < 30; i++)
        itest_expect_ack(busy, PHONE, i, i, 0x0002, 0);
    /* ten per one-second window: at least two window changes (uncapped: a few ms) */
    long took = ms_since(&t0);
    assert_true(took >= 900);
    assert_true(took < 4500);
    close(busy);
    close(other);
    assert_int_equal(itest_stop(&s), 0);
}

int main(int argc, char **argv)
{
    itest_binary = argc > 1 ? argv[1] : NULL;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rate_cap_spreads_a_burst_over_seconds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
