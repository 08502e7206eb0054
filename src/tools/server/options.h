/* options.h - the options of the whole `fleetwatch` service in one place: the gateway's
 * (fw_server_config), the Redis store's (fw_store_config), the police API's (fw_api_config) and
 * the service's own (sink choice, registry and geodata sources, rule engine:
 * SERVICE_OPTION_LIST). One config file and one
 * set of --name=value flags feed all four; redis_* options are read by the store and the API.
 */
#ifndef FW_SERVICE_OPTIONS_H
#define FW_SERVICE_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

#include "fw/api/api.h"
#include "fw/pipeline/service.h"
#include "fw/server/server.h"
#include "fw/store/store.h"

#define SERVICE_STR_MAX 256

/* X(kind, name, default, min, max, help); kind S string (min/max unused), U unsigned. */
#define SERVICE_OPTION_LIST(X)                                                                     \
    X(S, sink, "auto", 0, 0,                                                                       \
      "where locations go: redis, null, or auto (redis when a redis_* "                            \
      "option is given)")                                                                          \
    X(S, registry_source, "file", 0, 0,                                                            \
      "vehicle registry from: file (registry_path) or redis (fw:registry, "                        \
      "scripts/fw-load-registry; reloaded on fw:changes)")                                         \
    X(S, geodata_source, "file", 0, 0,                                                             \
      "zones and routes from: file (rules_zones, rules_routes) or redis "                          \
      "(fw:geodata; reloaded on fw:changes)")                                                      \
    X(U, load_item_id, 0, 0, 255,                                                                  \
      "custom 0x0200 item carrying the load, 0 = none (fw:veh load_kg and overload)")              \
    X(U, load_item_unit_kg, 1, 1, 1000000, "kg per count of the load item")                        \
    X(U, passenger_item_id, 0, 0, 255,                                                             \
      "custom 0x0200 item carrying the passengers on board, 0 = none")                             \
    X(U, rules, 1, 0, 1, "rule engine: 1 on, 0 off")                                               \
    X(S, rules_config, "", 0, 0, "rule parameters, JSON (docs/rules.md); empty = defaults")        \
    X(S, rules_zones, "", 0, 0, "zones, GeoJSON FeatureCollection; reloaded on SIGHUP")            \
    X(S, rules_routes, "", 0, 0, "routes, GeoJSON FeatureCollection; reloaded on SIGHUP")          \
    X(U, rules_vehicles, 16384, 16, 4194304,                                                       \
      "vehicle rule states held per worker (620 bytes each)")                                      \
    X(U, rules_save_s, 300, 1, 86400, "save changed rule states to Redis this often")              \
    X(U, rules_idle_s, 1800, 60, 604800, "forget (after saving) a vehicle silent this long")       \
    X(U, rules_late_idle_ms, 2000, 100, 600000,                                                    \
      "close a blind-area late lane after this long without its points")                           \
    X(U, rules_warn_timeout_ms, 10000, 100, 600000, "wait for the terminal's reply to a warning")

#define SERVICE_FIELD_S(name)                          char name[SERVICE_STR_MAX];
#define SERVICE_FIELD_U(name)                          unsigned name;
#define SERVICE_FIELD(kind, name, def, min, max, help) SERVICE_FIELD_##kind(name)
typedef struct {
    SERVICE_OPTION_LIST(SERVICE_FIELD)
} service_config;
#undef SERVICE_FIELD

typedef struct {
    fw_server_config server;
    fw_store_config store;
    fw_api_config api;
    service_config svc;
    bool redis_given; /* a redis_* option was set: sink=auto means redis */
    bool api_given;   /* api_listen was set: the API runs */
} service_options;

void service_options_defaults(service_options *o);
/* Parse argv (-c FILE, --name=VALUE, --name VALUE, -h); prints --help and exits 0 for -h.
 * Checks that the options fit together (a source is either a file or Redis). 0, or -1 after a
 * message on stderr. */
int service_options_parse(service_options *o, int argc, char **argv);
/* True when locations go to Redis (sink=redis, or auto with a redis_* option). */
bool service_uses_redis(const service_options *o);
/* The configs of the service's parts (service.h) from parsed options. */
void service_options_to_config(const service_options *o, fw_service_config *out);

#endif
