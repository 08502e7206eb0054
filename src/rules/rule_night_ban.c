/* rule_night_ban.c - a long-distance coach (registry long_distance) without an exemption moves
 * (speed >= input.moving_dkmh) inside the night-ban window (02:00-05:00 China time) for
 * night_ban.min_duration_s. Standing still, or the window's end, clears it.
 */
#include "fw/base/china_time.h"
#include "episode.h"

static bool applies(const fw_vehicle_profile *v)
{
    return v->long_distance && !v->night_ban_exempt &&
           (v->vclass == FW_CLASS_TOUR_COACH || v->vclass == FW_CLASS_LINE_COACH);
}

static fw_episode_spec spec_of(const fw_rules_config *cfg)
{
    return (fw_episode_spec){FW_VIOLATION_NIGHT_BAN,
                             FW_SLOT_NIGHT_BAN,
                             cfg->night_ban_min_s,
                             cfg->night_ban_clear_s,
                             false,
                             "0.1km/h",
                             fw_no_ref_kinds,
                             NULL};
}

static void on_point(fw_rule_run *run)
{
    if (!applies(run->veh))
        return;
    const fw_rules_config *c = run->cfg;
    bool banned =
        fw_minute_in_window(run->china_minute, c->night_ban_start_min, c->night_ban_end_min);
    fw_observation obs = {banned && run->moving ? FW_COND_OVER : FW_COND_CLEAR,
                          run->pt->speed_dkmh,
                          0,
                          FW_SEVERITY_SERIOUS,
                          0,
                          0,
                          0};
    fw_episode_spec spec = spec_of(c);
    fw_episode_step(run, &spec, &obs, NULL);
}

static void on_flush(fw_rule_run *run)
{
    fw_episode_spec spec = spec_of(run->cfg);
    fw_episode_flush(run, &spec, NULL);
}

const fw_rule fw_rule_night_ban = {"night_ban", on_point, on_flush};
