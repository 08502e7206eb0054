/* test_sim_report.c - merging per-process reports and the machine-readable result line; the
 * size of a simulated terminal's state (one process holds 19,000 of them). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_report.h"
#include "sim_term.h"

static uint64_t value_of(const char *line, const char *key)
{
    char pattern[64];
    snprintf(pattern, sizeof pattern, " %s=", key);
    const char *at = strstr(line, pattern);
    if (!at)
        fail_msg("%s missing from: %s", key, line);
    return strtoull(at + strlen(pattern), NULL, 10);
}

static void merged_reports_add_counts_and_rates(void **state)
{
    (void)state;
    static sim_report a, b, total;
    sim_report_init(&a);
    sim_report_init(&b);
    sim_report_init(&total);
    total.procs = 0;
    a.counters[SIM_C_sent] = 10;
    b.counters[SIM_C_sent] = 32;
    a.errors[SIM_E_nack] = 1;
    b.errors[SIM_E_ack_timeout] = 2;
    a.acks_per_s = 1000;
    b.acks_per_s = 500;
    a.window_s = 10;
    b.window_s = 12;
    sim_hist_record(&a.latency, 100);
    sim_hist_record(&b.latency, 9000);
    sim_report_merge(&total, &a);
    sim_report_merge(&total, &b);
    assert_int_equal(total.counters[SIM_C_sent], 42);
    assert_int_equal(sim_report_errors(&total), 3);
    assert_true(total.acks_per_s == 1500); /* processes run side by side */
    assert_true(total.window_s == 12);
    assert_int_equal(total.procs, 2);
    assert_int_equal(total.latency.count, 2);
    assert_int_equal(total.latency.max_us, 9000);
}

static void the_result_line_carries_every_figure(void **state)
{
    (void)state;
    static sim_report r;
    sim_report_init(&r);
    r.counters[SIM_C_terminals] = 19000;
    r.counters[SIM_C_acked] = 123456;
    r.errors[SIM_E_backlog] = 7;
    r.acks_per_s = 9500.4;
    for (uint64_t v = 1; v <= 1000; v++)
        sim_hist_record(&r.latency, v);
    char line[4096] = "";
    FILE *f = fmemopen(line, sizeof line - 1, "w");
    sim_report_print_result(&r, f);
    fclose(f);
    assert_true(strncmp(line, "result ", 7) == 0);
    assert_non_null(strchr(line, '\n'));
    assert_int_equal(value_of(line, "terminals"), 19000);
    assert_int_equal(value_of(line, "acked"), 123456);
    assert_int_equal(value_of(line, "acks_per_s"), 9500);
    assert_int_equal(value_of(line, "errors"), 7);
    assert_int_equal(value_of(line, "err_backlog"), 7);
    assert_int_equal(value_of(line, "err_nack"), 0);
    assert_int_equal(value_of(line, "max_us"), 1000);
    uint64_t p50 = value_of(line, "p50_us"), p99 = value_of(line, "p99_us");
    assert_true(p50 >= 500 && p50 <= 500 + 500 / 32);
    assert_true(p99 >= 990 && p99 <= 1000);
}

static void a_terminal_stays_small(void **state)
{
    (void)state;
    /* two libevent events are most of it; 19,000 terminals then need under 10 MB */
    assert_true(sizeof(sim_term) <= 2 * sizeof(struct event) + 192);
    assert_int_equal(sizeof(sim_inflight), 16);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(merged_reports_add_counts_and_rates),
        cmocka_unit_test(the_result_line_carries_every_figure),
        cmocka_unit_test(a_terminal_stays_small),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
