/* log.h - leveled logging for every part of fleetwatch, to stderr or to syslog/journald.
 *
 * One line per message: "2026-11-28T18:20:01.123Z warn  text" on stderr. With the syslog target
 * (fw_log_start) each message is instead one RFC 3164 datagram "<PRI>Mmm dd hh:mm:ss
 * ident[pid]: text" on a unix datagram socket (default /dev/log, which journald and rsyslog
 * read), its priority made of the facility and the level. The level is global and may be changed
 * at any time (atomic); messages above it cost one comparison. Messages an attacker can provoke
 * at will (refusals, bad input) go through fw_log_limited. Thread-safe: each line is written
 * with a single write(2) or send(2), which never blocks (log_syslog.c).
 */
#ifndef FW_BASE_LOG_H
#define FW_BASE_LOG_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>

#include "fw/base/options.h"

typedef enum { FW_LOG_ERROR, FW_LOG_WARN, FW_LOG_INFO, FW_LOG_DEBUG } fw_log_level;

void fw_log_set_level(fw_log_level level);
fw_log_level fw_log_get_level(void);
/* The level names in the order of fw_log_level, NULL-terminated (the log_level option's choices).
 */
extern const char *const fw_log_level_names[];
/* "error" ...; "unknown" out of range. */
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

/* --- where lines go ---------------------------------------------------------------------- */

typedef enum { FW_LOG_TO_STDERR, FW_LOG_TO_SYSLOG } fw_log_target;

#define FW_LOG_IDENT_MAX  64  /* bytes of log_ident, with its NUL */
#define FW_LOG_SOCKET_MAX 108 /* bytes of log_syslog_socket, with its NUL (sun_path) */

/* A program's logging options (log_level, log_target, log_ident, log_facility,
 * log_syslog_socket). Plain values; the caller owns the struct. */
typedef struct {
    fw_log_level level;
    fw_log_target target;
    int facility;                          /* syslog facility number: 3 daemon, 16..23 local0..7 */
    char ident[FW_LOG_IDENT_MAX];          /* program name in each syslog line */
    char syslog_socket[FW_LOG_SOCKET_MAX]; /* unix datagram socket of syslog/journald */
} fw_log_config;

/* The logging options in the option engine's format (options.h), bound to an fw_log_config:
 * a program adds them as a group of its own (flags, config file, --help). */
extern const fw_opt_table fw_log_options;

/* Defaults: info, stderr, daemon, ident as given, /dev/log. */
void fw_log_config_defaults(fw_log_config *o, const char *ident);

/* Apply o: set the level and, for the syslog target, open a non-blocking datagram socket
 * connected to o->syslog_socket; from then on every line goes there instead of stderr. Call
 * once at start, before other threads log. 0, or -1 with a reason in err (lines stay on
 * stderr). A line that cannot be sent because the socket is full is dropped and counted
 * (fw_log_syslog_dropped, and a warning once the socket takes lines again); when the socket
 * is gone (syslog restarted) it is connected again, and a line that still cannot be delivered
 * is written to stderr. */
int fw_log_start(const fw_log_config *o, char *err, size_t errcap);
/* Back to stderr and close the socket; only when no other thread logs (end of main, tests). */
void fw_log_close(void);
/* Lines dropped since fw_log_start because the syslog socket was full. */
unsigned long long fw_log_syslog_dropped(void);

#endif
