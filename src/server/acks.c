/* acks.c - the pending-ack slot pool (acks.h). */
#include <stdlib.h>

#include "acks.h"

#define NO_SLOT UINT32_MAX

int fw_ack_pool_init(fw_ack_pool *p, uint32_t cap, fw_ack_complete_fn complete, void *ctx)
{
    p->slots = calloc(cap, sizeof *p->slots);
    if (!p->slots)
        return -1;
    p->cap = cap;
    p->in_use = 0;
    p->complete = complete;
    p->ctx = ctx;
    for (uint32_t i = 0; i < cap; i++) {
        p->slots[i].pool = p;
        p->slots[i].next_free = i + 1 < cap ? i + 1 : NO_SLOT;
    }
    p->free_head = cap ? 0 : NO_SLOT;
    return 0;
}

void fw_ack_pool_destroy(fw_ack_pool *p)
{
    free(p->slots);
    p->slots = NULL;
}

fw_ack_slot *fw_ack_begin(fw_ack_pool *p, uint32_t conn_slot, uint32_t conn_gen, uint16_t serial,
                          uint16_t msg_id, uint64_t start_us)
{
    if (p->free_head == NO_SLOT)
        return NULL;
    fw_ack_slot *s = &p->slots[p->free_head];
    p->free_head = s->next_free;
    p->in_use++;
    s->start_us = start_us;
    s->conn_slot = conn_slot;
    s->conn_gen = conn_gen;
    s->serial = serial;
    s->msg_id = msg_id;
    s->refs = 1;
    s->result = 0;
    s->suppressed = false;
    return s;
}

void fw_ack_hold(fw_ack_slot *s)
{
    s->refs++;
}

void fw_ack_release(fw_ack_slot *s, int status)
{
    if (status)
        s->result = 1;
    if (--s->refs)
        return;
    fw_ack_pool *p = s->pool;
    p->complete(p->ctx, s);
    s->next_free = p->free_head;
    p->free_head = (uint32_t)(s - p->slots);
    p->in_use--;
}
