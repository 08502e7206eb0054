/* json_position.c - a track Position record (protobuf, as the store writes it) as JSON. */
#include "json_add.h"
#include "json_out.h"

cJSON *api_position_json(const Fleetwatch__Position *p)
{
    cJSON *o = cJSON_CreateObject();
    api_j_time(o, "time", p->gnss_time);
    api_j_time(o, "recv_time", p->recv_time_ms / 1000);
    api_j_fixed(o, "lat", p->lat_e6, 6);
    api_j_fixed(o, "lon", p->lon_e6, 6);
    api_j_fixed(o, "speed_kmh", p->speed_dkmh, 1);
    api_j_int(o, "course", p->course_deg);
    api_j_int(o, "altitude_m", p->altitude_m);
    api_j_int(o, "alarm", p->alarm);
    api_j_int(o, "status", p->status);
    api_j_fixed(o, "mileage_km", p->mileage_hm, 1);
    api_j_fixed(o, "tacho_speed_kmh", p->tacho_speed_dkmh, 1);
    api_j_int(o, "load_kg", p->load_kg);
    api_j_int(o, "passengers", p->passengers);
    api_j_bool(o, "fixed", p->fixed);
    api_j_bool(o, "late", p->late);
    return o;
}
