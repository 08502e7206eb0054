/* rule_speeding.c - speeding: the speed over the lowest applicable limit (zone, route
 * segment, class cap by road type; 80% at night for passenger vehicles) for at least
 * speeding.min_duration_s. Severity tiers by percent over, by road type (expressway or
 * other). Records peak, time-weighted mean speed and the distance driven over the limit.
 */
#include "episode.h"

static const char *const source_kinds[FW_EP_SUBTYPES] = {
    [FW_LIMIT_CLASS_CAP] = NULL, [FW_LIMIT_ZONE] = "zone", [FW_LIMIT_ROUTE] = "route"};

typedef struct {
    uint32_t limit_dkmh; /* 0 = no limit known */
    uint32_t ref_id;     /* zone or route that set it, 0 for a class cap */
    uint8_t source;      /* FW_LIMIT_* */
} speed_limit;

static void lower(speed_limit *l, uint32_t dkmh, uint32_t ref_id, uint8_t source)
{
    if (dkmh && (!l->limit_dkmh || dkmh < l->limit_dkmh))
        *l = (speed_limit){dkmh, ref_id, source};
}

static speed_limit applicable_limit(const fw_rule_run *run)
{
    speed_limit l = {0, 0, FW_LIMIT_CLASS_CAP};
    lower(&l, run->cfg->class_cap_kmh[run->veh->vclass][run->geo.road] * 10u, 0,
          FW_LIMIT_CLASS_CAP);
    lower(&l, run->geo.zone_limit_dkmh, run->geo.limit_zone_id, FW_LIMIT_ZONE);
    if (run->geo.in_corridor)
        lower(&l, run->geo.route_limit_dkmh, run->geo.route_id, FW_LIMIT_ROUTE);
    if (run->night && fw_class_carries_passengers(run->veh->vclass))
        l.limit_dkmh = l.limit_dkmh * run->cfg->night_factor_pct / 100u;
    return l;
}

static fw_severity tier(const fw_rules_config *c, fw_road_type road, uint32_t v, uint32_t lim)
{
    if (road == FW_ROAD_EXPRESSWAY)
        return fw_severity_by_pct(v, lim, c->speeding_expressway_minor_pct,
                                  c->speeding_expressway_serious_pct,
                                  c->speeding_expressway_severe_pct);
    return fw_severity_by_pct(v, lim, c->speeding_other_minor_pct, c->speeding_other_serious_pct,
                              c->speeding_other_severe_pct);
}

static fw_episode_spec spec_of(const fw_rules_config *cfg)
{
    return (fw_episode_spec){FW_VIOLATION_SPEEDING,
                             FW_SLOT_SPEEDING,
                             cfg->speeding_min_s,
                             cfg->speeding_clear_s,
                             false,
                             "0.1km/h",
                             source_kinds,
                             cfg->warn_speeding ? cfg->warn_speeding_text : NULL};
}

static fw_episode_extra extra_of(const fw_vehicle_state *st)
{
    const fw_episode *ep = &st->ep[FW_SLOT_SPEEDING];
    return (fw_episode_extra){st->speeding_over_s ? st->speeding_sum_dkmh_s / st->speeding_over_s
                                                  : ep->value[FW_EV_PEAK],
                              st->speeding_distance_m};
}

/* Sums for the mean speed and the distance: restarted with each episode, accumulated over its
 * OVER points. */
static void accumulate(fw_vehicle_state *st, fw_cond cond, uint32_t v, const fw_rule_run *run)
{
    if (st->ep[FW_SLOT_SPEEDING].phase == FW_EP_IDLE) {
        st->speeding_sum_dkmh_s = st->speeding_over_s = st->speeding_distance_m = 0;
    } else if (cond == FW_COND_OVER) {
        st->speeding_sum_dkmh_s += v * run->step_s;
        st->speeding_over_s += run->step_s;
        st->speeding_distance_m += run->step_m;
    }
}

static void on_point(fw_rule_run *run)
{
    fw_vehicle_state *st = run->st;
    uint32_t v = run->pt->speed_dkmh;
    speed_limit l = applicable_limit(run);
    fw_cond cond = !l.limit_dkmh                                     ? FW_COND_CLEAR
                   : v > l.limit_dkmh                                ? FW_COND_OVER
                   : v + run->cfg->speeding_band_dkmh > l.limit_dkmh ? FW_COND_BORDER
                                                                     : FW_COND_CLEAR;
    fw_episode_spec spec = spec_of(run->cfg);
    fw_episode_extra extra = extra_of(st);
    fw_episode_end_after_gap(run, &spec, &extra);
    accumulate(st, cond, v, run);
    fw_observation obs = {cond,     v, l.limit_dkmh, tier(run->cfg, run->geo.road, v, l.limit_dkmh),
                          l.source, 0, l.ref_id};
    extra = extra_of(st);
    fw_episode_step(run, &spec, &obs, &extra);
}

static void on_flush(fw_rule_run *run)
{
    fw_episode_spec spec = spec_of(run->cfg);
    fw_episode_extra extra = extra_of(run->st);
    fw_episode_flush(run, &spec, &extra);
}

const fw_rule fw_rule_speeding = {"speeding", on_point, on_flush};
