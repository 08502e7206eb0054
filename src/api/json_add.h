/* json_add.h - adding members to cJSON objects cheaply on the answer paths: keys are string
 * literals (added without a copy), integers and fixed-point values are formatted with integer
 * arithmetic into raw number nodes (cJSON would print every number with printf and read it
 * back with sscanf), times are ISO-8601 +08:00 strings or null.
 */
#ifndef FW_API_JSON_ADD_H
#define FW_API_JSON_ADD_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/* key must be a string literal (or otherwise outlive o). */
void api_j_str(cJSON *o, const char *key, const char *s); /* NULL or "" -> null */
void api_j_null(cJSON *o, const char *key);
void api_j_bool(cJSON *o, const char *key, bool b);
void api_j_int(cJSON *o, const char *key, int64_t v);
/* v / 10^decimals, trailing zeros dropped: (32060300, 6) -> 32.0603. */
void api_j_fixed(cJSON *o, const char *key, int64_t v, unsigned decimals);
/* A double: integral values as integers, others as cJSON prints them. */
void api_j_num(cJSON *o, const char *key, double v);
/* ISO-8601 +08:00, or null when t is 0. */
void api_j_time(cJSON *o, const char *key, int64_t t);
/* Stored fixed-point units: 1e-6 degrees as degrees, tenths (0.1 km/h, 0.1 km) with one
 * decimal. */
void api_j_e6(cJSON *o, const char *key, int64_t v);
void api_j_tenths(cJSON *o, const char *key, int64_t v);
/* For member lists X(kind, key, value) in answer order: adds value to the object `o` with
 * api_j_<kind>. */
#define API_J_MEMBER(kind, key, value) api_j_##kind(o, key, value);
/* Add item under key (a literal); returns item. */
cJSON *api_j_item(cJSON *o, const char *key, cJSON *item);

/* The same values as array elements / standalone nodes. */
cJSON *api_j_fixed_node(int64_t v, unsigned decimals);
cJSON *api_j_time_node(int64_t t);

#endif
