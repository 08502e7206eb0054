/* sink_redis.c - the gateway's Redis sink (sink.h): each submitted location becomes a position
 * record on the worker's writer; done(cookie, 0) once Redis confirmed it or the spool holds it.
 * A position dated in the future (fw_location_rec.future) is logged, rate-limited.
 */
#include <stdlib.h>

#include "fw/base/log.h"
#include "fw/base/sink.h"
#include "position.h"
#include "store_internal.h"

typedef struct {
    fw_sink base; /* first: the gateway holds a fw_sink * */
    fw_store *st;
    unsigned worker;
    fw_writer *w;
} redis_sink;

static int redis_submit(fw_sink *s, const fw_location_rec *rec, fw_sink_done_fn done, void *cookie)
{
    redis_sink *rs = (redis_sink *)s;
    if (rec->pos->future) {
        static fw_log_limit future_log;
        fw_log_limited(&future_log, FW_LOG_WARN,
                       "store: position of %s dated %lld s ahead of the server clock: kept "
                       "flagged in its late set, not used for live state or rules",
                       rec->phone, (long long)(rec->pos->time_utc - rec->received_ms / 1000));
    }
    fw_position_record(fw_writer_begin(rs->w), &rs->st->cfg, rec);
    return fw_writer_commit(rs->w, done, cookie) == 0 ? FW_SINK_QUEUED : FW_SINK_FULL;
}

static void redis_close(fw_sink *s)
{
    redis_sink *rs = (redis_sink *)s;
    fw_store_worker_close(rs->st, rs->worker);
    free(rs);
}

static const fw_sink_ops redis_ops = {"redis", redis_submit, redis_close};

fw_sink *fw_store_sink_new(void *ctx, struct event_base *base, unsigned worker)
{
    fw_store *st = ctx;
    redis_sink *rs = calloc(1, sizeof *rs);
    if (!rs || !st || fw_store_worker_open(st, base, worker) < 0) {
        free(rs);
        return NULL;
    }
    rs->base.ops = &redis_ops;
    rs->st = st;
    rs->worker = worker;
    rs->w = fw_store_writer(st, worker);
    return &rs->base;
}
