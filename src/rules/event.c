/* event.c - common fields of violation events: the vehicle, the stable id, the late mark, and
 * delivery to the sink. Used by the episode machine and by the terminal-alarm rule.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "episode.h"

void fw_event_format_id(fw_violation *v, const char *phone, const char *type_name,
                        int64_t start_utc)
{
    struct tm tm;
    time_t t = (time_t)start_utc;
    gmtime_r(&t, &tm);
    snprintf(v->id, sizeof(v->id), "%s-%s-%04d%02d%02dT%02d%02d%02dZ", phone, type_name,
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
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
