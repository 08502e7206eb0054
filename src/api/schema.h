/* schema.h - every Redis key and field name the API reads or writes, in one place.
 *
 * The names are those the store writes (docs/redis-schema.md, src/store/script.c); when the
 * schema changes, this file is the only one to change. All violation indexes are sorted sets
 * of violation ids scored by the start time in epoch seconds (UTC); track stream ids are
 * "<time ms>-<seq>" and late points sit in a sorted set scored by the same milliseconds.
 */
#ifndef FW_API_SCHEMA_H
#define FW_API_SCHEMA_H

#include <stddef.h>

#include "fw/base/authority.h"

#define API_KEY_VEHICLE           "fw:veh:"             /* + phone: hash, latest state */
#define API_KEY_GEO               "fw:geo"              /* GEO set, member = phone */
#define API_KEY_TRACK             "fw:track:"           /* + phone: stream, field pb = Position */
#define API_KEY_TRACK_LATE_SUFFIX ":late"               /* fw:track:<phone>:late: zset ms -> pb */
#define API_KEY_PLATE             "fw:plate:"           /* + plate: string, the vehicle's phone */
#define API_KEY_VIOLATION         "fw:vio:"             /* + id: hash, field pb = Violation */
#define API_KEY_VIO_BY_TIME       "fw:vio:by_time"      /* zset of every violation */
#define API_KEY_VIO_BY_VEHICLE    "fw:vio:by_vehicle:"  /* + phone */
#define API_KEY_VIO_BY_PLATE      "fw:vio:by_plate:"    /* + plate */
#define API_KEY_VIO_BY_TYPE       "fw:vio:by_type:"     /* + type name */
#define API_KEY_VIO_BY_SEVERITY   "fw:vio:by_severity:" /* + severity name */

#define API_KEY_AUTH           FW_AUTH_KEY_PREFIX /* + phone: hash, the auth code grant (authority.h) */
#define API_FIELD_AUTH_DIGEST  "digest"           /* fw:auth:<phone>: SHA-256 of the code, hex */
#define API_FIELD_AUTH_REVOKED "revoked_ms"       /* fw:auth:<phone>: when it was revoked */

#define API_KEY_AUDIT "fw:audit" /* stream: the access audit (audit.c), written by the API */

#define API_FIELD_PB "pb" /* protobuf payload in fw:vio:<id> and track entries */

/* Kinds of fw:veh:<phone> values, all stored as decimal text ("" = not reported). */
typedef enum { API_VF_TEXT, API_VF_NUMBER, API_VF_TIME, API_VF_BOOL } api_vfield_kind;

/* fw:veh:<phone> fields as they appear in answers. X(redis field, JSON name, kind) */
#define API_VEHICLE_FIELD_LIST(X)                                                                  \
    X("plate", "plate", API_VF_TEXT)                                                               \
    X("class", "vehicle_class", API_VF_TEXT)                                                       \
    X("lat", "lat", API_VF_NUMBER)                                                                 \
    X("lon", "lon", API_VF_NUMBER)                                                                 \
    X("speed_kmh", "speed_kmh", API_VF_NUMBER)                                                     \
    X("course", "course", API_VF_NUMBER)                                                           \
    X("altitude_m", "altitude_m", API_VF_NUMBER)                                                   \
    X("gnss_time", "gnss_time", API_VF_TIME)                                                       \
    X("recv_time", "recv_time", API_VF_TIME)                                                       \
    X("alarm", "alarm", API_VF_NUMBER)                                                             \
    X("status", "status", API_VF_NUMBER)                                                           \
    X("mileage_km", "mileage_km", API_VF_NUMBER)                                                   \
    X("load_kg", "load_kg", API_VF_NUMBER)                                                         \
    X("passengers", "passengers", API_VF_NUMBER)                                                   \
    X("online", "online", API_VF_BOOL)                                                             \
    X("node", "node", API_VF_TEXT)                                                                 \
    X("offline_time", "offline_time", API_VF_TIME)

/* Longest key the API builds (prefix + a validated plate, phone, type or id). */
#define API_KEY_MAX 192

/* prefix + id (+ suffix, may be NULL) into out; the length, or -1 when it does not fit. */
int api_key(char out[API_KEY_MAX], const char *prefix, const char *id, const char *suffix);

#endif
