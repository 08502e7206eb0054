/* rules_config.h - every parameter of the rule engine, with its default.
 *
 * One X-macro list declares each scalar parameter once: the struct field, its JSON key (a
 * dotted path into the config object, e.g. "speeding.min_duration_s") and its default. The
 * defaults and their legal sources are documented in docs/rules.md. Load with
 * fw_rules_config_default() then fw_rules_config_from_json().
 *
 * input.speed_from_tacho is read here but applied where positions are made: the service copies
 * it into fw_position_config (position.h), and fw_position.speed_dkmh is the chosen speed.
 */
#ifndef FW_RULES_CONFIG_H
#define FW_RULES_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fw/rules/geo.h"
#include "fw/rules/rules_types.h"

/* X(type, field, json key, default); types BOOL, U8, U16, U32, I32. Minutes are China time. */
#define FW_RULES_CONFIG_LIST(X)                                                                    \
    X(BOOL, speed_from_tacho, "input.speed_from_tacho", false)                                     \
    X(BOOL, passengers_from_flow, "input.passengers_from_flow", true)                              \
    X(U16, max_plausible_kmh, "input.max_plausible_kmh", 250)                                      \
    X(U16, jump_min_m, "input.jump_min_m", 200)                                                    \
    X(U8, jump_reanchor_count, "input.jump_reanchor_count", 3)                                     \
    X(U16, max_gap_s, "input.max_gap_s", 600)                                                      \
    X(U16, moving_dkmh, "input.moving_dkmh", 50)                                                   \
    X(U16, night_start_min, "night.start_min", 22 * 60)                                            \
    X(U16, night_end_min, "night.end_min", 6 * 60)                                                 \
    X(U8, night_factor_pct, "night.speed_factor_pct", 80)                                          \
    X(U16, speeding_min_s, "speeding.min_duration_s", 60)                                          \
    X(U16, speeding_clear_s, "speeding.clear_s", 30)                                               \
    X(U16, speeding_band_dkmh, "speeding.band_dkmh", 30)                                           \
    X(U8, speeding_expressway_minor_pct, "speeding.expressway_tiers.minor_pct", 0)                 \
    X(U8, speeding_expressway_serious_pct, "speeding.expressway_tiers.serious_pct", 20)            \
    X(U8, speeding_expressway_severe_pct, "speeding.expressway_tiers.severe_pct", 255)             \
    X(U8, speeding_other_minor_pct, "speeding.other_tiers.minor_pct", 10)                          \
    X(U8, speeding_other_serious_pct, "speeding.other_tiers.serious_pct", 20)                      \
    X(U8, speeding_other_severe_pct, "speeding.other_tiers.severe_pct", 50)                        \
    X(U16, overload_min_s, "overload.min_duration_s", 60)                                          \
    X(U16, overload_clear_s, "overload.clear_s", 60)                                               \
    X(U16, overload_band_kg, "overload.band_kg", 100)                                              \
    X(U16, axle_margin_kg, "overload.axle_margin_kg", 1000)                                        \
    X(BOOL, child_allowance, "overload.child_allowance", false)                                    \
    X(U8, child_allowance_pct, "overload.child_allowance_pct", 10)                                 \
    X(BOOL, load_tiers_of_gross, "overload.tiers_of_max_gross", true)                              \
    X(U8, load_minor_pct, "overload.load_tiers.minor_pct", 0)                                      \
    X(U8, load_serious_pct, "overload.load_tiers.serious_pct", 30)                                 \
    X(U8, load_severe_pct, "overload.load_tiers.severe_pct", 50)                                   \
    X(U8, seats_minor_pct, "overload.seat_tiers.minor_pct", 0)                                     \
    X(U8, seats_serious_pct, "overload.seat_tiers.serious_pct", 20)                                \
    X(U8, seats_severe_pct, "overload.seat_tiers.severe_pct", 255)                                 \
    X(U32, axle_limit_2_kg, "overload.axle_limits_kg.a2", 18000)                                   \
    X(U32, axle_limit_3_kg, "overload.axle_limits_kg.a3", 25000)                                   \
    X(U32, axle_limit_3_art_kg, "overload.axle_limits_kg.a3_articulated", 27000)                   \
    X(U32, axle_limit_4_kg, "overload.axle_limits_kg.a4", 31000)                                   \
    X(U32, axle_limit_4_art_kg, "overload.axle_limits_kg.a4_articulated", 36000)                   \
    X(U32, axle_limit_5_kg, "overload.axle_limits_kg.a5", 43000)                                   \
    X(U32, axle_limit_6_kg, "overload.axle_limits_kg.a6", 49000)                                   \
    X(U32, axle_limit_6_single_kg, "overload.axle_limits_kg.a6_single_drive", 46000)               \
    X(U16, route_min_s, "route_deviation.min_duration_s", 60)                                      \
    X(U16, route_clear_s, "route_deviation.clear_s", 30)                                           \
    X(U16, route_band_m, "route_deviation.band_m", 10)                                             \
    X(U16, forbidden_min_s, "forbidden_zone.min_duration_s", 30)                                   \
    X(U16, forbidden_clear_s, "forbidden_zone.clear_s", 30)                                        \
    X(U16, night_ban_start_min, "night_ban.start_min", 2 * 60)                                     \
    X(U16, night_ban_end_min, "night_ban.end_min", 5 * 60)                                         \
    X(U16, night_ban_min_s, "night_ban.min_duration_s", 60)                                        \
    X(U16, night_ban_clear_s, "night_ban.clear_s", 300)                                            \
    X(U32, fatigue_day_s, "fatigue.continuous_day_s", 4 * 3600)                                    \
    X(U32, fatigue_night_s, "fatigue.continuous_night_s", 2 * 3600)                                \
    X(U32, fatigue_rest_s, "fatigue.rest_s", 20 * 60)                                              \
    X(U32, fatigue_daily_s, "fatigue.daily_s", 8 * 3600)                                           \
    X(BOOL, warn_speeding, "warn.speeding", true)                                                  \
    X(BOOL, warn_route, "warn.route_deviation", true)                                              \
    X(BOOL, warn_forbidden, "warn.forbidden_zone", true)                                           \
    X(I32, geo_cell_e6, "geo.cell_e6", 10000)                                                      \
    X(BOOL, geo_width_is_full, "geo.width_is_full", true)

/* X(field, json key, default UTF-8 text) */
#define FW_RULES_TEXT_LIST(X)                                                                      \
    X(warn_speeding_text, "warn.speeding_text", "您已超速，请减速慢行")                            \
    X(warn_route_text, "warn.route_deviation_text", "您已偏离规定线路，请按规定线路行驶")          \
    X(warn_forbidden_text, "warn.forbidden_zone_text", "您已进入禁行区域，请立即驶离")

#define FW_CFG_CTYPE_BOOL bool
#define FW_CFG_CTYPE_U8   uint8_t
#define FW_CFG_CTYPE_U16  uint16_t
#define FW_CFG_CTYPE_U32  uint32_t
#define FW_CFG_CTYPE_I32  int32_t
#define FW_RULES_TEXT_MAX 128

typedef struct {
#define FW_CFG_FIELD(type, field, key, def) FW_CFG_CTYPE_##type field;
    FW_RULES_CONFIG_LIST(FW_CFG_FIELD)
#undef FW_CFG_FIELD
#define FW_CFG_TEXT_FIELD(field, key, def) char field[FW_RULES_TEXT_MAX];
    FW_RULES_TEXT_LIST(FW_CFG_TEXT_FIELD)
#undef FW_CFG_TEXT_FIELD
    /* Speed caps by class and road type, km/h, 0 = none; JSON
     * "speeding.class_caps_kmh": {"dangerous_goods": {"expressway": 80, ...}, ...}. */
    uint16_t class_cap_kmh[FW_CLASS__COUNT][FW_ROAD__COUNT];
} fw_rules_config;

/* All defaults. */
void fw_rules_config_default(fw_rules_config *cfg);
/* Override from a JSON object text; keys absent keep their value. Returns 0, or -1 with a
 * message (key and reason) in err when the text is not JSON or a value has the wrong type or
 * range. */
int fw_rules_config_from_json(fw_rules_config *cfg, const char *json, char *err, size_t err_cap);
/* The geodata part of the config. */
fw_geo_config fw_rules_geo_config(const fw_rules_config *cfg);

#endif
