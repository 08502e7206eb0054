/* test_api_guard.c - what keeps one client or a sick Redis from taking the API down, against a
 * real fleetwatch-api and a real redis-server over real sockets: the connection cap (further
 * connections closed at once), the total deadlines for headers and body (a slowloris dripping
 * bytes is closed at the deadline, not kept alive by its own bytes), the Redis deadline (a hung
 * Redis gives 503 within api_redis_timeout_ms, every request in flight too, and the API is back
 * once Redis is) and /healthz naming what failed. Arguments: the fleetwatch-api binary, the
 * token file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "api_fixture.h"

#define POLICE         "police-test-token-0001"
#define CAP            8   /* api_max_connections */
#define DEADLINE_S     1   /* api_header_timeout_s and api_body_timeout_s */
#define REDIS_DEADLINE 300 /* api_redis_timeout_ms */

static const char *binary, *token_file;
static af_redis redis;
static af_api api;

static int setup(void **state)
{
    (void)state;
    const char *opts[] = {"--api_max_connections=8", "--api_header_timeout_s=1",
                          "--api_body_timeout_s=1",  "--api_redis_timeout_ms=300",
                          "--api_reconnect_ms=100",  NULL};
    return af_start_fleet(&redis, &api, binary, token_file, opts);
}

static int teardown(void **state)
{
    (void)state;
    af_stop_fleet(&redis, &api);
    return 0;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int connect_api(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)api.port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_true(fd >= 0);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    return fd;
}

static void send_text(int fd, const char *text)
{
    assert_int_equal(send(fd, text, strlen(text), MSG_NOSIGNAL), (ssize_t)strlen(text));
}

/* Wait up to wait_ms for the server to close fd (reading and dropping any answer); true when
 * it did. */
static bool closed_within(int fd, int wait_ms)
{
    long long end = now_ms() + wait_ms;
    char buf[512];
    for (;;) {
        int left = (int)(end - now_ms());
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (left <= 0 || poll(&p, 1, left) <= 0)
            return false;
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0)
            return true;
    }
}

/* The value of one metric line ("name{labels}") on /metrics. */
static long long metric(const char *line)
{
    af_response r;
    assert_int_equal(af_http(api.port, "GET", "/metrics", NULL, NULL, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    char key[200];
    snprintf(key, sizeof key, "\n%s ", line);
    const char *at = strstr(r.body, key);
    if (at == NULL)
        fprintf(stderr, "no %s in:\n%s\n", line, r.body);
    assert_non_null(at);
    long long v = strtoll(at + strlen(key), NULL, 10);
    af_response_free(&r);
    return v;
}

static int get_status(const char *target, const char *token, af_response *r)
{
    assert_int_equal(af_http(api.port, "GET", target, token, NULL, NULL, r), 0);
    return r->status;
}

/* ---- connections ------------------------------------------------------------------------ */

/* Slowloris: connections sending a header byte every 200 ms (never idle for api_timeout_s)
 * are closed DEADLINE_S after they opened; a normal request is answered meanwhile. */
static void slow_headers_are_closed_at_the_deadline(void **state)
{
    (void)state;
    long long before = metric("fleetwatch_api_connections_timed_out_total{phase=\"headers\"}");
    int fds[4];
    for (int i = 0; i < 4; i++) {
        fds[i] = connect_api();
        send_text(fds[i], "GET /healthz HTTP/1.1\r\n");
    }
    long long start = now_ms();
    af_response r;
    assert_int_equal(get_status("/healthz", NULL, &r), 200);
    af_response_free(&r);
    bool open = true;
    while (open && now_ms() - start < DEADLINE_S * 1000 + 1500) {
        usleep(200 * 1000);
        for (int i = 0; i < 4; i++)
            if (send(fds[i], "X", 1, MSG_NOSIGNAL) != 1)
                open = false;
    }
    long long took = now_ms() - start;
    for (int i = 0; i < 4; i++) {
        assert_true(closed_within(fds[i], 1000));
        close(fds[i]);
    }
    assert_false(open && took >= DEADLINE_S * 1000 + 1500);
    assert_true(took >= DEADLINE_S * 1000 - 100);
    assert_int_equal(metric("fleetwatch_api_connections_timed_out_total{phase=\"headers\"}"),
                     before + 4);
}

/* The body has its own total deadline, counted from the end of the headers. */
static void slow_body_is_closed_at_the_deadline(void **state)
{
    (void)state;
    long long before = metric("fleetwatch_api_connections_timed_out_total{phase=\"body\"}");
    int fd = connect_api();
    send_text(fd, "POST /v1/vehicles/13800138000/text HTTP/1.1\r\nHost: t\r\n"
                  "Authorization: Bearer dispatcher-test-token-0002\r\n"
                  "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n");
    long long start = now_ms();
    bool open = true;
    while (open && now_ms() - start < DEADLINE_S * 1000 + 1500) {
        usleep(200 * 1000);
        open = send(fd, "{", 1, MSG_NOSIGNAL) == 1;
    }
    assert_true(closed_within(fd, 1000));
    close(fd);
    long long took = now_ms() - start;
    assert_true(took >= DEADLINE_S * 1000 - 100);
    assert_true(took < DEADLINE_S * 1000 + 1500);
    assert_int_equal(metric("fleetwatch_api_connections_timed_out_total{phase=\"body\"}"),
                     before + 1);
}

/* CAP idle connections fill the API; the next is closed at once and counted; once they are
 * gone the API answers again. */
static void connections_past_the_cap_are_refused(void **state)
{
    (void)state;
    long long before = metric("fleetwatch_api_connections_refused_total");
    int fds[CAP];
    for (int i = 0; i < CAP; i++)
        fds[i] = connect_api();
    usleep(100 * 1000);
    int extra = connect_api();
    long long start = now_ms();
    assert_true(closed_within(extra, 500));
    assert_true(now_ms() - start < 500);
    close(extra);
    for (int i = 0; i < CAP; i++)
        close(fds[i]);
    usleep(100 * 1000);
    assert_int_equal(metric("fleetwatch_api_connections_refused_total"), before + 1);
    assert_int_equal(metric("fleetwatch_api_connections"), 1); /* the /metrics request */
    af_response r;
    assert_int_equal(get_status("/healthz", NULL, &r), 200);
    af_response_free(&r);
}

/* A kept-alive connection serves several requests; its header deadline restarts after each
 * answer, so a client idling past it is closed. */
static void kept_alive_connections_restart_the_deadline(void **state)
{
    (void)state;
    int fd = connect_api();
    char buf[4096];
    for (int i = 0; i < 3; i++) {
        usleep(600 * 1000); /* twice: 1.2 s in all, past one header deadline */
        send_text(fd, "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
        struct pollfd p = {.fd = fd, .events = POLLIN};
        assert_int_equal(poll(&p, 1, 2000), 1);
        ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
        assert_true(n > 0);
        buf[n] = '\0';
        assert_non_null(strstr(buf, "HTTP/1.1 200"));
    }
    long long start = now_ms();
    assert_true(closed_within(fd, DEADLINE_S * 1000 + 1000));
    assert_true(now_ms() - start >= DEADLINE_S * 1000 - 100);
    close(fd);
}

/* ---- Redis -------------------------------------------------------------------------------- */

/* Redis hangs (SIGSTOP): requests in flight together answer 503 "redis timeout" within the
 * deadline, /healthz names the timeout; after SIGCONT everything answers again. */
static void hung_redis_gives_503_within_the_deadline(void **state)
{
    (void)state;
    long long timeouts = metric("fleetwatch_api_redis_timeouts_total");
    assert_int_equal(kill(redis.pid, SIGSTOP), 0);
    int fds[3];
    for (int i = 0; i < 3; i++) {
        fds[i] = connect_api();
        send_text(fds[i], "GET /v1/violations HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
                          "Authorization: Bearer " POLICE "\r\n\r\n");
    }
    long long start = now_ms();
    for (int i = 0; i < 3; i++) {
        char buf[4096];
        size_t got = 0;
        ssize_t n;
        while (got < sizeof buf - 1 && (n = recv(fds[i], buf + got, sizeof buf - 1 - got, 0)) > 0)
            got += (size_t)n;
        buf[got] = '\0';
        assert_non_null(strstr(buf, "HTTP/1.1 503"));
        assert_non_null(strstr(buf, "\"error\":\"redis"));
        close(fds[i]);
    }
    assert_true(now_ms() - start < REDIS_DEADLINE + 1200);
    af_response r; /* at once: "timeout" while reconnecting too, not "down" */
    start = now_ms();
    assert_int_equal(get_status("/healthz", NULL, &r), 503);
    assert_true(now_ms() - start < 1000 + 500);
    assert_string_equal(af_str(r.json, "status"), "unavailable");
    assert_string_equal(af_str(r.json, "redis"), "timeout");
    af_response_free(&r);
    usleep(200 * 1000); /* reconnected (the kernel accepts for the stopped server) */
    assert_int_equal(get_status("/v1/violations", POLICE, &r), 503);
    assert_string_equal(af_str(r.json, "error"), "redis timeout");
    af_response_free(&r);
    assert_true(metric("fleetwatch_api_redis_timeouts_total") >= timeouts + 2);

    assert_int_equal(kill(redis.pid, SIGCONT), 0);
    int status = 0;
    for (int i = 0; i < 50 && status != 200; i++) {
        usleep(100 * 1000);
        status = get_status("/healthz", NULL, &r);
        af_response_free(&r);
    }
    assert_int_equal(status, 200);
    assert_int_equal(get_status("/v1/violations", POLICE, &r), 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "violations")), AF_VIOLATIONS);
    af_response_free(&r);
}

/* A password Redis refuses: /healthz says "down" and names the refused AUTH, also while the
 * reconnect waits (not an empty reason or none). */
static void refused_auth_is_named_in_healthz(void **state)
{
    (void)state;
    af_api wrong;
    const char *opts[] = {"--redis_password=not-the-password", "--api_reconnect_ms=200", NULL};
    assert_int_equal(af_api_start(&wrong, binary, token_file, &redis, opts), 0);
    int named = 0;
    for (int i = 0; i < 20; i++) {
        af_response r;
        usleep(50 * 1000);
        assert_int_equal(af_http(wrong.port, "GET", "/healthz", NULL, NULL, NULL, &r), 0);
        assert_int_equal(r.status, 503);
        assert_string_equal(af_str(r.json, "redis"), "down");
        const char *why = af_str(r.json, "redis_error");
        if (why && strstr(why, "AUTH refused: "))
            named++;
        af_response_free(&r);
    }
    af_api_stop(&wrong);
    assert_true(named >= 15);
}

/* Redis gone (connections refused): /healthz says "down" with the reason at once. */
static void stopped_redis_is_named_in_healthz(void **state)
{
    (void)state;
    kill(redis.pid, SIGCONT); /* in case the test before failed while it was stopped */
    af_redis_stop(&redis);
    af_response r;
    long long start = now_ms();
    assert_int_equal(get_status("/healthz", NULL, &r), 503);
    assert_true(now_ms() - start < 1000 + 500);
    assert_string_equal(af_str(r.json, "redis"), "down");
    assert_non_null(af_str(r.json, "redis_error"));
    af_response_free(&r);
    usleep(300 * 1000); /* a reconnect attempt has been refused by now */
    assert_int_equal(get_status("/healthz", NULL, &r), 503);
    assert_string_equal(af_str(r.json, "redis_error"), "Connection refused");
    af_response_free(&r);
}

int main(int argc, char **argv)
{
    if (af_args(argc, argv, 0, "", &binary, &token_file) != 0)
        return 2;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(slow_headers_are_closed_at_the_deadline),
        cmocka_unit_test(slow_body_is_closed_at_the_deadline),
        cmocka_unit_test(connections_past_the_cap_are_refused),
        cmocka_unit_test(kept_alive_connections_restart_the_deadline),
        cmocka_unit_test(hung_redis_gives_503_within_the_deadline),
        cmocka_unit_test(refused_auth_is_named_in_healthz),
        cmocka_unit_test(stopped_redis_is_named_in_healthz),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
