/* json_position.c - a track Position record (protobuf, as the store writes it) as JSON. */
#include "json_out.h"

cJSON *api_position_json(const Fleetwatch__Position *p)
{
    cJSON *o = cJSON_CreateObject();
    api_add_time(o, "time", p->gnss_time);
    api_add_time(o, "recv_time", p->recv_time_ms / 1000);
    cJSON_AddNumberToObject(o, "lat", p->lat_e6 / 1e6);
    cJSON_AddNumberToObject(o, "lon", p->lon_e6 / 1e6);
    cJSON_AddNumberToObject(o, "speed_kmh", p->speed_dkmh / 10.0);
    cJSON_AddNumberToObject(o, "course", p->course_deg);
    cJSON_AddNumberToObject(o, "altitude_m", p->altitude_m);
    cJSON_AddNumberToObject(o, "alarm", p->alarm);
    cJSON_AddNumberToObject(o, "status", p->status);
    cJSON_AddNumberToObject(o, "mileage_km", p->mileage_hm / 10.0);
    cJSON_AddNumberToObject(o, "tacho_speed_kmh", p->tacho_speed_dkmh / 10.0);
    cJSON_AddNumberToObject(o, "load_kg", p->load_kg);
    cJSON_AddNumberToObject(o, "passengers", p->passengers);
    cJSON_AddBoolToObject(o, "fixed", p->fixed);
    cJSON_AddBoolToObject(o, "late", p->late);
    return o;
}
