/* violation.h - the violation event: what the rule engine reports and the store writes.
 *
 * The rules (include/fw/rules/rules.h) produce fw_violation events (opened, updated, closed);
 * the store writes them to Redis (include/fw/store/store_violation.h); the API reads their
 * names back from Redis. The type, severity, subtype and phase names are public (they appear
 * in Redis, JSON answers, logs and docs/redis-schema.md), so they are written once here, as
 * X-macro lists, and every part takes them from these lists and functions.
 */
#ifndef FW_BASE_VIOLATION_H
#define FW_BASE_VIOLATION_H

#include <stdbool.h>
#include <stdint.h>

#include "fw/base/registry.h"

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

/* X(enum suffix, name): the `state` of an event in Redis. */
#define FW_EVENT_PHASE_LIST(X)                                                                     \
    X(OPENED, "opened")                                                                            \
    X(UPDATED, "updated")                                                                          \
    X(CLOSED, "closed")

typedef enum {
#define FW_EVENT_PHASE_ENUM(name, text) FW_EVENT_##name,
    FW_EVENT_PHASE_LIST(FW_EVENT_PHASE_ENUM)
#undef FW_EVENT_PHASE_ENUM
} fw_event_phase;

/* The vehicle an event is about: its identity (phone, plate, class) and the registry facts the
 * rules judge it by. The rules fill it from a registry entry (fw_profile_from_registry). */
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

/* Names (static strings, never NULL); "" when the value is out of range. */
const char *fw_violation_name(fw_violation_type t);
const char *fw_severity_name(fw_severity s);
const char *fw_event_phase_name(fw_event_phase p);
/* Subtype name for an event ("over_axle_limit", "night", "phone_call"); "" when none. */
const char *fw_violation_subtype_name(fw_violation_type t, uint8_t subtype);

#endif
