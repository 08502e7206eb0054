/* rules_types.h - small vocabularies shared by the rule engine and the geodata: vehicle
 * classes (the registry's, with the rules' helpers) and road types (from road zones in the
 * geodata).
 */
#ifndef FW_RULES_TYPES_H
#define FW_RULES_TYPES_H

/* Vehicle classes: fw_vehicle_class, FW_CLASS_* and their names (fw_vehicle_class_name,
 * fw_vehicle_class_from_name) come from the registry (registry.h, FW_VEHICLE_CLASS_LIST). */
#include "fw/base/registry.h"

/* X(enum suffix, name); UNKNOWN when no road zone covers the point. */
#define FW_ROAD_LIST(X)                                                                            \
    X(UNKNOWN, "unknown")                                                                          \
    X(EXPRESSWAY, "expressway")                                                                    \
    X(HIGHWAY, "highway")                                                                          \
    X(URBAN, "urban")

typedef enum {
#define FW_ROAD_ENUM(name, text) FW_ROAD_##name,
    FW_ROAD_LIST(FW_ROAD_ENUM)
#undef FW_ROAD_ENUM
        FW_ROAD__COUNT
} fw_road_type;

/* Name of a road type; "" when out of range. */
const char *fw_road_name(fw_road_type r);
/* Road type by name; -1 when unknown. */
int fw_road_from_name(const char *name);
/* True for classes that carry passengers (the 80% night rule, seats overload). */
int fw_class_carries_passengers(fw_vehicle_class c);

#endif
