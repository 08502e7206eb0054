/* vehicles.c - the per-worker phone -> rule state table (vehicles.h): FNV-1a hash, linear
 * probing, backward-shift deletion (no tombstones, so probes stay short under churn).
 */
#include <stdlib.h>
#include <string.h>

#include "vehicles.h"

#define EMPTY UINT32_MAX

static uint32_t hash_phone(const char *phone)
{
    uint32_t h = 2166136261u;
    for (; *phone; phone++)
        h = (h ^ (uint8_t)*phone) * 16777619u;
    return h;
}

int vehicles_init(vehicles *t, uint32_t capacity)
{
    uint32_t nslots = 16;
    while (nslots < 2 * capacity)
        nslots <<= 1;
    memset(t, 0, sizeof *t);
    t->v = calloc(capacity, sizeof *t->v);
    t->slots = malloc(nslots * sizeof *t->slots);
    t->free_ix = malloc(capacity * sizeof *t->free_ix);
    if (!t->v || !t->slots || !t->free_ix) {
        vehicles_destroy(t);
        return -1;
    }
    memset(t->slots, 0xff, nslots * sizeof *t->slots);
    t->capacity = capacity;
    t->slot_mask = nslots - 1;
    for (uint32_t i = 0; i < capacity; i++)
        t->free_ix[i] = capacity - 1 - i;
    return 0;
}

void vehicles_destroy(vehicles *t)
{
    free(t->v);
    free(t->slots);
    free(t->free_ix);
    memset(t, 0, sizeof *t);
}

/* Slot holding phone, or the empty slot where it would go. */
static uint32_t probe(const vehicles *t, const char *phone)
{
    uint32_t s = hash_phone(phone) & t->slot_mask;
    while (t->slots[s] != EMPTY && strcmp(t->v[t->slots[s]].phone, phone))
        s = (s + 1) & t->slot_mask;
    return s;
}

vehicle *vehicles_find(vehicles *t, const char *phone)
{
    uint32_t s = probe(t, phone);
    return t->slots[s] == EMPTY ? NULL : &t->v[t->slots[s]];
}

vehicle *vehicles_add(vehicles *t, const char *phone, void *owner)
{
    if (t->used == t->capacity || strlen(phone) > FW_PHONE_MAX)
        return NULL;
    uint32_t ix = t->free_ix[t->capacity - 1 - t->used++];
    vehicle *v = &t->v[ix];
    memset(v, 0, sizeof *v);
    v->owner = owner;
    strcpy(v->phone, phone);
    v->status = VEH_READY;
    v->lane = VEH_NO_LANE;
    fw_state_init(&v->state);
    t->slots[probe(t, phone)] = ix;
    return v;
}

void vehicles_remove(vehicles *t, vehicle *v)
{
    uint32_t hole = probe(t, v->phone);
    t->slots[hole] = EMPTY;
    /* backward shift: move later entries of the run into the hole when their home allows */
    for (uint32_t s = (hole + 1) & t->slot_mask; t->slots[s] != EMPTY; s = (s + 1) & t->slot_mask) {
        uint32_t home = hash_phone(t->v[t->slots[s]].phone) & t->slot_mask;
        if (((s - home) & t->slot_mask) >= ((s - hole) & t->slot_mask)) {
            t->slots[hole] = t->slots[s];
            t->slots[s] = EMPTY;
            hole = s;
        }
    }
    v->status = VEH_FREE;
    v->phone[0] = '\0';
    t->free_ix[t->capacity - t->used--] = (uint32_t)(v - t->v);
}

vehicle *vehicles_oldest(vehicles *t)
{
    vehicle *best = NULL;
    for (uint32_t i = 0; i < t->capacity; i++) {
        vehicle *v = &t->v[i];
        if (v->status == VEH_READY && (!best || v->seen_ms < best->seen_ms))
            best = v;
    }
    return best;
}
