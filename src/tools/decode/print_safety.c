/* print_safety.c - Jiangsu active-safety alarms (T/JSATL12-2017), additional items 0x64 ADAS,
 * 0x65 DSM, 0x66 TPMS and 0x67 BSD: the shared record (alarm id, start/end flag, speed,
 * position, time, vehicle status, alarm identification) plus each kind's own fields, with type
 * names. */
#include "printers.h"

#include "fw/codec/byte_io.h"

#define TPMS_TYRE_LEN 9 /* position 1, alarm bits 2, pressure 2, temperature 2, battery 2 */

static const char *const flag_names[] = {"none", "start", "end"};

static const char *const adas_types[] = {
    [1] = "forward_collision",
    [2] = "lane_departure",
    [3] = "headway_too_close",
    [4] = "pedestrian_collision",
    [5] = "frequent_lane_change",
    [6] = "road_sign_exceeded",
    [7] = "obstacle",
    [16] = "road_sign_recognised",
    [17] = "active_capture",
};
static const char *const dsm_types[] = {
    [1] = "fatigue",         [2] = "phone_call",    [3] = "smoking",        [4] = "distraction",
    [5] = "driver_abnormal", [16] = "auto_capture", [17] = "driver_change",
};
static const char *const bsd_types[] = {
    [1] = "rear_approach", [2] = "left_rear_approach", [3] = "right_rear_approach"};
static const char *const deviation_names[] = {[1] = "left", [2] = "right"};
static const char *const sign_type_names[] = {
    [1] = "speed_limit", [2] = "height_limit", [3] = "weight_limit"};

/* TPMS per-tyre alarm bits. */
static const pr_bit_name tyre_alarm_names[] = {
    {1u << 0, "periodic_report"}, {1u << 1, "pressure_high"}, {1u << 2, "pressure_low"},
    {1u << 3, "temp_high"},       {1u << 4, "sensor_fault"},  {1u << 5, "pressure_imbalance"},
    {1u << 6, "slow_leak"},       {1u << 7, "battery_low"},
};

static void print_adas(jw_writer *w, const jt_safety_alarm *a)
{
    pr_enum(w, "type", a->type, adas_types, PR_COUNT(adas_types));
    jw_kv_uint(w, "level", a->level);
    jw_kv_uint(w, "front_speed_kmh", a->front_speed_kmh);
    jw_kv_fixed(w, "front_distance_m", a->front_distance_dm, 1);
    pr_enum(w, "deviation_type", a->deviation_type, deviation_names, PR_COUNT(deviation_names));
    pr_enum(w, "sign_type", a->sign_type, sign_type_names, PR_COUNT(sign_type_names));
    jw_kv_uint(w, "sign_value", a->sign_value);
}

static void print_dsm(jw_writer *w, const jt_safety_alarm *a)
{
    pr_enum(w, "type", a->type, dsm_types, PR_COUNT(dsm_types));
    jw_kv_uint(w, "level", a->level);
    jw_kv_uint(w, "fatigue_level", a->fatigue_level);
}

static void print_bsd(jw_writer *w, const jt_safety_alarm *a)
{
    pr_enum(w, "type", a->type, bsd_types, PR_COUNT(bsd_types));
}

static void print_tyres(jw_writer *w, const jt_safety_alarm *a)
{
    jw_key(w, "tyres");
    jw_begin_array(w);
    for (unsigned i = 0; i < a->tyre_count; i++) {
        const uint8_t *t = a->tyres + i * TPMS_TYRE_LEN;
        uint16_t alarm_bits = be16(t + 1);
        jw_begin_object(w);
        jw_kv_uint(w, "position", t[0]);
        jw_kv_uint(w, "alarm", alarm_bits);
        pr_bit_names(w, "alarms", alarm_bits, tyre_alarm_names, PR_COUNT(tyre_alarm_names));
        jw_kv_uint(w, "pressure_kpa", be16(t + 3));
        jw_kv_int(w, "temp_c", (int16_t)be16(t + 5));
        jw_kv_uint(w, "battery_pct", be16(t + 7));
        jw_end_object(w);
    }
    jw_end_array(w);
}

/* The 16-byte alarm identification: terminal id 7, time BCD[6], sequence 1, attachment
 * count 1, reserved 1. */
static void print_ident(jw_writer *w, const uint8_t *ident)
{
    jw_kv_hex(w, "ident_hex", ident, JT_SAFETY_IDENT_LEN);
    jw_key(w, "ident");
    jw_begin_object(w);
    pr_text(w, "terminal_id", ident, 7);
    pr_bcd_time(w, "time", ident + 7, "+08:00");
    jw_kv_uint(w, "seq", ident[13]);
    jw_kv_uint(w, "attachments", ident[14]);
    jw_end_object(w);
}

/* Fields of each kind beyond the shared record. */
static const struct {
    uint8_t item_id;
    void (*print)(jw_writer *w, const jt_safety_alarm *a);
} kind_fields[] = {
    {JT_ITEM_ADAS, print_adas},
    {JT_ITEM_DSM, print_dsm},
    {JT_ITEM_TPMS, print_tyres},
    {JT_ITEM_BSD, print_bsd},
};

void pr_safety_alarm(jw_writer *w, const jt_safety_alarm *a)
{
    jw_kv_uint(w, "alarm_id", a->alarm_id);
    pr_enum(w, "flag", a->flag, flag_names, PR_COUNT(flag_names));
    for (size_t i = 0; i < PR_COUNT(kind_fields); i++)
        if (kind_fields[i].item_id == a->item_id)
            kind_fields[i].print(w, a);
    jw_kv_uint(w, "speed_kmh", a->speed_kmh);
    jw_kv_uint(w, "altitude_m", a->altitude_m);
    pr_position(w, a->lat_raw, a->lon_raw, false, false);
    pr_bcd_time(w, "time", a->time_bcd, "+08:00");
    jw_kv_uint(w, "vehicle_status", a->vehicle_status);
    print_ident(w, a->ident);
}
