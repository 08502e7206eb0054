/* isotime.c - ISO-8601 and epoch query times (isotime.h); the calendar arithmetic is the base
 * layer's (fw/base/china_time.h).
 */
#include <stdbool.h>
#include <string.h>

#include "isotime.h"

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
        *offset_s = FW_CHINA_UTC_OFFSET_S;
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
    unsigned y;
    fw_civil_time c;
    int offset_s;
    int64_t t;
    if (!digits(&p, 4, &y) || !expect(&p, '-') || !digits(&p, 2, &c.month) || !expect(&p, '-') ||
        !digits(&p, 2, &c.day))
        return -1;
    c.year = (int)y;
    if (y < 1970 || !parse_clock(&p, &c.hour, &c.minute, &c.second) ||
        !parse_offset(&p, &offset_s) || *p != '\0' || fw_utc_from_civil(&c, offset_s, &t) != 0 ||
        t < 0)
        return -1;
    *epoch_s = t;
    return 0;
}
