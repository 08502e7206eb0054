/* jt_bcd.h - BCD numbers and JT/T 808 date-times.
 *
 * JT/T 808 sends times as BCD[6] YYMMDDhhmmss in China time (GMT+8) for uplink data, and the
 * 0x8004 server time in UTC. Years are 2000 + YY. These helpers convert between the wire form
 * and epoch seconds (UTC) without touching the process time zone.
 */
#ifndef FW_JT_BCD_H
#define FW_JT_BCD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fw/codec/jt_errors.h"

#define JT_CHINA_UTC_OFFSET_S (8 * 3600)
#define JT_BCD_TIME_LEN       6u /* bytes of a BCD[6] YYMMDDhhmmss time on the wire */

/* Decode one BCD byte (0..99); returns -1 when a nibble is above 9. */
int jt_bcd_byte(uint8_t b);
uint8_t jt_to_bcd_byte(unsigned v); /* v in 0..99 */

/* BCD[6] YYMMDDhhmmss -> epoch seconds. offset_s is the zone of the wire time (use
 * JT_CHINA_UTC_OFFSET_S for uplink times, 0 for UTC). Errors: JT_ERR_BAD_BCD, JT_ERR_BAD_TIME.
 * An all-zero time is JT_ERR_BAD_TIME (terminals send it before their first fix). */
jt_err jt_bcd_time_decode(const uint8_t bcd[JT_BCD_TIME_LEN], int offset_s, int64_t *epoch_s);
/* epoch seconds -> BCD[6] in the zone offset_s. Years outside 2000-2099 are clamped. */
void jt_bcd_time_encode(int64_t epoch_s, int offset_s, uint8_t bcd[JT_BCD_TIME_LEN]);

/* Format BCD[6] as "20YY-MM-DDThh:mm:ss+08:00" style text with the given suffix, without
 * validation beyond BCD digits. out needs 26 bytes. Returns false on a non-BCD nibble. */
bool jt_bcd_time_format(const uint8_t bcd[JT_BCD_TIME_LEN], const char *zone_suffix, char out[32]);

/* Days since 1970-01-01 for a proleptic Gregorian date (no time zone, no libc). */
int64_t jt_days_from_civil(int y, unsigned m, unsigned d);
/* Inverse of jt_days_from_civil: the date of a day number (negative before 1970). */
void jt_civil_from_days(int64_t days, int *y, unsigned *m, unsigned *d);
/* Days in month m (1..12) of year y, leap years counted. */
unsigned jt_days_in_month(int y, unsigned m);

#endif
