/* redis_schema.c - building Redis key names from the prefixes of redis_schema.h. */
#include "fw/base/redis_schema.h"

#include <stdio.h>

int fw_redis_key(char *out, size_t cap, const char *prefix, const char *id, const char *suffix)
{
    int n = snprintf(out, cap, "%s%s%s", prefix, id, suffix ? suffix : "");
    if (n >= 0 && (size_t)n < cap)
        return n;
    if (cap > 0)
        out[0] = '\0';
    return -1;
}
