/* options.h - the one option engine of every fleetwatch program: defaults, `name = value`
 * config files (-c FILE), command-line flags (--name=value, --name value, -x value), retired
 * names, --help generated from the tables and --version.
 *
 * Each part describes its options once, as a table of fw_option rows next to its code (like
 * Redis's standardConfig): name, kind, where the value lives in the part's own struct (offset
 * and size), bounds or allowed values, default (as text, parsed like any other value) and help.
 * A program composes the tables it needs into an fw_opt_program, one group per part, each
 * group bound to the struct it fills; a name owned by several groups (redis_* in the store and
 * the API) is set in all of them and shown once in --help.
 *
 * Nothing here allocates: tables are const, values are copied into the caller's structs. Error
 * texts name the option, the value refused and what is allowed.
 */
#ifndef FW_BASE_OPTIONS_H
#define FW_BASE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum {
    FW_OPT_STR,     /* char[size]: at most size - 1 bytes */
    FW_OPT_UINT,    /* unsigned integer of 1, 2, 4 or 8 bytes, decimal, within [min, max] */
    FW_OPT_DOUBLE,  /* double within [min, max] */
    FW_OPT_BOOL,    /* bool: true/yes/on/1 or false/no/off/0; a flag always takes a value */
    FW_OPT_SWITCH,  /* bool: the bare flag --name means true (--name=false allowed) */
    FW_OPT_CHOICE,  /* int (an enum): the index of the value in choices */
    FW_OPT_WORD,    /* char[size]: one of choices, kept as text */
    FW_OPT_CUSTOM,  /* parse(field, text) decides; arg names what it expects */
    FW_OPT_RETIRED, /* refused; help says what replaced it; not listed in --help */
} fw_opt_kind;

typedef struct {
    const char *name; /* as written in files and after -- */
    char short_name;  /* -x on the command line, 0 = none */
    fw_opt_kind kind;
    size_t offset;              /* of the field in the owner's struct */
    size_t size;                /* of the field (bytes) */
    double min, max;            /* FW_OPT_UINT and FW_OPT_DOUBLE bounds, inclusive */
    const char *const *choices; /* FW_OPT_CHOICE / FW_OPT_WORD, NULL-terminated */
    int (*parse)(void *field, const char *text); /* FW_OPT_CUSTOM: 0, or -1 when refused */
    const char *def;  /* default as text; NULL: left as the owner's code set it */
    const char *arg;  /* what the value looks like in --help ("HOST:PORT"); NULL: by kind */
    const char *help; /* one sentence; FW_OPT_RETIRED: why, and what replaced it */
} fw_option;

/* A part's options: its rows and how many. */
typedef struct {
    const fw_option *opts;
    size_t count;
} fw_opt_table;

/* Row builders for a field `m` of struct type `T`. */
#define FW_OPT_FIELD(T, m) .offset = offsetof(T, m), .size = sizeof(((T *)0)->m)
#define FW_OPT_STR_ROW(T, m, dflt, text)                                                           \
    {                                                                                              \
        .name = #m, .kind = FW_OPT_STR, FW_OPT_FIELD(T, m), .def = dflt, .help = text              \
    }
#define FW_OPT_UINT_ROW(T, m, lo, hi, dflt, text)                                                  \
    {                                                                                              \
        .name = #m, .kind = FW_OPT_UINT, FW_OPT_FIELD(T, m), .min = lo, .max = hi, .def = dflt,    \
        .help = text                                                                               \
    }
#define FW_OPT_BOOL_ROW(T, m, dflt, text)                                                          \
    {                                                                                              \
        .name = #m, .kind = FW_OPT_BOOL, FW_OPT_FIELD(T, m), .def = dflt, .help = text             \
    }
#define FW_OPT_CHOICE_ROW(T, m, names, dflt, text)                                                 \
    {                                                                                              \
        .name = #m, .kind = FW_OPT_CHOICE, FW_OPT_FIELD(T, m), .choices = names, .def = dflt,      \
        .help = text                                                                               \
    }
#define FW_OPT_WORD_ROW(T, m, names, dflt, text)                                                   \
    {                                                                                              \
        .name = #m, .kind = FW_OPT_WORD, FW_OPT_FIELD(T, m), .choices = names, .def = dflt,        \
        .help = text                                                                               \
    }
#define FW_OPT_RETIRED_ROW(old_name, why)                                                          \
    {                                                                                              \
        .name = #old_name, .kind = FW_OPT_RETIRED, .help = why                                     \
    }
#define FW_OPT_TABLE(rows)                                                                         \
    {                                                                                              \
        rows, sizeof rows / sizeof rows[0]                                                         \
    }

/* The row called name (retired ones included), or NULL. */
const fw_option *fw_opt_find(const fw_opt_table *t, const char *name);

/* Set every option that has a default from its default text. 0, or -1 when a default is
 * refused by its own row (a table bug: tests call this and check). */
int fw_opt_defaults(const fw_opt_table *t, void *obj);

/* Set option name of obj from text. 0 set; 1 not an option of this table ("unknown option"
 * in err); -1 refused: a bad value, or a retired name (err names it and its replacement). */
int fw_opt_set(const fw_opt_table *t, void *obj, const char *name, const char *value, char *err,
               size_t errcap);

/* One part of a program: a heading for --help, its table and the struct it fills. */
typedef struct {
    const char *title;
    const fw_opt_table *table;
    void *obj;
} fw_opt_group;

/* A program's options. The texts are printed as they are (end them with a newline). */
typedef struct {
    const char *name;     /* "fleetwatch-api": --version and messages */
    const char *synopsis; /* usage line(s) and what the program does, before the options */
    const char *epilogue; /* after the options (signals, examples); NULL = none */
    bool config_file;     /* accepts -c FILE / --config FILE */
    const fw_opt_group *groups;
    size_t n_groups;
    /* Called after each option set from a file or the command line; NULL = none. */
    void (*on_set)(void *ctx, const char *name, const char *value);
    void *on_set_ctx;
} fw_opt_program;

/* Set name in every group that owns it. 0, or -1 with a reason in err (unknown name, retired
 * name, bad value). */
int fw_opt_program_set(const fw_opt_program *p, const char *name, const char *value, char *err,
                       size_t errcap);

/* Read a `name = value` file (fw_conf_file_load: # comments, blank lines) into p's groups.
 * 0, or -1 with "path:line: reason" (or "path: strerror") in err. */
int fw_opt_load_file(const fw_opt_program *p, const char *path, char *err, size_t errcap);

/* Parse argv: -c/--config FILE (if p->config_file; later flags override it), --name=value,
 * --name value, -x value, -xvalue, bare switches, "--" to end the options; -h/--help and
 * --version print to stdout. Options end at the first argument not starting with '-': its
 * index goes to *first_arg, or, with first_arg NULL, such an argument is an error.
 * Returns 0 to run, 1 when help or version was printed (exit 0), -1 with a reason in err. */
int fw_opt_parse_args(const fw_opt_program *p, int argc, char **argv, int *first_arg, char *err,
                      size_t errcap);

/* The --help text: synopsis, the generic flags, each group's options with their defaults and
 * bounds (a name shown once), epilogue. */
void fw_opt_print_help(const fw_opt_program *p, FILE *out);

/* "name VERSION\n" - the CMake project version. */
void fw_opt_print_version(const fw_opt_program *p, FILE *out);

#endif
