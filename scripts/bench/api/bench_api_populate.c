/* bench_api_populate.c - fills a Redis with a fleet for the API benchmark
 * (scripts/bench_api.sh) through the real store (store_feed.h), so that the API reads what
 * fleetwatch writes: per vehicle one position (fw:veh:<phone>, fw:plate:<plate>, fw:geo,
 * fw:track:<phone>), then violation events (fw:vio:<id>, its indexes, fw:violations).
 *
 * Usage: bench_api_populate <redis port> <vehicles> <violations> <days> [first]
 * first (default 0): number of the first violation; above 0 the vehicles' positions are not
 * written again and the violations differ from those of an earlier run from 0, so a second run
 * adds to the first (scripts/bench_stats.sh). Vehicle i has phone 13000000000+i and plate
 * 苏<letter><5 digits> as mix.lua computes them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_feed.h"

#define FLUSH_EVERY 20000 /* records queued before waiting for Redis */

static const char plate_letters[] = "ABCDEFGHJKLMN";

static void vehicle_of(unsigned i, fw_vehicle *v)
{
    memset(v, 0, sizeof *v);
    snprintf(v->phone, sizeof v->phone, "%llu", 13000000000ULL + i);
    snprintf(v->plate, sizeof v->plate, "苏%c%05u", plate_letters[(i / 100000) % 13], i % 100000);
    v->plate_color = 2;
    v->vclass = i % 2 ? FW_CLASS_TOUR_COACH : FW_CLASS_DANGEROUS_GOODS;
}

static int put_vehicle(store_feed *f, unsigned i, long now)
{
    fw_vehicle v;
    vehicle_of(i, &v);
    jt_location loc;
    memset(&loc, 0, sizeof loc);
    loc.status = JT_STATUS_ACC_ON | JT_STATUS_FIXED;
    loc.lat_e6 = 31600000 + rand() % 900000;
    loc.lon_e6 = 118400000 + rand() % 900000;
    loc.speed_dkmh = (uint16_t)(rand() % 1000);
    loc.course_deg = (uint16_t)(rand() % 360);
    loc.altitude_m = 15;
    loc.time_utc = now - rand() % 60;
    loc.time_err = JT_OK;
    return store_feed_position(f, &v, &loc, loc.time_utc * 1000, true, false);
}

/* A speeding-shaped event (101.0 km/h against 80) of a random vehicle; one in ten still open. */
static int put_violation(store_feed *f, unsigned k, unsigned vehicles, long now, unsigned days)
{
    fw_vehicle reg;
    vehicle_of((unsigned)rand() % vehicles, &reg);
    fw_vehicle_profile profile;
    fw_profile_from_registry(&reg, &profile);
    int64_t start = now - (long)((unsigned)rand() % (days * 86400u));
    int64_t end = start + 60 + rand() % 3600;
    fw_violation v = {.phase = k % 10 == 0 ? FW_EVENT_OPENED : FW_EVENT_CLOSED,
                      .type = (fw_violation_type)(rand() % FW_VIOLATION__COUNT),
                      .severity = (fw_severity)(rand() % FW_SEVERITY__COUNT),
                      .vehicle = &profile,
                      .start_utc = start,
                      .end_utc = end,
                      .first = {start, 32060300, 118796900, 1010},
                      .peak = {start + 30, 32065300, 118801900, 1010},
                      .last = {end, 32070300, 118806900, 900},
                      .value = 1010,
                      .limit = 800,
                      .mean_value = 950,
                      .unit = "0.1km/h"};
    snprintf(v.id, sizeof v.id, "%s-%s-%lld-%u", reg.phone, fw_violation_name(v.type),
             (long long)start, k);
    return store_feed_violation(f, &v);
}

int main(int argc, char **argv)
{
    if (argc != 5 && argc != 6) {
        fprintf(stderr, "usage: %s <redis port> <vehicles> <violations> <days> [first]\n", argv[0]);
        return 2;
    }
    unsigned vehicles = (unsigned)atoi(argv[2]), violations = (unsigned)atoi(argv[3]);
    unsigned days = (unsigned)atoi(argv[4]), first = argc == 6 ? (unsigned)atoi(argv[5]) : 0;
    char err[256];
    store_feed *f = vehicles && days
                        ? store_feed_open((unsigned)atoi(argv[1]), "", "bench", err, sizeof err)
                        : NULL;
    if (!f) {
        fprintf(stderr, "bench_api_populate: %s\n", vehicles && days ? err : "bad arguments");
        return 1;
    }
    srand(42 + first);
    long now = (long)time(NULL);
    int rc = 0;
    for (unsigned i = first ? vehicles : 0; i < vehicles + violations && rc == 0; i++) {
        rc = i < vehicles ? put_vehicle(f, i, now)
                          : put_violation(f, first + i - vehicles, vehicles, now, days);
        if (rc == 0 && (i + 1) % FLUSH_EVERY == 0)
            rc = store_feed_flush(f, 60000);
    }
    if (rc == 0)
        rc = store_feed_flush(f, 60000);
    store_feed_close(f);
    if (rc != 0) {
        fprintf(stderr, "bench_api_populate: the store did not confirm every write\n");
        return 1;
    }
    printf("populated %u vehicles, %u violations over %u days\n", vehicles, violations, days);
    return 0;
}
