/* main.c - fleetwatch-api: the police query API (api.h) as a process of its own, reading
 * Redis alone. Options come from a `key = value` file (--config) and --key=value flags: the
 * API's own and the logger's (log_level, log_target ...: log.h); SIGHUP reloads the token file,
 * SIGINT/SIGTERM stop. Once listening it prints "listening on <port>" on stdout (so
 * api_listen=127.0.0.1:0 can be used by tests).
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw/api/api.h"
#include "fw/base/conffile.h"
#include "fw/base/log.h"

typedef struct {
    fw_api_config api;
    fw_log_options log;
} api_options;

static void usage(FILE *out)
{
    fw_log_options defaults;
    fw_log_options_defaults(&defaults, "fleetwatch-api");
    fprintf(out, "usage: fleetwatch-api [--config FILE] [--KEY=VALUE ...]\n\noptions:\n");
    fw_api_config_usage(out);
    fw_log_options_usage(out, &defaults);
}

/* The logger's options first, then the API's: 0 set, 1 unknown, -1 bad value (err). */
static int set_any(api_options *o, const char *key, const char *value, char *err, size_t errcap)
{
    int rc = fw_log_options_set(&o->log, key, value, err, errcap);
    return rc == 1 ? fw_api_config_set(&o->api, key, value, err, errcap) : rc;
}

static int set_option(api_options *o, const char *key, const char *value, const char *where)
{
    char err[300];
    int rc = set_any(o, key, value, err, sizeof err);
    if (rc == 1)
        fprintf(stderr, "fleetwatch-api: %s: unknown option %s\n", where, key);
    else if (rc < 0)
        fprintf(stderr, "fleetwatch-api: %s: %s\n", where, err);
    return rc == 0 ? 0 : -1;
}

static int set_from_file(void *ctx, const char *key, const char *value, char *err, size_t errcap)
{
    int rc = set_any(ctx, key, value, err, errcap);
    if (rc == 1)
        snprintf(err, errcap, "unknown option %s", key);
    return rc == 0 ? 0 : -1;
}

static int load_file(api_options *cfg, const char *path)
{
    char err[600];
    if (fw_conf_file_load(path, set_from_file, cfg, err, sizeof err) == 0)
        return 0;
    fprintf(stderr, "fleetwatch-api: %s\n", err);
    return -1;
}

static int parse_args(api_options *cfg, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            exit(0);
        }
        if (strcmp(a, "--config") == 0 && i + 1 < argc) {
            if (load_file(cfg, argv[++i]) != 0)
                return -1;
            continue;
        }
        const char *eq = strchr(a, '=');
        char key[128];
        if (strncmp(a, "--", 2) != 0 || eq == NULL || (size_t)(eq - a - 2) >= sizeof key) {
            usage(stderr);
            return -1;
        }
        memcpy(key, a + 2, (size_t)(eq - a - 2));
        key[eq - a - 2] = '\0';
        if (set_option(cfg, key, eq + 1, "command line") != 0)
            return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    static api_options opts;
    fw_api_config_defaults(&opts.api);
    fw_log_options_defaults(&opts.log, "fleetwatch-api");
    if (parse_args(&opts, argc, argv) != 0)
        return 2;
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
