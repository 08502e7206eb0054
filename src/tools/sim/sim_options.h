/* sim_options.h - fleetwatch-sim's command line: what to simulate, how hard and for how long.
 *
 * sim_options_parse() fills a sim_options from argv (the option engine, fw/base/options.h) with
 * the defaults below and checks the values; --help prints the usage with examples, --version
 * the version. Nothing here touches the network.
 */
#ifndef FW_SIM_OPTIONS_H
#define FW_SIM_OPTIONS_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sim_fleet.h"

#define SIM_MAX_SOURCES  64
#define SIM_MAX_INFLIGHT 256
#define SIM_MAX_PER_PROC 19000 /* sockets per process: the open-file limit here is 20,000 */
#define SIM_MAX_BATCH    24    /* points per 0x0704 that surely fit a 1023-byte body */
#define SIM_PATH_MAX     4096

typedef struct {
    struct sockaddr_in server;                /* --server host:port (default 127.0.0.1:8808) */
    uint32_t terminals;                       /* -n; 0: one per vehicle of the file, else 1 */
    char phone_base[JT_PHONE_MAX_DIGITS + 1]; /* --phone-base: first phone in base mode */
    char scenario_path[SIM_PATH_MAX];         /* --scenario FILE; empty = none */
    char registry_path[SIM_PATH_MAX];         /* --registry FILE; empty = none */
    sim_protocol protocol;                    /* --proto 2013|2019|2011 (vehicles may override) */
    double report_s;     /* --report-s: scenario seconds between 0x0200; 0: as fast
                            as acks allow, keeping --inflight frames in flight */
    double heartbeat_s;  /* --heartbeat-s: 0x0002 after this much silence (wall) */
    uint32_t inflight;   /* -k --inflight: unacked location frames per connection */
    double duration_s;   /* --duration: wall seconds of measurement; 0: no limit */
    uint64_t frames;     /* --frames: location frames to send in all; 0: no limit */
    double ramp_per_s;   /* --ramp: new connections per second (all processes) */
    uint32_t procs;      /* --procs; 0: as many as the per-process limit needs */
    char src_spec[1024]; /* --src as given */
    struct in_addr sources[SIM_MAX_SOURCES]; /* --src: source addresses, round robin */
    uint32_t source_count;                   /* 0: let the kernel choose */
    double ack_timeout_s;            /* --ack-timeout: an unacked frame counts as an error */
    double drain_s;                  /* --drain: wait for outstanding acks at the end */
    uint16_t batch;                  /* --batch B: 0x0704 of B points instead of 0x0200 */
    bool blind;                      /* --blind: batches are type 1 with old timestamps */
    double blind_age_s;              /* --blind-age: how old those timestamps are */
    double compression;              /* --compress: overrides the scenario's factor; 0: keep */
    double progress_s;               /* --progress: progress line period; 0: none */
    bool verbose;                    /* -v: log every downlink command and state change */
    bool print_registry;             /* --print-registry: write the terminals\' registry and exit */
    char ack_log_path[SIM_PATH_MAX]; /* --ack-log FILE: "phone gnss_time_ms" per acked
                                        position; also keeps each terminal's GNSS seconds unique
                                        (docs/sim.md); empty = none */
} sim_options;

/* Parse argv. Returns 0 to run, 1 when --help or --version was printed (exit 0), -1 on a bad
 * option (a message was written to err). */
int sim_options_parse(int argc, char **argv, sim_options *o, FILE *err);

/* Parse "127.0.0.2-127.0.0.9", "127.0.0.2-9" or "a,b,c" into out; returns the count or -1. */
int sim_sources_parse(const char *spec, struct in_addr *out, int cap);

#endif
