/* options_args.c - the command line of every program (fw_opt_parse_args in options.h):
 * --name=value, --name value, -x value, -xvalue, bare switches, -c FILE, --help, --version.
 * Each option found goes through fw_opt_program_set, like a line of a config file.
 */
#include <string.h>

#include "fw/base/options.h"

#define NAME_MAX_BYTES 128

/* The row for a long or short name in the first group owning it, or NULL. */
static const fw_option *lookup(const fw_opt_program *p, const char *name, char short_name)
{
    for (size_t g = 0; g < p->n_groups; g++) {
        const fw_opt_table *t = p->groups[g].table;
        for (size_t i = 0; i < t->count; i++)
            if (short_name ? t->opts[i].short_name == short_name
                           : strcmp(t->opts[i].name, name) == 0)
                return &t->opts[i];
    }
    return NULL;
}

/* One argument that starts an option (argv[*i]): its name into name, its value (inline or the
 * next argument, *i advanced) into *value; a bare switch gets "true". 0, or -1 with err. */
static int split(const fw_opt_program *p, int argc, char **argv, int *i, char *name,
                 const char **value, char *err, size_t errcap)
{
    const char *a = argv[*i];
    const fw_option *o;
    *value = NULL;
    if (a[1] == '-') {
        const char *eq = strchr(a + 2, '=');
        size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        snprintf(name, NAME_MAX_BYTES, "%.*s", (int)len, a + 2);
        *value = eq ? eq + 1 : NULL;
        o = lookup(p, name, 0);
    } else {
        o = lookup(p, NULL, a[1]);
        snprintf(name, NAME_MAX_BYTES, "%s", o ? o->name : a + 1);
        *value = a[2] ? a + 2 : NULL;
    }
    if (!o) {
        snprintf(err, errcap, "unknown option '%s%s' (see --help)", a[1] == '-' ? "" : "-", name);
        return -1;
    }
    if (!*value && o->kind == FW_OPT_RETIRED)
        *value = ""; /* fw_opt_program_set says what replaced it */
    else if (!*value && o->kind == FW_OPT_SWITCH)
        *value = "true";
    else if (!*value && *i + 1 < argc)
        *value = argv[++*i];
    else if (!*value) {
        snprintf(err, errcap, "%s needs a value", a);
        return -1;
    }
    return 0;
}

static bool is(const char *arg, const char *short_form, const char *long_form)
{
    return !strcmp(arg, short_form) || !strcmp(arg, long_form);
}

/* -c FILE / --config FILE / --config=FILE: 0 when arg is none of them, 1 loaded, -1 error. */
static int config_flag(const fw_opt_program *p, int argc, char **argv, int *i, char *err,
                       size_t errcap)
{
    const char *a = argv[*i], *path;
    if (!p->config_file)
        return 0;
    if (!strncmp(a, "--config=", 9))
        path = a + 9;
    else if (is(a, "-c", "--config"))
        path = *i + 1 < argc ? argv[++*i] : NULL;
    else
        return 0;
    if (!path) {
        snprintf(err, errcap, "%s needs a file", a);
        return -1;
    }
    return fw_opt_load_file(p, path, err, errcap) == 0 ? 1 : -1;
}

int fw_opt_parse_args(const fw_opt_program *p, int argc, char **argv, int *first_arg, char *err,
                      size_t errcap)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        char name[NAME_MAX_BYTES];
        const char *value;
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        if (is(argv[i], "-h", "--help")) {
            fw_opt_print_help(p, stdout);
            return 1;
        }
        if (!strcmp(argv[i], "--version")) {
            fw_opt_print_version(p, stdout);
            return 1;
        }
        int rc = config_flag(p, argc, argv, &i, err, errcap);
        if (rc < 0)
            return -1;
        if (rc == 0 && (split(p, argc, argv, &i, name, &value, err, errcap) < 0 ||
                        fw_opt_program_set(p, name, value, err, errcap) < 0))
            return -1;
    }
    if (first_arg)
        *first_arg = i;
    else if (i < argc) {
        snprintf(err, errcap, "unexpected argument '%s' (see --help)", argv[i]);
        return -1;
    }
    return 0;
}
