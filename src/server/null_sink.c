/* null_sink.c - the sink that stores nothing (sink.h): every location is "stored" at once and its
 * done callback runs inside submit(). Used until the Redis store exists, and to measure the gateway
 * alone.
 */
#include <stdlib.h>

#include "fw/base/sink.h"

static int null_submit(fw_sink *s, const fw_location_rec *rec, fw_sink_done_fn done, void *cookie)
{
    (void)s;
    (void)rec;
    done(cookie, 0);
    return FW_SINK_QUEUED;
}

static void null_close(fw_sink *s)
{
    free(s);
}

static const fw_sink_ops null_ops = {"null", null_submit, null_close};

fw_sink *fw_null_sink_new(void *ctx, struct event_base *base, unsigned worker)
{
    (void)ctx;
    (void)base;
    (void)worker;
    fw_sink *s = malloc(sizeof *s);
    if (s)
        s->ops = &null_ops;
    return s;
}
