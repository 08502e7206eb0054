/* main.c - `fleetwatch`, the terminal gateway: options from a config file and the command line,
 * then the gateway (fw_server) until SIGTERM/SIGINT; SIGHUP reloads the vehicle registry.
 *
 * Signals are blocked in every thread and taken synchronously by the main thread (sigwait),
 * never in a signal handler; the workers run on their own threads.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw/server.h"
#include "fw/server_log.h"

static void usage(FILE *out)
{
    fprintf(out, "Usage: fleetwatch [-c FILE] [--OPTION=VALUE ...]\n"
                 "JT/T 808 terminal gateway: registers, authenticates and acks terminals, hands\n"
                 "their locations to the rule engine and the store.\n\n"
                 "  -c, --config FILE   read options from FILE (`key = value` lines, # comments);\n"
                 "                      command-line options given after it override the file\n"
                 "  -h, --help          this text\n\n"
                 "Options (in a file write `name = value`; on the command line --name=VALUE or\n"
                 "--name VALUE):\n");
    fw_server_config_usage(out);
    fprintf(out, "\nSignals: SIGTERM/SIGINT stop gracefully (flush replies, exit 0); SIGHUP\n"
                 "reloads the vehicle registry. See docs/operations.md.\n");
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

static int parse_args(int argc, char **argv, fw_server_config *cfg)
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
        int rc = config ? fw_server_config_load(cfg, value, err, sizeof err)
                        : fw_server_config_set(cfg, name, value, err, sizeof err);
        if (rc < 0) {
            fprintf(stderr, "fleetwatch: %s\n", err);
            return -1;
        }
    }
    return 0;
}

/* Wait for signals on the main thread: SIGHUP reloads, SIGTERM/SIGINT return. */
static void serve_signals(fw_server *srv, const sigset_t *sigs)
{
    for (;;) {
        int sig = 0;
        if (sigwait(sigs, &sig) != 0)
            continue;
        if (sig != SIGHUP) {
            FW_LOG_INFO("signal %d: stopping", sig);
            return;
        }
        char err[512];
        if (fw_server_reload(srv, err, sizeof err) < 0)
            FW_LOG_ERROR("reload failed, keeping the old registry: %s", err);
    }
}

int main(int argc, char **argv)
{
    fw_server_config cfg;
    fw_server_config_defaults(&cfg);
    if (parse_args(argc, argv, &cfg) < 0)
        return 2;
    fw_log_set_level(cfg.log_level);
    signal(SIGPIPE, SIG_IGN);

    /* Blocked before any thread exists, so every thread inherits the mask: the signals stay
     * pending until serve_signals() takes them, and a SIGTERM at any moment is graceful. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);

    char err[512];
    fw_server *srv = fw_server_new(&cfg, NULL, err, sizeof err);
    if (!srv) {
        FW_LOG_ERROR("%s", err);
        return 1;
    }
    if (fw_server_start(srv) < 0) {
        FW_LOG_ERROR("cannot start the worker threads");
        fw_server_free(srv);
        return 1;
    }
    serve_signals(srv, &sigs);
    fw_server_stop(srv);
    fw_server_free(srv);
    FW_LOG_INFO("stopped");
    return 0;
}
