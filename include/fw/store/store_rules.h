/* store_rules.h - the rule engine's events and state in the Redis store.
 *
 * Violation events (rules.h) go to the fw:violations stream, the fw:vio:<id> hash and the
 * fw:vio:by_* indexes (docs/redis-schema.md) through the same per-worker writer as the
 * locations: batched, spooled while Redis is down, replayed without duplicates (an event is
 * skipped when its record already holds a later or equal event: see ev_order in the schema).
 * Rule state is saved and loaded with fw_store_rstate_save/load (store.h) using the bytes of
 * fw_state_save()/fw_state_load(). Apart from store.h so that the store's gateway side does not
 * need the rule engine's types.
 */
#ifndef FW_STORE_RULES_H
#define FW_STORE_RULES_H

#include "fw/rules/rules.h"
#include "fw/store/store.h"

/* Write one event on worker `worker`'s thread. 0 queued, -1 refused (spool full, no sink). */
int fw_store_violation(fw_store *st, unsigned worker, const fw_violation *v);

#endif
