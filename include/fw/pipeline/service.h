/* service.h - the whole `fleetwatch` service in one process: the Redis store, the rule engine
 * (pipeline.h), the gateway and the police API, started and stopped in the right order.
 *
 * Start: store -> pipeline -> gateway (its sinks and rules contexts) -> worker threads -> API
 * (when api_listen is given) -> watch of fw:changes (a source is Redis). Stop: the watch, API (no
 * text completion can then reach a stopped API), then the gateway (its sinks close: rule states
 * saved, unconfirmed records spooled), then the store.
 */
#ifndef FW_SERVICE_H
#define FW_SERVICE_H

#include <stddef.h>

#include "options.h"

struct event_base;
typedef struct service service;

/* base: the main thread's loop, where changes in Redis are watched (registry_source or
 * geodata_source = redis) and reloaded. NULL with a reason in err. */
service *service_start(service_options *o, struct event_base *base, char *err, size_t errcap);
/* SIGHUP: the registry, the zones and routes (from files or Redis), the API's tokens. 0 or -1
 * (logged). */
int service_reload(service *s);
void service_stop(service *s);

#endif
