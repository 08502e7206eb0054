/* api_fixture.h - what the API integration tests share: a private redis-server on a free
 * loopback port, the test data written through the real store (store_feed.h: positions and
 * violation events as fleetwatch writes them, so the tests read the store's actual keys and
 * units), a fleetwatch-api child process and a tiny HTTP client over plain sockets.
 */
#ifndef FW_API_FIXTURE_H
#define FW_API_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <cjson/cJSON.h>
#include <hiredis/hiredis.h>

#include "fw/rules/rules.h"

/* ---- redis-server ---------------------------------------------------------------------- */

typedef struct {
    unsigned port;
    pid_t pid;
    char dir[64];
} af_redis;

/* Start redis-server (no persistence) on a free loopback port; 0 once it answers PING. */
int af_redis_start(af_redis *r);
void af_redis_stop(af_redis *r);
/* Start it again (empty) on the same port after af_redis_stop. */
int af_redis_restart(af_redis *r);
/* Run one command (printf-like, hiredis format); 0 unless Redis answered an error. */
int af_redis_cmd(const af_redis *r, const char *fmt, ...);
/* Run one command and return its reply (freeReplyObject it), NULL when Redis is unreachable. */
redisReply *af_redis_reply(const af_redis *r, const char *fmt, ...);

/* ---- test data --------------------------------------------------------------------------- */

/* The fleet: three vehicles, a track with late points, violations with a start-time tie. */
#define AF_T0           1795824000 /* 2026-11-28T08:00:00+08:00 */
#define AF_PHONE_A      "13800138000"
#define AF_PLATE_A      "苏G12345"
#define AF_PLATE_A_URL  "%E8%8B%8FG12345"
#define AF_PHONE_B      "13900139000"
#define AF_PLATE_B      "苏A99999"
#define AF_PHONE_C      "13700137000"
#define AF_TRACK_POINTS 10 /* in the stream, 30 s apart from AF_T0 */
#define AF_TRACK_LATE   2  /* in the late set, between stream points */
#define AF_VIOLATIONS   7

typedef struct {
    const char *id;
    fw_violation_type type;
    fw_severity severity;
    const char *phone;  /* the vehicle (its plate and class come from its registry entry) */
    int64_t start, end; /* end 0 = open */
} af_violation;

extern const af_violation af_violations[AF_VIOLATIONS];

/* Write every vehicle's positions (vehicle A's track with two blind-area points) and every
 * violation event through the store, and wait until Redis confirmed them. 0 on success. */
int af_populate(const af_redis *r);

/* ---- fleetwatch-api ------------------------------------------------------------------ */

typedef struct {
    pid_t pid;
    unsigned port;
    char log_path[64]; /* its stderr */
} af_api;

/* Run the binary against Redis r with the token file, api_listen=127.0.0.1:0 and the --key=value
 * options (NULL-terminated, may be NULL), its stderr into a temporary file (log_path, removed by
 * af_api_stop); 0 once it printed its port. */
int af_api_start(af_api *a, const char *binary, const char *token_file, const af_redis *r,
                 const char *const *options);
void af_api_stop(af_api *a);
/* A Redis filled with the test fleet (af_populate) and the API against it; 0 on success. */
int af_start_fleet(af_redis *r, af_api *a, const char *binary, const char *token_file,
                   const char *const *options);
/* Stop both (a Redis stopped with SIGSTOP is woken first). */
void af_stop_fleet(af_redis *r, af_api *a);
/* The test programs' arguments: <fleetwatch-api> <token file> and `extra` more (their names in
 * extra_usage); 0, or -1 after printing the usage. */
int af_args(int argc, char **argv, int extra, const char *extra_usage, const char **binary,
            const char **token_file);

/* ---- HTTP ------------------------------------------------------------------------------ */

typedef struct {
    int status; /* 0: no answer (connection closed) */
    char headers[4096];
    char *body; /* malloc'd, NUL-terminated */
    size_t body_len;
    cJSON *json; /* body parsed, NULL when not JSON */
} af_response;

/* One request on a fresh connection ("Connection: close"). token may be NULL; body may be
 * NULL. extra_headers are raw lines ("X: y\r\n") or NULL. */
int af_http(unsigned port, const char *method, const char *target, const char *token,
            const char *body, const char *extra_headers, af_response *out);
void af_response_free(af_response *r);

/* Shortcuts on a response's JSON. */
const char *af_str(const cJSON *o, const char *name);
double af_num(const cJSON *o, const char *name);

#endif
