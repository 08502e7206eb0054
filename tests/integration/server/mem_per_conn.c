/* mem_per_conn.c - measures the gateway's memory per idle authenticated connection.
 *
 * Usage: mem_per_conn FLEETWATCH_BINARY [N=5000]
 * Starts the binary (like the integration tests), loads a registry of N vehicles (SIGHUP),
 * reads the server's VmRSS, then opens N connections that each register and authenticate and
 * then stay idle, reads VmRSS again and prints (after - before) / N. Needs about N open files
 * in this process and N + 64 in the server. Use a build without sanitizers for the figure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static long rss_kib(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
            break;
    if (f)
        fclose(f);
    return kib;
}

static void write_registry(const char *path, int n)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"vehicles\":[\n", f);
    for (int i = 0; i < n; i++)
        fprintf(f,
                "{\"phone\":\"140%08d\",\"plate\":\"T%06d\",\"terminal_id\":\"%07d\","
                "\"class\":\"bus\"}%s\n",
                i, i, i, i + 1 < n ? "," : "");
    fputs("]}\n", f);
    fclose(f);
}

static int n_conns = 5000;

static void measure(void **state)
{
    (void)state;
    static const char *const opts[] = {"--log_level=info", "--max_connections=19000", NULL};
    itest_server s;
    itest_start(&s, opts);
    write_registry(s.registry, n_conns);
    itest_signal(&s, SIGHUP);
    char want[64];
    snprintf(want, sizeof want, "registry reloaded: %d vehicles", n_conns);
    for (int i = 0; i < 500 && !itest_log_contains(&s, want); i++)
        usleep(10000);
    assert_true(itest_log_contains(&s, want));
    /* warm up: one connection through every path, so lazily allocated state exists */
    int warm = itest_connect(&s);
    itest_login_2013(warm, "14000000000", 0, "54303030303030");
    close(warm);
    sleep(1);
    long before = rss_kib(s.pid);
    int *fds = calloc((size_t)n_conns, sizeof *fds);
    for (int i = 0; i < n_conns; i++) {
        char phone[16], plate[32];
        snprintf(phone, sizeof phone, "140%08d", i);
        snprintf(plate, sizeof plate, "54%02x%02x%02x%02x%02x%02x", '0' + i / 100000 % 10,
                 '0' + i / 10000 % 10, '0' + i / 1000 % 10, '0' + i / 100 % 10, '0' + i / 10 % 10,
                 '0' + i % 10);
        fds[i] = itest_connect(&s);
        itest_login_2013(fds[i], phone, 0, plate);
    }
    sleep(2);
    long after = rss_kib(s.pid);
    printf("connections: %d authenticated, idle\n", n_conns);
    printf("server VmRSS: %ld KiB before, %ld KiB after\n", before, after);
    printf("memory per connection: %.0f bytes\n", (double)(after - before) * 1024.0 / n_conns);
    for (int i = 0; i < n_conns; i++)
        close(fds[i]);
    free(fds);
    assert_int_equal(itest_stop(&s), 0);
}

int main(int argc, char **argv)
{
    itest_binary = argc > 1 ? argv[1] : NULL;
    if (argc > 2)
        n_conns = atoi(argv[2]);
    const struct CMUnitTest tests[] = {cmocka_unit_test(measure)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
