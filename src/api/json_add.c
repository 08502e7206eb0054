/* json_add.c - cheap cJSON members (json_add.h). */
#include <math.h>
#include <string.h>

#include "isotime.h"
#include "json_add.h"

cJSON *api_j_item(cJSON *o, const char *key, cJSON *item)
{
    cJSON_AddItemToObjectCS(o, key, item);
    return item;
}

void api_j_str(cJSON *o, const char *key, const char *s)
{
    api_j_item(o, key, s && *s ? cJSON_CreateString(s) : cJSON_CreateNull());
}

void api_j_null(cJSON *o, const char *key)
{
    api_j_item(o, key, cJSON_CreateNull());
}

void api_j_bool(cJSON *o, const char *key, bool b)
{
    api_j_item(o, key, cJSON_CreateBool(b));
}

/* Decimal text of v / 10^decimals into out (at least 32 bytes), trailing zeros dropped. */
static void format_fixed(int64_t v, unsigned decimals, char *out)
{
    char digits[24];
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    int n = 0;
    do {
        digits[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u > 0 || n <= (int)decimals);
    int first = 0; /* first significant fractional digit from the right */
    while (first < (int)decimals && digits[first] == '0')
        first++;
    char *p = out;
    if (v < 0)
        *p++ = '-';
    for (int i = n - 1; i >= (int)decimals; i--)
        *p++ = digits[i];
    if (first < (int)decimals) {
        *p++ = '.';
        for (int i = (int)decimals - 1; i >= first; i--)
            *p++ = digits[i];
    }
    *p = '\0';
}

cJSON *api_j_fixed_node(int64_t v, unsigned decimals)
{
    char text[32];
    format_fixed(v, decimals, text);
    return cJSON_CreateRaw(text);
}

void api_j_fixed(cJSON *o, const char *key, int64_t v, unsigned decimals)
{
    api_j_item(o, key, api_j_fixed_node(v, decimals));
}

void api_j_int(cJSON *o, const char *key, int64_t v)
{
    api_j_fixed(o, key, v, 0);
}

void api_j_e6(cJSON *o, const char *key, int64_t v)
{
    api_j_fixed(o, key, v, 6);
}

void api_j_tenths(cJSON *o, const char *key, int64_t v)
{
    api_j_fixed(o, key, v, 1);
}

void api_j_num(cJSON *o, const char *key, double v)
{
    if (isfinite(v) && v == floor(v) && fabs(v) < 1e15)
        api_j_int(o, key, (int64_t)v);
    else
        api_j_item(o, key, cJSON_CreateNumber(v));
}

cJSON *api_j_time_node(int64_t t)
{
    char text[FW_TIME_TEXT_MAX];
    return t > 0 ? cJSON_CreateString(fw_china_time_text(t, text)) : cJSON_CreateNull();
}

void api_j_time(cJSON *o, const char *key, int64_t t)
{
    api_j_item(o, key, api_j_time_node(t));
}
