/* json_out.h - the JSON shapes of answers: violations and track positions from their
 * protobuf records, vehicles from their fw:veh:<phone> hash. Times become ISO-8601 +08:00,
 * 1e-6 degrees become degrees, 0.1 km/h become km/h; absent values become null.
 */
#ifndef FW_API_JSON_OUT_H
#define FW_API_JSON_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <hiredis/hiredis.h>

#include "fleetwatch.pb-c.h"

/* A violation; full adds peak, mean, distance_m, detail and the evidence points. An open
 * violation's duration_s runs to now_s. NULL when out of memory. */
cJSON *api_violation_json(const Fleetwatch__Violation *v, bool full, int64_t now_s);

/* A track position. */
cJSON *api_position_json(const Fleetwatch__Position *p);

/* Number of fw:veh:<phone> fields (redis_schema.h) and the Redis name of field i. */
size_t api_vehicle_field_count(void);
const char *api_vehicle_field_name(size_t i);
/* Add field i with its Redis value (NUL-terminated, len bytes; "" = absent) to o under its JSON
 * name. */
void api_vehicle_field_json(cJSON *o, size_t i, const char *value, size_t len);
/* A vehicle from an HGETALL reply (field, value, ...); fields the API does not know are
 * left out. */
cJSON *api_vehicle_json(const redisReply *hgetall);

#endif
