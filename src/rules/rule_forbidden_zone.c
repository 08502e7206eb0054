/* rule_forbidden_zone.c - a vehicle of a class a forbidden zone applies to is inside it during
 * one of its time windows (dangerous goods in city centres, tunnels, water sources) for
 * forbidden_zone.min_duration_s. Value: the speed inside, ref: the zone id (an open episode
 * keeps its zone while it still applies, see fw_geo_query).
 */
#include "episode.h"

static const char *const zone_kinds[FW_EP_SUBTYPES] = {"zone", "zone", "zone", "zone"};

static fw_episode_spec spec_of(const fw_rules_config *cfg)
{
    return (fw_episode_spec){FW_VIOLATION_FORBIDDEN_ZONE,
                             FW_SLOT_FORBIDDEN,
                             cfg->forbidden_min_s,
                             cfg->forbidden_clear_s,
                             false,
                             "0.1km/h",
                             zone_kinds,
                             cfg->warn_forbidden ? cfg->warn_forbidden_text : NULL};
}

static void on_point(fw_rule_run *run)
{
    fw_observation obs = {run->geo.in_forbidden ? FW_COND_OVER : FW_COND_CLEAR,
                          run->pt->speed_dkmh,
                          0,
                          FW_SEVERITY_SERIOUS,
                          0,
                          0,
                          run->geo.forbidden_zone_id};
    fw_episode_spec spec = spec_of(run->cfg);
    fw_episode_step(run, &spec, &obs, NULL);
}

static void on_flush(fw_rule_run *run)
{
    fw_episode_spec spec = spec_of(run->cfg);
    fw_episode_flush(run, &spec, NULL);
}

const fw_rule fw_rule_forbidden_zone = {"forbidden_zone", on_point, on_flush};
