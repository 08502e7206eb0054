/* json_vehicle.c - a vehicle's fw:veh:<phone> hash as JSON, driven by the field table of
 * schema.h (plain decimal text in Redis; "" means not reported).
 */
#include <stdlib.h>
#include <string.h>

#include "json_out.h"
#include "schema.h"

typedef struct {
    const char *redis_name;
    const char *json_name;
    api_vfield_kind kind;
} api_vfield;

static const api_vfield fields[] = {
#define API_VFIELD_ROW(redis, json, kind) {redis, json, kind},
    API_VEHICLE_FIELD_LIST(API_VFIELD_ROW)
#undef API_VFIELD_ROW
};
#define N_FIELDS (sizeof fields / sizeof fields[0])

size_t api_vehicle_field_count(void)
{
    return N_FIELDS;
}

const char *api_vehicle_field_name(size_t i)
{
    return fields[i].redis_name;
}

void api_vehicle_field_json(cJSON *o, size_t i, const char *value, size_t len)
{
    const api_vfield *f = &fields[i];
    char text[64];
    if (len > 0 && f->kind == API_VF_TEXT) {
        cJSON_AddStringToObject(o, f->json_name, value); /* hiredis NUL-terminates */
        return;
    }
    if (len == 0 || len >= sizeof text) {
        cJSON_AddNullToObject(o, f->json_name);
        return;
    }
    memcpy(text, value, len);
    text[len] = '\0';
    char *end = NULL;
    double num = strtod(text, &end);
    bool numeric = end != text && *end == '\0';
    if (!numeric)
        cJSON_AddNullToObject(o, f->json_name);
    else if (f->kind == API_VF_TIME)
        api_add_time(o, f->json_name, (int64_t)num);
    else if (f->kind == API_VF_BOOL)
        cJSON_AddBoolToObject(o, f->json_name, num != 0);
    else
        cJSON_AddNumberToObject(o, f->json_name, num);
}

static int field_index(const char *name, size_t len)
{
    for (size_t i = 0; i < N_FIELDS; i++)
        if (strlen(fields[i].redis_name) == len && memcmp(fields[i].redis_name, name, len) == 0)
            return (int)i;
    return -1;
}

cJSON *api_vehicle_json(const redisReply *hgetall)
{
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; i + 1 < hgetall->elements; i += 2) {
        const redisReply *k = hgetall->element[i], *v = hgetall->element[i + 1];
        if (k->type != REDIS_REPLY_STRING || v->type != REDIS_REPLY_STRING)
            continue;
        int f = field_index(k->str, k->len);
        if (f >= 0)
            api_vehicle_field_json(o, (size_t)f, v->str, v->len);
    }
    return o;
}
