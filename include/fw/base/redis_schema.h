/* redis_schema.h - the Redis key schema: every key, field, stream, index and channel name that
 * fleetwatch writes or reads, in one place.
 *
 * The store writes with these names (its C code and its Lua script, src/store/script.c, whose
 * text is assembled from these macros at compile time), the API reads with them, and the shell
 * scripts (scripts/fw-load-registry, scripts/fw-rebuild-stats) spell the few they use
 * literally, checked against this file by tests/unit/base/test_redis_schema.c. What each key
 * holds, its value formats and its retention: docs/redis-schema.md.
 *
 * Keys given as a prefix ("+ phone") are completed with fw_redis_key(). Times are UTC; all
 * violation indexes are sorted sets of violation ids scored by the start time in epoch seconds;
 * track stream ids are "<time ms>-<seq>" and late points sit in a sorted set scored by the same
 * milliseconds. Values stored as protobuf (proto/fleetwatch.proto) are named below.
 */
#ifndef FW_BASE_REDIS_SCHEMA_H
#define FW_BASE_REDIS_SCHEMA_H

#include <stddef.h>

/* ---- positions -------------------------------------------------------------------------- */
#define FW_KEY_VEHICLE           "fw:veh:"   /* + phone: hash, latest state (FW_VEH_FIELD_LIST) */
#define FW_KEY_GEO               "fw:geo"    /* GEO set, member = phone */
#define FW_KEY_TRACK             "fw:track:" /* + phone: stream, field FW_FIELD_PB = Position */
#define FW_KEY_TRACK_LATE_SUFFIX ":late"     /* fw:track:<phone>:late: zset, ms -> Position */
#define FW_KEY_PLATE             "fw:plate:" /* + plate: string, the vehicle's phone */

#define FW_FIELD_PB "pb" /* protobuf payload: track entries, fw:violations, fw:vio:<id> */

/* Value formats of fw:veh:<phone> fields, all decimal text ("" = not reported). */
typedef enum { FW_VEH_TEXT, FW_VEH_NUMBER, FW_VEH_TIME, FW_VEH_BOOL } fw_veh_format;

/* fw:veh:<phone> fields. X(field, format, written by, record argument, name in API answers)
 *   format:   FW_VEH_<format> (TIME: epoch seconds; BOOL: "1" / "0")
 *   written by: STATIC a refreshing position, DYNAMIC every position that enters the track,
 *             SCRIPT the store's script itself (session state)
 *   record argument: where a store position record carries the value (its argument after the
 *             kind letter, minus one: src/store/position.c writes them in this order); 0 for
 *             SCRIPT fields */
#define FW_VEH_FIELD_LIST(X)                                                                       \
    X("plate", TEXT, STATIC, 5, "plate")                                                           \
    X("class", TEXT, STATIC, 6, "vehicle_class")                                                   \
    X("lat", NUMBER, DYNAMIC, 7, "lat")                                                            \
    X("lon", NUMBER, DYNAMIC, 8, "lon")                                                            \
    X("speed_kmh", NUMBER, DYNAMIC, 9, "speed_kmh")                                                \
    X("course", NUMBER, DYNAMIC, 10, "course")                                                     \
    X("altitude_m", NUMBER, DYNAMIC, 11, "altitude_m")                                             \
    X("gnss_time", TIME, DYNAMIC, 12, "gnss_time")                                                 \
    X("recv_time", TIME, DYNAMIC, 13, "recv_time")                                                 \
    X("alarm", NUMBER, DYNAMIC, 14, "alarm")                                                       \
    X("status", NUMBER, DYNAMIC, 15, "status")                                                     \
    X("mileage_km", NUMBER, DYNAMIC, 16, "mileage_km")                                             \
    X("load_kg", NUMBER, DYNAMIC, 17, "load_kg")                                                   \
    X("passengers", NUMBER, DYNAMIC, 18, "passengers")                                             \
    X("online", BOOL, SCRIPT, 0, "online")                                                         \
    X("node", TEXT, SCRIPT, 0, "node")                                                             \
    X("offline_time", TIME, SCRIPT, 0, "offline_time")
/* The fields the script names one by one (each is in the list above). */
#define FW_VEH_FIELD_RECV_TIME    "recv_time"
#define FW_VEH_FIELD_ONLINE       "online"
#define FW_VEH_FIELD_NODE         "node"
#define FW_VEH_FIELD_OFFLINE_TIME "offline_time"

/* ---- violations ------------------------------------------------------------------------- */
#define FW_KEY_VIOLATIONS      "fw:violations"       /* stream of every event */
#define FW_KEY_VIOLATION       "fw:vio:"             /* + id: hash, the record (FW_FIELD_PB) */
#define FW_KEY_VIO_BY_TIME     "fw:vio:by_time"      /* zset of every violation */
#define FW_KEY_VIO_BY_VEHICLE  "fw:vio:by_vehicle:"  /* + phone */
#define FW_KEY_VIO_BY_PLATE    "fw:vio:by_plate:"    /* + plate (not written when empty) */
#define FW_KEY_VIO_BY_TYPE     "fw:vio:by_type:"     /* + type name (violation.h) */
#define FW_KEY_VIO_BY_SEVERITY "fw:vio:by_severity:" /* + severity name (violation.h) */

/* Fields of fw:vio:<id>; the first six (and FW_FIELD_PB) are also the stream's. */
#define FW_VIO_FIELD_ID         "id"
#define FW_VIO_FIELD_TYPE       "type"
#define FW_VIO_FIELD_STATE      "state"
#define FW_VIO_FIELD_PHONE      "phone"
#define FW_VIO_FIELD_PLATE      "plate"
#define FW_VIO_FIELD_SEVERITY   "severity"
#define FW_VIO_FIELD_START_TIME "start_time" /* epoch s */
#define FW_VIO_FIELD_END_TIME   "end_time"   /* epoch s, 0 while open */
#define FW_VIO_FIELD_VALUE      "value"
#define FW_VIO_FIELD_LIMIT      "limit"
#define FW_VIO_FIELD_UNIT       "unit"
#define FW_VIO_FIELD_EV_ORDER   "ev_order" /* replays: a lower or equal order is skipped */

/* ---- rule state, terminal identity, audit ----------------------------------------------- */
#define FW_KEY_RSTATE "fw:rstate:" /* + phone: string, protobuf RuleState */

#define FW_KEY_AUTH               "fw:auth:" /* + phone: hash, the auth code grant */
#define FW_AUTH_FIELD_DIGEST      "digest"   /* SHA-256 of the code, 64 lowercase hex digits */
#define FW_AUTH_FIELD_ISSUED_MS   "issued_ms"
#define FW_AUTH_FIELD_TERMINAL_ID "terminal_id"
#define FW_AUTH_FIELD_ADDRESS     "address"
#define FW_AUTH_FIELD_REVOKED_MS  "revoked_ms"
/* The one script that revokes a grant, used by the store's authority and the API's admin
 * revoke alike: the digest goes and revoked_ms is set atomically (KEYS[1] the hash, ARGV[1] the
 * time in ms); the reply is how many digests went (0 or 1). */
#define FW_AUTH_REVOKE_LUA                                                                         \
    "local n = redis.call('HDEL', KEYS[1], '" FW_AUTH_FIELD_DIGEST "') "                           \
    "redis.call('HSET', KEYS[1], '" FW_AUTH_FIELD_REVOKED_MS "', ARGV[1]) return n"

#define FW_KEY_AUDIT          "fw:audit" /* stream: the API's access audit, fields in this order: */
#define FW_AUDIT_FIELD_TIME   "time"     /* the API's clock, UTC, ISO 8601 with ms */
#define FW_AUDIT_FIELD_TOKEN  "token"    /* the bearer token's label */
#define FW_AUDIT_FIELD_ROLE   "role"
#define FW_AUDIT_FIELD_ADDR   "addr" /* the client, ip:port */
#define FW_AUDIT_FIELD_METHOD "method"
#define FW_AUDIT_FIELD_PATH   "path"
#define FW_AUDIT_FIELD_STATUS "status" /* the HTTP status answered */
#define FW_AUDIT_FIELD_DETAIL "detail"

/* ---- registry and geodata (scripts/fw-load-registry) ------------------------------------ */
#define FW_KEY_SHARED         "fw:"        /* + FW_SHARED_REGISTRY or FW_SHARED_GEODATA: string */
#define FW_SHARED_REGISTRY    "registry"   /* the registry JSON */
#define FW_SHARED_GEODATA     "geodata"    /* the GeoJSON of zones and routes */
#define FW_KEY_VERSION_SUFFIX ":version"   /* fw:registry:version, fw:geodata:version: integer */
#define FW_KEY_LOAD           "fw:load:"   /* the loader's upload area */
#define FW_CHANNEL_CHANGES    "fw:changes" /* "<FW_SHARED_...> <version>" after each load */

/* ---- building keys ---------------------------------------------------------------------- */

/* Longest key built from a prefix and a validated phone, plate (UTF-8), type or id. */
#define FW_REDIS_KEY_MAX 192

/* prefix + id (+ suffix, may be NULL) into out (cap bytes, NUL-terminated). Returns the length,
 * or -1 when it does not fit in cap (out then holds "" when cap > 0). */
int fw_redis_key(char *out, size_t cap, const char *prefix, const char *id, const char *suffix);

#endif
