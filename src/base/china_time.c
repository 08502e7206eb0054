/* china_time.c - wall-clock conversions and ISO-8601 text in China time and UTC
 * (china_time.h), on the codec's calendar arithmetic. */
#include <string.h>

#include "fw/base/china_time.h"

/* Floor division of a second count into days. */
static int64_t days_of(int64_t s)
{
    return s >= 0 ? s / FW_DAY_S : (s - (FW_DAY_S - 1)) / FW_DAY_S;
}

void fw_civil_from_utc(int64_t time_utc, int offset_s, fw_civil_time *out)
{
    int64_t local = time_utc + offset_s;
    int64_t days = days_of(local);
    unsigned secs = (unsigned)(local - days * FW_DAY_S);
    jt_civil_from_days(days, &out->year, &out->month, &out->day);
    out->hour = secs / 3600;
    out->minute = secs / 60 % 60;
    out->second = secs % 60;
}

int fw_utc_from_civil(const fw_civil_time *c, int offset_s, int64_t *time_utc)
{
    if (c->month < 1 || c->month > 12 || c->day < 1 ||
        c->day > jt_days_in_month(c->year, c->month) || c->hour > 23 || c->minute > 59 ||
        c->second > 59)
        return -1;
    *time_utc = jt_days_from_civil(c->year, c->month, c->day) * FW_DAY_S + c->hour * 3600 +
                c->minute * 60 + c->second - offset_s;
    return 0;
}

/* n decimal digits of v at p; returns the end. */
static char *put_digits(char *p, unsigned v, int n)
{
    for (int i = n - 1; i >= 0; i--, v /= 10)
        p[i] = (char)('0' + v % 10);
    return p + n;
}

/* "YYYY-MM-DDTHH:MM:SS" of time_utc in zone offset_s at out; returns the end. */
static char *put_clock(char *out, int64_t time_utc, int offset_s)
{
    fw_civil_time c;
    fw_civil_from_utc(time_utc, offset_s, &c);
    int y = c.year < 0 ? 0 : c.year > 9999 ? 9999 : c.year;
    char *p = put_digits(out, (unsigned)y, 4);
    *p++ = '-';
    p = put_digits(p, c.month, 2);
    *p++ = '-';
    p = put_digits(p, c.day, 2);
    *p++ = 'T';
    p = put_digits(p, c.hour, 2);
    *p++ = ':';
    p = put_digits(p, c.minute, 2);
    *p++ = ':';
    return put_digits(p, c.second, 2);
}

char *fw_china_time_text(int64_t time_utc, char out[FW_TIME_TEXT_MAX])
{
    memcpy(put_clock(out, time_utc, FW_CHINA_UTC_OFFSET_S), "+08:00", 7);
    return out;
}

char *fw_utc_time_text_ms(int64_t time_utc_ms, char out[FW_TIME_TEXT_MAX])
{
    int64_t s = time_utc_ms >= 0 ? time_utc_ms / 1000 : (time_utc_ms - 999) / 1000;
    char *p = put_clock(out, s, 0);
    *p++ = '.';
    p = put_digits(p, (unsigned)(time_utc_ms - s * 1000), 3);
    memcpy(p, "Z", 2);
    return out;
}
