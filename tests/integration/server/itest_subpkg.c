/* itest_subpkg.c - sub-packaged messages against the real binary: packets acked one by one,
 * the completing packet answered as the whole message, a missing packet asked for again with
 * 0x8003 by the poll, and sub-packages refused before authentication.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <unistd.h>

#include "harness.h"

#define PHONE "13800000001"
/* a 28-byte location body in three packets of 10, 10 and 8 bytes */
static const char *const parts[] = {"00000000000000020260", "d36006f01f8000320258",
                                    "005a261128101010"};

static itest_server server;

static int setup(void **state)
{
    (void)state;
    static const char *const opts[] = {"--subpkg_timeout_ms=500", NULL};
    itest_start(&server, opts);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return itest_stop(&server);
}

static void send_packet(int fd, const char *phone, uint16_t serial, uint16_t index)
{
    uint8_t f[128];
    itest_send(fd, f,
               itest_frame(f, sizeof f, 2013, 0x0200, phone, serial, parts[index - 1], 3, index));
}

static void reassembled_in_order_and_missing_packet_requested(void **state)
{
    (void)state;
    int fd = itest_connect(&server);
    itest_login_2013(fd, PHONE, 1, "bea94131323334 35"); /* platform serials 0 and 1 */
    send_packet(fd, PHONE, 10, 1);
    itest_expect_ack(fd, PHONE, 2, 10, 0x0200, 0);
    send_packet(fd, PHONE, 11, 2);
    itest_expect_ack(fd, PHONE, 3, 11, 0x0200, 0);
    send_packet(fd, PHONE, 12, 3); /* completes: the location's own ack */
    itest_expect_ack(fd, PHONE, 4, 12, 0x0200, 0);

    send_packet(fd, PHONE, 20, 1);
    itest_expect_ack(fd, PHONE, 5, 20, 0x0200, 0);
    send_packet(fd, PHONE, 22, 3);
    itest_expect_ack(fd, PHONE, 6, 22, 0x0200, 0);
    /* 0x8003: first serial 20, one packet missing, index 2 */
    uint8_t want[64];
    char hex[160];
    itest_to_hex(want, itest_frame(want, sizeof want, 2013, 0x8003, PHONE, 7, "0014 01 0002", 0, 0),
                 hex);
    itest_expect(fd, hex);
    send_packet(fd, PHONE, 21, 2);
    itest_expect_ack(fd, PHONE, 8, 21, 0x0200, 0);
    itest_expect_silence(fd, 300);
    close(fd);
}

static void subpackage_before_auth_is_refused(void **state)
{
    (void)state;
    int fd = itest_connect(&server);
    send_packet(fd, "13800000004", 5, 1);
    itest_expect_ack(fd, "13800000004", 0, 5, 0x0200, 1);
    close(fd);
}

int main(int argc, char **argv)
{
    itest_binary = argc > 1 ? argv[1] : NULL;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reassembled_in_order_and_missing_packet_requested),
        cmocka_unit_test(subpackage_before_auth_is_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
