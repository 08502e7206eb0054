/* test_api_tokens.c - token file parsing (roles, errors that never quote a token) and lookups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tokens.h"

static char path[64];

static void write_file(const char *text)
{
    strcpy(path, "/tmp/fw_tokens_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

static api_tokens *load(const char *text, char *err, size_t errcap)
{
    write_file(text);
    api_tokens *t = api_tokens_load(path, err, errcap);
    unlink(path);
    return t;
}

static api_role find(const api_tokens *t, const char *token, const char **label)
{
    return api_tokens_find(t, token, strlen(token), label);
}

static void roles_and_labels_are_found(void **state)
{
    (void)state;
    char err[200];
    api_tokens *t = load("# comment\n"
                         "police     p-0123456789abcdef   traffic-desk\n"
                         "\n"
                         "dispatcher d-0123456789abcdef   dispatch # trailing comment\n"
                         "admin      a-0123456789abcdef   ops\n",
                         err, sizeof err);
    assert_non_null(t);
    assert_int_equal(api_tokens_count(t), 3);
    const char *label = NULL;
    assert_int_equal(find(t, "p-0123456789abcdef", &label), API_ROLE_POLICE);
    assert_string_equal(label, "traffic-desk");
    assert_int_equal(find(t, "d-0123456789abcdef", &label), API_ROLE_DISPATCHER);
    assert_string_equal(label, "dispatch");
    assert_int_equal(find(t, "a-0123456789abcdef", &label), API_ROLE_ADMIN);
    assert_string_equal(label, "ops");
    assert_true(API_ROLE_POLICE < API_ROLE_DISPATCHER && API_ROLE_DISPATCHER < API_ROLE_ADMIN);
    api_tokens_free(t);
}

static void near_misses_are_refused(void **state)
{
    (void)state;
    char err[200];
    api_tokens *t = load("police p-0123456789abcdef desk\n", err, sizeof err);
    assert_non_null(t);
    const char *label = "x";
    assert_int_equal(find(t, "p-0123456789abcdeF", &label), API_ROLE_NONE);
    assert_string_equal(label, "");
    assert_int_equal(find(t, "p-0123456789abcde", NULL), API_ROLE_NONE);   /* prefix */
    assert_int_equal(find(t, "p-0123456789abcdefg", NULL), API_ROLE_NONE); /* longer */
    assert_int_equal(find(t, "", NULL), API_ROLE_NONE);
    /* only len bytes count: the same token followed by more bytes in the buffer */
    assert_int_equal(api_tokens_find(t, "p-0123456789abcdefXYZ", 18, NULL), API_ROLE_POLICE);
    char longer[300];
    memset(longer, 'p', sizeof longer);
    assert_int_equal(api_tokens_find(t, longer, sizeof longer, NULL), API_ROLE_NONE);
    api_tokens_free(t);
}

static void empty_table_knows_nobody(void **state)
{
    (void)state;
    api_tokens *t = api_tokens_empty();
    assert_int_equal(api_tokens_count(t), 0);
    assert_int_equal(find(t, "p-0123456789abcdef", NULL), API_ROLE_NONE);
    api_tokens_free(t);
}

static void bad_files_say_where_but_not_the_token(void **state)
{
    (void)state;
    static const struct {
        const char *text, *why;
    } cases[] = {
        {"police secret-but-short desk\nsheriff s-0123456789abcdef x\n", ":2: unknown role"},
        {"police short desk\n", ":1: token must be"},
        {"police p-0123456789abcdef\n", ":1: expected <role> <token> <label>"},
        {"police p-0123456789abcdef desk extra\n", ":1: expected"},
        {"police p-0123456789abcdef a\nadmin p-0123456789abcdef b\n", ":2: the same token"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char err[300] = "";
        assert_null(load(cases[i].text, err, sizeof err));
        assert_non_null(strstr(err, cases[i].why));
        assert_null(strstr(err, "0123456789"));
        assert_null(strstr(err, "short"));
    }
    char err[300];
    assert_null(api_tokens_load("/nonexistent/tokens", err, sizeof err));
    assert_non_null(strstr(err, "cannot open"));
}

static void role_names(void **state)
{
    (void)state;
    assert_string_equal(api_role_name(API_ROLE_POLICE), "police");
    assert_string_equal(api_role_name(API_ROLE_ADMIN), "admin");
    assert_string_equal(api_role_name(API_ROLE_NONE), "none");
    assert_string_equal(api_role_name((api_role)42), "none");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(roles_and_labels_are_found),
        cmocka_unit_test(near_misses_are_refused),
        cmocka_unit_test(empty_table_knows_nobody),
        cmocka_unit_test(bad_files_say_where_but_not_the_token),
        cmocka_unit_test(role_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
