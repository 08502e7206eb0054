/* test_json_writer.c - unit tests of fleetwatch-decode's JSON writer (src/tools/decode):
 * separators and nesting, pretty printing, string escaping (control characters, quotes, valid
 * UTF-8 kept, invalid UTF-8 replaced), fixed decimals, ids, the buffer sink's overflow and
 * the FILE* sink streaming through a staging buffer smaller than the document. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "json_writer.h"

static char text[512];

static void start(jw_writer *w, bool pretty)
{
    jw_init_buffer(w, text, sizeof text, pretty);
}

static void nested_containers_get_separators(void **state)
{
    (void)state;
    jw_writer w;
    start(&w, false);
    jw_begin_object(&w);
    jw_kv_int(&w, "a", -1);
    jw_key(&w, "list");
    jw_begin_array(&w);
    jw_uint(&w, 1);
    jw_begin_object(&w);
    jw_end_object(&w);
    jw_begin_array(&w);
    jw_end_array(&w);
    jw_null(&w);
    jw_bool(&w, true);
    jw_end_array(&w);
    jw_kv_bool(&w, "b", false);
    jw_end_object(&w);
    assert_true(jw_end_line(&w));
    assert_string_equal(text, "{\"a\":-1,\"list\":[1,{},[],null,true],\"b\":false}\n");
}

static void pretty_indents_two_spaces(void **state)
{
    (void)state;
    jw_writer w;
    start(&w, true);
    jw_begin_object(&w);
    jw_kv_string(&w, "k", "v");
    jw_key(&w, "a");
    jw_begin_array(&w);
    jw_uint(&w, 2);
    jw_end_array(&w);
    jw_key(&w, "e");
    jw_begin_object(&w);
    jw_end_object(&w);
    jw_end_object(&w);
    assert_true(jw_end_line(&w));
    assert_string_equal(text, "{\n  \"k\": \"v\",\n  \"a\": [\n    2\n  ],\n  \"e\": {}\n}\n");
}

/* A string value as given to jw_string_n() and as it must appear in the document. */
typedef struct {
    const char *what;
    const char *in;
    size_t in_len;
    const char *want;
} string_case;

#define BYTES(literal) literal, sizeof literal - 1 /* a string literal and its length */
static const string_case string_cases[] = {
    {"quotes, backslashes and controls escaped, DEL kept", BYTES("a\"b\\c\n\t\r\b\f\x01\x1f\x7f"),
     "\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u001f\x7f\""},
    {"NUL bytes escaped", BYTES("a\0b"), "\"a\\u0000b\""},
    {"valid UTF-8 passes through", BYTES("粤A12345 é 😀"), "\"粤A12345 é 😀\""},
    /* lone continuation, overlong '/', surrogate U+D800, above U+10FFFF, cut-short sequence */
    {"invalid UTF-8 becomes replacement characters",
     BYTES("\x80|\xc0\xaf|\xed\xa0\x80|\xf4\x90\x80\x80|\xe7\xb2"),
     "\"\\ufffd|\\ufffd\\ufffd|\\ufffd\\ufffd\\ufffd|"
     "\\ufffd\\ufffd\\ufffd\\ufffd|\\ufffd\\ufffd\""},
};
#undef BYTES

static void strings_are_escaped_and_validated(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof string_cases / sizeof string_cases[0]; i++) {
        const string_case *c = &string_cases[i];
        jw_writer w;
        start(&w, false);
        jw_string_n(&w, c->in, c->in_len);
        if (strcmp(text, c->want) != 0)
            fail_msg("%s: got %s, want %s", c->what, text, c->want);
    }
}

static void fixed_decimals_keep_sign_and_zeros(void **state)
{
    (void)state;
    jw_writer w;
    start(&w, false);
    jw_begin_array(&w);
    jw_fixed(&w, 12222222, 6);
    jw_fixed(&w, -56143, 6);
    jw_fixed(&w, -5, 1);
    jw_fixed(&w, 60, 1);
    jw_fixed(&w, 7, 0);
    jw_fixed(&w, INT64_MIN, 0);
    jw_end_array(&w);
    assert_string_equal(text, "[12.222222,-0.056143,-0.5,6.0,7,-9223372036854775808]");
}

static void ids_and_hex(void **state)
{
    (void)state;
    jw_writer w;
    start(&w, false);
    jw_begin_object(&w);
    jw_kv_id(&w, "msg_id", 0x200, 4);
    jw_kv_id(&w, "id", 0x2b, 2);
    jw_kv_hex(&w, "hex", (const uint8_t[]){0x7e, 0x00, 0xab}, 3);
    jw_end_object(&w);
    assert_string_equal(text, "{\"msg_id\":\"0x0200\",\"id\":\"0x2b\",\"hex\":\"7e00ab\"}");
}

static void buffer_overflow_fails_and_stays_terminated(void **state)
{
    (void)state;
    char small[8];
    jw_writer w;
    jw_init_buffer(&w, small, sizeof small, false);
    jw_begin_object(&w);
    jw_kv_string(&w, "key", "a long value");
    jw_end_object(&w);
    assert_false(jw_end_line(&w));
    assert_int_equal(strlen(small), sizeof small - 1);
    assert_memory_equal(small, "{\"key\":", 7);
}

static void unbalanced_document_fails(void **state)
{
    (void)state;
    jw_writer w;
    start(&w, false);
    jw_begin_object(&w);
    assert_false(jw_end_line(&w));
}

static void file_sink_streams_through_small_staging(void **state)
{
    (void)state;
    char out[256] = {0};
    FILE *f = fmemopen(out, sizeof out, "w");
    assert_non_null(f);
    char staging[8];
    jw_writer w;
    jw_init_file(&w, f, staging, sizeof staging, false);
    for (int doc = 0; doc < 2; doc++) {
        jw_begin_object(&w);
        jw_kv_string(&w, "text", "前方拥堵");
        jw_kv_fixed(&w, "v", 1234, 2);
        jw_end_object(&w);
        assert_true(jw_end_line(&w));
    }
    fclose(f);
    assert_string_equal(out, "{\"text\":\"前方拥堵\",\"v\":12.34}\n"
                             "{\"text\":\"前方拥堵\",\"v\":12.34}\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nested_containers_get_separators),
        cmocka_unit_test(pretty_indents_two_spaces),
        cmocka_unit_test(strings_are_escaped_and_validated),
        cmocka_unit_test(fixed_decimals_keep_sign_and_zeros),
        cmocka_unit_test(ids_and_hex),
        cmocka_unit_test(buffer_overflow_fails_and_stays_terminated),
        cmocka_unit_test(unbalanced_document_fails),
        cmocka_unit_test(file_sink_streams_through_small_staging),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
