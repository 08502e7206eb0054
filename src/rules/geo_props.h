/* geo_props.h - reading GeoJSON feature properties and coordinates (cJSON) for the geodata
 * loader, with a reason for every rejection. Each function returns NULL on success or a
 * static string saying what is wrong; the loader adds the feature index.
 */
#ifndef FW_RULES_GEO_PROPS_H
#define FW_RULES_GEO_PROPS_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

#include "geo_internal.h"

#define FW_PROP_MSG_MAX 160

/* properties.id: a positive integer up to 2^32-1. */
const char *fw_prop_id(const cJSON *props, uint32_t *id);
/* A number property in [min, max]; `required` or else *out = def when absent. */
const char *fw_prop_uint(const cJSON *props, const char *key, bool required, uint32_t def,
                         uint32_t max, uint32_t *out, char *msg);
/* A boolean property; *out = def when absent. */
const char *fw_prop_bool(const cJSON *props, const char *key, bool def, bool *out, char *msg);
/* properties.classes: array of class names -> bit mask (FW_CLASSES_ALL when absent). */
const char *fw_prop_classes(const cJSON *props, uint8_t *mask);
/* properties.time_windows: "HH:MM-HH:MM[,...]" China time -> zone windows. */
const char *fw_prop_windows(const cJSON *props, fw_zone *z);
/* A GeoJSON position [lon, lat] -> 1e-6 degrees. */
const char *fw_position(const cJSON *pos, int32_t *lat_e6, int32_t *lon_e6);
/* An optional per-segment array (n numbers up to max) -> out[i], 0 when absent. */
const char *fw_prop_segment_array(const cJSON *props, const char *key, uint32_t n, uint32_t max,
                                  uint16_t *out, char *msg);

#endif
