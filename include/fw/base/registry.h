/* registry.h - the vehicle registry: which terminals may connect and what vehicle each is.
 *
 * Loaded from a JSON file (format in docs/operations.md, "Vehicle registry"):
 *   {"vehicles": [{"phone": "13800000001", "plate": "京A12345", "plate_color": 1,
 *                  "class": "tour_coach", "seats": 45, "rated_load_kg": 0,
 *                  "max_gross_kg": 18000, "axles": 2, "articulated": false,
 *                  "long_distance": true, "night_ban_exempt": false, "route_id": 7}]}
 * Only "phone" and "plate" are required; the rest default to 0/false/"truck". The device:
 * "terminal_id" (the id its 0x0100 sends; without it the vehicle cannot register unless
 * "accept_any_terminal": true, the weaker binding), and where known "manufacturer_id" and
 * "terminal_model" (checked when present). Registration rules: src/server/identity.h.
 *
 * A loaded registry is immutable: lookups (by phone, by plate) are lock-free and may run on
 * any number of threads at once. Reloading builds a new registry and swaps the pointer; the old
 * one stays valid until every holder has dropped it (reference count, see fw_registry_ref()).
 * The gateway keeps one reference per worker and swaps it between callbacks (RCU style).
 */
#ifndef FW_REGISTRY_H
#define FW_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FW_PHONE_MAX          20 /* digits */
#define FW_PLATE_MAX          31 /* UTF-8 bytes */
#define FW_TERMINAL_ID_MAX    30 /* bytes, the 2019 width */
#define FW_MANUFACTURER_MAX   11 /* bytes, the 2019 width */
#define FW_TERMINAL_MODEL_MAX 30 /* bytes, the 2019 width */

/* X(enum suffix, name in the file) */
#define FW_VEHICLE_CLASS_LIST(X)                                                                   \
    X(TOUR_COACH, "tour_coach")                                                                    \
    X(LINE_COACH, "line_coach")                                                                    \
    X(BUS, "bus")                                                                                  \
    X(DANGEROUS_GOODS, "dangerous_goods")                                                          \
    X(TRUCK, "truck")

typedef enum {
#define FW_CLASS_ENUM(name, str) FW_CLASS_##name,
    FW_VEHICLE_CLASS_LIST(FW_CLASS_ENUM)
#undef FW_CLASS_ENUM
        FW_CLASS__COUNT
} fw_vehicle_class;

typedef struct {
    char phone[FW_PHONE_MAX + 1]; /* terminal phone (id), digits without leading zeros */
    char plate[FW_PLATE_MAX + 1]; /* UTF-8, e.g. "京A12345" */
    uint8_t plate_color;          /* JT/T 808 plate colour code (1 blue, 2 yellow ...) */
    fw_vehicle_class vclass;
    uint16_t seats;         /* approved passenger seats */
    uint32_t rated_load_kg; /* rated load (trucks) */
    uint32_t max_gross_kg;  /* maximum gross mass */
    uint8_t axles;
    bool articulated;
    bool long_distance;                       /* long-distance coach: subject to the night ban */
    bool night_ban_exempt;                    /* exempt from the night ban */
    uint32_t route_id;                        /* assigned route, 0 = none */
    char terminal_id[FW_TERMINAL_ID_MAX + 1]; /* device bound to it (0x0100 terminal id) */
    char manufacturer_id[FW_MANUFACTURER_MAX + 1];  /* its maker's id, "" = not recorded */
    char terminal_model[FW_TERMINAL_MODEL_MAX + 1]; /* its model, "" = not recorded */
    bool accept_any_terminal; /* weaker binding: plate and colour only, any terminal id */
} fw_vehicle;

typedef struct fw_registry fw_registry;

/* Load a registry file. Returns NULL on error and writes a one-line reason (file, vehicle
 * index, field) into err (errcap bytes). Duplicate phones or plates are errors. The result
 * holds one reference. */
fw_registry *fw_registry_load(const char *path, char *err, size_t errcap);
/* Same, from JSON text (for tests and the Redis source). */
fw_registry *fw_registry_parse(const char *json, size_t len, char *err, size_t errcap);

/* Add n references (thread-safe, atomic). */
void fw_registry_ref(fw_registry *r, unsigned n);
/* Drop one reference; the last one frees the registry. NULL is ignored. */
void fw_registry_unref(fw_registry *r);

/* Lookups; NULL when absent. phone: digits with or without leading zeros. The vehicle lives as
 * long as the caller's reference. */
const fw_vehicle *fw_registry_by_phone(const fw_registry *r, const char *phone);
const fw_vehicle *fw_registry_by_plate(const fw_registry *r, const char *plate);

size_t fw_registry_count(const fw_registry *r);
const fw_vehicle *fw_registry_at(const fw_registry *r, size_t i);

/* The one table of class names (FW_VEHICLE_CLASS_LIST), used by the registry file, the rules'
 * config and geodata, the store and the API: "tour_coach" ...; "" out of range. */
const char *fw_vehicle_class_name(fw_vehicle_class c);
/* Class by name; -1 when unknown (or NULL). */
int fw_vehicle_class_from_name(const char *name);

#endif
