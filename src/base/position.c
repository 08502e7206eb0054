/* position.c - a decoded location interpreted once (position.h): time, the one fix definition,
 * speeds, odometer, the Jiangsu ADAS/DSM items, the configured load and passenger items, and
 * the names of the alarm and status bits (from the codec's X-macro lists).
 */
#include "fw/base/position.h"

#include <string.h>

/* Bit names indexed by bit number; the codec's lists are the source. */
#define FLAG_NAME(bit, name, text) [bit] = text,
static const char *const alarm_names[32] = {JT_ALARM_LIST(FLAG_NAME)};
static const char *const status_names[32] = {JT_STATUS_LIST(FLAG_NAME)};
#undef FLAG_NAME

static void safety_items(const jt_location *loc, fw_position *out)
{
    if (loc->has & JT_HAS_ADAS) {
        out->adas_type = loc->adas.type;
        out->adas_level = loc->adas.level;
        out->adas_flag = loc->adas.flag;
        out->adas_alarm_id = loc->adas.alarm_id;
    }
    if (loc->has & JT_HAS_DSM) {
        out->dsm_type = loc->dsm.type;
        out->dsm_level = loc->dsm.level;
        out->dsm_flag = loc->dsm.flag;
        out->dsm_alarm_id = loc->dsm.alarm_id;
    }
}

static void custom_items(const jt_location *loc, const fw_location_items *items, fw_position *out)
{
    out->has_load = jt_location_item_value(loc, items->load_id, items->load_unit_kg, &out->load_kg);
    uint32_t passengers = 0;
    out->has_passengers = jt_location_item_value(loc, items->passengers_id, 1, &passengers);
    out->passengers = (uint16_t)(passengers > UINT16_MAX ? UINT16_MAX : passengers);
}

void fw_position_from_location(const jt_location *loc, const fw_position_config *cfg,
                               fw_position *out)
{
    memset(out, 0, sizeof(*out));
    out->has_time = loc->time_err == JT_OK && loc->time_utc > 0;
    out->time_utc = out->has_time ? loc->time_utc : 0;
    out->lat_e6 = loc->lat_e6;
    out->lon_e6 = loc->lon_e6;
    out->fixed = (loc->status & JT_STATUS_FIXED) && out->has_time && !loc->coord_out_of_range &&
                 (loc->lat_e6 || loc->lon_e6);
    out->gnss_speed_dkmh = loc->speed_dkmh;
    out->has_tacho = loc->has & JT_HAS_TACHO_SPEED;
    out->tacho_speed_dkmh = out->has_tacho ? loc->tacho_speed_dkmh : 0;
    out->speed_dkmh =
        cfg->speed_from_tacho && out->has_tacho ? out->tacho_speed_dkmh : out->gnss_speed_dkmh;
    out->course_deg = loc->course_deg;
    out->altitude_m = loc->altitude_m;
    out->alarm = loc->alarm;
    out->status = loc->status;
    out->has_mileage = loc->has & JT_HAS_MILEAGE;
    out->mileage_hm = out->has_mileage ? loc->mileage_hm : 0;
    safety_items(loc, out);
    custom_items(loc, &cfg->items, out);
}

bool fw_position_in_future(const fw_position *p, int64_t received_ms, uint32_t tolerance_s)
{
    return p->has_time && p->time_utc - received_ms / 1000 > (int64_t)tolerance_s;
}

const char *fw_flag_name(fw_flag_word word, unsigned bit)
{
    if (bit >= 32)
        return NULL;
    return word == FW_FLAGS_ALARM ? alarm_names[bit] : status_names[bit];
}

int fw_flag_bit(fw_flag_word word, const char *name)
{
    for (unsigned bit = 0; bit < 32; bit++) {
        const char *known = fw_flag_name(word, bit);
        if (known && strcmp(known, name) == 0)
            return (int)bit;
    }
    return -1;
}
