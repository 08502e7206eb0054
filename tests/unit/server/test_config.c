/* test_config.c - gateway options (fw_server_options, in the option engine's format):
 * defaults, key = value files, values and their bounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fw/base/conffile.h"
#include "fw/server/server.h"

static void defaults_are_documented_values(void **state)
{
    (void)state;
    fw_server_config c;
    fw_server_config_defaults(&c);
    assert_string_equal(c.listen, "0.0.0.0:8808");
    assert_int_equal(c.workers, 0);
    assert_int_equal(c.max_connections, 0); /* fit the open-file limit */
    assert_int_equal(c.idle_timeout_s, 180);
    assert_true(c.require_auth);
    assert_int_equal(c.damaged_frames, FW_DAMAGED_REJECT);
}

static void set_parses_and_checks_bounds(void **state)
{
    (void)state;
    fw_server_config c;
    char err[200];
    fw_server_config_defaults(&c);
    assert_int_equal(fw_server_config_set(&c, "idle_timeout_s", "42", err, sizeof err), 0);
    assert_int_equal(c.idle_timeout_s, 42);
    assert_int_equal(fw_server_config_set(&c, "idle_timeout_s", "0", err, sizeof err), -1);
    assert_non_null(strstr(err, "idle_timeout_s"));
    assert_int_equal(fw_server_config_set(&c, "idle_timeout_s", "-5", err, sizeof err), -1);
    assert_int_equal(fw_server_config_set(&c, "idle_timeout_s", "12x", err, sizeof err), -1);
    assert_int_equal(c.idle_timeout_s, 42);
    assert_int_equal(fw_server_config_set(&c, "require_auth", "no", err, sizeof err), 0);
    assert_false(c.require_auth);
    assert_int_equal(fw_server_config_set(&c, "damaged_frames", "drop", err, sizeof err), 0);
    assert_int_equal(c.damaged_frames, FW_DAMAGED_DROP);
    assert_int_equal(fw_server_config_set(&c, "damaged_frames", "maybe", err, sizeof err), -1);
    /* logging is the logger's group of options (log.h), not the gateway's */
    assert_int_equal(fw_server_config_set(&c, "log_level", "debug", err, sizeof err), -1);
    assert_non_null(strstr(err, "unknown option"));
    assert_int_equal(fw_server_config_set(&c, "no_such_key", "1", err, sizeof err), -1);
    assert_non_null(strstr(err, "unknown option"));
    /* a retired option says what replaced it */
    assert_int_equal(fw_server_config_set(&c, "auth_secret", "x", err, sizeof err), -1);
    assert_non_null(strstr(err, "removed: auth codes are now random"));
}

/* The gateway's setter as the file reader calls it (as the service's option engine does). */
static int set_option(void *ctx, const char *key, const char *value, char *err, size_t errcap)
{
    return fw_server_config_set(ctx, key, value, err, errcap);
}

static void load_reads_file_with_comments(void **state)
{
    (void)state;
    char path[] = "/tmp/fw_config_test_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *text = "# gateway\n\nlisten = 127.0.0.1:9000   # inline comment\n"
                       "  workers=3\nauth_backoff_s = 45\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    fw_server_config c;
    char err[200];
    fw_server_config_defaults(&c);
    assert_int_equal(fw_conf_file_load(path, set_option, &c, err, sizeof err), 0);
    assert_string_equal(c.listen, "127.0.0.1:9000");
    assert_int_equal(c.workers, 3);
    assert_int_equal(c.auth_backoff_s, 45);

    FILE *f = fopen(path, "w");
    fputs("workers = 2\nthis line is wrong\n", f);
    fclose(f);
    assert_int_equal(fw_conf_file_load(path, set_option, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, ":2:"));
    unlink(path);
    assert_int_equal(fw_conf_file_load(path, set_option, &c, err, sizeof err), -1);
}

/* Every default is accepted by its own row. */
static void table_defaults_are_accepted(void **state)
{
    (void)state;
    fw_server_config c;
    fw_server_config_defaults(&c);
    assert_int_equal(fw_opt_defaults(&fw_server_options, &c), 0);
}

static void listen_splits_host_and_port(void **state)
{
    (void)state;
    fw_server_config c;
    char host[64];
    uint16_t port;
    fw_server_config_defaults(&c);
    assert_int_equal(fw_server_config_listen(&c, host, sizeof host, &port), 0);
    assert_string_equal(host, "0.0.0.0");
    assert_int_equal(port, 8808);
    strcpy(c.listen, "[::1]:9000");
    assert_int_equal(fw_server_config_listen(&c, host, sizeof host, &port), 0);
    assert_string_equal(host, "::1");
    assert_int_equal(port, 9000);
    strcpy(c.listen, "127.0.0.1:70000");
    assert_int_equal(fw_server_config_listen(&c, host, sizeof host, &port), -1);
    strcpy(c.listen, "8808");
    assert_int_equal(fw_server_config_listen(&c, host, sizeof host, &port), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_are_documented_values),
        cmocka_unit_test(set_parses_and_checks_bounds),
        cmocka_unit_test(load_reads_file_with_comments),
        cmocka_unit_test(table_defaults_are_accepted),
        cmocka_unit_test(listen_splits_host_and_port),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
