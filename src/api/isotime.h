/* isotime.h - times in the API: ISO-8601 or epoch seconds in queries, ISO-8601 in China time
 * (+08:00) in answers. Pure functions, no locale, no time zone database.
 */
#ifndef FW_API_ISOTIME_H
#define FW_API_ISOTIME_H

#include <stdint.h>

#define API_CHINA_OFFSET_S (8 * 3600)
#define API_TIME_TEXT_MAX  32 /* "2026-11-28T16:00:00+08:00" and a NUL, with room */

/* Parse a query time: epoch seconds ("1764316800", at most 11 digits) or ISO-8601
 * "YYYY-MM-DD[THH:MM[:SS[.fraction]]][Z|+HH:MM|+HHMM|+HH|-...]". Without an offset the
 * time is China time (+08:00); a date alone is its midnight. A space may stand for the 'T'
 * and for the '+' of the offset (a '+' left unescaped in a query string). Years 1970-9999.
 * 0, or -1 when malformed or out of range. */
int api_time_parse(const char *text, int64_t *epoch_s);

/* "YYYY-MM-DDTHH:MM:SS+08:00" for an epoch time; returns out. */
char *api_time_format(int64_t epoch_s, char out[API_TIME_TEXT_MAX]);

#endif
