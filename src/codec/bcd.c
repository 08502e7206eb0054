/* bcd.c - BCD bytes and JT/T 808 BCD[6] date-times (jt_bcd.h).
 *
 * Times are converted with plain calendar arithmetic (days from a proleptic Gregorian date and
 * back), never with the libc time zone, so the process TZ cannot change a decoded time.
 */
#include "fw/codec/jt_bcd.h"

#define SECONDS_PER_DAY   86400
#define DAYS_PER_ERA      146097 /* 400 Gregorian years */
#define DAYS_0000_TO_1970 719468 /* from 0000-03-01, the era origin, to 1970-01-01 */

enum { YEAR, MONTH, DAY, HOUR, MINUTE, SECOND, FIELDS };

int jt_bcd_byte(uint8_t b)
{
    unsigned hi = b >> 4, lo = b & 0xf;
    return hi > 9 || lo > 9 ? -1 : (int)(hi * 10 + lo);
}

uint8_t jt_to_bcd_byte(unsigned v)
{
    return (uint8_t)((v / 10 % 10) << 4 | v % 10);
}

int64_t jt_days_from_civil(int y, unsigned m, unsigned d)
{
    /* Count years from March so that the leap day ends the year. */
    int64_t year = (int64_t)y - (m <= 2);
    int64_t era = (year >= 0 ? year : year - 399) / 400;
    int64_t year_of_era = year - era * 400;                         /* 0..399 */
    unsigned month_from_march = m > 2 ? m - 3 : m + 9;              /* 0..11 */
    int64_t day_of_year = (153 * month_from_march + 2) / 5 + d - 1; /* 0..365 */
    int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * DAYS_PER_ERA + day_of_era - DAYS_0000_TO_1970;
}

void jt_civil_from_days(int64_t days, int *y, unsigned *m, unsigned *d)
{
    days += DAYS_0000_TO_1970;
    int64_t era = (days >= 0 ? days : days - (DAYS_PER_ERA - 1)) / DAYS_PER_ERA;
    int64_t day_of_era = days - era * DAYS_PER_ERA;
    int64_t year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    unsigned month_from_march = (unsigned)((5 * day_of_year + 2) / 153);
    *d = (unsigned)(day_of_year - (153 * month_from_march + 2) / 5 + 1);
    *m = month_from_march < 10 ? month_from_march + 3 : month_from_march - 9;
    *y = (int)(year_of_era + era * 400 + (*m <= 2));
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned jt_days_in_month(int y, unsigned m)
{
    static const unsigned char days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return days[m - 1] + (m == 2 && is_leap(y));
}

static bool fields_from_bcd(const uint8_t bcd[JT_BCD_TIME_LEN], int v[FIELDS])
{
    for (int i = 0; i < FIELDS; i++) {
        v[i] = jt_bcd_byte(bcd[i]);
        if (v[i] < 0)
            return false;
    }
    return true;
}

static bool fields_valid(const int v[FIELDS])
{
    int year = 2000 + v[YEAR];
    bool date_ok = v[MONTH] >= 1 && v[MONTH] <= 12 && v[DAY] >= 1 &&
                   (unsigned)v[DAY] <= jt_days_in_month(year, (unsigned)v[MONTH]);
    return date_ok && v[HOUR] < 24 && v[MINUTE] < 60 && v[SECOND] < 60;
}

/* jt_days_from_civil() for a valid date in 2000-2099, the only years BCD[6] can hold: there
 * every fourth year is a leap year (2000 included, 2100 outside), so no divisions are needed.
 * This runs for every location; test_bcd checks it against the general formula every day. */
static int64_t days_from_2000s_date(unsigned yy, unsigned m, unsigned d)
{
    static const uint16_t days_before_month[12] = {0,   31,  59,  90,  120, 151,
                                                   181, 212, 243, 273, 304, 334};
    const int64_t days_1970_to_2000 = 10957;
    unsigned leap_days_before = (yy + 3) / 4 + (m > 2 && yy % 4 == 0);
    return days_1970_to_2000 + yy * 365 + leap_days_before + days_before_month[m - 1] + d - 1;
}

jt_err jt_bcd_time_decode(const uint8_t bcd[JT_BCD_TIME_LEN], int offset_s, int64_t *epoch_s)
{
    int v[FIELDS];
    if (!fields_from_bcd(bcd, v))
        return JT_ERR_BAD_BCD;
    if (!fields_valid(v)) /* includes the all-zero time: month 0 */
        return JT_ERR_BAD_TIME;
    int64_t days = days_from_2000s_date((unsigned)v[YEAR], (unsigned)v[MONTH], (unsigned)v[DAY]);
    *epoch_s = days * SECONDS_PER_DAY + v[HOUR] * 3600 + v[MINUTE] * 60 + v[SECOND] - offset_s;
    return JT_OK;
}

void jt_bcd_time_encode(int64_t epoch_s, int offset_s, uint8_t bcd[JT_BCD_TIME_LEN])
{
    int64_t first_s = jt_days_from_civil(2000, 1, 1) * SECONDS_PER_DAY;
    int64_t last_s = jt_days_from_civil(2100, 1, 1) * SECONDS_PER_DAY - 1;
    /* clamp before adding the offset so that no epoch value can overflow */
    int64_t local_s = epoch_s < first_s - offset_s  ? first_s
                      : epoch_s > last_s - offset_s ? last_s
                                                    : epoch_s + offset_s;
    int64_t days = local_s / SECONDS_PER_DAY, sec_of_day = local_s % SECONDS_PER_DAY;
    int y;
    unsigned m, d;
    jt_civil_from_days(days, &y, &m, &d);
    const unsigned v[FIELDS] = {(unsigned)(y - 2000),
                                m,
                                d,
                                (unsigned)(sec_of_day / 3600),
                                (unsigned)(sec_of_day / 60 % 60),
                                (unsigned)(sec_of_day % 60)};
    for (int i = 0; i < FIELDS; i++)
        bcd[i] = jt_to_bcd_byte(v[i]);
}

bool jt_bcd_time_format(const uint8_t bcd[JT_BCD_TIME_LEN], const char *zone_suffix, char out[32])
{
    static const char separator_after[FIELDS] = {'-', '-', 'T', ':', ':', '\0'};
    int v[FIELDS];
    if (!fields_from_bcd(bcd, v))
        return false;
    char *p = out;
    *p++ = '2';
    *p++ = '0';
    for (int i = 0; i < FIELDS; i++) {
        *p++ = (char)('0' + v[i] / 10);
        *p++ = (char)('0' + v[i] % 10);
        if (separator_after[i])
            *p++ = separator_after[i];
    }
    /* 19 characters so far; the suffix gets the rest of the 32 bytes */
    for (const char *s = zone_suffix ? zone_suffix : ""; *s && p < out + 31; s++)
        *p++ = *s;
    *p = '\0';
    return true;
}
