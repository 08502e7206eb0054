/* params.c - query-string parsing and parameter validation (params.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include <event2/http.h>

#include "isotime.h"
#include "params.h"

bool api_query_fail(api_query *q, const char *param, const char *error)
{
    q->bad.param = param;
    q->bad.error = error;
    return false;
}

static const char *allowed_name(const char *name, const char *const *allowed)
{
    for (; *allowed; allowed++)
        if (strcmp(*allowed, name) == 0)
            return *allowed;
    return NULL;
}

bool api_query_init(api_query *q, const char *query, const char *const *allowed)
{
    TAILQ_INIT(&q->kv);
    q->bad.param = q->bad.error = NULL;
    if (query == NULL || *query == '\0')
        return true;
    if (evhttp_parse_query_str(query, &q->kv) != 0)
        return api_query_fail(q, "query", "malformed query string");
    for (struct evkeyval *a = q->kv.tqh_first; a; a = a->next.tqe_next) {
        if (allowed_name(a->key, allowed) == NULL) {
            snprintf(q->unknown, sizeof q->unknown, "%s", a->key);
            return api_query_fail(q, q->unknown, "unknown parameter");
        }
        for (struct evkeyval *b = a->next.tqe_next; b; b = b->next.tqe_next)
            if (strcmp(a->key, b->key) == 0)
                return api_query_fail(q, allowed_name(a->key, allowed), "parameter given twice");
        if (!api_valid_utf8(a->value, strlen(a->value)))
            return api_query_fail(q, allowed_name(a->key, allowed), "not valid UTF-8");
    }
    return true;
}

void api_query_free(api_query *q)
{
    evhttp_clear_headers(&q->kv);
}

const char *api_query_str(api_query *q, const char *name)
{
    const char *v = evhttp_find_header(&q->kv, name);
    return v && *v ? v : NULL;
}

bool api_query_time(api_query *q, const char *name, int64_t def, int64_t *out)
{
    const char *v = api_query_str(q, name);
    if (v == NULL) {
        *out = def;
        return true;
    }
    if (api_time_parse(v, out) != 0)
        return api_query_fail(q, name,
                              "expected ISO-8601 time (2026-11-28T08:00:00+08:00) or epoch "
                              "seconds");
    return true;
}

bool api_query_uint(api_query *q, const char *name, unsigned def, unsigned min, unsigned cap_to,
                    unsigned *out)
{
    const char *v = api_query_str(q, name);
    if (v == NULL) {
        *out = def;
        return true;
    }
    char *end = NULL;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (v[0] < '0' || v[0] > '9' || *end != '\0' || errno != 0 || n < min)
        return api_query_fail(q, name, "expected a positive whole number");
    *out = n > cap_to ? cap_to : (unsigned)n;
    return true;
}

bool api_query_enum(api_query *q, const char *name, const char *const *names, size_t n, int *out)
{
    const char *v = api_query_str(q, name);
    *out = -1;
    if (v == NULL)
        return true;
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], v) == 0) {
            *out = (int)i;
            return true;
        }
    return api_query_fail(q, name, "unknown value");
}

bool api_query_range(api_query *q, int64_t from, int64_t to)
{
    return from <= to ? true : api_query_fail(q, "from", "from is after to");
}

bool api_valid_phone(const char *s)
{
    size_t n = strlen(s);
    return n >= 1 && n <= API_PHONE_MAX && strspn(s, "0123456789") == n;
}

/* Length of the UTF-8 sequence starting at p (at most len bytes), 0 when invalid: no
 * overlong forms, no surrogates, nothing above U+10FFFF. */
static size_t utf8_seq(const unsigned char *p, size_t len)
{
    if (p[0] < 0x80)
        return 1;
    size_t n = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 ? 2 : 0;
    if (n == 0 || p[0] > 0xf4 || n > len)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] > 0x9f) ||
        (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] > 0x8f))
        return 0;
    return n;
}

bool api_valid_utf8(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        size_t n = utf8_seq(p + i, len - i);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

bool api_valid_plate(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > API_PLATE_MAX || !api_valid_utf8(s, n))
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
            return false;
    return true;
}

bool api_valid_id(const char *s)
{
    size_t n = strlen(s);
    return n >= 1 && n <= API_ID_MAX &&
           strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-") == n;
}

static bool parse_double(const char *s, const char *stop, double *out)
{
    char *end = NULL;
    if (s == stop || strchr("+-.0123456789", *s) == NULL)
        return false;
    *out = strtod(s, &end);
    return end == stop && isfinite(*out);
}

bool api_parse_latlon(const char *s, double *lat, double *lon)
{
    const char *comma = strchr(s, ',');
    if (comma == NULL || !parse_double(s, comma, lat) ||
        !parse_double(comma + 1, comma + 1 + strlen(comma + 1), lon))
        return false;
    return *lat >= -90 && *lat <= 90 && *lon >= -180 && *lon <= 180;
}
