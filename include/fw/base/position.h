/* position.h - one position: a decoded location (jt_msg.h) interpreted once, at the gateway edge.
 *
 * The gateway fills one fw_position per location it accepts (0x0200, 0x0201, each entry of a
 * 0x0704) with fw_position_from_location() and hands it in the sink record (sink.h); the rules,
 * the store and the API read it and never interpret the raw location again. It is a plain value
 * (72 bytes): the gateway keeps it on its worker's stack, nothing is allocated.
 *
 * The one definition of a fix (fw_position.fixed), used by the rules (evidence), the store (the
 * fw:geo set, Position.fixed) and the API (the stored flag): the terminal's status bit 1
 * (JT_STATUS_FIXED) is set, the GNSS time is valid, the coordinates are in range (|lat| <= 90,
 * |lon| <= 180) and not (0, 0). A position without a fix keeps its raw values.
 *
 * Which custom items carry the load and the passengers, and which speed the rules use, is one
 * setting of the service (fw_position_config): `fleetwatch` takes the items from its options
 * load_item_id, load_item_unit_kg and passenger_item_id and the speed source from the rules'
 * input.speed_from_tacho, and gives it to the gateway (fw_server_config.position).
 *
 * The alarm and status words stay raw (JT_ALARM_* and JT_STATUS_* masks of jt_msg.h test them);
 * fw_flag_name() and fw_flag_bit() map their bits to names and back, from the codec's
 * JT_ALARM_LIST and JT_STATUS_LIST.
 */
#ifndef FW_POSITION_H
#define FW_POSITION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fw/codec/jt_msg.h"

/* Where a fleet's terminals put what no standard item carries: the load (value x load_unit_kg)
 * and the passengers on board, each in a custom additional item chosen by the terminal vendor. */
typedef struct {
    uint8_t load_id;       /* item carrying the load, 0 = none */
    uint8_t passengers_id; /* item carrying the passengers on board, 0 = none */
    uint32_t load_unit_kg; /* kg per count of the load item, >= 1 */
} fw_location_items;

#define FW_LOCATION_ITEMS_NONE ((fw_location_items){.load_unit_kg = 1})

/* How locations are interpreted; one copy for the whole service. */
typedef struct {
    fw_location_items items;
    bool speed_from_tacho; /* speed_dkmh is the tachograph's (item 0x03) when it is present */
} fw_position_config;

#define FW_POSITION_CONFIG_DEFAULT ((fw_position_config){.items = FW_LOCATION_ITEMS_NONE})

typedef struct {
    int64_t time_utc;          /* GNSS time, UTC epoch seconds; 0 when not valid (has_time false) */
    int32_t lat_e6, lon_e6;    /* signed 1e-6 degrees, as reported (also without a fix) */
    uint16_t speed_dkmh;       /* 0.1 km/h: the speed the rules use (GNSS, or the tachograph's when
                                  configured and present) */
    uint16_t gnss_speed_dkmh;  /* 0.1 km/h, the location's speed field */
    uint16_t tacho_speed_dkmh; /* 0.1 km/h, item 0x03; 0 when absent (has_tacho false) */
    uint16_t course_deg;       /* 0-359 */
    uint16_t altitude_m;
    uint32_t alarm;      /* JT_ALARM_* bits, raw */
    uint32_t status;     /* JT_STATUS_* bits, raw */
    uint32_t mileage_hm; /* odometer, item 0x01, 0.1 km; 0 when absent (has_mileage false) */
    uint32_t load_kg;    /* from the configured load item; valid when has_load */
    uint16_t passengers; /* from the configured passenger item (saturated); valid when
                            has_passengers */
    uint8_t adas_type, adas_level, adas_flag; /* Jiangsu item 0x64; type 0 when absent */
    uint8_t dsm_type, dsm_level, dsm_flag;    /* Jiangsu item 0x65; type 0 when absent */
    uint32_t adas_alarm_id, dsm_alarm_id;
    bool fixed; /* the one definition of a fix (top of this file) */
    bool has_time, has_tacho, has_mileage, has_load, has_passengers;
    bool late;   /* blind-area data (0x0704 type 1): what the rules find in it is marked late */
    bool future; /* GNSS time beyond the gateway's future tolerance: stored flagged, moves no
                    live state, rules or late lanes (docs/operations.md, "Position times") */
} fw_position;

/* Interpret a decoded location into *out (every field set; late and future false: the gateway
 * marks them). Reads loc's items (they point into the frame) only during the call. */
void fw_position_from_location(const jt_location *loc, const fw_position_config *cfg,
                               fw_position *out);

/* True when the position's GNSS time is more than tolerance_s after received_ms (UTC epoch ms);
 * false without a valid time. */
bool fw_position_in_future(const fw_position *p, int64_t received_ms, uint32_t tolerance_s);

/* ---- named flags ---------------------------------------------------------------------------- */

typedef enum { FW_FLAGS_ALARM, FW_FLAGS_STATUS } fw_flag_word;

/* Name of bit `bit` (0-31) of the alarm or status word ("emergency", "acc_on"), as the codec's
 * JT_ALARM_LIST / JT_STATUS_LIST give it; NULL for a bit without a name (status bits 8-9, the
 * load state, and 22-31). */
const char *fw_flag_name(fw_flag_word word, unsigned bit);

/* The bit (0-31) that fw_flag_name() calls `name`; -1 when no bit of the word has that name. */
int fw_flag_bit(fw_flag_word word, const char *name);

#endif
