/* log.h - leveled logging to stderr for every part of fleetwatch.
 *
 * One line per message: "2026-11-28T18:20:01.123Z warn  text". The level is global and may be
 * changed at any time (atomic); messages above it cost one comparison. Messages an attacker can
 * provoke at will (refusals, bad input) go through fw_log_limited. Thread-safe: each line
 * is written with a single write(2).
 */
#ifndef FW_BASE_LOG_H
#define FW_BASE_LOG_H

#include <stdatomic.h>

typedef enum { FW_LOG_ERROR, FW_LOG_WARN, FW_LOG_INFO, FW_LOG_DEBUG } fw_log_level;

void fw_log_set_level(fw_log_level level);
fw_log_level fw_log_get_level(void);
/* "error", "warn", "info", "debug" -> level; -1 when unknown. */
int fw_log_level_parse(const char *name);
const char *fw_log_level_name(fw_log_level level);

void fw_log(fw_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A rate limit for one kind of message (one per call site, usually `static`): at most one line
 * per FW_LOG_LIMIT_WINDOW_S; the next line that gets through says how many were suppressed
 * since the last one. Zero-initialised; safe on any number of threads (atomics). */
#define FW_LOG_LIMIT_WINDOW_S 10
typedef struct {
    _Atomic long long next_s; /* CLOCK_MONOTONIC second from which a line may pass again */
    _Atomic unsigned long long suppressed; /* lines dropped since the last one written */
} fw_log_limit;

void fw_log_limited(fw_log_limit *limit, fw_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define FW_LOG_ERROR(...) fw_log(FW_LOG_ERROR, __VA_ARGS__)
#define FW_LOG_WARN(...)  fw_log(FW_LOG_WARN, __VA_ARGS__)
#define FW_LOG_INFO(...)  fw_log(FW_LOG_INFO, __VA_ARGS__)
#define FW_LOG_DEBUG(...) fw_log(FW_LOG_DEBUG, __VA_ARGS__)

#endif
