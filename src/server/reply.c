/* reply.c - frames from the platform to a terminal: built into the worker's scratch buffer with the
 * codec's encoders and jt_frame_build, then copied once onto the connection's output.
 */
#include <time.h>

#include "fw/codec/jt_encode.h"
#include "worker.h"

static int send_frame(fw_conn *c, jt_header_out *h, const uint8_t *body, size_t body_len)
{
    fw_worker *w = c->w;
    jt_err err = JT_OK;
    h->serial = c->next_serial;
    size_t n = jt_frame_build(h, body, body_len, w->frame_scratch, sizeof w->frame_scratch, &err);
    if (!n) {
        fw_counter_add(&w->metrics.codec_errors[err], 1);
        return -1;
    }
    c->next_serial++;
    conn_write(c, w->frame_scratch, n);
    fw_counter_add(&w->metrics.bytes_out, n);
    return h->serial;
}

int reply_send(fw_conn *c, uint16_t msg_id, const uint8_t *body, size_t body_len)
{
    jt_header_out h = {.msg_id = msg_id,
                       .version = c->v2019 ? JT_V2019 : JT_V2013,
                       .proto_version = c->proto_version,
                       .phone_raw = c->phone_raw};
    return send_frame(c, &h, body, body_len);
}

int reply_to(fw_conn *c, const jt_frame *f, uint16_t msg_id, const uint8_t *body, size_t body_len)
{
    jt_header_out h = {.msg_id = msg_id,
                       .version = f->version,
                       .proto_version = f->proto_version,
                       .phone_raw = f->phone_raw};
    return send_frame(c, &h, body, body_len);
}

static uint64_t monotonic_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void count_ack(fw_worker *w, uint8_t result, uint64_t start_us)
{
    uint64_t now = monotonic_us();
    fw_metrics_ack(&w->metrics, result, now > start_us ? now - start_us : 0);
}

void reply_ack_to(fw_conn *c, const jt_frame *f, uint8_t result)
{
    jt_general_ack a = {f->serial, f->msg_id, result};
    size_t len;
    if (jt_enc_plat_ack(&a, c->w->body_scratch, sizeof c->w->body_scratch, &len) == JT_OK &&
        reply_to(c, f, JT_MSG_PLAT_ACK, c->w->body_scratch, len) >= 0)
        count_ack(c->w, result, c->w->now_us);
}

void reply_ack(fw_conn *c, uint16_t serial, uint16_t msg_id, uint8_t result, uint64_t start_us)
{
    jt_general_ack a = {serial, msg_id, result};
    size_t len;
    if (jt_enc_plat_ack(&a, c->w->body_scratch, sizeof c->w->body_scratch, &len) == JT_OK &&
        reply_send(c, JT_MSG_PLAT_ACK, c->w->body_scratch, len) >= 0)
        count_ack(c->w, result, start_us);
}
