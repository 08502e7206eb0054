/* options.h - the options of the whole `fleetwatch` service in one place: the gateway's
 * (fw_server_config), the Redis store's (fw_store_config), the police API's (fw_api_config) and
 * the service's own (sink choice, registry and geodata sources, rule engine:
 * their table in options.c). One config file and one set of --name=value flags feed all four
 * through the option engine (fw/base/options.h); redis_* options are read by the store and
 * the API.
 */
#ifndef FW_SERVICE_OPTIONS_H
#define FW_SERVICE_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

#include "fw/api/api.h"
#include "fw/base/log.h"
#include "fw/pipeline/service.h"
#include "fw/server/server.h"
#include "fw/store/store.h"

#define SERVICE_STR_MAX 256

/* The service's own options (their table, bounds, defaults and help: options.c). */
typedef struct {
    char sink[SERVICE_STR_MAX];            /* auto, redis or null */
    char registry_source[SERVICE_STR_MAX]; /* file or redis */
    char geodata_source[SERVICE_STR_MAX];  /* file or redis */
    unsigned load_item_id;                 /* custom 0x0200 item with the load, 0 = none */
    unsigned load_item_unit_kg;            /* kg per count of the load item */
    unsigned passenger_item_id;            /* custom 0x0200 item with the passengers, 0 = none */
    unsigned rules;                        /* rule engine: 1 on, 0 off */
    char rules_config[SERVICE_STR_MAX];    /* rule parameters, JSON file; empty = defaults */
    char rules_zones[SERVICE_STR_MAX];     /* zones, GeoJSON file */
    char rules_routes[SERVICE_STR_MAX];    /* routes, GeoJSON file */
    unsigned rules_vehicles;               /* vehicle rule states held per worker */
    unsigned rules_save_s;                 /* changed rule states saved this often */
    unsigned rules_idle_s;                 /* a vehicle silent this long is forgotten */
    unsigned rules_late_idle_ms;           /* a blind-area late lane idle this long closes */
    unsigned rules_warn_timeout_ms;        /* wait for the terminal's reply to a warning */
} service_config;

typedef struct {
    fw_server_config server;
    fw_store_config store;
    fw_api_config api;
    service_config svc;
    fw_log_config log; /* log_level, log_target ... (log.h) */
    bool redis_given;  /* a redis_* option was set: sink=auto means redis */
    bool api_given;    /* api_listen was set: the API runs */
} service_options;

void service_options_defaults(service_options *o);
/* Parse argv (-c FILE, --name=VALUE, --name VALUE; fw/base/options.h); prints --help or
 * --version and exits 0 for them.
 * Checks that the options fit together (a source is either a file or Redis). 0, or -1 after a
 * message on stderr. */
int service_options_parse(service_options *o, int argc, char **argv);
/* True when locations go to Redis (sink=redis, or auto with a redis_* option). */
bool service_uses_redis(const service_options *o);
/* The configs of the service's parts (service.h) from parsed options. */
void service_options_to_config(const service_options *o, fw_service_config *out);

#endif
