/* test_worker_hooks.c - the gateway's per-worker start and stop hooks (server.h,
 * fw_worker_start_hook): each runs once per worker on that worker's own thread, with the event
 * base its sink was created on; every start hook has returned when fw_server_start returns;
 * the stop hook runs before the worker's sink closes; a failing start hook makes
 * fw_server_start fail, and only the workers that started get a stop hook.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "fw/server/server.h"
#include "test_util.h"

#define WORKERS 3

/* What happened to one worker, in order: 's' sink created, 'S' started, 'T' stopped, 'c' sink
 * closed. */
typedef struct {
    char steps[8];
    struct event_base *sink_base, *hook_base;
    pthread_t start_thread, stop_thread;
} worker_log;

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static worker_log wlog[WORKERS];
static unsigned failing_worker = UINT32_MAX; /* its start hook returns -1 */

static void step(unsigned worker, char what)
{
    pthread_mutex_lock(&log_lock);
    size_t n = strlen(wlog[worker].steps);
    if (n + 1 < sizeof wlog[worker].steps)
        wlog[worker].steps[n] = what;
    pthread_mutex_unlock(&log_lock);
}

typedef struct {
    fw_sink base;
    unsigned worker;
} logged_sink;

static int logged_submit(fw_sink *s, const fw_location_rec *rec, fw_sink_done_fn done, void *cookie)
{
    (void)s;
    (void)rec;
    done(cookie, 0);
    return FW_SINK_QUEUED;
}

static void logged_close(fw_sink *s)
{
    step(((logged_sink *)s)->worker, 'c');
    free(s);
}

static const fw_sink_ops logged_ops = {"logged", logged_submit, logged_close};

static fw_sink *logged_sink_new(void *ctx, struct event_base *base, unsigned worker)
{
    (void)ctx;
    logged_sink *s = calloc(1, sizeof *s);
    s->base.ops = &logged_ops;
    s->worker = worker;
    wlog[worker].sink_base = base;
    step(worker, 's');
    return &s->base;
}

static int on_worker_start(void *ctx, unsigned worker, struct event_base *base)
{
    assert_ptr_equal(ctx, &wlog);
    wlog[worker].hook_base = base;
    wlog[worker].start_thread = pthread_self();
    step(worker, 'S');
    return worker == failing_worker ? -1 : 0;
}

static void on_worker_stop(void *ctx, unsigned worker)
{
    assert_ptr_equal(ctx, &wlog);
    wlog[worker].stop_thread = pthread_self();
    step(worker, 'T');
}

/* A gateway of `workers` workers on a free port of 127.0.0.1; hooks may be NULL. */
static fw_server *new_server(unsigned workers, const fw_server_hooks *hooks)
{
    fw_server_config cfg;
    char err[256];
    memset(wlog, 0, sizeof wlog);
    fw_server_config_defaults(&cfg);
    snprintf(cfg.listen, sizeof cfg.listen, "127.0.0.1:%u", tu_free_port());
    strcpy(cfg.registry_path, FW_TEST_DATA_DIR "/registry_test.json");
    cfg.workers = workers;
    fw_log_set_level(FW_LOG_WARN);
    fw_server *s = fw_server_new(&cfg, hooks, err, sizeof err);
    if (!s)
        fail_msg("fw_server_new: %s", err);
    return s;
}

static const fw_server_hooks logged_hooks = {.sink_factory = logged_sink_new,
                                             .on_worker_start = on_worker_start,
                                             .on_worker_stop = on_worker_stop,
                                             .worker_ctx = &wlog};

static void hooks_run_on_each_worker_thread_in_order(void **state)
{
    (void)state;
    failing_worker = UINT32_MAX;
    fw_server *s = new_server(WORKERS, &logged_hooks);
    for (unsigned i = 0; i < WORKERS; i++)
        assert_string_equal(wlog[i].steps, "s"); /* sinks first, no hook before the start */
    assert_int_equal(fw_server_start(s), 0);
    pthread_mutex_lock(&log_lock);
    for (unsigned i = 0; i < WORKERS; i++) {
        assert_string_equal(wlog[i].steps, "sS"); /* every start hook ran before the return */
        assert_ptr_equal(wlog[i].hook_base, wlog[i].sink_base);
        assert_false(pthread_equal(wlog[i].start_thread, pthread_self()));
        for (unsigned j = 0; j < i; j++)
            assert_false(pthread_equal(wlog[i].start_thread, wlog[j].start_thread));
    }
    pthread_mutex_unlock(&log_lock);
    fw_server_stop(s);
    for (unsigned i = 0; i < WORKERS; i++) {
        assert_string_equal(wlog[i].steps, "sSTc"); /* stopped before the sink closed */
        assert_true(pthread_equal(wlog[i].stop_thread, wlog[i].start_thread));
    }
    fw_server_free(s);
    for (unsigned i = 0; i < WORKERS; i++)
        assert_string_equal(wlog[i].steps, "sSTc"); /* nothing more at free */
}

static void failing_start_hook_fails_the_start(void **state)
{
    (void)state;
    failing_worker = 1;
    fw_server *s = new_server(WORKERS, &logged_hooks);
    assert_int_equal(fw_server_start(s), -1);
    assert_string_equal(wlog[1].steps, "sSc"); /* its thread ended without a stop hook */
    assert_string_equal(wlog[2].steps, "s");   /* never started */
    fw_server_free(s);
    assert_string_equal(wlog[0].steps, "sSTc"); /* started: stopped as usual */
    assert_string_equal(wlog[1].steps, "sSc");
    assert_string_equal(wlog[2].steps, "sc");
}

static void without_hooks_workers_start_and_stop(void **state)
{
    (void)state;
    fw_server *s = new_server(2, NULL);
    assert_int_equal(fw_server_start(s), 0);
    fw_server_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hooks_run_on_each_worker_thread_in_order),
        cmocka_unit_test(failing_start_hook_fails_the_start),
        cmocka_unit_test(without_hooks_workers_start_and_stop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
