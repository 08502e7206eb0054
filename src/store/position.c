/* position.c - position (fw/base/position.h) -> store record (position.h): protobuf Position
 * plus the plain fields of fw:veh:<phone>, formatted without allocation straight into the record.
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

/* The fw:geo set takes positions with a fix (the one definition, position.h) inside the
 * latitudes Redis GEOADD accepts. */
static bool geo_ok(const fw_position *pos)
{
    return pos->fixed && pos->lat_e6 <= GEO_LAT_MAX_E6 && pos->lat_e6 >= -GEO_LAT_MAX_E6;
}

static void add_position_pb(fw_rec *r, const fw_location_rec *rec)
{
    const fw_position *pos = rec->pos;
    Fleetwatch__Position p = FLEETWATCH__POSITION__INIT;
    p.phone = (char *)rec->phone;
    p.gnss_time = pos->time_utc;
    p.recv_time_ms = rec->received_ms;
    p.lat_e6 = pos->lat_e6;
    p.lon_e6 = pos->lon_e6;
    p.speed_dkmh = pos->gnss_speed_dkmh;
    p.course_deg = pos->course_deg;
    p.altitude_m = pos->altitude_m;
    p.alarm = pos->alarm;
    p.status = pos->status;
    p.mileage_hm = pos->mileage_hm;
    p.tacho_speed_dkmh = pos->tacho_speed_dkmh;
    p.late = pos->late;
    p.fixed = pos->fixed;
    p.load_kg = pos->has_load ? pos->load_kg : 0;
    p.passengers = pos->has_passengers ? pos->passengers : 0;
    p.msg_id = rec->msg_id;
    p.serial = rec->serial;
    p.batch_index = rec->batch_index;
    p.future = pos->future;
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
static void add_dynamic_fields(fw_rec *r, const fw_location_rec *rec)
{
    const fw_position *pos = rec->pos;
    fw_rec_fixed(r, pos->lat_e6, 6);
    fw_rec_fixed(r, pos->lon_e6, 6);
    fw_rec_fixed(r, pos->gnss_speed_dkmh, 1);
    fw_rec_i64(r, pos->course_deg);
    fw_rec_i64(r, pos->altitude_m);
    fw_rec_i64(r, pos->time_utc);
    fw_rec_i64(r, rec->received_ms / 1000);
    fw_rec_i64(r, pos->alarm);
    fw_rec_i64(r, pos->status);
    if (pos->has_mileage)
        fw_rec_fixed(r, pos->mileage_hm, 1);
    else
        fw_rec_str(r, "");
    if (pos->has_load)
        fw_rec_i64(r, pos->load_kg);
    else
        fw_rec_str(r, "");
    if (pos->has_passengers)
        fw_rec_i64(r, pos->passengers);
    else
        fw_rec_str(r, "");
}

void fw_position_record(fw_rec *r, const fw_store_config *cfg, const fw_location_rec *rec)
{
    const fw_position *pos = rec->pos;
    int64_t id_ms = pos->has_time && !pos->future ? pos->time_utc * 1000 : rec->received_ms;
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
    fw_rec_str(r, pos->future ? FW_REC_PLACE_FUTURE : geo_ok(pos) ? "1" : "0");
    add_position_pb(r, rec);
    add_static_fields(r, rec->vehicle, refresh);
    add_dynamic_fields(r, rec);
}
