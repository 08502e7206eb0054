/* main.c - fleetwatch-api: the police query API (api.h) as a process of its own, reading
 * Redis alone. Options come from a `key = value` file (-c/--config) and --key=value flags,
 * through the option engine (fw/base/options.h); SIGHUP reloads the token file, SIGINT/SIGTERM
 * stop. Once listening it prints "listening on <port>" on stdout (so api_listen=127.0.0.1:0
 * can be used by tests).
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw/api/api.h"
#include "fw/base/log.h"
#include "fw/base/options.h"

/* The API's options and the logger's. */
typedef struct {
    fw_api_config api;
    fw_log_config log;
} api_options;

static const char synopsis[] =
    "usage: fleetwatch-api [-c FILE] [--OPTION=VALUE ...]\n"
    "The police query API on its own, reading Redis alone (no gateway: /metrics shows only the\n"
    "API's counters, text sending answers 503). Prints \"listening on <port>\" once listening.\n";

static const char epilogue[] = "Signals: SIGHUP reloads the token file; SIGINT/SIGTERM stop.\n"
                               "See docs/api.md.\n";

/* 0 to run, 1 when --help or --version was printed, -1 after a message on stderr. */
static int parse_args(api_options *o, int argc, char **argv)
{
    const fw_opt_group groups[] = {{"Police API and its Redis", &fw_api_options, &o->api},
                                   {"Logging", &fw_log_options, &o->log}};
    const fw_opt_program program = {.name = "fleetwatch-api",
                                    .synopsis = synopsis,
                                    .epilogue = epilogue,
                                    .config_file = true,
                                    .groups = groups,
                                    .n_groups = 2};
    char err[600];
    int rc = fw_opt_parse_args(&program, argc, argv, NULL, err, sizeof err);
    if (rc < 0)
        fprintf(stderr, "fleetwatch-api: %s\n", err);
    return rc;
}

int main(int argc, char **argv)
{
    static api_options opts;
    fw_api_config_defaults(&opts.api);
    fw_log_config_defaults(&opts.log, "fleetwatch-api");
    int parsed = parse_args(&opts, argc, argv);
    if (parsed != 0)
        return parsed > 0 ? 0 : 2;
    char err[600] = "";
    if (fw_log_start(&opts.log, err, sizeof err) != 0) {
        FW_LOG_ERROR("%s", err);
        return 1;
    }
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL); /* the API thread inherits the mask */
    signal(SIGPIPE, SIG_IGN);
    fw_api *api = fw_api_check_fd_budget(&opts.api, err, sizeof err) == 0
                      ? fw_api_start(&opts.api, NULL, err, sizeof err)
                      : NULL;
    if (api == NULL) {
        FW_LOG_ERROR("api: %s", err);
        return 1;
    }
    printf("listening on %u\n", fw_api_port(api));
    fflush(stdout);
    for (;;) {
        int sig = 0;
        sigwait(&sigs, &sig);
        if (sig != SIGHUP)
            break;
        if (fw_api_reload_tokens(api, err, sizeof err) != 0)
            FW_LOG_WARN("api: token reload failed, the old tokens stay: %s", err);
    }
    fw_api_stop(api);
    fw_log_close();
    return 0;
}
