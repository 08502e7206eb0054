/* log.c - the API's log lines on stderr: "<UTC time> api: <text>". Nothing the API logs
 * contains a token (tokens.h). */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "api_internal.h"

void api_log(const char *fmt, ...)
{
    char line[512], stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s api: %s\n", stamp, line);
}
