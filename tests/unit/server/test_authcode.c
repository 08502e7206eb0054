/* test_authcode.c - random auth codes (shape, no repeats), SHA-256 digests against the published
 * FIPS 180-2 vectors, and the memory authority's grant / lookup / revoke / bound. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "authcode.h"

static void codes_are_128_bit_hex_and_never_repeat(void **state)
{
    (void)state;
    enum { N = 2000 };
    static char codes[N][FW_AUTH_CODE_LEN + 1];
    for (int i = 0; i < N; i++) {
        assert_int_equal(fw_auth_code_new(codes[i]), 0);
        assert_int_equal(strlen(codes[i]), 32);
        assert_int_equal(strspn(codes[i], "0123456789abcdef"), 32);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(codes[i], codes[j]);
    }
}

static void hex_of(const uint8_t d[FW_AUTH_DIGEST_LEN], char out[65])
{
    for (int i = 0; i < FW_AUTH_DIGEST_LEN; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void digest_is_sha256(void **state)
{
    (void)state;
    uint8_t d[FW_AUTH_DIGEST_LEN];
    char hex[65];
    fw_auth_digest((const uint8_t *)"abc", 3, d);
    hex_of(d, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    fw_auth_digest((const uint8_t *)"", 0, d);
    hex_of(d, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void digest_compare(void **state)
{
    (void)state;
    uint8_t a[FW_AUTH_DIGEST_LEN], b[FW_AUTH_DIGEST_LEN];
    fw_auth_digest((const uint8_t *)"code-one", 8, a);
    fw_auth_digest((const uint8_t *)"code-one", 8, b);
    assert_true(fw_auth_digest_equal(a, b));
    b[FW_AUTH_DIGEST_LEN - 1] ^= 1; /* a difference in the last byte counts too */
    assert_false(fw_auth_digest_equal(a, b));
}

typedef struct {
    int calls, status;
    uint8_t digest[FW_AUTH_DIGEST_LEN];
    bool has_digest;
} answer;

static void on_done(void *cookie, int status, const uint8_t *digest)
{
    answer *a = cookie;
    a->calls++;
    a->status = status;
    a->has_digest = digest != NULL;
    if (digest)
        memcpy(a->digest, digest, FW_AUTH_DIGEST_LEN);
}

static void put(fw_authority *a, const char *phone, const char *code)
{
    fw_auth_grant g = {.phone = phone, .issued_ms = 1, .terminal_id = "T1", .address = "x"};
    fw_auth_digest((const uint8_t *)code, strlen(code), g.digest);
    answer r = {0};
    assert_int_equal(a->ops->grant(a, &g, on_done, &r), 0);
    assert_int_equal(r.calls, 1);
    assert_int_equal(r.status, FW_AUTHORITY_OK);
}

static answer look(fw_authority *a, const char *phone)
{
    answer r = {0};
    assert_int_equal(a->ops->lookup(a, phone, on_done, &r), 0);
    assert_int_equal(r.calls, 1);
    return r;
}

static void memory_authority_grants_replaces_revokes(void **state)
{
    (void)state;
    fw_auth_table *t = fw_auth_table_new(100);
    fw_authority *w0 = fw_memory_authority_new(t, NULL, 0);
    fw_authority *w1 = fw_memory_authority_new(t, NULL, 1);
    assert_int_equal(look(w0, "13800000001").status, FW_AUTHORITY_NONE);
    put(w0, "13800000001", "first");
    answer r = look(w1, "13800000001"); /* another worker sees it */
    uint8_t want[FW_AUTH_DIGEST_LEN];
    fw_auth_digest((const uint8_t *)"first", 5, want);
    assert_int_equal(r.status, FW_AUTHORITY_OK);
    assert_true(r.has_digest && fw_auth_digest_equal(r.digest, want));
    put(w1, "13800000001", "second"); /* a new registration replaces the code */
    r = look(w0, "13800000001");
    assert_false(fw_auth_digest_equal(r.digest, want));
    answer v = {0};
    assert_int_equal(w0->ops->revoke(w0, "13800000001", on_done, &v), 0);
    assert_int_equal(v.status, FW_AUTHORITY_OK);
    assert_int_equal(look(w1, "13800000001").status, FW_AUTHORITY_NONE);
    v = (answer){0};
    w0->ops->revoke(w0, "13800000001", on_done, &v);
    assert_int_equal(v.status, FW_AUTHORITY_NONE);
    w0->ops->close(w0);
    w1->ops->close(w1);
    fw_auth_table_free(t);
}

static void memory_authority_is_bounded(void **state)
{
    (void)state;
    fw_auth_table *t = fw_auth_table_new(3);
    fw_authority *a = fw_memory_authority_new(t, NULL, 0);
    put(a, "1", "a");
    put(a, "2", "b");
    put(a, "3", "c");
    put(a, "1", "a2"); /* renewed: now the newest */
    put(a, "4", "d");  /* past the bound: the oldest (2) goes */
    assert_int_equal(look(a, "2").status, FW_AUTHORITY_NONE);
    assert_int_equal(look(a, "1").status, FW_AUTHORITY_OK);
    assert_int_equal(look(a, "3").status, FW_AUTHORITY_OK);
    assert_int_equal(look(a, "4").status, FW_AUTHORITY_OK);
    a->ops->close(a);
    fw_auth_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(codes_are_128_bit_hex_and_never_repeat),
        cmocka_unit_test(digest_is_sha256),
        cmocka_unit_test(digest_compare),
        cmocka_unit_test(memory_authority_grants_replaces_revokes),
        cmocka_unit_test(memory_authority_is_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
