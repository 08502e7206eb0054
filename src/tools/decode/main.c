/* main.c - fleetwatch-decode: decodes JT/T 808 frames into one JSON document per frame.
 *
 * Reads frames as hex (command-line arguments, or one per line on stdin) or a binary capture
 * (--raw FILE), decodes each with the codec (decode_frame.c) and writes JSON lines to stdout.
 * Options and --help come from the option engine (fw/base/options.h).
 * Exit status: 0 when every frame decoded, 1 when any failed (or a capture held no frame),
 * 2 on usage and I/O errors.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "decode_frame.h"
#include "fw/base/options.h"
#include "fw/codec/jt_subpkg.h"
#include "input.h"
#include "json_writer.h"

enum { EXIT_DECODED = 0, EXIT_FRAME_FAILED = 1, EXIT_USAGE_OR_IO = 2 };

#define OUT_STAGING_CAP    8192
#define FW_DECODE_PATH_MAX 4096

/* --reassemble bounds: messages in progress and packet bytes held (a 10-packet photo is
 * about 10 KiB). Nothing is polled, so no resend requests and no expiry. */
#define REASSEMBLY_MAX_MSGS  64
#define REASSEMBLY_MAX_BYTES (4u << 20)

typedef struct {
    bool lenient;
    bool pretty;
    bool reassemble;
    char raw_path[FW_DECODE_PATH_MAX]; /* --raw FILE; "-" is stdin; empty = none */
    int first_hex_arg;                 /* index of the first frame argument, argc when none */
} options;

static const fw_option option_rows[] = {
    {.name = "lenient",
     .kind = FW_OPT_SWITCH,
     FW_OPT_FIELD(options, lenient),
     .help = "decode frames with a wrong check code or body length anyway and list the damage "
             "in \"warnings\" (default: report them as errors)"},
    {.name = "pretty",
     .kind = FW_OPT_SWITCH,
     FW_OPT_FIELD(options, pretty),
     .help = "indent the JSON"},
    {.name = "reassemble",
     .kind = FW_OPT_SWITCH,
     FW_OPT_FIELD(options, reassemble),
     .help = "also collect sub-packages; the packet that completes a message is followed by the "
             "whole message, decoded (with \"reassembled\")"},
    {.name = "raw",
     .kind = FW_OPT_STR,
     FW_OPT_FIELD(options, raw_path),
     .arg = "FILE",
     .help = "binary capture (e.g. a TCP stream dump), '-' for stdin; frames are found at the "
             "0x7e flags and bytes outside frames are skipped"},
};
static const fw_opt_table option_table = FW_OPT_TABLE(option_rows);

static const char synopsis[] =
    "usage: fleetwatch-decode [--lenient] [--pretty] [--reassemble] [HEX_FRAME...]\n"
    "       fleetwatch-decode [--lenient] [--pretty] [--reassemble] --raw FILE\n"
    "\n"
    "Decodes JT/T 808 (2011/2013/2019) frames and prints one JSON object per frame.\n"
    "\n"
    "Input:\n"
    "  HEX_FRAME...  frames as hex arguments; spaces allowed, 7e flags optional\n"
    "  (none)        the same, one frame per line on stdin; blank lines and lines\n"
    "                starting with '#' are ignored\n"
    "  --raw FILE    a binary capture (below)\n";

static const char epilogue[] =
    "Exit status: 0 all frames decoded, 1 a frame failed (its object has \"error\"),\n"
    "2 usage or I/O error.\n"
    "\n"
    "Examples:\n"
    "  fleetwatch-decode 7e0002000001234567890100068c7e\n"
    "  fleetwatch-decode '7e 0002 0000 0123 4567 8901 0006 8c 7e'\n"
    "  fleetwatch-decode --lenient < frames.txt\n"
    "  fleetwatch-decode --pretty --raw capture.bin\n";

/* Returns 0, 1 when --help or --version was printed, or -1 on a usage error (message and
 * usage on stderr). */
static int parse_options(int argc, char **argv, options *opt)
{
    memset(opt, 0, sizeof *opt);
    const fw_opt_group group = {"Options", &option_table, opt};
    const fw_opt_program program = {.name = "fleetwatch-decode",
                                    .synopsis = synopsis,
                                    .epilogue = epilogue,
                                    .groups = &group,
                                    .n_groups = 1};
    char err[300];
    int rc = fw_opt_parse_args(&program, argc, argv, &opt->first_hex_arg, err, sizeof err);
    if (rc == 0 && opt->raw_path[0] && opt->first_hex_arg < argc) {
        snprintf(err, sizeof err, "--raw takes no hex frames");
        rc = -1;
    }
    if (rc < 0) {
        fprintf(stderr, "fleetwatch-decode: %s\n\n", err);
        fw_opt_print_help(&program, stderr);
    }
    return rc;
}

static int run_raw(df_session *s, const char *path)
{
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *in = is_stdin ? stdin : fopen(path, "rb");
    if (!in) {
        perror(path);
        return -1;
    }
    unsigned long long garbage = 0;
    int rc = in_raw_stream(s, in, &garbage);
    if (rc != 0)
        perror(path);
    if (garbage)
        fprintf(stderr, "fleetwatch-decode: %llu bytes outside frames skipped\n", garbage);
    if (s->frames == 0) {
        fputs("fleetwatch-decode: no frame found\n", stderr);
        s->failed++;
    }
    if (!is_stdin)
        fclose(in);
    return rc;
}

static int run_input(df_session *s, const options *opt, int argc, char **argv)
{
    if (opt->raw_path[0])
        return run_raw(s, opt->raw_path);
    for (int i = opt->first_hex_arg; i < argc; i++)
        in_hex_text(s, argv[i]);
    if (opt->first_hex_arg < argc)
        return 0;
    int rc = in_hex_lines(s, stdin);
    if (rc != 0)
        perror("stdin");
    return rc;
}

/* NULL (and a message) when the reassembler cannot be allocated. */
static jt_subpkg *new_reassembler(void)
{
    const jt_subpkg_config cfg = {.max_msgs = REASSEMBLY_MAX_MSGS,
                                  .max_bytes = REASSEMBLY_MAX_BYTES,
                                  .timeout_ms = UINT32_MAX,
                                  .max_retries = 0};
    jt_subpkg *sp = jt_subpkg_new(&cfg);
    if (!sp)
        fputs("fleetwatch-decode: out of memory\n", stderr);
    return sp;
}

static void report_incomplete(const jt_subpkg *sp)
{
    size_t pending = jt_subpkg_count(sp);
    if (pending)
        fprintf(stderr, "fleetwatch-decode: %zu sub-packaged message(s) incomplete\n", pending);
}

int main(int argc, char **argv)
{
    options opt;
    int parsed = parse_options(argc, argv, &opt);
    if (parsed != 0)
        return parsed > 0 ? EXIT_DECODED : EXIT_USAGE_OR_IO;
    static char staging[OUT_STAGING_CAP];
    jw_writer out;
    jw_init_file(&out, stdout, staging, sizeof staging, opt.pretty);
    df_session s = {.out = &out, .lenient = opt.lenient};
    if (opt.reassemble && !(s.reassembler = new_reassembler()))
        return EXIT_USAGE_OR_IO;

    int rc = run_input(&s, &opt, argc, argv);
    if (s.reassembler) {
        report_incomplete(s.reassembler);
        jt_subpkg_free(s.reassembler);
    }
    if (rc != 0 || s.write_failed)
        return EXIT_USAGE_OR_IO;
    return s.failed ? EXIT_FRAME_FAILED : EXIT_DECODED;
}
