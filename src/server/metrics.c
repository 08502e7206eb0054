/* metrics.c - summing the workers' lock-free counters and rendering them for
 * Prometheus (metrics.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fw/server/metrics.h"

static const uint64_t latency_bounds_us[] = FW_ACK_LATENCY_BUCKETS_US;
_Static_assert(sizeof latency_bounds_us / sizeof latency_bounds_us[0] + 1 ==
                   FW_ACK_LATENCY_NBUCKETS,
               "FW_ACK_LATENCY_NBUCKETS must be the bounds plus +Inf");

static const uint16_t slot_msg_ids[] = {
#define FW_MSG_SLOT_ID(id) id,
    FW_METRIC_MSG_LIST(FW_MSG_SLOT_ID)
#undef FW_MSG_SLOT_ID
};

static const char *const close_names[] = {
#define FW_CLOSE_NAME(name, str) str,
    FW_CLOSE_LIST(FW_CLOSE_NAME)
#undef FW_CLOSE_NAME
};

static const char *const serr_names[] = {
#define FW_SERR_NAME(name, str) str,
    FW_SERR_LIST(FW_SERR_NAME)
#undef FW_SERR_NAME
};

static const char *const identity_names[] = {
#define FW_IDENTITY_NAME(name, str) str,
    FW_IDENTITY_LIST(FW_IDENTITY_NAME)
#undef FW_IDENTITY_NAME
};

unsigned fw_metrics_msg_slot(uint16_t msg_id)
{
    switch (msg_id) {
#define FW_MSG_SLOT_CASE(id)                                                                       \
    case id:                                                                                       \
        return FW_MSG_SLOT_##id;
        FW_METRIC_MSG_LIST(FW_MSG_SLOT_CASE)
#undef FW_MSG_SLOT_CASE
    default:
        return FW_MSG_SLOT_OTHER;
    }
}

uint16_t fw_metrics_slot_msg(unsigned slot)
{
    return slot < FW_MSG_SLOT_OTHER ? slot_msg_ids[slot] : 0;
}

const char *fw_close_reason_name(fw_close_reason r)
{
    return (unsigned)r < FW_CLOSE__COUNT ? close_names[r] : "unknown";
}

const char *fw_server_error_name(fw_server_error e)
{
    return (unsigned)e < FW_SERR__COUNT ? serr_names[e] : "unknown";
}

const char *fw_identity_verdict_name(fw_identity_verdict v)
{
    return (unsigned)v < FW_IDENTITY__COUNT ? identity_names[v] : "unknown";
}

void fw_metrics_ack(fw_worker_metrics *m, uint8_t result, uint64_t latency_us)
{
    fw_counter_add(&m->acks_by_result[result < FW_ACK_RESULTS ? result : FW_ACK_RESULTS - 1], 1);
    unsigned b = 0;
    while (b < FW_ACK_LATENCY_NBUCKETS - 1 && latency_us > latency_bounds_us[b])
        b++;
    fw_counter_add(&m->ack_latency[b], 1);
    fw_counter_add(&m->ack_latency_sum_us, latency_us);
}

static uint64_t get(const fw_counter *c)
{
    return atomic_load_explicit(&c->v, memory_order_relaxed);
}

static void sum_array(uint64_t *out, const fw_counter *in, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] += get(&in[i]);
}

#define SUM_ARRAY(field) sum_array(out->field, m->field, sizeof m->field / sizeof m->field[0])

void fw_metrics_sum(fw_worker_metrics *const *workers, unsigned n, fw_metrics_snapshot *out)
{
    memset(out, 0, sizeof *out);
    out->workers = n;
    for (unsigned w = 0; w < n; w++) {
        const fw_worker_metrics *m = workers[w];
        out->conn_accepted += get(&m->conn_accepted);
        out->sessions_started += get(&m->sessions_started);
        out->sessions_open += get(&m->sessions_started) - get(&m->sessions_ended);
        out->bytes_in += get(&m->bytes_in);
        out->bytes_out += get(&m->bytes_out);
        out->ack_latency_sum_us += get(&m->ack_latency_sum_us);
        out->locations += get(&m->locations);
        out->downlink_sent += get(&m->downlink_sent);
        out->downlink_answered += get(&m->downlink_answered);
        out->subpkg_resend_requests += get(&m->subpkg_resend_requests);
        out->revocations += get(&m->revocations);
        SUM_ARRAY(registrations);
        SUM_ARRAY(conn_closed);
        SUM_ARRAY(frames_by_msg);
        SUM_ARRAY(codec_errors);
        SUM_ARRAY(server_errors);
        SUM_ARRAY(acks_by_result);
        SUM_ARRAY(ack_latency);
    }
    uint64_t closed = 0;
    for (unsigned r = 0; r < FW_CLOSE__COUNT; r++)
        closed += out->conn_closed[r];
    out->conn_open = out->conn_accepted - closed;
}

/* ---- Prometheus text
 * ---------------------------------------------------------------------- */

typedef struct {
    char *out;
    size_t cap, len;
} text_buf;

__attribute__((format(printf, 2, 3))) static void put(text_buf *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = t->len < t->cap ? t->cap - t->len : 0;
    int n = vsnprintf(room ? t->out + t->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n > 0)
        t->len += (size_t)n;
}

static void header(text_buf *t, const char *name, const char *type, const char *help)
{
    put(t, "# HELP fleetwatch_%s %s\n# TYPE fleetwatch_%s %s\n", name, help, name, type);
}

static void scalar(text_buf *t, const char *name, const char *type, const char *help, uint64_t v)
{
    header(t, name, type, help);
    put(t, "fleetwatch_%s %llu\n", name, (unsigned long long)v);
}

static void render_labelled(text_buf *t, const fw_metrics_snapshot *s)
{
    header(t, "connections_closed_total", "counter", "Connections closed, by reason.");
    for (unsigned r = 0; r < FW_CLOSE__COUNT; r++)
        put(t, "fleetwatch_connections_closed_total{reason=\"%s\"} %llu\n", close_names[r],
            (unsigned long long)s->conn_closed[r]);
    header(t, "frames_total", "counter", "Valid frames received, by message id.");
    for (unsigned m = 0; m < FW_MSG_SLOT__COUNT; m++) {
        char id[8] = "other";
        if (m != FW_MSG_SLOT_OTHER)
            snprintf(id, sizeof id, "0x%04x", fw_metrics_slot_msg(m));
        put(t, "fleetwatch_frames_total{msg_id=\"%s\"} %llu\n", id,
            (unsigned long long)s->frames_by_msg[m]);
    }
    header(t, "errors_total", "counter", "Errors, by kind (codec and server).");
    for (unsigned e = 1; e < JT_ERR__COUNT; e++)
        put(t, "fleetwatch_errors_total{kind=\"%s\"} %llu\n", jt_err_name((jt_err)e),
            (unsigned long long)s->codec_errors[e]);
    for (unsigned e = 0; e < FW_SERR__COUNT; e++)
        put(t, "fleetwatch_errors_total{kind=\"%s\"} %llu\n", serr_names[e],
            (unsigned long long)s->server_errors[e]);
    header(t, "registrations_total", "counter", "Registrations (0x0100), by verdict.");
    for (unsigned v = 0; v < FW_IDENTITY__COUNT; v++)
        put(t, "fleetwatch_registrations_total{verdict=\"%s\"} %llu\n", identity_names[v],
            (unsigned long long)s->registrations[v]);
    header(t, "acks_total", "counter", "0x8001 acks sent, by result.");
    for (unsigned r = 0; r < FW_ACK_RESULTS; r++)
        put(t, "fleetwatch_acks_total{result=\"%u\"} %llu\n", r,
            (unsigned long long)s->acks_by_result[r]);
}

static void render_latency(text_buf *t, const fw_metrics_snapshot *s)
{
    header(t, "ack_latency_seconds", "histogram",
           "From reading a frame to queueing its 0x8001 ack.");
    uint64_t cumulative = 0;
    for (unsigned b = 0; b < FW_ACK_LATENCY_NBUCKETS; b++) {
        cumulative += s->ack_latency[b];
        if (b < FW_ACK_LATENCY_NBUCKETS - 1)
            put(t, "fleetwatch_ack_latency_seconds_bucket{le=\"%g\"} %llu\n",
                (double)latency_bounds_us[b] / 1e6, (unsigned long long)cumulative);
        else
            put(t, "fleetwatch_ack_latency_seconds_bucket{le=\"+Inf\"} %llu\n",
                (unsigned long long)cumulative);
    }
    put(t, "fleetwatch_ack_latency_seconds_sum %.6f\n", (double)s->ack_latency_sum_us / 1e6);
    put(t, "fleetwatch_ack_latency_seconds_count %llu\n", (unsigned long long)cumulative);
}

size_t fw_metrics_render_prometheus(const fw_metrics_snapshot *s, char *out, size_t cap)
{
    text_buf t = {out, cap, 0};
    if (cap)
        out[0] = '\0';
    scalar(&t, "workers", "gauge", "Gateway worker threads.", s->workers);
    scalar(&t, "connections_open", "gauge", "Open terminal connections.", s->conn_open);
    scalar(&t, "connections_accepted_total", "counter", "Connections accepted.", s->conn_accepted);
    scalar(&t, "sessions_open", "gauge", "Authenticated connections.", s->sessions_open);
    scalar(&t, "sessions_started_total", "counter", "Successful authentications.",
           s->sessions_started);
    scalar(&t, "bytes_received_total", "counter", "Bytes read from terminals.", s->bytes_in);
    scalar(&t, "bytes_sent_total", "counter", "Bytes queued to terminals.", s->bytes_out);
    scalar(&t, "locations_total", "counter", "Locations handed to the sink.", s->locations);
    scalar(&t, "downlink_sent_total", "counter", "Commands sent to terminals.", s->downlink_sent);
    scalar(&t, "downlink_answered_total", "counter", "Commands answered by 0x0001.",
           s->downlink_answered);
    scalar(&t, "subpkg_resend_requests_total", "counter", "0x8003 resend requests sent.",
           s->subpkg_resend_requests);
    scalar(&t, "auth_revocations_total", "counter",
           "Auth codes revoked (0x0003 deregistration, operator revoke).", s->revocations);
    render_labelled(&t, s);
    render_latency(&t, s);
    return t.len;
}
