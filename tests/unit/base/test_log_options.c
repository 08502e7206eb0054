/* test_log_options.c - a program's logging options (log_options.c): defaults, each option set
 * from text through the option engine, bad values refused with a reason, other programs' keys
 * left alone, the --help block. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fw/base/log.h"

static void assert_options(const fw_log_config *o, fw_log_level level, fw_log_target target,
                           int facility, const char *ident, const char *socket)
{
    assert_int_equal(o->level, level);
    assert_int_equal(o->target, target);
    assert_int_equal(o->facility, facility);
    assert_string_equal(o->ident, ident);
    assert_string_equal(o->syslog_socket, socket);
}

static void defaults(void **state)
{
    (void)state;
    fw_log_config o;
    fw_log_config_defaults(&o, "fleetwatch-api");
    assert_options(&o, FW_LOG_INFO, FW_LOG_TO_STDERR, 3, "fleetwatch-api", "/dev/log");
}

static void each_option_from_text(void **state)
{
    (void)state;
    fw_log_config o;
    fw_log_config_defaults(&o, "x");
    char err[128];
    assert_int_equal(fw_opt_set(&fw_log_options, &o, "log_level", "debug", err, sizeof err), 0);
    assert_int_equal(fw_opt_set(&fw_log_options, &o, "log_target", "syslog", err, sizeof err), 0);
    assert_int_equal(fw_opt_set(&fw_log_options, &o, "log_facility", "local7", err, sizeof err), 0);
    assert_int_equal(fw_opt_set(&fw_log_options, &o, "log_ident", "fw-node-2", err, sizeof err), 0);
    assert_int_equal(
        fw_opt_set(&fw_log_options, &o, "log_syslog_socket", "/run/x.sock", err, sizeof err), 0);
    assert_options(&o, FW_LOG_DEBUG, FW_LOG_TO_SYSLOG, 23, "fw-node-2", "/run/x.sock");
}

static void bad_values_refused(void **state)
{
    (void)state;
    fw_log_config o, before;
    fw_log_config_defaults(&o, "x");
    before = o;
    char err[128] = "", longer[200];
    memset(longer, 'a', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    assert_int_equal(fw_opt_set(&fw_log_options, &o, "log_level", "loud", err, sizeof err), -1);
    assert_string_equal(err, "log_level: 'loud' is not one of error, warn, info, debug");
    assert_int_equal(fw_opt_set(&fw_log_options, &o, "log_target", "file", err, sizeof err), -1);
    assert_int_equal(fw_opt_set(&fw_log_options, &o, "log_facility", "local8", err, sizeof err),
                     -1);
    assert_int_equal(fw_opt_set(&fw_log_options, &o, "log_facility", "", err, sizeof err), -1);
    assert_int_equal(fw_opt_set(&fw_log_options, &o, "log_ident", "", err, sizeof err), -1);
    assert_int_equal(fw_opt_set(&fw_log_options, &o, "log_syslog_socket", longer, err, sizeof err),
                     -1);
    assert_memory_equal(&o, &before, sizeof o);
}

static void other_keys_are_not_ours(void **state)
{
    (void)state;
    fw_log_config o;
    fw_log_config_defaults(&o, "x");
    char err[128] = "";
    assert_int_equal(fw_opt_set(&fw_log_options, &o, "api_listen", "127.0.0.1:0", err, sizeof err),
                     1);
    assert_int_equal(fw_opt_set(&fw_log_options, &o, "log", "info", err, sizeof err), 1);
    assert_string_equal(err, "unknown option 'log'");
}

/* The level names are the logger's, in the order of fw_log_level; every default is accepted by
 * its own row. */
static void level_names_agree_with_the_logger(void **state)
{
    (void)state;
    fw_log_config o;
    char err[128];
    assert_int_equal(fw_opt_defaults(&fw_log_options, &o), 0);
    const char *const names[] = {"error", "warn", "info", "debug"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        assert_int_equal(fw_opt_set(&fw_log_options, &o, "log_level", names[i], err, sizeof err),
                         0);
        assert_int_equal((int)o.level, (int)i);
        assert_string_equal(fw_log_level_names[i], names[i]);
        assert_string_equal(fw_log_level_name(o.level), names[i]);
    }
}

/* Facility numbers are RFC 5424's; names are exact. */
static void facility_and_target_names(void **state)
{
    (void)state;
    fw_log_config o;
    fw_log_config_defaults(&o, "x");
    char err[128];
    const struct {
        const char *name;
        int facility;
    } known[] = {{"kern", 0}, {"user", 1}, {"authpriv", 10}, {"local0", 16}, {"local7", 23}};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        assert_int_equal(
            fw_opt_set(&fw_log_options, &o, "log_facility", known[i].name, err, sizeof err), 0);
        assert_int_equal(o.facility, known[i].facility);
    }
    assert_int_equal(fw_opt_set(&fw_log_options, &o, "log_facility", "Daemon", err, sizeof err),
                     -1);
    assert_int_equal(fw_opt_set(&fw_log_options, &o, "log_target", "stderr", err, sizeof err), 0);
    assert_int_equal(o.target, FW_LOG_TO_STDERR);
    assert_int_equal(fw_opt_set(&fw_log_options, &o, "log_target", "syslog", err, sizeof err), 0);
    assert_int_equal(o.target, FW_LOG_TO_SYSLOG);
    assert_int_equal(fw_opt_set(&fw_log_options, &o, "log_target", "journal", err, sizeof err), -1);
}

static void usage_names_every_option(void **state)
{
    (void)state;
    char buf[4096] = "";
    FILE *f = fmemopen(buf, sizeof buf - 1, "w");
    fw_log_config o;
    fw_log_config_defaults(&o, "fleetwatch-api");
    const fw_opt_group group = {"Logging", &fw_log_options, &o};
    const fw_opt_program program = {.name = "t", .synopsis = "", .groups = &group, .n_groups = 1};
    fw_opt_print_help(&program, f);
    fclose(f);
    const char *names[] = {"log_level", "log_target", "log_ident", "log_facility",
                           "log_syslog_socket"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        assert_non_null(strstr(buf, names[i]));
    assert_non_null(strstr(buf, "default /dev/log"));
    assert_non_null(strstr(buf, "default info"));
    assert_non_null(strstr(buf, "default stderr"));
    assert_non_null(strstr(buf, "the program's own"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults),
        cmocka_unit_test(each_option_from_text),
        cmocka_unit_test(bad_values_refused),
        cmocka_unit_test(other_keys_are_not_ours),
        cmocka_unit_test(level_names_agree_with_the_logger),
        cmocka_unit_test(facility_and_target_names),
        cmocka_unit_test(usage_names_every_option),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
