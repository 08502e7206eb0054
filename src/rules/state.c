/* state.c - per-vehicle rule state: initialisation, the versioned byte format (so another
 * node can continue a vehicle) and the late lane (rules_state.h).
 *
 * Format: "FWRS", version byte, then every field big-endian in the order walk() visits them.
 * One walk() serves both directions, so the save and load orders cannot drift apart.
 */
#include <string.h>

#include "fw/codec/byte_io.h"
#include "drive_ring.h"
#include "episode.h"
#include "fw/rules/rules_state.h"

static const uint8_t magic[4] = {'F', 'W', 'R', 'S'};

typedef struct {
    jt_writer *w; /* saving when set */
    jt_reader *r; /* loading otherwise */
} io;

static void io_u8(io *x, uint8_t *v)
{
    if (x->w)
        wr_u8(x->w, *v);
    else
        *v = rd_u8(x->r);
}

static void io_u16(io *x, uint16_t *v)
{
    if (x->w)
        wr_u16(x->w, *v);
    else
        *v = rd_u16(x->r);
}

static void io_u32(io *x, uint32_t *v)
{
    if (x->w)
        wr_u32(x->w, *v);
    else
        *v = rd_u32(x->r);
}

static void io_i32(io *x, int32_t *v)
{
    uint32_t u = (uint32_t)*v;
    io_u32(x, &u);
    *v = (int32_t)u;
}

static void walk_episode(io *x, fw_episode *ep)
{
    for (int i = 0; i < FW_EV__COUNT; i++) {
        io_u32(x, &ep->t[i]);
        io_i32(x, &ep->lat_e6[i]);
        io_i32(x, &ep->lon_e6[i]);
        io_u16(x, &ep->value[i]);
    }
    io_u8(x, &ep->phase);
    io_u8(x, &ep->severity);
    io_u16(x, &ep->limit);
    io_u8(x, &ep->flags);
    io_u8(x, &ep->subtype);
    io_u32(x, &ep->ref_id);
}

static void walk(io *x, fw_vehicle_state *st)
{
    io_u8(x, &st->jump_rejects);
    io_u8(x, &st->fatigue_seen);
    io_u16(x, &st->passengers_on_board);
    io_u32(x, &st->last_seen_t);
    io_u32(x, &st->last_t);
    io_i32(x, &st->last_lat_e6);
    io_i32(x, &st->last_lon_e6);
    for (int i = 0; i < FW_SLOT__COUNT; i++)
        walk_episode(x, &st->ep[i]);
    io_u32(x, &st->speeding_sum_dkmh_s);
    io_u32(x, &st->speeding_over_s);
    io_u32(x, &st->speeding_distance_m);
    io_u32(x, &st->drive_continuous_s);
    io_u32(x, &st->last_moving_t);
    io_u32(x, &st->ring.base_bucket);
    io_u16(x, &st->ring.current_s);
    io_u16(x, &st->ring.total_min);
    for (size_t i = 0; i < sizeof(st->ring.min); i++)
        io_u8(x, &st->ring.min[i]);
    io_u32(x, &st->emergency_start_t);
    io_u32(x, &st->last_adas_id);
    io_u32(x, &st->last_dsm_id);
}

void fw_state_init(fw_vehicle_state *st)
{
    memset(st, 0, sizeof(*st));
}

size_t fw_state_save(const fw_vehicle_state *st, uint8_t *buf, size_t cap)
{
    fw_vehicle_state copy = *st;
    jt_writer w;
    wr_init(&w, buf, cap);
    wr_bytes(&w, magic, sizeof(magic));
    wr_u8(&w, FW_STATE_VERSION);
    walk(&(io){.w = &w}, &copy);
    return w.overflow ? 0 : w.len;
}

static bool consistent(const fw_vehicle_state *st)
{
    for (int i = 0; i < FW_SLOT__COUNT; i++)
        if (st->ep[i].phase > FW_EP_OPEN || st->ep[i].severity >= FW_SEVERITY__COUNT ||
            st->ep[i].subtype >= FW_EP_SUBTYPES)
            return false;
    return st->ring.current_s <= FW_DRIVE_BUCKET_S && st->ring.total_min <= FW_DRIVE_BUCKETS * 15u;
}

int fw_state_load(fw_vehicle_state *st, const uint8_t *buf, size_t len)
{
    jt_reader r;
    rd_init(&r, buf, len);
    const uint8_t *m = rd_take(&r, sizeof(magic));
    if (!m || memcmp(m, magic, sizeof(magic)) != 0 || rd_u8(&r) != FW_STATE_VERSION)
        return -1;
    fw_vehicle_state tmp;
    fw_state_init(&tmp);
    walk(&(io){.r = &r}, &tmp);
    if (r.short_read || rd_left(&r) != 0 || !consistent(&tmp))
        return -1;
    *st = tmp;
    return 0;
}

void fw_state_fork_late(const fw_vehicle_state *live, fw_vehicle_state *late)
{
    fw_state_init(late);
    late->passengers_on_board = live->passengers_on_board;
}

void fw_state_merge_late(fw_vehicle_state *live, const fw_vehicle_state *late)
{
    fw_ring_merge(&live->ring, &late->ring);
}
