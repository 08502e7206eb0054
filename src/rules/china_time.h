/* china_time.h - China time (UTC+8, no daylight saving) for the rules: minute of the day and
 * "is this minute inside a window" for windows that may cross midnight (22:00-06:00).
 */
#ifndef FW_RULES_CHINA_TIME_H
#define FW_RULES_CHINA_TIME_H

#include <stdbool.h>
#include <stdint.h>

#define FW_CHINA_OFFSET_S (8 * 3600)

/* Minute of the day (0..1439) in China time for a UTC epoch second. */
static inline uint16_t fw_china_minute(int64_t time_utc)
{
    int64_t s = (time_utc + FW_CHINA_OFFSET_S) % 86400;
    if (s < 0)
        s += 86400;
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

#endif
