/* rules.h - the rule engine: violations found in each vehicle's position stream.
 *
 * The gateway turns every decoded location into an fw_point (fw_point_from_location) and
 * applies it with fw_rules_apply() to that vehicle's fw_vehicle_state (rules_state.h). Seven
 * rules (speeding, overload, route_deviation, forbidden_zone, night_ban, fatigue,
 * terminal_alarm) read the point, the vehicle's registry profile and the geodata (geo.h), and
 * report violation events (opened / updated / closed) through an fw_rules_sink. All of it is pure
 * computation: no I/O, no allocation per point, no global state. Every default lives in
 * fw_rules_config (docs/rules.md gives each one with its source).
 *
 * Times: fw_point.time_utc is UTC epoch seconds; the rules convert to China time (UTC+8)
 * where a regulation speaks of local time (night, night ban, zone time windows).
 */
#ifndef FW_RULES_H
#define FW_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fw/base/violation.h"
#include "fw/rules/geo.h"
#include "fw/codec/jt_msg.h"
#include "fw/rules/rules_config.h"
#include "fw/rules/rules_state.h"

/* ---- input: one position -------------------------------------------------------------- */

typedef struct {
    int64_t time_utc;       /* GNSS time, UTC epoch seconds */
    int32_t lat_e6, lon_e6; /* signed 1e-6 degrees */
    uint16_t speed_dkmh;    /* speed the rules use (GNSS, or tachograph when configured) */
    uint16_t gnss_speed_dkmh;
    uint16_t tacho_speed_dkmh; /* 0 when absent */
    uint16_t course_deg;
    uint32_t alarm;      /* JT_ALARM_* bits */
    uint32_t status;     /* JT_STATUS_* bits */
    uint32_t mileage_hm; /* 0.1 km, 0 when absent */
    uint32_t load_kg;    /* from the configured load item; valid when has_load */
    uint16_t passengers; /* from the configured passenger item; valid when has_passengers */
    uint8_t adas_type, adas_level, adas_flag; /* Jiangsu 0x64; type 0 when absent */
    uint8_t dsm_type, dsm_level, dsm_flag;    /* Jiangsu 0x65; type 0 when absent */
    uint32_t adas_alarm_id, dsm_alarm_id;
    bool fixed; /* GNSS fix (status bit 1) and a usable time */
    bool has_tacho, has_load, has_passengers;
    bool late; /* blind-area data (0x0704 type 1): what it finds is marked late */
} fw_point;

/* Fill *out from a decoded location. The load and passenger items are read as configured
 * (cfg->items); `late` marks blind-area data. The point is
 * not fixed when the location has no fix, no valid time or out-of-range coordinates. */
void fw_point_from_location(const jt_location *loc, const fw_rules_config *cfg, bool late,
                            fw_point *out);

/* ---- input: the vehicle registry ------------------------------------------------------- */

/* The profile (fw_vehicle_profile, violation.h: the vehicle whose points are judged and whose
 * events name it) of a registry entry (registry.h); the registry has no single-drive-axle flag,
 * so a 6+ axle vehicle gets the 49 t limit unless the caller sets it. */
void fw_profile_from_registry(const fw_vehicle *v, fw_vehicle_profile *out);

/* ---- output: violation events ---------------------------------------------------------- */

/* fw_violation and its vocabularies (types, severities, subtypes, phases) live in the base
 * layer (violation.h), so that the store and the API use them without the engine. */

typedef struct {
    /* Every event; the pointer is valid only during the call. */
    void (*on_violation)(void *ctx, const fw_violation *v);
    /* Optional: ask the gateway to send the driver a 0x8300 text/TTS warning (UTF-8). */
    void (*on_warn_driver)(void *ctx, const fw_violation *v, const char *text_utf8);
    void *ctx;
} fw_rules_sink;

/* ---- the engine ------------------------------------------------------------------------ */

typedef struct {
    const fw_rules_config *cfg;
    const fw_geo *geo; /* may be NULL (no zones, routes or road types). Immutable: reload by
                          loading a new fw_geo and swapping this pointer between points. */
    fw_rules_sink sink;
} fw_rules_engine;

typedef enum {
    FW_APPLY_OK,           /* evaluated */
    FW_APPLY_DUPLICATE,    /* same event time as the last point: ignored */
    FW_APPLY_OUT_OF_ORDER, /* older than the last point: not applied (see fw_state_fork_late) */
    FW_APPLY_NO_EVIDENCE,  /* no fix, or an impossible jump: not used as evidence */
    FW_APPLY_BAD_PROFILE,  /* the profile's class is out of range: nothing evaluated */
} fw_apply_result;

/* Apply one point to the vehicle's state, in event-time order. */
fw_apply_result fw_rules_apply(const fw_rules_engine *eng, const fw_vehicle_profile *veh,
                               fw_vehicle_state *st, const fw_point *pt);
/* A 0x1005 passenger-flow window: adds boarded - alighted to the passengers on board (used by
 * overload when cfg->passengers_from_flow); evaluated with the next point. */
void fw_rules_passenger_flow(const fw_rules_engine *eng, fw_vehicle_state *st,
                             const jt_passenger_flow *flow);
/* Close every open episode at its last violating point; pending episodes are dropped. For a
 * finished late lane, or a vehicle gone for good. A disconnect is not a reason: save the state
 * (fw_state_save) and continue it on reconnect, so that an episode spanning the reconnect stays
 * one episode (an episode whose last point is older than input.max_gap_s closes by itself on
 * the next point). */
void fw_rules_flush(const fw_rules_engine *eng, const fw_vehicle_profile *veh,
                    fw_vehicle_state *st);

#endif
