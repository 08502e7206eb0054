/* metrics.c - summing the workers' lock-free counters and rendering them for Prometheus with the
 * base layer's writer (metrics.h).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "fw/base/prom.h"
#include "fw/server/metrics.h"

static const uint64_t latency_bounds_us[] = FW_ACK_LATENCY_BUCKETS_US;
#define LATENCY_BOUNDS (FW_ACK_LATENCY_NBUCKETS - 1)
_Static_assert(sizeof latency_bounds_us / sizeof latency_bounds_us[0] == LATENCY_BOUNDS,
               "FW_ACK_LATENCY_NBUCKETS must be the bounds plus +Inf");
_Static_assert(LATENCY_BOUNDS <= FW_HISTOGRAM_BOUNDS_MAX, "too many ack latency bounds");

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
    fw_histogram_observe(&m->ack_latency_us, latency_bounds_us, LATENCY_BOUNDS, latency_us);
}

static void sum_array(uint64_t *out, const fw_counter *in, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] += fw_counter_get(&in[i]);
}

#define SUM_ARRAY(field) sum_array(out->field, m->field, sizeof m->field / sizeof m->field[0])

void fw_metrics_sum(fw_worker_metrics *const *workers, unsigned n, fw_metrics_snapshot *out)
{
    memset(out, 0, sizeof *out);
    out->workers = n;
    for (unsigned w = 0; w < n; w++) {
        const fw_worker_metrics *m = workers[w];
        out->conn_accepted += fw_counter_get(&m->conn_accepted);
        out->sessions_started += fw_counter_get(&m->sessions_started);
        out->sessions_open +=
            fw_counter_get(&m->sessions_started) - fw_counter_get(&m->sessions_ended);
        out->bytes_in += fw_counter_get(&m->bytes_in);
        out->bytes_out += fw_counter_get(&m->bytes_out);
        out->locations += fw_counter_get(&m->locations);
        out->downlink_sent += fw_counter_get(&m->downlink_sent);
        out->downlink_answered += fw_counter_get(&m->downlink_answered);
        out->subpkg_resend_requests += fw_counter_get(&m->subpkg_resend_requests);
        out->revocations += fw_counter_get(&m->revocations);
        fw_histogram_sum_into(&m->ack_latency_us, LATENCY_BOUNDS, out->ack_latency,
                              &out->ack_latency_sum_us);
        SUM_ARRAY(registrations);
        SUM_ARRAY(conn_closed);
        SUM_ARRAY(frames_by_msg);
        SUM_ARRAY(codec_errors);
        SUM_ARRAY(server_errors);
        SUM_ARRAY(acks_by_result);
    }
    uint64_t closed = 0;
    for (unsigned r = 0; r < FW_CLOSE__COUNT; r++)
        closed += out->conn_closed[r];
    out->conn_open = out->conn_accepted - closed;
}

/* ---- Prometheus text --------------------------------------------------------------------- */

/* The unlabelled uint64_t fields of a snapshot. */
static const struct {
    const char *name;
    fw_prom_type type;
    const char *help;
    size_t offset; /* of the uint64_t in fw_metrics_snapshot */
} scalars[] = {
#define SCALAR(name, type, help, field)                                                            \
    {                                                                                              \
        name, FW_PROM_##type, help, offsetof(fw_metrics_snapshot, field)                           \
    }
    SCALAR("fleetwatch_connections_open", GAUGE, "Open terminal connections.", conn_open),
    SCALAR("fleetwatch_connections_accepted_total", COUNTER, "Connections accepted.",
           conn_accepted),
    SCALAR("fleetwatch_sessions_open", GAUGE, "Authenticated connections.", sessions_open),
    SCALAR("fleetwatch_sessions_started_total", COUNTER, "Successful authentications.",
           sessions_started),
    SCALAR("fleetwatch_bytes_received_total", COUNTER, "Bytes read from terminals.", bytes_in),
    SCALAR("fleetwatch_bytes_sent_total", COUNTER, "Bytes queued to terminals.", bytes_out),
    SCALAR("fleetwatch_locations_total", COUNTER, "Locations handed to the sink.", locations),
    SCALAR("fleetwatch_downlink_sent_total", COUNTER, "Commands sent to terminals.", downlink_sent),
    SCALAR("fleetwatch_downlink_answered_total", COUNTER, "Commands answered by 0x0001.",
           downlink_answered),
    SCALAR("fleetwatch_subpkg_resend_requests_total", COUNTER, "0x8003 resend requests sent.",
           subpkg_resend_requests),
    SCALAR("fleetwatch_auth_revocations_total", COUNTER,
           "Auth codes revoked (0x0003 deregistration, operator revoke).", revocations),
#undef SCALAR
};

static void render_scalars(fw_prom *p, const fw_metrics_snapshot *s)
{
    fw_prom_metric(p, "fleetwatch_workers", FW_PROM_GAUGE, "Gateway worker threads.", s->workers);
    for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; i++) {
        const uint64_t *v = (const uint64_t *)((const char *)s + scalars[i].offset);
        fw_prom_metric(p, scalars[i].name, scalars[i].type, scalars[i].help, *v);
    }
}

static void render_labelled(fw_prom *p, const fw_metrics_snapshot *s)
{
    static const char closed[] = "fleetwatch_connections_closed_total";
    fw_prom_family(p, closed, FW_PROM_COUNTER, "Connections closed, by reason.");
    for (unsigned r = 0; r < FW_CLOSE__COUNT; r++)
        fw_prom_sample(p, closed, s->conn_closed[r], "reason", close_names[r], NULL);
    static const char frames[] = "fleetwatch_frames_total";
    fw_prom_family(p, frames, FW_PROM_COUNTER, "Valid frames received, by message id.");
    for (unsigned m = 0; m < FW_MSG_SLOT__COUNT; m++) {
        char id[8] = "other";
        if (m != FW_MSG_SLOT_OTHER)
            snprintf(id, sizeof id, "0x%04x", fw_metrics_slot_msg(m));
        fw_prom_sample(p, frames, s->frames_by_msg[m], "msg_id", id, NULL);
    }
    static const char errors[] = "fleetwatch_errors_total";
    fw_prom_family(p, errors, FW_PROM_COUNTER, "Errors, by kind (codec and server).");
    for (unsigned e = 1; e < JT_ERR__COUNT; e++)
        fw_prom_sample(p, errors, s->codec_errors[e], "kind", jt_err_name((jt_err)e), NULL);
    for (unsigned e = 0; e < FW_SERR__COUNT; e++)
        fw_prom_sample(p, errors, s->server_errors[e], "kind", serr_names[e], NULL);
    static const char regs[] = "fleetwatch_registrations_total";
    fw_prom_family(p, regs, FW_PROM_COUNTER, "Registrations (0x0100), by verdict.");
    for (unsigned v = 0; v < FW_IDENTITY__COUNT; v++)
        fw_prom_sample(p, regs, s->registrations[v], "verdict", identity_names[v], NULL);
    static const char acks[] = "fleetwatch_acks_total";
    fw_prom_family(p, acks, FW_PROM_COUNTER, "0x8001 acks sent, by result.");
    for (unsigned r = 0; r < FW_ACK_RESULTS; r++) {
        char result[4];
        snprintf(result, sizeof result, "%u", r);
        fw_prom_sample(p, acks, s->acks_by_result[r], "result", result, NULL);
    }
}

size_t fw_metrics_render_prometheus(const fw_metrics_snapshot *s, char *out, size_t cap)
{
    fw_prom p;
    fw_prom_init(&p, out, cap);
    render_scalars(&p, s);
    render_labelled(&p, s);
    fw_prom_histogram(&p, "fleetwatch_ack_latency_seconds",
                      "From reading a frame to queueing its 0x8001 ack.", latency_bounds_us,
                      LATENCY_BOUNDS, 1e6, s->ack_latency, s->ack_latency_sum_us);
    return fw_prom_len(&p);
}
