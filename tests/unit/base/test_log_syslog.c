/* test_log_syslog.c - the logger's syslog output (log_syslog.c) against a unix datagram socket
 * the test binds in a temporary folder: one RFC 3164 datagram per line with the priority of
 * the facility and the level, lines dropped and counted (never blocking) while the socket is
 * full, a reconnect when the reader restarts, stderr when no reader is there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "fw/base/log.h"
#include "test_util.h"

typedef struct {
    char dir[64];
    char path[128];
    int reader; /* the bound socket standing in for journald */
} fixture;

static int bind_reader(const char *path, int rcvbuf)
{
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    assert_true(fd >= 0);
    if (rcvbuf)
        assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf), 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    return fd;
}

static void start_logger(const fixture *f, const char *facility)
{
    fw_log_config o;
    fw_log_config_defaults(&o, "fwtest");
    char err[256] = "";
    assert_int_equal(fw_opt_set(&fw_log_options, &o, "log_target", "syslog", err, sizeof err), 0);
    assert_int_equal(fw_opt_set(&fw_log_options, &o, "log_facility", facility, err, sizeof err), 0);
    assert_int_equal(fw_opt_set(&fw_log_options, &o, "log_syslog_socket", f->path, err, sizeof err),
                     0);
    assert_int_equal(fw_log_start(&o, err, sizeof err), 0);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/fw_log_XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/log.sock", f->dir);
    f->reader = bind_reader(f->path, 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    fw_log_close();
    fw_log_set_level(FW_LOG_INFO);
    if (f->reader >= 0)
        close(f->reader);
    unlink(f->path);
    rmdir(f->dir);
    free(f);
    return 0;
}

/* The next datagram, NUL-terminated; its length, or -1 when none is waiting. */
static long next_dgram(int fd, char *buf, size_t cap)
{
    ssize_t n = recv(fd, buf, cap - 1, MSG_DONTWAIT);
    buf[n < 0 ? 0 : n] = '\0';
    return (long)n;
}

/* "<PRI>Mmm dd hh:mm:ss fwtest[pid]: text", exactly. */
static void assert_line(const char *got, int pri, const char *text)
{
    char head[16], tail[256];
    snprintf(head, sizeof head, "<%d>", pri);
    snprintf(tail, sizeof tail, " fwtest[%d]: %s", (int)getpid(), text);
    assert_memory_equal(got, head, strlen(head));
    const char *stamp = got + strlen(head); /* "Dec  8 01:02:03" */
    assert_int_equal(strlen(stamp), 15 + strlen(tail));
    assert_true(stamp[3] == ' ' && stamp[6] == ' ' && stamp[9] == ':' && stamp[12] == ':');
    assert_string_equal(stamp + 15, tail);
}

static void each_line_is_one_datagram_with_its_priority(void **state)
{
    fixture *f = *state;
    start_logger(f, "local3"); /* facility 19: 152 + severity */
    fw_log(FW_LOG_WARN, "speeding %d", 7);
    fw_log(FW_LOG_ERROR, "cannot %s", "open");
    fw_log(FW_LOG_INFO, "started");
    fw_log(FW_LOG_DEBUG, "below the level");
    char buf[2048];
    assert_true(next_dgram(f->reader, buf, sizeof buf) > 0);
    assert_line(buf, 156, "speeding 7");
    assert_true(next_dgram(f->reader, buf, sizeof buf) > 0);
    assert_line(buf, 155, "cannot open");
    assert_true(next_dgram(f->reader, buf, sizeof buf) > 0);
    assert_line(buf, 158, "started");
    assert_int_equal(next_dgram(f->reader, buf, sizeof buf), -1);

    fw_log_set_level(FW_LOG_DEBUG);
    static fw_log_limit limit;
    fw_log_limited(&limit, FW_LOG_DEBUG, "limited");
    assert_true(next_dgram(f->reader, buf, sizeof buf) > 0);
    assert_line(buf, 159, "limited");
    assert_int_equal(fw_log_syslog_dropped(), 0);
}

static void daemon_facility_by_default(void **state)
{
    fixture *f = *state;
    start_logger(f, "daemon"); /* 3 * 8 + 6 */
    fw_log(FW_LOG_INFO, "hello");
    char buf[2048];
    assert_true(next_dgram(f->reader, buf, sizeof buf) > 0);
    assert_line(buf, 30, "hello");
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Nobody reads: the socket fills, the calls still return at once, the overflow is counted, and
 * once there is room again the next line is followed by a warning with the count. */
static void full_socket_drops_and_counts(void **state)
{
    fixture *f = *state;
    close(f->reader);
    unlink(f->path);
    f->reader = bind_reader(f->path, 4096);
    start_logger(f, "user");
    enum { LINES = 3000 };
    double t0 = now_s();
    for (int i = 0; i < LINES; i++)
        fw_log(FW_LOG_INFO, "line %d", i);
    assert_true(now_s() - t0 < 5.0);
    unsigned long long dropped = fw_log_syslog_dropped();
    assert_true(dropped > 0);
    char buf[2048];
    long received = 0;
    while (next_dgram(f->reader, buf, sizeof buf) > 0)
        received++;
    assert_int_equal((unsigned long long)received + dropped, LINES);

    fw_log(FW_LOG_INFO, "room again");
    assert_true(next_dgram(f->reader, buf, sizeof buf) > 0);
    assert_line(buf, 14, "room again");
    assert_true(next_dgram(f->reader, buf, sizeof buf) > 0);
    char warning[128];
    snprintf(warning, sizeof warning, "log: %llu line(s) dropped: the syslog socket was full",
             dropped);
    assert_line(buf, 12, warning);
    assert_int_equal(next_dgram(f->reader, buf, sizeof buf), -1);
}

static void log_one(void)
{
    fw_log(FW_LOG_WARN, "nobody listens");
}

/* The reader goes away and a new one binds the same path (journald restarted): the next line
 * reaches the new one. With no reader at all, the line goes to stderr instead. */
static void reconnects_or_falls_back_to_stderr(void **state)
{
    fixture *f = *state;
    start_logger(f, "daemon");
    close(f->reader);
    unlink(f->path);
    f->reader = bind_reader(f->path, 0);
    fw_log(FW_LOG_INFO, "after the restart");
    char buf[2048];
    assert_true(next_dgram(f->reader, buf, sizeof buf) > 0);
    assert_line(buf, 30, "after the restart");

    close(f->reader);
    unlink(f->path);
    f->reader = -1;
    char out[1024];
    tu_capture_stderr(log_one, out, sizeof out);
    assert_non_null(strstr(out, "Z warn  nobody listens\n"));
    assert_int_equal(fw_log_syslog_dropped(), 0);

    f->reader = bind_reader(f->path, 0);
    fw_log(FW_LOG_INFO, "back");
    assert_true(next_dgram(f->reader, buf, sizeof buf) > 0);
    assert_line(buf, 30, "back");
}

static void start_fails_without_a_reader(void **state)
{
    fixture *f = *state;
    fw_log_config o;
    fw_log_config_defaults(&o, "fwtest");
    o.target = FW_LOG_TO_SYSLOG;
    snprintf(o.syslog_socket, sizeof o.syslog_socket, "%s/none.sock", f->dir);
    char err[256] = "";
    assert_int_equal(fw_log_start(&o, err, sizeof err), -1);
    assert_non_null(strstr(err, "none.sock"));
    char out[1024];
    tu_capture_stderr(log_one, out, sizeof out); /* still on stderr */
    assert_non_null(strstr(out, "Z warn  nobody listens\n"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(each_line_is_one_datagram_with_its_priority, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(daemon_facility_by_default, setup, teardown),
        cmocka_unit_test_setup_teardown(full_socket_drops_and_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(reconnects_or_falls_back_to_stderr, setup, teardown),
        cmocka_unit_test_setup_teardown(start_fails_without_a_reader, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
