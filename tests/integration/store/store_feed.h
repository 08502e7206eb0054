/* store_feed.h - fill a Redis exactly as fleetwatch does: positions and violation events
 * written through the real store (the Redis sink and fw_store_violation, on a private
 * libevent loop), synchronously.
 *
 * For fixtures and benchmarks that read what the store writes (the police API's tests and
 * benchmark): going through the store keeps them on the store's key schema and units instead
 * of a hand-written copy of it. Queue any number of writes, then store_feed_flush() runs the
 * loop until Redis confirmed every one.
 */
#ifndef FW_STORE_FEED_H
#define FW_STORE_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fw/codec/jt_msg.h"
#include "fw/base/registry.h"
#include "fw/rules/rules.h"

typedef struct store_feed store_feed;

/* A store on 127.0.0.1:redis_port (password "" = none), one worker, node name `node`, with a
 * private spool directory under /tmp. NULL with a reason in err. */
store_feed *store_feed_open(unsigned redis_port, const char *password, const char *node, char *err,
                            size_t errcap);
/* Queue one 0x0200 position of vehicle v; session_first as the connection's first (writes
 * the static fw:veh fields), blind_area as a 0x0704 type 1 entry. 0, or -1 when refused. */
int store_feed_position(store_feed *f, const fw_vehicle *v, const jt_location *loc,
                        int64_t received_ms, bool session_first, bool blind_area);
/* Queue one violation event. 0, or -1 when refused. */
int store_feed_violation(store_feed *f, const fw_violation *v);
/* Run until Redis confirmed everything queued, at most timeout_ms. 0, or -1 on a timeout or
 * when a write failed. */
int store_feed_flush(store_feed *f, unsigned timeout_ms);
/* Close the store and remove its spool: flush first, or what Redis did not confirm is gone. */
void store_feed_close(store_feed *f);

#endif
