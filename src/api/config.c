/* config.c - the API's options (FW_API_OPTION_LIST in api.h): defaults, setting one by name
 * with bounds checking, and the --help listing. The table in the header is the only place an
 * option is named, so these three cannot disagree.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw/api/api.h"

typedef struct {
    const char *name;
    char kind; /* 'S' string, 'U' unsigned */
    size_t offset;
    const char *def_text;
    unsigned long min, max;
    const char *help;
} api_option;

#define API_DEF_TEXT_S(def) def
#define API_DEF_TEXT_U(def) #def
#define API_OPTION_ROW(kind, name, def, min, max, help)                                            \
    {#name, #kind[0], offsetof(fw_api_config, name), API_DEF_TEXT_##kind(def), min, max, help},

static const api_option options[] = {FW_API_OPTION_LIST(API_OPTION_ROW)};
#define N_OPTIONS (sizeof options / sizeof options[0])

static const api_option *find_option(const char *key)
{
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (strcmp(options[i].name, key) == 0)
            return &options[i];
    return NULL;
}

static int set_option(fw_api_config *c, const api_option *o, const char *value, char *err,
                      size_t errcap)
{
    char *field = (char *)c + o->offset;
    if (o->kind == 'S') {
        if (strlen(value) >= FW_API_STR_MAX) {
            snprintf(err, errcap, "%s: value longer than %d bytes", o->name, FW_API_STR_MAX - 1);
            return -1;
        }
        strcpy(field, value);
        return 0;
    }
    char *end = NULL;
    errno = 0;
    unsigned long v = strtoul(value, &end, 10);
    if (value[0] < '0' || value[0] > '9' || *end != '\0' || errno != 0 || v < o->min ||
        v > o->max) {
        snprintf(err, errcap, "%s: expected a whole number in %lu..%lu, got \"%s\"", o->name,
                 o->min, o->max, value);
        return -1;
    }
    *(unsigned *)(void *)field = (unsigned)v;
    return 0;
}

void fw_api_config_defaults(fw_api_config *c)
{
    char err[128];
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < N_OPTIONS; i++)
        (void)set_option(c, &options[i], options[i].def_text, err, sizeof err);
}

int fw_api_config_set(fw_api_config *c, const char *key, const char *value, char *err,
                      size_t errcap)
{
    const api_option *o = find_option(key);
    if (o == NULL)
        return 1;
    return set_option(c, o, value, err, errcap);
}

void fw_api_config_usage(FILE *out)
{
    for (size_t i = 0; i < N_OPTIONS; i++)
        fprintf(out, "  %-22s %s (default \"%s\")\n", options[i].name, options[i].help,
                options[i].def_text);
}
