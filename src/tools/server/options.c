/* options.c - one config file and one command line for the gateway, the store, the API and
 * the service's own options (options.h). Each `name = value` goes to the option set that
 * owns the name: the service's table, the API (fw_api_config_set says when a name is not its
 * own), the store (its FW_STORE_OPTION_LIST), else the gateway, whose setter names unknown
 * keys. redis_* names go to both the store and the API.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fw/base/conffile.h"
#include "options.h"

typedef struct {
    const char *name;
    bool is_str;
    size_t offset;
    unsigned long def_u, min, max;
    const char *def_s;
    const char *help;
} svc_option;

#define SVC_DEF_S(name, def, min, max, help)                                                       \
    {#name, true, offsetof(service_config, name), 0, min, max, def, help},
#define SVC_DEF_U(name, def, min, max, help)                                                       \
    {#name, false, offsetof(service_config, name), def, min, max, NULL, help},
#define SVC_DEF(kind, name, def, min, max, help) SVC_DEF_##kind(name, def, min, max, help)
static const svc_option svc_options[] = {SERVICE_OPTION_LIST(SVC_DEF)};
#undef SVC_DEF

#define STORE_NAME(kind, name, def, help) #name,
static const char *const store_names[] = {FW_STORE_OPTION_LIST(STORE_NAME)};
#undef STORE_NAME

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

void service_options_defaults(service_options *o)
{
    memset(o, 0, sizeof *o);
    fw_server_config_defaults(&o->server);
    fw_store_config_defaults(&o->store);
    fw_api_config_defaults(&o->api);
    for (size_t i = 0; i < N_OF(svc_options); i++) {
        char *field = (char *)&o->svc + svc_options[i].offset;
        if (svc_options[i].is_str)
            snprintf(field, SERVICE_STR_MAX, "%s", svc_options[i].def_s);
        else
            *(unsigned *)field = (unsigned)svc_options[i].def_u;
    }
}

bool service_uses_redis(const service_options *o)
{
    return !strcmp(o->svc.sink, "redis") || (!strcmp(o->svc.sink, "auto") && o->redis_given);
}

static bool is_store_option(const char *key)
{
    for (size_t i = 0; i < N_OF(store_names); i++)
        if (!strcmp(store_names[i], key))
            return true;
    return false;
}

/* String options with a fixed set of values: X(name, values separated by '|'). */
#define SVC_CHOICE_LIST(X)                                                                         \
    X(sink, "auto|redis|null")                                                                     \
    X(registry_source, "file|redis")                                                               \
    X(geodata_source, "file|redis")

static bool in_choices(const char *value, const char *choices)
{
    size_t n = strlen(value);
    for (const char *c = choices; c; c = strchr(c, '|') ? strchr(c, '|') + 1 : NULL)
        if (!strncmp(c, value, n) && (c[n] == '|' || c[n] == '\0'))
            return true;
    return false;
}

/* 0, or -1 when key takes one of a set of values and value is not one of them. */
static int check_choice(const char *key, const char *value, char *err, size_t errcap)
{
#define SVC_CHOICE_CHECK(name, choices)                                                            \
    if (!strcmp(key, #name) && !in_choices(value, choices)) {                                      \
        snprintf(err, errcap, "%s: expected one of %s, got '%s'", key, choices, value);            \
        return -1;                                                                                 \
    }
    SVC_CHOICE_LIST(SVC_CHOICE_CHECK)
#undef SVC_CHOICE_CHECK
    return 0;
}

/* 0 set, 1 not a service option, -1 bad value (err). */
static int set_service_option(service_config *c, const char *key, const char *value, char *err,
                              size_t errcap)
{
    for (size_t i = 0; i < N_OF(svc_options); i++) {
        const svc_option *opt = &svc_options[i];
        if (strcmp(opt->name, key))
            continue;
        char *field = (char *)c + opt->offset;
        if (opt->is_str) {
            if (strlen(value) >= SERVICE_STR_MAX) {
                snprintf(err, errcap, "%s: value too long", key);
                return -1;
            }
            strcpy(field, value);
        } else {
            char *end;
            errno = 0;
            unsigned long v = strtoul(value, &end, 10);
            if (errno || end == value || *end || v < opt->min || v > opt->max) {
                snprintf(err, errcap, "%s: expected a number %lu..%lu, got '%s'", key, opt->min,
                         opt->max, value);
                return -1;
            }
            *(unsigned *)field = (unsigned)v;
        }
        return check_choice(key, value, err, errcap);
    }
    return 1;
}

/* Route one option to the set(s) that own it. 0 or -1 with a reason in err. */
static int set_option(service_options *o, const char *key, const char *value, char *err,
                      size_t errcap)
{
    int rc = set_service_option(&o->svc, key, value, err, errcap);
    if (rc <= 0)
        return rc;
    rc = fw_api_config_set(&o->api, key, value, err, errcap);
    if (rc < 0)
        return rc;
    bool api = rc == 0;
    if (!strcmp(key, "api_listen"))
        o->api_given = value[0] != '\0';
    if (is_store_option(key)) {
        o->redis_given |= !strncmp(key, "redis_", 6);
        return fw_store_config_set(&o->store, key, value, err, errcap);
    }
    return api ? 0 : fw_server_config_set(&o->server, key, value, err, errcap);
}

static int set_from_file(void *ctx, const char *key, const char *value, char *err, size_t errcap)
{
    return set_option(ctx, key, value, err, errcap) < 0 ? -1 : 0;
}

static int load_file(service_options *o, const char *path)
{
    char err[600];
    if (fw_conf_file_load(path, set_from_file, o, err, sizeof err) == 0)
        return 0;
    fprintf(stderr, "fleetwatch: %s\n", err);
    return -1;
}

static void print_service_options(FILE *out)
{
    for (size_t i = 0; i < N_OF(svc_options); i++) {
        const svc_option *opt = &svc_options[i];
        if (opt->is_str)
            fprintf(out, "  %-26s %s (default '%s')\n", opt->name, opt->help, opt->def_s);
        else
            fprintf(out, "  %-26s %s (default %lu)\n", opt->name, opt->help, opt->def_u);
    }
}

/* The API's options except redis_*, which the store's list already shows. */
static void print_api_options(FILE *out)
{
#define API_USAGE(kind, name, def, min, max, help)                                                 \
    if (strncmp(#name, "redis_", 6))                                                               \
        fprintf(out, "  %-26s %s (default %s)\n", #name, help, #def);
    FW_API_OPTION_LIST(API_USAGE)
#undef API_USAGE
}

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: fleetwatch [-c FILE] [--OPTION=VALUE ...]\n"
            "The fleetwatch service: the JT/T 808 gateway, the rule engine, the Redis store and\n"
            "the police API in one process.\n\n"
            "  -c, --config FILE   read options from FILE (`key = value` lines, # comments);\n"
            "                      command-line options given after it override the file\n"
            "  -h, --help          this text\n\n"
            "In a file write `name = value`; on the command line --name=VALUE or --name VALUE.\n"
            "\nService (sink, registry and geodata sources, load and passenger items, rules):\n");
    print_service_options(out);
    fprintf(out, "\nGateway (docs/operations.md):\n");
    fw_server_config_usage(out);
    fprintf(out, "\nRedis store (docs/redis-schema.md; redis_* are shared with the API):\n");
    fw_store_config_usage(out);
    fprintf(out, "\nPolice API (docs/api.md; runs only when api_listen is given):\n");
    print_api_options(out);
    fprintf(out, "\nSignals: SIGTERM/SIGINT stop gracefully (API first, then the gateway);\n"
                 "SIGHUP reloads the registry, the zones and routes and the API tokens.\n"
                 "With registry_source/geodata_source=redis (redis_* options) they are read from\n"
                 "fw:registry/fw:geodata (scripts/fw-load-registry) at start, and reloaded when\n"
                 "the loader publishes on fw:changes (docs/redis-schema.md).\n"
                 "See docs/operations.md, \"Running the whole service\".\n");
}

/* Split "--name=value" / "--name value"; returns the index of the last argument used. */
static int option_at(int argc, char **argv, int i, char *name, size_t cap, const char **value)
{
    const char *arg = argv[i] + 2;
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    if (len >= cap)
        len = cap - 1;
    memcpy(name, arg, len);
    name[len] = '\0';
    if (eq) {
        *value = eq + 1;
        return i;
    }
    *value = i + 1 < argc ? argv[i + 1] : NULL;
    return i + 1;
}

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
    char err[512], name[128];
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *value;
        if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
            usage(stdout);
            exit(0);
        }
        bool config = !strcmp(arg, "-c") || !strcmp(arg, "--config");
        if (!config && strncmp(arg, "--", 2) != 0) {
            fprintf(stderr, "fleetwatch: unexpected argument '%s' (try --help)\n", arg);
            return -1;
        }
        if (config)
            value = ++i < argc ? argv[i] : NULL;
        else
            i = option_at(argc, argv, i, name, sizeof name, &value);
        if (!value) {
            fprintf(stderr, "fleetwatch: %s needs a value\n", arg);
            return -1;
        }
        if (config ? load_file(o, value) < 0 : set_option(o, name, value, err, sizeof err) < 0) {
            if (!config)
                fprintf(stderr, "fleetwatch: %s\n", err);
            return -1;
        }
    }
    return check_combination(o);
}

/* The pipeline's own config: the service options it reads (workers: set by service_start). */
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
