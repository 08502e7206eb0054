/* point.c - from a decoded location (jt_msg.h) to the rules' fw_point: the speed source, the
 * fix, the Jiangsu ADAS/DSM items, and the configured custom load and passenger items.
 */
#include <string.h>

#include "byte_io.h"
#include "fw/rules.h"

bool fw_location_item_value(const jt_location *loc, uint8_t item_id, uint32_t unit, uint32_t *out)
{
    jt_item item;
    if (!item_id || !jt_location_find_item(loc, item_id, &item) || item.err != JT_OK)
        return false;
    uint64_t raw;
    switch (item.len) {
    case 1:
        raw = item.data[0];
        break;
    case 2:
        raw = be16(item.data);
        break;
    case 4:
        raw = be32(item.data);
        break;
    default:
        return false;
    }
    raw *= unit;
    *out = raw > UINT32_MAX ? UINT32_MAX : (uint32_t)raw;
    return true;
}

static void safety_items(const jt_location *loc, fw_point *out)
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

void fw_point_from_location(const jt_location *loc, const fw_rules_config *cfg, bool late,
                            fw_point *out)
{
    memset(out, 0, sizeof(*out));
    out->time_utc = loc->time_err == JT_OK ? loc->time_utc : 0;
    out->lat_e6 = loc->lat_e6;
    out->lon_e6 = loc->lon_e6;
    out->gnss_speed_dkmh = loc->speed_dkmh;
    out->has_tacho = loc->has & JT_HAS_TACHO_SPEED;
    out->tacho_speed_dkmh = out->has_tacho ? loc->tacho_speed_dkmh : 0;
    out->speed_dkmh =
        cfg->speed_from_tacho && out->has_tacho ? out->tacho_speed_dkmh : out->gnss_speed_dkmh;
    out->course_deg = loc->course_deg;
    out->alarm = loc->alarm;
    out->status = loc->status;
    out->mileage_hm = loc->has & JT_HAS_MILEAGE ? loc->mileage_hm : 0;
    out->fixed = (loc->status & JT_STATUS_FIXED) && loc->time_err == JT_OK &&
                 !loc->coord_out_of_range && (loc->lat_e6 || loc->lon_e6);
    out->late = late;
    safety_items(loc, out);
    out->has_load =
        fw_location_item_value(loc, cfg->load_item_id, cfg->load_unit_kg, &out->load_kg);
    uint32_t passengers = 0;
    out->has_passengers = fw_location_item_value(loc, cfg->passenger_item_id, 1, &passengers);
    out->passengers = (uint16_t)(passengers > UINT16_MAX ? UINT16_MAX : passengers);
}
