/* rules.h - the rule engine: violations found in each vehicle's position stream.
 *
 * The gateway makes every decoded location into a position (fw_point = fw_position, position.h),
 * applied with fw_rules_apply() to that vehicle's fw_vehicle_state (rules_state.h). Seven
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

#include "fw/base/position.h"
#include "fw/codec/jt_msg.h"
#include "fw/rules/geo.h"
#include "fw/rules/rules_config.h"
#include "fw/rules/rules_state.h"

/* ---- input: one position -------------------------------------------------------------- */

/* The rules read the position the gateway made (position.h): its `fixed` is the one fix
 * definition, `speed_dkmh` the speed source configured for the rules, `late` marks blind-area
 * data. */
typedef fw_position fw_point;

/* ---- input: the vehicle registry ------------------------------------------------------- */

typedef struct {
    char phone[FW_PHONE_MAX + 1]; /* terminal phone digits (the registry's): the vehicle key */
    char plate[FW_PLATE_MAX + 1]; /* UTF-8 */
    uint8_t plate_color;          /* JT/T 808 code (1 blue, 2 yellow ...), 0 = unknown */
    fw_vehicle_class vclass;
    uint16_t approved_seats; /* coaches: 核定载客 */
    uint32_t rated_load_kg;  /* trucks: 核定载质量 */
    uint32_t max_gross_kg;   /* trucks: 总质量 on the licence */
    uint8_t axles;
    bool articulated;       /* tractor + semi-trailer (3- and 4-axle limits) */
    bool single_drive_axle; /* 6+ axles: tractor with one drive axle (46 t) */
    bool long_distance;     /* long-distance passenger line (night ban applies) */
    bool night_ban_exempt;  /* shuttle, commuter, customised or <= 200 km trip */
    uint32_t route_id;      /* assigned route in the geodata, 0 = none */
} fw_vehicle_profile;

/* The profile of a registry entry (registry.h); the registry has no single-drive-axle flag,
 * so a 6+ axle vehicle gets the 49 t limit unless the caller sets it. */
void fw_profile_from_registry(const fw_vehicle *v, fw_vehicle_profile *out);

/* ---- output: violation events ---------------------------------------------------------- */

/* X(enum suffix, name) */
#define FW_VIOLATION_LIST(X)                                                                       \
    X(SPEEDING, "speeding")                                                                        \
    X(OVERLOAD, "overload")                                                                        \
    X(ROUTE_DEVIATION, "route_deviation")                                                          \
    X(FORBIDDEN_ZONE, "forbidden_zone")                                                            \
    X(NIGHT_BAN, "night_ban")                                                                      \
    X(FATIGUE, "fatigue")                                                                          \
    X(FATIGUE_DAILY, "fatigue_daily")                                                              \
    X(TERMINAL_ALARM, "terminal_alarm")

typedef enum {
#define FW_VIOLATION_ENUM(name, text) FW_VIOLATION_##name,
    FW_VIOLATION_LIST(FW_VIOLATION_ENUM)
#undef FW_VIOLATION_ENUM
        FW_VIOLATION__COUNT
} fw_violation_type;

/* Severity tiers: WARNING below the first legal tier (or within a warning margin), then the
 * regulation's tiers in order. */
#define FW_SEVERITY_LIST(X)                                                                        \
    X(WARNING, "warning")                                                                          \
    X(MINOR, "minor")                                                                              \
    X(SERIOUS, "serious")                                                                          \
    X(SEVERE, "severe")

typedef enum {
#define FW_SEVERITY_ENUM(name, text) FW_SEVERITY_##name,
    FW_SEVERITY_LIST(FW_SEVERITY_ENUM)
#undef FW_SEVERITY_ENUM
        FW_SEVERITY__COUNT
} fw_severity;

/* Subtypes. X(enum suffix, name) */
#define FW_OVERLOAD_KIND_LIST(X)                                                                   \
    X(RATED_LOAD, "over_rated_load")                                                               \
    X(AXLE_LIMIT, "over_axle_limit")                                                               \
    X(SEATS, "over_seats")
enum {
#define FW_OVERLOAD_ENUM(name, text) FW_OVERLOAD_##name,
    FW_OVERLOAD_KIND_LIST(FW_OVERLOAD_ENUM)
#undef FW_OVERLOAD_ENUM
};
enum { FW_FATIGUE_DAY = 0, FW_FATIGUE_NIGHT = 1 };
/* Speeding: what set the limit at the peak. */
enum { FW_LIMIT_CLASS_CAP = 0, FW_LIMIT_ZONE = 1, FW_LIMIT_ROUTE = 2 };

/* Terminal alarms that become events. X(enum suffix, item id (0 = alarm bit), type, name) */
#define FW_TERMINAL_ALARM_LIST(X)                                                                  \
    X(EMERGENCY, 0x00, 0, "emergency")                                                             \
    X(FORWARD_COLLISION, 0x64, 1, "forward_collision")                                             \
    X(LANE_DEPARTURE, 0x64, 2, "lane_departure")                                                   \
    X(HEADWAY, 0x64, 3, "headway_too_close")                                                       \
    X(PEDESTRIAN, 0x64, 4, "pedestrian_collision")                                                 \
    X(LANE_CHANGE, 0x64, 5, "frequent_lane_change")                                                \
    X(SIGN_LIMIT, 0x64, 6, "road_sign_limit_exceeded")                                             \
    X(OBSTACLE, 0x64, 7, "obstacle")                                                               \
    X(DSM_FATIGUE, 0x65, 1, "driver_fatigue")                                                      \
    X(PHONE_CALL, 0x65, 2, "phone_call")                                                           \
    X(SMOKING, 0x65, 3, "smoking")                                                                 \
    X(DISTRACTION, 0x65, 4, "distraction")                                                         \
    X(DRIVER_ABSENT, 0x65, 5, "driver_absent")
enum {
#define FW_TERMINAL_ALARM_ENUM(name, item, type, text) FW_TALARM_##name,
    FW_TERMINAL_ALARM_LIST(FW_TERMINAL_ALARM_ENUM)
#undef FW_TERMINAL_ALARM_ENUM
        FW_TALARM__COUNT
};

typedef enum { FW_EVENT_OPENED, FW_EVENT_UPDATED, FW_EVENT_CLOSED } fw_event_phase;

typedef struct {
    int64_t time_utc;
    int32_t lat_e6, lon_e6;
    uint32_t value; /* in the event's unit */
} fw_evidence;

typedef struct {
    char id[64]; /* stable: "<phone>-<type>-<start UTC yyyymmddThhmmssZ>"
                    (terminal alarms: "<phone>-terminal_alarm-<name>-<id>") */
    fw_event_phase phase;
    fw_violation_type type;
    uint8_t subtype; /* FW_LIMIT_*, FW_OVERLOAD_*, FW_FATIGUE_*, FW_TALARM_*;
                        0 otherwise */
    fw_severity severity;
    const fw_vehicle_profile *vehicle; /* phone, plate, class */
    int64_t start_utc, end_utc;        /* first and last violating point */
    fw_evidence first, peak, last;
    uint32_t value, limit; /* peak measured value against the limit, in `unit` */
    uint32_t mean_value;   /* speeding: time-weighted mean speed; else = value */
    const char *unit;      /* "0.1km/h", "kg", "passengers", "m", "min", "level" */
    uint32_t ref_id;       /* zone or route id, 0 when none */
    const char *ref_kind;  /* "zone", "route" or NULL */
    uint32_t distance_m;   /* speeding: distance driven over the limit */
    bool late;             /* found from blind-area (late) data */
    bool corroborated;     /* fatigue: the terminal or the DSM reported fatigue too */
} fw_violation;

typedef struct {
    /* Every event; the pointer is valid only during the call. */
    void (*on_violation)(void *ctx, const fw_violation *v);
    /* Optional: ask the gateway to send the driver a 0x8300 text/TTS warning (UTF-8). */
    void (*on_warn_driver)(void *ctx, const fw_violation *v, const char *text_utf8);
    void *ctx;
} fw_rules_sink;

const char *fw_violation_name(fw_violation_type t);
const char *fw_severity_name(fw_severity s);
/* Subtype name for an event ("over_axle_limit", "night", "phone_call"); "" when none. */
const char *fw_violation_subtype_name(fw_violation_type t, uint8_t subtype);

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
