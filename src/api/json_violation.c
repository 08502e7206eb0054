/* json_violation.c - a Violation record (protobuf, as the store writes it) as JSON. The rules
 * store measures in their own units (docs/redis-schema.md: speeds in 0.1 km/h); the API
 * presents them in the units police users read (km/h), here at the boundary. */
#include <math.h>
#include <string.h>

#include "json_add.h"
#include "json_out.h"

/* A stored unit the API presents differently: a stored integer is the presented value with
 * `decimals` implied decimal places. Units not listed (kg, passengers, m, min, level) are
 * presented as stored. */
typedef struct {
    const char *stored;
    const char *presented;
    unsigned decimals;
} api_unit;

static const api_unit converted_units[] = {
    {"0.1km/h", "km/h", 1},
};

static const api_unit *converted_unit(const char *stored)
{
    for (size_t i = 0; i < sizeof converted_units / sizeof converted_units[0]; i++)
        if (stored && strcmp(stored, converted_units[i].stored) == 0)
            return &converted_units[i];
    return NULL;
}

/* A measured value or limit in the violation's unit (u: NULL = as stored). */
static void add_measure(cJSON *o, const char *key, double stored, const api_unit *u)
{
    if (u)
        api_j_fixed(o, key, (int64_t)llround(stored), u->decimals);
    else
        api_j_num(o, key, stored);
}

/* X(kind, key, value): an evidence point's members in order (json_add.h's api_j_<kind>). */
#define EVIDENCE_MEMBERS(X)                                                                        \
    X(time, "time", e->gnss_time)                                                                  \
    X(e6, "lat", e->lat_e6)                                                                        \
    X(e6, "lon", e->lon_e6)                                                                        \
    X(tenths, "speed_kmh", e->speed_dkmh)                                                          \
    X(str, "role", e->role)

/* The violation's first members, copied as stored. */
#define VIOLATION_HEAD_MEMBERS(X)                                                                  \
    X(str, "id", v->id)                                                                            \
    X(str, "type", v->type)                                                                        \
    X(str, "severity", v->severity)                                                                \
    X(str, "state", v->state)                                                                      \
    X(str, "phone", v->phone)                                                                      \
    X(str, "plate", v->plate)                                                                      \
    X(int, "plate_color", v->plate_color)                                                          \
    X(str, "vehicle_class", v->vehicle_class)                                                      \
    X(time, "start", v->start_time)                                                                \
    X(time, "end", v->end_time)

static cJSON *evidence_json(const Fleetwatch__EvidencePoint *e)
{
    cJSON *o = cJSON_CreateObject();
    EVIDENCE_MEMBERS(API_J_MEMBER)
    return o;
}

static void add_full(cJSON *o, const Fleetwatch__Violation *v, const api_unit *u)
{
    add_measure(o, "peak", v->peak, u);
    add_measure(o, "mean", v->mean, u);
    api_j_num(o, "distance_m", v->distance_m);
    api_j_str(o, "detail", v->detail);
    cJSON *ev = api_j_item(o, "evidence", cJSON_CreateArray());
    for (size_t i = 0; i < v->n_evidence; i++)
        cJSON_AddItemToArray(ev, evidence_json(v->evidence[i]));
}

/* The end place is known once the episode closed. */
static void add_end_place(cJSON *o, const Fleetwatch__Violation *v, bool closed)
{
    if (closed) {
        api_j_e6(o, "end_lat", v->end_lat_e6);
        api_j_e6(o, "end_lon", v->end_lon_e6);
    } else {
        api_j_null(o, "end_lat");
        api_j_null(o, "end_lon");
    }
}

cJSON *api_violation_json(const Fleetwatch__Violation *v, bool full, int64_t now_s)
{
    cJSON *o = cJSON_CreateObject();
    bool closed = v->end_time > 0;
    int64_t until = closed ? v->end_time : now_s;
    VIOLATION_HEAD_MEMBERS(API_J_MEMBER)
    api_j_int(o, "duration_s", until > v->start_time ? until - v->start_time : 0);
    const api_unit *u = converted_unit(v->unit);
    add_measure(o, "value", v->value, u);
    add_measure(o, "limit", v->limit, u);
    api_j_str(o, "unit", u ? u->presented : v->unit);
    api_j_e6(o, "start_lat", v->start_lat_e6);
    api_j_e6(o, "start_lon", v->start_lon_e6);
    add_end_place(o, v, closed);
    api_j_str(o, "zone_id", v->zone_id);
    api_j_str(o, "route_id", v->route_id);
    api_j_bool(o, "late", v->late);
    if (full)
        add_full(o, v, u);
    return o;
}
