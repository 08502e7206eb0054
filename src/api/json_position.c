/* json_position.c - a track Position record (protobuf, as the store writes it) as JSON. */
#include "json_add.h"
#include "json_out.h"

/* X(kind, key, value): the answer's members in order (json_add.h's api_j_<kind>). */
#define POSITION_MEMBERS(X)                                                                        \
    X(time, "time", p->gnss_time)                                                                  \
    X(time, "recv_time", p->recv_time_ms / 1000)                                                   \
    X(e6, "lat", p->lat_e6)                                                                        \
    X(e6, "lon", p->lon_e6)                                                                        \
    X(tenths, "speed_kmh", p->speed_dkmh)                                                          \
    X(int, "course", p->course_deg)                                                                \
    X(int, "altitude_m", p->altitude_m)                                                            \
    X(int, "alarm", p->alarm)                                                                      \
    X(int, "status", p->status)                                                                    \
    X(tenths, "mileage_km", p->mileage_hm)                                                         \
    X(tenths, "tacho_speed_kmh", p->tacho_speed_dkmh)                                              \
    X(int, "load_kg", p->load_kg)                                                                  \
    X(int, "passengers", p->passengers)                                                            \
    X(bool, "fixed", p->fixed)                                                                     \
    X(bool, "late", p->late)                                                                       \
    X(bool, "future", p->future)

cJSON *api_position_json(const Fleetwatch__Position *p)
{
    cJSON *o = cJSON_CreateObject();
    POSITION_MEMBERS(API_J_MEMBER)
    return o;
}
