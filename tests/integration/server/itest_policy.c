/* itest_policy.c - the configurable policies against the real binary: require_auth off
 * (locations accepted before authentication) with damaged frames accepted, and damaged frames
 * dropped silently.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <unistd.h>

#include "harness.h"

#define PHONE    "13800000001"
#define LOC_BODY "00000000000000020260d36006f01f8000320258005a261128101010"
/* a 0x0200 from PHONE, serial 8, whose check code is wrong (00 instead of a9) */
#define DAMAGED_LOCATION                                                                           \
    "7e0200001c013800000001000800000000000000020260d36006f01f8000320258005a26112810101000 7e"

static void open_policy_accepts_unauthenticated_and_damaged(void **state)
{
    (void)state;
    static const char *const opts[] = {"--require_auth=false", "--damaged_frames=accept", NULL};
    itest_server s;
    itest_start(&s, opts);
    int fd = itest_connect(&s);
    itest_send_msg(fd, 2013, 0x0200, PHONE, 3, LOC_BODY);
    itest_expect_ack(fd, PHONE, 0, 3, 0x0200, 0);
    itest_send_hex(fd, DAMAGED_LOCATION);
    itest_expect_ack(fd, PHONE, 1, 8, 0x0200, 0);
    close(fd);
    assert_int_equal(itest_stop(&s), 0);
}

static void drop_policy_answers_nothing(void **state)
{
    (void)state;
    static const char *const opts[] = {"--damaged_frames=drop", NULL};
    itest_server s;
    itest_start(&s, opts);
    int fd = itest_connect(&s);
    itest_login_2013(fd, PHONE, 1, "bea94131323334 35");
    itest_send_hex(fd, DAMAGED_LOCATION);
    itest_expect_silence(fd, 300);
    itest_send_msg(fd, 2013, 0x0200, PHONE, 9, LOC_BODY); /* the connection is fine */
    itest_expect_ack(fd, PHONE, 2, 9, 0x0200, 0);
    close(fd);
    assert_int_equal(itest_stop(&s), 0);
}

int main(int argc, char **argv)
{
    itest_binary = argc > 1 ? argv[1] : NULL;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(open_policy_accepts_unauthenticated_and_damaged),
        cmocka_unit_test(drop_policy_answers_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
