/* sink_redis.c - the gateway's Redis sink (sink.h): each submitted location becomes a position
 * record on the worker's writer; done(cookie, 0) once Redis confirmed it or the spool holds it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fw/sink.h"
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
    fw_position_record(fw_writer_begin(rs->w), &rs->st->cfg, rec);
    return fw_writer_commit(rs->w, done, cookie) == 0 ? FW_SINK_QUEUED : FW_SINK_FULL;
}

static void redis_flush(fw_sink *s)
{
    fw_writer_flush(((redis_sink *)s)->w);
}

static void redis_close(fw_sink *s)
{
    redis_sink *rs = (redis_sink *)s;
    fw_store_writer_closed(rs->st, rs->worker);
    fw_writer_free(rs->w);
    free(rs);
}

static const fw_sink_ops redis_ops = {"redis", redis_submit, redis_flush, redis_close};

fw_sink *fw_store_sink_new(void *ctx, struct event_base *base, unsigned worker)
{
    fw_store *st = ctx;
    char err[256];
    if (!st || worker >= st->workers || st->writers[worker]) {
        fprintf(stderr, "fleetwatch store: no slot for worker %u\n", worker);
        return NULL;
    }
    redis_sink *rs = calloc(1, sizeof *rs);
    if (!rs)
        return NULL;
    rs->w = fw_writer_new(&st->cfg, base, worker, err, sizeof err);
    if (!rs->w) {
        fprintf(stderr, "fleetwatch store: worker %u: %s\n", worker, err);
        free(rs);
        return NULL;
    }
    rs->base.ops = &redis_ops;
    rs->st = st;
    rs->worker = worker;
    st->writers[worker] = rs->w;
    return &rs->base;
}
