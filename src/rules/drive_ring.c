/* drive_ring.c - the fatigue rule's 24-hour driving window (drive_ring.h). */
#include "drive_ring.h"

#define BUCKET_MAX_MIN 15u

static uint8_t nib(const fw_drive_ring *r, uint32_t bucket)
{
    uint32_t slot = bucket % FW_DRIVE_BUCKETS;
    return (uint8_t)((r->min[slot / 2] >> ((slot & 1) * 4)) & 0xf);
}

static void set_nib(fw_drive_ring *r, uint32_t bucket, uint8_t minutes)
{
    uint32_t slot = bucket % FW_DRIVE_BUCKETS;
    unsigned shift = (slot & 1) * 4;
    r->min[slot / 2] = (uint8_t)((r->min[slot / 2] & ~(0xfu << shift)) | (minutes << shift));
}

/* Add minutes to a completed bucket still inside the window. */
static void add_minutes(fw_drive_ring *r, uint32_t bucket, uint32_t minutes)
{
    uint8_t old = nib(r, bucket);
    uint32_t now = old + minutes > BUCKET_MAX_MIN ? BUCKET_MAX_MIN : old + minutes;
    set_nib(r, bucket, (uint8_t)now);
    r->total_min = (uint16_t)(r->total_min + now - old);
}

static void advance(fw_drive_ring *r, uint32_t bucket)
{
    uint32_t done = r->base_bucket;
    uint32_t last = bucket - done >= FW_DRIVE_BUCKETS ? done + FW_DRIVE_BUCKETS : bucket;
    /* The finished bucket first, then empty every slot the window moves over (including the
     * new current bucket's slot, which held the bucket 24 h older). */
    add_minutes(r, done, (r->current_s + 30u) / 60u);
    for (uint32_t k = done + 1; k <= last; k++) {
        r->total_min = (uint16_t)(r->total_min - nib(r, k));
        set_nib(r, k, 0);
    }
    if (bucket - done >= FW_DRIVE_BUCKETS)
        r->total_min = 0;
    r->base_bucket = bucket;
    r->current_s = 0;
}

void fw_ring_add(fw_drive_ring *r, uint32_t t, uint32_t seconds)
{
    uint32_t bucket = t / FW_DRIVE_BUCKET_S;
    if (r->base_bucket == 0)
        r->base_bucket = bucket;
    if (bucket > r->base_bucket)
        advance(r, bucket);
    if (bucket == r->base_bucket) {
        uint32_t s = r->current_s + seconds;
        r->current_s = (uint16_t)(s > FW_DRIVE_BUCKET_S ? FW_DRIVE_BUCKET_S : s);
    } else if (r->base_bucket - bucket < FW_DRIVE_BUCKETS) {
        add_minutes(r, bucket, (seconds + 30u) / 60u);
    }
}

uint32_t fw_ring_total_s(const fw_drive_ring *r)
{
    return r->total_min * 60u + r->current_s;
}

void fw_ring_merge(fw_drive_ring *to, const fw_drive_ring *from)
{
    if (from->base_bucket == 0)
        return;
    for (uint32_t k = 1; k < FW_DRIVE_BUCKETS; k++) {
        uint32_t bucket = from->base_bucket - k;
        if (nib(from, bucket))
            fw_ring_add(to, bucket * FW_DRIVE_BUCKET_S, nib(from, bucket) * 60u);
    }
    fw_ring_add(to, from->base_bucket * FW_DRIVE_BUCKET_S, from->current_s);
}
