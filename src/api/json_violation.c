/* json_violation.c - a Violation record (protobuf, as the store writes it) as JSON. */
#include <stdlib.h>

#include "isotime.h"
#include "json_out.h"

cJSON *api_time_json(int64_t t)
{
    char text[API_TIME_TEXT_MAX];
    return t > 0 ? cJSON_CreateString(api_time_format(t, text)) : cJSON_CreateNull();
}

void api_add_time(cJSON *o, const char *name, int64_t t)
{
    cJSON_AddItemToObject(o, name, api_time_json(t));
}

static void add_text_or_null(cJSON *o, const char *name, const char *s)
{
    if (s && *s)
        cJSON_AddStringToObject(o, name, s);
    else
        cJSON_AddNullToObject(o, name);
}

/* Degrees from 1e-6 degrees; null when the place is unknown (open episode's end). */
static void add_deg(cJSON *o, const char *name, int32_t e6, bool known)
{
    if (known)
        cJSON_AddNumberToObject(o, name, e6 / 1e6);
    else
        cJSON_AddNullToObject(o, name);
}

static cJSON *evidence_json(const Fleetwatch__EvidencePoint *e)
{
    cJSON *o = cJSON_CreateObject();
    api_add_time(o, "time", e->gnss_time);
    add_deg(o, "lat", e->lat_e6, true);
    add_deg(o, "lon", e->lon_e6, true);
    cJSON_AddNumberToObject(o, "speed_kmh", e->speed_dkmh / 10.0);
    add_text_or_null(o, "role", e->role);
    return o;
}

static void add_full(cJSON *o, const Fleetwatch__Violation *v)
{
    cJSON_AddNumberToObject(o, "peak", v->peak);
    cJSON_AddNumberToObject(o, "mean", v->mean);
    cJSON_AddNumberToObject(o, "distance_m", v->distance_m);
    add_text_or_null(o, "detail", v->detail);
    cJSON *ev = cJSON_AddArrayToObject(o, "evidence");
    for (size_t i = 0; ev && i < v->n_evidence; i++)
        cJSON_AddItemToArray(ev, evidence_json(v->evidence[i]));
}

cJSON *api_violation_json(const Fleetwatch__Violation *v, bool full, int64_t now_s)
{
    cJSON *o = cJSON_CreateObject();
    bool closed = v->end_time > 0;
    add_text_or_null(o, "id", v->id);
    add_text_or_null(o, "type", v->type);
    add_text_or_null(o, "severity", v->severity);
    add_text_or_null(o, "state", v->state);
    add_text_or_null(o, "phone", v->phone);
    add_text_or_null(o, "plate", v->plate);
    cJSON_AddNumberToObject(o, "plate_color", v->plate_color);
    add_text_or_null(o, "vehicle_class", v->vehicle_class);
    api_add_time(o, "start", v->start_time);
    api_add_time(o, "end", v->end_time);
    int64_t until = closed ? v->end_time : now_s;
    cJSON_AddNumberToObject(o, "duration_s",
                            (double)(until > v->start_time ? until - v->start_time : 0));
    cJSON_AddNumberToObject(o, "value", v->value);
    cJSON_AddNumberToObject(o, "limit", v->limit);
    add_text_or_null(o, "unit", v->unit);
    add_deg(o, "start_lat", v->start_lat_e6, true);
    add_deg(o, "start_lon", v->start_lon_e6, true);
    add_deg(o, "end_lat", v->end_lat_e6, closed);
    add_deg(o, "end_lon", v->end_lon_e6, closed);
    add_text_or_null(o, "zone_id", v->zone_id);
    add_text_or_null(o, "route_id", v->route_id);
    cJSON_AddBoolToObject(o, "late", v->late);
    if (full)
        add_full(o, v);
    return o;
}

cJSON *api_violation_json_pb(const char *pb, size_t len, bool full, int64_t now_s)
{
    Fleetwatch__Violation *v = fleetwatch__violation__unpack(NULL, len, (const uint8_t *)pb);
    if (v == NULL)
        return NULL;
    cJSON *o = api_violation_json(v, full, now_s);
    fleetwatch__violation__free_unpacked(v, NULL);
    return o;
}
