/* geo_props.c - GeoJSON property and position readers for the geodata loader (geo_props.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fw/rules/rules_types.h"
#include "geo_props.h"

const char *fw_prop_uint(const cJSON *props, const char *key, bool required, uint32_t def,
                         uint32_t max, uint32_t *out, char *msg)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(props, key);
    if (!v || cJSON_IsNull(v)) {
        *out = def;
        if (!required)
            return NULL;
        snprintf(msg, FW_PROP_MSG_MAX, "properties.%s is required", key);
        return msg;
    }
    double d = cJSON_IsNumber(v) ? v->valuedouble : -1;
    if (!(d >= 0) || d > (double)max || d != floor(d)) {
        snprintf(msg, FW_PROP_MSG_MAX, "properties.%s must be an integer from 0 to %u", key,
                 (unsigned)max);
        return msg;
    }
    *out = (uint32_t)d;
    return NULL;
}

const char *fw_prop_id(const cJSON *props, uint32_t *id)
{
    char msg[FW_PROP_MSG_MAX];
    if (fw_prop_uint(props, "id", true, 0, UINT32_MAX, id, msg) || *id == 0)
        return "properties.id must be a positive integer";
    return NULL;
}

const char *fw_prop_bool(const cJSON *props, const char *key, bool def, bool *out, char *msg)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(props, key);
    *out = def;
    if (!v)
        return NULL;
    if (!cJSON_IsBool(v)) {
        snprintf(msg, FW_PROP_MSG_MAX, "properties.%s must be true or false", key);
        return msg;
    }
    *out = cJSON_IsTrue(v);
    return NULL;
}

const char *fw_prop_classes(const cJSON *props, uint8_t *mask)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(props, "classes");
    *mask = FW_CLASSES_ALL;
    if (!v)
        return NULL;
    if (!cJSON_IsArray(v))
        return "properties.classes must be an array of class names";
    *mask = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, v)
    {
        int cls = cJSON_IsString(c) ? fw_vehicle_class_from_name(c->valuestring) : -1;
        if (cls < 0)
            return "properties.classes holds an unknown class name";
        *mask |= (uint8_t)(1u << cls);
    }
    return NULL;
}

/* "HH:MM" at s; minutes or -1. 24:00 is allowed (end of day). */
static int parse_hhmm(const char *s)
{
    int h, m, n = 0;
    if (sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || n != 5)
        return -1;
    if (h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0))
        return -1;
    return h * 60 + m;
}

const char *fw_prop_windows(const cJSON *props, fw_zone *z)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(props, "time_windows");
    z->window_count = 0;
    if (!v)
        return NULL;
    if (!cJSON_IsString(v))
        return "properties.time_windows must be a string like \"07:00-09:00,17:00-19:00\"";
    const char *s = v->valuestring;
    for (;;) {
        int start = parse_hhmm(s), end = start >= 0 && s[5] == '-' ? parse_hhmm(s + 6) : -1;
        if (end < 0)
            return "properties.time_windows: expected HH:MM-HH:MM";
        if (z->window_count == FW_ZONE_MAX_WINDOWS)
            return "properties.time_windows: more than 4 windows";
        z->window_min[z->window_count][0] = (uint16_t)start;
        z->window_min[z->window_count][1] = (uint16_t)end;
        z->window_count++;
        s += 11;
        if (*s == '\0')
            return NULL;
        if (*s != ',')
            return "properties.time_windows: windows must be separated by commas";
        s++;
    }
}

const char *fw_position(const cJSON *pos, int32_t *lat_e6, int32_t *lon_e6)
{
    const cJSON *lon = cJSON_GetArrayItem(pos, 0), *lat = cJSON_GetArrayItem(pos, 1);
    if (!cJSON_IsArray(pos) || !cJSON_IsNumber(lon) || !cJSON_IsNumber(lat))
        return "a position must be [lon, lat] numbers";
    if (!(fabs(lat->valuedouble) <= 90) || !(fabs(lon->valuedouble) <= 180))
        return "a position is outside [-180, 180] x [-90, 90]";
    *lat_e6 = (int32_t)lround(lat->valuedouble * 1e6);
    *lon_e6 = (int32_t)lround(lon->valuedouble * 1e6);
    return NULL;
}

const char *fw_prop_segment_array(const cJSON *props, const char *key, uint32_t n, uint32_t max,
                                  uint16_t *out, char *msg)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(props, key);
    memset(out, 0, n * sizeof(*out));
    if (!v)
        return NULL;
    if (!cJSON_IsArray(v) || (uint32_t)cJSON_GetArraySize(v) != n) {
        snprintf(msg, FW_PROP_MSG_MAX, "properties.%s must hold one number per segment (%u)", key,
                 (unsigned)n);
        return msg;
    }
    uint32_t i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, v)
    {
        if (!cJSON_IsNumber(e) || !(e->valuedouble >= 0) || e->valuedouble > max) {
            snprintf(msg, FW_PROP_MSG_MAX, "properties.%s[%u] must be a number from 0 to %u", key,
                     (unsigned)i, (unsigned)max);
            return msg;
        }
        out[i++] = (uint16_t)e->valuedouble;
    }
    return NULL;
}
