/* engine.c - fw_rules_apply(): ordering and validation of a vehicle's points, one geodata
 * query, then every rule of the table in turn (rule.h). Also the passenger-flow input and
 * the flush that closes open episodes.
 */
#include <math.h>

#include "fw/base/china_time.h"
#include "rule.h"

static const fw_rule *const rule_table[] = {
    &fw_rule_speeding,  &fw_rule_overload, &fw_rule_route_deviation, &fw_rule_forbidden_zone,
    &fw_rule_night_ban, &fw_rule_fatigue,  &fw_rule_terminal_alarm,
};
#define RULE_COUNT (sizeof(rule_table) / sizeof(rule_table[0]))

/* True when the point implies a move faster than cfg->max_plausible_kmh from the last
 * evidence point (and by more than jump_min_m, so that GNSS noise at a standstill is not a
 * jump). */
static bool impossible_jump(const fw_rules_config *cfg, const fw_vehicle_state *st,
                            const fw_position *pt, double dist_m)
{
    uint32_t dt_s = (uint32_t)pt->time_utc - st->last_t;
    return dist_m > cfg->jump_min_m && dist_m * 3.6 > (double)cfg->max_plausible_kmh * dt_s;
}

/* Step time and distance from the last evidence point; false when the point is rejected. */
static bool measure_step(const fw_rules_config *cfg, fw_vehicle_state *st, const fw_position *pt,
                         fw_rule_run *run)
{
    run->step_s = run->step_m = 0;
    if (!st->last_t)
        return true;
    double d = fw_distance_m(st->last_lat_e6, st->last_lon_e6, pt->lat_e6, pt->lon_e6);
    if (impossible_jump(cfg, st, pt, d)) {
        if (++st->jump_rejects < cfg->jump_reanchor_count)
            return false;
        st->jump_rejects = 0; /* consistent "jumps": the old anchor was the bad point */
        return true;
    }
    st->jump_rejects = 0;
    uint32_t dt = (uint32_t)pt->time_utc - st->last_t;
    if (dt <= cfg->max_gap_s) {
        run->step_s = dt;
        run->step_m = (uint32_t)lround(d);
    }
    return true;
}

static void derive(fw_rule_run *run)
{
    const fw_rules_config *cfg = run->cfg;
    const fw_position *pt = run->pt;
    fw_vehicle_state *st = run->st;
    run->china_minute = fw_china_minute(pt->time_utc);
    run->night = fw_minute_in_window(run->china_minute, cfg->night_start_min, cfg->night_end_min);
    run->moving = pt->speed_dkmh >= cfg->moving_dkmh;
    const fw_episode *fz = &st->ep[FW_SLOT_FORBIDDEN];
    fw_geo_query(run->eng->geo, pt->lat_e6, pt->lon_e6, run->veh->vclass, run->china_minute,
                 run->veh->route_id, fz->phase ? fz->ref_id : 0, &run->geo);
}

/* The terminal's own alarms (an emergency button in a tunnel) are reported from points
 * without a fix too, placed at the last fix (0, 0 when there is none): the alarm is the
 * terminal's evidence, not the position. */
static void terminal_alarms_without_fix(const fw_rules_engine *eng, const fw_vehicle_profile *veh,
                                        fw_vehicle_state *st, const fw_position *pt)
{
    fw_position at_last_fix = *pt;
    at_last_fix.lat_e6 = st->last_lat_e6;
    at_last_fix.lon_e6 = st->last_lon_e6;
    fw_rule_run run = {.eng = eng, .cfg = eng->cfg, .veh = veh, .st = st, .pt = &at_last_fix};
    fw_rule_terminal_alarm.on_point(&run);
}

fw_apply_result fw_rules_apply(const fw_rules_engine *eng, const fw_vehicle_profile *veh,
                               fw_vehicle_state *st, const fw_position *pt)
{
    if ((unsigned)veh->vclass >= FW_CLASS__COUNT)
        return FW_APPLY_BAD_PROFILE;
    if (pt->time_utc <= 0 || pt->time_utc > UINT32_MAX)
        return FW_APPLY_NO_EVIDENCE;
    uint32_t t = (uint32_t)pt->time_utc;
    if (t == st->last_seen_t)
        return FW_APPLY_DUPLICATE;
    if (t < st->last_seen_t)
        return FW_APPLY_OUT_OF_ORDER;
    st->last_seen_t = t;
    if (!pt->fixed) {
        terminal_alarms_without_fix(eng, veh, st, pt);
        return FW_APPLY_NO_EVIDENCE;
    }
    fw_rule_run run = {.eng = eng, .cfg = eng->cfg, .veh = veh, .st = st, .pt = pt};
    if (!measure_step(eng->cfg, st, pt, &run))
        return FW_APPLY_NO_EVIDENCE;
    derive(&run);
    for (size_t i = 0; i < RULE_COUNT; i++)
        rule_table[i]->on_point(&run);
    st->last_t = t;
    st->last_lat_e6 = pt->lat_e6;
    st->last_lon_e6 = pt->lon_e6;
    return FW_APPLY_OK;
}

void fw_rules_flush(const fw_rules_engine *eng, const fw_vehicle_profile *veh, fw_vehicle_state *st)
{
    fw_rule_run run = {.eng = eng, .cfg = eng->cfg, .veh = veh, .st = st};
    for (size_t i = 0; i < RULE_COUNT; i++)
        rule_table[i]->on_flush(&run);
}

void fw_rules_passenger_flow(const fw_rules_engine *eng, fw_vehicle_state *st,
                             const jt_passenger_flow *flow)
{
    (void)eng;
    int32_t n = (int32_t)st->passengers_on_board + flow->boarded - flow->alighted;
    st->passengers_on_board = (uint16_t)(n < 0 ? 0 : n > UINT16_MAX ? UINT16_MAX : n);
}
