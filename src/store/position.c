/* position.c - location -> store record (position.h): protobuf Position plus the plain
 * fields of fw:veh:<phone>, formatted without allocation straight into the record.
 */
#include "position.h"

#include <string.h>

#include "fleetwatch.pb-c.h"
#include "store_script.h"

/* Highest latitude Redis GEOADD accepts (EPSG:3857 limit), in 1e-6 degrees. */
#define GEO_LAT_MAX_E6 85051128

static bool phone_ok(const char *phone)
{
    size_t n = strlen(phone);
    if (n == 0 || n > FW_PHONE_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (phone[i] < '0' || phone[i] > '9')
            return false;
    return true;
}

static bool gnss_time_ok(const jt_location *loc)
{
    return loc->time_err == JT_OK && loc->time_utc > 0;
}

static bool geo_ok(const jt_location *loc)
{
    return (loc->status & JT_STATUS_FIXED) && !loc->coord_out_of_range &&
           loc->lat_e6 <= GEO_LAT_MAX_E6 && loc->lat_e6 >= -GEO_LAT_MAX_E6;
}

static void add_position_pb(fw_rec *r, const fw_location_rec *rec, uint32_t load_kg,
                            uint32_t passengers)
{
    const jt_location *loc = rec->loc;
    Fleetwatch__Position p = FLEETWATCH__POSITION__INIT;
    p.phone = (char *)rec->phone;
    p.gnss_time = gnss_time_ok(loc) ? loc->time_utc : 0;
    p.recv_time_ms = rec->received_ms;
    p.lat_e6 = loc->lat_e6;
    p.lon_e6 = loc->lon_e6;
    p.speed_dkmh = loc->speed_dkmh;
    p.course_deg = loc->course_deg;
    p.altitude_m = loc->altitude_m;
    p.alarm = loc->alarm;
    p.status = loc->status;
    p.mileage_hm = (loc->has & JT_HAS_MILEAGE) ? loc->mileage_hm : 0;
    p.tacho_speed_dkmh = (loc->has & JT_HAS_TACHO_SPEED) ? loc->tacho_speed_dkmh : 0;
    p.late = rec->blind_area;
    p.fixed = (loc->status & JT_STATUS_FIXED) != 0;
    p.load_kg = load_kg;
    p.passengers = passengers;
    p.msg_id = rec->msg_id;
    p.serial = rec->serial;
    p.batch_index = rec->batch_index;
    p.future = rec->future;
    size_t n = fleetwatch__position__get_packed_size(&p);
    uint8_t *dst = fw_rec_reserve(r, n);
    if (dst)
        fleetwatch__position__pack(&p, dst);
}

/* The static fw:veh:<phone> values (FW_VEH_FIELD_LIST), empty unless refreshing. */
static void add_static_fields(fw_rec *r, const fw_vehicle *v, bool refresh)
{
    fw_rec_str(r, refresh && v ? v->plate : "");
    fw_rec_str(r, refresh && v ? fw_vehicle_class_name(v->vclass) : "");
}

/* The dynamic fw:veh:<phone> values, in FW_VEH_FIELD_LIST order. */
static void add_dynamic_fields(fw_rec *r, const fw_location_rec *rec, bool has_load,
                               uint32_t load_kg, bool has_passengers, uint32_t passengers)
{
    const jt_location *loc = rec->loc;
    fw_rec_fixed(r, loc->lat_e6, 6);
    fw_rec_fixed(r, loc->lon_e6, 6);
    fw_rec_fixed(r, loc->speed_dkmh, 1);
    fw_rec_i64(r, loc->course_deg);
    fw_rec_i64(r, loc->altitude_m);
    fw_rec_i64(r, gnss_time_ok(loc) ? loc->time_utc : 0);
    fw_rec_i64(r, rec->received_ms / 1000);
    fw_rec_i64(r, loc->alarm);
    fw_rec_i64(r, loc->status);
    if (loc->has & JT_HAS_MILEAGE)
        fw_rec_fixed(r, loc->mileage_hm, 1);
    else
        fw_rec_str(r, "");
    if (has_load)
        fw_rec_i64(r, load_kg);
    else
        fw_rec_str(r, "");
    if (has_passengers)
        fw_rec_i64(r, passengers);
    else
        fw_rec_str(r, "");
}

void fw_position_record(fw_rec *r, const fw_store_config *cfg, const fw_location_rec *rec)
{
    const jt_location *loc = rec->loc;
    const fw_location_items *items = &cfg->items;
    uint32_t load_kg = 0, passengers = 0;
    bool has_load = jt_location_item_value(loc, items->load_id, items->load_unit_kg, &load_kg);
    bool has_passengers = jt_location_item_value(loc, items->passengers_id, 1, &passengers);
    int64_t id_ms = gnss_time_ok(loc) && !rec->future ? loc->time_utc * 1000 : rec->received_ms;
    bool refresh = rec->session_first || rec->serial % FW_POSITION_REFRESH_SERIALS == 0;

    fw_rec_begin(r, FW_REC_KIND_CHAR(P));
    if (!phone_ok(rec->phone)) {
        r->overflow = true;
        return;
    }
    fw_rec_str(r, rec->phone);
    fw_rec_i64(r, id_ms);
    if (refresh)
        fw_rec_i64(r, rec->received_ms - (int64_t)cfg->track_retention_days * FW_DAY_MS);
    else
        fw_rec_str(r, "");
    fw_rec_str(r, rec->future ? FW_REC_PLACE_FUTURE : geo_ok(loc) ? "1" : "0");
    add_position_pb(r, rec, load_kg, passengers);
    add_static_fields(r, rec->vehicle, refresh);
    add_dynamic_fields(r, rec, has_load, load_kg, has_passengers, passengers);
}
