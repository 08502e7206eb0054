/* names.c - stable names of the rule engine's own vocabulary, road types (generated from
 * FW_ROAD_LIST), and which vehicle classes carry passengers. These names appear in JSON config,
 * GeoJSON properties and logs. Class names are the registry's (registry.h), violation names
 * the base layer's (violation.h).
 */
#include <string.h>

#include "fw/rules/rules.h"

#define ROAD_NAME(name, text) text,
static const char *const road_names[] = {FW_ROAD_LIST(ROAD_NAME)};
#undef ROAD_NAME
/* Classes that carry passengers: the 80% night limit and the seats overload apply. */
static const unsigned char class_passenger[FW_CLASS__COUNT] = {
    [FW_CLASS_TOUR_COACH] = 1, [FW_CLASS_LINE_COACH] = 1, [FW_CLASS_BUS] = 1};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *fw_road_name(fw_road_type r)
{
    return (unsigned)r < COUNT(road_names) ? road_names[r] : "";
}

int fw_road_from_name(const char *name)
{
    for (size_t i = 0; name && i < COUNT(road_names); i++)
        if (strcmp(road_names[i], name) == 0)
            return (int)i;
    return -1;
}

int fw_class_carries_passengers(fw_vehicle_class c)
{
    return (unsigned)c < COUNT(class_passenger) ? class_passenger[c] : 0;
}
