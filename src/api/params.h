/* params.h - reading and validating request parameters (query string and path segments).
 *
 * Every check that fails records which parameter was wrong and why in an api_bad, which the
 * handler turns into 400 {"error": why, "param": name}. Query strings are percent-decoded by
 * libevent ('+' stays '+'); an empty value counts as absent; an unknown or repeated parameter
 * is an error.
 */
#ifndef FW_API_PARAMS_H
#define FW_API_PARAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <event2/keyvalq_struct.h>

typedef struct {
    const char *param; /* NULL: no error */
    const char *error; /* static text */
} api_bad;

typedef struct {
    struct evkeyvalq kv;
    api_bad bad;
    char unknown[64]; /* name of an unknown parameter (bad.param points here) */
} api_query;

#define API_PHONE_MAX 20 /* digits */
#define API_PLATE_MAX 32 /* UTF-8 bytes */
#define API_ID_MAX    96 /* violation id characters */

/* Parse a query string (may be NULL); every name must be in allowed (NULL-terminated).
 * false with q->bad set otherwise. Always call api_query_free. */
bool api_query_init(api_query *q, const char *query, const char *const *allowed);
void api_query_free(api_query *q);

/* The value, or NULL when absent or empty. */
const char *api_query_str(api_query *q, const char *name);
/* Time (isotime.h) or def when absent. false (bad set) when malformed. */
bool api_query_time(api_query *q, const char *name, int64_t def, int64_t *out);
/* Whole number in min..max, or def when absent; values above cap_to are lowered to it. */
bool api_query_uint(api_query *q, const char *name, unsigned def, unsigned min, unsigned cap_to,
                    unsigned *out);
/* Index of the value in names[0..n), -1 when absent; false when not one of them. */
bool api_query_enum(api_query *q, const char *name, const char *const *names, size_t n, int *out);
/* Record a failed check of `param` (static text); returns false. */
bool api_query_fail(api_query *q, const char *param, const char *error);
/* Reject from > to: false with bad on `from`. */
bool api_query_range(api_query *q, int64_t from, int64_t to);

/* Value checks. */
bool api_valid_phone(const char *s); /* 1..20 digits */
bool api_valid_plate(const char *s); /* UTF-8, 1..32 bytes, no control characters or spaces */
bool api_valid_id(const char *s);    /* 1..96 of [A-Za-z0-9_.:-] */
bool api_valid_utf8(const char *s, size_t len);
/* "lat,lon" in degrees: -90..90, -180..180. */
bool api_parse_latlon(const char *s, double *lat, double *lon);

#endif
