/* test_options.c - the option engine (options.h): every kind with its bounds or choices,
 * defaults, unknown and retired names, config files (comments, bad lines named path:line),
 * command-line flags in every form, names shared by two groups, --help and --version.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fw/base/options.h"
#include "test_util.h"

typedef enum { COLOUR_RED, COLOUR_GREEN, COLOUR_BLUE } colour;

typedef struct {
    char name[8];
    unsigned count;
    uint8_t small;
    uint16_t medium;
    uint64_t big;
    double ratio;
    bool enabled;
    bool verbose;
    colour hue;
    char mode[8];
    int even; /* custom: an even number */
} sample;

static const char *const colour_names[] = {"red", "green", "blue", NULL};
static const char *const mode_names[] = {"fast", "safe", NULL};

static int parse_even(void *field, const char *text)
{
    char *end;
    long v = strtol(text, &end, 10);
    if (end == text || *end || v % 2)
        return -1;
    *(int *)field = (int)v;
    return 0;
}

static const fw_option sample_rows[] = {
    FW_OPT_STR_ROW(sample, name, "anon", "a short name"),
    FW_OPT_UINT_ROW(sample, count, 1, 100, "10", "how many"),
    FW_OPT_UINT_ROW(sample, small, 0, 255, "7", "one byte"),
    FW_OPT_UINT_ROW(sample, medium, 0, 65535, "300", "two bytes"),
    FW_OPT_UINT_ROW(sample, big, 0, 1e15, "5000000000", "eight bytes"),
    {.name = "ratio",
     .kind = FW_OPT_DOUBLE,
     FW_OPT_FIELD(sample, ratio),
     .min = 0.5,
     .max = 2,
     .def = "1.5",
     .help = "a ratio"},
    FW_OPT_BOOL_ROW(sample, enabled, "true", "on or off"),
    {.name = "verbose",
     .short_name = 'v',
     .kind = FW_OPT_SWITCH,
     FW_OPT_FIELD(sample, verbose),
     .help = "say more"},
    FW_OPT_CHOICE_ROW(sample, hue, colour_names, "green", "a colour"),
    FW_OPT_WORD_ROW(sample, mode, mode_names, "safe", "how to run"),
    {.name = "even",
     .short_name = 'e',
     .kind = FW_OPT_CUSTOM,
     FW_OPT_FIELD(sample, even),
     .parse = parse_even,
     .def = "2",
     .arg = "EVEN",
     .help = "an even number"},
    FW_OPT_RETIRED_ROW(secret, "use name instead"),
};
static const fw_opt_table sample_table = FW_OPT_TABLE(sample_rows);

/* A second part sharing `count` and owning `other`. */
typedef struct {
    unsigned count;
    unsigned other;
} second;

static const fw_option second_rows[] = {
    FW_OPT_UINT_ROW(second, count, 0, 50, "20", "how many, seen by the second part too"),
    FW_OPT_UINT_ROW(second, other, 0, 9, "0", "the second part's own"),
};
static const fw_opt_table second_table = FW_OPT_TABLE(second_rows);

static char err[512];

static int set(sample *s, const char *name, const char *value)
{
    return fw_opt_set(&sample_table, s, name, value, err, sizeof err);
}

static void defaults_come_from_the_rows(void **state)
{
    (void)state;
    sample s;
    memset(&s, 0, sizeof s);
    assert_int_equal(fw_opt_defaults(&sample_table, &s), 0);
    assert_string_equal(s.name, "anon");
    assert_int_equal(s.count, 10);
    assert_int_equal(s.small, 7);
    assert_int_equal(s.medium, 300);
    assert_true(s.big == 5000000000ull);
    assert_true(s.ratio == 1.5);
    assert_true(s.enabled);
    assert_false(s.verbose);
    assert_int_equal(s.hue, COLOUR_GREEN);
    assert_string_equal(s.mode, "safe");
    assert_int_equal(s.even, 2);

    /* a default its own row refuses is reported */
    static const fw_option bad_rows[] = {FW_OPT_UINT_ROW(second, other, 0, 9, "10", "too big")};
    const fw_opt_table bad = FW_OPT_TABLE(bad_rows);
    second t;
    assert_int_equal(fw_opt_defaults(&bad, &t), -1);
    /* so is a field of another size than its kind writes (a choice is an int) */
    static const fw_option small_rows[] = {
        FW_OPT_CHOICE_ROW(sample, small, colour_names, "red", "a byte is not an int")};
    const fw_opt_table small = FW_OPT_TABLE(small_rows);
    s.small = 9;
    assert_int_equal(fw_opt_defaults(&small, &s), -1);
    assert_int_equal(s.small, 9);
}

static void numbers_keep_to_their_bounds(void **state)
{
    (void)state;
    sample s;
    fw_opt_defaults(&sample_table, &s);
    assert_int_equal(set(&s, "count", "100"), 0);
    assert_int_equal(s.count, 100);
    assert_int_equal(set(&s, "count", "101"), -1);
    assert_string_equal(err, "count: '101' is not a whole number in 1..100");
    assert_int_equal(set(&s, "count", "0"), -1);
    assert_int_equal(set(&s, "count", "-1"), -1);
    assert_int_equal(set(&s, "count", "12x"), -1);
    assert_int_equal(set(&s, "count", ""), -1);
    assert_int_equal(set(&s, "count", " 5"), -1);
    assert_int_equal(s.count, 100); /* refused values leave the field alone */
    assert_int_equal(set(&s, "small", "255"), 0);
    assert_int_equal(s.small, 255);
    assert_int_equal(set(&s, "small", "256"), -1);
    assert_int_equal(set(&s, "medium", "65535"), 0);
    assert_int_equal(s.medium, 65535);
    assert_int_equal(set(&s, "big", "1000000000000000"), 0);
    assert_true(s.big == 1000000000000000ull);
    assert_int_equal(set(&s, "big", "99999999999999999999999"), -1); /* overflow */
    assert_int_equal(set(&s, "ratio", "0.5"), 0);
    assert_true(s.ratio == 0.5);
    assert_int_equal(set(&s, "ratio", "2.01"), -1);
    assert_non_null(strstr(err, "ratio: '2.01' is not a number in 0.5..2"));
    assert_int_equal(set(&s, "ratio", "nan"), -1);
    assert_int_equal(set(&s, "ratio", "1x"), -1);
    assert_true(s.ratio == 0.5);
}

static void text_bools_choices_and_custom(void **state)
{
    (void)state;
    sample s;
    fw_opt_defaults(&sample_table, &s);
    assert_int_equal(set(&s, "name", "1234567"), 0);
    assert_string_equal(s.name, "1234567");
    assert_int_equal(set(&s, "name", "12345678"), -1); /* 8 bytes do not fit char[8] */
    assert_non_null(strstr(err, "at most 7 bytes"));
    assert_int_equal(set(&s, "name", ""), 0);
    assert_string_equal(s.name, "");

    const char *yes[] = {"true", "yes", "on", "1"}, *no[] = {"false", "no", "off", "0"};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(set(&s, "enabled", no[i]), 0);
        assert_false(s.enabled);
        assert_int_equal(set(&s, "enabled", yes[i]), 0);
        assert_true(s.enabled);
    }
    assert_int_equal(set(&s, "enabled", "maybe"), -1);
    assert_non_null(strstr(err, "enabled: 'maybe' is not true or false"));
    assert_int_equal(set(&s, "verbose", "yes"), 0);
    assert_true(s.verbose);

    assert_int_equal(set(&s, "hue", "blue"), 0);
    assert_int_equal(s.hue, COLOUR_BLUE);
    assert_int_equal(set(&s, "hue", "purple"), -1);
    assert_string_equal(err, "hue: 'purple' is not one of red, green, blue");
    assert_int_equal(set(&s, "hue", "Blue"), -1);
    assert_int_equal(s.hue, COLOUR_BLUE);
    assert_int_equal(set(&s, "mode", "fast"), 0);
    assert_string_equal(s.mode, "fast");
    assert_int_equal(set(&s, "mode", "fas"), -1); /* a prefix is not a choice */
    assert_string_equal(err, "mode: 'fas' is not one of fast, safe");
    assert_string_equal(s.mode, "fast");

    assert_int_equal(set(&s, "even", "8"), 0);
    assert_int_equal(s.even, 8);
    assert_int_equal(set(&s, "even", "7"), -1);
    assert_string_equal(err, "even: '7' is not EVEN");
}

static void unknown_and_retired_names(void **state)
{
    (void)state;
    sample s;
    fw_opt_defaults(&sample_table, &s);
    assert_int_equal(set(&s, "colour", "red"), 1);
    assert_non_null(strstr(err, "unknown option 'colour'"));
    assert_int_equal(set(&s, "secret", "x"), -1);
    assert_string_equal(err, "option 'secret' was removed: use name instead");
    assert_non_null(fw_opt_find(&sample_table, "secret"));
    assert_null(fw_opt_find(&sample_table, "colour"));
}

/* A program of the two parts; counts the options set through on_set. */
typedef struct {
    sample s;
    second t;
    int seen;
    fw_opt_group groups[2];
    fw_opt_program program;
} fixture;

static void count_set(void *ctx, const char *name, const char *value)
{
    (void)name;
    (void)value;
    ((fixture *)ctx)->seen++;
}

static void fixture_init(fixture *f, bool config_file)
{
    memset(f, 0, sizeof *f);
    fw_opt_defaults(&sample_table, &f->s);
    fw_opt_defaults(&second_table, &f->t);
    f->groups[0] = (fw_opt_group){"Sample", &sample_table, &f->s};
    f->groups[1] = (fw_opt_group){"Second", &second_table, &f->t};
    f->program = (fw_opt_program){.name = "fw-test",
                                  .synopsis = "usage: fw-test [options]\n",
                                  .epilogue = "The end.\n",
                                  .config_file = config_file,
                                  .groups = f->groups,
                                  .n_groups = 2,
                                  .on_set = count_set,
                                  .on_set_ctx = f};
}

static void shared_names_reach_every_owner(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f, false);
    assert_int_equal(fw_opt_program_set(&f.program, "count", "30", err, sizeof err), 0);
    assert_int_equal(f.s.count, 30);
    assert_int_equal(f.t.count, 30);
    /* each owner keeps its own bounds: 60 fits the first (1..100), not the second (0..50) */
    assert_int_equal(fw_opt_program_set(&f.program, "count", "60", err, sizeof err), -1);
    assert_string_equal(err, "count: '60' is not a whole number in 0..50");
    assert_int_equal(fw_opt_program_set(&f.program, "other", "4", err, sizeof err), 0);
    assert_int_equal(f.t.other, 4);
    assert_int_equal(fw_opt_program_set(&f.program, "nothing", "4", err, sizeof err), -1);
    assert_string_equal(err, "unknown option 'nothing' (see --help)");
    assert_int_equal(f.seen, 2);
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void files_skip_comments_and_name_bad_lines(void **state)
{
    (void)state;
    char path[] = "/tmp/fw_options_test_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    fixture f;
    fixture_init(&f, true);
    write_file(path, "# a comment\n\n  name = file   # trailing comment\ncount=40\n"
                     "\thue = red\nother = 3\n");
    assert_int_equal(fw_opt_load_file(&f.program, path, err, sizeof err), 0);
    assert_string_equal(f.s.name, "file");
    assert_int_equal(f.s.count, 40);
    assert_int_equal(f.t.count, 40);
    assert_int_equal(f.s.hue, COLOUR_RED);
    assert_int_equal(f.t.other, 3);

    char want[600];
    write_file(path, "count = 5\nthis line is wrong\n");
    assert_int_equal(fw_opt_load_file(&f.program, path, err, sizeof err), -1);
    snprintf(want, sizeof want, "%s:2: expected 'key = value'", path);
    assert_string_equal(err, want);
    write_file(path, "# bounds\ncount = 5\ncount = 500\n");
    assert_int_equal(fw_opt_load_file(&f.program, path, err, sizeof err), -1);
    snprintf(want, sizeof want, "%s:3: count: '500' is not a whole number in", path);
    assert_non_null(strstr(err, want));
    write_file(path, "secret = x\n");
    assert_int_equal(fw_opt_load_file(&f.program, path, err, sizeof err), -1);
    snprintf(want, sizeof want, "%s:1: option 'secret' was removed: use name instead", path);
    assert_string_equal(err, want);
    write_file(path, "colour = red\n");
    assert_int_equal(fw_opt_load_file(&f.program, path, err, sizeof err), -1);
    assert_non_null(strstr(err, ":1: unknown option 'colour'"));
    unlink(path);
    assert_int_equal(fw_opt_load_file(&f.program, path, err, sizeof err), -1);
    assert_non_null(strstr(err, "No such file"));
}

static int parse(fixture *f, int argc, char **argv, int *first)
{
    return fw_opt_parse_args(&f->program, argc, argv, first, err, sizeof err);
}

static void flags_in_every_form(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f, false);
    char *argv[] = {"fw-test", "--count=12",   "--name", "flag", "-v", "--hue",          "blue",
                    "-e4",     "--enabled=no", "-e",     "6",    "--", "--not-an-option"};
    int first = 0;
    assert_int_equal(parse(&f, 13, argv, &first), 0);
    assert_int_equal(f.s.count, 12);
    assert_string_equal(f.s.name, "flag");
    assert_true(f.s.verbose);
    assert_int_equal(f.s.hue, COLOUR_BLUE);
    assert_false(f.s.enabled);
    assert_int_equal(f.s.even, 6);
    assert_int_equal(first, 12); /* after "--" */

    char *positional[] = {"fw-test", "--verbose", "frame1", "--count=3"};
    assert_int_equal(parse(&f, 4, positional, &first), 0);
    assert_int_equal(first, 2); /* options end at the first argument */
    assert_int_equal(parse(&f, 4, positional, NULL), -1);
    assert_string_equal(err, "unexpected argument 'frame1' (see --help)");

    char *needs[] = {"fw-test", "--count"};
    assert_int_equal(parse(&f, 2, needs, NULL), -1);
    assert_string_equal(err, "--count needs a value");
    char *unknown[] = {"fw-test", "--colour=red"};
    assert_int_equal(parse(&f, 2, unknown, NULL), -1);
    assert_string_equal(err, "unknown option 'colour' (see --help)");
    char *short_unknown[] = {"fw-test", "-x"};
    assert_int_equal(parse(&f, 2, short_unknown, NULL), -1);
    assert_string_equal(err, "unknown option '-x' (see --help)");
    char *retired[] = {"fw-test", "--secret", "x"};
    assert_int_equal(parse(&f, 3, retired, NULL), -1);
    assert_string_equal(err, "option 'secret' was removed: use name instead");
    char *retired_bare[] = {"fw-test", "--secret"};
    assert_int_equal(parse(&f, 2, retired_bare, NULL), -1);
    assert_string_equal(err, "option 'secret' was removed: use name instead");
    char *bad[] = {"fw-test", "--count", "0"};
    assert_int_equal(parse(&f, 3, bad, NULL), -1);
    assert_string_equal(err, "count: '0' is not a whole number in 1..100");
}

static void config_flag_loads_the_file_and_later_flags_win(void **state)
{
    (void)state;
    char path[] = "/tmp/fw_options_test_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    write_file(path, "count = 40\nname = file\n");
    fixture f;
    fixture_init(&f, true);
    char *argv[] = {"fw-test", "--count=5", "-c", path, "--name", "flag"};
    assert_int_equal(parse(&f, 6, argv, NULL), 0);
    assert_int_equal(f.s.count, 40);
    assert_string_equal(f.s.name, "flag");
    char eq[64];
    snprintf(eq, sizeof eq, "--config=%s", path);
    char *argv2[] = {"fw-test", eq, "--count=7"};
    assert_int_equal(parse(&f, 3, argv2, NULL), 0);
    assert_int_equal(f.s.count, 7);
    char *missing[] = {"fw-test", "-c"};
    assert_int_equal(parse(&f, 2, missing, NULL), -1);
    assert_string_equal(err, "-c needs a file");
    unlink(path);

    fixture g; /* a program without config files does not know -c */
    fixture_init(&g, false);
    char *argv3[] = {"fw-test", "-c", "x"};
    assert_int_equal(parse(&g, 3, argv3, NULL), -1);
    assert_string_equal(err, "unknown option '-c' (see --help)");
}

/* What fn printed, into *text (the caller frees it). */
static void printed(void (*fn)(const fw_opt_program *, FILE *), const fw_opt_program *p,
                    char **text)
{
    size_t len = 0;
    FILE *out = open_memstream(text, &len);
    assert_non_null(out);
    fn(p, out);
    fclose(out);
}

static void help_lists_every_option_once(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f, true);
    char *help = NULL;
    printed(fw_opt_print_help, &f.program, &help);
    assert_true(strncmp(help, "usage: fw-test [options]\n", 25) == 0);
    assert_non_null(strstr(help, "-c, --config FILE"));
    assert_non_null(strstr(help, "--version"));
    assert_non_null(strstr(help, "\nSample:\n"));
    assert_non_null(strstr(help, "\nSecond:\n"));
    for (size_t i = 0; i < sample_table.count; i++) {
        char flag[64];
        snprintf(flag, sizeof flag, "--%s", sample_rows[i].name);
        if (sample_rows[i].kind == FW_OPT_RETIRED)
            assert_null(strstr(help, flag));
        else
            assert_non_null(strstr(help, flag));
    }
    assert_non_null(strstr(help, "--other N"));
    assert_non_null(strstr(help, "  -v, --verbose"));
    assert_non_null(strstr(help, "--hue red|green|blue"));
    assert_non_null(strstr(help, "--even EVEN"));
    assert_non_null(strstr(help, "how many (default 10; 1..100)"));
    assert_non_null(strstr(help, "a ratio (default 1.5; 0.5..2)"));
    assert_non_null(strstr(help, "(default anon)"));
    /* count is shown under Sample only */
    const char *first = strstr(help, "--count");
    assert_null(strstr(first + 1, "--count"));
    assert_true(strlen(help) > 0 && strstr(help, "The end.\n") == help + strlen(help) - 9);
    free(help);

    char *version = NULL;
    printed(fw_opt_print_version, &f.program, &version);
    assert_string_equal(version, "fw-test " FW_TEST_VERSION "\n");
    free(version);
}

static void help_and_version_flags_stop_parsing(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f, true);
    int saved = tu_silence_stdout();
    assert_true(saved >= 0);
    char *help[] = {"fw-test", "--count=3", "-h", "--count=bad"};
    char *help_long[] = {"fw-test", "--help"};
    char *version[] = {"fw-test", "--version"};
    int rc_help = parse(&f, 4, help, NULL), rc_long = parse(&f, 2, help_long, NULL),
        rc_version = parse(&f, 2, version, NULL);
    tu_restore_stdout(saved);
    assert_int_equal(rc_help, 1);
    assert_int_equal(rc_long, 1);
    assert_int_equal(rc_version, 1);
    assert_int_equal(f.s.count, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_come_from_the_rows),
        cmocka_unit_test(numbers_keep_to_their_bounds),
        cmocka_unit_test(text_bools_choices_and_custom),
        cmocka_unit_test(unknown_and_retired_names),
        cmocka_unit_test(shared_names_reach_every_owner),
        cmocka_unit_test(files_skip_comments_and_name_bad_lines),
        cmocka_unit_test(flags_in_every_form),
        cmocka_unit_test(config_flag_loads_the_file_and_later_flags_win),
        cmocka_unit_test(help_lists_every_option_once),
        cmocka_unit_test(help_and_version_flags_stop_parsing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
