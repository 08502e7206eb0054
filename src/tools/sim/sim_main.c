/* sim_main.c - fleetwatch-sim: simulated JT/T 808 terminals and load generator.
 *
 * Parses the options, loads the scenario or registry, splits the terminals over one or more
 * processes (fork; each holds at most 19,000 sockets), runs an engine in each, and prints the
 * merged report: a human-readable block and a "result key=value ..." line for scripts.
 * Exit status: 0 after a run, 1 when it could not start, 2 for bad options.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim_acklog.h"
#include "sim_engine.h"
#include "sim_fleet.h"
#include "sim_net.h"
#include "sim_options.h"
#include "sim_report.h"

#define FD_RESERVE           64    /* descriptors kept for stdio, the event loop, pipes */
#define TERMINALS_PER_SOURCE 10000 /* automatic source addresses: one per this many */

static pid_t children[256];
static int child_count;

static void forward_sigterm(int sig)
{
    (void)sig;
    for (int i = 0; i < child_count; i++)
        kill(children[i], SIGTERM);
}

static int load_fleet(const sim_options *o, sim_fleet *f)
{
    char err[512];
    const char *path = o->scenario_path[0] ? o->scenario_path : o->registry_path;
    sim_fleet_init(f);
    if (path[0] && sim_fleet_load(f, path, &o->protocol, err, sizeof err) < 0) {
        fprintf(stderr, "fleetwatch-sim: %s\n", err);
        return -1;
    }
    if (!f->start_utc)
        f->start_utc = time(NULL);
    return 0;
}

/* Terminal count, and checks of the phone numbers it implies. */
static int count_terminals(const sim_options *o, const sim_fleet *f, uint32_t *n)
{
    *n = o->terminals ? o->terminals : f->count ? (uint32_t)f->count : 1;
    if (f->count && *n > f->count) {
        fprintf(stderr, "fleetwatch-sim: the file has %zu vehicles; -n %u is too many\n", f->count,
                *n);
        return -1;
    }
    size_t width = strlen(o->phone_base);
    size_t max_width = o->protocol.version == JT_V2013 ? 12 : 19;
    unsigned long long last = strtoull(o->phone_base, NULL, 10) + *n - 1;
    char digits[32];
    if (!f->count &&
        (width > max_width || (size_t)snprintf(digits, sizeof digits, "%llu", last) > width)) {
        fprintf(stderr,
                "fleetwatch-sim: --phone-base %s cannot number %u terminals (%zu digits "
                "at most)\n",
                o->phone_base, *n, max_width);
        return -1;
    }
    return 0;
}

/* Processes needed for the per-process socket limit, or the one asked for if enough. */
static int count_procs(const sim_options *o, uint32_t n, uint32_t *procs)
{
    uint64_t fd_limit = sim_net_raise_fd_limit();
    uint64_t per_proc = fd_limit > FD_RESERVE ? fd_limit - FD_RESERVE : 1;
    per_proc = per_proc < SIM_MAX_PER_PROC ? per_proc : SIM_MAX_PER_PROC;
    uint32_t needed = (uint32_t)((n + per_proc - 1) / per_proc);
    *procs = o->procs ? o->procs : needed;
    if (*procs < needed || *procs > 256 || *procs > n) {
        fprintf(stderr,
                "fleetwatch-sim: %u terminals need between %u and %u processes "
                "(open-file limit %llu)\n",
                n, needed, n < 256 ? n : 256, (unsigned long long)fd_limit);
        return -1;
    }
    return 0;
}

/* Without --src, a loopback target gets one source address per 10,000 terminals: past about
 * 14,000 connections from one address the kernel's ephemeral port search (even ports first)
 * stalls connect() for seconds. */
static void choose_sources(sim_options *o, uint32_t n)
{
    bool loopback = (ntohl(o->server.sin_addr.s_addr) >> 24) == 127;
    if (o->source_count || !loopback || n <= TERMINALS_PER_SOURCE)
        return;
    uint32_t count = (n + TERMINALS_PER_SOURCE - 1) / TERMINALS_PER_SOURCE;
    for (uint32_t i = 0; i < count && i < SIM_MAX_SOURCES; i++)
        o->sources[i].s_addr = htonl(INADDR_LOOPBACK + i);
    o->source_count = count < SIM_MAX_SOURCES ? count : SIM_MAX_SOURCES;
}

/* Run terminals [first, first + count) here; the report goes to *out. */
static int run_share(const sim_options *o, const sim_fleet *f, uint32_t first, uint32_t count,
                     uint64_t frames, double ramp, uint64_t t0_us, const char *tag, sim_report *out)
{
    sim_engine *e = calloc(1, sizeof *e);
    if (!e || sim_engine_init(e, o, f, first, count, frames, ramp, t0_us, tag) < 0) {
        fprintf(stderr, "%sfleetwatch-sim: cannot set up the event loop\n", tag);
        if (e)
            sim_engine_free(e);
        free(e);
        return -1;
    }
    sim_engine_run(e);
    *out = e->report;
    sim_engine_free(e);
    free(e);
    return 0;
}

static bool write_all(int fd, const void *p, size_t n)
{
    for (const char *c = p; n;) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        c += w;
        n -= (size_t)w;
    }
    return true;
}

static bool read_all(int fd, void *p, size_t n)
{
    for (char *c = p; n;) {
        ssize_t r = read(fd, c, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        c += r;
        n -= (size_t)r;
    }
    return true;
}

/* Fork one child per share; each writes its report into a pipe; the parent merges them. */
static int run_forked(const sim_options *o, const sim_fleet *f, uint32_t n, uint32_t procs,
                      uint64_t frames, uint64_t t0_us, sim_report *merged)
{
    int pipes[256];
    for (uint32_t k = 0; k < procs; k++) {
        uint32_t first = (uint32_t)((uint64_t)n * k / procs);
        uint32_t count = (uint32_t)((uint64_t)n * (k + 1) / procs) - first;
        uint64_t budget = frames == UINT64_MAX ? frames : frames / procs + (k < frames % procs);
        int fds[2];
        if (pipe(fds) < 0 || (children[k] = fork()) < 0) {
            perror("fleetwatch-sim: fork");
            forward_sigterm(SIGTERM);
            return -1;
        }
        if (children[k] == 0) {
            signal(SIGINT, SIG_DFL);
            signal(SIGTERM, SIG_DFL);
            close(fds[0]);
            char tag[32];
            snprintf(tag, sizeof tag, "[proc %u] ", k);
            sim_report r;
            int rc = run_share(o, f, first, count, budget, o->ramp_per_s / procs, t0_us, tag, &r);
            _exit(rc == 0 && write_all(fds[1], &r, sizeof r) ? 0 : 1);
        }
        close(fds[1]);
        pipes[k] = fds[0];
        child_count = (int)k + 1;
    }
    int failed = 0;
    static sim_report r;
    for (uint32_t k = 0; k < procs; k++) {
        if (read_all(pipes[k], &r, sizeof r))
            sim_report_merge(merged, &r);
        else
            failed++;
        close(pipes[k]);
        while (waitpid(children[k], NULL, 0) < 0 && errno == EINTR)
            ;
    }
    if (failed)
        fprintf(stderr, "fleetwatch-sim: %d process(es) ended without a report\n", failed);
    return failed == (int)procs ? -1 : 0;
}

int main(int argc, char **argv)
{
    static sim_options opt;
    int rc = sim_options_parse(argc, argv, &opt, stderr);
    if (rc != 0)
        return rc > 0 ? 0 : 2;
    static sim_fleet fleet;
    uint32_t n, procs;
    if (load_fleet(&opt, &fleet) < 0 || count_terminals(&opt, &fleet, &n) < 0 ||
        count_procs(&opt, n, &procs) < 0)
        return 2;
    if (opt.print_registry) {
        rc = sim_fleet_write_registry(&fleet, opt.phone_base, n, stdout);
        sim_fleet_free(&fleet);
        return rc < 0 ? 1 : 0;
    }
    choose_sources(&opt, n);
    if (opt.ack_log_path[0] && sim_acklog_create(opt.ack_log_path) < 0) {
        fprintf(stderr, "fleetwatch-sim: %s: %s\n", opt.ack_log_path, strerror(errno));
        sim_fleet_free(&fleet);
        return 1;
    }
    uint64_t frames = opt.frames ? opt.frames : UINT64_MAX;
    uint64_t t0_us = sim_clock_us();
    static sim_report report;
    if (procs == 1) {
        rc = run_share(&opt, &fleet, 0, n, frames, opt.ramp_per_s, t0_us, "", &report);
    } else {
        sim_report_init(&report);
        report.procs = 0;
        signal(SIGINT, SIG_IGN); /* the children get it from the terminal and drain */
        signal(SIGTERM, forward_sigterm);
        rc = run_forked(&opt, &fleet, n, procs, frames, t0_us, &report);
    }
    sim_fleet_free(&fleet);
    if (rc < 0)
        return 1;
    sim_report_print(&report, stdout);
    return 0;
}
