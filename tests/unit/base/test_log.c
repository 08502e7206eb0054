/* test_log.c - the logger's line format and its rate limit (log.h), read back from a
 * pipe that stands in for stderr. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fw/base/log.h"
#include "test_util.h"

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void five_refusals(void)
{
    static fw_log_limit limit;
    for (int i = 0; i < 5; i++)
        fw_log_limited(&limit, FW_LOG_WARN, "refused %d", i);
}

static void limited_once_per_window(void **state)
{
    (void)state;
    char out[4096];
    tu_capture_stderr(five_refusals, out, sizeof out);
    assert_int_equal(count_lines(out), 1);
    assert_non_null(strstr(out, "warn  refused 0\n"));
}

static fw_log_limit expired;

static void after_the_window(void)
{
    fw_log_limited(&expired, FW_LOG_WARN, "first");
    fw_log_limited(&expired, FW_LOG_WARN, "dropped");
    fw_log_limited(&expired, FW_LOG_WARN, "dropped");
    atomic_store(&expired.next_s, 0); /* as if the window had passed */
    fw_log_limited(&expired, FW_LOG_WARN, "second");
}

static void suppressed_lines_are_counted(void **state)
{
    (void)state;
    char out[4096];
    tu_capture_stderr(after_the_window, out, sizeof out);
    assert_int_equal(count_lines(out), 2);
    assert_null(strstr(out, "dropped"));
    assert_non_null(strstr(out, "second (and 2 more like it since the last such line)\n"));
}

static void below_level(void)
{
    static fw_log_limit limit;
    fw_log_set_level(FW_LOG_WARN);
    fw_log_limited(&limit, FW_LOG_INFO, "quiet");
    fw_log(FW_LOG_DEBUG, "quiet");
    fw_log(FW_LOG_ERROR, "loud %s", "line");
    fw_log_set_level(FW_LOG_INFO);
}

static void level_filters_both(void **state)
{
    (void)state;
    char out[4096];
    tu_capture_stderr(below_level, out, sizeof out);
    assert_int_equal(count_lines(out), 1);
    assert_non_null(strstr(out, "error loud line\n"));
    /* "2026-11-28T18:20:01.123Z " */
    assert_true(strlen(out) > 25 && out[10] == 'T' && out[23] == 'Z');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(limited_once_per_window),
        cmocka_unit_test(suppressed_lines_are_counted),
        cmocka_unit_test(level_filters_both),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
