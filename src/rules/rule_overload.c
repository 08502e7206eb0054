/* rule_overload.c - overload. Trucks: the load (configured custom item) over the rated load
 * (超载, tiers by percent over the rated load or of the maximum gross mass), or the gross
 * mass (curb + load) over the limit for the axle count (超限) where up to axle_margin_kg over
 * is a warning only. Coaches: passengers on board (configured item, else summed from 0x1005)
 * over the approved seats, optionally plus the free-ticket child allowance.
 */
#include "episode.h"

static uint32_t axle_limit_kg(const fw_rules_config *c, const fw_vehicle_profile *v)
{
    if (v->axles < 2)
        return 0;
    if (v->axles == 2)
        return c->axle_limit_2_kg;
    if (v->axles == 3)
        return v->articulated ? c->axle_limit_3_art_kg : c->axle_limit_3_kg;
    if (v->axles == 4)
        return v->articulated ? c->axle_limit_4_art_kg : c->axle_limit_4_kg;
    if (v->axles == 5)
        return c->axle_limit_5_kg;
    return v->single_drive_axle ? c->axle_limit_6_single_kg : c->axle_limit_6_kg;
}

static fw_observation rated_load(const fw_rules_config *c, const fw_vehicle_profile *v,
                                 uint32_t load)
{
    fw_observation o = {
        FW_COND_CLEAR, load, v->rated_load_kg, FW_SEVERITY_WARNING, FW_OVERLOAD_RATED_LOAD, 0, 0};
    if (load > v->rated_load_kg) {
        o.cond = FW_COND_OVER;
        uint32_t base =
            c->load_tiers_of_gross && v->max_gross_kg ? v->max_gross_kg : v->rated_load_kg;
        o.severity = fw_severity_by_pct(base + (load - v->rated_load_kg), base, c->load_minor_pct,
                                        c->load_serious_pct, c->load_severe_pct);
    } else if (load + c->overload_band_kg > v->rated_load_kg) {
        o.cond = FW_COND_BORDER;
    }
    return o;
}

static fw_observation axle_load(const fw_rules_config *c, const fw_vehicle_profile *v,
                                uint32_t load)
{
    uint32_t limit = axle_limit_kg(c, v);
    uint32_t curb = v->max_gross_kg > v->rated_load_kg ? v->max_gross_kg - v->rated_load_kg : 0;
    uint32_t gross = curb + load;
    fw_observation o = {FW_COND_CLEAR,          gross, limit, FW_SEVERITY_WARNING,
                        FW_OVERLOAD_AXLE_LIMIT, 0,     0};
    if (!limit)
        return o;
    if (gross > limit) {
        o.cond = FW_COND_OVER;
        if (gross - limit > c->axle_margin_kg)
            o.severity = fw_severity_by_pct(gross, limit, c->load_minor_pct, c->load_serious_pct,
                                            c->load_severe_pct);
    } else if (gross + c->overload_band_kg > limit) {
        o.cond = FW_COND_BORDER;
    }
    return o;
}

static fw_observation truck(const fw_rule_run *run)
{
    const fw_position *pt = run->pt;
    fw_observation none = {FW_COND_CLEAR, 0, 0, FW_SEVERITY_WARNING, 0, 0, 0};
    if (!pt->has_load || !run->veh->rated_load_kg)
        return none;
    fw_observation r = rated_load(run->cfg, run->veh, pt->load_kg);
    fw_observation a = axle_load(run->cfg, run->veh, pt->load_kg);
    if (a.cond != r.cond)
        return a.cond > r.cond ? a : r;
    return a.severity > r.severity ? a : r;
}

static fw_observation coach(const fw_rule_run *run)
{
    const fw_rules_config *c = run->cfg;
    const fw_position *pt = run->pt;
    uint32_t seats = run->veh->approved_seats;
    uint32_t on_board = pt->has_passengers        ? pt->passengers
                        : c->passengers_from_flow ? run->st->passengers_on_board
                                                  : 0;
    uint32_t allowed = seats + (c->child_allowance ? seats * c->child_allowance_pct / 100u : 0);
    fw_observation o = {FW_COND_CLEAR,     on_board, seats, FW_SEVERITY_WARNING,
                        FW_OVERLOAD_SEATS, 0,        0};
    if (seats && on_board > allowed) {
        o.cond = FW_COND_OVER;
        o.severity = fw_severity_by_pct(on_board, seats, c->seats_minor_pct, c->seats_serious_pct,
                                        c->seats_severe_pct);
    }
    return o;
}

static fw_episode_spec spec_of(const fw_rules_config *cfg, const fw_vehicle_profile *veh)
{
    return (fw_episode_spec){FW_VIOLATION_OVERLOAD,
                             FW_SLOT_OVERLOAD,
                             cfg->overload_min_s,
                             cfg->overload_clear_s,
                             false,
                             fw_class_carries_passengers(veh->vclass) ? "passengers" : "kg",
                             fw_no_ref_kinds,
                             NULL};
}

static void on_point(fw_rule_run *run)
{
    fw_observation obs = fw_class_carries_passengers(run->veh->vclass) ? coach(run) : truck(run);
    fw_episode_spec spec = spec_of(run->cfg, run->veh);
    fw_episode_step(run, &spec, &obs, NULL);
}

static void on_flush(fw_rule_run *run)
{
    fw_episode_spec spec = spec_of(run->cfg, run->veh);
    fw_episode_flush(run, &spec, NULL);
}

const fw_rule fw_rule_overload = {"overload", on_point, on_flush};
