/* test_frame.c - escaping, check code, header parsing and frame building (jt_frame.h).
 *
 * Real frames come from tests/data/jt808_corpus.tsv: the damaged ones real terminals send
 * (version bit on a 2013 header, check codes that need escaping, wrong lengths) and the
 * negative rows of go-jt808. Every corpus frame is parsed and checked against the header
 * values its source asserts, and every sound one is rebuilt byte for byte.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "fw/codec/jt_frame.h"
#include "test_util.h"

#define FRAME_CAP 4096

typedef struct {
    uint8_t wire[FRAME_CAP]; /* the whole frame with both flags, unescaped in place by parse */
    long wire_len;
    jt_frame f;
    jt_err err;
} parsed;

/* Parse the bytes between the flags of a wire frame. */
static void parse_wire(parsed *p)
{
    assert_true(p->wire_len >= 2);
    assert_int_equal(p->wire[0], JT_FLAG_BYTE);
    assert_int_equal(p->wire[p->wire_len - 1], JT_FLAG_BYTE);
    p->err = jt_frame_parse(p->wire + 1, (size_t)p->wire_len - 2, &p->f);
}

static void parse_hex(parsed *p, const char *hex)
{
    p->wire_len = tu_hex(hex, p->wire, sizeof p->wire);
    parse_wire(p);
}

static void parse_corpus(parsed *p, const char *path_part, const char *msg_id, int n)
{
    tu_corpus_row *row = malloc(sizeof *row);
    assert_non_null(row);
    assert_int_equal(tu_corpus_find(path_part, msg_id, n, row), 0);
    p->wire_len = tu_corpus_frame(row, p->wire, sizeof p->wire);
    free(row);
    parse_wire(p);
}

/* ---- escaping ---------------------------------------------------------------------------- */

static void escape_round_trips_every_byte_value(void **state)
{
    (void)state;
    uint8_t src[256], esc[512], back[512];
    for (int i = 0; i < 256; i++)
        src[i] = (uint8_t)i;
    jt_err err = JT_ERR_BAD_FIELD;
    size_t n = jt_escape(src, sizeof src, esc, sizeof esc, &err);
    assert_int_equal(err, JT_OK);
    assert_int_equal(n, 258); /* 0x7d and 0x7e take two bytes each */
    assert_null(memchr(esc, JT_FLAG_BYTE, n));
    const uint8_t *at = memchr(esc, JT_ESCAPE_BYTE, n);
    assert_non_null(at);
    assert_memory_equal(at, "\x7d\x01\x7d\x02", 4);

    memcpy(back, esc, n);
    unsigned bad = 99;
    assert_int_equal(jt_unescape(back, n, &bad), 256);
    assert_int_equal(bad, 0);
    assert_memory_equal(back, src, 256);
}

static void escape_reports_no_space(void **state)
{
    (void)state;
    const uint8_t src[] = {0x01, 0x7e};
    uint8_t dst[2]; /* needs 3: 01 7d 02 */
    jt_err err = JT_OK;
    assert_int_equal(jt_escape(src, sizeof src, dst, sizeof dst, &err), 0);
    assert_int_equal(err, JT_ERR_NO_SPACE);
    assert_int_equal(jt_escape(src, 1, dst, 1, &err), 1);
    assert_int_equal(err, JT_OK);
}

static void unescape_keeps_bad_escapes_literally(void **state)
{
    (void)state;
    uint8_t buf[] = {0x7d, 0x03, 0x7d, 0x02, 0x7d, 0x7d, 0x01, 0x41, 0x7d};
    unsigned bad = 0;
    size_t n = jt_unescape(buf, sizeof buf, &bad);
    const uint8_t want[] = {0x7d, 0x03, 0x7e, 0x7d, 0x7d, 0x41, 0x7d};
    assert_int_equal(n, sizeof want);
    assert_memory_equal(buf, want, sizeof want);
    assert_int_equal(bad, 3); /* 7d 03, the first of 7d 7d 01, the trailing 7d */
}

static void checksum_is_xor(void **state)
{
    (void)state;
    const uint8_t p[] = {0x01, 0x02, 0x04, 0x80};
    assert_int_equal(jt_checksum(p, sizeof p), 0x87);
    assert_int_equal(jt_checksum(p, 0), 0);
}

/* ---- parsing real and hand-made frames -------------------------------------------------- */

/* Header values a scenario checks: X(name, value as a long). body_at is the body's offset
 * after the opening flag. */
#define HEADER_FIELDS(X)                                                                           \
    X(msg_id, f->msg_id)                                                                           \
    X(props, f->props)                                                                             \
    X(version, f->version)                                                                         \
    X(proto_version, f->proto_version)                                                             \
    X(serial, f->serial)                                                                           \
    X(flags, f->flags)                                                                             \
    X(check_given, f->check_given)                                                                 \
    X(check_calc, f->check_calc)                                                                   \
    X(body_len, f->body_len)                                                                       \
    X(body_avail, f->body_avail)                                                                   \
    X(subpkg, f->subpkg)                                                                           \
    X(pkg_total, f->pkg_total)                                                                     \
    X(pkg_index, f->pkg_index)                                                                     \
    X(phone_raw_len, f->phone_raw_len)                                                             \
    X(body_at, f->body - (p->wire + 1))

typedef enum {
    H_END, /* ends a case's list */
#define HEADER_ENUM(name, value) H_##name,
    HEADER_FIELDS(HEADER_ENUM)
#undef HEADER_ENUM
} header_field;

static const char *const header_field_names[] = {"",
#define HEADER_NAME(name, value) #name,
                                                 HEADER_FIELDS(HEADER_NAME)
#undef HEADER_NAME
};

static long header_value(const parsed *p, header_field k)
{
    const jt_frame *f = &p->f;
    const long values[] = {0,
#define HEADER_VALUE(name, value) (long)(value),
                           HEADER_FIELDS(HEADER_VALUE)
#undef HEADER_VALUE
    };
    return values[k];
}

/* A frame (a corpus row, or hex when source is NULL) and what parsing it must give. */
typedef struct {
    const char *what;
    const char *source, *msg_id; /* tu_corpus_find(source, msg_id, row) */
    int row;
    const char *hex;
    jt_err err;
    const char *phone; /* NULL: not checked */
    const char *body;  /* the body's first bytes; NULL: not checked */
    struct {
        header_field field;
        long value;
    } expect[8];
} header_case;

static const header_case header_cases[] = {
    {"2013 heartbeat, check 0x7e escaped",
     "JT808_0x0002Test.cs#Test3",
     NULL,
     0,
     NULL,
     JT_OK,
     "40021679287",
     NULL,
     {{H_msg_id, 0x0002},
      {H_version, JT_V2013},
      {H_serial, 43},
      {H_check_given, 0x7e},
      {H_body_len, 0},
      {H_flags, 0}}},
    {"2019, check 0x7d escaped",
     "JT808.txt#line28",
     NULL,
     0,
     NULL,
     JT_OK,
     "17299841738",
     NULL,
     {{H_msg_id, 0x0800},
      {H_version, JT_V2019},
      {H_proto_version, 1},
      {H_phone_raw_len, 10},
      {H_check_given, 0x7d},
      {H_body_avail, 8}}},
    {"version bit on a 2013 layout is 2013",
     "JT808_0x0200Test.cs#Test5_4",
     NULL,
     0,
     NULL,
     JT_OK,
     "10030000681",
     NULL,
     {{H_props, JT_PROPS_VERSION_BIT | 108},
      {H_version, JT_V2013},
      {H_flags, JT_FLAG_V2019_BIT_ON_2013},
      {H_body_len, 108},
      {H_body_avail, 108},
      {H_proto_version, 0}}},
    {"version bit on a 2013 0x0102",
     "JT808_0x0200Test.cs#Test5_3",
     "0x0102",
     0,
     NULL,
     JT_OK,
     NULL,
     "J10030000681",
     {{H_version, JT_V2013}, {H_serial, 0x0902}}},
    {"check code error still fills the fields",
     "jt808_test.go#TestJTMessageDecode",
     "0x0801",
     2,
     NULL,
     JT_ERR_CHECKSUM,
     "1234567890",
     NULL,
     {{H_flags, JT_FLAG_BAD_CHECKSUM},
      {H_check_given, 0x54},
      {H_check_calc, 0x53},
      {H_msg_id, 0x0801},
      {H_serial, 734},
      {H_subpkg, 1},
      {H_pkg_total, 26},
      {H_pkg_index, 2}}},
    {"check 0x7e sent as 7d02",
     "packet_codec_test.go#case1",
     NULL,
     0,
     NULL,
     JT_ERR_CHECKSUM,
     NULL,
     NULL,
     {{H_check_given, 0x7e}, {H_check_calc, 0x7d}}},
    {"body shorter than declared (go-jt808 ErrBodyLengthInconsistency)",
     "jt808_test.go#TestJTMessageDecode",
     "0x0801",
     3,
     NULL,
     JT_ERR_LENGTH_MISMATCH,
     NULL,
     NULL,
     {{H_flags, JT_FLAG_LENGTH_MISMATCH}, {H_body_len, 5}, {H_body_avail, 4}, {H_pkg_index, 2}}},
    {"53 body bytes present, 47 declared",
     "JT808_0x0200_0xfb_Test.cs",
     NULL,
     0,
     NULL,
     JT_ERR_LENGTH_MISMATCH,
     NULL,
     NULL,
     {{H_version, JT_V2013}, {H_body_avail, 47}}},
    {"a length mismatch wins over the check code",
     "JT808_0x0704Test.cs#Test4",
     NULL,
     0,
     NULL,
     JT_ERR_LENGTH_MISMATCH,
     NULL,
     NULL,
     {{H_flags, JT_FLAG_LENGTH_MISMATCH | JT_FLAG_BAD_CHECKSUM},
      {H_body_len, 473},
      {H_body_avail, 469}}},
    {"an unescaped check 0x7d is a flagged bad escape",
     "jt808_test.go#TestJTMessageDecode",
     "0x0002",
     0,
     NULL,
     JT_OK,
     NULL,
     NULL,
     {{H_flags, JT_FLAG_BAD_ESCAPE}, {H_check_given, 0x7d}}},
    {"2019 twenty-digit phone",
     "JT808.txt#line4",
     NULL,
     0,
     NULL,
     JT_OK,
     "12345678901234567890",
     NULL,
     {{H_version, JT_V2019}}},
    {"sub-package fields",
     "JT808HeaderPackageTest.cs#Test1",
     NULL,
     0,
     NULL,
     JT_OK,
     NULL,
     NULL,
     {{H_subpkg, 1},
      {H_pkg_total, 2},
      {H_pkg_index, 1},
      {H_body_len, 930},
      {H_body_at, JT_HEADER_2013 + JT_SUBPKG_FIELDS}}},
    {"non-BCD phone shown in hex and flagged",
     NULL,
     NULL,
     0,
     "7e 0002 0000 00000abc123f 0001 98 7e",
     JT_OK,
     "abc123f",
     NULL,
     {{H_check_calc, 0x98}, {H_flags, JT_FLAG_PHONE_NOT_BCD}}},
    {"all-zero phone is 0",
     NULL,
     NULL,
     0,
     "7e 0002 0000 000000000000 0001 03 7e",
     JT_OK,
     "0",
     NULL,
     {{H_flags, 0}}},
    {"12 bytes: no check code",
     NULL,
     NULL,
     0,
     "7e 0002 0000 000000000001 0001 7e",
     JT_ERR_TOO_SHORT,
     NULL,
     NULL,
     {{H_msg_id, 0x0002}}},
    {"one byte", NULL, NULL, 0, "7e 01 7e", JT_ERR_TOO_SHORT, NULL, NULL, {{H_END, 0}}},
    {"sub-package fields missing",
     NULL,
     NULL,
     0,
     "7e 0002 2000 000000000001 0001 23 7e",
     JT_ERR_BAD_HEADER,
     NULL,
     NULL,
     {{H_msg_id, 0x0002}}},
    {"version bit without room for a 2019 header is 2013 (and a wrong check code)",
     NULL,
     NULL,
     0,
     "7e 0002 4005 000000000001 0001 aabb 00 7e",
     JT_ERR_LENGTH_MISMATCH,
     NULL,
     NULL,
     {{H_version, JT_V2013},
      {H_body_avail, 2},
      {H_flags, JT_FLAG_V2019_BIT_ON_2013 | JT_FLAG_LENGTH_MISMATCH | JT_FLAG_BAD_CHECKSUM}}},
};

static void check_header_case(const header_case *c, const parsed *p)
{
    if (p->err != c->err)
        fail_msg("%s: %s, expected %s", c->what, jt_err_name(p->err), jt_err_name(c->err));
    if (c->phone && strcmp(p->f.phone, c->phone) != 0)
        fail_msg("%s: phone %s, expected %s", c->what, p->f.phone, c->phone);
    if (c->body && memcmp(p->f.body, c->body, strlen(c->body)) != 0)
        fail_msg("%s: the body does not start with %s", c->what, c->body);
    for (size_t k = 0; k < sizeof c->expect / sizeof c->expect[0] && c->expect[k].field; k++) {
        long got = header_value(p, c->expect[k].field);
        if (got != c->expect[k].value)
            fail_msg("%s: %s is %ld (0x%lx), expected %ld (0x%lx)", c->what,
                     header_field_names[c->expect[k].field], got, got, c->expect[k].value,
                     c->expect[k].value);
    }
}

static void headers_parse_as_their_sources_say(void **state)
{
    (void)state;
    parsed *p = malloc(sizeof *p);
    assert_non_null(p);
    for (size_t i = 0; i < sizeof header_cases / sizeof header_cases[0]; i++) {
        const header_case *c = &header_cases[i];
        if (c->source)
            parse_corpus(p, c->source, c->msg_id, c->row);
        else
            parse_hex(p, c->hex);
        check_header_case(c, p);
    }
    free(p);
}

/* ---- every corpus frame ------------------------------------------------------------------ */

/* Top-level `"key":` value of a flat-enough JSON object, or NULL (nested keys are skipped). */
static const char *json_top_value(const char *json, const char *key)
{
    size_t key_len = strlen(key);
    int depth = 0;
    bool in_string = false;
    for (const char *s = json; *s; s++) {
        if (in_string) {
            in_string = *s != '"' || s[-1] == '\\';
            continue;
        }
        if (*s == '{' || *s == '[')
            depth++;
        else if (*s == '}' || *s == ']')
            depth--;
        else if (*s == '"') {
            if (depth == 1 && strncmp(s + 1, key, key_len) == 0 && s[1 + key_len] == '"' &&
                s[2 + key_len] == ':')
                return s + 3 + key_len;
            in_string = true;
        }
    }
    return NULL;
}

static void check_number(const char *json, const char *key, long got, const char *source)
{
    const char *v = json_top_value(json, key);
    if (!v)
        return;
    long want = *v == '"' ? strtol(v + 1, NULL, 0) : strtol(v, NULL, 10);
    if (want != got)
        fail_msg("%s: %s is %ld, expected %ld", source, key, got, want);
}

static void check_phone(const char *json, const char *got, const char *source)
{
    const char *v = json_top_value(json, "phone");
    if (!v)
        return;
    v++;
    while (*v == '0' && v[1] != '"')
        v++;
    size_t n = strcspn(v, "\"");
    if (strlen(got) != n || strncmp(got, v, n) != 0)
        fail_msg("%s: phone %s, expected %.*s", source, got, (int)n, v);
}

static void check_row(const tu_corpus_row *row, const parsed *p)
{
    const char *e = row->expected;
    if (p->err == JT_ERR_TOO_SHORT || p->err == JT_ERR_BAD_HEADER)
        fail_msg("%s: header unreadable (%s)", row->source_path, jt_err_name(p->err));
    if (strtol(row->msg_id, NULL, 16) != p->f.msg_id)
        fail_msg("%s: msg id %04x", row->source_path, p->f.msg_id);
    if (atoi(row->version) != (int)p->f.version)
        fail_msg("%s: version %d, corpus guess %s", row->source_path, p->f.version, row->version);
    check_phone(e, p->f.phone, row->source_path);
    check_number(e, "msg_id", p->f.msg_id, row->source_path);
    check_number(e, "serial", p->f.serial, row->source_path);
    check_number(e, "body_len", p->f.body_len, row->source_path);
    check_number(e, "props", p->f.props, row->source_path);
    check_number(e, "encryption", p->f.encryption, row->source_path);
    check_number(e, "subpkg_total", p->f.pkg_total, row->source_path);
    check_number(e, "subpkg_index", p->f.pkg_index, row->source_path);
    check_number(e, "proto_ver", p->f.proto_version, row->source_path);
    check_number(e, "version", p->f.version, row->source_path);
}

/* Rebuild a sound frame from its parsed header and body: it must equal the wire bytes. */
static void check_rebuild(const tu_corpus_row *row, const parsed *p)
{
    uint8_t original[FRAME_CAP], rebuilt[FRAME_CAP];
    long n = tu_corpus_frame(row, original, sizeof original);
    const jt_frame *f = &p->f;
    jt_header_out h = {.msg_id = f->msg_id,
                       .serial = f->serial,
                       .version = f->version,
                       .proto_version = f->proto_version,
                       .phone_raw = f->phone_raw,
                       .encryption = f->encryption,
                       .pkg_total = f->subpkg ? f->pkg_total : 0,
                       .pkg_index = f->pkg_index};
    jt_err err;
    size_t m = jt_frame_build(&h, f->body, f->body_avail, rebuilt, sizeof rebuilt, &err);
    if (err != JT_OK || (long)m != n || memcmp(rebuilt, original, m) != 0)
        fail_msg("%s: rebuilt frame differs (%s)", row->source_path, jt_err_name(err));
}

static void every_corpus_frame_parses_as_its_source_says(void **state)
{
    (void)state;
    tu_corpus_row *row = malloc(sizeof *row);
    parsed *p = malloc(sizeof *p);
    assert_non_null(row);
    assert_non_null(p);
    int count = tu_corpus_count(), sound = 0;
    assert_true(count >= 100);
    for (int i = 0; i < count; i++) {
        assert_int_equal(tu_corpus_row_at(i, row), 0);
        p->wire_len = tu_corpus_frame(row, p->wire, sizeof p->wire);
        parse_wire(p);
        bool frame_negative = strstr(row->expected, "\"error\"") &&
                              strstr(row->notes, "NEGATIVE") && !strstr(row->notes, "body-level");
        if (frame_negative)
            assert_int_not_equal(p->err, JT_OK);
        check_row(row, p);
        if (p->err == JT_OK && p->f.flags == 0) {
            check_rebuild(row, p);
            sound++;
        }
    }
    assert_true(sound >= 50);
    free(p);
    free(row);
}

/* ---- building ---------------------------------------------------------------------------- */

static void builds_the_smallchi_heartbeat_exactly(void **state)
{
    (void)state;
    uint8_t phone[10], out[64], want[64];
    uint8_t phone_len = 0;
    assert_int_equal(jt_phone_to_bcd("12345678900", JT_V2013, phone, &phone_len), JT_OK);
    assert_int_equal(phone_len, 6);
    jt_header_out h = {.msg_id = 0x0002, .serial = 10, .version = JT_V2013, .phone_raw = phone};
    jt_err err;
    size_t n = jt_frame_build(&h, NULL, 0, out, sizeof out, &err);
    assert_int_equal(err, JT_OK);
    tu_corpus_row *row = malloc(sizeof *row);
    assert_int_equal(tu_corpus_find("JT808_0x0002Test.cs#Test2", NULL, 0, row), 0);
    long want_len = tu_corpus_frame(row, want, sizeof want);
    free(row);
    assert_int_equal(n, want_len);
    assert_memory_equal(out, want, n);
}

static void builds_2019_subpackage_and_parses_it_back(void **state)
{
    (void)state;
    uint8_t phone[10], out[128];
    uint8_t phone_len = 0;
    assert_int_equal(jt_phone_to_bcd("17299841738", JT_V2019, phone, &phone_len), JT_OK);
    assert_int_equal(phone_len, 10);
    const uint8_t body[] = {0x7e, 0x7d, 0x01, 0x02};
    jt_header_out h = {.msg_id = 0x0801,
                       .serial = 0x7e7d,
                       .version = JT_V2019,
                       .proto_version = 1,
                       .phone_raw = phone,
                       .encryption = 1,
                       .pkg_total = 3,
                       .pkg_index = 2};
    jt_err err;
    size_t n = jt_frame_build(&h, body, sizeof body, out, sizeof out, &err);
    assert_int_equal(err, JT_OK);
    assert_null(memchr(out + 1, JT_FLAG_BYTE, n - 2));

    jt_frame f;
    assert_int_equal(jt_frame_parse(out + 1, n - 2, &f), JT_OK);
    assert_int_equal(f.props, 0x4000 | 0x2000 | 0x0400 | sizeof body);
    assert_int_equal(f.version, JT_V2019);
    assert_int_equal(f.proto_version, 1);
    assert_int_equal(f.serial, 0x7e7d);
    assert_int_equal(f.encryption, 1);
    assert_int_equal(f.pkg_total, 3);
    assert_int_equal(f.pkg_index, 2);
    assert_string_equal(f.phone, "17299841738");
    assert_int_equal(f.body_avail, sizeof body);
    assert_memory_equal(f.body, body, sizeof body);
}

static void build_rejects_bad_input(void **state)
{
    (void)state;
    static uint8_t body[JT_MAX_BODY + 1];
    uint8_t phone[6] = {0}, out[64];
    jt_header_out h = {.msg_id = 0x8001, .version = JT_V2013, .phone_raw = phone};
    jt_err err = JT_OK;
    assert_int_equal(jt_frame_build(&h, body, sizeof body, out, sizeof out, &err), 0);
    assert_int_equal(err, JT_ERR_BAD_FIELD);
    assert_int_equal(jt_frame_build(&h, body, 20, out, 20, &err), 0);
    assert_int_equal(err, JT_ERR_NO_SPACE);
    h.pkg_total = 2; /* index 0 with a total */
    assert_int_equal(jt_frame_build(&h, body, 1, out, sizeof out, &err), 0);
    assert_int_equal(err, JT_ERR_BAD_FIELD);
    h.pkg_total = 0;
    h.version = (jt_version)2011;
    assert_int_equal(jt_frame_build(&h, body, 1, out, sizeof out, &err), 0);
    assert_int_equal(err, JT_ERR_BAD_FIELD);
}

static void phone_to_bcd_pads_and_validates(void **state)
{
    (void)state;
    uint8_t out[10], len = 0;
    assert_int_equal(jt_phone_to_bcd("123", JT_V2013, out, &len), JT_OK);
    assert_memory_equal(out, "\x00\x00\x00\x00\x01\x23", 6);
    assert_int_equal(jt_phone_to_bcd("12345678901234567890", JT_V2019, out, &len), JT_OK);
    assert_memory_equal(out, "\x12\x34\x56\x78\x90\x12\x34\x56\x78\x90", 10);
    assert_int_equal(jt_phone_to_bcd("1234567890123", JT_V2013, out, &len), JT_ERR_BAD_FIELD);
    assert_int_equal(jt_phone_to_bcd("12a", JT_V2013, out, &len), JT_ERR_BAD_FIELD);
    assert_int_equal(jt_phone_to_bcd("", JT_V2019, out, &len), JT_ERR_BAD_FIELD);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escape_round_trips_every_byte_value),
        cmocka_unit_test(escape_reports_no_space),
        cmocka_unit_test(unescape_keeps_bad_escapes_literally),
        cmocka_unit_test(checksum_is_xor),
        cmocka_unit_test(headers_parse_as_their_sources_say),
        cmocka_unit_test(every_corpus_frame_parses_as_its_source_says),
        cmocka_unit_test(builds_the_smallchi_heartbeat_exactly),
        cmocka_unit_test(builds_2019_subpackage_and_parses_it_back),
        cmocka_unit_test(build_rejects_bad_input),
        cmocka_unit_test(phone_to_bcd_pads_and_validates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
