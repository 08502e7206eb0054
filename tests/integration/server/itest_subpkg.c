/* itest_subpkg.c - sub-packaged messages against the real binary: packets acked one by one,
 * the completing packet answered as the whole message, a missing packet asked for again with
 * 0x8003 by the poll, data sub-packages refused before authentication while a 2019 0x0100 sent
 * as sub-packages registers, and one terminal that never completes its messages unable to
 * starve another's (subpkg_max_per_terminal, oldest evicted).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
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

/* Read one frame within 3 s and return it unescaped (0x7e flags kept); asserts its message id. */
static size_t read_msg(int fd, uint16_t msg_id, uint8_t *out, size_t cap)
{
    size_t n = itest_read_frame(fd, out, cap, 3000), o = 0;
    for (size_t i = 0; i < n; i++)
        out[o++] = out[i] == 0x7d && i + 1 < n ? (uint8_t)(out[++i] == 0x02 ? 0x7e : 0x7d) : out[i];
    assert_true(o > 3);
    assert_int_equal(out[1] << 8 | out[2], msg_id);
    return o;
}

/* 2019 header: 7e id(2) props(2) version(1) phone(10) serial(2), then the body */
#define BODY_2019 18

/* A 2019 terminal whose 0x0100 comes in three packets before it is authenticated: each packet
 * is acked, the last one completes the registration (0x8100 result 0) and the code works. */
static void registration_2019_in_sub_packages(void **state)
{
    (void)state;
    static const char *const phone = "12345678901234567890";
    static const char *const parts_2019[] = {
        "002c012c4d414b45520000000000004d4f44454c0000000000000000",
        "00000000000000000000000000000000003435363738393000000000",
        "0000000000000000000000000000000000000002d4c1453530303035"};
    int fd = itest_connect(&server);
    uint8_t f[256], r[256];
    for (uint16_t i = 1; i <= 3; i++)
        itest_send(fd, f,
                   itest_frame(f, sizeof f, 2019, 0x0100, phone, i, parts_2019[i - 1], 3, i));
    for (int i = 0; i < 2; i++) { /* packets 1 and 2: 0x8001 result 0 */
        read_msg(fd, 0x8001, r, sizeof r);
        assert_int_equal(r[BODY_2019 + 2] << 8 | r[BODY_2019 + 3], 0x0100);
        assert_int_equal(r[BODY_2019 + 4], 0);
    }
    size_t n = read_msg(fd, 0x8100, r, sizeof r);
    assert_int_equal(r[BODY_2019 + 2], 0); /* result: registered */
    char code[128], auth[256];
    itest_to_hex(r + BODY_2019 + 3, n - BODY_2019 - 5, code);
    snprintf(auth, sizeof auth, "%02zx%s3132333435363738393031323334355357312e30%030d",
             strlen(code) / 2, code, 0);
    itest_send(fd, f, itest_frame(f, sizeof f, 2019, 0x0102, phone, 4, auth, 0, 0));
    read_msg(fd, 0x8001, r, sizeof r);
    assert_int_equal(r[BODY_2019 + 2] << 8 | r[BODY_2019 + 3], 0x0102);
    assert_int_equal(r[BODY_2019 + 4], 0);
    close(fd);
}

/* One authenticated terminal starts far more sub-packaged messages than the worker's table
 * holds and never completes them (resending their first packets to keep them alive); another
 * terminal on the same worker still gets its sub-packaged location through and acked. */
static void one_terminal_cannot_starve_another(void **state)
{
    (void)state;
    static const char *const opts[] = {"--workers=1", "--subpkg_max_msgs=8",
                                       "--subpkg_max_per_terminal=2", "--api_listen=127.0.0.1:0",
                                       NULL};
    itest_server s;
    itest_start(&s, opts);
    int attacker = itest_connect(&s), victim = itest_connect(&s);
    itest_login_2013(attacker, PHONE, 1, "bea94131323334 35");
    itest_login_2013(victim, "13800000004", 1, "bea944 3430303034");
    uint8_t f[128];
    uint16_t platform = 2;
    for (int round = 0; round < 2; round++)
        for (uint16_t total = 2; total < 22; total++) { /* 20 series: (phone, id, total) */
            uint16_t serial = (uint16_t)(100 * round + total);
            itest_send(attacker, f,
                       itest_frame(f, sizeof f, 2013, 0x0200, PHONE, serial, parts[0], total, 1));
            itest_expect_ack(attacker, PHONE, platform++, serial, 0x0200, 0);
        }
    for (uint16_t i = 1; i <= 3; i++) {
        itest_send(victim, f,
                   itest_frame(f, sizeof f, 2013, 0x0200, "13800000004", (uint16_t)(10 + i),
                               parts[i - 1], 3, i));
        itest_expect_ack(victim, "13800000004", (uint16_t)(1 + i), (uint16_t)(10 + i), 0x0200, 0);
    }
    /* each new series past the first two evicted the attacker's oldest; nothing was refused */
    assert_int_equal(itest_metric(&s, "fleetwatch_errors_total{kind=\"subpkg_evicted\"}"), 38);
    assert_int_equal(itest_metric(&s, "fleetwatch_errors_total{kind=\"subpkg\"}"), 0);
    assert_int_equal(itest_metric(&s, "fleetwatch_locations_total"), 1);
    close(attacker);
    close(victim);
    assert_int_equal(itest_stop(&s), 0);
}

int main(int argc, char **argv)
{
    itest_binary = argc > 1 ? argv[1] : NULL;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reassembled_in_order_and_missing_packet_requested),
        cmocka_unit_test(subpackage_before_auth_is_refused),
        cmocka_unit_test(registration_2019_in_sub_packages),
        cmocka_unit_test(one_terminal_cannot_starve_another),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
