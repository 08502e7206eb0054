/* options.c - option values (options.h): reading one value as text into its field by the
 * row's kind and bounds, defaults, routing a name to every group that owns it, and config
 * files (their line reading is fw_conf_file_load in conffile.c).
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fw/base/conffile.h"
#include "fw/base/options.h"
#include "options_internal.h"

const fw_option *fw_opt_find(const fw_opt_table *t, const char *name)
{
    for (size_t i = 0; i < t->count; i++)
        if (strcmp(t->opts[i].name, name) == 0)
            return &t->opts[i];
    return NULL;
}

static int parse_uint(const fw_option *o, void *field, const char *text)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (text[0] < '0' || text[0] > '9' || *end || errno || (double)v < o->min || (double)v > o->max)
        return -1;
    switch (o->size) {
    case 1:
        *(uint8_t *)field = (uint8_t)v;
        return 0;
    case 2:
        *(uint16_t *)field = (uint16_t)v;
        return 0;
    case 4:
        *(uint32_t *)field = (uint32_t)v;
        return 0;
    case 8:
        *(uint64_t *)field = (uint64_t)v;
        return 0;
    }
    return -1;
}

static int parse_double(const fw_option *o, double *field, const char *text)
{
    char *end;
    double v = strtod(text, &end);
    if (end == text || *end || isnan(v) || v < o->min || v > o->max)
        return -1;
    *field = v;
    return 0;
}

static int parse_bool(bool *field, const char *text)
{
    static const char *const yes[] = {"true", "yes", "on", "1"}, *const no[] = {"false", "no",
                                                                                "off", "0"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (!strcmp(text, yes[i]) || !strcmp(text, no[i])) {
            *field = !strcmp(text, yes[i]);
            return 0;
        }
    return -1;
}

/* The index of text among choices, or -1. */
static int choice_index(const char *const *choices, const char *text)
{
    for (int i = 0; choices[i]; i++)
        if (!strcmp(choices[i], text))
            return i;
    return -1;
}

static int parse_text(const fw_option *o, char *field, const char *text)
{
    if (strlen(text) >= o->size || (o->kind == FW_OPT_WORD && choice_index(o->choices, text) < 0))
        return -1;
    strcpy(field, text);
    return 0;
}

/* False when the row's field is not of the size its kind writes (a table bug). */
static bool size_fits(const fw_option *o)
{
    switch (o->kind) {
    case FW_OPT_DOUBLE:
        return o->size == sizeof(double);
    case FW_OPT_BOOL:
    case FW_OPT_SWITCH:
        return o->size == sizeof(bool);
    case FW_OPT_CHOICE:
        return o->size == sizeof(int);
    default:
        return true;
    }
}

/* Store text in field by o's kind: 0, or -1 when refused. */
static int parse_value(const fw_option *o, void *field, const char *text)
{
    if (!size_fits(o))
        return -1;
    switch (o->kind) {
    case FW_OPT_STR:
    case FW_OPT_WORD:
        return parse_text(o, field, text);
    case FW_OPT_UINT:
        return parse_uint(o, field, text);
    case FW_OPT_DOUBLE:
        return parse_double(o, field, text);
    case FW_OPT_BOOL:
    case FW_OPT_SWITCH:
        return parse_bool(field, text);
    case FW_OPT_CHOICE: {
        int i = choice_index(o->choices, text);
        if (i >= 0)
            *(int *)field = i;
        return i >= 0 ? 0 : -1;
    }
    case FW_OPT_CUSTOM:
        return o->parse(field, text);
    case FW_OPT_RETIRED:
        break;
    }
    return -1;
}

int fw_opt_set(const fw_opt_table *t, void *obj, const char *name, const char *value, char *err,
               size_t errcap)
{
    const fw_option *o = fw_opt_find(t, name);
    if (!o) {
        snprintf(err, errcap, "unknown option '%s'", name);
        return 1;
    }
    if (o->kind == FW_OPT_RETIRED) {
        snprintf(err, errcap, "option '%s' was removed: %s", name, o->help);
        return -1;
    }
    if (parse_value(o, (char *)obj + o->offset, value) == 0)
        return 0;
    char allowed[FW_OPT_ALLOWED_MAX];
    fw_opt_allowed(o, allowed, sizeof allowed);
    snprintf(err, errcap, "%s: '%s' is not %s", name, value, allowed);
    return -1;
}

int fw_opt_defaults(const fw_opt_table *t, void *obj)
{
    char err[FW_OPT_ALLOWED_MAX + 64];
    int rc = 0;
    for (size_t i = 0; i < t->count; i++)
        if (t->opts[i].def && fw_opt_set(t, obj, t->opts[i].name, t->opts[i].def, err, sizeof err))
            rc = -1;
    return rc;
}

int fw_opt_program_set(const fw_opt_program *p, const char *name, const char *value, char *err,
                       size_t errcap)
{
    bool owned = false;
    for (size_t g = 0; g < p->n_groups; g++) {
        int rc = fw_opt_set(p->groups[g].table, p->groups[g].obj, name, value, err, errcap);
        if (rc < 0)
            return -1;
        owned |= rc == 0;
    }
    if (!owned) {
        snprintf(err, errcap, "unknown option '%s' (see --help)", name);
        return -1;
    }
    if (p->on_set)
        p->on_set(p->on_set_ctx, name, value);
    return 0;
}

static int set_from_file(void *ctx, const char *key, const char *value, char *err, size_t errcap)
{
    return fw_opt_program_set(ctx, key, value, err, errcap);
}

int fw_opt_load_file(const fw_opt_program *p, const char *path, char *err, size_t errcap)
{
    return fw_conf_file_load(path, set_from_file, (void *)p, err, errcap);
}
