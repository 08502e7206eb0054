/* bench_api_ingest.c - a stand-in for the store's Redis writes during the API benchmark
 * (scripts/bench_api.sh INGEST=...): per position of a vehicle of the benchmark fleet it
 * writes what the store writes (docs/redis-schema.md): the fw:veh:<phone> position fields,
 * an fw:track:<phone> entry with a protobuf Position, the fw:geo position; pipelined, one
 * batch every 10 ms, at a fixed rate.
 *
 * Usage: bench_api_ingest <redis port> <vehicles> <positions per second> <seconds>
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <hiredis/hiredis.h>

#include "fleetwatch.pb-c.h"

#define TICK_MS 10

static redisContext *ctx;
static unsigned queued;

static void append(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    redisvAppendCommand(ctx, fmt, ap);
    va_end(ap);
    queued++;
}

static int drain(void)
{
    for (; queued > 0; queued--) {
        redisReply *r = NULL;
        if (redisGetReply(ctx, (void **)&r) != REDIS_OK)
            return -1;
        freeReplyObject(r);
    }
    return 0;
}

static void write_position(unsigned vehicle, long now)
{
    char phone[24];
    snprintf(phone, sizeof phone, "%llu", 13000000000ULL + vehicle);
    Fleetwatch__Position p = FLEETWATCH__POSITION__INIT;
    p.phone = phone;
    p.gnss_time = now;
    p.recv_time_ms = now * 1000;
    p.lat_e6 = 31600000 + rand() % 900000;
    p.lon_e6 = 118400000 + rand() % 900000;
    p.speed_dkmh = (uint32_t)(rand() % 1000);
    p.fixed = 1;
    uint8_t buf[128];
    size_t n = fleetwatch__position__pack(&p, buf);
    char lat[16], lon[16], t[16];
    snprintf(lat, sizeof lat, "%.6f", p.lat_e6 / 1e6);
    snprintf(lon, sizeof lon, "%.6f", p.lon_e6 / 1e6);
    snprintf(t, sizeof t, "%ld", now);
    append("XADD fw:track:%s MAXLEN ~ 1000 * pb %b", phone, buf, n);
    append("HSET fw:veh:%s lat %s lon %s speed_kmh %u gnss_time %s recv_time %s online 1", phone,
           lat, lon, p.speed_dkmh / 10, t, t);
    append("GEOADD fw:geo %s %s %s", lon, lat, phone);
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: %s <redis port> <vehicles> <positions/s> <seconds>\n", argv[0]);
        return 2;
    }
    unsigned vehicles = (unsigned)atoi(argv[2]), rate = (unsigned)atoi(argv[3]);
    unsigned seconds = (unsigned)atoi(argv[4]);
    ctx = redisConnect("127.0.0.1", atoi(argv[1]));
    if (ctx == NULL || ctx->err || vehicles == 0) {
        fprintf(stderr, "cannot connect to redis or bad arguments\n");
        return 1;
    }
    unsigned per_tick = rate * TICK_MS / 1000, next = 0;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    unsigned long long written = 0;
    for (unsigned tick = 0; tick < seconds * (1000 / TICK_MS); tick++) {
        long now = (long)time(NULL);
        for (unsigned i = 0; i < per_tick; i++, next = (next + 1) % vehicles)
            write_position(next, now);
        if (drain() != 0)
            return 1;
        written += per_tick;
        t.tv_nsec += TICK_MS * 1000000L;
        if (t.tv_nsec >= 1000000000L) {
            t.tv_nsec -= 1000000000L;
            t.tv_sec++;
        }
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL);
    }
    printf("wrote %llu positions\n", written);
    redisFree(ctx);
    return 0;
}
