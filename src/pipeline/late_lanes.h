/* late_lanes.h - blind-area data older than a vehicle's live state, evaluated apart.
 *
 * A 0x0704 type 1 point older than the vehicle's last live point cannot join the live
 * episodes (fw_rules_apply answers FW_APPLY_OUT_OF_ORDER). It goes to the vehicle's late lane
 * (fw_state_fork_late), where the run of old points is applied in order; when the run ends -
 * no late point for a while, or a point older than the lane's last one starts another run -
 * the lane is flushed (closing what it found, events marked late) and its driving time merged
 * into the live 24-hour window (fw_state_merge_late). docs/rules.md, "Late data".
 *
 * A fixed pool per worker; when every lane is busy the least recently used one is closed.
 */
#ifndef FW_PIPELINE_LATE_LANES_H
#define FW_PIPELINE_LATE_LANES_H

#include <stdint.h>

#include "fw/rules/rules.h"
#include "vehicles.h"

#define LATE_LANES 64

typedef struct {
    vehicle *v;      /* owner, NULL = free */
    int64_t last_ms; /* wall clock of its last point */
    fw_vehicle_state state;
} late_lane;

typedef struct {
    late_lane lane[LATE_LANES];
} late_lanes;

void late_lanes_init(late_lanes *ls);
/* Apply a late point that v's live state refused as out of order. */
fw_apply_result late_lanes_apply(late_lanes *ls, const fw_rules_engine *eng, vehicle *v,
                                 const fw_position *pt, int64_t now_ms);
/* Close v's lane, if it has one. */
void late_lanes_close(late_lanes *ls, const fw_rules_engine *eng, vehicle *v);
/* Close the lanes without a point for idle_ms or more (every lane with idle_ms < 0). */
void late_lanes_close_idle(late_lanes *ls, const fw_rules_engine *eng, int64_t now_ms,
                           int64_t idle_ms);

#endif
