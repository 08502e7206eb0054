/* log.c - leveled logging and its rate-limited variant (log.h): formats each message once and
 * writes it as a timestamped line on stderr, or hands it to the syslog output (log_syslog.h). */
#include <stdarg.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fw/base/china_time.h"
#include "fw/base/log.h"
#include "log_syslog.h"

static _Atomic int log_level = FW_LOG_INFO;

const char *const fw_log_level_names[] = {"error", "warn", "info", "debug", NULL};

void fw_log_set_level(fw_log_level level)
{
    atomic_store(&log_level, (int)level);
}

fw_log_level fw_log_get_level(void)
{
    return (fw_log_level)atomic_load(&log_level);
}

const char *fw_log_level_name(fw_log_level level)
{
    if ((unsigned)level > FW_LOG_DEBUG)
        return "unknown";
    return fw_log_level_names[level];
}

/* Message text: fmt, then suffix; returns its length (truncated to cap - 1). */
static size_t format_text(char *text, size_t cap, const char *suffix, const char *fmt, va_list ap)
{
    int k = vsnprintf(text, cap, fmt, ap);
    size_t n = k < 0 ? 0 : (size_t)k < cap ? (size_t)k : cap - 1;
    k = snprintf(text + n, cap - n, "%s", suffix);
    return k < 0 ? n : (n + (size_t)k < cap ? n + (size_t)k : cap - 1);
}

/* "2026-11-28T18:20:01.123Z warn  text\n" with a single write(2). */
static void write_stderr(fw_log_level level, const char *text, size_t len)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    char stamp[FW_TIME_TEXT_MAX];
    fw_utc_time_text_ms((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000, stamp);
    char line[1100];
    size_t n = (size_t)snprintf(line, sizeof line, "%s %-5s ", stamp, fw_log_level_name(level));
    if (len > sizeof line - n - 1)
        len = sizeof line - n - 1;
    memcpy(line + n, text, len);
    n += len;
    line[n++] = '\n';
    ssize_t w = write(STDERR_FILENO, line, n);
    (void)w;
}

static void log_line(fw_log_level level, const char *suffix, const char *fmt, va_list ap)
{
    char text[1000];
    size_t len = format_text(text, sizeof text, suffix, fmt, ap);
    if (log_syslog_on() && log_syslog_send(level, text, len) == 0)
        return;
    write_stderr(level, text, len);
}

static bool level_on(fw_log_level level)
{
    return (int)level <= atomic_load_explicit(&log_level, memory_order_relaxed);
}

void fw_log(fw_log_level level, const char *fmt, ...)
{
    if (!level_on(level))
        return;
    va_list ap;
    va_start(ap, fmt);
    log_line(level, "", fmt, ap);
    va_end(ap);
}

void fw_log_limited(fw_log_limit *limit, fw_log_level level, const char *fmt, ...)
{
    if (!level_on(level))
        return;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    long long next = atomic_load(&limit->next_s);
    if (ts.tv_sec < next ||
        !atomic_compare_exchange_strong(&limit->next_s, &next, ts.tv_sec + FW_LOG_LIMIT_WINDOW_S)) {
        atomic_fetch_add(&limit->suppressed, 1);
        return;
    }
    unsigned long long dropped = atomic_exchange(&limit->suppressed, 0);
    char suffix[96] = "";
    if (dropped)
        snprintf(suffix, sizeof suffix, " (and %llu more like it since the last such line)",
                 dropped);
    va_list ap;
    va_start(ap, fmt);
    log_line(level, suffix, fmt, ap);
    va_end(ap);
}
