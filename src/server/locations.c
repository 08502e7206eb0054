/* locations.c - locations (0x0200, 0x0201, each entry of 0x0704), each interpreted once into a
 * position (position.h, a value on this stack), to the rule hook and the sink, and the 0x8001 once
 * the sink has stored all of a frame's locations.
 *
 * Per frame: one pending-ack slot (acks.h) holds the frame's serial and id; each location submitted
 * takes a reference that the sink's done callback drops. If the sink refuses a location
 * (FW_SINK_FULL) or no slot is free, the frame is not acked at all: the terminal retransmits it
 * later, and nothing is lost. A failed store acks with result 1. A closing connection (logout,
 * SIGTERM) waits for its pending acks. Nothing here allocates.
 */
#include "worker.h"

typedef struct {
    fw_conn *c;
    const jt_frame *f;
    fw_ack_slot *slot;
    const fw_vehicle *vehicle;
} frame_locations;

static void sink_done(void *cookie, int status)
{
    fw_ack_slot *slot = cookie;
    if (status)
        worker_count_error(slot->pool->ctx, FW_SERR_SINK_FAILED);
    fw_ack_release(slot, status);
}

static bool locations_begin(frame_locations *x, fw_conn *c, const jt_frame *f)
{
    fw_worker *w = c->w;
    x->c = c;
    x->f = f;
    x->slot = c->pending_acks == UINT16_MAX
                  ? NULL
                  : fw_ack_begin(&w->acks, c->slot, c->gen, f->serial, f->msg_id, w->now_us);
    x->vehicle = fw_registry_by_phone(w->registry, f->phone);
    if (!x->slot) {
        worker_count_error(w, FW_SERR_ACK_SLOTS_FULL);
        return false;
    }
    c->pending_acks++;
    return true;
}

static void locations_submit(frame_locations *x, const jt_location *loc, uint16_t index,
                             bool blind_area)
{
    fw_worker *w = x->c->w;
    const fw_server_config *cfg = &w->srv->cfg;
    fw_position pos;
    fw_position_from_location(loc, &cfg->position, &pos);
    pos.late = blind_area;
    pos.future = fw_position_in_future(&pos, w->wall_ms, cfg->future_tolerance_s);
    fw_location_rec rec = {.phone = x->f->phone,
                           .vehicle = x->vehicle,
                           .msg_id = x->f->msg_id,
                           .serial = x->f->serial,
                           .batch_index = index,
                           .session_first = !(x->c->flags & CONN_LOCATED),
                           .version = x->f->version,
                           .pos = &pos,
                           .received_ms = w->wall_ms,
                           .worker = w->idx};
    const fw_server_hooks *hooks = &w->srv->hooks;
    if (hooks->on_location)
        hooks->on_location(hooks->location_ctx, &rec);
    fw_ack_hold(x->slot);
    if (w->sink->ops->submit(w->sink, &rec, sink_done, x->slot) == FW_SINK_QUEUED) {
        x->c->flags |= CONN_LOCATED;
        fw_counter_add(&w->metrics.locations, 1);
        return;
    }
    worker_count_error(w, FW_SERR_SINK_FULL);
    x->slot->suppressed = true;
    fw_ack_release(x->slot, 0);
}

static void locations_end(frame_locations *x)
{
    fw_ack_release(x->slot, 0);
}

void location_single(fw_conn *c, const jt_frame *f, const jt_body *b)
{
    frame_locations x;
    if (!locations_begin(&x, c, f))
        return;
    locations_submit(&x, &b->u.loc, 0, false);
    locations_end(&x);
}

void location_reply(fw_conn *c, const jt_frame *f, const jt_body *b)
{
    frame_locations x;
    if (!locations_begin(&x, c, f))
        return;
    locations_submit(&x, &b->u.loc_reply.loc, 0, false);
    locations_end(&x);
}

/* Entries that do not decode are counted and skipped; the batch is acked for the rest. */
void location_batch(fw_conn *c, const jt_frame *f, const jt_body *b)
{
    frame_locations x;
    if (!locations_begin(&x, c, f))
        return;
    bool blind = b->u.batch.type == JT_BATCH_BLIND_AREA;
    jt_batch_iter it;
    jt_batch_iter_init(&it, &b->u.batch);
    jt_location loc;
    jt_err err;
    for (uint16_t index = 0; jt_batch_next(&it, &loc, &err); index++) {
        if (err == JT_OK)
            locations_submit(&x, &loc, index, blind);
        else
            fw_counter_add(&c->w->metrics.codec_errors[err], 1);
    }
    locations_end(&x);
}

void location_ack_complete(void *ctx, const fw_ack_slot *slot)
{
    fw_worker *w = ctx;
    fw_conn *c = worker_conn(w, slot->conn_slot, slot->conn_gen);
    if (!c)
        return;
    c->pending_acks--;
    if (!slot->suppressed && !(c->flags & CONN_ABORTED))
        reply_ack(c, slot->serial, slot->msg_id, slot->result, slot->start_us);
    conn_settle(c); /* a closing connection may have waited for this ack */
}
