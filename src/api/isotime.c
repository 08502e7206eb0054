/* isotime.c - ISO-8601 parsing and China-time formatting (isotime.h). Civil dates use the
 * proleptic Gregorian calendar, converted with the usual days-from-civil arithmetic.
 */
#include <stdbool.h>
#include <string.h>

#include "isotime.h"

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(int y, unsigned m)
{
    static const unsigned char days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Read exactly n digits at *p into *out and advance. */
static bool digits(const char **p, unsigned n, unsigned *out)
{
    unsigned v = 0;
    for (unsigned i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (unsigned)(c - '0');
    }
    *p += n;
    *out = v;
    return true;
}

static bool expect(const char **p, char c)
{
    if (**p != c)
        return false;
    (*p)++;
    return true;
}

static int parse_epoch(const char *s, int64_t *out)
{
    size_t n = strlen(s);
    if (n == 0 || n > 11 || strspn(s, "0123456789") != n)
        return -1;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    *out = v;
    return 0;
}

/* "Z", "+HH:MM", "+HHMM", "+HH" (or ' ' for '+'), or nothing (China time): seconds east. */
static bool parse_offset(const char **p, int *offset_s)
{
    if (**p == '\0') {
        *offset_s = API_CHINA_OFFSET_S;
        return true;
    }
    if (expect(p, 'Z')) {
        *offset_s = 0;
        return true;
    }
    int sign = **p == '-' ? -1 : 1;
    if (**p != '+' && **p != '-' && **p != ' ')
        return false;
    (*p)++;
    unsigned hh, mm = 0;
    if (!digits(p, 2, &hh))
        return false;
    if (**p != '\0') { /* minutes: "+HH:MM" or "+HHMM" */
        (void)expect(p, ':');
        if (!digits(p, 2, &mm))
            return false;
    }
    if (hh > 14 || mm > 59)
        return false;
    *offset_s = sign * (int)(hh * 3600 + mm * 60);
    return true;
}

/* "THH:MM[:SS[.fff]]" after the date; nothing at all is midnight. */
static bool parse_clock(const char **p, unsigned *h, unsigned *mi, unsigned *s)
{
    *h = *mi = *s = 0;
    if (**p != 'T' && **p != 't' && **p != ' ')
        return true;
    (*p)++;
    if (!digits(p, 2, h) || !expect(p, ':') || !digits(p, 2, mi))
        return false;
    if (expect(p, ':')) {
        if (!digits(p, 2, s))
            return false;
        if (expect(p, '.') || expect(p, ',')) {
            size_t frac = strspn(*p, "0123456789");
            if (frac == 0)
                return false;
            *p += frac;
        }
    }
    return *h <= 23 && *mi <= 59 && *s <= 59;
}

int api_time_parse(const char *text, int64_t *epoch_s)
{
    if (parse_epoch(text, epoch_s) == 0)
        return 0;
    const char *p = text;
    unsigned y, mo, d, h, mi, s;
    int offset_s;
    if (!digits(&p, 4, &y) || !expect(&p, '-') || !digits(&p, 2, &mo) || !expect(&p, '-') ||
        !digits(&p, 2, &d))
        return -1;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > days_in_month((int)y, mo))
        return -1;
    if (!parse_clock(&p, &h, &mi, &s) || !parse_offset(&p, &offset_s) || *p != '\0')
        return -1;
    int64_t t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - offset_s;
    if (t < 0)
        return -1;
    *epoch_s = t;
    return 0;
}

/* n decimal digits of v at p. */
static char *put_digits(char *p, unsigned v, int n)
{
    for (int i = n - 1; i >= 0; i--, v /= 10)
        p[i] = (char)('0' + v % 10);
    return p + n;
}

char *api_time_format(int64_t epoch_s, char out[API_TIME_TEXT_MAX])
{
    int64_t local = epoch_s + API_CHINA_OFFSET_S;
    int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
    unsigned secs = (unsigned)(local - days * 86400);
    int y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999)
        y = y < 0 ? 0 : 9999;
    char *p = put_digits(out, (unsigned)y, 4);
    *p++ = '-';
    p = put_digits(p, m, 2);
    *p++ = '-';
    p = put_digits(p, d, 2);
    *p++ = 'T';
    p = put_digits(p, secs / 3600, 2);
    *p++ = ':';
    p = put_digits(p, secs / 60 % 60, 2);
    *p++ = ':';
    p = put_digits(p, secs % 60, 2);
    memcpy(p, "+08:00", 7);
    return out;
}
