/* options_help.c - --help and --version of every program, generated from the option tables
 * (options.h): one block per group, each option with what it takes, its help, its default and
 * what values it allows, wrapped to 100 columns; a name owned by several groups is shown once.
 */
#include <stdbool.h>
#include <string.h>

#include "fw/base/options.h"
#include "options_internal.h"

#ifndef FW_VERSION
#error "FW_VERSION (the CMake project version) must be defined when building the base layer"
#endif

#define HELP_COLUMNS 100
#define HELP_INDENT  32

void fw_opt_allowed(const fw_option *o, char *out, size_t cap)
{
    size_t n = 0;
    switch (o->kind) {
    case FW_OPT_UINT:
        snprintf(out, cap, "a whole number in %.0f..%.0f", o->min, o->max);
        return;
    case FW_OPT_DOUBLE:
        snprintf(out, cap, "a number in %.15g..%.15g", o->min, o->max);
        return;
    case FW_OPT_BOOL:
    case FW_OPT_SWITCH:
        snprintf(out, cap, "true or false (yes/no, on/off, 1/0)");
        return;
    case FW_OPT_STR:
        snprintf(out, cap, "text of at most %zu bytes", o->size - 1);
        return;
    case FW_OPT_CHOICE:
    case FW_OPT_WORD:
        n = (size_t)snprintf(out, cap, "one of");
        for (int i = 0; o->choices[i] && n < cap; i++)
            n += (size_t)snprintf(out + n, cap - n, "%s %s", i ? "," : "", o->choices[i]);
        return;
    case FW_OPT_CUSTOM:
    case FW_OPT_RETIRED:
        break;
    }
    snprintf(out, cap, "%s", o->arg ? o->arg : "allowed");
}

/* What the flag's value looks like into out: the row's arg, the choices, else by kind. */
static void metavar(const fw_option *o, char *out, size_t cap)
{
    static const char *const by_kind[] = {
        [FW_OPT_STR] = "TEXT",  [FW_OPT_UINT] = "N",       [FW_OPT_DOUBLE] = "NUM",
        [FW_OPT_BOOL] = "BOOL", [FW_OPT_SWITCH] = "",      [FW_OPT_CHOICE] = "",
        [FW_OPT_WORD] = "",     [FW_OPT_CUSTOM] = "VALUE", [FW_OPT_RETIRED] = ""};
    size_t n = (size_t)snprintf(out, cap, "%s", o->arg ? o->arg : by_kind[o->kind]);
    if (o->arg || (o->kind != FW_OPT_CHOICE && o->kind != FW_OPT_WORD))
        return;
    for (int i = 0; o->choices[i] && n < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? "|" : "", o->choices[i]);
}

/* Print text from column col on, wrapped at HELP_COLUMNS, continuation lines at HELP_INDENT. */
static void wrap(FILE *out, const char *text, size_t col)
{
    while (*text) {
        size_t word = strcspn(text, " ");
        if (col > HELP_INDENT && col + 1 + word > HELP_COLUMNS) {
            fprintf(out, "\n%*s", HELP_INDENT, "");
            col = HELP_INDENT;
        } else if (col > HELP_INDENT) {
            fputc(' ', out);
            col++;
        }
        fwrite(text, 1, word, out);
        col += word;
        text += word;
        text += strspn(text, " ");
    }
    fputc('\n', out);
}

/* The help text of o with its default and bounds: "... (default 180; 1..86400)". */
static void describe(const fw_option *o, char *out, size_t cap)
{
    size_t n = (size_t)snprintf(out, cap, "%s", o->help);
    bool bounded = o->kind == FW_OPT_UINT || o->kind == FW_OPT_DOUBLE;
    if (n < cap && (o->def || bounded))
        n += (size_t)snprintf(out + n, cap - n, " (");
    if (n < cap && o->def)
        n += (size_t)snprintf(out + n, cap - n, "default %s%s", *o->def ? o->def : "empty",
                              bounded ? "; " : "");
    if (n < cap && bounded)
        n += (size_t)snprintf(out + n, cap - n, "%.15g..%.15g", o->min, o->max);
    if (n < cap && (o->def || bounded))
        snprintf(out + n, cap - n, ")");
}

static void print_option(FILE *out, const fw_option *o)
{
    char mv[FW_OPT_ALLOWED_MAX], text[1024];
    metavar(o, mv, sizeof mv);
    describe(o, text, sizeof text);
    int n = fprintf(out, "  %c%c%s--%s%s%s", o->short_name ? '-' : ' ',
                    o->short_name ? o->short_name : ' ', o->short_name ? ", " : "  ", o->name,
                    *mv ? " " : "", mv);
    if (n >= HELP_INDENT - 1)
        fprintf(out, "\n%*s", HELP_INDENT, "");
    else
        fprintf(out, "%*s", HELP_INDENT - n, "");
    wrap(out, text, HELP_INDENT);
}

/* True when a group before g already shows the name. */
static bool shown_before(const fw_opt_program *p, size_t g, const char *name)
{
    for (size_t e = 0; e < g; e++)
        if (fw_opt_find(p->groups[e].table, name))
            return true;
    return false;
}

void fw_opt_print_help(const fw_opt_program *p, FILE *out)
{
    fputs(p->synopsis, out);
    fputs("\n", out);
    if (p->config_file)
        fputs("  -c, --config FILE             read options from FILE (`name = value` lines,\n"
              "                                # comments); flags after it override the file\n",
              out);
    fputs("  -h, --help                    this text\n"
          "      --version                 the program's version\n",
          out);
    for (size_t g = 0; g < p->n_groups; g++) {
        const fw_opt_table *t = p->groups[g].table;
        fprintf(out, "\n%s:\n", p->groups[g].title);
        for (size_t i = 0; i < t->count; i++)
            if (t->opts[i].kind != FW_OPT_RETIRED && !shown_before(p, g, t->opts[i].name))
                print_option(out, &t->opts[i]);
    }
    if (p->epilogue) {
        fputs("\n", out);
        fputs(p->epilogue, out);
    }
}

void fw_opt_print_version(const fw_opt_program *p, FILE *out)
{
    fprintf(out, "%s %s\n", p->name, FW_VERSION);
}
