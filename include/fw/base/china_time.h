/* china_time.h - China time (UTC+8, no daylight saving) and the text forms of times every part
 * writes, without the libc time zone or locale.
 *
 * Epoch seconds are always UTC (names end in _utc or _s); China wall-clock values say china
 * in their names. A zone is an offset in seconds east of UTC: FW_CHINA_UTC_OFFSET_S for China
 * time, 0 for UTC. Civil dates are proleptic Gregorian (the codec's day arithmetic, jt_bcd.h).
 */
#ifndef FW_BASE_CHINA_TIME_H
#define FW_BASE_CHINA_TIME_H

#include <stdbool.h>
#include <stdint.h>

#include "fw/codec/jt_bcd.h"

#define FW_CHINA_UTC_OFFSET_S JT_CHINA_UTC_OFFSET_S
#define FW_DAY_S              86400
#define FW_TIME_TEXT_MAX      32 /* "2026-11-28T16:00:00+08:00" and a NUL, with room */

/* Minute of the day (0..1439) in China time for a UTC epoch second. */
static inline uint16_t fw_china_minute(int64_t time_utc)
{
    int64_t s = (time_utc + FW_CHINA_UTC_OFFSET_S) % FW_DAY_S;
    if (s < 0)
        s += FW_DAY_S;
    return (uint16_t)(s / 60);
}

/* True when start <= minute < end, or for windows crossing midnight (start > end) when
 * minute >= start or minute < end. An empty window (start == end) never matches. */
static inline bool fw_minute_in_window(uint16_t minute, uint16_t start, uint16_t end)
{
    if (start <= end)
        return minute >= start && minute < end;
    return minute >= start || minute < end;
}

/* A wall-clock time in some zone. */
typedef struct {
    int year;        /* e.g. 2026 */
    unsigned month;  /* 1..12 */
    unsigned day;    /* 1..31 */
    unsigned hour;   /* 0..23 */
    unsigned minute; /* 0..59 */
    unsigned second; /* 0..59 */
} fw_civil_time;

/* The wall clock in zone offset_s at epoch second time_utc. */
void fw_civil_from_utc(int64_t time_utc, int offset_s, fw_civil_time *out);

/* Epoch seconds of wall-clock time c in zone offset_s into *time_utc: 0, or -1 (nothing
 * written) when a field is out of range (month, day of that month, hour, minute, second). */
int fw_utc_from_civil(const fw_civil_time *c, int offset_s, int64_t *time_utc);

/* "YYYY-MM-DDTHH:MM:SS+08:00", China time (years clamped to 0000..9999); returns out. */
char *fw_china_time_text(int64_t time_utc, char out[FW_TIME_TEXT_MAX]);

/* "YYYY-MM-DDTHH:MM:SS.mmmZ", UTC with milliseconds (years clamped to 0000..9999); returns
 * out. */
char *fw_utc_time_text_ms(int64_t time_utc_ms, char out[FW_TIME_TEXT_MAX]);

#endif
