/* sim_fleet.h - the simulated fleet: vehicles with their identity, protocol, path and scripted
 * events, loaded from a scenario or registry JSON file (format in docs/sim.md).
 *
 * A registry file ({"vehicles": [{"phone", "plate", ...}]}) is a scenario whose vehicles have no
 * path: they drive the fleet's default path (a loop through Lianyungang), each terminal
 * starting at its own place on it. Without any file the fleet has no vehicles and terminals
 * are numbered from a base phone number. Everything is allocated once at load time and only
 * read afterwards (also by forked child processes).
 */
#ifndef FW_SIM_FLEET_H
#define FW_SIM_FLEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fw/codec/jt_frame.h"
#include "fw/codec/jt_msg.h"

#include "sim_path.h"

/* X(enum suffix, JSON "type") - what a scripted event does:
 *   OFF_ROUTE   [at_s, until_s): position moved offset_m to the right of the course
 *   ENTER_ZONE  [at_s, until_s): at lon/lat, moving at speed_kmh (default 0)
 *   LOAD        from at_s (until until_s): load item = kg
 *   PASSENGERS  from at_s (until until_s): passenger item = count; a 0x1005 reports the change
 *   ALARM       [at_s, until_s): alarm bit (name as in jt_msg.h's JT_ALARM_LIST, or number)
 *   ADAS, DSM   once, in the first report at or after at_s: Jiangsu item 0x64 / 0x65
 *   GNSS_LOSS   [at_s, until_s): no fix: last fixed position, fixed status bit clear
 *   BLIND_AREA  [at_s, until_s): nothing sent; then the missed reports as 0x0704 type 1 */
#define SIM_EVENT_LIST(X)                                                                          \
    X(OFF_ROUTE, "off_route")                                                                      \
    X(ENTER_ZONE, "enter_zone")                                                                    \
    X(LOAD, "load")                                                                                \
    X(PASSENGERS, "passengers")                                                                    \
    X(ALARM, "alarm")                                                                              \
    X(ADAS, "adas")                                                                                \
    X(DSM, "dsm")                                                                                  \
    X(GNSS_LOSS, "gnss_loss")                                                                      \
    X(BLIND_AREA, "blind_area")

typedef enum {
#define SIM_EVENT_ENUM(name, json) SIM_EV_##name,
    SIM_EVENT_LIST(SIM_EVENT_ENUM)
#undef SIM_EVENT_ENUM
        SIM_EV__COUNT
} sim_event_kind;

typedef struct {
    sim_event_kind kind;
    double at_s, until_s; /* vehicle time; until_s is INFINITY when open-ended */
    double value;         /* offset_m, kg, passengers, alarm bit number, zone speed_kmh */
    sim_point point;      /* ENTER_ZONE */
    uint8_t type, level;  /* ADAS / DSM alarm type and level */
    uint8_t fatigue;      /* DSM fatigue level 1..10 */
} sim_event;

typedef struct {
    char phone[JT_PHONE_MAX_DIGITS + 1];
    char plate[32];  /* UTF-8 */
    char vclass[32]; /* informational: tour_coach, line_coach, bus, dg_truck, truck */
    uint8_t plate_color;
    jt_version version;   /* header layout */
    jt_reg_layout layout; /* 0x0100 layout */
    double start_s;       /* scenario time at which it sets off */
    sim_path path;        /* count 0: the fleet's default path */
    sim_event *events;
    size_t event_count;
} sim_vehicle;

typedef struct {
    sim_vehicle *vehicles; /* NULL without a file */
    size_t count;
    bool has_paths;            /* a scenario: vehicles drive their own paths, the run ends */
    int64_t start_utc;         /* scenario start, epoch seconds (written in China time); 0: now */
    double compression;        /* scenario seconds per wall second */
    double report_s;           /* scenario seconds between reports; < 0: use the command line */
    double end_s;              /* scenario time when every vehicle has finished */
    uint8_t load_item_id;      /* custom item carrying the load, DWORD */
    double load_unit_kg;       /* its unit */
    uint8_t passenger_item_id; /* custom item carrying passengers on board, WORD */
    sim_path default_path;     /* driven by vehicles without a path */
} sim_fleet;

/* Default protocol for vehicles that do not name one (from the command line). */
typedef struct {
    jt_version version;
    jt_reg_layout layout;
} sim_protocol;

/* Parse "2013", "2019" or "2011" (2011 registration layout with 2013 headers). */
int sim_protocol_parse(const char *text, sim_protocol *out);

/* Initialise a fleet without vehicles (base-phone mode) with the default path. */
void sim_fleet_init(sim_fleet *f);
/* Load a scenario or registry file; on error returns -1 with a message in err. */
int sim_fleet_load(sim_fleet *f, const char *path, const sim_protocol *dflt, char *err,
                   size_t err_cap);
/* Same from JSON text (for tests). */
int sim_fleet_parse(sim_fleet *f, const char *json, const sim_protocol *dflt, char *err,
                    size_t err_cap);
void sim_fleet_free(sim_fleet *f);

/* Phone and plate of terminal `index`: its vehicle's from the file, or numbered up from
 * phone_base (keeping its width) with a generated plate (苏GA0000, 苏GA0001, ...). */
void sim_fleet_phone(const sim_fleet *f, const char *phone_base, uint32_t index,
                     char out[JT_PHONE_MAX_DIGITS + 1]);
void sim_fleet_plate(const sim_fleet *f, uint32_t index, char out[32]);
/* The terminal id a terminal with this phone sends in its 0x0100: the last 7 digits of the
 * phone (the whole phone when shorter). fleetwatch's registry binds each vehicle to it. */
void sim_fleet_terminal_id(const char *phone, char out[8]);
/* Write a fleetwatch registry ({"vehicles": [...]}, one vehicle a line) for terminals
 * [0, count): phone, plate, plate_color, terminal_id (as the terminals send it) and class
 * (default "truck"). Returns 0 or -1. */
int sim_fleet_write_registry(const sim_fleet *f, const char *phone_base, uint32_t count, FILE *to);

/* "2026-11-28T01:50:00" (China time, optional "+08:00") -> epoch seconds; -1 when malformed. */
int sim_china_time_parse(const char *text, int64_t *utc);

#endif
