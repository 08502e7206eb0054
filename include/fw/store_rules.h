/* store_rules.h - the rule engine's events and state in the Redis store.
 *
 * Violation events (rules.h) go to the fw:violations stream, the fw:vio:<id> hash and the
 * fw:vio:by_* indexes (docs/redis-schema.md) through the same per-worker writer as the
 * locations: batched, spooled while Redis is down, replayed without duplicates (an event is
 * skipped when its record already holds a later or equal event: see ev_order in the schema).
 * Rule state is saved and loaded with fw_store_rstate_save/load (store.h) using the bytes of
 * fw_state_save()/fw_state_load().
 *
 * Kept apart from store.h because rules.h and sink.h both define a type named fw_sink: a file
 * can include this header or sink.h, not both.
 */
#ifndef FW_STORE_RULES_H
#define FW_STORE_RULES_H

#include "fw/rules.h"
#include "fw/store.h"

/* Write one event on worker `worker`'s thread. 0 queued, -1 refused (spool full, no sink). */
int fw_store_violation(fw_store *st, unsigned worker, const fw_violation *v);

/* A worker's store, as the ctx of a rules fw_sink: {.on_violation = fw_store_on_violation,
 * .ctx = &ref}. */
typedef struct {
    fw_store *st;
    unsigned worker;
} fw_store_worker_ref;
void fw_store_on_violation(void *worker_ref, const fw_violation *v);

#endif
