/* late_lanes.c - the late lanes of one worker (late_lanes.h). */
#include <string.h>

#include "late_lanes.h"

void late_lanes_init(late_lanes *ls)
{
    memset(ls, 0, sizeof *ls);
}

static void lane_close(late_lane *l, const fw_rules_engine *eng)
{
    vehicle *v = l->v;
    fw_rules_flush(eng, &v->profile, &l->state);
    fw_state_merge_late(&v->state, &l->state);
    v->dirty = true;
    v->lane = VEH_NO_LANE;
    l->v = NULL;
}

/* A free lane, or the least recently used one closed. */
static late_lane *lane_take(late_lanes *ls, const fw_rules_engine *eng)
{
    late_lane *oldest = &ls->lane[0];
    for (unsigned i = 0; i < LATE_LANES; i++) {
        if (!ls->lane[i].v)
            return &ls->lane[i];
        if (ls->lane[i].last_ms < oldest->last_ms)
            oldest = &ls->lane[i];
    }
    lane_close(oldest, eng);
    return oldest;
}

static late_lane *lane_open(late_lanes *ls, const fw_rules_engine *eng, vehicle *v)
{
    late_lane *l = lane_take(ls, eng);
    fw_state_fork_late(&v->state, &l->state);
    l->v = v;
    v->lane = (uint16_t)(l - ls->lane);
    return l;
}

fw_apply_result late_lanes_apply(late_lanes *ls, const fw_rules_engine *eng, vehicle *v,
                                 const fw_position *pt, int64_t now_ms)
{
    late_lane *l = v->lane == VEH_NO_LANE ? lane_open(ls, eng, v) : &ls->lane[v->lane];
    fw_apply_result r = fw_rules_apply(eng, &v->profile, &l->state, pt);
    if (r == FW_APPLY_OUT_OF_ORDER) { /* an older run: the current one is complete */
        lane_close(l, eng);
        l = lane_open(ls, eng, v);
        r = fw_rules_apply(eng, &v->profile, &l->state, pt);
    }
    l->last_ms = now_ms;
    return r;
}

void late_lanes_close(late_lanes *ls, const fw_rules_engine *eng, vehicle *v)
{
    if (v->lane != VEH_NO_LANE)
        lane_close(&ls->lane[v->lane], eng);
}

void late_lanes_close_idle(late_lanes *ls, const fw_rules_engine *eng, int64_t now_ms,
                           int64_t idle_ms)
{
    for (unsigned i = 0; i < LATE_LANES; i++)
        if (ls->lane[i].v && (idle_ms < 0 || now_ms - ls->lane[i].last_ms >= idle_ms))
            lane_close(&ls->lane[i], eng);
}
