/* config.c - the gateway's options: defaults, `key = value` files and
 * command-line overrides.
 *
 * One table (FW_OPTION_LIST) names every option with its type, bounds, default
 * and help text; the file reader, the --key=value flags and --help are all
 * driven by it, so they cannot disagree. docs/operations.md and
 * config/fleetwatch.conf.example describe the same options.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw/server/server.h"
#include "fw/base/log.h"

typedef enum {
    OPT_UINT,
    OPT_BOOL,
    OPT_STR,
    OPT_DAMAGED,
    OPT_LOG_LEVEL,
    OPT_LOG_TARGET,
    OPT_LOG_FACILITY
} opt_type;

/* X(name, type, min, max, default text, help) - name is also the struct field.
 */
#define FW_OPTION_LIST(X)                                                                          \
    X(listen, OPT_STR, 0, 0, "0.0.0.0:8808",                                                       \
      "address:port to accept terminals on ([::]:port for IPv6)")                                  \
    X(workers, OPT_UINT, 0, 256, "0", "event loop threads (0 = one per core)")                     \
    X(max_connections, OPT_UINT, 0, 10000000, "0",                                                 \
      "connections in total (0 = as many as the open-file limit allows)")                          \
    X(max_connections_per_address, OPT_UINT, 0, 10000000, "10000",                                 \
      "connections from one source address, all workers (0 = no cap)")                             \
    X(idle_timeout_s, OPT_UINT, 1, 86400, "180", "close a connection silent this long")            \
    X(first_frame_timeout_s, OPT_UINT, 1, 3600, "30",                                              \
      "close a connection with no valid frame this long after connecting")                         \
    X(max_bad_frames, OPT_UINT, 1, 255, "8", "close after this many bad frames in a row")          \
    X(max_garbage_bytes, OPT_UINT, 1, 1073741824, "65536",                                         \
      "close a connection after this many bytes that are not frames, in its life")                 \
    X(max_empty_frames, OPT_UINT, 1, 1073741824, "1024",                                           \
      "close a connection after this many empty frames (7e7e beyond one), in its life")            \
    X(auth_timeout_s, OPT_UINT, 1, 86400, "60",                                                    \
      "close a connection not authenticated this long after connecting (with require_auth)")       \
    X(preauth_max_heartbeats, OPT_UINT, 0, 255, "3",                                               \
      "heartbeats answered before authentication (with require_auth); later ones get result 1")    \
    X(input_cap_bytes, OPT_UINT, 4096, 1048576, "16384",                                           \
      "bytes read from one connection per event (fairness)")                                       \
    X(output_cap_bytes, OPT_UINT, 1024, 16777216, "65536",                                         \
      "pause reading a connection while this many reply bytes are unsent")                         \
    X(sndbuf_bytes, OPT_UINT, 0, 16777216, "0",                                                    \
      "kernel send buffer per connection (SO_SNDBUF; 0 = the kernel's autotuning)")                \
    X(max_frame_rate, OPT_UINT, 0, 1000000, "500",                                                 \
      "frames per second per connection before reading pauses (0 = no cap)")                       \
    X(registry_path, OPT_STR, 0, 0, "", "vehicle registry JSON file (empty: no vehicles)")         \
    X(auth_fail_limit_phone, OPT_UINT, 0, 1000000, "5",                                            \
      "failed registrations/authentications of one phone before it is shut out (0 = never)")       \
    X(auth_fail_limit_address, OPT_UINT, 0, 1000000, "50",                                         \
      "failures from one source address before it is shut out (0 = never)")                        \
    X(auth_backoff_s, OPT_UINT, 1, 86400, "30", "first shut-out, doubled per further failure")     \
    X(auth_backoff_max_s, OPT_UINT, 1, 604800, "3600",                                             \
      "longest shut-out, and how long failures are remembered")                                    \
    X(auth_grants_max, OPT_UINT, 1, 100000000, "1000000",                                          \
      "auth codes kept in the process: all without Redis, else those this node confirmed")         \
    X(require_auth, OPT_BOOL, 0, 1, "true",                                                        \
      "accept data messages only from authenticated terminals")                                    \
    X(damaged_frames, OPT_DAMAGED, 0, 0, "reject",                                                 \
      "bad check code or length: reject (ack result 2), accept or drop")                           \
    X(log_level, OPT_LOG_LEVEL, 0, 0, "info", "error, warn, info or debug")                        \
    X(log_target, OPT_LOG_TARGET, 0, 0, "stderr",                                                  \
      "stderr (timestamped lines) or syslog (datagrams to log_syslog_socket, e.g. journald)")      \
    X(log_ident, OPT_STR, 0, 0, "fleetwatch", "program name in syslog lines")                      \
    X(log_facility, OPT_LOG_FACILITY, 0, 0, "daemon",                                              \
      "syslog facility: daemon, user, local0 .. local7, ...")                                      \
    X(log_syslog_socket, OPT_STR, 0, 0, "/dev/log", "unix datagram socket of syslog/journald")     \
    X(ack_slots, OPT_UINT, 16, 16777216, "65536", "location acks awaiting the sink, per worker")   \
    X(subpkg_max_msgs, OPT_UINT, 1, 65536, "64", "sub-packaged messages in progress, per worker")  \
    X(subpkg_max_bytes, OPT_UINT, 1024, 1073741824, "16777216",                                    \
      "sub-package bytes held, per worker (one terminal: at most 1/8 of it)")                      \
    X(subpkg_max_per_terminal, OPT_UINT, 1, 65536, "4",                                            \
      "sub-packaged messages in progress per terminal; its oldest is evicted for a new one")       \
    X(subpkg_timeout_ms, OPT_UINT, 100, 3600000, "10000",                                          \
      "silence before a 0x8003 resend request")                                                    \
    X(subpkg_retries, OPT_UINT, 0, 255, "3", "0x8003 requests before a message is dropped")        \
    X(shutdown_timeout_s, OPT_UINT, 0, 600, "5", "SIGTERM: longest wait for replies to flush")     \
    X(future_tolerance_s, OPT_UINT, 1, 31536000, "300",                                            \
      "a position dated further ahead of the server clock is kept flagged, used for nothing live")

/* Options that no longer exist, with what replaced them: X(name, why). */
#define FW_RETIRED_OPTION_LIST(X)                                                                  \
    X(auth_secret, "auth codes are now random per registration and kept hashed by the "            \
                   "authority (Redis); there is no secret to set (docs/security.md)")

typedef struct {
    const char *name;
    opt_type type;
    size_t offset;
    unsigned long min, max;
    const char *def;
    const char *help;
} opt_def;

static const opt_def options[] = {
#define FW_OPTION_DEF(name, type, min, max, def, help)                                             \
    {#name, type, offsetof(fw_server_config, name), min, max, def, help},
    FW_OPTION_LIST(FW_OPTION_DEF)
#undef FW_OPTION_DEF
};
#define N_OPTIONS (sizeof options / sizeof options[0])

static const char *const damaged_names[] = {"reject", "accept", "drop"};

static const opt_def *find_option(const char *key)
{
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (strcmp(options[i].name, key) == 0)
            return &options[i];
    return NULL;
}

static int parse_uint(const opt_def *o, const char *v, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (errno || end == v || *end || *v == '-' || n < o->min || n > o->max)
        return -1;
    *out = (unsigned)n;
    return 0;
}

static int parse_bool(const char *v, bool *out)
{
    if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "on") || !strcmp(v, "1"))
        *out = true;
    else if (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "off") || !strcmp(v, "0"))
        *out = false;
    else
        return -1;
    return 0;
}

static int parse_damaged(const char *v, fw_damaged_policy *out)
{
    for (size_t i = 0; i < sizeof damaged_names / sizeof damaged_names[0]; i++)
        if (strcmp(v, damaged_names[i]) == 0) {
            *out = (fw_damaged_policy)i;
            return 0;
        }
    return -1;
}

static int set_value(fw_server_config *c, const opt_def *o, const char *v)
{
    void *field = (char *)c + o->offset;
    switch (o->type) {
    case OPT_UINT:
        return parse_uint(o, v, field);
    case OPT_BOOL:
        return parse_bool(v, field);
    case OPT_DAMAGED:
        return parse_damaged(v, field);
    case OPT_LOG_LEVEL: {
        int level = fw_log_level_parse(v);
        if (level < 0)
            return -1;
        *(fw_log_level *)field = (fw_log_level)level;
        return 0;
    }
    case OPT_LOG_TARGET:
    case OPT_LOG_FACILITY: {
        int n = o->type == OPT_LOG_TARGET ? fw_log_target_parse(v) : fw_log_facility_parse(v);
        if (n < 0)
            return -1;
        *(int *)field = n;
        return 0;
    }
    case OPT_STR:
        if (strlen(v) >= FW_CONFIG_STR_MAX)
            return -1;
        strcpy(field, v);
        return 0;
    }
    return -1;
}

int fw_server_config_set(fw_server_config *c, const char *key, const char *value, char *err,
                         size_t errcap)
{
    const opt_def *o = find_option(key);
#define FW_RETIRED_CHECK(name, why)                                                                \
    if (!strcmp(key, #name)) {                                                                     \
        snprintf(err, errcap, "option '%s' was removed: %s", key, why);                            \
        return -1;                                                                                 \
    }
    FW_RETIRED_OPTION_LIST(FW_RETIRED_CHECK)
#undef FW_RETIRED_CHECK
    if (!o) {
        snprintf(err, errcap, "unknown option '%s'", key);
        return -1;
    }
    if (set_value(c, o, value) < 0) {
        if (o->type == OPT_UINT)
            snprintf(err, errcap, "%s: '%s' is not a number in %lu..%lu", key, value, o->min,
                     o->max);
        else
            snprintf(err, errcap, "%s: bad value '%s'", key, value);
        return -1;
    }
    return 0;
}

void fw_server_config_defaults(fw_server_config *c)
{
    memset(c, 0, sizeof *c);
    c->position = FW_POSITION_CONFIG_DEFAULT;
    char err[128];
    for (size_t i = 0; i < N_OPTIONS; i++)
        (void)fw_server_config_set(c, options[i].name, options[i].def, err, sizeof err);
}

void fw_server_config_usage(FILE *out)
{
    for (size_t i = 0; i < N_OPTIONS; i++)
        fprintf(out, "  --%s=VALUE\n      %s (default: %s)\n", options[i].name, options[i].help,
                *options[i].def ? options[i].def : "\"\"");
}

int fw_server_config_listen(const fw_server_config *c, char *host, size_t hostcap, uint16_t *port)
{
    const char *colon = strrchr(c->listen, ':');
    if (!colon || colon == c->listen)
        return -1;
    char *end;
    unsigned long p = strtoul(colon + 1, &end, 10);
    if (*end || end == colon + 1 || p == 0 || p > 65535)
        return -1;
    const char *start = c->listen;
    size_t len = (size_t)(colon - start);
    if (start[0] == '[' && colon[-1] == ']' && len > 2) { /* "[::1]:8808" */
        start++;
        len -= 2;
    }
    if (len >= hostcap)
        return -1;
    memcpy(host, start, len);
    host[len] = '\0';
    *port = (uint16_t)p;
    return 0;
}
