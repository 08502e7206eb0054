/* rules_types.h - small vocabularies shared by the rule engine and the geodata: vehicle
 * classes (from the registry) and road types (from road zones in the geodata).
 */
#ifndef FW_RULES_TYPES_H
#define FW_RULES_TYPES_H

/* X(enum suffix, name, carries passengers) */
#define FW_CLASS_LIST(X)                                                                           \
    X(TOUR_COACH, "tour_coach", 1)                                                                 \
    X(LINE_COACH, "line_coach", 1)                                                                 \
    X(BUS, "bus", 1)                                                                               \
    X(DANGEROUS_GOODS, "dangerous_goods", 0)                                                       \
    X(TRUCK, "truck", 0)

typedef enum {
#define FW_CLASS_ENUM(name, text, passenger) FW_CLASS_##name,
    FW_CLASS_LIST(FW_CLASS_ENUM)
#undef FW_CLASS_ENUM
        FW_CLASS__COUNT
} fw_vehicle_class;

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

/* Name of a class / road type; "" when out of range. */
const char *fw_class_name(fw_vehicle_class c);
const char *fw_road_name(fw_road_type r);
/* Class / road type by name; -1 when unknown. */
int fw_class_from_name(const char *name);
int fw_road_from_name(const char *name);
/* True for classes that carry passengers (the 80% night rule, seats overload). */
int fw_class_carries_passengers(fw_vehicle_class c);

#endif
