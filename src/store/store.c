/* store.c - the fw_store object (store.h): options, the per-worker writer table, counters
 * (summed for fw_store_stats_get and rendered for /metrics), and the small per-vehicle writes
 * (offline mark, rule state save and load).
 */
#include "store_internal.h"

#include <stdio.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fw/base/prom.h"

#include "fleetwatch.pb-c.h"
#include "fw/base/log.h"
#include "store_script.h"

/* ---- options ----------------------------------------------------------------------------- */

/* An unsigned field of fw_store_config within [lo, hi]. */
#define U(m, lo, hi, dflt, text) FW_OPT_UINT_ROW(fw_store_config, m, lo, hi, dflt, text)
#define S(m, dflt, text)         FW_OPT_STR_ROW(fw_store_config, m, dflt, text)

static const fw_option store_rows[] = {
    S(redis_host, "127.0.0.1", "Redis host (IPv4 address or name)"),
    U(redis_port, 1, 65535, "6379", "Redis TCP port"),
    S(redis_user, "", "ACL user for AUTH (with redis_password), empty = default user"),
    S(redis_password, "", "AUTH password, empty = none"),
    U(redis_db, 0, UINT_MAX, "0", "database index (SELECT), 0 = default"),
    S(node, "fleetwatch", "this node's name, written to fw:veh:<phone> node"),
    U(track_retention_days, 0, UINT_MAX, "180",
      "fw:track:<phone> retention (regulation: >= 6 months)"),
    U(violation_retention_days, 0, UINT_MAX, "1095", "violation events and records retention"),
    U(rstate_ttl_days, 0, UINT_MAX, "30", "rule state kept this long after its last save"),
    U(queue_max, 1, UINT_MAX, "16384", "records in flight to Redis per worker; beyond: spool"),
    U(batch_max, 1, UINT_MAX, "64", "records per EVALSHA command"),
    U(reply_timeout_ms, 0, UINT_MAX, "5000", "no reply for this long: reconnect, spool the rest"),
    U(reconnect_min_ms, 1, UINT_MAX, "100", "first reconnect delay, doubled per failure"),
    U(reconnect_max_ms, 0, UINT_MAX, "5000", "longest reconnect delay"),
    S(spool_dir, "/var/lib/fleetwatch/spool", "directory of the spool files, one per worker"),
    U(spool_max_mb, 1, UINT_MAX, "1024",
      "spool size per worker; full: locations are refused, not acked"),
    U(spool_fsync_ms, 1, 50, "20", "spooled records are fsync'd and acked within this"),
};
#undef S
#undef U

const fw_opt_table fw_store_options = FW_OPT_TABLE(store_rows);

void fw_store_config_defaults(fw_store_config *c)
{
    memset(c, 0, sizeof *c);
    (void)fw_opt_defaults(&fw_store_options, c);
}

int fw_store_config_set(fw_store_config *c, const char *key, const char *value, char *err,
                        size_t errcap)
{
    return fw_opt_set(&fw_store_options, c, key, value, err, errcap) == 0 ? 0 : -1;
}

static int config_check(const fw_store_config *c, char *err, size_t errcap)
{
    const char *bad = NULL;
    if (c->redis_port == 0 || c->redis_port > 65535)
        bad = "redis_port must be 1..65535";
    else if (c->queue_max == 0 || c->batch_max == 0)
        bad = "queue_max and batch_max must be positive";
    else if (c->spool_fsync_ms == 0 || c->spool_fsync_ms > 50)
        bad = "spool_fsync_ms must be 1..50";
    else if (c->reconnect_min_ms == 0 || c->reconnect_max_ms < c->reconnect_min_ms)
        bad = "reconnect_min_ms must be positive and <= reconnect_max_ms";
    else if (c->spool_max_mb == 0 || !c->spool_dir[0])
        bad = "spool_dir and spool_max_mb are required";
    if (bad)
        snprintf(err, errcap, "%s", bad);
    return bad ? -1 : 0;
}

/* ---- the store --------------------------------------------------------------------------- */

fw_store *fw_store_new(const fw_store_config *cfg, unsigned workers, char *err, size_t errcap)
{
    if (config_check(cfg, err, errcap) < 0)
        return NULL;
    fw_store *st = calloc(1, sizeof *st);
    fw_writer **writers = calloc(workers ? workers : 1, sizeof *writers);
    if (!st || !writers) {
        free(st);
        free(writers);
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    st->cfg = *cfg;
    st->workers = workers;
    st->writers = writers;
    return st;
}

void fw_store_free(fw_store *st)
{
    if (!st)
        return;
    free(st->writers);
    free(st);
}

fw_writer *fw_store_writer(fw_store *st, unsigned worker)
{
    return st && worker < st->workers ? st->writers[worker] : NULL;
}

static void stats_add(fw_store_stats *sum, const fw_store_stats *s)
{
#define FW_STORE_STATS_ADD(name, help) sum->name += s->name;
    FW_STORE_COUNTER_LIST(FW_STORE_STATS_ADD)
#undef FW_STORE_STATS_ADD
    sum->spool_bytes += s->spool_bytes;
    sum->connected += s->connected;
}

int fw_store_worker_open(fw_store *st, struct event_base *base, unsigned worker)
{
    char err[256];
    if (worker >= st->workers || st->writers[worker]) {
        FW_LOG_ERROR("store: worker %u out of range or already open", worker);
        return -1;
    }
    st->writers[worker] = fw_writer_new(&st->cfg, base, worker, err, sizeof err);
    if (!st->writers[worker]) {
        FW_LOG_ERROR("store worker %u: %s", worker, err);
        return -1;
    }
    return 0;
}

void fw_store_worker_close(fw_store *st, unsigned worker)
{
    fw_writer *w = fw_store_writer(st, worker);
    if (!w)
        return;
    fw_store_stats last;
    fw_writer_free(w, &last);
    last.connected = 0;
    last.spool_bytes = 0;
    stats_add(&st->closed, &last);
    st->writers[worker] = NULL;
}

void fw_store_stats_get(fw_store *st, int worker, fw_store_stats *out)
{
    memset(out, 0, sizeof *out);
    if (worker >= 0) {
        fw_writer *w = fw_store_writer(st, (unsigned)worker);
        if (w)
            fw_writer_stats(w, out);
        return;
    }
    *out = st->closed;
    for (unsigned i = 0; i < st->workers; i++) {
        fw_store_stats s;
        if (st->writers[i]) {
            fw_writer_stats(st->writers[i], &s);
            stats_add(out, &s);
        }
    }
}

size_t fw_store_render_prometheus(fw_store *st, char *out, size_t cap)
{
    fw_store_stats s;
    fw_store_stats_get(st, -1, &s);
    fw_prom p;
    fw_prom_init(&p, out, cap);
#define FW_STORE_RENDER(name, help)                                                                \
    fw_prom_metric(&p, "fleetwatch_store_" #name "_total", FW_PROM_COUNTER, help, s.name);
    FW_STORE_COUNTER_LIST(FW_STORE_RENDER)
#undef FW_STORE_RENDER
    fw_prom_metric(&p, "fleetwatch_store_spool_bytes", FW_PROM_GAUGE, "Bytes in the local spools.",
                   s.spool_bytes);
    char help[64];
    snprintf(help, sizeof help, "Workers connected to Redis, of %u.", st->workers);
    fw_prom_metric(&p, "fleetwatch_store_redis_connected", FW_PROM_GAUGE, help, s.connected);
    return fw_prom_len(&p);
}

/* ---- per-vehicle writes ------------------------------------------------------------------ */

int fw_store_vehicle_offline(fw_store *st, unsigned worker, const char *phone)
{
    fw_writer *w = fw_store_writer(st, worker);
    if (!w)
        return -1;
    fw_rec *r = fw_writer_begin(w);
    fw_rec_begin(r, FW_REC_KIND_CHAR(O));
    fw_rec_str(r, phone);
    fw_rec_str(r, st->cfg.node);
    fw_rec_i64(r, (int64_t)time(NULL));
    return fw_writer_commit(w, NULL, NULL);
}

int fw_store_rstate_save(fw_store *st, unsigned worker, const char *phone, uint32_t version,
                         const uint8_t *blob, size_t len)
{
    fw_writer *w = fw_store_writer(st, worker);
    if (!w || len > FW_STORE_RSTATE_MAX)
        return -1;
    Fleetwatch__RuleState rs = FLEETWATCH__RULE_STATE__INIT;
    rs.phone = (char *)phone;
    rs.version = version;
    rs.blob.data = (uint8_t *)blob;
    rs.blob.len = len;
    rs.saved_at = (int64_t)time(NULL);
    fw_rec *r = fw_writer_begin(w);
    fw_rec_begin(r, FW_REC_KIND_CHAR(S));
    fw_rec_str(r, phone);
    uint8_t *dst = fw_rec_reserve(r, fleetwatch__rule_state__get_packed_size(&rs));
    if (dst)
        fleetwatch__rule_state__pack(&rs, dst);
    fw_rec_i64(r, (int64_t)st->cfg.rstate_ttl_days * FW_DAY_MS);
    return fw_writer_commit(w, NULL, NULL);
}

typedef struct {
    fw_store_rstate_cb cb;
    void *ctx;
} rstate_call;

static void on_rstate_reply(void *arg, const redisReply *reply)
{
    rstate_call call = *(rstate_call *)arg;
    free(arg);
    if (!reply || (reply->type != REDIS_REPLY_STRING && reply->type != REDIS_REPLY_NIL)) {
        call.cb(call.ctx, -1, 0, NULL, 0);
        return;
    }
    if (reply->type == REDIS_REPLY_NIL) {
        call.cb(call.ctx, 1, 0, NULL, 0);
        return;
    }
    Fleetwatch__RuleState *rs =
        fleetwatch__rule_state__unpack(NULL, reply->len, (const uint8_t *)reply->str);
    if (!rs || rs->blob.len > FW_STORE_RSTATE_MAX)
        call.cb(call.ctx, -1, 0, NULL, 0);
    else
        call.cb(call.ctx, 0, rs->version, rs->blob.data, rs->blob.len);
    if (rs)
        fleetwatch__rule_state__free_unpacked(rs, NULL);
}

void fw_store_rstate_load(fw_store *st, unsigned worker, const char *phone, fw_store_rstate_cb cb,
                          void *ctx)
{
    fw_writer *w = fw_store_writer(st, worker);
    rstate_call *call = malloc(sizeof *call);
    char key[64];
    if (!w || !call || fw_redis_key(key, sizeof key, FW_KEY_RSTATE, phone, NULL) < 0) {
        free(call);
        cb(ctx, -1, 0, NULL, 0);
        return;
    }
    *call = (rstate_call){cb, ctx};
    fw_writer_get(w, key, on_rstate_reply, call);
}
