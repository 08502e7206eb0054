/* json_vehicle.c - a vehicle's fw:veh:<phone> hash as JSON, driven by the field table of
 * redis_schema.h (FW_VEH_FIELD_LIST: plain decimal text in Redis; "" means not reported).
 */
#include <stdlib.h>
#include <string.h>

#include "json_add.h"
#include "json_out.h"
#include "fw/base/redis_schema.h"

typedef struct {
    const char *redis_name;
    const char *json_name;
    fw_veh_format kind;
} api_vfield;

static const api_vfield fields[] = {
#define API_VFIELD_ROW(redis, format, by, arg, json) {redis, json, FW_VEH_##format},
    FW_VEH_FIELD_LIST(API_VFIELD_ROW)
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

/* "-12.5", "0", "62.500": JSON's number grammar without exponent, as the store writes. */
static bool plain_decimal(const char *s)
{
    s += *s == '-';
    size_t whole = strspn(s, "0123456789");
    if (whole == 0 || (s[0] == '0' && whole > 1))
        return false;
    s += whole;
    if (*s == '.') {
        size_t frac = strspn(s + 1, "0123456789");
        if (frac == 0)
            return false;
        s += 1 + frac;
    }
    return *s == '\0';
}

void api_vehicle_field_json(cJSON *o, size_t i, const char *value, size_t len)
{
    const api_vfield *f = &fields[i];
    if (len == 0) {
        api_j_null(o, f->json_name);
    } else if (f->kind == FW_VEH_TEXT) {
        api_j_str(o, f->json_name, value); /* hiredis NUL-terminates */
    } else if (!plain_decimal(value)) {
        api_j_null(o, f->json_name);
    } else if (f->kind == FW_VEH_TIME) {
        api_j_time(o, f->json_name, strtoll(value, NULL, 10));
    } else if (f->kind == FW_VEH_BOOL) {
        api_j_bool(o, f->json_name, strcmp(value, "0") != 0);
    } else {
        api_j_item(o, f->json_name, cJSON_CreateRaw(value));
    }
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
