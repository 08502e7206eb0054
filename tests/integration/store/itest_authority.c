/* itest_authority.c - auth codes kept by the Redis authority, through the real `fleetwatch`
 * binary (cmocka; test_store_authority.sh starts Redis): what fw:auth:<phone> holds after a
 * registration (the code's SHA-256, never the code; who got it and when), a code issued on one
 * node accepted on another, an operator's revoke over the API (role checked, live session
 * closed, code refused everywhere, the record kept, the access audited) and a hung Redis: a
 * code this node granted is still accepted from its cache, another is refused within the reply
 * deadline instead of hanging the terminal.
 *
 * Usage: itest_authority path/to/fleetwatch REDIS_PORT SPOOL_DIR TOKEN_FILE
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <hiredis/hiredis.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define PHONE     "13800000001"
#define PLATE_GBK "bea94131323334 35" /* 京A12345, tests/data/registry_test.json */
#define ADMIN     "admin-test-token-0003"
#define POLICE    "police-test-token-0001"

static const char *redis_port, *spool_dir, *token_file;

static redisContext *redis(void)
{
    redisContext *c = redisConnect("127.0.0.1", atoi(redis_port));
    assert_non_null(c);
    assert_int_equal(c->err, 0);
    return c;
}

/* HGET fw:auth:PHONE field into out ("" when absent). */
static void auth_field(const char *field, char *out, size_t cap)
{
    redisContext *c = redis();
    redisReply *r = redisCommand(c, "HGET fw:auth:" PHONE " %s", field);
    assert_non_null(r);
    snprintf(out, cap, "%s", r->type == REDIS_REPLY_STRING ? r->str : "");
    freeReplyObject(r);
    redisFree(c);
}

static void start_node(itest_server *s, const char *node, bool api)
{
    static char port[64], spool[2][300], tokens[300];
    static int n;
    snprintf(port, sizeof port, "--redis_port=%s", redis_port);
    snprintf(spool[n % 2], sizeof spool[0], "--spool_dir=%s/%s", spool_dir, node);
    snprintf(tokens, sizeof tokens, "--api_token_file=%s", token_file);
    const char *extra[] = {"--sink=redis",
                           "--rules=0",
                           port,
                           spool[n++ % 2],
                           "--reply_timeout_ms=1000",
                           api ? "--api_listen=127.0.0.1:0" : "--api_listen=",
                           tokens,
                           NULL};
    itest_start(s, extra);
}

/* POST path to node s's API with token; the status. */
static int post(itest_server *s, const char *token, const char *path, char *out, size_t cap)
{
    return itest_http(s, "POST", path, token, out, cap);
}

/* Register; right after the node starts, the registration waits for its authority to reach
 * Redis. */
static void register_for_code(itest_server *s, char code_hex[128])
{
    char body[512];
    itest_register_body_2013(PHONE, 1, PLATE_GBK, body, sizeof body);
    int fd = itest_connect(s);
    assert_int_equal(itest_register(fd, 2013, PHONE, 1, body, code_hex), 0);
    close(fd);
}

/* Authenticate on a new connection; the 0x8001 result. *fd_out keeps the connection. */
static int authenticate(itest_server *s, const char *code_hex, int *fd_out)
{
    int fd = itest_connect(s);
    itest_send_msg(fd, 2013, 0x0102, PHONE, 2, code_hex);
    uint8_t r[64];
    size_t n = itest_read_frame(fd, r, sizeof r, 5000);
    assert_int_equal(n, 20);
    if (fd_out)
        *fd_out = fd;
    else
        close(fd);
    return r[17];
}

static void codes_are_kept_hashed_shared_and_revocable(void **state)
{
    (void)state;
    itest_server a, b;
    start_node(&a, "a", true);
    start_node(&b, "b", false);
    char code_hex[128], code[64] = "", field[128];
    register_for_code(&a, code_hex);
    for (size_t i = 0; i < 32; i++) /* the code is ASCII; code_hex its bytes in hex */
        sscanf(code_hex + 2 * i, "%2hhx", (unsigned char *)&code[i]);

    /* fw:auth:<phone>: the SHA-256 of the code, never the code */
    uint8_t d[SHA256_DIGEST_LENGTH];
    char want[2 * SHA256_DIGEST_LENGTH + 1];
    SHA256((const uint8_t *)code, 32, d);
    for (int i = 0; i < SHA256_DIGEST_LENGTH; i++)
        snprintf(want + 2 * i, 3, "%02x", d[i]);
    auth_field("digest", field, sizeof field);
    assert_string_equal(field, want);
    redisContext *c = redis();
    redisReply *all = redisCommand(c, "HGETALL fw:auth:" PHONE);
    for (size_t i = 0; i < all->elements; i++)
        assert_null(strstr(all->element[i]->str, code));
    freeReplyObject(all);
    redisFree(c);
    auth_field("terminal_id", field, sizeof field);
    assert_string_equal(field, "0000001");
    auth_field("address", field, sizeof field);
    assert_true(strncmp(field, "127.0.0.1:", 10) == 0);
    auth_field("issued_ms", field, sizeof field);
    long long issued = atoll(field), now = (long long)time(NULL) * 1000;
    assert_true(issued > now - 60000 && issued <= now + 1000);

    /* a code issued by node a is good on node b */
    int on_a;
    assert_int_equal(authenticate(&a, code_hex, &on_a), 0);
    assert_int_equal(authenticate(&b, code_hex, NULL), 0);

    /* revoke: police may not, admin may; a's live session closes */
    char out[512];
    assert_int_equal(post(&a, POLICE, "/v1/admin/terminals/" PHONE "/revoke", out, sizeof out),
                     403);
    assert_int_equal(authenticate(&b, code_hex, NULL), 0);
    assert_int_equal(post(&a, ADMIN, "/v1/admin/terminals/" PHONE "/revoke", out, sizeof out), 200);
    assert_non_null(strstr(out, "\"had_code\":true"));
    assert_non_null(strstr(out, "\"session_closed\":true"));
    assert_true(itest_closed_within(on_a, 3000));
    close(on_a);
    assert_int_equal(authenticate(&a, code_hex, NULL), 1);
    assert_int_equal(authenticate(&b, code_hex, NULL), 1);
    auth_field("digest", field, sizeof field);
    assert_string_equal(field, "");
    auth_field("revoked_ms", field, sizeof field);
    long long revoked = atoll(field);
    assert_true(revoked >= issued);
    auth_field("terminal_id", field, sizeof field); /* the record of the grant stays */
    assert_string_equal(field, "0000001");
    assert_int_equal(post(&a, ADMIN, "/v1/admin/terminals/12x/revoke", out, sizeof out), 400);
    /* the revoke and the refused attempt are in the access audit */
    redisContext *rc = redis();
    redisReply *audit = redisCommand(rc, "XRANGE fw:audit - +");
    int revokes = 0, refused = 0;
    for (size_t i = 0; audit && i < audit->elements; i++) {
        const redisReply *fields = audit->element[i]->element[1];
        const char *path = "", *status = "", *role = "";
        for (size_t f = 0; f + 1 < fields->elements; f += 2) {
            const char *k = fields->element[f]->str, *v = fields->element[f + 1]->str;
            path = !strcmp(k, "path") ? v : path;
            status = !strcmp(k, "status") ? v : status;
            role = !strcmp(k, "role") ? v : role;
        }
        if (!strcmp(path, "/v1/admin/terminals/" PHONE "/revoke")) {
            revokes += !strcmp(status, "200") && !strcmp(role, "admin");
            refused += !strcmp(status, "403") && !strcmp(role, "police");
        }
    }
    freeReplyObject(audit);
    redisFree(rc);
    assert_int_equal(revokes, 1);
    assert_int_equal(refused, 1);

    /* a new registration gives a new code that works again */
    char again[128];
    register_for_code(&b, again);
    assert_string_not_equal(again, code_hex);
    auth_field("revoked_ms", field, sizeof field); /* the evidence of the revocation stays */
    assert_int_equal(atoll(field), revoked);
    auth_field("issued_ms", field, sizeof field);
    assert_true(atoll(field) >= revoked);
    assert_int_equal(authenticate(&a, again, NULL), 0);
    assert_int_equal(itest_stop(&a), 0);
    assert_int_equal(itest_stop(&b), 0);
}

/* Authenticate phone with code (hex) on a new connection; the result, and the seconds taken. */
static int timed_auth(itest_server *s, const char *phone, const char *code_hex, double *secs)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int fd = itest_connect(s);
    itest_send_msg(fd, 2013, 0x0102, phone, 2, code_hex);
    uint8_t r[64];
    size_t n = itest_read_frame(fd, r, sizeof r, 5000);
    close(fd);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    *secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_int_equal(n, 20);
    return r[17];
}

static void hung_redis_answers_from_the_cache_or_refuses_in_time(void **state)
{
    (void)state;
    itest_server a;
    start_node(&a, "a", false);
    char code_hex[128];
    register_for_code(&a, code_hex); /* granted on this node: in its cache */
    /* a grant another node made for 13800000003 (code "0123456789abcdef0123456789abcdef") */
    static const char other_code[] = "0123456789abcdef0123456789abcdef";
    char other_hex[128], digest_hex[65];
    uint8_t d[SHA256_DIGEST_LENGTH];
    itest_to_hex((const uint8_t *)other_code, 32, other_hex);
    SHA256((const uint8_t *)other_code, 32, d);
    for (int i = 0; i < SHA256_DIGEST_LENGTH; i++)
        snprintf(digest_hex + 2 * i, 3, "%02x", d[i]);
    redisContext *c = redis();
    freeReplyObject(redisCommand(c, "HSET fw:auth:13800000003 digest %s", digest_hex));
    redisFree(c);

    char cmd[128];
    snprintf(cmd, sizeof cmd, "redis-cli -p %s CLIENT PAUSE 4000 ALL >/dev/null", redis_port);
    assert_int_equal(system(cmd), 0);
    usleep(200000);
    double secs;
    /* reply_timeout_ms = 1000, checked every 250 ms: neither waits for Redis to wake up */
    assert_int_equal(timed_auth(&a, PHONE, code_hex, &secs), 0);
    assert_true(secs < 2.5);
    assert_true(itest_log_contains(&a, "authority unreachable: phone " PHONE));
    assert_int_equal(timed_auth(&a, "13800000003", other_hex, &secs), 1);
    assert_true(secs < 2.5);
    assert_true(itest_log_contains(&a, "authority_failed"));
    sleep(4); /* Redis awake again: the authority reconnects and answers for the other grant */
    int result = 1;
    for (int i = 0; i < 20 && result != 0; i++, usleep(250000))
        result = timed_auth(&a, "13800000003", other_hex, &secs);
    assert_int_equal(result, 0);
    assert_int_equal(itest_stop(&a), 0);
}

int main(int argc, char **argv)
{
    if (!itest_args(argc, argv, 4, "path/to/fleetwatch REDIS_PORT SPOOL_DIR TOKEN_FILE"))
        return 2;
    redis_port = argv[2];
    spool_dir = argv[3];
    token_file = argv[4];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(codes_are_kept_hashed_shared_and_revocable),
        cmocka_unit_test(hung_redis_answers_from_the_cache_or_refuses_in_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
