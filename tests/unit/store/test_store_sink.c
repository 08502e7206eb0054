/* test_store_sink.c - the Redis sink against a real redis-server: positions land in fw:veh,
 * fw:geo and fw:track with GNSS-time ids, late points in the late set, replays are not
 * duplicated, AUTH/SELECT work, and records survive Redis being down (spool, replay, restart).
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "fleetwatch.pb-c.h"
#include "position.h"
#include "store_harness.h"
#include "store_script.h"

#define T0         1700000000LL /* 2023-11-14T22:13:20Z */
#define PHONE      "13800000001"
#define LATE_PHONE "13800000007"

static int setup(void **state)
{
    static sh_env env;
    memset(&env, 0, sizeof env);
    env.base = event_base_new();
    if (!env.base || rf_start(&env.redis, NULL) < 0)
        return -1;
    sh_config(&env);
    *state = &env;
    return 0;
}

static int teardown(void **state)
{
    sh_env *e = *state;
    sh_close(e);
    rf_destroy(&e->redis);
    event_base_free(e->base);
    return 0;
}

static long long xlen(sh_env *e, const char *phone)
{
    return rf_int(&e->redis, "XLEN fw:track:%s", phone);
}

/* How many duplicate checks (XRANGE) Redis ran since it started. */
static long long duplicate_checks(sh_env *e)
{
    redisReply *r = rf_cmd(&e->redis, "INFO commandstats");
    assert_non_null(r);
    const char *at = strstr(r->str, "cmdstat_xrange:calls=");
    long long n = at ? atoll(at + strlen("cmdstat_xrange:calls=")) : 0;
    freeReplyObject(r);
    return n;
}

/* Whether /metrics' store part has this exact line. */
static bool metric_line(sh_env *e, const char *line)
{
    char text[8192], want[160];
    size_t n = fw_store_render_prometheus(e->st, text, sizeof text);
    assert_true(n < sizeof text);
    snprintf(want, sizeof want, "\n%s\n", line);
    return strstr(text, want) != NULL;
}

static void a_position_record_has_the_scripts_argument_count(void **state)
{
    (void)state;
    static const struct {
        char kind;
        unsigned nargs;
    } kinds[] = {
#define KIND_ROW(name, letter, nargs) {FW_REC_KIND_CHAR(letter), nargs},
        FW_REC_KIND_LIST(KIND_ROW)
#undef KIND_ROW
    };
    fw_store_config cfg;
    fw_store_config_defaults(&cfg);
    jt_location loc;
    fw_location_rec rec;
    fw_position pos;
    fw_rec r;
    sh_location(&loc, T0, -33868800, 151209300); /* south and east */
    sh_record(&rec, &pos, PHONE, &loc, T0 * 1000 + 7);
    fw_position_record(&r, &cfg, &rec);
    assert_true(fw_rec_ok(&r));
    assert_int_equal(*fw_rec_kind(&r), 'P');
    assert_int_equal(r.nargs, 1 + kinds[0].nargs);
    assert_non_null(memmem(r.buf, r.len, "$10\r\n-33.868800\r\n", 17));
    fw_rec_mark_replayed(&r);
    assert_int_equal(*fw_rec_kind(&r), kinds[1].kind);
    assert_int_equal(kinds[1].nargs, kinds[0].nargs);
}

/* fw:veh load_kg and passengers come from the configured items (of the position config the
 * gateway interprets with), empty when not configured. */
static void a_position_record_carries_the_configured_items(void **state)
{
    (void)state;
    static const uint8_t items[] = {0xE1, 4, 0x00, 0x00, 0x30, 0x39, 0xE2, 2, 0x00, 0x21};
    fw_store_config cfg;
    fw_store_config_defaults(&cfg);
    jt_location loc;
    fw_location_rec rec;
    fw_position pos;
    fw_rec r;
    sh_location(&loc, T0, 39904200, 116407400);
    loc.items = (jt_bytes){.p = items, .len = sizeof items};
    sh_record(&rec, &pos, PHONE, &loc, T0 * 1000);
    fw_position_record(&r, &cfg, &rec);
    assert_true(fw_rec_ok(&r));
    /* the record ends with mileage_km, load_kg, passengers: no mileage, no items configured */
    assert_memory_equal(r.buf + r.len - 12, "$0\r\n\r\n$0\r\n\r\n", 12);
    fw_position_config pc = FW_POSITION_CONFIG_DEFAULT;
    pc.items = (fw_location_items){.load_id = 0xE1, .load_unit_kg = 10, .passengers_id = 0xE2};
    fw_position_from_location(&loc, &pc, &pos);
    fw_position_record(&r, &cfg, &rec);
    assert_true(fw_rec_ok(&r));
    static const char tail[] = "$6\r\n123450\r\n$2\r\n33\r\n";
    assert_memory_equal(r.buf + r.len - (sizeof tail - 1), tail, sizeof tail - 1);
}

static void positions_are_stored_with_gnss_ids(void **state)
{
    sh_env *e = *state;
    assert_true(sh_open(e));
    assert_true(sh_connected(e, 2000));
    for (int i = 0; i < 100; i++)
        assert_int_equal(sh_submit(e, PHONE, T0 + i, (T0 + i) * 1000 + 500), FW_SINK_QUEUED);
    assert_true(sh_run_until(e, &e->done_ok, 100, 3000));
    assert_int_equal(e->done_failed, 0);
    assert_int_equal(xlen(e, PHONE), 100);

    redisReply *r = rf_cmd(&e->redis, "XRANGE fw:track:%s - + COUNT 1", PHONE);
    assert_non_null(r);
    assert_int_equal(r->elements, 1);
    assert_string_equal(r->element[0]->element[0]->str, "1700000000000-0");
    const redisReply *fields = r->element[0]->element[1];
    assert_string_equal(fields->element[0]->str, "pb");
    Fleetwatch__Position *p = fleetwatch__position__unpack(
        NULL, fields->element[1]->len, (const uint8_t *)fields->element[1]->str);
    assert_non_null(p);
    assert_string_equal(p->phone, PHONE);
    assert_int_equal(p->gnss_time, T0);
    assert_int_equal(p->recv_time_ms, T0 * 1000 + 500);
    assert_int_equal(p->speed_dkmh, 625);
    assert_true(p->fixed);
    assert_int_equal(p->msg_id, 0x0200);
    fleetwatch__position__free_unpacked(p, NULL);
    freeReplyObject(r);

    r = rf_cmd(&e->redis, "HMGET fw:veh:%s lat lon speed_kmh gnss_time recv_time online node",
               PHONE);
    assert_non_null(r);
    assert_string_equal(r->element[0]->str, "39.904299"); /* last point: T0 + 99 */
    assert_string_equal(r->element[1]->str, "116.407400");
    assert_string_equal(r->element[2]->str, "62.5");
    assert_string_equal(r->element[3]->str, "1700000099");
    assert_string_equal(r->element[4]->str, "1700000099");
    assert_string_equal(r->element[5]->str, "1");
    assert_string_equal(r->element[6]->str, "test-node");
    freeReplyObject(r);
    r = rf_cmd(&e->redis, "GEOPOS fw:geo %s", PHONE);
    assert_non_null(r);
    assert_int_equal(r->element[0]->type, REDIS_REPLY_ARRAY);
    assert_true(strncmp(r->element[0]->element[0]->str, "116.4074", 8) == 0);
    freeReplyObject(r);

    fw_store_stats s;
    fw_store_stats_get(e->st, 0, &s);
    assert_int_equal(s.stored, 100);
    assert_true(s.commands < 100); /* batched: several positions per EVALSHA */
    assert_true(metric_line(e, "fleetwatch_store_stored_total 100"));
    assert_true(metric_line(e, "fleetwatch_store_redis_connected 1"));
    assert_true(metric_line(e, "fleetwatch_store_spool_bytes 0"));
    sh_close(e);
}

static void late_points_and_replays_land_once(void **state)
{
    sh_env *e = *state;
    e->cfg.reply_timeout_ms = 300;
    assert_true(sh_open(e));
    assert_true(sh_connected(e, 2000));
    sh_submit(e, LATE_PHONE, T0 + 10, (T0 + 10) * 1000);
    sh_submit(e, LATE_PHONE, T0 + 20, (T0 + 20) * 1000);
    assert_true(sh_run_until(e, &e->done_ok, 2, 2000));
    sh_submit(e, LATE_PHONE, T0 + 5, (T0 + 21) * 1000); /* late: older than the newest */
    assert_true(sh_run_until(e, &e->done_ok, 3, 2000));
    /* a lost reply: Redis hangs after receiving the batch, the writer times out and spools
     * it; Redis then applies it, and the replay must find every record already there */
    kill(e->redis.pid, SIGSTOP);
    sh_submit(e, LATE_PHONE, T0 + 6, (T0 + 22) * 1000);  /* late */
    sh_submit(e, LATE_PHONE, T0 + 20, (T0 + 23) * 1000); /* same second, another report */
    sh_submit(e, LATE_PHONE, T0 + 30, (T0 + 30) * 1000);
    assert_true(sh_run_until(e, &e->done_ok, 6, 1500));
    kill(e->redis.pid, SIGCONT);
    fw_store_stats s = {0};
    for (int i = 0; i < 300 && (s.replayed < 3 || s.spool_bytes); i++) {
        sh_run_ms(e, 10);
        fw_store_stats_get(e->st, 0, &s);
    }

    assert_int_equal(xlen(e, LATE_PHONE), 4);
    assert_int_equal(rf_int(&e->redis, "ZCARD fw:track:%s:late", LATE_PHONE), 2);
    assert_int_equal(rf_int(&e->redis, "ZCOUNT fw:track:%s:late %lld %lld", LATE_PHONE,
                            (T0 + 5) * 1000, (T0 + 6) * 1000),
                     2);
    redisReply *r = rf_cmd(&e->redis, "XRANGE fw:track:%s %lld %lld", LATE_PHONE, (T0 + 20) * 1000,
                           (T0 + 20) * 1000);
    assert_int_equal(r->elements, 2);
    assert_string_equal(r->element[1]->element[0]->str, "1700000020000-1");
    freeReplyObject(r);
    /* late points did not move the vehicle back */
    r = rf_cmd(&e->redis, "HGET fw:veh:%s gnss_time", LATE_PHONE);
    assert_string_equal(r->str, "1700000030");
    freeReplyObject(r);

    assert_int_equal(s.late, 1);           /* the first late point's reply */
    assert_int_equal(s.duplicates, 3);     /* the replays */
    assert_true(duplicate_checks(e) >= 3); /* a replay that times out is checked again */
    sh_close(e);
    e->cfg.reply_timeout_ms = 5000;
}

static void spool_keeps_records_while_redis_is_down(void **state)
{
    sh_env *e = *state;
    assert_true(sh_open(e));
    assert_true(sh_connected(e, 2000));
    rf_stop(&e->redis);
    sh_run_ms(e, 50);
    for (int i = 0; i < 50; i++)
        assert_int_equal(sh_submit(e, "13800000002", T0 + i, (T0 + i) * 1000), FW_SINK_QUEUED);
    /* acked once fsync'd, within spool_fsync_ms, without Redis */
    assert_true(sh_run_until(e, &e->done_ok, 50, 500));
    fw_store_stats s;
    fw_store_stats_get(e->st, 0, &s);
    assert_int_equal(s.spooled, 50);
    assert_false(s.connected);
    assert_true(s.spool_bytes > 0);
    char line[96];
    snprintf(line, sizeof line, "fleetwatch_store_spool_bytes %llu",
             (unsigned long long)s.spool_bytes);
    assert_true(metric_line(e, line));
    assert_true(metric_line(e, "fleetwatch_store_spooled_total 50"));
    assert_true(metric_line(e, "fleetwatch_store_redis_connected 0"));

    assert_int_equal(rf_restart(&e->redis), 0);
    for (int i = 0; i < 300 && s.spool_bytes; i++) {
        sh_run_ms(e, 10);
        fw_store_stats_get(e->st, 0, &s);
    }
    assert_int_equal(s.spool_bytes, 0);
    assert_int_equal(s.replayed, 50);
    assert_int_equal(xlen(e, "13800000002"), 50);
    assert_int_equal(duplicate_checks(e), 0); /* never sent before: nothing to check */
    assert_true(metric_line(e, "fleetwatch_store_replayed_total 50"));
    assert_true(metric_line(e, "fleetwatch_store_spool_bytes 0"));
    sh_close(e);
}

/* A spool entry damaged on disk: replay stops there, the rest is given up and counted, the
 * spool is emptied and new positions go to Redis again. */
static void an_unreadable_spool_is_cut_and_counted(void **state)
{
    sh_env *e = *state;
    const char *phone = "13800000011";
    assert_true(sh_open(e));
    assert_true(sh_connected(e, 2000));
    rf_stop(&e->redis);
    sh_run_ms(e, 50);
    for (int i = 0; i < 50; i++)
        assert_int_equal(sh_submit(e, phone, T0 + i, (T0 + i) * 1000), FW_SINK_QUEUED);
    assert_true(sh_run_until(e, &e->done_ok, 50, 500));
    fw_store_stats s;
    fw_store_stats_get(e->st, 0, &s);
    char path[300];
    snprintf(path, sizeof path, "%s/spool-0.fws", e->cfg.spool_dir);
    int fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    uint64_t size = s.spool_bytes, middle = size / 2;
    assert_true(pwrite(fd, "\xff\xff", 2, (off_t)middle) == 2);
    close(fd);

    assert_int_equal(rf_restart(&e->redis), 0);
    for (int i = 0; i < 300 && s.spool_bytes; i++) {
        sh_run_ms(e, 10);
        fw_store_stats_get(e->st, 0, &s);
    }
    assert_int_equal(s.spool_bytes, 0);
    assert_true(s.replayed > 0 && s.replayed < 50); /* the entries before the damage */
    /* from the damaged entry's start (at most `middle`) to the end */
    assert_true(s.spool_dropped_bytes >= size - middle && s.spool_dropped_bytes < size);
    assert_int_equal(xlen(e, phone), (long long)s.replayed);
    char line[96];
    snprintf(line, sizeof line, "fleetwatch_store_spool_dropped_bytes_total %llu",
             (unsigned long long)s.spool_dropped_bytes);
    assert_true(metric_line(e, line));
    unsigned before = e->done_ok;
    assert_int_equal(sh_submit(e, phone, T0 + 100, (T0 + 100) * 1000), FW_SINK_QUEUED);
    assert_true(sh_run_until(e, &e->done_ok, before + 1, 2000));
    assert_int_equal(xlen(e, phone), (long long)s.replayed + 1);
    sh_close(e);
}

static void spool_is_replayed_by_the_next_run(void **state)
{
    sh_env *e = *state;
    assert_true(sh_open(e));
    assert_true(sh_connected(e, 2000));
    rf_stop(&e->redis);
    sh_run_ms(e, 50);
    for (int i = 0; i < 30; i++)
        sh_submit(e, "13800000003", T0 + i, (T0 + i) * 1000);
    assert_true(sh_run_until(e, &e->done_ok, 30, 500));
    sh_close(e); /* "crash": the spool is left behind */

    assert_int_equal(rf_restart(&e->redis), 0);
    assert_true(sh_open(e));
    fw_store_stats s = {0};
    for (int i = 0; i < 300 && s.replayed < 30; i++) {
        sh_run_ms(e, 10);
        fw_store_stats_get(e->st, 0, &s);
    }
    assert_int_equal(s.replayed, 30);
    assert_int_equal(xlen(e, "13800000003"), 30);
    assert_int_equal(duplicate_checks(e), 30); /* the previous run may have replayed some */
    sh_close(e);
}

static void over_the_queue_bound_records_keep_their_order(void **state)
{
    sh_env *e = *state;
    unsigned queue_max = e->cfg.queue_max;
    e->cfg.queue_max = 8;
    assert_true(sh_open(e));
    assert_true(sh_connected(e, 2000));
    for (int i = 0; i < 200; i++)
        assert_int_equal(sh_submit(e, "13800000004", T0 + i, (T0 + i) * 1000), FW_SINK_QUEUED);
    assert_true(sh_run_until(e, &e->done_ok, 200, 3000));
    fw_store_stats s;
    fw_store_stats_get(e->st, 0, &s);
    for (int i = 0; i < 300 && s.spool_bytes; i++) {
        sh_run_ms(e, 10);
        fw_store_stats_get(e->st, 0, &s);
    }
    assert_true(s.spooled >= 190);
    assert_int_equal(s.spool_bytes, 0);
    assert_int_equal(xlen(e, "13800000004"), 200);
    assert_int_equal(rf_int(&e->redis, "EXISTS fw:track:13800000004:late"), 0);
    sh_close(e);
    e->cfg.queue_max = queue_max;
}

static void full_spool_refuses(void **state)
{
    sh_env *e = *state;
    e->cfg.spool_max_mb = 1;
    assert_true(sh_open(e));
    assert_true(sh_connected(e, 2000));
    rf_stop(&e->redis);
    sh_run_ms(e, 50);
    int accepted = 0;
    while (accepted < 100000 && sh_submit(e, "13800000005", T0 + accepted, T0 * 1000) == 0)
        accepted++;
    assert_true(accepted > 1000 && accepted < 100000);
    assert_true(sh_run_until(e, &e->done_ok, (unsigned)accepted, 1000));
    fw_store_stats s;
    fw_store_stats_get(e->st, 0, &s);
    assert_int_equal(s.refused, 1);
    assert_true(s.spool_bytes <= 1u << 20);

    assert_int_equal(rf_restart(&e->redis), 0);
    for (int i = 0; i < 500 && s.spool_bytes; i++) {
        sh_run_ms(e, 10);
        fw_store_stats_get(e->st, 0, &s);
    }
    assert_int_equal(s.spool_bytes, 0);
    assert_int_equal(xlen(e, "13800000005"), accepted);
    sh_close(e);
    e->cfg.spool_max_mb = 1024;
}

static void a_hung_redis_times_out_to_the_spool(void **state)
{
    sh_env *e = *state;
    e->cfg.reply_timeout_ms = 300;
    assert_true(sh_open(e));
    assert_true(sh_connected(e, 2000));
    kill(e->redis.pid, SIGSTOP); /* accepts TCP, never answers */
    for (int i = 0; i < 40; i++)
        sh_submit(e, "13800000010", T0 + i, (T0 + i) * 1000);
    /* no reply within 300 ms: the records move to the spool and are acked from there, and
     * reconnects that never finish their handshake are dropped as well */
    assert_true(sh_run_until(e, &e->done_ok, 40, 1500));
    sh_run_ms(e, 800);
    fw_store_stats s;
    fw_store_stats_get(e->st, 0, &s);
    assert_int_equal(s.spooled, 40);
    kill(e->redis.pid, SIGCONT);
    for (int i = 0; i < 300 && (s.spool_bytes || !s.connected); i++) {
        sh_run_ms(e, 10);
        fw_store_stats_get(e->st, 0, &s);
    }
    assert_int_equal(s.spool_bytes, 0);
    assert_int_equal(xlen(e, "13800000010"), 40); /* replayed once: applied ones are found */
    assert_true(duplicate_checks(e) >= 40);       /* sent without a reply: each one checked */
    sh_close(e);
    e->cfg.reply_timeout_ms = 5000;
}

static void bad_phone_fails_alone(void **state)
{
    sh_env *e = *state;
    assert_true(sh_open(e));
    assert_true(sh_connected(e, 2000));
    sh_submit(e, "13x", T0, T0 * 1000);
    sh_submit(e, "13800000006", T0, T0 * 1000);
    assert_int_equal(e->done_failed, 1); /* completed inside submit */
    assert_true(sh_run_until(e, &e->done_ok, 1, 2000));
    assert_int_equal(xlen(e, "13800000006"), 1);
    sh_close(e);
}

/* The police API finds a vehicle by plate through fw:plate:<plate> -> phone. */
static void the_plate_index_names_the_phone(void **state)
{
    sh_env *e = *state;
    assert_true(sh_open(e));
    assert_true(sh_connected(e, 2000));
    fw_vehicle veh = {.plate = "苏G12345"};
    jt_location loc;
    fw_location_rec rec;
    fw_position pos;
    sh_location(&loc, T0, 34600000, 119220000);
    sh_record(&rec, &pos, "13800000077", &loc, T0 * 1000); /* a phone no other test uses */
    rec.vehicle = &veh;
    assert_int_equal(e->sink->ops->submit(e->sink, &rec, sh_done, e), FW_SINK_QUEUED);
    assert_true(sh_run_until(e, &e->done_ok, 1, 2000));
    redisReply *r = rf_cmd(&e->redis, "GET fw:plate:%s", "苏G12345");
    assert_non_null(r);
    assert_int_equal(r->type, REDIS_REPLY_STRING);
    assert_string_equal(r->str, "13800000077");
    freeReplyObject(r);
    sh_close(e);
}

/* Position.fixed of the newest fw:track entry of phone, and whether fw:geo has the phone. */
static bool stored_fixed(sh_env *e, const char *phone, bool *in_geo)
{
    redisReply *r = rf_cmd(&e->redis, "XREVRANGE fw:track:%s + - COUNT 1", phone);
    assert_non_null(r);
    assert_int_equal(r->elements, 1);
    const redisReply *pb = r->element[0]->element[1]->element[1];
    Fleetwatch__Position *p = fleetwatch__position__unpack(NULL, pb->len, (const uint8_t *)pb->str);
    assert_non_null(p);
    bool fixed = p->fixed;
    fleetwatch__position__free_unpacked(p, NULL);
    freeReplyObject(r);
    r = rf_cmd(&e->redis, "GEOPOS fw:geo %s", phone);
    assert_non_null(r);
    *in_geo = r->element[0]->type == REDIS_REPLY_ARRAY;
    freeReplyObject(r);
    return fixed;
}

/* The stored fixed flag and the fw:geo set follow the one fix definition (position.h): the
 * status bit alone is not a fix without a valid time or with (0, 0); a fix beyond the
 * latitudes Redis GEO accepts is stored fixed but stays out of fw:geo. */
static void the_geo_set_and_the_fixed_flag_follow_the_one_fix(void **state)
{
    sh_env *e = *state;
    assert_true(sh_open(e));
    assert_true(sh_connected(e, 2000));
    static const struct {
        const char *phone;
        int32_t lat_e6, lon_e6;
        bool bad_time, fixed, in_geo;
    } cases[] = {
        {"13800000081", 34600000, 119220000, false, true, true},
        {"13800000082", 34600000, 119220000, true, false, false},
        {"13800000083", 0, 0, false, false, false},
        {"13800000084", 86000000, 119220000, false, true, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        jt_location loc;
        fw_location_rec rec;
        fw_position pos;
        sh_location(&loc, T0, cases[i].lat_e6, cases[i].lon_e6);
        if (cases[i].bad_time)
            loc.time_err = JT_ERR_BAD_TIME;
        sh_record(&rec, &pos, cases[i].phone, &loc, T0 * 1000);
        assert_int_equal(e->sink->ops->submit(e->sink, &rec, sh_done, e), FW_SINK_QUEUED);
    }
    assert_true(sh_run_until(e, &e->done_ok, 4, 2000));
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bool in_geo;
        assert_int_equal(stored_fixed(e, cases[i].phone, &in_geo), cases[i].fixed);
        assert_int_equal(in_geo, cases[i].in_geo);
    }
    sh_close(e);
}

static void submit_serial(sh_env *e, const char *phone, const fw_vehicle *veh, uint16_t serial,
                          bool session_first, int64_t t_utc)
{
    jt_location loc;
    fw_location_rec rec;
    fw_position pos;
    sh_location(&loc, t_utc, 34600000 + (int32_t)serial, 119220000);
    sh_record(&rec, &pos, phone, &loc, t_utc * 1000);
    rec.vehicle = veh;
    rec.serial = serial;
    rec.session_first = session_first;
    assert_int_equal(e->sink->ops->submit(e->sink, &rec, sh_done, e), FW_SINK_QUEUED);
}

static void assert_vehicle(sh_env *e, const char *phone, const char *lat, const char *plate,
                           const char *online, const char *plate_phone)
{
    redisReply *r = rf_cmd(&e->redis, "HMGET fw:veh:%s lat plate online", phone);
    assert_non_null(r);
    assert_string_equal(r->element[0]->str, lat);
    assert_string_equal(r->element[1]->str, plate);
    assert_string_equal(r->element[2]->str, online);
    freeReplyObject(r);
    r = rf_cmd(&e->redis, "GET fw:plate:%s", "苏G54321");
    assert_non_null(r);
    if (plate_phone)
        assert_string_equal(r->str, plate_phone);
    else
        assert_int_equal(r->type, REDIS_REPLY_NIL);
    freeReplyObject(r);
}

/* The static fields (plate, class, online, node) and fw:plate come with a connection's first
 * position and every FW_POSITION_REFRESH_SERIALS-th serial; the moving fields with every one. */
static void static_fields_are_refreshed_not_rewritten(void **state)
{
    sh_env *e = *state;
    const char *phone = "13800000078";
    fw_vehicle veh = {.plate = "苏G54321"};
    assert_true(sh_open(e));
    assert_true(sh_connected(e, 2000));
    submit_serial(e, phone, &veh, 7, true, T0);
    assert_true(sh_run_until(e, &e->done_ok, 1, 2000));
    assert_vehicle(e, phone, "34.600007", "苏G54321", "1", phone);

    freeReplyObject(rf_cmd(&e->redis, "HSET fw:veh:%s plate edited online 0", phone));
    freeReplyObject(rf_cmd(&e->redis, "DEL fw:plate:%s", "苏G54321"));
    submit_serial(e, phone, &veh, 8, false, T0 + 1);
    assert_true(sh_run_until(e, &e->done_ok, 2, 2000));
    assert_vehicle(e, phone, "34.600008", "edited", "0", NULL);

    submit_serial(e, phone, &veh, 2 * FW_POSITION_REFRESH_SERIALS, false, T0 + 2);
    assert_true(sh_run_until(e, &e->done_ok, 3, 2000));
    assert_vehicle(e, phone, "34.600064", "苏G54321", "1", phone);
    assert_int_equal(xlen(e, phone), 3);
    sh_close(e);
}

static void a_wrong_type_key_fails_its_record_only(void **state)
{
    sh_env *e = *state;
    freeReplyObject(rf_cmd(&e->redis, "SET fw:veh:13800000008 not-a-hash"));
    assert_true(sh_open(e));
    assert_true(sh_connected(e, 2000));
    sh_submit(e, "13800000008", T0, T0 * 1000);
    sh_submit(e, "13800000009", T0, T0 * 1000);
    assert_true(sh_run_until(e, &e->done_ok, 1, 2000));
    assert_true(sh_run_until(e, &e->done_failed, 1, 2000));
    assert_int_equal(e->done_ok, 1);
    assert_int_equal(rf_int(&e->redis, "EXISTS fw:veh:13800000009"), 1);
    sh_close(e);
}

static void password_and_database_options(void **state)
{
    (void)state;
    sh_env env;
    memset(&env, 0, sizeof env);
    env.base = event_base_new();
    assert_int_equal(rf_start(&env.redis, "s3cret"), 0);
    sh_config(&env);
    env.cfg.redis_db = 3;
    assert_true(sh_open(&env));
    assert_true(sh_connected(&env, 2000));
    sh_submit(&env, PHONE, T0, T0 * 1000);
    assert_true(sh_run_until(&env, &env.done_ok, 1, 2000));
    assert_int_equal(rf_int(&env.redis, "EXISTS fw:veh:%s", PHONE), 0); /* not in db 0 */
    redisContext *c = rf_connect(&env.redis);
    freeReplyObject(redisCommand(c, "SELECT 3"));
    redisReply *r = redisCommand(c, "XLEN fw:track:%s", PHONE);
    assert_int_equal(r->integer, 1);
    freeReplyObject(r);
    redisFree(c);
    sh_close(&env);

    snprintf(env.cfg.redis_password, sizeof env.cfg.redis_password, "wrong");
    assert_true(sh_open(&env));
    assert_false(sh_connected(&env, 300));
    sh_close(&env);
    rf_destroy(&env.redis);
    event_base_free(env.base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_position_record_has_the_scripts_argument_count),
        cmocka_unit_test(a_position_record_carries_the_configured_items),
        cmocka_unit_test(positions_are_stored_with_gnss_ids),
        cmocka_unit_test(an_unreadable_spool_is_cut_and_counted),
        cmocka_unit_test(late_points_and_replays_land_once),
        cmocka_unit_test(spool_keeps_records_while_redis_is_down),
        cmocka_unit_test(spool_is_replayed_by_the_next_run),
        cmocka_unit_test(over_the_queue_bound_records_keep_their_order),
        cmocka_unit_test(full_spool_refuses),
        cmocka_unit_test(a_hung_redis_times_out_to_the_spool),
        cmocka_unit_test(bad_phone_fails_alone),
        cmocka_unit_test(a_wrong_type_key_fails_its_record_only),
        cmocka_unit_test(the_plate_index_names_the_phone),
        cmocka_unit_test(the_geo_set_and_the_fixed_flag_follow_the_one_fix),
        cmocka_unit_test(static_fields_are_refreshed_not_rewritten),
        cmocka_unit_test(password_and_database_options),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
