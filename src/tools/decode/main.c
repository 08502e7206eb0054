/* main.c - fleetwatch-decode: decodes JT/T 808 frames into one JSON document per frame.
 *
 * Reads frames as hex (command-line arguments, or one per line on stdin) or a binary capture
 * (--raw FILE), decodes each with the codec (decode_frame.c) and writes JSON lines to stdout.
 * Exit status: 0 when every frame decoded, 1 when any failed (or a capture held no frame),
 * 2 on usage and I/O errors.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "decode_frame.h"
#include "fw/codec/jt_subpkg.h"
#include "input.h"
#include "json_writer.h"

enum { EXIT_DECODED = 0, EXIT_FRAME_FAILED = 1, EXIT_USAGE_OR_IO = 2 };

#define OUT_STAGING_CAP 8192

/* --reassemble bounds: messages in progress and packet bytes held (a 10-packet photo is
 * about 10 KiB). Nothing is polled, so no resend requests and no expiry. */
#define REASSEMBLY_MAX_MSGS  64
#define REASSEMBLY_MAX_BYTES (4u << 20)

typedef struct {
    bool lenient;
    bool pretty;
    bool reassemble;
    const char *raw_path; /* --raw FILE; "-" is stdin */
    int first_hex_arg;    /* index of the first frame argument, argc when none */
} options;

static void usage(FILE *to)
{
    fputs("usage: fleetwatch-decode [--lenient] [--pretty] [--reassemble] [HEX_FRAME...]\n"
          "       fleetwatch-decode [--lenient] [--pretty] [--reassemble] --raw FILE\n"
          "\n"
          "Decodes JT/T 808 (2011/2013/2019) frames and prints one JSON object per frame.\n"
          "\n"
          "Input:\n"
          "  HEX_FRAME...  frames as hex arguments; spaces allowed, 7e flags optional\n"
          "  (none)        the same, one frame per line on stdin; blank lines and lines\n"
          "                starting with '#' are ignored\n"
          "  --raw FILE    binary capture (e.g. a TCP stream dump), '-' for stdin; frames are\n"
          "                found at the 0x7e flags and bytes outside frames are skipped\n"
          "\n"
          "Options:\n"
          "  --lenient     decode frames with a wrong check code or body length anyway and\n"
          "                list the damage in \"warnings\" (default: report them as errors)\n"
          "  --pretty      indent the JSON\n"
          "  --reassemble  also collect sub-packages; the packet that completes a message is\n"
          "                followed by the whole message, decoded (with \"reassembled\")\n"
          "  -h, --help    this text\n"
          "\n"
          "Exit status: 0 all frames decoded, 1 a frame failed (its object has \"error\"),\n"
          "2 usage or I/O error.\n"
          "\n"
          "Examples:\n"
          "  fleetwatch-decode 7e0002000001234567890100068c7e\n"
          "  fleetwatch-decode '7e 0002 0000 0123 4567 8901 0006 8c 7e'\n"
          "  fleetwatch-decode --lenient < frames.txt\n"
          "  fleetwatch-decode --pretty --raw capture.bin\n",
          to);
}

/* Returns 0, 1 when --help was asked for, or -1 on a usage error. */
static int parse_options(int argc, char **argv, options *opt)
{
    memset(opt, 0, sizeof *opt);
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        } else if (strcmp(a, "--lenient") == 0) {
            opt->lenient = true;
        } else if (strcmp(a, "--pretty") == 0) {
            opt->pretty = true;
        } else if (strcmp(a, "--reassemble") == 0) {
            opt->reassemble = true;
        } else if (strcmp(a, "--raw") == 0 && i + 1 < argc) {
            opt->raw_path = argv[++i];
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            return 1;
        } else {
            fprintf(stderr, "fleetwatch-decode: unknown or incomplete option '%s'\n", a);
            return -1;
        }
    }
    opt->first_hex_arg = i;
    if (opt->raw_path && i < argc) {
        fputs("fleetwatch-decode: --raw takes no hex frames\n", stderr);
        return -1;
    }
    return 0;
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
    if (opt->raw_path)
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
    if (parsed != 0) {
        usage(parsed > 0 ? stdout : stderr);
        return parsed > 0 ? EXIT_DECODED : EXIT_USAGE_OR_IO;
    }
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
