/* store_feed.c - the real store driven synchronously (store_feed.h): a one-worker fw_store
 * whose sink and violation writer run on a private event base; flush turns the loop until the
 * store's counters have confirmed as many records as were queued.
 */
#include "store_feed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unistd.h>

#include <event2/event.h>

#include "fw/base/sink.h"
#include "fw/store/store.h"
#include "fw/store/store_violation.h"

struct store_feed {
    struct event_base *base;
    fw_store *st;
    fw_sink *sink;
    uint64_t queued;    /* records committed to the store */
    uint64_t failed;    /* positions completed with a failure */
    uint16_t serial;    /* frame serial of the next position */
    char spool_dir[64]; /* private, removed at close */
};

static void on_done(void *cookie, int status)
{
    store_feed *f = cookie;
    f->failed += status != 0;
}

store_feed *store_feed_open(unsigned redis_port, const char *password, const char *node, char *err,
                            size_t errcap)
{
    store_feed *f = calloc(1, sizeof *f);
    if (!f || !mkdtemp(strcpy(f->spool_dir, "/tmp/fw-store-feed-XXXXXX"))) {
        snprintf(err, errcap, "no memory or no spool directory");
        free(f);
        return NULL;
    }
    fw_store_config cfg;
    fw_store_config_defaults(&cfg);
    cfg.redis_port = redis_port;
    snprintf(cfg.redis_password, sizeof cfg.redis_password, "%s", password);
    snprintf(cfg.spool_dir, sizeof cfg.spool_dir, "%s", f->spool_dir);
    snprintf(cfg.node, sizeof cfg.node, "%s", node);
    cfg.queue_max = 1u << 16;
    if (!(f->base = event_base_new()) || !(f->st = fw_store_new(&cfg, 1, err, errcap)) ||
        !(f->sink = fw_store_sink_new(f->st, f->base, 0))) {
        if (f->st && !f->sink)
            snprintf(err, errcap, "the store's sink did not open (spool %s)", f->spool_dir);
        store_feed_close(f);
        return NULL;
    }
    return f;
}

int store_feed_position(store_feed *f, const fw_vehicle *v, const jt_location *loc,
                        int64_t received_ms, bool session_first, bool blind_area)
{
    fw_position pos;
    fw_position_from_location(loc, &FW_POSITION_CONFIG_DEFAULT, &pos);
    pos.late = blind_area;
    fw_location_rec rec = {.phone = v->phone,
                           .vehicle = v,
                           .msg_id = blind_area ? 0x0704 : 0x0200,
                           .serial = f->serial++,
                           .session_first = session_first,
                           .version = JT_V2013,
                           .pos = &pos,
                           .received_ms = received_ms};
    if (f->sink->ops->submit(f->sink, &rec, on_done, f) != FW_SINK_QUEUED)
        return -1;
    f->queued++;
    return 0;
}

int store_feed_violation(store_feed *f, const fw_violation *v)
{
    if (fw_store_violation(f->st, 0, v) < 0)
        return -1;
    f->queued++;
    return 0;
}

/* Records Redis answered for, whatever the answer. */
static uint64_t confirmed(store_feed *f)
{
    fw_store_stats s;
    fw_store_stats_get(f->st, 0, &s);
    return s.stored + s.duplicates + s.late + s.failed;
}

int store_feed_flush(store_feed *f, unsigned timeout_ms)
{
    struct timeval tick = {0, 10000};
    for (unsigned waited_ms = 0; confirmed(f) < f->queued; waited_ms += 10) {
        if (waited_ms >= timeout_ms)
            return -1;
        event_base_loopexit(f->base, &tick);
        event_base_dispatch(f->base);
    }
    fw_store_stats s;
    fw_store_stats_get(f->st, 0, &s);
    return f->failed || s.failed ? -1 : 0;
}

void store_feed_close(store_feed *f)
{
    if (!f)
        return;
    if (f->sink)
        f->sink->ops->close(f->sink);
    fw_store_free(f->st);
    if (f->base)
        event_base_free(f->base);
    char spool[96];
    snprintf(spool, sizeof spool, "%s/spool-0.fws", f->spool_dir);
    unlink(spool);
    rmdir(f->spool_dir);
    free(f);
}
