/* store.h - the Redis store: where locations, violation events and rule state are kept.
 *
 * One fw_store per process holds the configuration and one writer per gateway worker. Each
 * writer is a hiredis asynchronous connection on that worker's libevent loop (pipelined: the
 * commands of one loop iteration go out in one write), with reconnect and backoff, AUTH and
 * SELECT, a bounded in-flight queue and an append-only local spool for when Redis is down or
 * slow. The key schema is a public interface, documented in docs/redis-schema.md.
 *
 * Locations reach the store through the gateway's sink interface (sink.h): pass
 * fw_store_sink_new as the fw_sink_factory and the fw_store as its ctx. A location's done
 * callback reports 0 once Redis has replied to its write, or once it is fsync'd in the spool.
 *
 * Threads: fw_store_new/fw_store_free on any one thread, before the workers start and after
 * they stopped. Every other call for worker w runs on worker w's thread, after its sink was
 * created and before it is closed. Violation events are written with store_violation.h.
 */
#ifndef FW_STORE_H
#define FW_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fw/base/options.h"

struct event_base;
struct fw_sink;
struct redisContext;
struct fw_authority;

#define FW_STORE_STR_MAX 256

/* Options (their table, defaults and help: fw_store_options in store.c). */
typedef struct {
    char redis_host[FW_STORE_STR_MAX];     /* IPv4 address or name */
    unsigned redis_port;                   /* TCP port */
    char redis_user[FW_STORE_STR_MAX];     /* ACL user for AUTH, empty = default user */
    char redis_password[FW_STORE_STR_MAX]; /* AUTH password, empty = none */
    unsigned redis_db;                     /* SELECT index, 0 = default */
    char node[FW_STORE_STR_MAX];           /* this node's name, in fw:veh:<phone> node */
    unsigned track_retention_days;         /* fw:track:<phone> retention */
    unsigned violation_retention_days;     /* violation events and records retention */
    unsigned rstate_ttl_days;              /* rule state kept after its last save */
    unsigned queue_max;                    /* records in flight per worker; beyond: spool */
    unsigned batch_max;                    /* records per EVALSHA */
    unsigned reply_timeout_ms;             /* no reply this long: reconnect, spool the rest */
    unsigned reconnect_min_ms;             /* first reconnect delay, doubled per failure */
    unsigned reconnect_max_ms;             /* longest reconnect delay */
    char spool_dir[FW_STORE_STR_MAX];      /* spool files, one per worker */
    unsigned spool_max_mb;                 /* spool size per worker (MiB) */
    unsigned spool_fsync_ms;               /* spooled records fsync'd and acked within this */
} fw_store_config;

/* The store's options in the option engine's format (fw/base/options.h): a program puts them
 * in a group bound to its fw_store_config. redis_* names are shared with the API's table. */
extern const fw_opt_table fw_store_options;

/* Every option at its default. */
void fw_store_config_defaults(fw_store_config *c);
/* Set one option by name ("redis_port", "6380"). 0, or -1 with a reason in err. */
int fw_store_config_set(fw_store_config *c, const char *key, const char *value, char *err,
                        size_t errcap);

typedef struct fw_store fw_store;

/* A store for `workers` gateway workers (the spool directory is created if missing).
 * NULL with a reason in err. */
fw_store *fw_store_new(const fw_store_config *cfg, unsigned workers, char *err, size_t errcap);
/* Free the store; every worker's sink must be closed already. */
void fw_store_free(fw_store *st);

/* fw_sink_factory (sink.h): ctx is the fw_store. Opens worker `worker`'s spool (replaying what
 * a previous run left in it) and starts connecting to Redis. NULL on failure. */
struct fw_sink *fw_store_sink_new(void *ctx, struct event_base *base, unsigned worker);

/* fw_authority_factory (authority.h): ctx is the fw_store. Worker `worker`'s auth code grants
 * in fw:auth:<phone> (docs/redis-schema.md), on a Redis connection of its own. NULL when out
 * of memory. */
struct fw_authority *fw_store_authority_new(void *ctx, struct event_base *base, unsigned worker);

/* Open worker `worker`'s writer without a gateway sink (a process that writes only events and
 * rule state, tests); the sink factory uses it too. 0, or -1 (logged to stderr). */
int fw_store_worker_open(fw_store *st, struct event_base *base, unsigned worker);
/* Close it: wait (at most reply_timeout_ms) while Redis confirms what is queued, then
 * unconfirmed records go to the spool. */
void fw_store_worker_close(fw_store *st, unsigned worker);

/* ---- per-vehicle calls, on worker `worker`'s thread --------------------------------------- */

/* The vehicle disconnected from this node: fw:veh:<phone> online = 0, unless another node has
 * taken it over or a position received after this second is already stored (the vehicle
 * reconnected and its new session's write got in first). 0 queued, -1 when the spool is full
 * or the worker has no sink. */
int fw_store_vehicle_offline(fw_store *st, unsigned worker, const char *phone);

/* Save a vehicle's serialised rule state (at most FW_STORE_RSTATE_MAX bytes, from
 * fw_state_save) as fw:rstate:<phone>. Last save wins. 0 queued, -1 refused. */
#define FW_STORE_RSTATE_MAX 512
int fw_store_rstate_save(fw_store *st, unsigned worker, const char *phone, uint32_t version,
                         const uint8_t *blob, size_t len);

/* Result of a rule state load: status 0 found (blob/len valid during the call), 1 none saved,
 * -1 Redis unavailable or the saved value is malformed. */
typedef void (*fw_store_rstate_cb)(void *ctx, int status, uint32_t version, const uint8_t *blob,
                                   size_t len);
/* Load fw:rstate:<phone>; cb runs exactly once, later on the worker's loop (or inside the call
 * when Redis is not connected, with status -1). Saves this worker sent to Redis before are
 * applied first; a save still waiting in the spool (Redis was down) is not seen. */
void fw_store_rstate_load(fw_store *st, unsigned worker, const char *phone, fw_store_rstate_cb cb,
                          void *ctx);

/* ---- shared registry and geodata ---------------------------------------------------------- */
/* scripts/fw-load-registry puts the registry JSON in fw:registry and the GeoJSON in fw:geodata
 * and publishes "<what> <version>" on fw:changes (docs/redis-schema.md). */

/* A blocking connection to the configured Redis (2 s timeouts), authenticated with
 * redis_user / redis_password and on redis_db when set: for tools and tests. NULL with a reason
 * in err; release it with redisFree. */
struct redisContext *fw_store_connect_sync(const fw_store_config *cfg, char *err, size_t errcap);

/* The text of fw:<what> ("registry" or "geodata"), read synchronously (at start, or after a
 * change notification): malloc'd, NUL-terminated, *len bytes; the caller frees it. NULL with a
 * reason in err (Redis unreachable, key not set). */
char *fw_store_fetch(const fw_store_config *cfg, const char *what, size_t *len, char *err,
                     size_t errcap);

/* Change notifications: what = "registry" or "geodata" after a load, "*" after every
 * (re)subscription (changes may have been missed while disconnected: reload both). */
typedef void (*fw_store_change_cb)(void *ctx, const char *what);
typedef struct fw_store_watch fw_store_watch;
/* Subscribe to fw:changes on base (reconnecting with backoff); cb runs on base's thread.
 * NULL when out of memory. */
fw_store_watch *fw_store_watch_new(const fw_store_config *cfg, struct event_base *base,
                                   fw_store_change_cb cb, void *ctx);
void fw_store_watch_free(fw_store_watch *w);

/* ---- observation ------------------------------------------------------------------------- */

/* X(name, help): the store's counters, on /metrics as fleetwatch_store_<name>_total. */
#define FW_STORE_COUNTER_LIST(X)                                                                   \
    X(stored, "Records Redis confirmed (positions, violation events, rule states).")               \
    X(duplicates, "Records Redis already had (replays after a lost reply); not added again.")      \
    X(late, "Positions older than their track's newest entry, kept in the late set.")              \
    X(future, "Positions dated beyond future_tolerance_s, kept flagged in the late set.")          \
    X(failed, "Records Redis refused (malformed); not acked.")                                     \
    X(spooled, "Records written to the local spool (Redis down, slow or behind its queue).")       \
    X(replayed, "Spool records Redis confirmed.")                                                  \
    X(refused, "Records refused because the spool was full; not acked.")                           \
    X(commands, "Redis commands sent (EVALSHA batches and others).")                               \
    X(reconnects, "Successful connections to Redis, the first included.")                          \
    X(redis_lost, "Ready Redis connections lost (records in flight go to the spool).")             \
    X(auth_failures, "Connections Redis refused for their credentials (redis_user/password).")     \
    X(spool_dropped_bytes, "Bytes of an unreadable spool given up from the bad entry on.")

typedef struct {
#define FW_STORE_STATS_FIELD(name, help) uint64_t name;
    FW_STORE_COUNTER_LIST(FW_STORE_STATS_FIELD)
#undef FW_STORE_STATS_FIELD
    uint64_t spool_bytes; /* current spool size */
    unsigned connected;   /* workers whose Redis connection is ready */
} fw_store_stats;

/* Counters of one worker or, with worker = -1, of all of them (the closed ones included).
 * Safe on any thread while the workers run (their counters are single-writer atomics); not
 * while fw_store_worker_close or fw_store_free run. */
void fw_store_stats_get(fw_store *st, int worker, fw_store_stats *out);
/* All workers' counters and gauges (fleetwatch_store_spool_bytes, _redis_connected) in the
 * Prometheus text format, like snprintf: at most cap bytes, returns the full length. Same
 * threads as fw_store_stats_get. */
size_t fw_store_render_prometheus(fw_store *st, char *out, size_t cap);

#endif
