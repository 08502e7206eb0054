/* store_load.c - drives the Redis sink directly on a libevent loop, for the store's
 * integration tests and its benchmark (scripts/bench_store.sh), until the gateway can load it.
 *
 *   fw-store-load write PORT SPOOL_DIR ACKED_FILE T0 SECONDS RATE PHONES [WINDOW [QUEUE_MAX]]
 *       submit RATE positions/s (0 = as fast as acks come, WINDOW in flight, default 2048;
 *       QUEUE_MAX sets the store's queue_max) for SECONDS, over
 *       PHONES phones (13700000000 + i), GNSS times from T0 up, one second apart per phone;
 *       append "phone gnss_s recv_ms" to ACKED_FILE for every position acked with status 0
 *       (written before the next loop iteration, so a SIGKILL loses at most unwritten lines,
 *       never lines of unstored positions); then wait until everything is acked and the spool
 *       is drained; print a summary line of counters, rates and ack latency percentiles.
 *   fw-store-load verify PORT ACKED_FILE
 *       check that every acked position is in Redis exactly once (track stream + late set);
 *       exit status 0 when so.
 * Both authenticate as the store's redis_user / redis_password given in the environment
 * variables FW_REDIS_USER / FW_REDIS_PASSWORD (unset: no AUTH).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <hiredis/hiredis.h>

#include "fleetwatch.pb-c.h"
#include "fw/base/sink.h"
#include "fw/store/store.h"

#define TICK_MS        10
#define ACK_LINE_MAX   64
#define WINDOW_DEFAULT 2048 /* RATE 0: positions in flight, like terminals awaiting acks */
#define LAT_BUCKET_US  50
#define LAT_BUCKETS    20000 /* up to 1 s; slower acks count in the last bucket */

typedef struct {
    struct event_base *base;
    fw_store *st;
    fw_sink *sink;
    int acked_fd;
    char *ackbuf; /* lines of this iteration */
    size_t acklen, ackcap;
    int64_t t0;
    unsigned seconds, rate, phones, window;
    uint64_t lat_hist[LAT_BUCKETS];
    int64_t busy_until_ms; /* end of the submitting phase */
    uint64_t next;         /* positions generated */
    uint64_t submitted, done_ok, done_failed, full;
    int64_t start_ms;
    bool stopping;
} load;

typedef struct {
    load *ld;
    int64_t submit_us;
    char line[ACK_LINE_MAX];
} ack_cookie;

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Ack latency (submit -> done) at percentile pct, in ms. */
static double latency_ms(const load *ld, double pct)
{
    uint64_t total = 0, seen = 0;
    for (unsigned i = 0; i < LAT_BUCKETS; i++)
        total += ld->lat_hist[i];
    for (unsigned i = 0; i < LAT_BUCKETS; i++) {
        seen += ld->lat_hist[i];
        if (total && (double)seen >= pct / 100.0 * (double)total)
            return (i + 1) * LAT_BUCKET_US / 1000.0;
    }
    return 0;
}

static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void flush_acks(load *ld)
{
    size_t off = 0;
    while (off < ld->acklen) {
        ssize_t n = write(ld->acked_fd, ld->ackbuf + off, ld->acklen - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            perror("acked file");
            exit(2);
        }
        off += (size_t)n;
    }
    ld->acklen = 0;
}

static void on_done(void *cookie, int status)
{
    ack_cookie *c = cookie;
    load *ld = c->ld;
    if (status == 0) {
        size_t n = strlen(c->line);
        if (ld->acklen + n > ld->ackcap)
            flush_acks(ld);
        memcpy(ld->ackbuf + ld->acklen, c->line, n);
        ld->acklen += n;
        ld->done_ok++;
        uint64_t bucket = (uint64_t)(mono_us() - c->submit_us) / LAT_BUCKET_US;
        ld->lat_hist[bucket < LAT_BUCKETS ? bucket : LAT_BUCKETS - 1]++;
    } else {
        ld->done_failed++;
    }
    free(c);
}

/* Submit position number ld->next; false when the sink refused it. */
static bool submit_one(load *ld)
{
    unsigned phone_i = (unsigned)(ld->next % ld->phones);
    int64_t t = ld->t0 + (int64_t)(ld->next / ld->phones);
    char phone[24];
    snprintf(phone, sizeof phone, "%" PRIu64, (uint64_t)13700000000ULL + phone_i);
    jt_location loc;
    memset(&loc, 0, sizeof loc);
    loc.status = JT_STATUS_FIXED;
    loc.lat_e6 = 30000000 + (int32_t)(ld->next % 1000000);
    loc.lon_e6 = 120000000 + (int32_t)phone_i;
    loc.speed_dkmh = (uint16_t)(ld->next % 1200);
    loc.time_utc = t;
    loc.time_err = JT_OK;
    /* as a terminal would: serials count its frames, the first one opens its session */
    fw_position pos;
    fw_position_from_location(&loc, &FW_POSITION_CONFIG_DEFAULT, &pos);
    fw_location_rec rec = {.phone = phone,
                           .msg_id = 0x0200,
                           .serial = (uint16_t)(ld->next / ld->phones),
                           .session_first = ld->next < ld->phones,
                           .pos = &pos};
    rec.received_ms = wall_ms();
    ack_cookie *c = malloc(sizeof *c);
    if (!c)
        return false;
    c->ld = ld;
    c->submit_us = mono_us();
    snprintf(c->line, sizeof c->line, "%s %" PRId64 " %" PRId64 "\n", phone, t, rec.received_ms);
    if (ld->sink->ops->submit(ld->sink, &rec, on_done, c) != FW_SINK_QUEUED) {
        free(c);
        ld->full++;
        return false;
    }
    ld->next++;
    ld->submitted++;
    return true;
}

static bool drained(load *ld)
{
    fw_store_stats s;
    fw_store_stats_get(ld->st, 0, &s);
    return ld->done_ok + ld->done_failed == ld->submitted && s.spool_bytes == 0 && s.connected;
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    load *ld = arg;
    int64_t elapsed = wall_ms() - ld->start_ms;
    if (elapsed < (int64_t)ld->seconds * 1000) {
        uint64_t in_flight = ld->submitted - ld->done_ok - ld->done_failed;
        uint64_t target =
            ld->rate ? (uint64_t)elapsed * ld->rate / 1000
                     : ld->submitted + (in_flight < ld->window ? ld->window - in_flight : 0);
        while (ld->submitted < target && submit_one(ld))
            ;
    } else if (!ld->busy_until_ms) {
        ld->busy_until_ms = wall_ms();
    } else if (drained(ld) || elapsed > (int64_t)(ld->seconds + 60) * 1000) {
        event_base_loopbreak(ld->base);
    }
    flush_acks(ld);
}

/* The store's options of this run: port, credentials from the environment, spool_dir (may be
 * NULL). 0 or -1 with a reason in err. */
static int config_from(fw_store_config *cfg, const char *port, const char *spool_dir, char *err,
                       size_t errcap)
{
    const char *user = getenv("FW_REDIS_USER"), *password = getenv("FW_REDIS_PASSWORD");
    fw_store_config_defaults(cfg);
    return fw_store_config_set(cfg, "redis_port", port, err, errcap) < 0 ||
                   fw_store_config_set(cfg, "redis_user", user ? user : "", err, errcap) < 0 ||
                   fw_store_config_set(cfg, "redis_password", password ? password : "", err,
                                       errcap) < 0 ||
                   (spool_dir && fw_store_config_set(cfg, "spool_dir", spool_dir, err, errcap) < 0)
               ? -1
               : 0;
}

static int run_write(char **argv)
{
    load ld = {0};
    char err[256];
    fw_store_config cfg;
    if (config_from(&cfg, argv[0], argv[1], err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    cfg.reconnect_max_ms = 500;
    ld.acked_fd = open(argv[2], O_WRONLY | O_CREAT | O_APPEND, 0644);
    ld.t0 = atoll(argv[3]);
    ld.seconds = (unsigned)atoi(argv[4]);
    ld.rate = (unsigned)atoi(argv[5]);
    ld.phones = (unsigned)atoi(argv[6]);
    ld.window = argv[7] ? (unsigned)atoi(argv[7]) : WINDOW_DEFAULT;
    if (argv[7] && argv[8])
        cfg.queue_max = (unsigned)atoi(argv[8]);
    ld.ackcap = 1 << 20;
    ld.ackbuf = malloc(ld.ackcap);
    ld.base = event_base_new();
    ld.st = fw_store_new(&cfg, 1, err, sizeof err);
    if (ld.acked_fd < 0 || !ld.ackbuf || !ld.base || !ld.st || ld.phones == 0) {
        fprintf(stderr, "fw-store-load: setup failed %s\n", ld.st ? "" : err);
        return 2;
    }
    ld.sink = fw_store_sink_new(ld.st, ld.base, 0);
    if (!ld.sink)
        return 2;
    struct event *tick = event_new(ld.base, -1, EV_PERSIST, on_tick, &ld);
    struct timeval tv = {0, TICK_MS * 1000};
    event_add(tick, &tv);
    ld.start_ms = wall_ms();
    event_base_dispatch(ld.base);
    double secs = (double)(wall_ms() - ld.start_ms) / 1000.0;
    double busy_s = (double)(ld.busy_until_ms - ld.start_ms) / 1000.0;
    fw_store_stats s;
    fw_store_stats_get(ld.st, 0, &s);
    printf("submitted %" PRIu64 " acked %" PRIu64 " failed %" PRIu64 " refused %" PRIu64
           " stored %" PRIu64 " duplicates %" PRIu64 " late %" PRIu64 " spooled %" PRIu64
           " replayed %" PRIu64 " commands %" PRIu64 " reconnects %" PRIu64 " seconds %.2f"
           " busy_s %.2f acked_per_s %.0f lat_p50_ms %.2f lat_p99_ms %.2f cpu_s %.2f\n",
           ld.submitted, ld.done_ok, ld.done_failed, ld.full, s.stored, s.duplicates, s.late,
           s.spooled, s.replayed, s.commands, s.reconnects, secs, busy_s,
           busy_s > 0 ? (double)ld.done_ok / busy_s : 0.0, latency_ms(&ld, 50), latency_ms(&ld, 99),
           cpu_seconds());
    bool ok = drained(&ld);
    event_free(tick);
    ld.sink->ops->close(ld.sink);
    flush_acks(&ld);
    fw_store_free(ld.st);
    event_base_free(ld.base);
    close(ld.acked_fd);
    free(ld.ackbuf);
    return ok ? 0 : 1;
}

/* ---- verify ------------------------------------------------------------------------------ */

typedef struct {
    char phone[24];
    int64_t gnss_s, recv_ms;
    unsigned seen;
} acked;

static int cmp_acked(const void *a, const void *b)
{
    const acked *x = a, *y = b;
    int c = strcmp(x->phone, y->phone);
    if (c)
        return c;
    if (x->gnss_s != y->gnss_s)
        return x->gnss_s < y->gnss_s ? -1 : 1;
    return x->recv_ms < y->recv_ms ? -1 : x->recv_ms > y->recv_ms;
}

static void count_pb(acked *list, size_t n, const char *pb, size_t len)
{
    Fleetwatch__Position *p = fleetwatch__position__unpack(NULL, len, (const uint8_t *)pb);
    if (!p)
        return;
    acked key = {.gnss_s = p->gnss_time, .recv_ms = p->recv_time_ms};
    snprintf(key.phone, sizeof key.phone, "%s", p->phone);
    acked *hit = bsearch(&key, list, n, sizeof *list, cmp_acked);
    if (hit)
        hit->seen++;
    fleetwatch__position__free_unpacked(p, NULL);
}

static void count_phone(redisContext *c, acked *list, size_t n, const char *phone)
{
    redisReply *r = redisCommand(c, "XRANGE fw:track:%s - +", phone);
    for (size_t i = 0; r && r->type == REDIS_REPLY_ARRAY && i < r->elements; i++) {
        const redisReply *f = r->element[i]->element[1];
        count_pb(list, n, f->element[1]->str, f->element[1]->len);
    }
    freeReplyObject(r);
    r = redisCommand(c, "ZRANGE fw:track:%s:late 0 -1", phone);
    for (size_t i = 0; r && r->type == REDIS_REPLY_ARRAY && i < r->elements; i++)
        count_pb(list, n, r->element[i]->str, r->element[i]->len);
    freeReplyObject(r);
}

static int run_verify(char **argv)
{
    FILE *f = fopen(argv[1], "r");
    fw_store_config cfg;
    char err[256] = "";
    redisContext *c = config_from(&cfg, argv[0], NULL, err, sizeof err) == 0
                          ? fw_store_connect_sync(&cfg, err, sizeof err)
                          : NULL;
    if (!f || !c) {
        fprintf(stderr, "fw-store-load verify: cannot open %s or Redis %s\n", argv[1], err);
        return 2;
    }
    size_t n = 0, cap = 1 << 16;
    acked *list = malloc(cap * sizeof *list);
    while (list && fscanf(f, "%23s %" SCNd64 " %" SCNd64, list[n].phone, &list[n].gnss_s,
                          &list[n].recv_ms) == 3) {
        list[n].seen = 0;
        if (++n == cap)
            list = realloc(list, (cap *= 2) * sizeof *list);
    }
    fclose(f);
    qsort(list, n, sizeof *list, cmp_acked);
    for (size_t i = 0; i < n; i++)
        if (i == 0 || strcmp(list[i].phone, list[i - 1].phone) != 0)
            count_phone(c, list, n, list[i].phone);
    size_t missing = 0, duplicated = 0;
    for (size_t i = 0; i < n; i++) {
        missing += list[i].seen == 0;
        duplicated += list[i].seen > 1;
    }
    printf("acked %zu missing %zu duplicated %zu\n", n, missing, duplicated);
    free(list);
    redisFree(c);
    return n > 0 && missing == 0 && duplicated == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc >= 9 && argc <= 11 && strcmp(argv[1], "write") == 0)
        return run_write(argv + 2);
    if (argc == 4 && strcmp(argv[1], "verify") == 0)
        return run_verify(argv + 2);
    fprintf(stderr, "usage: fw-store-load write PORT SPOOL_DIR ACKED_FILE T0 SECONDS RATE PHONES "
                    "[WINDOW [QUEUE_MAX]]\n"
                    "       fw-store-load verify PORT ACKED_FILE\n");
    return 2;
}
