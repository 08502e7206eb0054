/* event.c - common fields of violation events: the vehicle, the stable id, the late mark, and
 * delivery to the sink. Used by the episode machine and by the terminal-alarm rule.
 */
#include <stdio.h>
#include <string.h>

#include "episode.h"
#include "fw/base/china_time.h"

void fw_event_format_id(fw_violation *v, const char *phone, const char *type_name,
                        int64_t start_utc)
{
    fw_civil_time utc;
    fw_civil_from_utc(start_utc, 0, &utc);
    snprintf(v->id, sizeof(v->id), "%s-%s-%04d%02u%02uT%02u%02u%02uZ", phone, type_name, utc.year,
             utc.month, utc.day, utc.hour, utc.minute, utc.second);
}

void fw_event_init(const fw_rule_run *run, fw_violation *v, fw_violation_type type,
                   int64_t start_utc)
{
    memset(v, 0, sizeof(*v));
    v->type = type;
    v->vehicle = run->veh;
    v->start_utc = start_utc;
    v->end_utc = start_utc;
    v->late = run->pt && run->pt->late;
    fw_event_format_id(v, run->veh->phone, fw_violation_name(type), start_utc);
}

void fw_event_emit(const fw_rule_run *run, const fw_violation *v)
{
    const fw_rules_sink *sink = &run->eng->sink;
    if (sink->on_violation)
        sink->on_violation(sink->ctx, v);
}
