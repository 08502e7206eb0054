/* test_fd_budget.c - fw_server_check_fds: max_connections plus the process's other descriptors
 * (a margin per worker and the service's reserved_fds) against RLIMIT_NOFILE, and
 * max_connections 0 resolved to what the limit leaves.
 *
 * The test lowers its own hard limit to 300, so the soft limit cannot be raised past it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <sys/resource.h>

#include "fw/server/server.h"

#define LIMIT            300
#define OTHERS_2_WORKERS 80 /* 64 + 8 per worker */

static fw_server_config two_workers(unsigned max_connections, unsigned reserved_fds)
{
    fw_server_config c;
    fw_server_config_defaults(&c);
    c.workers = 2;
    c.max_connections = max_connections;
    c.reserved_fds = reserved_fds;
    return c;
}

static void budget_must_fit_the_open_file_limit(void **state)
{
    (void)state;
    struct rlimit rl = {100, LIMIT};
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
    char err[512] = "";
    fw_server_config c = two_workers(LIMIT - OTHERS_2_WORKERS, 0);
    assert_int_equal(fw_server_check_fds(&c, err, sizeof err), 0); /* soft raised to 300 */
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
    assert_int_equal(rl.rlim_cur, LIMIT);
    c = two_workers(LIMIT - OTHERS_2_WORKERS, 1); /* one descriptor reserved by the service */
    assert_int_equal(fw_server_check_fds(&c, err, sizeof err), -1);
    assert_non_null(strstr(err, "open-file limit (RLIMIT_NOFILE) 300 is below"));
    assert_non_null(strstr(err, "1 of them for the API's connections"));
    c = two_workers(0, 20);
    assert_int_equal(fw_server_check_fds(&c, err, sizeof err), 0);
    assert_int_equal(c.max_connections, LIMIT - OTHERS_2_WORKERS - 20);
    c = two_workers(0, LIMIT); /* nothing left for connections */
    assert_int_equal(fw_server_check_fds(&c, err, sizeof err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(budget_must_fit_the_open_file_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
