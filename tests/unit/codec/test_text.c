/* test_text.c - GBK <-> UTF-8 conversion and field trimming (jt_text.h).
 *
 * Uses the plate of the SmallChi registration frame ("粤A12345"), invalid and truncated GBK,
 * characters GBK cannot hold, full output buffers, and a second thread with its own cached
 * conversion descriptors (which must be released when it exits: ASan's leak check).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <string.h>

#include "fw/codec/jt_text.h"

static const uint8_t plate_gbk[] = {0xd4, 0xc1, 0x41, 0x31, 0x32, 0x33, 0x34, 0x35};
static const char plate_utf8[] = "粤A12345";

static void gbk_plate_to_utf8(void **state)
{
    (void)state;
    char out[32];
    size_t n = 0;
    assert_int_equal(jt_gbk_to_utf8(plate_gbk, sizeof plate_gbk, out, sizeof out, &n), JT_OK);
    assert_string_equal(out, plate_utf8);
    assert_int_equal(n, strlen(plate_utf8));
}

static void utf8_plate_to_gbk(void **state)
{
    (void)state;
    uint8_t out[32];
    size_t n = 0;
    assert_int_equal(jt_utf8_to_gbk(plate_utf8, strlen(plate_utf8), out, sizeof out, &n), JT_OK);
    assert_int_equal(n, sizeof plate_gbk);
    assert_memory_equal(out, plate_gbk, sizeof plate_gbk);
}

static void invalid_gbk_is_bad_text(void **state)
{
    (void)state;
    static const struct {
        uint8_t bytes[4];
        size_t len;
    } cases[] = {
        {{0x81, 0x20}, 2}, /* lead byte with an invalid trail byte */
        {{0xff}, 1},
        {{0x41, 0xd4}, 2}, /* truncated in the middle of a character */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[16] = "untouched";
        size_t n = 99;
        assert_int_equal(jt_gbk_to_utf8(cases[i].bytes, cases[i].len, out, sizeof out, &n),
                         JT_ERR_BAD_TEXT);
        assert_int_equal(n, 0);
        assert_string_equal(out, "");
    }
    /* the failure leaves no state behind */
    char out[32];
    size_t n = 0;
    assert_int_equal(jt_gbk_to_utf8(plate_gbk, sizeof plate_gbk, out, sizeof out, &n), JT_OK);
    assert_string_equal(out, plate_utf8);
}

static void utf8_outside_gbk_or_invalid_is_bad_text(void **state)
{
    (void)state;
    uint8_t out[16];
    size_t n = 0;
    const char emoji[] = "A\xf0\x9f\x98\x80"; /* U+1F600 has no GBK code */
    assert_int_equal(jt_utf8_to_gbk(emoji, strlen(emoji), out, sizeof out, &n), JT_ERR_BAD_TEXT);
    assert_int_equal(jt_utf8_to_gbk("\xff", 1, out, sizeof out, &n), JT_ERR_BAD_TEXT);
    assert_int_equal(jt_utf8_to_gbk("\xe7\xb2", 2, out, sizeof out, &n), JT_ERR_BAD_TEXT);
}

static void full_output_is_no_space(void **state)
{
    (void)state;
    char text[32];
    size_t n = 0;
    /* 8 GBK bytes become 9 UTF-8 bytes plus the NUL: 9 bytes are one too few */
    assert_int_equal(jt_gbk_to_utf8(plate_gbk, sizeof plate_gbk, text, 9, &n), JT_ERR_NO_SPACE);
    assert_int_equal(jt_gbk_to_utf8(plate_gbk, sizeof plate_gbk, text, 10, &n), JT_OK);
    assert_int_equal(n, 9);
    assert_int_equal(jt_gbk_to_utf8(plate_gbk, sizeof plate_gbk, text, 0, &n), JT_ERR_NO_SPACE);
    assert_int_equal(jt_gbk_to_utf8(plate_gbk, 0, text, 1, &n), JT_OK);
    assert_string_equal(text, "");

    uint8_t gbk[8];
    assert_int_equal(jt_utf8_to_gbk(plate_utf8, strlen(plate_utf8), gbk, 7, &n), JT_ERR_NO_SPACE);
    assert_int_equal(jt_utf8_to_gbk(plate_utf8, strlen(plate_utf8), gbk, 8, &n), JT_OK);
}

static void trim_field_strips_nul_and_space_padding(void **state)
{
    (void)state;
    const uint8_t field[] = {'C', 'H', 'I', ' ', '1', 0, ' ', 0, 0};
    assert_int_equal(jt_trim_field(field, sizeof field), 5);
    assert_int_equal(jt_trim_field(field, 3), 3);
    const uint8_t empty[] = {0, 0, ' '};
    assert_int_equal(jt_trim_field(empty, sizeof empty), 0);
    assert_int_equal(jt_trim_field(empty, 0), 0);
}

static void *convert_in_thread(void *arg)
{
    char *out = arg;
    size_t n = 0;
    jt_err err = jt_gbk_to_utf8(plate_gbk, sizeof plate_gbk, out, 32, &n);
    uint8_t gbk[16];
    if (err == JT_OK)
        err = jt_utf8_to_gbk(out, n, gbk, sizeof gbk, &n);
    return err == JT_OK && n == sizeof plate_gbk ? out : NULL;
}

static void each_thread_converts_independently(void **state)
{
    (void)state;
    char out[32];
    pthread_t t;
    void *result = NULL;
    assert_int_equal(pthread_create(&t, NULL, convert_in_thread, out), 0);
    assert_int_equal(pthread_join(t, &result), 0);
    assert_ptr_equal(result, out);
    assert_string_equal(out, plate_utf8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gbk_plate_to_utf8),
        cmocka_unit_test(utf8_plate_to_gbk),
        cmocka_unit_test(invalid_gbk_is_bad_text),
        cmocka_unit_test(utf8_outside_gbk_or_invalid_is_bad_text),
        cmocka_unit_test(full_output_is_no_space),
        cmocka_unit_test(trim_field_strips_nul_and_space_padding),
        cmocka_unit_test(each_thread_converts_independently),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
