/* api_fixture.c - redis-server, test data, fleetwatch-api process and HTTP client for the API
 * integration tests (api_fixture.h).
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <hiredis/hiredis.h>

#include "api_fixture.h"
#include "store_feed.h"

/* ---- redis-server ---------------------------------------------------------------------- */

static unsigned free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    unsigned port = 0;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Run redis-server on r->port with its data in r->dir; 0 once it answers PING. */
static int run_redis(af_redis *r)
{
    char port[16];
    snprintf(port, sizeof port, "%u", r->port);
    r->pid = fork();
    if (r->pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        execlp("redis-server", "redis-server", "--port", port, "--bind", "127.0.0.1", "--save", "",
               "--appendonly", "no", "--dir", r->dir, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 100; i++) {
        sleep_ms(50);
        if (af_redis_cmd(r, "PING") == 0)
            return 0;
    }
    return -1;
}

int af_redis_start(af_redis *r)
{
    r->port = free_port();
    strcpy(r->dir, "/tmp/fw_api_redis_XXXXXX");
    if (r->port == 0 || mkdtemp(r->dir) == NULL)
        return -1;
    return run_redis(r);
}

int af_redis_restart(af_redis *r)
{
    if (mkdir(r->dir, 0700) != 0)
        return -1;
    return run_redis(r);
}

void af_redis_stop(af_redis *r)
{
    if (r->pid > 0) {
        kill(r->pid, SIGTERM);
        waitpid(r->pid, NULL, 0);
        r->pid = 0;
    }
    rmdir(r->dir);
}

static redisReply *vreply(const af_redis *r, const char *fmt, va_list ap)
{
    struct timeval tv = {2, 0};
    redisContext *c = redisConnectWithTimeout("127.0.0.1", (int)r->port, tv);
    if (c == NULL || c->err) {
        redisFree(c);
        return NULL;
    }
    redisReply *rep = redisvCommand(c, fmt, ap);
    redisFree(c);
    return rep;
}

static int vcmd(const af_redis *r, const char *fmt, va_list ap)
{
    redisReply *rep = vreply(r, fmt, ap);
    int rc = rep && rep->type != REDIS_REPLY_ERROR ? 0 : -1;
    freeReplyObject(rep);
    return rc;
}

redisReply *af_redis_reply(const af_redis *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    redisReply *rep = vreply(r, fmt, ap);
    va_end(ap);
    return rep;
}

int af_redis_cmd(const af_redis *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vcmd(r, fmt, ap);
    va_end(ap);
    return rc;
}

/* ---- test data: written through the real store (store_feed.h) -------------------------- */

/* The fleet; registry entries as the gateway would pass them, and where each vehicle is. */
typedef struct {
    fw_vehicle reg;
    int32_t lat_e6, lon_e6;
} af_vehicle;

static const af_vehicle vehicles[] = {
    {{.phone = AF_PHONE_A, .plate = AF_PLATE_A, .plate_color = 2, .vclass = FW_CLASS_TOUR_COACH},
     32060300,
     118796900}, /* Nanjing */
    {{.phone = AF_PHONE_B,
      .plate = AF_PLATE_B,
      .plate_color = 2,
      .vclass = FW_CLASS_DANGEROUS_GOODS},
     32070000,
     118800000}, /* 1.1 km north-east */
    {{.phone = AF_PHONE_C, .plate = "沪C11111", .plate_color = 2, .vclass = FW_CLASS_TRUCK},
     31230400,
     121473700}, /* Shanghai */
};

const af_violation af_violations[AF_VIOLATIONS] = {
    {AF_PHONE_A "-terminal_alarm-1", FW_VIOLATION_TERMINAL_ALARM, FW_SEVERITY_WARNING, AF_PHONE_A,
     AF_T0 - 86400, AF_T0 - 86000},
    {AF_PHONE_A "-speeding-1", FW_VIOLATION_SPEEDING, FW_SEVERITY_SERIOUS, AF_PHONE_A, AF_T0 + 100,
     AF_T0 + 400},
    {AF_PHONE_B "-overload-1", FW_VIOLATION_OVERLOAD, FW_SEVERITY_SEVERE, AF_PHONE_B, AF_T0 + 200,
     AF_T0 + 300},
    {AF_PHONE_B "-speeding-1", FW_VIOLATION_SPEEDING, FW_SEVERITY_WARNING, AF_PHONE_B, AF_T0 + 200,
     AF_T0 + 260},
    {AF_PHONE_B "-speeding-2", FW_VIOLATION_SPEEDING, FW_SEVERITY_MINOR, AF_PHONE_B, AF_T0 + 200,
     AF_T0 + 230},
    {AF_PHONE_A "-fatigue-1", FW_VIOLATION_FATIGUE, FW_SEVERITY_MINOR, AF_PHONE_A, AF_T0 + 3600, 0},
    {AF_PHONE_C "-night_ban-1", FW_VIOLATION_NIGHT_BAN, FW_SEVERITY_MINOR, AF_PHONE_C,
     AF_T0 + 86400, AF_T0 + 87000},
};

/* A fixed 0x0200 of ACC on, 90 degrees, 12 m, odometer 12,345.6 km. */
static jt_location location(int64_t t, int32_t lat_e6, int32_t lon_e6, uint16_t speed_dkmh)
{
    jt_location loc;
    memset(&loc, 0, sizeof loc);
    loc.status = JT_STATUS_ACC_ON | JT_STATUS_FIXED;
    loc.lat_e6 = lat_e6;
    loc.lon_e6 = lon_e6;
    loc.lat_raw = (uint32_t)lat_e6;
    loc.lon_raw = (uint32_t)lon_e6;
    loc.speed_dkmh = speed_dkmh;
    loc.course_deg = 90;
    loc.altitude_m = 12;
    loc.has = JT_HAS_MILEAGE;
    loc.mileage_hm = 123456;
    loc.time_utc = t;
    loc.time_err = JT_OK;
    return loc;
}

/* Vehicle A: points every 30 s from AF_T0 moving north-east at 60.0, 60.1, ... km/h, the
 * newest (08:04:30) back at the start at 62.5 km/h; then two blind-area points older than the
 * newest, 15 s after points 2 and 6, which the store puts in the late set. B and C: one point
 * each at 08:04:30. */
static int put_positions(store_feed *f)
{
    int rc = 0;
    for (int i = 0; i < AF_TRACK_POINTS; i++) {
        int64_t t = AF_T0 + 30 * i;
        bool newest = i == AF_TRACK_POINTS - 1;
        int32_t step = newest ? 0 : i * 100;
        jt_location loc = location(t, vehicles[0].lat_e6 + step, vehicles[0].lon_e6 + step,
                                   (uint16_t)(newest ? 625 : 600 + i));
        rc |= store_feed_position(f, &vehicles[0].reg, &loc, (t + 1) * 1000, i == 0, false);
    }
    for (int k = 0; k < AF_TRACK_LATE; k++) {
        int64_t t = AF_T0 + 30 * (2 + 4 * k) + 15;
        jt_location loc = location(t, vehicles[0].lat_e6 + 10000 + k * 100,
                                   vehicles[0].lon_e6 + 10000 + k * 100, (uint16_t)(700 + k));
        rc |= store_feed_position(f, &vehicles[0].reg, &loc, (t + 1) * 1000, false, true);
    }
    for (size_t i = 1; i < sizeof vehicles / sizeof vehicles[0]; i++) {
        jt_location loc = location(AF_T0 + 270, vehicles[i].lat_e6, vehicles[i].lon_e6, 625);
        rc |= store_feed_position(f, &vehicles[i].reg, &loc, (AF_T0 + 271) * 1000LL, true, false);
    }
    return rc;
}

/* A speeding-shaped event (value 105.5 km/h against 80, mean 96.4) of the vehicle with the
 * fixture's phone, closed when it has an end. */
static int put_violation(store_feed *f, const af_violation *a, fw_vehicle_profile *profile)
{
    for (size_t i = 0; i < sizeof vehicles / sizeof vehicles[0]; i++)
        if (strcmp(vehicles[i].reg.phone, a->phone) == 0)
            fw_profile_from_registry(&vehicles[i].reg, profile);
    int64_t end = a->end ? a->end : a->start + 60;
    fw_violation v = {.phase = a->end ? FW_EVENT_CLOSED : FW_EVENT_OPENED,
                      .type = a->type,
                      .severity = a->severity,
                      .vehicle = profile,
                      .start_utc = a->start,
                      .end_utc = end,
                      .first = {a->start, 32060300, 118796900, 1050},
                      .peak = {a->start + 60, 32065000, 118798000, 1055},
                      .last = {end, 32070000, 118800000, 1000},
                      .value = 1055,
                      .limit = 800,
                      .mean_value = 964,
                      .unit = "0.1km/h"};
    snprintf(v.id, sizeof v.id, "%s", a->id);
    return store_feed_violation(f, &v);
}

int af_populate(const af_redis *r)
{
    char err[256];
    store_feed *f = store_feed_open(r->port, "", "test-node", err, sizeof err);
    if (!f) {
        fprintf(stderr, "af_populate: %s\n", err);
        return -1;
    }
    fw_vehicle_profile profiles[AF_VIOLATIONS];
    int rc = put_positions(f);
    for (size_t i = 0; i < AF_VIOLATIONS; i++)
        rc |= put_violation(f, &af_violations[i], &profiles[i]);
    rc |= store_feed_flush(f, 10000);
    store_feed_close(f);
    return rc;
}

/* ---- fleetwatch-api ------------------------------------------------------------------ */

int af_start_fleet(af_redis *r, af_api *a, const char *binary, const char *token_file,
                   const char *const *options)
{
    if (af_redis_start(r) != 0 || af_populate(r) != 0)
        return -1;
    return af_api_start(a, binary, token_file, r, options);
}

void af_stop_fleet(af_redis *r, af_api *a)
{
    af_api_stop(a);
    if (r->pid > 0)
        kill(r->pid, SIGCONT);
    af_redis_stop(r);
}

int af_args(int argc, char **argv, int extra, const char *extra_usage, const char **binary,
            const char **token_file)
{
    if (argc != 3 + extra) {
        fprintf(stderr, "usage: %s <fleetwatch-api> <token file>%s\n", argv[0], extra_usage);
        return -1;
    }
    *binary = argv[1];
    *token_file = argv[2];
    return 0;
}

int af_api_start(af_api *a, const char *binary, const char *token_file, const af_redis *r,
                 const char *const *options)
{
    int out[2];
    if (pipe(out) != 0)
        return -1;
    char tokens[512], port[64];
    snprintf(tokens, sizeof tokens, "--api_token_file=%s", token_file);
    snprintf(port, sizeof port, "--redis_port=%u", r->port);
    const char *argv[32] = {binary, "--api_listen=127.0.0.1:0", tokens, port};
    size_t argc = 4;
    for (; options && *options && argc < 31; options++)
        argv[argc++] = *options;
    strcpy(a->log_path, "/tmp/fw_api_log_XXXXXX");
    int log = mkstemp(a->log_path);
    if (log < 0)
        return -1;
    a->pid = fork();
    if (a->pid == 0) {
        dup2(log, 2);
        dup2(out[1], 1);
        close(out[0]);
        execv(binary, (char *const *)argv);
        _exit(127);
    }
    close(out[1]);
    close(log);
    char line[64] = "";
    struct pollfd p = {out[0], POLLIN, 0};
    ssize_t n = poll(&p, 1, 5000) == 1 ? read(out[0], line, sizeof line - 1) : -1;
    close(out[0]);
    if (n <= 0 || sscanf(line, "listening on %u", &a->port) != 1)
        return -1;
    return 0;
}

void af_api_stop(af_api *a)
{
    if (a->pid > 0) {
        kill(a->pid, SIGTERM);
        waitpid(a->pid, NULL, 0);
        a->pid = 0;
        unlink(a->log_path);
    }
}

/* ---- HTTP ------------------------------------------------------------------------------ */

static int dial(unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    struct timeval tv = {10, 0};
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0 ||
        connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

static bool send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* Read until the peer closes; the bytes (NUL-terminated) in a malloc'd buffer. */
static char *read_all(int fd, size_t *len)
{
    size_t cap = 4096;
    char *buf = malloc(cap);
    *len = 0;
    for (;;) {
        if (cap - *len < 1024)
            buf = realloc(buf, cap *= 2);
        ssize_t n = recv(fd, buf + *len, cap - *len - 1, 0);
        if (n <= 0)
            break;
        *len += (size_t)n;
    }
    buf[*len] = '\0';
    return buf;
}

static void parse_response(char *raw, size_t len, af_response *out)
{
    char *end = strstr(raw, "\r\n\r\n");
    if (strncmp(raw, "HTTP/1.1 ", 9) != 0 || end == NULL)
        return;
    out->status = atoi(raw + 9);
    size_t hlen = (size_t)(end - raw);
    snprintf(out->headers, sizeof out->headers, "%.*s", (int)hlen, raw);
    out->body_len = len - hlen - 4;
    memmove(out->body, end + 4, out->body_len + 1);
    out->json = cJSON_Parse(out->body);
}

int af_http(unsigned port, const char *method, const char *target, const char *token,
            const char *body, const char *extra_headers, af_response *out)
{
    memset(out, 0, sizeof *out);
    int fd = dial(port);
    if (fd < 0)
        return -1;
    size_t blen = body ? strlen(body) : 0,
           cap = 1024 + strlen(target) + blen + (extra_headers ? strlen(extra_headers) : 0);
    char *req = malloc(cap), auth[256] = "";
    if (token)
        snprintf(auth, sizeof auth, "Authorization: Bearer %s\r\n", token);
    int n =
        snprintf(req, cap,
                 "%s %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n%s%s"
                 "Content-Length: %zu\r\n\r\n%s",
                 method, target, auth, extra_headers ? extra_headers : "", blen, body ? body : "");
    bool sent = send_all(fd, req, (size_t)n);
    free(req);
    size_t len = 0;
    char *raw = sent ? read_all(fd, &len) : NULL;
    close(fd);
    if (raw == NULL)
        return -1;
    out->body = raw;
    parse_response(raw, len, out);
    return 0;
}

void af_response_free(af_response *r)
{
    cJSON_Delete(r->json);
    free(r->body);
    memset(r, 0, sizeof *r);
}

const char *af_str(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

double af_num(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsNumber(v) ? v->valuedouble : -1e300;
}
