/* store_violation.h - violation events (violation.h) in the Redis store.
 *
 * An event goes to the fw:violations stream, the fw:vio:<id> hash and the fw:vio:by_* indexes
 * (redis_schema.h, docs/redis-schema.md) through the same per-worker writer as the locations:
 * batched, spooled while Redis is down, replayed without duplicates (an event is skipped when
 * its record already holds a later or equal event: see ev_order in the schema). Apart from
 * store.h so that the store's gateway side does not need the event type.
 */
#ifndef FW_STORE_VIOLATION_H
#define FW_STORE_VIOLATION_H

#include "fw/base/violation.h"
#include "fw/store/store.h"

/* Write one event on worker `worker`'s thread. 0 queued, -1 refused (spool full, no sink, no
 * vehicle or an unknown phase). */
int fw_store_violation(fw_store *st, unsigned worker, const fw_violation *v);

#endif
