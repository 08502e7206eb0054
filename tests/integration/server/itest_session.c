/* itest_session.c - sessions over real sockets against the real binary: register, authenticate,
 * locations and their acks byte for byte (2013 and 2019), refusals (unknown terminal, plate
 * of another vehicle or of none, device not the one bound, wrong auth code), data before
 * authentication, replacement on reconnect, unsupported ids, undecodable bodies, damaged frames.
 *
 * Expected frames were built by an encoder independent of the codec (harness.c / by hand);
 * the auth codes are SipHash-2-4 of the phone under the secret "test" (tested in
 * tests/unit/server/test_authcode.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <time.h>
#include <unistd.h>

#include "harness.h"

#define PLATE_A12345 "bea94131323334 35"
#define PLATE_D40004 "bea94434303030 34"
#define PLATE_Z99999 "bea95a39393939 39"
#define REG_2013_PREFIX                                                                            \
    "000b0065 4d414b4552 4d4f44454c000000000000000000000000000000 49443030303031 01"
#define LOC_BODY "00000000000000020260d36006f01f8000320258005a261128101010"

static itest_server server;

static int setup(void **state)
{
    (void)state;
    itest_start(&server, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return itest_stop(&server);
}

static void register_auth_location_2013(void **state)
{
    (void)state;
    int fd = itest_connect(&server);
    itest_send_msg(fd, 2013, 0x0100, "13800000001", 1, REG_2013_PREFIX PLATE_A12345);
    itest_expect(fd, "7e81000013013800000001000000010031663433363035383736366263386663fb7e");
    itest_send_msg(fd, 2013, 0x0102, "13800000001", 2, "31663433363035383736366263386663");
    itest_expect(fd, "7e8001000501380000000100010002010200bc7e");
    itest_send_msg(fd, 2013, 0x0200, "13800000001", 3, LOC_BODY);
    itest_expect(fd, "7e8001000501380000000100020003020000bf7e");
    itest_send_msg(fd, 2013, 0x0002, "13800000001", 4, "");
    itest_expect(fd, "7e8001000501380000000100030004000200b97e");
    /* 0x0704, blind-area batch of two: one ack for the whole batch */
    itest_send_msg(fd, 2013, 0x0704, "13800000001", 5, "000201 001c" LOC_BODY "001c" LOC_BODY);
    itest_expect(fd, "7e8001000501380000000100040005070400be7e");
    /* vendor id without a decoder: result 3 */
    itest_send_msg(fd, 2013, 0x5501, "13800000001", 6, "616263");
    itest_expect(fd, "7e8001000501380000000100050006550103e87e");
    /* location body of 10 bytes: result 2 */
    itest_send_msg(fd, 2013, 0x0200, "13800000001", 7, "00000000000000000000");
    itest_expect(fd, "7e8001000501380000000100060007020002bd7e");
    /* check code wrong (last byte before the flag flipped): result 2 by default */
    itest_send_hex(fd, "7e0200001c013800000001000800000000000000020260d36006f01f8000320258005a"
                       "26112810101000 7e");
    itest_expect(fd, "7e8001000501380000000100070008020002b37e");
    close(fd);
}

static void query_time_answers_utc_now(void **state)
{
    (void)state;
    int fd = itest_connect(&server);
    itest_login_2013(fd, "13800000001", "bea94131323334 35");
    itest_send_msg(fd, 2013, 0x0004, "13800000001", 3, "");
    uint8_t r[64];
    size_t n = itest_read_frame(fd, r, sizeof r, 3000);
    /* 7e 8004 0006 phone serial | BCD[6] UTC | check 7e */
    assert_int_equal(n, 1 + 12 + 6 + 2);
    assert_int_equal(r[1] << 8 | r[2], 0x8004);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    assert_int_equal(r[13], ((tm.tm_year % 100) / 10) << 4 | (tm.tm_year % 10));
    assert_int_equal(r[14], ((tm.tm_mon + 1) / 10) << 4 | ((tm.tm_mon + 1) % 10));
    close(fd);
}

static void register_auth_location_2019(void **state)
{
    (void)state;
    const char *phone = "12345678901234567890";
    int fd = itest_connect(&server);
    itest_send_msg(fd, 2019, 0x0100, phone, 1,
                   "002c012c4d414b45520000000000004d4f44454c000000000000000000000000000000000000"
                   "0000000000000049443100000000000000000000000000000000000000000000000000000002"
                   "d4c1453530303035");
    itest_expect(fd, "7e810040130112345678901234567890000000010039386333393865323364313562306661"
                     "d37e");
    itest_send_msg(fd, 2019, 0x0102, phone, 2,
                   "1039386333393865323364313562306661313233343536373839303132333435"
                   "5357312e30000000000000000000000000000000");
    itest_expect(fd, "7e80014005011234567890123456789000010002010200c57e");
    itest_send_msg(fd, 2019, 0x0200, phone, 3, LOC_BODY);
    itest_expect(fd, "7e80014005011234567890123456789000020003020000c67e");
    close(fd);
}

static void unknown_terminal_gets_4_and_is_closed(void **state)
{
    (void)state;
    int fd = itest_connect(&server);
    itest_send_msg(fd, 2013, 0x0100, "13900000009", 7, REG_2013_PREFIX PLATE_A12345);
    itest_expect(fd, "7e810000030139000000090000000704b07e");
    assert_true(itest_closed_within(fd, 3000));
    close(fd);
}

static void plate_of_another_vehicle_or_none_is_refused(void **state)
{
    (void)state;
    int fd = itest_connect(&server);
    itest_send_msg(fd, 2013, 0x0100, "13800000004", 1, REG_2013_PREFIX PLATE_A12345);
    itest_expect(fd, "7e810000030138000000040000000101bf7e"); /* 1: vehicle taken */
    assert_true(itest_closed_within(fd, 3000));
    close(fd);
    fd = itest_connect(&server);
    itest_send_msg(fd, 2013, 0x0100, "13800000004", 1, REG_2013_PREFIX PLATE_Z99999);
    itest_expect(fd, "7e810000030138000000040000000102bc7e"); /* 2: no such vehicle */
    assert_true(itest_closed_within(fd, 3000));
    close(fd);
}

static void wrong_auth_code_gets_1_and_is_closed(void **state)
{
    (void)state;
    int fd = itest_connect(&server);
    itest_send_msg(fd, 2013, 0x0102, "13800000003", 9, "30303030303030303030303030303030");
    itest_expect(fd, "7e8001000501380000000300000009010201b57e");
    assert_true(itest_closed_within(fd, 3000));
    close(fd);
}

static void location_before_auth_gets_1_and_stays_open(void **state)
{
    (void)state;
    int fd = itest_connect(&server);
    itest_send_msg(fd, 2013, 0x0200, "13800000004", 3, LOC_BODY);
    itest_expect(fd, "7e8001000501380000000400000003020001b97e");
    itest_send_msg(fd, 2013, 0x0002, "13800000004", 4, "");
    itest_expect(fd, "7e8001000501380000000400010004000200be7e");
    close(fd);
}

static void reconnect_replaces_old_connection(void **state)
{
    (void)state;
    int old = itest_connect(&server);
    itest_login_2013(old, "13800000003", "bea94333303030 33");
    int fresh = itest_connect(&server);
    itest_login_2013(fresh, "13800000003", "bea94333303030 33");
    assert_true(itest_closed_within(old, 3000));
    itest_send_msg(fresh, 2013, 0x0200, "13800000003", 3, LOC_BODY);
    itest_expect(fresh, "7e8001000501380000000300020003020000bd7e");
    close(old);
    close(fresh);
}

static void other_device_registering_gets_3(void **state)
{
    (void)state;
    /* the registry binds 13800000002 to terminal id "ID00001"; this device says "ID99999" */
    int fd = itest_connect(&server);
    itest_send_msg(fd, 2013, 0x0100, "13800000002", 1,
                   "000b0065 4d414b4552 4d4f44454c000000000000000000000000000000 49443939393939"
                   "01 bea94232303030 32");
    itest_expect(fd, "7e810000030138000000020000000103bb7e");
    assert_true(itest_closed_within(fd, 3000));
    close(fd);
}

static void logout_is_acked_then_closed(void **state)
{
    (void)state;
    int fd = itest_connect(&server);
    itest_login_2013(fd, "13800000002", "bea94232303030 32");
    itest_send_msg(fd, 2013, 0x0003, "13800000002", 3, "");
    itest_expect(fd, "7e8001000501380000000200020003000300bd7e");
    assert_true(itest_closed_within(fd, 3000));
    close(fd);
}

int main(int argc, char **argv)
{
    itest_binary = argc > 1 ? argv[1] : NULL;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(register_auth_location_2013),
        cmocka_unit_test(query_time_answers_utc_now),
        cmocka_unit_test(register_auth_location_2019),
        cmocka_unit_test(unknown_terminal_gets_4_and_is_closed),
        cmocka_unit_test(plate_of_another_vehicle_or_none_is_refused),
        cmocka_unit_test(wrong_auth_code_gets_1_and_is_closed),
        cmocka_unit_test(location_before_auth_gets_1_and_stays_open),
        cmocka_unit_test(reconnect_replaces_old_connection),
        cmocka_unit_test(other_device_registering_gets_3),
        cmocka_unit_test(logout_is_acked_then_closed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
