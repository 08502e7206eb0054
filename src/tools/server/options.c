/* options.c - one config file and one command line for the gateway, the store, the API and
 * the service's own options (options.h), composed from their tables by the option engine
 * (fw/base/options.h): each `name = value` goes to every part that owns the name, so redis_*
 * names reach both the store and the API; unknown and retired names are refused with a reason.
 */
#include <stdlib.h>
#include <string.h>

#include "fw/base/options.h"
#include "options.h"

#define S(m, dflt, text)         FW_OPT_STR_ROW(service_config, m, dflt, text)
#define U(m, lo, hi, dflt, text) FW_OPT_UINT_ROW(service_config, m, lo, hi, dflt, text)

static const char *const sink_names[] = {"auto", "redis", "null", NULL};
static const char *const source_names[] = {"file", "redis", NULL};

static const fw_option service_rows[] = {
    FW_OPT_WORD_ROW(service_config, sink, sink_names, "auto",
                    "where locations go: redis, null, or auto (redis when a redis_* option is "
                    "given)"),
    FW_OPT_WORD_ROW(service_config, registry_source, source_names, "file",
                    "vehicle registry from: file (registry_path) or redis (fw:registry, "
                    "scripts/fw-load-registry; reloaded on fw:changes)"),
    FW_OPT_WORD_ROW(service_config, geodata_source, source_names, "file",
                    "zones and routes from: file (rules_zones, rules_routes) or redis "
                    "(fw:geodata; reloaded on fw:changes)"),
    U(load_item_id, 0, 255, "0",
      "custom 0x0200 item carrying the load, 0 = none (fw:veh load_kg and overload)"),
    U(load_item_unit_kg, 1, 1000000, "1", "kg per count of the load item"),
    U(passenger_item_id, 0, 255, "0",
      "custom 0x0200 item carrying the passengers on board, 0 = none"),
    U(rules, 0, 1, "1", "rule engine: 1 on, 0 off"),
    S(rules_config, "", "rule parameters, JSON (docs/rules.md); empty = defaults"),
    S(rules_zones, "", "zones, GeoJSON FeatureCollection; reloaded on SIGHUP"),
    S(rules_routes, "", "routes, GeoJSON FeatureCollection; reloaded on SIGHUP"),
    U(rules_vehicles, 16, 4194304, "16384", "vehicle rule states held per worker (620 bytes each)"),
    U(rules_save_s, 1, 86400, "300", "save changed rule states to Redis this often"),
    U(rules_idle_s, 60, 604800, "1800", "forget (after saving) a vehicle silent this long"),
    U(rules_late_idle_ms, 100, 600000, "2000",
      "close a blind-area late lane after this long without its points"),
    U(rules_warn_timeout_ms, 100, 600000, "10000", "wait for the terminal's reply to a warning"),
};
#undef S
#undef U

static const fw_opt_table service_table = FW_OPT_TABLE(service_rows);

void service_options_defaults(service_options *o)
{
    memset(o, 0, sizeof *o);
    fw_server_config_defaults(&o->server);
    fw_store_config_defaults(&o->store);
    fw_api_config_defaults(&o->api);
    (void)fw_opt_defaults(&service_table, &o->svc);
    fw_log_config_defaults(&o->log, "fleetwatch");
}

bool service_uses_redis(const service_options *o)
{
    return !strcmp(o->svc.sink, "redis") || (!strcmp(o->svc.sink, "auto") && o->redis_given);
}

/* What a set option tells beyond its value: Redis is meant (sink=auto), the API is to run. */
static void note_given(void *ctx, const char *name, const char *value)
{
    service_options *o = ctx;
    o->redis_given |= !strncmp(name, "redis_", 6);
    if (!strcmp(name, "api_listen"))
        o->api_given = value[0] != '\0';
}

static const char synopsis[] =
    "usage: fleetwatch [-c FILE] [--OPTION=VALUE ...]\n"
    "The fleetwatch service: the JT/T 808 gateway, the rule engine, the Redis store and\n"
    "the police API in one process.\n"
    "In a file write `name = value`; on the command line --name=VALUE or --name VALUE.\n";

static const char epilogue[] =
    "Signals: SIGTERM/SIGINT stop gracefully (API first, then the gateway);\n"
    "SIGHUP reloads the registry, the zones and routes and the API tokens.\n"
    "With registry_source/geodata_source=redis (redis_* options) they are read from\n"
    "fw:registry/fw:geodata (scripts/fw-load-registry) at start, and reloaded when\n"
    "the loader publishes on fw:changes (docs/redis-schema.md).\n"
    "See docs/operations.md, \"Running the whole service\".\n";

/* Options that exclude each other: a source is a file or Redis, and geodata needs the rules.
 * 0, or -1 after a message on stderr. */
static int check_combination(const service_options *o)
{
    const char *why = NULL;
    bool registry_redis = !strcmp(o->svc.registry_source, "redis");
    bool geodata_redis = !strcmp(o->svc.geodata_source, "redis");
    if (registry_redis && o->server.registry_path[0])
        why = "registry_source=redis and registry_path exclude each other";
    else if (geodata_redis && (o->svc.rules_zones[0] || o->svc.rules_routes[0]))
        why = "geodata_source=redis and rules_zones/rules_routes exclude each other";
    else if (geodata_redis && !o->svc.rules)
        why = "geodata_source=redis needs the rule engine (rules=1)";
    if (why)
        fprintf(stderr, "fleetwatch: %s\n", why);
    return why ? -1 : 0;
}

int service_options_parse(service_options *o, int argc, char **argv)
{
    const fw_opt_group groups[] = {
        {"Service (sink, registry and geodata sources, load and passenger items, rules)",
         &service_table, &o->svc},
        {"Gateway (docs/operations.md)", &fw_server_options, &o->server},
        {"Redis store (docs/redis-schema.md; redis_* are shared with the API)", &fw_store_options,
         &o->store},
        {"Police API (docs/api.md; runs only when api_listen is given)", &fw_api_options, &o->api},
        {"Logging (docs/operations.md)", &fw_log_options, &o->log},
    };
    const fw_opt_program program = {.name = "fleetwatch",
                                    .synopsis = synopsis,
                                    .epilogue = epilogue,
                                    .config_file = true,
                                    .groups = groups,
                                    .n_groups = sizeof groups / sizeof groups[0],
                                    .on_set = note_given,
                                    .on_set_ctx = o};
    char err[600];
    int rc = fw_opt_parse_args(&program, argc, argv, NULL, err, sizeof err);
    if (rc > 0)
        exit(0);
    if (rc < 0) {
        fprintf(stderr, "fleetwatch: %s\n", err);
        return -1;
    }
    return check_combination(o);
}

/* The pipeline's own config: the service options it reads (workers: set by fw_service_start). */
static void pipeline_config_of(const service_options *o, fw_pipeline_config *pc)
{
    const service_config *c = &o->svc;
    *pc = (fw_pipeline_config){.rules = c->rules != 0,
                               .registry_from_redis = !strcmp(c->registry_source, "redis"),
                               .geodata_from_redis = !strcmp(c->geodata_source, "redis"),
                               .rules_vehicles = c->rules_vehicles,
                               .rules_save_s = c->rules_save_s,
                               .rules_idle_s = c->rules_idle_s,
                               .rules_late_idle_ms = c->rules_late_idle_ms,
                               .rules_warn_timeout_ms = c->rules_warn_timeout_ms,
                               .items = {.load_id = (uint8_t)c->load_item_id,
                                         .load_unit_kg = c->load_item_unit_kg,
                                         .passengers_id = (uint8_t)c->passenger_item_id}};
    snprintf(pc->rules_config, sizeof pc->rules_config, "%s", c->rules_config);
    snprintf(pc->rules_zones, sizeof pc->rules_zones, "%s", c->rules_zones);
    snprintf(pc->rules_routes, sizeof pc->rules_routes, "%s", c->rules_routes);
}

void service_options_to_config(const service_options *o, fw_service_config *out)
{
    out->server = o->server;
    out->store = o->store;
    out->api = o->api;
    pipeline_config_of(o, &out->pipeline);
    out->redis = service_uses_redis(o);
    out->api_on = o->api_given;
}
