/* writer.h - one worker's path to Redis: in-flight queue, batching, spool and replay.
 *
 * Records are built in place (fw_writer_begin) and committed with an optional completion.
 * While Redis is READY, the spool is empty and fewer than queue_max records are in flight,
 * a record goes into the in-flight queue; all queued records go out as EVALSHA batches at the
 * end of the loop iteration (an event each commit activates), unless two earlier flushes still
 * wait for replies (then with the flush after the next reply), and each completes when its
 * batch's reply arrives. Otherwise the record is appended to the spool and completes once
 * fsync'd (within spool_fsync_ms). Records whose batch got no reply (connection lost, error
 * reply, reply timeout) are moved to the spool, or, if they came from it, replayed again.
 * While the spool holds records every new record is appended to it too, so records reach
 * Redis in the order they were committed; once everything in it is confirmed, the spool is
 * emptied and records go straight to Redis again. Closing waits up to reply_timeout_ms for
 * what Redis can still confirm. Completion status: 0 stored, 1 failed.
 */
#ifndef FW_STORE_WRITER_H
#define FW_STORE_WRITER_H

#include <stdbool.h>
#include <stdint.h>

#include "fw/store/store.h"
#include "record.h"
#include "redis_link.h"
#include "spool.h"

typedef void (*fw_writer_done_fn)(void *cookie, int status);

typedef struct fw_writer fw_writer;

/* A writer for one worker; opens <spool_dir>/spool-<worker>.fws and starts connecting.
 * NULL with a reason in err. */
fw_writer *fw_writer_new(const fw_store_config *cfg, struct event_base *base, unsigned worker,
                         char *err, size_t errcap);
/* While Redis is reachable, run the event loop until every queued record and the spool's
 * replay are confirmed (at most reply_timeout_ms); then disconnect (unconfirmed records go to
 * the spool), fsync, complete what is pending, free. The final counters go to *last (may be
 * NULL). */
void fw_writer_free(fw_writer *w, fw_store_stats *last);

/* Where to build the next record; valid until fw_writer_commit. */
fw_rec *fw_writer_begin(fw_writer *w);
/* Commit the record built at fw_writer_begin. done (may be NULL) runs exactly once when 0 is
 * returned, possibly inside this call (status 1 for an overflowed record). -1: refused, the
 * spool is full; done will not run. */
int fw_writer_commit(fw_writer *w, fw_writer_done_fn done, void *cookie);

/* GET key; cb gets the reply (NULL when not connected or lost) exactly once. Records committed
 * before are sent first. */
typedef void (*fw_writer_get_fn)(void *ctx, const redisReply *reply);
void fw_writer_get(fw_writer *w, const char *key, fw_writer_get_fn cb, void *ctx);

void fw_writer_stats(const fw_writer *w, fw_store_stats *out);

#endif
