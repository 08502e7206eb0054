/* rules.h - the rule engine: violations found in each vehicle's position stream.
 *
 * The gateway makes every decoded location into a position (fw_position = fw_position, position.h),
 * applied with fw_rules_apply() to that vehicle's fw_vehicle_state (rules_state.h). Seven
 * rules (speeding, overload, route_deviation, forbidden_zone, night_ban, fatigue,
 * terminal_alarm) read the point, the vehicle's registry profile and the geodata (geo.h), and
 * report violation events (opened / updated / closed) through an fw_rules_sink. All of it is pure
 * computation: no I/O, no allocation per point, no global state. Every default lives in
 * fw_rules_config (docs/rules.md gives each one with its source).
 *
 * Times: fw_position.time_utc is UTC epoch seconds; the rules convert to China time (UTC+8)
 * where a regulation speaks of local time (night, night ban, zone time windows).
 */
#ifndef FW_RULES_H
#define FW_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fw/base/position.h"
#include "fw/base/violation.h"
#include "fw/codec/jt_msg.h"
#include "fw/rules/geo.h"
#include "fw/rules/rules_config.h"
#include "fw/rules/rules_state.h"

/* ---- input: one position -------------------------------------------------------------- */

/* The rules read the position the gateway made (fw_position, position.h): its `fixed` is the one
 * fix definition, `speed_dkmh` the speed source configured for the rules, `late` marks blind-area
 * data. */

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
                               fw_vehicle_state *st, const fw_position *pt);
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
