/* rule_route_deviation.c - a vehicle with an assigned route (registry route_id) stays out of
 * its corridor (distance to the route > the nearest segment's half-width + band_m) for
 * route_deviation.min_duration_s; closes once it has been back (within half-width - band_m)
 * for clear_s. Value: metres from the route's centre line, limit: the half-width.
 */
#include "episode.h"

static const char *const route_kinds[FW_EP_SUBTYPES] = {"route", "route", "route", "route"};

static fw_episode_spec spec_of(const fw_rules_config *cfg)
{
    return (fw_episode_spec){FW_VIOLATION_ROUTE_DEVIATION,
                             FW_SLOT_ROUTE,
                             cfg->route_min_s,
                             cfg->route_clear_s,
                             false,
                             "m",
                             route_kinds,
                             cfg->warn_route ? cfg->warn_route_text : NULL};
}

static void on_point(fw_rule_run *run)
{
    const fw_geo_hit *g = &run->geo;
    fw_episode_spec spec = spec_of(run->cfg);
    if (!run->veh->route_id || !g->route_known) {
        fw_episode_flush(run, &spec, NULL);
        return;
    }
    uint32_t d = g->route_distance_m, hw = g->route_half_width_m, band = run->cfg->route_band_m;
    fw_cond cond = !g->in_corridor && d > hw + band   ? FW_COND_OVER
                   : !g->in_corridor || d + band > hw ? FW_COND_BORDER
                                                      : FW_COND_CLEAR;
    fw_observation obs = {cond, d, hw, FW_SEVERITY_MINOR, 0, 0, g->route_id};
    fw_episode_step(run, &spec, &obs, NULL);
}

static void on_flush(fw_rule_run *run)
{
    fw_episode_spec spec = spec_of(run->cfg);
    fw_episode_flush(run, &spec, NULL);
}

const fw_rule fw_rule_route_deviation = {"route_deviation", on_point, on_flush};
