/* config.c - the rule engine's defaults and their JSON overrides (rules_config.h). Scalars
 * come from FW_RULES_CONFIG_LIST through one descriptor table (key, type, offset), so adding
 * a parameter is one line in the header; the class speed caps are a nested object.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "fw/rules/rules_config.h"

enum { T_BOOL, T_U8, T_U16, T_U32, T_I32 };

typedef struct {
    const char *key;
    int type;
    size_t offset;
} cfg_field;

static const cfg_field fields[] = {
#define FW_CFG_DESC(type, field, key, def) {key, T_##type, offsetof(fw_rules_config, field)},
    FW_RULES_CONFIG_LIST(FW_CFG_DESC)
#undef FW_CFG_DESC
};

typedef struct {
    const char *key;
    size_t offset;
} text_field;

static const text_field texts[] = {
#define FW_CFG_TEXT_DESC(field, key, def) {key, offsetof(fw_rules_config, field)},
    FW_RULES_TEXT_LIST(FW_CFG_TEXT_DESC)
#undef FW_CFG_TEXT_DESC
};

/* Keys that left the JSON for the fleetwatch options that say how positions are made
 * (fw_position_config, position.h): refused with the option's name rather than ignored, so an old
 * config cannot silently lose its load and passenger items. */
static const struct {
    const char *key, *option;
} moved_keys[] = {
    {"input.load_item_id", "load_item_id"},
    {"input.load_unit_kg", "load_item_unit_kg"},
    {"input.passenger_item_id", "passenger_item_id"},
};

/* Speed caps by class and road type (km/h, 0 = none); docs/rules.md gives the sources. */
static const uint16_t default_caps_kmh[FW_CLASS__COUNT][FW_ROAD__COUNT] = {
    /*                       unknown expressway highway urban */
    [FW_CLASS_TOUR_COACH] = {0, 100, 0, 0}, [FW_CLASS_LINE_COACH] = {0, 100, 0, 0},
    [FW_CLASS_BUS] = {0, 100, 0, 0},        [FW_CLASS_DANGEROUS_GOODS] = {80, 80, 60, 60},
    [FW_CLASS_TRUCK] = {0, 100, 0, 0},
};

void fw_rules_config_default(fw_rules_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
#define FW_CFG_DEFAULT(type, field, key, def) cfg->field = (def);
    FW_RULES_CONFIG_LIST(FW_CFG_DEFAULT)
#undef FW_CFG_DEFAULT
#define FW_CFG_TEXT_DEFAULT(field, key, def) snprintf(cfg->field, sizeof(cfg->field), "%s", def);
    FW_RULES_TEXT_LIST(FW_CFG_TEXT_DEFAULT)
#undef FW_CFG_TEXT_DEFAULT
    memcpy(cfg->class_cap_kmh, default_caps_kmh, sizeof(default_caps_kmh));
}

fw_geo_config fw_rules_geo_config(const fw_rules_config *cfg)
{
    return (fw_geo_config){.cell_e6 = cfg->geo_cell_e6, .width_is_full = cfg->geo_width_is_full};
}

/* The item at a dotted path ("speeding.min_duration_s"), NULL when absent. */
static const cJSON *at_path(const cJSON *obj, const char *path)
{
    char part[64];
    while (obj && *path) {
        size_t n = strcspn(path, ".");
        if (n >= sizeof(part))
            return NULL;
        memcpy(part, path, n);
        part[n] = '\0';
        obj = cJSON_GetObjectItemCaseSensitive(obj, part);
        path += n + (path[n] == '.');
    }
    return obj;
}

static int number_in(const cJSON *v, double min, double max, double *out)
{
    if (!cJSON_IsNumber(v) || v->valuedouble < min || v->valuedouble > max ||
        v->valuedouble != floor(v->valuedouble))
        return -1;
    *out = v->valuedouble;
    return 0;
}

static int set_field(fw_rules_config *cfg, const cfg_field *f, const cJSON *v)
{
    char *at = (char *)cfg + f->offset;
    double d;
    switch (f->type) {
    case T_BOOL:
        if (!cJSON_IsBool(v))
            return -1;
        *(bool *)at = cJSON_IsTrue(v);
        return 0;
    case T_U8:
        return number_in(v, 0, UINT8_MAX, &d) ? -1 : (*(uint8_t *)at = (uint8_t)d, 0);
    case T_U16:
        return number_in(v, 0, UINT16_MAX, &d) ? -1 : (*(uint16_t *)at = (uint16_t)d, 0);
    case T_U32:
        return number_in(v, 0, UINT32_MAX, &d) ? -1 : (*(uint32_t *)at = (uint32_t)d, 0);
    default:
        return number_in(v, INT32_MIN, INT32_MAX, &d) ? -1 : (*(int32_t *)at = (int32_t)d, 0);
    }
}

static int load_caps(fw_rules_config *cfg, const cJSON *root, char *err, size_t cap)
{
    const cJSON *caps = at_path(root, "speeding.class_caps_kmh");
    for (int c = 0; caps && c < FW_CLASS__COUNT; c++) {
        const cJSON *roads = cJSON_GetObjectItemCaseSensitive(caps, fw_vehicle_class_name(c));
        for (int r = 0; roads && r < FW_ROAD__COUNT; r++) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(roads, fw_road_name(r));
            double d;
            if (!v)
                continue;
            if (number_in(v, 0, 6000, &d)) {
                snprintf(err, cap, "speeding.class_caps_kmh.%s.%s: expected 0..6000 km/h",
                         fw_vehicle_class_name(c), fw_road_name(r));
                return -1;
            }
            cfg->class_cap_kmh[c][r] = (uint16_t)d;
        }
    }
    return 0;
}

static int load_texts(fw_rules_config *cfg, const cJSON *root, char *err, size_t cap)
{
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        const cJSON *v = at_path(root, texts[i].key);
        if (!v)
            continue;
        if (!cJSON_IsString(v) || strlen(v->valuestring) >= FW_RULES_TEXT_MAX) {
            snprintf(err, cap, "%s: expected a string under %d bytes", texts[i].key,
                     FW_RULES_TEXT_MAX);
            return -1;
        }
        memcpy((char *)cfg + texts[i].offset, v->valuestring, strlen(v->valuestring) + 1);
    }
    return 0;
}

int fw_rules_config_from_json(fw_rules_config *cfg, const char *json, char *err, size_t cap)
{
    cJSON *root = cJSON_Parse(json);
    int rc = 0;
    if (!cJSON_IsObject(root)) {
        snprintf(err, cap, "the rules config is not a JSON object");
        cJSON_Delete(root);
        return -1;
    }
    for (size_t i = 0; rc == 0 && i < sizeof(moved_keys) / sizeof(moved_keys[0]); i++) {
        if (at_path(root, moved_keys[i].key)) {
            snprintf(err, cap, "%s: now the fleetwatch option %s (shared with the store)",
                     moved_keys[i].key, moved_keys[i].option);
            rc = -1;
        }
    }
    for (size_t i = 0; rc == 0 && i < sizeof(fields) / sizeof(fields[0]); i++) {
        const cJSON *v = at_path(root, fields[i].key);
        if (v && set_field(cfg, &fields[i], v)) {
            snprintf(err, cap, "%s: wrong type or out of range", fields[i].key);
            rc = -1;
        }
    }
    if (rc == 0)
        rc = load_caps(cfg, root, err, cap);
    if (rc == 0)
        rc = load_texts(cfg, root, err, cap);
    cJSON_Delete(root);
    return rc;
}
