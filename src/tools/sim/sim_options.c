/* sim_options.c - fleetwatch-sim's options as tables of the option engine (fw/base/options.h),
 * which parses the command line and writes --help; the values it cannot check alone (the
 * platform address, phone digits, protocol, source addresses) have their parsers here.
 */
#include "sim_options.h"

#include <arpa/inet.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fw/base/options.h"

/* A number in [lo, hi]; false when malformed or out of range. */
static bool number_in(const char *text, double lo, double hi, double *out)
{
    char *end;
    double v = strtod(text, &end);
    if (end == text || *end || isnan(v) || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static bool parse_server(const char *text, struct sockaddr_in *out)
{
    char host[64];
    const char *colon = strrchr(text, ':');
    double port;
    if (!colon || (size_t)(colon - text) >= sizeof host || !number_in(colon + 1, 1, 65535, &port))
        return false;
    memcpy(host, text, (size_t)(colon - text));
    host[colon - text] = '\0';
    out->sin_port = htons((uint16_t)port);
    return inet_pton(AF_INET, host[0] ? host : "127.0.0.1", &out->sin_addr) == 1;
}

int sim_sources_parse(const char *spec, struct in_addr *out, int cap)
{
    char buf[1024];
    if (snprintf(buf, sizeof buf, "%s", spec) >= (int)sizeof buf)
        return -1;
    int n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *dash = strchr(tok, '-');
        if (dash)
            *dash = '\0';
        struct in_addr first;
        if (inet_pton(AF_INET, tok, &first) != 1)
            return -1;
        uint32_t lo = ntohl(first.s_addr), hi = lo;
        double last;
        if (dash) {
            struct in_addr end;
            if (inet_pton(AF_INET, dash + 1, &end) == 1)
                hi = ntohl(end.s_addr);
            else if (number_in(dash + 1, 0, 255, &last))
                hi = (lo & ~0xffu) | (uint32_t)last;
            else
                return -1;
        }
        if (hi < lo || hi - lo >= (uint32_t)(cap - n))
            return -1;
        for (uint32_t a = lo; a <= hi; a++)
            out[n++].s_addr = htonl(a);
    }
    return n > 0 ? n : -1;
}

static int parse_server_field(void *field, const char *text)
{
    return parse_server(text, field) ? 0 : -1;
}

static int parse_phone_base(void *field, const char *text)
{
    size_t n = strlen(text);
    if (n == 0 || n > JT_PHONE_MAX_DIGITS || strspn(text, "0123456789") != n)
        return -1;
    memcpy(field, text, n + 1);
    return 0;
}

static int parse_protocol(void *field, const char *text)
{
    return sim_protocol_parse(text, field);
}

#define FIELD(m) FW_OPT_FIELD(sim_options, m)
#define STR(m, ...)                                                                                \
    {                                                                                              \
        .name = m, .kind = FW_OPT_STR, __VA_ARGS__                                                 \
    }
#define UINT(m, lo, hi, ...)                                                                       \
    {                                                                                              \
        .name = m, .kind = FW_OPT_UINT, .min = lo, .max = hi, __VA_ARGS__                          \
    }
#define NUM(m, lo, hi, ...)                                                                        \
    {                                                                                              \
        .name = m, .kind = FW_OPT_DOUBLE, .min = lo, .max = hi, __VA_ARGS__                        \
    }
#define SWITCH(m, ...)                                                                             \
    {                                                                                              \
        .name = m, .kind = FW_OPT_SWITCH, __VA_ARGS__                                              \
    }

static const fw_option who_rows[] = {
    {.name = "server",
     .short_name = 's',
     .kind = FW_OPT_CUSTOM,
     FIELD(server),
     .parse = parse_server_field,
     .def = "127.0.0.1:8808",
     .arg = "HOST:PORT",
     .help = "platform address"},
    UINT("terminals", 1, 10e6, .short_name = 'n', FIELD(terminals),
         .help = "terminals (default: one per vehicle of the file, else 1)"),
    {.name = "phone-base",
     .kind = FW_OPT_CUSTOM,
     FIELD(phone_base),
     .parse = parse_phone_base,
     .def = "13800000000",
     .arg = "DIGITS",
     .help = "first phone number without a file (up to 20 digits)"},
    STR("scenario", FIELD(scenario_path), .arg = "FILE",
        .help = "play a scenario (vehicles, paths, events: docs/sim.md)"),
    STR("registry", FIELD(registry_path), .arg = "FILE",
        .help = "take phones and plates from {\"vehicles\": [...]}"),
    {.name = "proto",
     .kind = FW_OPT_CUSTOM,
     FIELD(protocol),
     .parse = parse_protocol,
     .def = "2013",
     .arg = "2013|2019|2011",
     .help = "protocol version (2011: the 2011 registration layout; vehicles may override)"},
};

static const fw_option what_rows[] = {
    NUM("report-s", 0, 86400, FIELD(report_s), .arg = "S",
        .help = "scenario seconds between reports (default 30; a scenario may set it); 0 = back "
                "to back, keeping -k frames in flight"),
    NUM("heartbeat-s", 0.1, 86400, FIELD(heartbeat_s), .arg = "S", .def = "30",
        .help = "heartbeat after S wall seconds of silence"),
    UINT("inflight", 1, SIM_MAX_INFLIGHT, .short_name = 'k', FIELD(inflight), .def = "1",
         .help = "unacked location frames per connection (32 for pipelined load)"),
    UINT("batch", 1, SIM_MAX_BATCH, FIELD(batch), .arg = "B",
         .help = "send 0x0704 batches of B points instead of 0x0200"),
    SWITCH("blind", FIELD(blind),
           .help = "batches are blind-area retransmissions (type 1), with timestamps --blind-age "
                   "S old"),
    NUM("blind-age", 0, 1e8, FIELD(blind_age_s), .arg = "S", .def = "3600",
        .help = "age of blind-area timestamps"),
    NUM("compress", 1e-3, 1e6, FIELD(compression), .arg = "F",
        .help = "scenario seconds per wall second (overrides the file)"),
};

static const fw_option how_rows[] = {
    NUM("duration", 0, 1e9, .short_name = 'd', FIELD(duration_s), .arg = "S",
        .help = "measure for S wall seconds once all terminals are up (0 = no limit)"),
    UINT("frames", 1, 1e15, FIELD(frames), .help = "stop after N location frames in all"),
    NUM("ramp", 1, 1e7, FIELD(ramp_per_s), .arg = "R", .def = "2000",
        .help = "new connections per second (all processes)"),
    UINT("procs", 1, 256, FIELD(procs), .arg = "P",
         .help = "processes (default: enough for 19000 sockets each)"),
    STR("src", FIELD(src_spec), .arg = "SPEC",
        .help = "source addresses, e.g. 127.0.0.2-127.0.0.9 or a,b,c (default for loopback: one "
                "127.0.0.x per 10000 terminals)"),
    NUM("ack-timeout", 0.01, 3600, FIELD(ack_timeout_s), .arg = "S", .def = "10",
        .help = "count an unacked frame as an error after S"),
    NUM("drain", 0, 3600, FIELD(drain_s), .arg = "S", .def = "3",
        .help = "wait up to S for outstanding acks at the end"),
    NUM("progress", 0, 3600, FIELD(progress_s), .arg = "S", .def = "5",
        .help = "progress line on stderr every S seconds (0 = off)"),
    STR("ack-log", FIELD(ack_log_path), .arg = "FILE",
        .help = "write \"phone gnss_time_ms\" for every position acked with result 0; a terminal "
                "then never reuses a GNSS second"),
    SWITCH("verbose", .short_name = 'v', FIELD(verbose),
           .help = "log commands received and connection changes"),
    SWITCH("print-registry", FIELD(print_registry),
           .help = "print a fleetwatch registry of the terminals and exit"),
};
#undef FIELD
#undef STR
#undef UINT
#undef NUM
#undef SWITCH

static const fw_opt_table who_table = FW_OPT_TABLE(who_rows);
static const fw_opt_table what_table = FW_OPT_TABLE(what_rows);
static const fw_opt_table how_table = FW_OPT_TABLE(how_rows);

static const char synopsis[] =
    "usage: fleetwatch-sim [options]\n"
    "Simulates JT/T 808 terminals against a platform: connect, register (0x0100),\n"
    "authenticate (0x0102), heartbeat (0x0002), report locations (0x0200 / 0x0704) along a\n"
    "path, answer platform commands with 0x0001; prints frames sent and acked and the ack\n"
    "latency percentiles, then one machine-readable line starting with \"result \".\n";

static const char epilogue[] =
    "Without --duration, --frames or a scenario end, it runs until SIGINT/SIGTERM, then\n"
    "drains and prints the report.\n"
    "\n"
    "examples:\n"
    "  fleetwatch-sim -n 100 --report-s 2 -d 60            100 real-looking terminals\n"
    "  fleetwatch-sim -n 19000 --report-s 2 -d 120 --ramp 1000\n"
    "  fleetwatch-sim -n 200 --report-s 0 -k 32 -d 30      pipelined load, 32 in flight\n"
    "  fleetwatch-sim -n 100000 --procs 6 --src 127.0.0.2-127.0.0.11 --report-s 2 -d 120\n"
    "  fleetwatch-sim --scenario tests/data/scenarios/lianyungang_demo.json -v\n"
    "  fleetwatch-sim --registry tests/data/registry_test.json --proto 2019 --report-s 5\n"
    "  fleetwatch-sim -n 19000 --print-registry > registry.json    (for fleetwatch)\n";

/* The values checked together, after the command line. 0, or -1 after a message on err. */
static int check(sim_options *o, FILE *err)
{
    int n = o->src_spec[0] ? sim_sources_parse(o->src_spec, o->sources, SIM_MAX_SOURCES) : 0;
    if (n < 0) {
        fprintf(err,
                "fleetwatch-sim: src: '%s' is not a list of IPv4 addresses and ranges "
                "(a.b.c.d-e or a-b, comma-separated, at most %d)\n",
                o->src_spec, SIM_MAX_SOURCES);
        return -1;
    }
    o->source_count = (uint32_t)n;
    if (o->scenario_path[0] && o->registry_path[0]) {
        fputs("fleetwatch-sim: --scenario and --registry exclude each other\n", err);
        return -1;
    }
    return 0;
}

int sim_options_parse(int argc, char **argv, sim_options *o, FILE *err)
{
    const fw_opt_group groups[] = {
        {"who", &who_table, o}, {"what", &what_table, o}, {"how long and how hard", &how_table, o}};
    const fw_opt_program program = {.name = "fleetwatch-sim",
                                    .synopsis = synopsis,
                                    .epilogue = epilogue,
                                    .groups = groups,
                                    .n_groups = sizeof groups / sizeof groups[0]};
    memset(o, 0, sizeof *o);
    o->server.sin_family = AF_INET;
    o->report_s = -1; /* "not given": the scenario's value, else 30 */
    for (size_t g = 0; g < program.n_groups; g++)
        (void)fw_opt_defaults(groups[g].table, o);
    char why[512];
    int rc = fw_opt_parse_args(&program, argc, argv, NULL, why, sizeof why);
    if (rc < 0)
        fprintf(err, "fleetwatch-sim: %s\nfleetwatch-sim: see --help\n", why);
    return rc != 0 ? rc : check(o, err);
}
