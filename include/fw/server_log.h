/* server_log.h - leveled logging to stderr for the gateway and its tools.
 *
 * One line per message: "2026-11-28T18:20:01.123Z WARN  text". The level is global and may be
 * changed at any time (atomic); messages above it cost one comparison. Thread-safe: each line
 * is written with a single write(2).
 */
#ifndef FW_SERVER_LOG_H
#define FW_SERVER_LOG_H

#include "fw/server.h"

void fw_log_set_level(fw_log_level level);
fw_log_level fw_log_get_level(void);
/* "error", "warn", "info", "debug" -> level; -1 when unknown. */
int fw_log_level_parse(const char *name);
const char *fw_log_level_name(fw_log_level level);

void fw_log(fw_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define FW_LOG_ERROR(...) fw_log(FW_LOG_ERROR, __VA_ARGS__)
#define FW_LOG_WARN(...)  fw_log(FW_LOG_WARN, __VA_ARGS__)
#define FW_LOG_INFO(...)  fw_log(FW_LOG_INFO, __VA_ARGS__)
#define FW_LOG_DEBUG(...) fw_log(FW_LOG_DEBUG, __VA_ARGS__)

#endif
