/* names.c - stable names of the rule engine's vocabularies (classes, road types, violation
 * types, severities, subtypes), all generated from the X-macro lists in the public headers.
 * These names appear in events, JSON config, GeoJSON properties and logs.
 */
#include <string.h>

#include "fw/rules/rules.h"

#define NAME_ENTRY(name, text, ...) text,
static const char *const class_names[] = {FW_VEHICLE_CLASS_LIST(NAME_ENTRY)};
static const char *const road_names[] = {FW_ROAD_LIST(NAME_ENTRY)};
static const char *const violation_names[] = {FW_VIOLATION_LIST(NAME_ENTRY)};
static const char *const severity_names[] = {FW_SEVERITY_LIST(NAME_ENTRY)};
static const char *const overload_names[] = {FW_OVERLOAD_KIND_LIST(NAME_ENTRY)};
#undef NAME_ENTRY
/* Classes that carry passengers: the 80% night limit and the seats overload apply. */
static const unsigned char class_passenger[FW_CLASS__COUNT] = {
    [FW_CLASS_TOUR_COACH] = 1, [FW_CLASS_LINE_COACH] = 1, [FW_CLASS_BUS] = 1};
#define TALARM_NAME(name, item, type, text) text,
static const char *const talarm_names[] = {FW_TERMINAL_ALARM_LIST(TALARM_NAME)};
#undef TALARM_NAME
static const char *const fatigue_names[] = {"day", "night"};
static const char *const limit_names[] = {"class_cap", "zone", "route"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *name_at(const char *const *names, size_t count, unsigned idx)
{
    return idx < count ? names[idx] : "";
}

static int index_of(const char *const *names, size_t count, const char *name)
{
    for (size_t i = 0; name && i < count; i++)
        if (strcmp(names[i], name) == 0)
            return (int)i;
    return -1;
}

const char *fw_class_name(fw_vehicle_class c)
{
    return name_at(class_names, COUNT(class_names), (unsigned)c);
}

const char *fw_road_name(fw_road_type r)
{
    return name_at(road_names, COUNT(road_names), (unsigned)r);
}

int fw_class_from_name(const char *name)
{
    return index_of(class_names, COUNT(class_names), name);
}

int fw_road_from_name(const char *name)
{
    return index_of(road_names, COUNT(road_names), name);
}

int fw_class_carries_passengers(fw_vehicle_class c)
{
    return (unsigned)c < COUNT(class_passenger) ? class_passenger[c] : 0;
}

const char *fw_violation_name(fw_violation_type t)
{
    return name_at(violation_names, COUNT(violation_names), (unsigned)t);
}

const char *fw_severity_name(fw_severity s)
{
    return name_at(severity_names, COUNT(severity_names), (unsigned)s);
}

const char *fw_violation_subtype_name(fw_violation_type t, uint8_t subtype)
{
    switch (t) {
    case FW_VIOLATION_SPEEDING:
        return name_at(limit_names, COUNT(limit_names), subtype);
    case FW_VIOLATION_OVERLOAD:
        return name_at(overload_names, COUNT(overload_names), subtype);
    case FW_VIOLATION_FATIGUE:
        return name_at(fatigue_names, COUNT(fatigue_names), subtype);
    case FW_VIOLATION_TERMINAL_ALARM:
        return name_at(talarm_names, COUNT(talarm_names), subtype);
    default:
        return "";
    }
}
