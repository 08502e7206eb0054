/* writer.c - the in-flight queue, batching, spool and replay of one worker (writer.h).
 *
 * The queue is a ring of fixed slots indexed by three monotonic counters:
 *   head <= sent <= tail;  [head, sent) sent and awaiting a reply, [sent, tail) not sent yet.
 * Replies arrive in order, so each batch reply completes the `n` slots at head.
 * Spooled records wait for their fsync in a second ring (waiters) until fw_spool_sync.
 *
 * Only a record that may already be in Redis needs the script's duplicate check on replay
 * (kind Q): one that was sent without a confirming reply, or one read from the spool before
 * [0, checked_until): a replay that was rewound, or anything a previous process left. A record
 * spooled before it was ever sent (Redis down, or the queue over its bound) replays as a plain
 * position: the check costs Redis an XRANGE per record, which matters most when Redis is
 * already the bottleneck.
 */
#include "writer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <event2/event.h>

#include "fw/base/counter.h"
#include "fw/base/log.h"

#include "store_script.h"

#define WATCHDOG_MS 200

/* Flushes (everything queued at that moment, as EVALSHA batches of at most batch_max) sent
 * and not fully answered yet, at most. While they are out, new records wait and join the next
 * flush: with terminals that have one frame in flight, each loop iteration commits only a few
 * positions, and sending each iteration's few as a command of their own costs Redis a script
 * call, a read and a reply per handful of positions. Two keep Redis busy while the next flush
 * fills; a deep queue still goes out at once. The last batch of a flush is marked in its
 * reply's private data. */
#define FLUSHES_OUT_MAX 2
#define FLUSH_END       0x80000000u

typedef struct {
    fw_rec rec;
    fw_writer_done_fn done; /* NULL: nothing to complete (events, states, replays) */
    void *cookie;
    bool replay; /* read from the spool at spool_start */
    uint64_t spool_start;
    int64_t sent_ms; /* when its batch was sent */
} fw_slot;

typedef struct {
    fw_writer_done_fn done;
    void *cookie;
} fw_waiter;

/* Written by the worker alone, read by /metrics on the API's thread (fw_writer_stats). */
typedef struct {
#define WRITER_COUNTER(name, help) fw_counter name;
    FW_STORE_COUNTER_LIST(WRITER_COUNTER)
#undef WRITER_COUNTER
    fw_gauge spool_bytes; /* the spool's size */
    fw_gauge connected;   /* 1 while the link is ready */
} writer_counters;

struct fw_writer {
    const fw_store_config *cfg;
    struct event_base *base;
    unsigned worker;
    fw_link link;
    fw_spool spool;
    fw_slot *slots;
    uint32_t cap, head, sent, tail;
    uint32_t replay_inflight;
    uint32_t flushes_out;   /* sent, last reply pending */
    uint64_t checked_until; /* spool entries before this offset replay with the check */
    uint64_t replayed_now;  /* spool records Redis confirmed since the spool was last empty */
    fw_waiter *waiters;
    uint32_t wcap, whead, wtail;
    fw_rec scratch;        /* records bound for the spool are built here */
    bool building_in_slot; /* fw_writer_begin returned the slot at tail */
    bool closing;
    struct event *flush_ev; /* end-of-iteration flush */
    struct event *fsync_ev; /* batched fsync */
    struct event *watchdog_ev;
    char *cmd; /* one EVALSHA batch */
    size_t cmd_cap;
    writer_counters counters;
};

static fw_slot *slot_at(fw_writer *w, uint32_t i)
{
    return &w->slots[i % w->cap];
}

static int64_t now_ms(fw_writer *w)
{
    struct timeval tv;
    event_base_gettimeofday_cached(w->base, &tv);
    return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* ---- spool side -------------------------------------------------------------------------- */

static void complete_waiters(fw_writer *w, int status)
{
    while (w->whead != w->wtail) {
        fw_waiter *wt = &w->waiters[w->whead++ % w->wcap];
        wt->done(wt->cookie, status);
    }
}

static void sync_spool(fw_writer *w)
{
    int status = fw_spool_sync(&w->spool) == 0 ? 0 : 1;
    complete_waiters(w, status);
}

static void on_fsync_timer(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    sync_spool(arg);
}

/* Append a record to the spool; done (if any) runs after the fsync. -1 when full. */
static int spool_record(fw_writer *w, const fw_rec *rec, fw_writer_done_fn done, void *cookie)
{
    static fw_log_limit spooling_log;
    bool was_empty = fw_spool_empty(&w->spool);
    if (fw_spool_append(&w->spool, rec) < 0)
        return -1;
    if (was_empty)
        fw_log_limited(&spooling_log, FW_LOG_WARN, "store worker %u: spooling to %s: %s", w->worker,
                       w->cfg->spool_dir,
                       fw_link_ready(&w->link) ? "Redis is behind (queue_max records unanswered)"
                                               : "Redis is not connected");
    fw_counter_add(&w->counters.spooled, 1);
    fw_gauge_set(&w->counters.spool_bytes, w->spool.write_off);
    if (done) {
        if (w->wtail - w->whead == w->wcap)
            sync_spool(w);
        w->waiters[w->wtail++ % w->wcap] = (fw_waiter){done, cookie};
    }
    if (!evtimer_pending(w->fsync_ev, NULL)) {
        unsigned ms = w->cfg->spool_fsync_ms;
        struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
        evtimer_add(w->fsync_ev, &tv);
    }
    return 0;
}

/* A slot whose write Redis did not confirm: spool it (or replay it again later); `was_sent`:
 * its batch went out, so Redis may have applied it. */
static void unconfirmed(fw_writer *w, fw_slot *s, bool was_sent)
{
    if (s->replay) {
        if (w->spool.read_off > w->checked_until)
            w->checked_until = w->spool.read_off;
        fw_spool_rewind(&w->spool, s->spool_start);
        w->replay_inflight--;
        return;
    }
    if (was_sent)
        fw_rec_mark_replayed(&s->rec);
    if (spool_record(w, &s->rec, s->done, s->cookie) < 0) {
        fw_counter_add(&w->counters.refused, 1);
        if (s->done)
            s->done(s->cookie, 1);
    }
}

/* The spool cannot be read from read_off on (a damaged entry): keep what was replayed, cut the
 * rest, and fail the records still waiting for their fsync (not acked: their terminals send
 * them again). Acked records after the damage are lost with it; logged and counted. */
static void give_up_unreadable(fw_writer *w)
{
    uint64_t at = w->spool.read_off, end = w->spool.write_off;
    bool cut = fw_spool_drop_unread(&w->spool) == 0;
    FW_LOG_ERROR("store worker %u: spool unreadable at %llu, dropping %llu bytes to its end%s",
                 w->worker, (unsigned long long)at, (unsigned long long)(end - at),
                 cut ? "" : " (the file could not be cut)");
    fw_counter_add(&w->counters.spool_dropped_bytes, end - at);
    fw_gauge_set(&w->counters.spool_bytes, w->spool.write_off);
    complete_waiters(w, 1);
}

/* Queue records from the spool while there is room. */
static void pump_replay(fw_writer *w)
{
    while (fw_link_ready(&w->link) && fw_spool_unread(&w->spool) && w->tail - w->head < w->cap) {
        fw_slot *s = slot_at(w, w->tail);
        int r = fw_spool_read(&w->spool, &s->rec, &s->spool_start);
        if (r < 0) {
            give_up_unreadable(w);
            break;
        }
        if (s->spool_start < w->checked_until)
            fw_rec_mark_replayed(&s->rec);
        s->done = NULL;
        s->replay = true;
        w->tail++;
        w->replay_inflight++;
    }
    if (w->sent != w->tail)
        event_active(w->flush_ev, 0, 1);
}

/* Everything in the spool is in Redis: empty it, and ack what still waited for its fsync. */
static void finish_drain(fw_writer *w)
{
    if (fw_spool_empty(&w->spool) || fw_spool_unread(&w->spool) || w->replay_inflight)
        return;
    FW_LOG_INFO("store worker %u: Redis has caught up: spool of %llu records (%llu bytes) "
                "replayed",
                w->worker, (unsigned long long)w->replayed_now,
                (unsigned long long)w->spool.write_off);
    w->replayed_now = 0;
    w->checked_until = 0;
    if (fw_spool_reset(&w->spool) == 0)
        complete_waiters(w, 0);
    fw_gauge_set(&w->counters.spool_bytes, w->spool.write_off);
}

/* ---- Redis side -------------------------------------------------------------------------- */

static void complete_slot(fw_writer *w, fw_slot *s, const redisReply *status)
{
    bool ok = status && status->type == REDIS_REPLY_INTEGER;
    if (ok && status->integer == FW_REC_STATUS_DUPLICATE)
        fw_counter_add(&w->counters.duplicates, 1);
    else if (ok && status->integer == FW_REC_STATUS_LATE)
        fw_counter_add(&w->counters.late, 1);
    else if (ok && status->integer == FW_REC_STATUS_FUTURE)
        fw_counter_add(&w->counters.future, 1);
    if (ok)
        fw_counter_add(&w->counters.stored, 1);
    else
        fw_counter_add(&w->counters.failed, 1);
    if (s->replay) {
        w->replay_inflight--;
        w->replayed_now++;
        fw_counter_add(&w->counters.replayed, 1);
    }
    if (s->done)
        s->done(s->cookie, ok ? 0 : 1);
}

static void on_batch_reply(redisAsyncContext *ac, void *reply, void *priv)
{
    fw_writer *w = ((fw_link *)ac->data)->owner;
    const redisReply *r = reply;
    uint32_t n = (uint32_t)(uintptr_t)priv & ~FLUSH_END;
    bool confirmed = r && r->type == REDIS_REPLY_ARRAY;
    if ((uintptr_t)priv & FLUSH_END)
        w->flushes_out -= w->flushes_out > 0;
    if (r && !confirmed) {
        static fw_log_limit refused_log;
        fw_log_limited(&refused_log, FW_LOG_WARN, "store worker %u: Redis refused a batch: %s",
                       w->worker, r->type == REDIS_REPLY_ERROR ? r->str : "not an array");
        fw_link_fail(&w->link); /* NOSCRIPT, OOM, LOADING...: reconnect, reload the script */
    }
    for (uint32_t i = 0; i < n; i++) {
        fw_slot *s = slot_at(w, w->head++);
        if (!confirmed)
            unconfirmed(w, s, true);
        else
            complete_slot(w, s, i < r->elements ? r->element[i] : NULL);
    }
    if (w->closing || !fw_link_ready(&w->link))
        return;
    finish_drain(w);
    pump_replay(w);
}

static size_t put_head(char *p, const char *s, size_t n)
{
    size_t len = (size_t)sprintf(p, "$%zu\r\n", n);
    memcpy(p + len, s, n);
    memcpy(p + len + n, "\r\n", 2);
    return len + n + 2;
}

/* One EVALSHA command with n records from sent; its length. */
static size_t build_batch(fw_writer *w, uint32_t n)
{
    unsigned nargs = 4;
    for (uint32_t i = 0; i < n; i++)
        nargs += slot_at(w, w->sent + i)->rec.nargs;
    size_t len = (size_t)sprintf(w->cmd, "*%u\r\n", nargs);
    len += put_head(w->cmd + len, "EVALSHA", 7);
    len += put_head(w->cmd + len, w->link.sha, 40);
    len += put_head(w->cmd + len, "0", 1);
    len += put_head(w->cmd + len, w->cfg->node, strlen(w->cfg->node));
    for (uint32_t i = 0; i < n; i++) {
        const fw_rec *rec = &slot_at(w, w->sent + i)->rec;
        memcpy(w->cmd + len, rec->buf, rec->len);
        len += rec->len;
    }
    return len;
}

/* Send every queued record, in EVALSHA batches of at most batch_max, unless FLUSHES_OUT_MAX
 * flushes are out (`force`: send anyway). */
static void flush_queue(fw_writer *w, bool force)
{
    int64_t now = now_ms(w);
    if (w->sent == w->tail || !fw_link_ready(&w->link) ||
        (!force && w->flushes_out >= FLUSHES_OUT_MAX))
        return;
    w->flushes_out++;
    while (w->sent != w->tail && fw_link_ready(&w->link)) {
        uint32_t n = w->tail - w->sent;
        if (n > w->cfg->batch_max)
            n = w->cfg->batch_max;
        uintptr_t priv = n | (n == w->tail - w->sent ? FLUSH_END : 0);
        size_t len = build_batch(w, n);
        slot_at(w, w->sent)->sent_ms = now;
        if (fw_link_send(&w->link, on_batch_reply, (void *)priv, w->cmd, len) < 0) {
            fw_link_fail(&w->link);
            return;
        }
        w->sent += n;
        fw_counter_add(&w->counters.commands, 1);
    }
}

static void on_flush_event(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    flush_queue(arg, false);
}

static void on_link_ready(void *owner)
{
    fw_writer *w = owner;
    FW_LOG_INFO("store worker %u: Redis %s:%u ready, spool: %llu bytes to replay", w->worker,
                w->cfg->redis_host, w->cfg->redis_port,
                (unsigned long long)(w->spool.write_off - w->spool.read_off));
    fw_counter_add(&w->counters.reconnects, 1);
    fw_gauge_set(&w->counters.connected, 1);
    finish_drain(w);
    pump_replay(w);
}

/* The writer's link is gone (lost, or closed by fw_writer_free); hiredis normally failed the
 * sent batches already. Spool the rest. */
static void spool_unconfirmed(fw_writer *w)
{
    fw_gauge_set(&w->counters.connected, 0);
    w->flushes_out = 0;
    for (uint32_t sent_left = w->sent - w->head; w->head != w->tail; w->head++) {
        unconfirmed(w, slot_at(w, w->head), sent_left > 0);
        sent_left -= sent_left > 0;
    }
    w->sent = w->head;
}

static void on_link_down(void *owner)
{
    static fw_log_limit lost_log;
    fw_writer *w = owner;
    fw_log_limited(&lost_log, FW_LOG_WARN,
                   "store worker %u: Redis %s:%u connection lost; unconfirmed records go to "
                   "the spool",
                   w->worker, w->cfg->redis_host, w->cfg->redis_port);
    fw_counter_add(&w->counters.redis_lost, 1);
    spool_unconfirmed(w);
}

static void on_auth_failed(void *owner)
{
    fw_writer *w = owner;
    fw_counter_add(&w->counters.auth_failures, 1);
}

static void on_watchdog(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    fw_writer *w = arg;
    int64_t now = now_ms(w);
    fw_link_watchdog(&w->link, now, w->cfg->reply_timeout_ms);
    if (w->head != w->sent &&
        now - slot_at(w, w->head)->sent_ms > (int64_t)w->cfg->reply_timeout_ms) {
        static fw_log_limit timeout_log;
        fw_log_limited(&timeout_log, FW_LOG_WARN,
                       "store worker %u: no reply from Redis for %u ms, reconnecting", w->worker,
                       w->cfg->reply_timeout_ms);
        fw_link_fail(&w->link);
    }
}

/* ---- records ----------------------------------------------------------------------------- */

static bool direct_ok(const fw_writer *w)
{
    return fw_link_ready(&w->link) && fw_spool_empty(&w->spool) && w->tail - w->head < w->cap;
}

fw_rec *fw_writer_begin(fw_writer *w)
{
    w->building_in_slot = direct_ok(w);
    return w->building_in_slot ? &slot_at(w, w->tail)->rec : &w->scratch;
}

int fw_writer_commit(fw_writer *w, fw_writer_done_fn done, void *cookie)
{
    const fw_rec *rec = w->building_in_slot ? &slot_at(w, w->tail)->rec : &w->scratch;
    if (!fw_rec_ok(rec)) {
        fw_counter_add(&w->counters.failed, 1);
        if (done)
            done(cookie, 1);
        return 0;
    }
    if (!w->building_in_slot) {
        if (spool_record(w, rec, done, cookie) < 0) {
            fw_counter_add(&w->counters.refused, 1);
            return -1;
        }
        if (w->head == w->tail) /* nothing in flight whose reply would start the replay */
            pump_replay(w);
        return 0;
    }
    fw_slot *s = slot_at(w, w->tail++);
    s->done = done;
    s->cookie = cookie;
    s->replay = false;
    event_active(w->flush_ev, 0, 1);
    return 0;
}

/* ---- GET --------------------------------------------------------------------------------- */

typedef struct {
    fw_writer_get_fn cb;
    void *ctx;
} get_call;

static void on_get_reply(redisAsyncContext *ac, void *reply, void *priv)
{
    (void)ac;
    get_call *call = priv;
    call->cb(call->ctx, reply);
    free(call);
}

void fw_writer_get(fw_writer *w, const char *key, fw_writer_get_fn cb, void *ctx)
{
    get_call *call = malloc(sizeof *call);
    flush_queue(w, true); /* records committed before are sent before the GET */
    const char *argv[] = {"GET", key};
    if (!call || !fw_link_ready(&w->link)) {
        free(call);
        cb(ctx, NULL);
        return;
    }
    *call = (get_call){cb, ctx};
    if (fw_link_send_argv(&w->link, on_get_reply, call, 2, argv, NULL) < 0) {
        free(call);
        cb(ctx, NULL);
        return;
    }
    fw_counter_add(&w->counters.commands, 1);
}

/* ---- lifecycle --------------------------------------------------------------------------- */

static int open_spool(fw_writer *w, unsigned worker, char *err, size_t errcap)
{
    char path[FW_STORE_STR_MAX + 32];
    if (mkdir(w->cfg->spool_dir, 0750) < 0 && errno != EEXIST) {
        snprintf(err, errcap, "spool dir %s: %s", w->cfg->spool_dir, strerror(errno));
        return -1;
    }
    snprintf(path, sizeof path, "%s/spool-%u.fws", w->cfg->spool_dir, worker);
    if (fw_spool_open(&w->spool, path, (uint64_t)w->cfg->spool_max_mb << 20, err, errcap) < 0)
        return -1;
    w->checked_until = w->spool.write_off; /* a previous process may have replayed some */
    fw_gauge_set(&w->counters.spool_bytes, w->spool.write_off);
    return 0;
}

static const fw_link_events link_events = {on_link_ready, on_link_down, on_auth_failed};

fw_writer *fw_writer_new(const fw_store_config *cfg, struct event_base *base, unsigned worker,
                         char *err, size_t errcap)
{
    fw_writer *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    w->cfg = cfg;
    w->base = base;
    w->worker = worker;
    w->spool.fd = -1;
    w->cap = cfg->queue_max ? cfg->queue_max : 1;
    w->wcap = w->cap;
    w->cmd_cap =
        128 + FW_STORE_STR_MAX + (size_t)(cfg->batch_max ? cfg->batch_max : 1) * FW_REC_MAX_BYTES;
    w->slots = calloc(w->cap, sizeof *w->slots);
    w->waiters = calloc(w->wcap, sizeof *w->waiters);
    w->cmd = malloc(w->cmd_cap);
    w->flush_ev = event_new(base, -1, 0, on_flush_event, w);
    w->fsync_ev = evtimer_new(base, on_fsync_timer, w);
    w->watchdog_ev = event_new(base, -1, EV_PERSIST, on_watchdog, w);
    if (!w->slots || !w->waiters || !w->cmd || !w->flush_ev || !w->fsync_ev || !w->watchdog_ev ||
        fw_link_init(&w->link, base, cfg, &link_events, w) < 0) {
        snprintf(err, errcap, "out of memory");
        fw_writer_free(w, NULL);
        return NULL;
    }
    if (open_spool(w, worker, err, errcap) < 0) {
        fw_writer_free(w, NULL);
        return NULL;
    }
    struct timeval tick = {0, WATCHDOG_MS * 1000};
    evtimer_add(w->watchdog_ev, &tick);
    fw_link_start(&w->link);
    return w;
}

/* Nothing is waiting for Redis: no record queued or unanswered, nothing left to replay. */
static bool idle(const fw_writer *w)
{
    return w->head == w->tail && !fw_spool_unread(&w->spool) && w->replay_inflight == 0;
}

/* Run the worker's loop while Redis is reachable and records still wait for it, for at most
 * reply_timeout_ms: what a graceful stop commits last (every connected vehicle's rule state
 * and offline mark) then reaches Redis instead of waiting in the spool for this node's next
 * start. The watchdog timer wakes the loop at least every WATCHDOG_MS. */
static void drain(fw_writer *w)
{
    int64_t deadline_ms = now_ms(w) + w->cfg->reply_timeout_ms; /* outside the loop: not cached */
    while (fw_link_ready(&w->link) && !idle(w) && now_ms(w) <= deadline_ms) {
        event_active(w->flush_ev, 0, 1);
        event_base_loop(w->base, EVLOOP_ONCE);
    }
    finish_drain(w);
}

void fw_writer_free(fw_writer *w, fw_store_stats *last)
{
    if (!w)
        return;
    if (w->flush_ev && w->watchdog_ev)
        drain(w);
    w->closing = true;
    if (w->link.base)
        fw_link_close(&w->link); /* unconfirmed records go to the spool */
    spool_unconfirmed(w);
    if (w->spool.fd >= 0)
        sync_spool(w);
    complete_waiters(w, 1);
    if (last)
        fw_writer_stats(w, last);
    fw_spool_close(&w->spool);
    if (w->flush_ev)
        event_free(w->flush_ev);
    if (w->fsync_ev)
        event_free(w->fsync_ev);
    if (w->watchdog_ev)
        event_free(w->watchdog_ev);
    free(w->cmd);
    free(w->waiters);
    free(w->slots);
    free(w);
}

void fw_writer_stats(const fw_writer *w, fw_store_stats *out)
{
#define WRITER_COUNTER_GET(name, help) out->name = fw_counter_get(&w->counters.name);
    FW_STORE_COUNTER_LIST(WRITER_COUNTER_GET)
#undef WRITER_COUNTER_GET
    out->spool_bytes = fw_gauge_get(&w->counters.spool_bytes);
    out->connected = (unsigned)fw_gauge_get(&w->counters.connected);
}
