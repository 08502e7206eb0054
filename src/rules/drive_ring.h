/* drive_ring.h - the 24-hour driving window of the fatigue rule (fw_drive_ring in
 * rules_state.h): 96 buckets of 15 minutes holding whole minutes (a nibble each), and the
 * exact seconds of the current bucket. Adding time for an older bucket still inside the
 * window (late data) is order-independent.
 */
#ifndef FW_RULES_DRIVE_RING_H
#define FW_RULES_DRIVE_RING_H

#include <stdint.h>

#include "fw/rules/rules_state.h"

/* Add `seconds` of driving at UTC time t (moving the window forward when t is newer;
 * adding to an older bucket when t is older but still inside the window). */
void fw_ring_add(fw_drive_ring *r, uint32_t t, uint32_t seconds);
/* Driving seconds in the window (the 95 completed buckets and the current one). */
uint32_t fw_ring_total_s(const fw_drive_ring *r);
/* Add every bucket of `from` to `to` (late lane merge). */
void fw_ring_merge(fw_drive_ring *to, const fw_drive_ring *from);

#endif
