/* log_syslog.h - the logger's syslog output (log_syslog.c), private to src/base: log.c formats
 * a message and hands its text here while the syslog target is on (fw_log_start). */
#ifndef FW_BASE_LOG_SYSLOG_H
#define FW_BASE_LOG_SYSLOG_H

#include <stdbool.h>
#include <stddef.h>

#include "fw/base/log.h"

/* True between a successful fw_log_start with the syslog target and fw_log_close. */
bool log_syslog_on(void);
/* Send text (len bytes, no newline) as one datagram with the priority of level. 0 when sent or
 * dropped because the socket is full (counted); -1 when the socket cannot be reached even after
 * connecting again: the caller writes the line elsewhere. Never blocks. */
int log_syslog_send(fw_log_level level, const char *text, size_t len);

#endif
