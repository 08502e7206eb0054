/* acks.h - pending location acks: a fixed pool of slots, one per frame whose locations are still
 * being stored.
 *
 * A frame with locations takes a slot (fw_ack_begin, holding one guard reference), adds a reference
 * per location submitted to the sink (fw_ack_hold), drops one per sink completion and finally its
 * guard (fw_ack_release). When the count reaches zero the pool's complete callback sends the 0x8001
 * (unless suppressed) and the slot returns to the free list. The guard makes sinks that complete
 * inside submit() safe. Slots are preallocated: nothing is allocated per frame. The connection is
 * named by (slot, generation), so a slot outliving its connection is harmless. One pool per worker;
 * not thread-safe.
 */
#ifndef FW_SERVER_ACKS_H
#define FW_SERVER_ACKS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct fw_ack_pool fw_ack_pool;

typedef struct {
    fw_ack_pool *pool;
    uint64_t start_us;  /* when the frame was read (monotonic) */
    uint32_t conn_slot; /* connection name within the worker */
    uint32_t conn_gen;
    uint32_t next_free; /* free-list link */
    uint16_t serial;    /* the frame's serial and id, echoed in the 0x8001 */
    uint16_t msg_id;
    uint32_t refs;
    uint8_t result;  /* 0, or 1 once any store failed */
    bool suppressed; /* send nothing (sink refused a location) */
} fw_ack_slot;

typedef void (*fw_ack_complete_fn)(void *ctx, const fw_ack_slot *slot);

struct fw_ack_pool {
    fw_ack_slot *slots;
    uint32_t cap;
    uint32_t free_head;
    uint32_t in_use;
    fw_ack_complete_fn complete;
    void *ctx;
};

int fw_ack_pool_init(fw_ack_pool *p, uint32_t cap, fw_ack_complete_fn complete, void *ctx);
void fw_ack_pool_destroy(fw_ack_pool *p);

/* A slot with one guard reference, or NULL when all are in use. */
fw_ack_slot *fw_ack_begin(fw_ack_pool *p, uint32_t conn_slot, uint32_t conn_gen, uint16_t serial,
                          uint16_t msg_id, uint64_t start_us);
void fw_ack_hold(fw_ack_slot *s);
/* Drop one reference; status != 0 makes the ack a failure (result 1). */
void fw_ack_release(fw_ack_slot *s, int status);

#endif
