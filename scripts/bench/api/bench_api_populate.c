/* bench_api_populate.c - fills a Redis with a fleet for the API benchmark
 * (scripts/bench_api.sh), in the store's schema (docs/redis-schema.md): per vehicle the
 * fw:veh:<phone> hash, fw:plate:<plate> and its fw:geo position; violations as fw:vio:<id>
 * hashes (protobuf pb included) with their four indexes. Pipelined writes.
 *
 * Usage: bench_api_populate <redis port> <vehicles> <violations> <days>
 * Vehicle i has phone 13000000000+i and plate 苏<letter><5 digits> as mix.lua computes them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hiredis/hiredis.h>

#include "fleetwatch.pb-c.h"

#define PIPELINE 2000 /* commands in flight before reading replies */

static const char *const types[] = {"speeding",  "overload", "route_deviation", "forbidden_zone",
                                    "night_ban", "fatigue",  "fatigue_daily",   "terminal_alarm"};
static const char *const severities[] = {"warning", "minor", "serious", "severe"};
static const char plate_letters[] = "ABCDEFGHJKLMN";

static redisContext *ctx;
static unsigned queued;

static void drain(unsigned keep)
{
    while (queued > keep) {
        redisReply *r = NULL;
        if (redisGetReply(ctx, (void **)&r) != REDIS_OK || r->type == REDIS_REPLY_ERROR) {
            fprintf(stderr, "redis: %s\n", r ? r->str : ctx->errstr);
            exit(1);
        }
        freeReplyObject(r);
        queued--;
    }
}

static void append(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    redisvAppendCommand(ctx, fmt, ap);
    va_end(ap);
    if (++queued >= PIPELINE)
        drain(0);
}

static void vehicle_names(unsigned i, char *phone, char *plate)
{
    sprintf(phone, "%llu", 13000000000ULL + i);
    sprintf(plate, "苏%c%05u", plate_letters[(i / 100000) % 13], i % 100000);
}

static void put_vehicle(unsigned i, long now)
{
    char phone[24], plate[32], lat[24], lon[24], t[24];
    vehicle_names(i, phone, plate);
    snprintf(lat, sizeof lat, "%.6f", 31.6 + (rand() % 900000) / 1e6);
    snprintf(lon, sizeof lon, "%.6f", 118.4 + (rand() % 900000) / 1e6);
    snprintf(t, sizeof t, "%ld", now - rand() % 60);
    append("HSET fw:veh:%s plate %s class %s lat %s lon %s speed_kmh %d.%d course %d "
           "altitude_m 15 gnss_time %s recv_time %s alarm 0 status 3 mileage_km 81234.5 "
           "load_kg %s passengers %s online 1 node bench",
           phone, plate, i % 2 ? "tour_coach" : "dangerous_goods", lat, lon, rand() % 100,
           rand() % 10, rand() % 360, t, t, "", "");
    append("SET fw:plate:%s %s", plate, phone);
    append("GEOADD fw:geo %s %s %s", lon, lat, phone);
}

static void put_violation(unsigned k, unsigned vehicles, long now, unsigned days)
{
    char phone[24], plate[32], id[96];
    unsigned v = (unsigned)rand() % vehicles;
    vehicle_names(v, phone, plate);
    const char *type = types[rand() % 8], *sev = severities[rand() % 4];
    long start = now - (long)((unsigned)rand() % (days * 86400u));
    long end = k % 10 == 0 ? 0 : start + 60 + rand() % 3600;
    snprintf(id, sizeof id, "%s-%s-%ld-%u", phone, type, start, k);
    Fleetwatch__EvidencePoint e = FLEETWATCH__EVIDENCE_POINT__INIT, *ev[3] = {&e, &e, &e};
    e.gnss_time = start;
    e.lat_e6 = 32060300;
    e.lon_e6 = 118796900;
    e.speed_dkmh = 1010;
    e.role = "peak";
    Fleetwatch__Violation p = FLEETWATCH__VIOLATION__INIT;
    p.id = id;
    p.type = (char *)type;
    p.state = end ? "closed" : "opened";
    p.severity = (char *)sev;
    p.phone = phone;
    p.plate = plate;
    p.plate_color = 2;
    p.vehicle_class = "tour_coach";
    p.start_time = start;
    p.end_time = end;
    p.value = 1010; /* as the speeding rule stores it; the API shows km/h */
    p.limit = 800;
    p.unit = "0.1km/h";
    p.start_lat_e6 = 32060300;
    p.start_lon_e6 = 118796900;
    p.end_lat_e6 = 32070300;
    p.end_lon_e6 = 118806900;
    p.n_evidence = 3;
    p.evidence = ev;
    uint8_t buf[1024];
    size_t n = fleetwatch__violation__pack(&p, buf);
    append("HSET fw:vio:%s id %s type %s state %s phone %s plate %s severity %s start_time %ld "
           "end_time %ld value 1010 limit 800 unit 0.1km/h ev_order 1 pb %b",
           id, id, type, p.state, phone, plate, sev, start, end, buf, n);
    append("ZADD fw:vio:by_time %ld %s", start, id);
    append("ZADD fw:vio:by_vehicle:%s %ld %s", phone, start, id);
    append("ZADD fw:vio:by_type:%s %ld %s", type, start, id);
    append("ZADD fw:vio:by_plate:%s %ld %s", plate, start, id);
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: %s <redis port> <vehicles> <violations> <days>\n", argv[0]);
        return 2;
    }
    unsigned vehicles = (unsigned)atoi(argv[2]), violations = (unsigned)atoi(argv[3]);
    unsigned days = (unsigned)atoi(argv[4]);
    ctx = redisConnect("127.0.0.1", atoi(argv[1]));
    if (ctx == NULL || ctx->err || vehicles == 0 || days == 0) {
        fprintf(stderr, "cannot connect to redis or bad arguments\n");
        return 1;
    }
    srand(42);
    long now = (long)time(NULL);
    for (unsigned i = 0; i < vehicles; i++)
        put_vehicle(i, now);
    for (unsigned k = 0; k < violations; k++)
        put_violation(k, vehicles, now, days);
    drain(0);
    printf("populated %u vehicles, %u violations over %u days\n", vehicles, violations, days);
    redisFree(ctx);
    return 0;
}
