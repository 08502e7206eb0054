/* sim_options.c - command-line parsing and --help for fleetwatch-sim (sim_options.h). */
#include "sim_options.h"

#include <arpa/inet.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void sim_options_usage(FILE *to)
{
    fputs("usage: fleetwatch-sim [options]\n"
          "Simulates JT/T 808 terminals against a platform: connect, register (0x0100),\n"
          "authenticate (0x0102), heartbeat (0x0002), report locations (0x0200 / 0x0704) along a\n"
          "path, answer platform commands with 0x0001; prints frames sent and acked and the ack\n"
          "latency percentiles, then one machine-readable line starting with \"result \".\n"
          "\n"
          "who:\n"
          "  -s, --server HOST:PORT   platform address (default 127.0.0.1:8808)\n"
          "  -n, --terminals N        terminals (default: one per vehicle of the file, else 1)\n"
          "      --phone-base DIGITS  first phone number without a file (default 13800000000)\n"
          "      --scenario FILE      play a scenario (vehicles, paths, events: docs/sim.md)\n"
          "      --registry FILE      take phones and plates from {\"vehicles\": [...]}\n"
          "      --proto V            2013, 2019 or 2011 (2011 registration layout; default 2013)\n"
          "what:\n"
          "      --report-s S         scenario seconds between reports (default 30; scenario may\n"
          "                           set it); 0 = back to back, keeping -k frames in flight\n"
          "      --heartbeat-s S      heartbeat after S wall seconds of silence (default 30)\n"
          "  -k, --inflight K         unacked location frames per connection (default 1; 32 for\n"
          "                           pipelined load)\n"
          "      --batch B            send 0x0704 batches of B (<= 24) points instead of 0x0200\n"
          "      --blind              batches are blind-area retransmissions (type 1), with\n"
          "                           timestamps --blind-age S old (default 3600)\n"
          "      --compress F         scenario seconds per wall second (overrides the file)\n"
          "how long and how hard:\n"
          "  -d, --duration S         measure for S wall seconds once all terminals are up\n"
          "      --frames N           stop after N location frames in all\n"
          "      --ramp R             new connections per second (default 2000)\n"
          "      --procs P            processes (default: enough for 19000 sockets each)\n"
          "      --src SPEC           source addresses, e.g. 127.0.0.2-127.0.0.9 or a,b,c\n"
          "                           (default for loopback: one 127.0.0.x per 10000 terminals)\n"
          "      --ack-timeout S      count an unacked frame as an error after S (default 10)\n"
          "      --drain S            wait up to S for outstanding acks at the end (default 3)\n"
          "      --progress S         progress line on stderr every S seconds (default 5, 0 off)\n"
          "      --ack-log FILE       write \"phone gnss_time_ms\" for every position acked with\n"
          "                           result 0; a terminal then never reuses a GNSS second\n"
          "  -v, --verbose            log commands received and connection changes\n"
          "      --print-registry     print a fleetwatch registry of the terminals and exit\n"
          "  -h, --help\n"
          "\n"
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
          "  fleetwatch-sim -n 19000 --print-registry > registry.json    (for fleetwatch)\n",
          to);
}

enum {
    OPT_PHONE_BASE = 256,
    OPT_SCENARIO,
    OPT_REGISTRY,
    OPT_PROTO,
    OPT_REPORT,
    OPT_HEARTBEAT,
    OPT_BATCH,
    OPT_BLIND,
    OPT_BLIND_AGE,
    OPT_COMPRESS,
    OPT_FRAMES,
    OPT_RAMP,
    OPT_PROCS,
    OPT_SRC,
    OPT_ACK_TIMEOUT,
    OPT_DRAIN,
    OPT_PROGRESS,
    OPT_PRINT_REGISTRY,
    OPT_ACK_LOG
};

static const struct option long_options[] = {
    {"server", required_argument, NULL, 's'},
    {"terminals", required_argument, NULL, 'n'},
    {"phone-base", required_argument, NULL, OPT_PHONE_BASE},
    {"scenario", required_argument, NULL, OPT_SCENARIO},
    {"registry", required_argument, NULL, OPT_REGISTRY},
    {"proto", required_argument, NULL, OPT_PROTO},
    {"report-s", required_argument, NULL, OPT_REPORT},
    {"heartbeat-s", required_argument, NULL, OPT_HEARTBEAT},
    {"inflight", required_argument, NULL, 'k'},
    {"batch", required_argument, NULL, OPT_BATCH},
    {"blind", no_argument, NULL, OPT_BLIND},
    {"blind-age", required_argument, NULL, OPT_BLIND_AGE},
    {"compress", required_argument, NULL, OPT_COMPRESS},
    {"duration", required_argument, NULL, 'd'},
    {"frames", required_argument, NULL, OPT_FRAMES},
    {"ramp", required_argument, NULL, OPT_RAMP},
    {"procs", required_argument, NULL, OPT_PROCS},
    {"src", required_argument, NULL, OPT_SRC},
    {"ack-timeout", required_argument, NULL, OPT_ACK_TIMEOUT},
    {"drain", required_argument, NULL, OPT_DRAIN},
    {"progress", required_argument, NULL, OPT_PROGRESS},
    {"verbose", no_argument, NULL, 'v'},
    {"print-registry", no_argument, NULL, OPT_PRINT_REGISTRY},
    {"ack-log", required_argument, NULL, OPT_ACK_LOG},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static void set_defaults(sim_options *o)
{
    memset(o, 0, sizeof *o);
    o->server.sin_family = AF_INET;
    o->server.sin_port = htons(8808);
    o->server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    strcpy(o->phone_base, "13800000000");
    o->protocol = (sim_protocol){JT_V2013, JT_REG_2013};
    o->report_s = -1; /* "not given": the scenario's value, else 30 */
    o->heartbeat_s = 30;
    o->inflight = 1;
    o->ramp_per_s = 2000;
    o->ack_timeout_s = 10;
    o->drain_s = 3;
    o->blind_age_s = 3600;
    o->progress_s = 5;
}

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

/* Handle one option; false when its value is bad. */
static bool apply_option(sim_options *o, int opt, const char *arg)
{
    double v;
    switch (opt) {
    case 's':
        return parse_server(arg, &o->server);
    case 'n':
        return number_in(arg, 1, 10e6, &v) && (o->terminals = (uint32_t)v, true);
    case OPT_PHONE_BASE:
        return strlen(arg) <= 20 && strspn(arg, "0123456789") == strlen(arg) && *arg &&
               (strcpy(o->phone_base, arg), true);
    case OPT_SCENARIO:
        o->scenario_path = arg;
        return true;
    case OPT_REGISTRY:
        o->registry_path = arg;
        return true;
    case OPT_PROTO:
        return sim_protocol_parse(arg, &o->protocol) == 0;
    case OPT_REPORT:
        return number_in(arg, 0, 86400, &o->report_s);
    case OPT_HEARTBEAT:
        return number_in(arg, 0.1, 86400, &o->heartbeat_s);
    case 'k':
        return number_in(arg, 1, SIM_MAX_INFLIGHT, &v) && (o->inflight = (uint32_t)v, true);
    case OPT_BATCH:
        return number_in(arg, 1, SIM_MAX_BATCH, &v) && (o->batch = (uint16_t)v, true);
    case OPT_BLIND:
        o->blind = true;
        return true;
    case OPT_BLIND_AGE:
        return number_in(arg, 0, 1e8, &o->blind_age_s);
    case OPT_COMPRESS:
        return number_in(arg, 1e-3, 1e6, &o->compression);
    case 'd':
        return number_in(arg, 0, 1e9, &o->duration_s);
    case OPT_FRAMES:
        return number_in(arg, 1, 1e15, &v) && (o->frames = (uint64_t)v, true);
    case OPT_RAMP:
        return number_in(arg, 1, 1e7, &o->ramp_per_s);
    case OPT_PROCS:
        return number_in(arg, 1, 256, &v) && (o->procs = (uint32_t)v, true);
    case OPT_SRC: {
        int n = sim_sources_parse(arg, o->sources, SIM_MAX_SOURCES);
        return n > 0 && (o->source_count = (uint32_t)n, true);
    }
    case OPT_ACK_TIMEOUT:
        return number_in(arg, 0.01, 3600, &o->ack_timeout_s);
    case OPT_DRAIN:
        return number_in(arg, 0, 3600, &o->drain_s);
    case OPT_PROGRESS:
        return number_in(arg, 0, 3600, &o->progress_s);
    case 'v':
        o->verbose = true;
        return true;
    case OPT_PRINT_REGISTRY:
        o->print_registry = true;
        return true;
    case OPT_ACK_LOG:
        o->ack_log_path = arg;
        return *arg != '\0';
    default:
        return false;
    }
}

int sim_options_parse(int argc, char **argv, sim_options *o, FILE *err)
{
    set_defaults(o);
    optind = 1;
    int opt;
    while ((opt = getopt_long(argc, argv, "s:n:k:d:vh", long_options, NULL)) != -1) {
        if (opt == 'h') {
            sim_options_usage(stdout);
            return 1;
        }
        if (opt == '?' || !apply_option(o, opt, optarg)) {
            if (opt != '?')
                fprintf(err, "fleetwatch-sim: bad option value \"%s\"\n", optarg ? optarg : "");
            fputs("fleetwatch-sim: see --help\n", err);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(err, "fleetwatch-sim: unexpected argument %s (see --help)\n", argv[optind]);
        return -1;
    }
    if (o->scenario_path && o->registry_path) {
        fputs("fleetwatch-sim: --scenario and --registry exclude each other\n", err);
        return -1;
    }
    return 0;
}
