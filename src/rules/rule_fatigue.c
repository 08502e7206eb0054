/* rule_fatigue.c - fatigue from the position stream. Driving = speed >= input.moving_dkmh;
 * a rest is a gap of at least fatigue.rest_s between two moving points. Two episodes:
 *   fatigue        continuous driving since the last rest over 4 h (2 h while it is night),
 *                  open until the next rest;
 *   fatigue_daily  driving in the last 24 h (the 15-minute ring, drive_ring.h) over 8 h,
 *                  open until the window drops back under the limit.
 * The terminal's fatigue alarm bits and DSM fatigue (type 1) since the last rest mark the
 * events as corroborated. Values and limits are in minutes.
 */
#include "drive_ring.h"
#include "episode.h"

#define TERMINAL_FATIGUE_BITS                                                                      \
    (JT_ALARM_FATIGUE | JT_ALARM_FATIGUE_WARNING | JT_ALARM_DAILY_DRIVING_EXCEEDED)
#define DSM_FATIGUE_TYPE 1

static fw_episode_spec spec_of(fw_violation_type type, uint8_t slot)
{
    return (fw_episode_spec){type, slot, 0, 0, true, "min", fw_no_ref_kinds, NULL};
}

/* Update the continuous-driving clock; true when this point ends a rest. */
static bool track_driving(fw_rule_run *run)
{
    fw_vehicle_state *st = run->st;
    uint32_t t = (uint32_t)run->pt->time_utc;
    fw_ring_add(&st->ring, t, run->moving ? run->step_s : 0);
    if (!run->moving)
        return false;
    bool rested = st->last_moving_t && t - st->last_moving_t >= run->cfg->fatigue_rest_s;
    if (rested) {
        st->drive_continuous_s = 0;
        st->fatigue_seen = 0;
    } else {
        st->drive_continuous_s += run->step_s;
    }
    st->last_moving_t = t;
    return rested;
}

static fw_cond cond_of(bool moving, uint32_t value_s, uint32_t limit_s)
{
    if (value_s <= limit_s)
        return FW_COND_CLEAR;
    return moving ? FW_COND_OVER : FW_COND_BORDER;
}

static void on_point(fw_rule_run *run)
{
    fw_vehicle_state *st = run->st;
    const fw_rules_config *c = run->cfg;
    const fw_position *pt = run->pt;
    if ((pt->alarm & TERMINAL_FATIGUE_BITS) || pt->dsm_type == DSM_FATIGUE_TYPE)
        st->fatigue_seen = 1;
    bool rested = track_driving(run);
    uint8_t flags = st->fatigue_seen ? FW_EPF_CORROBORATED : 0;

    uint32_t limit_s = run->night ? c->fatigue_night_s : c->fatigue_day_s;
    fw_episode_spec cont = spec_of(FW_VIOLATION_FATIGUE, FW_SLOT_FATIGUE);
    if (rested)
        fw_episode_flush(run, &cont, NULL);
    fw_observation obs = {cond_of(run->moving, st->drive_continuous_s, limit_s),
                          st->drive_continuous_s / 60u,
                          limit_s / 60u,
                          FW_SEVERITY_MINOR,
                          run->night ? FW_FATIGUE_NIGHT : FW_FATIGUE_DAY,
                          flags,
                          0};
    fw_episode_step(run, &cont, &obs, NULL);

    uint32_t day_s = fw_ring_total_s(&st->ring);
    fw_episode_spec daily = spec_of(FW_VIOLATION_FATIGUE_DAILY, FW_SLOT_FATIGUE_DAILY);
    fw_observation dobs = {cond_of(run->moving, day_s, c->fatigue_daily_s),
                           day_s / 60u,
                           c->fatigue_daily_s / 60u,
                           FW_SEVERITY_MINOR,
                           0,
                           flags,
                           0};
    fw_episode_step(run, &daily, &dobs, NULL);
}

static void on_flush(fw_rule_run *run)
{
    fw_episode_spec cont = spec_of(FW_VIOLATION_FATIGUE, FW_SLOT_FATIGUE);
    fw_episode_spec daily = spec_of(FW_VIOLATION_FATIGUE_DAILY, FW_SLOT_FATIGUE_DAILY);
    fw_episode_flush(run, &cont, NULL);
    fw_episode_flush(run, &daily, NULL);
}

const fw_rule fw_rule_fatigue = {"fatigue", on_point, on_flush};
