/* main.c - `fleetwatch`, the whole service: options (options.h), then the store, rule engine,
 * gateway and police API (service.h) until SIGTERM/SIGINT; SIGHUP reloads the registry, the
 * zones and routes and the API's tokens; when the registry or the geodata come from Redis, its
 * change notifications reload them too (src/pipeline/sources.h).
 *
 * Signals are handled on the main thread's own libevent loop (evsignal), never in a signal
 * handler; the gateway's workers and the API run on their own threads.
 */
#include <event2/event.h>
#include <signal.h>
#include <stdio.h>

#include "fw/base/log.h"
#include "fw/pipeline/service.h"
#include "options.h"

static void on_stop_signal(evutil_socket_t sig, short what, void *arg)
{
    (void)what;
    FW_LOG_INFO("signal %d: stopping", (int)sig);
    event_base_loopbreak(arg);
}

static void on_hup(evutil_socket_t sig, short what, void *arg)
{
    (void)sig;
    (void)what;
    fw_service **svc = arg;
    if (*svc)
        fw_service_reload(*svc);
}

int main(int argc, char **argv)
{
    static service_options opts;
    static fw_service_config cfg;
    service_options_defaults(&opts);
    if (service_options_parse(&opts, argc, argv) < 0)
        return 2;
    service_options_to_config(&opts, &cfg);
    char err[512];
    if (fw_log_start(&opts.log, err, sizeof err) < 0) {
        FW_LOG_ERROR("%s", err);
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);

    /* signals are caught before the port opens, so a SIGTERM right after start is graceful */
    fw_service *svc = NULL;
    struct event_base *base = event_base_new();
    struct event *ev_term = evsignal_new(base, SIGTERM, on_stop_signal, base);
    struct event *ev_int = evsignal_new(base, SIGINT, on_stop_signal, base);
    struct event *ev_hup = evsignal_new(base, SIGHUP, on_hup, &svc);
    if (!ev_term || !ev_int || !ev_hup || evsignal_add(ev_term, NULL) < 0 ||
        evsignal_add(ev_int, NULL) < 0 || evsignal_add(ev_hup, NULL) < 0) {
        FW_LOG_ERROR("cannot set up signal handling");
        return 1;
    }
    if (!(svc = fw_service_start(&cfg, base, err, sizeof err))) {
        FW_LOG_ERROR("%s", err);
        return 1;
    }
    event_base_dispatch(base);
    fw_service_stop(svc);
    event_free(ev_term);
    event_free(ev_int);
    event_free(ev_hup);
    event_base_free(base);
    FW_LOG_INFO("stopped");
    fw_log_close();
    return 0;
}
