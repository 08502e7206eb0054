/* isotime.h - times in API queries: ISO-8601 or epoch seconds. Answers write China time
 * (+08:00) with fw_china_time_text (fw/base/china_time.h). Pure functions, no locale, no time
 * zone database.
 */
#ifndef FW_API_ISOTIME_H
#define FW_API_ISOTIME_H

#include <stdint.h>

#include "fw/base/china_time.h"

/* Parse a query time: epoch seconds ("1764316800", at most 11 digits) or ISO-8601
 * "YYYY-MM-DD[THH:MM[:SS[.fraction]]][Z|+HH:MM|+HHMM|+HH|-...]". Without an offset the
 * time is China time (+08:00); a date alone is its midnight. A space may stand for the 'T'
 * and for the '+' of the offset (a '+' left unescaped in a query string). Years 1970-9999.
 * 0, or -1 when malformed or out of range. */
int api_time_parse(const char *text, int64_t *epoch_s);

#endif
