/* violation.c - the stable names of violation events (violation.h): types, severities, phases
 * and subtypes, all generated from the X-macro lists of the header.
 */
#include "fw/base/violation.h"

#include <stddef.h>

#define NAME_ENTRY(name, text) text,
static const char *const violation_names[] = {FW_VIOLATION_LIST(NAME_ENTRY)};
static const char *const severity_names[] = {FW_SEVERITY_LIST(NAME_ENTRY)};
static const char *const phase_names[] = {FW_EVENT_PHASE_LIST(NAME_ENTRY)};
static const char *const overload_names[] = {FW_OVERLOAD_KIND_LIST(NAME_ENTRY)};
#undef NAME_ENTRY
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

const char *fw_violation_name(fw_violation_type t)
{
    return name_at(violation_names, COUNT(violation_names), (unsigned)t);
}

const char *fw_severity_name(fw_severity s)
{
    return name_at(severity_names, COUNT(severity_names), (unsigned)s);
}

const char *fw_event_phase_name(fw_event_phase p)
{
    return name_at(phase_names, COUNT(phase_names), (unsigned)p);
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
