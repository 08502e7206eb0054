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
#include "fleetwatch.pb-c.h"

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

static int vcmd(const af_redis *r, const char *fmt, va_list ap)
{
    struct timeval tv = {2, 0};
    redisContext *c = redisConnectWithTimeout("127.0.0.1", (int)r->port, tv);
    if (c == NULL || c->err) {
        redisFree(c);
        return -1;
    }
    redisReply *rep = redisvCommand(c, fmt, ap);
    int rc = rep && rep->type != REDIS_REPLY_ERROR ? 0 : -1;
    freeReplyObject(rep);
    redisFree(c);
    return rc;
}

int af_redis_cmd(const af_redis *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vcmd(r, fmt, ap);
    va_end(ap);
    return rc;
}

/* ---- test data --------------------------------------------------------------------------- */

typedef struct {
    const char *phone, *plate, *vclass;
    double lat, lon;
} af_vehicle;

static const af_vehicle vehicles[] = {
    {AF_PHONE_A, AF_PLATE_A, "tour_coach", 32.0603, 118.7969},      /* Nanjing */
    {AF_PHONE_B, AF_PLATE_B, "dangerous_goods", 32.0700, 118.8000}, /* 1.1 km north-east */
    {AF_PHONE_C, "沪C11111", "truck", 31.2304, 121.4737},           /* Shanghai */
};

const af_violation af_violations[AF_VIOLATIONS] = {
    {AF_PHONE_A "-terminal_alarm-1", "terminal_alarm", "warning", AF_PHONE_A, AF_PLATE_A,
     AF_T0 - 86400, AF_T0 - 86000},
    {AF_PHONE_A "-speeding-1", "speeding", "serious", AF_PHONE_A, AF_PLATE_A, AF_T0 + 100,
     AF_T0 + 400},
    {AF_PHONE_B "-overload-1", "overload", "severe", AF_PHONE_B, AF_PLATE_B, AF_T0 + 200,
     AF_T0 + 300},
    {AF_PHONE_B "-speeding-1", "speeding", "warning", AF_PHONE_B, AF_PLATE_B, AF_T0 + 200,
     AF_T0 + 260},
    {AF_PHONE_B "-speeding-2", "speeding", "minor", AF_PHONE_B, AF_PLATE_B, AF_T0 + 200,
     AF_T0 + 230},
    {AF_PHONE_A "-fatigue-1", "fatigue", "minor", AF_PHONE_A, AF_PLATE_A, AF_T0 + 3600, 0},
    {AF_PHONE_C "-night_ban-1", "night_ban", "minor", AF_PHONE_C, "沪C11111", AF_T0 + 86400,
     AF_T0 + 87000},
};

static int put_vehicle(const af_redis *r, const af_vehicle *v)
{
    char lat[32], lon[32], t[32];
    snprintf(lat, sizeof lat, "%.6f", v->lat);
    snprintf(lon, sizeof lon, "%.6f", v->lon);
    snprintf(t, sizeof t, "%d", AF_T0 + 270);
    return af_redis_cmd(r,
                        "HSET fw:veh:%s plate %s class %s lat %s lon %s speed_kmh 62.5 course 90 "
                        "altitude_m 12 gnss_time %s recv_time %s alarm 0 status 3 mileage_km "
                        "12345.6 load_kg %s passengers %s online 1 node test-node",
                        v->phone, v->plate, v->vclass, lat, lon, t, t, "", "") |
           af_redis_cmd(r, "SET fw:plate:%s %s", v->plate, v->phone) |
           af_redis_cmd(r, "GEOADD fw:geo %s %s %s", lon, lat, v->phone);
}

static size_t pack_position(int64_t t, int i, bool late, uint8_t *buf)
{
    Fleetwatch__Position p = FLEETWATCH__POSITION__INIT;
    p.phone = AF_PHONE_A;
    p.gnss_time = t;
    p.recv_time_ms = (t + 1) * 1000;
    p.lat_e6 = 32060300 + i * 100;
    p.lon_e6 = 118796900 + i * 100;
    p.speed_dkmh = (uint32_t)(600 + i);
    p.course_deg = 90;
    p.late = late;
    p.fixed = true;
    return fleetwatch__position__pack(&p, buf);
}

/* Stream points every 30 s; late points 15 s after points 2 and 6, in the late set. */
static int put_track(const af_redis *r)
{
    uint8_t buf[256];
    int rc = 0;
    for (int i = 0; i < AF_TRACK_POINTS; i++) {
        int64_t t = AF_T0 + 30 * i;
        size_t n = pack_position(t, i, false, buf);
        rc |= af_redis_cmd(r, "XADD fw:track:%s %lld-0 pb %b", AF_PHONE_A, (long long)t * 1000, buf,
                           n);
    }
    for (int k = 0; k < AF_TRACK_LATE; k++) {
        int64_t t = AF_T0 + 30 * (2 + 4 * k) + 15;
        size_t n = pack_position(t, 100 + k, true, buf);
        rc |= af_redis_cmd(r, "ZADD fw:track:%s:late %lld %b", AF_PHONE_A, (long long)t * 1000, buf,
                           n);
    }
    return rc;
}

static int put_violation(const af_redis *r, const af_violation *v)
{
    Fleetwatch__EvidencePoint ev[2] = {FLEETWATCH__EVIDENCE_POINT__INIT,
                                       FLEETWATCH__EVIDENCE_POINT__INIT};
    Fleetwatch__EvidencePoint *evp[2] = {&ev[0], &ev[1]};
    ev[0].gnss_time = v->start;
    ev[0].lat_e6 = 32060300;
    ev[0].lon_e6 = 118796900;
    ev[0].speed_dkmh = 1050;
    ev[0].role = "first";
    ev[1] = ev[0];
    ev[1].gnss_time = v->start + 60;
    ev[1].role = "peak";
    Fleetwatch__Violation p = FLEETWATCH__VIOLATION__INIT;
    p.id = (char *)v->id;
    p.type = (char *)v->type;
    p.state = v->end ? "closed" : "opened";
    p.severity = (char *)v->severity;
    p.phone = (char *)v->phone;
    p.plate = (char *)v->plate;
    p.plate_color = 2;
    p.vehicle_class = "tour_coach";
    p.start_time = v->start;
    p.end_time = v->end;
    p.value = 1055; /* as the rules store it: 0.1 km/h (docs/redis-schema.md) */
    p.limit = 800;
    p.unit = "0.1km/h";
    p.peak = 1055;
    p.mean = 964;
    p.start_lat_e6 = 32060300;
    p.start_lon_e6 = 118796900;
    p.end_lat_e6 = v->end ? 32070000 : 0;
    p.end_lon_e6 = v->end ? 118800000 : 0;
    p.n_evidence = 2;
    p.evidence = evp;
    uint8_t buf[1024];
    size_t n = fleetwatch__violation__pack(&p, buf);
    long long start = v->start;
    return af_redis_cmd(
               r,
               "HSET fw:vio:%s id %s type %s state %s phone %s plate %s severity %s "
               "start_time %lld end_time %lld value 1055 limit 800 unit 0.1km/h ev_order 1 "
               "pb %b",
               v->id, v->id, v->type, p.state, v->phone, v->plate, v->severity, start,
               (long long)v->end, buf, n) |
           af_redis_cmd(r, "ZADD fw:vio:by_time %lld %s", start, v->id) |
           af_redis_cmd(r, "ZADD fw:vio:by_vehicle:%s %lld %s", v->phone, start, v->id) |
           af_redis_cmd(r, "ZADD fw:vio:by_type:%s %lld %s", v->type, start, v->id) |
           af_redis_cmd(r, "ZADD fw:vio:by_plate:%s %lld %s", v->plate, start, v->id);
}

int af_populate(const af_redis *r)
{
    int rc = put_track(r);
    for (size_t i = 0; i < sizeof vehicles / sizeof vehicles[0]; i++)
        rc |= put_vehicle(r, &vehicles[i]);
    for (size_t i = 0; i < AF_VIOLATIONS; i++)
        rc |= put_violation(r, &af_violations[i]);
    return rc;
}

/* ---- fleetwatch-api ------------------------------------------------------------------ */

int af_api_start(af_api *a, const char *binary, const char *const *options)
{
    int out[2];
    if (pipe(out) != 0)
        return -1;
    const char *argv[32] = {binary, "--api_listen=127.0.0.1:0"};
    size_t argc = 2;
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
