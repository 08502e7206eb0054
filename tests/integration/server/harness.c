/* harness.c - process, socket and frame plumbing for the gateway's integration tests
 * (harness.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

const char *itest_binary;

/* Servers still running when the test program exits (a failed assertion skips itest_stop)
 * are killed, so that no test leaves a gateway behind. */
#define MAX_SERVERS 16
static pid_t running[MAX_SERVERS];

static void kill_leftovers(void)
{
    for (int i = 0; i < MAX_SERVERS; i++)
        if (running[i] > 0) {
            kill(running[i], SIGKILL);
            waitpid(running[i], NULL, 0);
        }
}

static void track(pid_t pid, pid_t replace)
{
    static bool registered;
    if (!registered)
        registered = atexit(kill_leftovers) == 0;
    for (int i = 0; i < MAX_SERVERS; i++)
        if (running[i] == replace) {
            running[i] = pid;
            return;
        }
}

static uint16_t free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    fclose(out);
}

/* Connect to 127.0.0.1:port, from source (an address of this host) unless NULL. */
static int try_connect_from(uint16_t port, const char *source)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {
        .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    struct sockaddr_in from = {.sin_family = AF_INET};
    if (source && (inet_pton(AF_INET, source, &from.sin_addr) != 1 ||
                   bind(fd, (struct sockaddr *)&from, sizeof from) != 0)) {
        close(fd);
        return -1;
    }
    if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0)
        return fd;
    close(fd);
    return -1;
}

static int try_connect(uint16_t port)
{
    return try_connect_from(port, NULL);
}

static void exec_server(const itest_server *s, const char *const *extra)
{
    char listen[64], registry[160];
    snprintf(listen, sizeof listen, "--listen=127.0.0.1:%u", s->port);
    snprintf(registry, sizeof registry, "--registry_path=%s", s->registry);
    const char *argv[64] = {itest_binary, listen, registry, "--workers=2", "--log_level=debug"};
    int n = 5;
    for (; extra && *extra && n < 62; extra++)
        argv[n++] = *extra;
    argv[n] = NULL;
    if (!freopen(s->log, "w", stderr))
        _exit(126);
    execv(itest_binary, (char *const *)argv);
    _exit(127);
}

void itest_start(itest_server *s, const char *const *extra)
{
    assert_non_null(itest_binary);
    memset(s, 0, sizeof *s);
    strcpy(s->dir, "/tmp/fw_itest_XXXXXX");
    assert_non_null(mkdtemp(s->dir));
    snprintf(s->registry, sizeof s->registry, "%s/registry.json", s->dir);
    snprintf(s->log, sizeof s->log, "%s/server.log", s->dir);
    copy_file(FW_TEST_DATA_DIR "/registry_test.json", s->registry);
    s->port = free_port();
    s->pid = fork();
    assert_true(s->pid >= 0);
    if (s->pid == 0)
        exec_server(s, extra);
    track(s->pid, 0);
    for (int i = 0; i < 500; i++) {
        int fd = try_connect(s->port);
        if (fd >= 0) {
            close(fd);
            return;
        }
        usleep(10000);
    }
    fail_msg("server did not start (see %s)", s->log);
}

int itest_stop(itest_server *s)
{
    int status = 0;
    kill(s->pid, SIGTERM);
    for (int i = 0; i < 1000; i++) {
        if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
            track(0, s->pid);
            char cmd[160];
            snprintf(cmd, sizeof cmd, "rm -rf %s", s->dir);
            if (system(cmd) != 0)
                fprintf(stderr, "could not remove %s\n", s->dir);
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        usleep(10000);
    }
    kill(s->pid, SIGKILL);
    waitpid(s->pid, &status, 0);
    track(0, s->pid);
    return -1;
}

void itest_signal(const itest_server *s, int sig)
{
    kill(s->pid, sig);
}

bool itest_log_contains(const itest_server *s, const char *text)
{
    FILE *f = fopen(s->log, "r");
    if (!f)
        return false;
    char line[2048];
    bool found = false;
    while (!found && fgets(line, sizeof line, f))
        found = strstr(line, text) != NULL;
    fclose(f);
    return found;
}

int itest_connect_from(const itest_server *s, const char *source)
{
    return try_connect_from(s->port, source);
}

/* The API's port, from its "listening" line in the server's log (waits up to 3 s for it). */
static uint16_t api_port(const itest_server *s)
{
    static const char marker[] = "police API listening on port ";
    for (int i = 0; i < 300; i++) {
        FILE *f = fopen(s->log, "r");
        char line[2048];
        unsigned port = 0;
        while (f && !port && fgets(line, sizeof line, f)) {
            const char *at = strstr(line, marker);
            if (at)
                port = (unsigned)atoi(at + sizeof marker - 1);
        }
        if (f)
            fclose(f);
        if (port)
            return (uint16_t)port;
        usleep(10000);
    }
    fail_msg("no API port in %s (start the server with --api_listen=127.0.0.1:0)", s->log);
    return 0;
}

int itest_http(const itest_server *s, const char *method, const char *path, const char *token,
               char *out, size_t cap)
{
    int fd = try_connect(api_port(s));
    assert_true(fd >= 0);
    char req[1024], auth[256] = "";
    if (token)
        snprintf(auth, sizeof auth, "Authorization: Bearer %s\r\n", token);
    int len = snprintf(req, sizeof req, "%s %s HTTP/1.0\r\n%sContent-Length: 0\r\n\r\n", method,
                       path, auth);
    itest_send(fd, (const uint8_t *)req, (size_t)len);
    size_t n = 0;
    ssize_t k;
    while (n < cap - 1 && (k = recv(fd, out + n, cap - 1 - n, 0)) > 0)
        n += (size_t)k;
    close(fd);
    out[n] = '\0';
    int status = 0;
    sscanf(out, "HTTP/1.%*d %d", &status);
    return status;
}

unsigned long long itest_metric(const itest_server *s, const char *series)
{
    static char text[1 << 18];
    assert_int_equal(itest_http(s, "GET", "/metrics", NULL, text, sizeof text), 200);
    char want[256];
    snprintf(want, sizeof want, "\n%s ", series);
    const char *at = strstr(text, want);
    if (!at)
        fail_msg("no series %s in /metrics", series);
    return strtoull(at + strlen(want), NULL, 10);
}

bool itest_args(int argc, char **argv, int count, const char *usage)
{
    if (argc != count + 1) {
        fprintf(stderr, "usage: %s %s\n", argv[0], usage);
        return false;
    }
    itest_binary = argv[1];
    return true;
}

int itest_connect(const itest_server *s)
{
    int fd = try_connect(s->port);
    assert_true(fd >= 0);
    return fd;
}

void itest_send(int fd, const uint8_t *p, size_t n)
{
    while (n) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        assert_true(k > 0);
        p += k;
        n -= (size_t)k;
    }
}

size_t itest_hex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = 0;
    unsigned v;
    while (*hex) {
        if (*hex == ' ') {
            hex++;
            continue;
        }
        assert_true(n < cap);
        assert_int_equal(sscanf(hex, "%2x", &v), 1);
        out[n++] = (uint8_t)v;
        hex += 2;
    }
    return n;
}

void itest_to_hex(const uint8_t *p, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", p[i]);
    out[2 * n] = '\0';
}

void itest_send_hex(int fd, const char *hex)
{
    uint8_t buf[8192];
    itest_send(fd, buf, itest_hex(hex, buf, sizeof buf));
}

static size_t put_bcd(uint8_t *out, const char *phone, size_t bytes)
{
    char digits[24];
    size_t len = strlen(phone);
    assert_true(len <= 2 * bytes);
    memset(digits, '0', 2 * bytes - len);
    memcpy(digits + 2 * bytes - len, phone, len);
    for (size_t i = 0; i < bytes; i++)
        out[i] = (uint8_t)((digits[2 * i] - '0') << 4 | (digits[2 * i + 1] - '0'));
    return bytes;
}

size_t itest_frame(uint8_t *out, size_t cap, int version, uint16_t msg_id, const char *phone,
                   uint16_t serial, const char *body_hex, uint16_t pkg_total, uint16_t pkg_index)
{
    uint8_t raw[4096];
    size_t n = 4;
    raw[0] = (uint8_t)(msg_id >> 8);
    raw[1] = (uint8_t)msg_id;
    if (version == 2019) {
        raw[n++] = 1;
        n += put_bcd(raw + n, phone, 10);
    } else {
        n += put_bcd(raw + n, phone, 6);
    }
    raw[n++] = (uint8_t)(serial >> 8);
    raw[n++] = (uint8_t)serial;
    if (pkg_total) {
        uint8_t p[4] = {(uint8_t)(pkg_total >> 8), (uint8_t)pkg_total, (uint8_t)(pkg_index >> 8),
                        (uint8_t)pkg_index};
        memcpy(raw + n, p, 4);
        n += 4;
    }
    size_t body = itest_hex(body_hex, raw + n, sizeof raw - n - 1);
    unsigned props = (unsigned)body | (version == 2019 ? 0x4000u : 0) | (pkg_total ? 0x2000u : 0);
    raw[2] = (uint8_t)(props >> 8);
    raw[3] = (uint8_t)props;
    n += body;
    uint8_t check = 0;
    for (size_t i = 0; i < n; i++)
        check ^= raw[i];
    raw[n++] = check;
    size_t o = 0;
    assert_true(2 * n + 2 <= cap);
    out[o++] = 0x7e;
    for (size_t i = 0; i < n; i++) {
        if (raw[i] == 0x7e || raw[i] == 0x7d) {
            out[o++] = 0x7d;
            out[o++] = raw[i] == 0x7e ? 0x02 : 0x01;
        } else {
            out[o++] = raw[i];
        }
    }
    out[o++] = 0x7e;
    return o;
}

void itest_send_msg(int fd, int version, uint16_t msg_id, const char *phone, uint16_t serial,
                    const char *body_hex)
{
    uint8_t buf[8192];
    itest_send(fd, buf,
               itest_frame(buf, sizeof buf, version, msg_id, phone, serial, body_hex, 0, 0));
}

static bool read_byte(int fd, uint8_t *b, int timeout_ms)
{
    struct pollfd p = {fd, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0)
        return false;
    return recv(fd, b, 1, 0) == 1;
}

size_t itest_read_frame(int fd, uint8_t *out, size_t cap, int timeout_ms)
{
    size_t n = 0;
    uint8_t b;
    while (read_byte(fd, &b, timeout_ms)) {
        if (n == 0 && b != 0x7e)
            continue;
        if (n == 1 && b == 0x7e)
            continue; /* shared flag */
        assert_true(n < cap);
        out[n++] = b;
        if (n > 1 && b == 0x7e)
            return n;
    }
    return 0;
}

void itest_expect(int fd, const char *hex)
{
    uint8_t want[4096], got[4096];
    char got_hex[8200];
    size_t nw = itest_hex(hex, want, sizeof want);
    size_t ng = itest_read_frame(fd, got, sizeof got, 3000);
    itest_to_hex(got, ng, got_hex);
    if (ng != nw || memcmp(want, got, nw) != 0)
        fail_msg("expected %s\n      got %s", hex, ng ? got_hex : "(nothing)");
}

void itest_expect_ack(int fd, const char *phone, uint16_t platform_serial, uint16_t serial,
                      uint16_t msg_id, uint8_t result)
{
    char body[16], hex[128];
    uint8_t want[64];
    snprintf(body, sizeof body, "%04x%04x%02x", serial, msg_id, result);
    size_t n = itest_frame(want, sizeof want, 2013, 0x8001, phone, platform_serial, body, 0, 0);
    itest_to_hex(want, n, hex);
    itest_expect(fd, hex);
}

void itest_expect_silence(int fd, int ms)
{
    struct pollfd p = {fd, POLLIN, 0};
    assert_int_equal(poll(&p, 1, ms), 0);
}

bool itest_closed_within(int fd, int timeout_ms)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        long left = timeout_ms -
                    ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000);
        struct pollfd p = {fd, POLLIN, 0};
        if (left <= 0 || poll(&p, 1, (int)left) <= 0)
            return false;
        uint8_t buf[512];
        ssize_t k = recv(fd, buf, sizeof buf, 0);
        if (k == 0 || (k < 0 && errno == ECONNRESET))
            return true;
    }
}

/* Undo 0x7d escapes in place (between the flags); returns the new length. */
static size_t unescape(uint8_t *p, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++)
        p[o++] = (p[i] == 0x7d && i + 1 < n) ? (uint8_t)(p[++i] == 0x02 ? 0x7e : 0x7d) : p[i];
    return o;
}

void itest_register_body_2013(const char *phone, int plate_color, const char *plate_gbk_hex,
                              char *out, size_t cap)
{
    size_t len = strlen(phone);
    char id_hex[15] = "00000000000000"; /* 7 bytes, NUL-padded */
    char digits[15];
    itest_to_hex((const uint8_t *)(len > 7 ? phone + len - 7 : phone), len > 7 ? 7 : len, digits);
    memcpy(id_hex, digits, strlen(digits));
    snprintf(out, cap,
             "000b0065"
             "4d414b4552"
             "4d4f44454c000000000000000000000000000000"
             "%s"
             "%02x%s",
             id_hex, plate_color, plate_gbk_hex);
}

int itest_register(int fd, int version, const char *phone, uint16_t serial, const char *body_hex,
                   char code_hex[128])
{
    itest_send_msg(fd, version, 0x0100, phone, serial, body_hex);
    uint8_t reply[256];
    size_t n = unescape(reply, itest_read_frame(fd, reply, sizeof reply, 3000));
    /* 7e 8100 props(2) [version(1)] phone(6 or 10) serial(2) | reply_serial(2) result(1) code |
     * check 7e */
    size_t body = version == 2019 ? 18 : 13;
    assert_true(n >= body + 5);
    assert_int_equal(reply[1] << 8 | reply[2], 0x8100);
    assert_int_equal(reply[body] << 8 | reply[body + 1], serial);
    code_hex[0] = '\0';
    if (reply[body + 2] == 0) {
        assert_int_equal(n - body - 5, 32); /* 32 hex digits: 128 random bits */
        itest_to_hex(reply + body + 3, n - body - 5, code_hex);
    }
    return reply[body + 2];
}

void itest_login_2013(int fd, const char *phone, int plate_color, const char *plate_gbk_hex)
{
    char body[512], code_hex[128];
    itest_register_body_2013(phone, plate_color, plate_gbk_hex, body, sizeof body);
    assert_int_equal(itest_register(fd, 2013, phone, 1, body, code_hex), 0);
    itest_send_msg(fd, 2013, 0x0102, phone, 2, code_hex);
    uint8_t reply[256];
    size_t n = itest_read_frame(fd, reply, sizeof reply, 3000);
    assert_true(n >= 20);
    assert_int_equal(reply[1] << 8 | reply[2], 0x8001);
    assert_int_equal(reply[17], 0); /* result */
}
