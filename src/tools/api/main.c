/* main.c - fleetwatch-api: the police query API (api.h) as a process of its own, reading
 * Redis alone. Options come from a `key = value` file (--config) and --key=value flags;
 * SIGHUP reloads the token file, SIGINT/SIGTERM stop. Once listening it prints
 * "listening on <port>" on stdout (so api_listen=127.0.0.1:0 can be used by tests).
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw/api/api.h"
#include "fw/base/conffile.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: fleetwatch-api [--config FILE] [--KEY=VALUE ...]\n\noptions:\n");
    fw_api_config_usage(out);
}

static int set_option(fw_api_config *cfg, const char *key, const char *value, const char *where)
{
    char err[300];
    int rc = fw_api_config_set(cfg, key, value, err, sizeof err);
    if (rc == 1)
        fprintf(stderr, "fleetwatch-api: %s: unknown option %s\n", where, key);
    else if (rc < 0)
        fprintf(stderr, "fleetwatch-api: %s: %s\n", where, err);
    return rc == 0 ? 0 : -1;
}

static int set_from_file(void *ctx, const char *key, const char *value, char *err, size_t errcap)
{
    int rc = fw_api_config_set(ctx, key, value, err, errcap);
    if (rc == 1)
        snprintf(err, errcap, "unknown option %s", key);
    return rc == 0 ? 0 : -1;
}

static int load_file(fw_api_config *cfg, const char *path)
{
    char err[600];
    if (fw_conf_file_load(path, set_from_file, cfg, err, sizeof err) == 0)
        return 0;
    fprintf(stderr, "fleetwatch-api: %s\n", err);
    return -1;
}

static int parse_args(fw_api_config *cfg, int argc, char **argv)
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
    fw_api_config cfg;
    fw_api_config_defaults(&cfg);
    if (parse_args(&cfg, argc, argv) != 0)
        return 2;
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL); /* the API thread inherits the mask */
    signal(SIGPIPE, SIG_IGN);
    char err[600] = "";
    fw_api *api = fw_api_check_fd_budget(&cfg, err, sizeof err) == 0
                      ? fw_api_start(&cfg, NULL, err, sizeof err)
                      : NULL;
    if (api == NULL) {
        fprintf(stderr, "fleetwatch-api: %s\n", err);
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
            fprintf(stderr, "fleetwatch-api: reload: %s\n", err);
    }
    fw_api_stop(api);
    return 0;
}
