/* itest_session.c - sessions over real sockets against the real binary: register, authenticate,
 * locations and their acks byte for byte (2013 and 2019), refusals (unknown terminal, plate
 * of another vehicle or of none, plate colour 0, device not the one bound, wrong auth code),
 * random codes issued per registration, deregistration revoking the code, failures shut out
 * per phone and per address, a session taken over from another address, data before
 * authentication, replacement on reconnect, unsupported ids, undecodable bodies, damaged frames.
 *
 * Expected frames were built by an encoder independent of the codec (harness.c / by hand). Auth
 * codes are random, so the tests read them from the 0x8100 instead of expecting bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define PLATE_A12345 "bea94131323334 35"
#define PLATE_C30003 "bea94333303030 33"
#define PLATE_D40004 "bea94434303030 34"
#define PLATE_Z99999 "bea95a39393939 39"
#define LOC_BODY     "00000000000000020260d36006f01f8000320258005a261128101010"
/* 2019 0x0100 of 12345678901234567890: maker MAKER, model MODEL, terminal id 4567890 (each
 * NUL-padded to 11, 30, 30 bytes), plate colour 2, 粤E50005 */
#define REG_2019_4567890                                                                           \
    "002c012c 4d414b4552000000000000 4d4f44454c00000000000000000000000000000000000000000000000000" \
    "34353637383930"                                                                               \
    "0000000000000000000000000000000000000000000000"                                               \
    "02 d4c1453530303035"

static itest_server server;

static int setup(void **state)
{
    (void)state;
    /* the refusal tests fail often on purpose: shut-outs are tested on a server of their own */
    static const char *const opts[] = {"--auth_fail_limit_phone=0", "--auth_fail_limit_address=0",
                                       NULL};
    itest_start(&server, opts);
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
    char body[512], code[128];
    itest_register_body_2013("13800000001", 1, PLATE_A12345, body, sizeof body);
    assert_int_equal(itest_register(fd, 2013, "13800000001", 1, body, code), 0);
    itest_send_msg(fd, 2013, 0x0102, "13800000001", 2, code);
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
    itest_login_2013(fd, "13800000001", 1, "bea94131323334 35");
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
    char code[128], auth[256];
    assert_int_equal(itest_register(fd, 2019, phone, 1, REG_2019_4567890, code), 0);
    /* 2019 0x0102: code length, code, IMEI (15), software version (20) */
    snprintf(auth, sizeof auth,
             "20%s313233343536373839303132333435"
             "5357312e30000000000000000000000000000000",
             code);
    itest_send_msg(fd, 2019, 0x0102, phone, 2, auth);
    itest_expect(fd, "7e80014005011234567890123456789000010002010200c57e");
    itest_send_msg(fd, 2019, 0x0200, phone, 3, LOC_BODY);
    itest_expect(fd, "7e80014005011234567890123456789000020003020000c67e");
    close(fd);
}

/* Send a 2013 0x0100 of phone with this colour and plate from the device bound to it, and
 * return the 0x8100's result; the connection must be closed after a refusal. */
static int register_2013(const char *phone, int color, const char *plate_hex)
{
    int fd = itest_connect(&server);
    char body[512], code[128];
    itest_register_body_2013(phone, color, plate_hex, body, sizeof body);
    int result = itest_register(fd, 2013, phone, 1, body, code);
    if (result)
        assert_true(itest_closed_within(fd, 3000));
    close(fd);
    return result;
}

static void unknown_terminal_gets_4_and_is_closed(void **state)
{
    (void)state;
    int fd = itest_connect(&server);
    char body[512];
    itest_register_body_2013("13900000009", 1, PLATE_A12345, body, sizeof body);
    itest_send_msg(fd, 2013, 0x0100, "13900000009", 7, body);
    itest_expect(fd, "7e810000030139000000090000000704b07e");
    assert_true(itest_closed_within(fd, 3000));
    close(fd);
}

static void every_mismatch_gets_the_same_4(void **state)
{
    (void)state;
    assert_int_equal(register_2013("13800000004", 1, PLATE_A12345), 4); /* another's plate */
    assert_int_equal(register_2013("13800000004", 1, PLATE_Z99999), 4); /* no such plate */
    assert_int_equal(register_2013("13800000004", 2, PLATE_D40004), 4); /* wrong colour */
    /* colour 0 ("no plate, VIN") and an empty plate used to skip the plate check */
    assert_int_equal(register_2013("13800000004", 0, PLATE_D40004), 4);
    assert_int_equal(register_2013("13800000004", 0, ""), 4);
    assert_int_equal(register_2013("13800000004", 1, ""), 4);
    assert_int_equal(register_2013("13800000004", 1, PLATE_D40004), 0); /* the real one */
}

static void other_device_gets_4_and_the_reason_is_logged(void **state)
{
    (void)state;
    itest_server s; /* its own, so that the refusal is the first line of its kind */
    itest_start(&s, NULL);
    /* the registry binds 13800000002 to terminal id "0000002"; this device says "ID99999" */
    int fd = itest_connect(&s);
    itest_send_msg(fd, 2013, 0x0100, "13800000002", 1,
                   "000b0065 4d414b4552 4d4f44454c000000000000000000000000000000 49443939393939"
                   "02 bea94232303030 32");
    itest_expect(fd, "7e810000030138000000020000000104bc7e");
    assert_true(itest_closed_within(fd, 3000));
    close(fd);
    assert_true(itest_log_contains(&s, "registration refused: phone 13800000002 from 127.0.0.1:"));
    assert_true(itest_log_contains(&s, ": terminal_id"));
    assert_int_equal(itest_stop(&s), 0);
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

/* Authenticate phone with code (hex) on a new connection; returns the 0x8001 result. */
static int authenticate(const char *phone, const char *code_hex)
{
    int fd = itest_connect(&server);
    itest_send_msg(fd, 2013, 0x0102, phone, 2, code_hex);
    uint8_t r[64];
    size_t n = itest_read_frame(fd, r, sizeof r, 3000);
    assert_int_equal(n, 20);
    assert_int_equal(r[1] << 8 | r[2], 0x8001);
    close(fd);
    return r[17];
}

static void codes_are_per_registration_and_per_phone(void **state)
{
    (void)state;
    char body[512], first[128], second[128];
    itest_register_body_2013("13800000003", 2, PLATE_C30003, body, sizeof body);
    int fd = itest_connect(&server);
    assert_int_equal(itest_register(fd, 2013, "13800000003", 1, body, first), 0);
    close(fd);
    fd = itest_connect(&server);
    assert_int_equal(itest_register(fd, 2013, "13800000003", 1, body, second), 0);
    close(fd);
    assert_string_not_equal(first, second);
    assert_int_equal(authenticate("13800000003", first), 1);  /* replaced by the second */
    assert_int_equal(authenticate("13800000001", second), 1); /* not another phone's */
    assert_int_equal(authenticate("13800000003", second), 0);
}

static void deregistration_revokes_the_code(void **state)
{
    (void)state;
    char body[512], code[128];
    itest_register_body_2013("13800000002", 2, "bea94232303030 32", body, sizeof body);
    int fd = itest_connect(&server);
    assert_int_equal(itest_register(fd, 2013, "13800000002", 1, body, code), 0);
    itest_send_msg(fd, 2013, 0x0102, "13800000002", 2, code);
    itest_expect(fd, "7e8001000501380000000200010002010200bf7e");
    itest_send_msg(fd, 2013, 0x0003, "13800000002", 3, "");
    itest_expect(fd, "7e8001000501380000000200020003000300bd7e");
    assert_true(itest_closed_within(fd, 3000));
    close(fd);
    assert_int_equal(authenticate("13800000002", code), 1);
}

static void deregistration_before_auth_revokes_nothing(void **state)
{
    (void)state;
    char body[512], code[128];
    itest_register_body_2013("13800000004", 1, PLATE_D40004, body, sizeof body);
    int fd = itest_connect(&server);
    assert_int_equal(itest_register(fd, 2013, "13800000004", 1, body, code), 0);
    close(fd);
    fd = itest_connect(&server); /* a stranger who knows the phone: refused before auth */
    itest_send_msg(fd, 2013, 0x0003, "13800000004", 1, "");
    itest_expect(fd, "7e8001000501380000000400000001000301ba7e");
    close(fd);
    assert_int_equal(authenticate("13800000004", code), 0); /* the code still works */
}

/* A connection to the server from a given loopback address (127.0.0.0/8 is all loopback). */
static int connect_from(const itest_server *s, const char *source)
{
    int fd = itest_connect_from(s, source);
    assert_true(fd >= 0);
    return fd;
}

static void failures_shut_out_the_phone_then_the_address(void **state)
{
    (void)state;
    static const char *const opts[] = {"--auth_fail_limit_phone=2", "--auth_fail_limit_address=4",
                                       "--auth_backoff_s=2", NULL};
    itest_server s;
    itest_start(&s, opts);
    char body[512], code[128], wrong[] = "30303030303030303030303030303030";
    itest_register_body_2013("13800000001", 1, PLATE_A12345, body, sizeof body);
    int fd = connect_from(&s, "127.0.0.2");
    assert_int_equal(itest_register(fd, 2013, "13800000001", 1, body, code), 0);
    close(fd);
    for (int i = 0; i < 3; i++) { /* two failures are free, the third starts a shut-out */
        fd = connect_from(&s, "127.0.0.3");
        itest_send_msg(fd, 2013, 0x0102, "13800000001", 2, wrong);
        itest_expect(fd, "7e8001000501380000000100000002010201bc7e");
        close(fd);
    }
    /* now even the right code, from another address, is refused until the shut-out ends */
    fd = connect_from(&s, "127.0.0.2");
    itest_send_msg(fd, 2013, 0x0102, "13800000001", 2, code);
    itest_expect(fd, "7e8001000501380000000100000002010201bc7e");
    close(fd);
    assert_true(itest_log_contains(&s, "shut out after repeated failures: phone 13800000001"));
    sleep(3);
    fd = connect_from(&s, "127.0.0.2");
    itest_send_msg(fd, 2013, 0x0102, "13800000001", 2, code);
    itest_expect(fd, "7e8001000501380000000100000002010200bd7e");
    close(fd);
    /* the address 127.0.0.3 failed 3 times: one more is its 4th (free), the 5th shuts it out
     * for every phone, also a registration that would match */
    for (int i = 0; i < 2; i++) {
        fd = connect_from(&s, "127.0.0.3");
        itest_send_msg(fd, 2013, 0x0102, "13800000003", 2, wrong);
        itest_expect(fd, "7e8001000501380000000300000002010201be7e");
        close(fd);
    }
    itest_register_body_2013("13800000004", 1, PLATE_D40004, body, sizeof body);
    fd = connect_from(&s, "127.0.0.3");
    assert_int_equal(itest_register(fd, 2013, "13800000004", 1, body, code), 4);
    close(fd);
    fd = connect_from(&s, "127.0.0.4"); /* other addresses are heard */
    assert_int_equal(itest_register(fd, 2013, "13800000004", 1, body, code), 0);
    close(fd);
    assert_int_equal(itest_stop(&s), 0);
}

static void takeover_from_another_address_is_logged(void **state)
{
    (void)state;
    char body[512], code[128], auth_ack[] = "7e8001000501380000000400010002010200b97e";
    itest_register_body_2013("13800000004", 1, PLATE_D40004, body, sizeof body);
    int first = connect_from(&server, "127.0.0.5");
    assert_int_equal(itest_register(first, 2013, "13800000004", 1, body, code), 0);
    itest_send_msg(first, 2013, 0x0102, "13800000004", 2, code);
    itest_expect(first, auth_ack);
    int clone = connect_from(&server, "127.0.0.6");
    itest_send_msg(clone, 2013, 0x0102, "13800000004", 2, code);
    itest_expect(clone, "7e8001000501380000000400000002010200b87e");
    assert_true(itest_closed_within(first, 3000));
    assert_true(itest_log_contains(&server, "session of phone 13800000004 taken over from "
                                            "127.0.0.5:"));
    assert_true(itest_log_contains(&server, "by 127.0.0.6:"));
    close(first);
    close(clone);
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
    itest_login_2013(old, "13800000003", 2, "bea94333303030 33");
    int fresh = itest_connect(&server);
    itest_login_2013(fresh, "13800000003", 2, "bea94333303030 33");
    assert_true(itest_closed_within(old, 3000));
    itest_send_msg(fresh, 2013, 0x0200, "13800000003", 3, LOC_BODY);
    itest_expect(fresh, "7e8001000501380000000300020003020000bd7e");
    close(old);
    close(fresh);
}

static void logout_is_acked_then_closed(void **state)
{
    (void)state;
    int fd = itest_connect(&server);
    itest_login_2013(fd, "13800000002", 2, "bea94232303030 32");
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
        cmocka_unit_test(every_mismatch_gets_the_same_4),
        cmocka_unit_test(other_device_gets_4_and_the_reason_is_logged),
        cmocka_unit_test(codes_are_per_registration_and_per_phone),
        cmocka_unit_test(deregistration_revokes_the_code),
        cmocka_unit_test(deregistration_before_auth_revokes_nothing),
        cmocka_unit_test(wrong_auth_code_gets_1_and_is_closed),
        cmocka_unit_test(failures_shut_out_the_phone_then_the_address),
        cmocka_unit_test(takeover_from_another_address_is_logged),
        cmocka_unit_test(location_before_auth_gets_1_and_stays_open),
        cmocka_unit_test(reconnect_replaces_old_connection),
        cmocka_unit_test(logout_is_acked_then_closed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
