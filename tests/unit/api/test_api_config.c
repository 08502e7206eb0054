/* test_api_config.c - API options: defaults, bounds, unknown keys left to other option sets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "fw/api/api.h"

static void defaults(void **state)
{
    (void)state;
    fw_api_config c;
    fw_api_config_defaults(&c);
    assert_string_equal(c.api_listen, "127.0.0.1:8080");
    assert_string_equal(c.api_token_file, "");
    assert_int_equal(c.api_metrics_open, 1);
    assert_int_equal(c.redis_port, 6379);
    assert_int_equal(c.api_limit_default, 50);
    assert_int_equal(c.api_limit_max, 500);
    assert_int_equal(fw_opt_defaults(&fw_api_options, &c), 0); /* every default fits its row */
}

static void set_checks_bounds(void **state)
{
    (void)state;
    fw_api_config c;
    char err[200];
    fw_api_config_defaults(&c);
    assert_int_equal(fw_api_config_set(&c, "redis_port", "6380", err, sizeof err), 0);
    assert_int_equal(c.redis_port, 6380);
    assert_int_equal(fw_api_config_set(&c, "redis_port", "0", err, sizeof err), -1);
    assert_non_null(strstr(err, "redis_port"));
    assert_int_equal(fw_api_config_set(&c, "redis_port", "65536", err, sizeof err), -1);
    assert_int_equal(fw_api_config_set(&c, "redis_port", "-1", err, sizeof err), -1);
    assert_int_equal(fw_api_config_set(&c, "api_metrics_open", "2", err, sizeof err), -1);
    assert_int_equal(c.redis_port, 6380);
    assert_int_equal(fw_api_config_set(&c, "api_listen", "0.0.0.0:80", err, sizeof err), 0);
    assert_string_equal(c.api_listen, "0.0.0.0:80");
    char longer[FW_API_STR_MAX + 1];
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    assert_int_equal(fw_api_config_set(&c, "api_listen", longer, err, sizeof err), -1);
    assert_int_equal(fw_api_config_set(&c, "workers", "4", err, sizeof err), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults),
        cmocka_unit_test(set_checks_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
