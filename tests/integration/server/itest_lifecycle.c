/* itest_lifecycle.c - the process around the gateway: SIGTERM exits 0 after flushing, SIGHUP
 * reloads the registry without dropping connections (and keeps the old one when the new file
 * is bad), config files, max_connections and max_connections_per_address, the open-file budget (no
 * start beyond it), --help and bad options.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

static void heartbeat(int fd, const char *phone, uint16_t serial, uint16_t platform_serial)
{
    itest_send_msg(fd, 2013, 0x0002, phone, serial, "");
    itest_expect_ack(fd, phone, platform_serial, serial, 0x0002, 0);
}

static bool wait_log(const itest_server *s, const char *text)
{
    for (int i = 0; i < 300; i++) {
        if (itest_log_contains(s, text))
            return true;
        usleep(10000);
    }
    return false;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void sigterm_flushes_and_exits_zero(void **state)
{
    (void)state;
    itest_server s;
    itest_start(&s, NULL);
    int fd = itest_connect(&s);
    heartbeat(fd, "13800000001", 1, 0);
    assert_int_equal(itest_stop(&s), 0);
    assert_true(itest_closed_within(fd, 1000));
    close(fd);
}

static void sighup_reloads_registry_keeping_connections(void **state)
{
    (void)state;
    itest_server s;
    itest_start(&s, NULL);
    int old = itest_connect(&s);
    itest_login_2013(old, "13800000001", 1, "bea94131323334 35");
    write_file(s.registry, "{\"vehicles\":["
                           "{\"phone\":\"13800000001\",\"plate\":\"\xe4\xba\xac"
                           "A12345\",\"plate_color\":1,\"terminal_id\":\"0000001\"},"
                           "{\"phone\":\"13800000009\",\"plate\":\"\xe4\xba\xac"
                           "Z99999\",\"plate_color\":2,\"terminal_id\":\"0000009\"}]}");
    itest_signal(&s, SIGHUP);
    assert_true(wait_log(&s, "registry reloaded: 2 vehicles"));
    heartbeat(old, "13800000001", 3, 2); /* still connected and authenticated */
    itest_send_msg(old, 2013, 0x0200, "13800000001", 4,
                   "00000000000000020260d36006f01f8000320258005a261128101010");
    itest_expect_ack(old, "13800000001", 3, 4, 0x0200, 0);
    int fresh = itest_connect(&s);
    itest_login_2013(fresh, "13800000009", 2, "bea95a39393939 39"); /* new vehicle accepted */
    close(fresh);
    /* a broken file is refused and the loaded registry stays */
    write_file(s.registry, "{ not json");
    itest_signal(&s, SIGHUP);
    assert_true(wait_log(&s, "reload failed"));
    fresh = itest_connect(&s);
    itest_login_2013(fresh, "13800000009", 2, "bea95a39393939 39");
    close(fresh);
    close(old);
    assert_int_equal(itest_stop(&s), 0);
}

static void config_file_is_read(void **state)
{
    (void)state;
    char path[] = "/tmp/fw_itest_conf_XXXXXX";
    int cfd = mkstemp(path);
    assert_true(cfd >= 0);
    close(cfd);
    write_file(path, "# test\nmax_bad_frames = 1   # close at the first bad frame\n");
    const char *const opts[] = {"-c", path, NULL};
    itest_server s;
    itest_start(&s, opts);
    int fd = itest_connect(&s);
    heartbeat(fd, "13800000001", 1, 0);
    itest_send_hex(fd, "7e0102037e");
    assert_true(itest_closed_within(fd, 2000));
    close(fd);
    unlink(path);
    assert_int_equal(itest_stop(&s), 0);
}

/* Start s with opts (a cap of 2), hold two connections a and b (answered), and check that a
 * third, c, is closed. */
static void two_held_third_refused(itest_server *s, const char *const *opts, int *a, int *b, int *c)
{
    itest_start(s, opts);
    usleep(100000); /* the start-up probe connection is gone */
    *a = itest_connect(s);
    *b = itest_connect(s);
    heartbeat(*a, "13800000001", 1, 0);
    heartbeat(*b, "13800000002", 1, 0);
    *c = itest_connect(s);
    assert_true(itest_closed_within(*c, 2000));
}

static void max_connections_refuses_the_next(void **state)
{
    (void)state;
    static const char *const opts[] = {"--max_connections=2", NULL};
    itest_server s;
    int a, b, c;
    two_held_third_refused(&s, opts, &a, &b, &c);
    heartbeat(a, "13800000001", 2, 1);
    close(a);
    close(b);
    close(c);
    assert_int_equal(itest_stop(&s), 0);
}

/* max_connections_per_address: a third connection from 127.0.0.1 is refused (counted), one
 * from 127.0.0.2 is served, and a freed place is taken again. */
static void connections_per_address_are_capped(void **state)
{
    (void)state;
    static const char *const opts[] = {"--max_connections_per_address=2",
                                       "--api_listen=127.0.0.1:0", NULL};
    itest_server s;
    int a, b, c;
    two_held_third_refused(&s, opts, &a, &b, &c);
    int other = itest_connect_from(&s, "127.0.0.2");
    assert_true(other >= 0);
    heartbeat(other, "13800000003", 1, 0);
    assert_int_equal(itest_metric(&s, "fleetwatch_errors_total{kind=\"max_per_address\"}"), 1);
    assert_true(wait_log(&s, "connection from 127.0.0.1 refused: max_connections_per_address"));
    close(a);
    usleep(200000); /* a's place is released when the gateway sees it close */
    int d = itest_connect(&s);
    heartbeat(d, "13800000004", 1, 0);
    close(b);
    close(c);
    close(d);
    close(other);
    assert_int_equal(itest_stop(&s), 0);
}

static int run(const char *args, char *out, size_t cap);

/* max_connections beyond what the open-file limit allows: no start, an error naming the limit.
 * max_connections 0 (the default) takes what the limit leaves. */
static void refuses_to_start_beyond_the_open_file_limit(void **state)
{
    (void)state;
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= 5000000)
        skip();
    static char out[4096];
    assert_int_equal(run("--listen=127.0.0.1:1 --max_connections=5000000", out, sizeof out), 1);
    assert_non_null(strstr(out, "open-file limit (RLIMIT_NOFILE) "));
    assert_non_null(strstr(out, "is below the"));
    assert_non_null(strstr(out, "lower max_connections"));
    itest_server s;
    itest_start(&s, NULL);
    assert_true(wait_log(&s, "max_connections "));
    assert_true(wait_log(&s, "what the open-file limit"));
    assert_int_equal(itest_stop(&s), 0);
}

static int run(const char *args, char *out, size_t cap)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s %s 2>&1", itest_binary, args);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, cap - 1, p);
    out[n] = '\0';
    int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void help_and_bad_options(void **state)
{
    (void)state;
    static char out[16384];
    assert_int_equal(run("--help", out, sizeof out), 0);
    assert_non_null(strstr(out, "--idle_timeout_s N")); /* listed, with what it takes */
    assert_non_null(strstr(out, "SIGHUP"));
    assert_int_equal(run("--no_such_option=1", out, sizeof out), 2);
    assert_non_null(strstr(out, "unknown option 'no_such_option'"));
    assert_int_equal(run("--idle_timeout_s=soon", out, sizeof out), 2);
    assert_int_equal(run("--idle_timeout_s 60 --help", out, sizeof out), 0); /* spaced form */
    assert_int_equal(run("--idle_timeout_s", out, sizeof out), 2);
    assert_non_null(strstr(out, "needs a value"));
    assert_int_equal(run("-c /nonexistent/fleetwatch.conf", out, sizeof out), 2);
    /* the documented example file is valid */
    assert_int_equal(
        run("-c " FW_TEST_DATA_DIR "/../../config/fleetwatch.conf.example --help", out, sizeof out),
        0);
}

int main(int argc, char **argv)
{
    itest_binary = argc > 1 ? argv[1] : NULL;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sigterm_flushes_and_exits_zero),
        cmocka_unit_test(sighup_reloads_registry_keeping_connections),
        cmocka_unit_test(config_file_is_read),
        cmocka_unit_test(max_connections_refuses_the_next),
        cmocka_unit_test(connections_per_address_are_capped),
        cmocka_unit_test(refuses_to_start_beyond_the_open_file_limit),
        cmocka_unit_test(help_and_bad_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
