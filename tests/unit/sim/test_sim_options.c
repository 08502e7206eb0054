/* test_sim_options.c - fleetwatch-sim's command line (sim_options.c, on the option engine):
 * defaults, every form of flag it uses, values checked after parsing (--src, --scenario with
 * --registry) and the messages of refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim_options.h"
#include "test_util.h"

static sim_options opt;
static char message[1024];

/* Parse argv (NULL-terminated) with refusals written to message. */
static int parse(char **argv)
{
    int argc = 0;
    while (argv[argc])
        argc++;
    FILE *err = fmemopen(message, sizeof message, "w");
    assert_non_null(err);
    int rc = sim_options_parse(argc, argv, &opt, err);
    fclose(err);
    return rc;
}

static void defaults(void **state)
{
    (void)state;
    char *argv[] = {"fleetwatch-sim", NULL};
    assert_int_equal(parse(argv), 0);
    assert_int_equal(ntohs(opt.server.sin_port), 8808);
    assert_int_equal(ntohl(opt.server.sin_addr.s_addr), INADDR_LOOPBACK);
    assert_int_equal(opt.terminals, 0);
    assert_string_equal(opt.phone_base, "13800000000");
    assert_int_equal(opt.protocol.version, JT_V2013);
    assert_int_equal(opt.protocol.layout, JT_REG_2013);
    assert_true(opt.report_s == -1); /* not given: the scenario's, else 30 */
    assert_true(opt.heartbeat_s == 30 && opt.ramp_per_s == 2000 && opt.ack_timeout_s == 10);
    assert_true(opt.drain_s == 3 && opt.blind_age_s == 3600 && opt.progress_s == 5);
    assert_int_equal(opt.inflight, 1);
    assert_int_equal(opt.batch, 0);
    assert_int_equal(opt.source_count, 0);
    assert_false(opt.blind || opt.verbose || opt.print_registry);
    assert_string_equal(opt.scenario_path, "");
    assert_string_equal(opt.ack_log_path, "");
}

static void every_flag_form(void **state)
{
    (void)state;
    char *argv[] = {"fleetwatch-sim",
                    "-n5",
                    "-k",
                    "32",
                    "--batch=3",
                    "--blind",
                    "--src",
                    "127.0.0.2-4",
                    "-s",
                    "10.0.0.1:9000",
                    "--proto",
                    "2019",
                    "--report-s",
                    "0",
                    "-v",
                    "--frames",
                    "1000000000000",
                    "--ack-log",
                    "/tmp/acks",
                    "-d",
                    "2.5",
                    NULL};
    assert_int_equal(parse(argv), 0);
    assert_int_equal(opt.terminals, 5);
    assert_int_equal(opt.inflight, 32);
    assert_int_equal(opt.batch, 3);
    assert_true(opt.blind && opt.verbose);
    assert_int_equal(opt.source_count, 3);
    assert_int_equal(ntohl(opt.sources[2].s_addr), (127u << 24) | 4);
    assert_int_equal(ntohs(opt.server.sin_port), 9000);
    assert_int_equal(ntohl(opt.server.sin_addr.s_addr), (10u << 24) | 1);
    assert_int_equal(opt.protocol.version, JT_V2019);
    assert_true(opt.report_s == 0);
    assert_true(opt.frames == 1000000000000ull);
    assert_string_equal(opt.ack_log_path, "/tmp/acks");
    assert_true(opt.duration_s == 2.5);
}

static void refusals_name_the_option(void **state)
{
    (void)state;
    char *inflight[] = {"fleetwatch-sim", "-k", "0", NULL};
    assert_int_equal(parse(inflight), -1);
    assert_non_null(strstr(message, "inflight: '0' is not a whole number in 1..256"));
    char *batch[] = {"fleetwatch-sim", "--batch", "25", NULL};
    assert_int_equal(parse(batch), -1);
    assert_non_null(strstr(message, "batch: '25' is not a whole number in 1..24"));
    char *phone[] = {"fleetwatch-sim", "--phone-base", "12a", NULL};
    assert_int_equal(parse(phone), -1);
    assert_non_null(strstr(message, "phone-base: '12a' is not DIGITS"));
    char *server[] = {"fleetwatch-sim", "--server", "localhost", NULL};
    assert_int_equal(parse(server), -1);
    assert_non_null(strstr(message, "server: 'localhost' is not HOST:PORT"));
    char *src[] = {"fleetwatch-sim", "--src", "127.0.0.9-127.0.0.2", NULL};
    assert_int_equal(parse(src), -1);
    assert_non_null(strstr(message, "src: '127.0.0.9-127.0.0.2' is not a list"));
    char *both[] = {"fleetwatch-sim", "--scenario", "a.json", "--registry", "b.json", NULL};
    assert_int_equal(parse(both), -1);
    assert_non_null(strstr(message, "--scenario and --registry exclude each other"));
    char *extra[] = {"fleetwatch-sim", "-n", "3", "frames", NULL};
    assert_int_equal(parse(extra), -1);
    assert_non_null(strstr(message, "unexpected argument 'frames'"));
    char *unknown[] = {"fleetwatch-sim", "--terminal=3", NULL};
    assert_int_equal(parse(unknown), -1);
    assert_non_null(strstr(message, "unknown option 'terminal'"));
}

static void help_is_printed_and_stops(void **state)
{
    (void)state;
    int saved = tu_silence_stdout();
    assert_true(saved >= 0);
    char *help[] = {"fleetwatch-sim", "-h", NULL};
    char *version[] = {"fleetwatch-sim", "--version", NULL};
    int rc_help = parse(help), rc_version = parse(version);
    tu_restore_stdout(saved);
    assert_int_equal(rc_help, 1);
    assert_int_equal(rc_version, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults),
        cmocka_unit_test(every_flag_form),
        cmocka_unit_test(refusals_name_the_option),
        cmocka_unit_test(help_is_printed_and_stops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
