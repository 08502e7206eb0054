/* rule_terminal_alarm.c - alarms the terminal raises itself become events: the emergency
 * button (alarm bit 0: opened when set, closed when cleared) and the Jiangsu-standard ADAS
 * (0x64) and DSM (0x65) alarms listed in FW_TERMINAL_ALARM_LIST (opened on a start or
 * single report, closed on an end report), with their type and level. A report repeated in
 * later points (same alarm id and flag) is reported once.
 */
#include <stdio.h>

#include "episode.h"

typedef struct {
    uint8_t item_id, type;
    const char *name;
} alarm_kind;

static const alarm_kind kinds[] = {
#define FW_KIND_ENTRY(name, item, type, text) {item, type, text},
    FW_TERMINAL_ALARM_LIST(FW_KIND_ENTRY)
#undef FW_KIND_ENTRY
};

static int kind_of(uint8_t item_id, uint8_t type)
{
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (kinds[i].item_id == item_id && kinds[i].type == type)
            return (int)i;
    return -1;
}

static void emit(const fw_rule_run *run, int kind, fw_event_phase phase, int64_t start_utc,
                 uint32_t key, fw_severity severity, uint8_t level)
{
    fw_violation v;
    fw_event_init(run, &v, FW_VIOLATION_TERMINAL_ALARM, start_utc);
    snprintf(v.id, sizeof(v.id), "%s-terminal_alarm-%s-%u", run->veh->phone, kinds[kind].name,
             (unsigned)key);
    v.phase = phase;
    v.subtype = (uint8_t)kind;
    v.severity = severity;
    if (run->pt) {
        v.end_utc = run->pt->time_utc;
        v.first = (fw_evidence){run->pt->time_utc, run->pt->lat_e6, run->pt->lon_e6, level};
    }
    v.peak = v.last = v.first;
    v.value = v.mean_value = level;
    v.unit = "level";
    fw_event_emit(run, &v);
}

static void emergency(fw_rule_run *run)
{
    fw_vehicle_state *st = run->st;
    bool on = run->pt->alarm & JT_ALARM_EMERGENCY;
    uint32_t t = (uint32_t)run->pt->time_utc;
    if (on && !st->emergency_start_t) {
        st->emergency_start_t = t;
        emit(run, FW_TALARM_EMERGENCY, FW_EVENT_OPENED, t, t, FW_SEVERITY_SEVERE, 0);
    } else if (!on && st->emergency_start_t) {
        emit(run, FW_TALARM_EMERGENCY, FW_EVENT_CLOSED, st->emergency_start_t,
             st->emergency_start_t, FW_SEVERITY_SEVERE, 0);
        st->emergency_start_t = 0;
    }
}

/* One Jiangsu safety report; *last_key remembers the last one reported. */
static void safety(fw_rule_run *run, uint8_t item_id, uint8_t type, uint8_t level, uint8_t flag,
                   uint32_t alarm_id, uint32_t *last_key)
{
    int kind = type ? kind_of(item_id, type) : -1;
    /* start and end of one alarm differ; +1 keeps 0 for "nothing reported yet", which alarm
     * id 0 with flag 0 (terminals number their alarms from 0) would otherwise equal */
    uint32_t key = alarm_id * 4u + flag + 1u;
    if (kind < 0 || key == *last_key)
        return;
    *last_key = key;
    fw_severity sev = level >= 2 ? FW_SEVERITY_SERIOUS : FW_SEVERITY_MINOR;
    emit(run, kind, flag == 2 ? FW_EVENT_CLOSED : FW_EVENT_OPENED, run->pt->time_utc, alarm_id, sev,
         level);
}

static void on_point(fw_rule_run *run)
{
    const fw_position *pt = run->pt;
    emergency(run);
    safety(run, JT_ITEM_ADAS, pt->adas_type, pt->adas_level, pt->adas_flag, pt->adas_alarm_id,
           &run->st->last_adas_id);
    safety(run, JT_ITEM_DSM, pt->dsm_type, pt->dsm_level, pt->dsm_flag, pt->dsm_alarm_id,
           &run->st->last_dsm_id);
}

static void on_flush(fw_rule_run *run)
{
    fw_vehicle_state *st = run->st;
    if (!st->emergency_start_t)
        return;
    emit(run, FW_TALARM_EMERGENCY, FW_EVENT_CLOSED, st->emergency_start_t, st->emergency_start_t,
         FW_SEVERITY_SEVERE, 0);
    st->emergency_start_t = 0;
}

const fw_rule fw_rule_terminal_alarm = {"terminal_alarm", on_point, on_flush};
