/* schema.c - building Redis key names from the prefixes of schema.h. */
#include <stdio.h>

#include "schema.h"

int api_key(char out[API_KEY_MAX], const char *prefix, const char *id, const char *suffix)
{
    int n = snprintf(out, API_KEY_MAX, "%s%s%s", prefix, id, suffix ? suffix : "");
    return n < 0 || n >= API_KEY_MAX ? -1 : n;
}
