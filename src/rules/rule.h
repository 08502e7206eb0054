/* rule.h - the interface every rule module implements, and what the engine hands it.
 *
 * The engine (engine.c) validates and orders the point, queries the geodata once, derives
 * what several rules need (China minute, night, moving, step time and distance), then calls
 * each rule's on_point in the order of engine.c's rule table. fw_rules_flush() calls on_flush.
 */
#ifndef FW_RULES_RULE_H
#define FW_RULES_RULE_H

#include <stdbool.h>
#include <stdint.h>

#include "fw/rules/rules.h"

typedef struct {
    const fw_rules_engine *eng;
    const fw_rules_config *cfg;
    const fw_vehicle_profile *veh;
    fw_vehicle_state *st;
    const fw_position *pt; /* NULL during a flush */
    fw_geo_hit geo;
    uint16_t china_minute; /* minute of the day, China time */
    bool night;            /* inside the night window (cfg night_start/end_min) */
    bool moving;           /* speed >= cfg->moving_dkmh */
    uint32_t step_s;       /* seconds since the previous evidence point, 0 for the first
                              point or after a gap over cfg->max_gap_s */
    uint32_t step_m;       /* metres from it, 0 likewise */
} fw_rule_run;

typedef struct {
    const char *name;
    void (*on_point)(fw_rule_run *run);
    void (*on_flush)(fw_rule_run *run);
} fw_rule;

extern const fw_rule fw_rule_speeding, fw_rule_overload, fw_rule_route_deviation,
    fw_rule_forbidden_zone, fw_rule_night_ban, fw_rule_fatigue, fw_rule_terminal_alarm;

#endif
