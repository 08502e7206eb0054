/* vehicles.h - one worker's rule states: a bounded table phone -> vehicle, allocated once at
 * start (no allocation per point), open addressing with linear probing.
 *
 * Used by one worker thread only. A vehicle is found by its phone digits; a new one takes a
 * free entry, and when every entry is taken the caller evicts one (vehicles_oldest) first.
 */
#ifndef FW_PIPELINE_VEHICLES_H
#define FW_PIPELINE_VEHICLES_H

#include <stdbool.h>
#include <stdint.h>

#include "fw/rules/rules.h"

typedef enum {
    VEH_FREE,    /* entry unused */
    VEH_LOADING, /* waiting for the saved rule state from Redis; points wait in the backlog */
    VEH_READY,   /* state in use */
} vehicle_status;

#define VEH_NO_LANE UINT16_MAX

typedef struct {
    void *owner; /* the rules worker holding the table (context of a state load's reply) */
    char phone[FW_PHONE_MAX + 1];
    uint8_t status;  /* vehicle_status */
    bool dirty;      /* points applied since the last save */
    uint16_t lane;   /* late lane index, VEH_NO_LANE = none */
    int64_t seen_ms; /* wall clock of the vehicle's last point */
    fw_vehicle_profile profile;
    fw_vehicle_state state;
} vehicle;

typedef struct {
    vehicle *v;        /* capacity entries */
    uint32_t *slots;   /* hash slots -> entry index, UINT32_MAX empty; 2 x capacity, power of 2 */
    uint32_t *free_ix; /* stack of free entry indexes */
    uint32_t capacity, used, slot_mask;
} vehicles;

/* 0 or -1 (out of memory). */
int vehicles_init(vehicles *t, uint32_t capacity);
void vehicles_destroy(vehicles *t);
vehicle *vehicles_find(vehicles *t, const char *phone);
/* A new READY entry with a fresh state for phone (not present); NULL when full. */
vehicle *vehicles_add(vehicles *t, const char *phone, void *owner);
void vehicles_remove(vehicles *t, vehicle *v);
/* The entry seen least recently that is not loading; NULL when none. O(capacity). */
vehicle *vehicles_oldest(vehicles *t);

#endif
