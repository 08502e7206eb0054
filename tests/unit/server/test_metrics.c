/* test_metrics.c - per-worker counters summed into a snapshot and rendered for Prometheus. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "fw/server/metrics.h"

static void message_slots_round_trip(void **state)
{
    (void)state;
    assert_int_equal(fw_metrics_slot_msg(fw_metrics_msg_slot(0x0200)), 0x0200);
    assert_int_equal(fw_metrics_slot_msg(fw_metrics_msg_slot(0x0704)), 0x0704);
    assert_int_equal(fw_metrics_msg_slot(0x5501), FW_MSG_SLOT_OTHER);
    assert_int_equal(fw_metrics_slot_msg(FW_MSG_SLOT_OTHER), 0);
}

static void sum_adds_workers_and_derives_gauges(void **state)
{
    (void)state;
    fw_worker_metrics *w[2] = {calloc(1, sizeof(fw_worker_metrics)),
                               calloc(1, sizeof(fw_worker_metrics))};
    fw_counter_add(&w[0]->conn_accepted, 5);
    fw_counter_add(&w[1]->conn_accepted, 3);
    fw_counter_add(&w[0]->conn_closed[FW_CLOSE_IDLE], 2);
    fw_counter_add(&w[1]->conn_closed[FW_CLOSE_PEER], 1);
    fw_counter_add(&w[0]->sessions_started, 3);
    fw_counter_add(&w[0]->sessions_ended, 1);
    fw_counter_add(&w[1]->frames_by_msg[fw_metrics_msg_slot(0x0200)], 10);
    fw_counter_add(&w[0]->codec_errors[JT_ERR_CHECKSUM], 4);
    fw_metrics_ack(w[0], 0, 80);      /* <= 100 us */
    fw_metrics_ack(w[1], 0, 3000);    /* <= 5 ms */
    fw_metrics_ack(w[1], 2, 5000000); /* +Inf */
    fw_metrics_snapshot s;
    fw_metrics_sum(w, 2, &s);
    assert_int_equal(s.workers, 2);
    assert_int_equal(s.conn_accepted, 8);
    assert_int_equal(s.conn_open, 5);
    assert_int_equal(s.sessions_open, 2);
    assert_int_equal(s.frames_by_msg[fw_metrics_msg_slot(0x0200)], 10);
    assert_int_equal(s.codec_errors[JT_ERR_CHECKSUM], 4);
    assert_int_equal(s.acks_by_result[0], 2);
    assert_int_equal(s.acks_by_result[2], 1);
    assert_int_equal(s.ack_latency[0], 1);
    assert_int_equal(s.ack_latency[5], 1);
    assert_int_equal(s.ack_latency[FW_ACK_LATENCY_NBUCKETS - 1], 1);
    assert_int_equal(s.ack_latency_sum_us, 5003080);
    free(w[0]);
    free(w[1]);
}

static void renders_prometheus_text(void **state)
{
    (void)state;
    fw_worker_metrics *w = calloc(1, sizeof *w);
    fw_counter_add(&w->conn_accepted, 7);
    fw_counter_add(&w->conn_closed[FW_CLOSE_HTTP], 2);
    fw_counter_add(&w->frames_by_msg[fw_metrics_msg_slot(0x0102)], 1);
    fw_counter_add(&w->server_errors[FW_SERR_AUTH_FAILED], 1);
    fw_metrics_ack(w, 0, 200);
    fw_metrics_ack(w, 0, 2000);
    fw_metrics_snapshot s;
    fw_metrics_sum(&w, 1, &s);
    size_t need = fw_metrics_render_prometheus(&s, NULL, 0);
    char *text = malloc(need + 1);
    assert_int_equal(fw_metrics_render_prometheus(&s, text, need + 1), need);
    assert_int_equal(strlen(text), need);
    assert_non_null(strstr(text, "fleetwatch_connections_open 5\n"));
    assert_non_null(strstr(text, "fleetwatch_connections_closed_total{reason=\"http\"} 2\n"));
    assert_non_null(strstr(text, "fleetwatch_frames_total{msg_id=\"0x0102\"} 1\n"));
    assert_non_null(strstr(text, "fleetwatch_errors_total{kind=\"auth_failed\"} 1\n"));
    assert_non_null(strstr(text, "fleetwatch_errors_total{kind=\"checksum\"} 0\n"));
    assert_non_null(strstr(text, "fleetwatch_ack_latency_seconds_bucket{le=\"0.0001\"} 0\n"));
    assert_non_null(strstr(text, "fleetwatch_ack_latency_seconds_bucket{le=\"0.00025\"} 1\n"));
    assert_non_null(strstr(text, "fleetwatch_ack_latency_seconds_bucket{le=\"0.0025\"} 2\n"));
    assert_non_null(strstr(text, "fleetwatch_ack_latency_seconds_bucket{le=\"+Inf\"} 2\n"));
    assert_non_null(strstr(text, "fleetwatch_ack_latency_seconds_count 2\n"));
    assert_non_null(strstr(text, "# TYPE fleetwatch_ack_latency_seconds histogram\n"));
    /* a short buffer is truncated, NUL-terminated, and reports the full length */
    char small[32];
    assert_int_equal(fw_metrics_render_prometheus(&s, small, sizeof small), need);
    assert_int_equal(strlen(small), sizeof small - 1);
    free(text);
    free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(message_slots_round_trip),
        cmocka_unit_test(sum_adds_workers_and_derives_gauges),
        cmocka_unit_test(renders_prometheus_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
