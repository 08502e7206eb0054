/* point.c - from a decoded location (jt_msg.h) to the rules' fw_point: the speed source, the
 * fix, the Jiangsu ADAS/DSM items, and the configured custom load and passenger items.
 */
#include <string.h>

#include "fw/rules/rules.h"

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
    const fw_location_items *items = &cfg->items;
    out->has_load = jt_location_item_value(loc, items->load_id, items->load_unit_kg, &out->load_kg);
    uint32_t passengers = 0;
    out->has_passengers = jt_location_item_value(loc, items->passengers_id, 1, &passengers);
    out->passengers = (uint16_t)(passengers > UINT16_MAX ? UINT16_MAX : passengers);
}
