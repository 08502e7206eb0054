/* test_redis_conn.c - the Redis handshake (redis_conn.h) against real redis-servers: the test
 * harness's (FW_REDIS_PORT, else a private one) for plain connections, SELECT and an ACL user,
 * and a private one with requirepass for AUTH with the password alone; synchronous and on a
 * libevent loop, with the verdicts that tell bad credentials from other refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fw/base/redis_conn.h"
#include "redis_fixture.h"

static rf_redis shared;  /* the harness's server (pid 0) or a private one */
static rf_redis guarded; /* requirepass s3cret */
static char acl_user[32];

static int setup(void **state)
{
    (void)state;
    const char *port = getenv("FW_REDIS_PORT");
    if (port && *port)
        shared.port = (unsigned)atoi(port);
    else if (rf_start(&shared, NULL) < 0)
        return -1;
    if (rf_start(&guarded, "s3cret") < 0)
        return -1;
    snprintf(acl_user, sizeof acl_user, "fwbase%ld", (long)getpid());
    freeReplyObject(rf_cmd(&shared, "ACL SETUSER %s on >pw-%s ~* &* +@all", acl_user, acl_user));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    freeReplyObject(rf_cmd(&shared, "ACL DELUSER %s", acl_user));
    if (shared.pid)
        rf_destroy(&shared);
    rf_destroy(&guarded);
    return 0;
}

static fw_redis_endpoint endpoint(const rf_redis *r)
{
    return (fw_redis_endpoint){"127.0.0.1", r->port, "", "", 0};
}

/* The string reply of a command on c ("" when it is no string or status). */
static const char *text_of(redisContext *c, char *out, size_t cap, const char *cmd)
{
    redisReply *r = redisCommand(c, cmd);
    bool text = r && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS);
    snprintf(out, cap, "%s", text ? r->str : "");
    freeReplyObject(r);
    return out;
}

static void sync_plain_and_select(void **state)
{
    (void)state;
    char err[256] = "", text[64];
    fw_redis_endpoint ep = endpoint(&shared);
    redisContext *c = fw_redis_connect_sync(&ep, 2000, err, sizeof err);
    assert_non_null(c);
    assert_string_equal(text_of(c, text, sizeof text, "PING"), "PONG");
    redisFree(c);

    char key[48];
    snprintf(key, sizeof key, "fwbase:test:%ld", (long)getpid());
    ep.db = 3;
    c = fw_redis_connect_sync(&ep, 2000, err, sizeof err);
    assert_non_null(c);
    freeReplyObject(redisCommand(c, "SET %s in-db-3", key));
    redisFree(c);
    assert_int_equal(rf_int(&shared, "EXISTS %s", key), 0); /* not in db 0 */
    c = fw_redis_connect_sync(&ep, 2000, err, sizeof err);
    char cmd[80];
    snprintf(cmd, sizeof cmd, "GET %s", key);
    assert_string_equal(text_of(c, text, sizeof text, cmd), "in-db-3");
    freeReplyObject(redisCommand(c, "DEL %s", key));
    redisFree(c);

    ep.db = 100000; /* no such database */
    assert_null(fw_redis_connect_sync(&ep, 2000, err, sizeof err));
    assert_true(strncmp(err, "redis: ERR", 10) == 0);
}

static void sync_acl_user(void **state)
{
    (void)state;
    char err[256] = "", password[48], text[64];
    snprintf(password, sizeof password, "pw-%s", acl_user);
    fw_redis_endpoint ep = {"127.0.0.1", shared.port, acl_user, password, 0};
    redisContext *c = fw_redis_connect_sync(&ep, 2000, err, sizeof err);
    assert_non_null(c);
    assert_string_equal(text_of(c, text, sizeof text, "ACL WHOAMI"), acl_user);
    redisFree(c);
    ep.password = "wrong";
    assert_null(fw_redis_connect_sync(&ep, 2000, err, sizeof err));
    assert_true(strncmp(err, "redis: WRONGPASS", 16) == 0);
}

static void sync_password_only(void **state)
{
    (void)state;
    char err[256] = "", text[64];
    fw_redis_endpoint ep = endpoint(&guarded);
    ep.password = "s3cret";
    redisContext *c = fw_redis_connect_sync(&ep, 2000, err, sizeof err);
    assert_non_null(c);
    assert_string_equal(text_of(c, text, sizeof text, "ACL WHOAMI"), "default");
    redisFree(c);
    ep.password = "nope";
    assert_null(fw_redis_connect_sync(&ep, 2000, err, sizeof err));
    assert_true(strncmp(err, "redis: WRONGPASS", 16) == 0);

    ep.password = ""; /* no AUTH sent: the first command is refused */
    c = fw_redis_connect_sync(&ep, 2000, err, sizeof err);
    assert_non_null(c);
    redisReply *r = redisCommand(c, "PING");
    assert_int_equal(fw_redis_handshake_verdict("PING", r), FW_REDIS_BAD_CREDENTIALS);
    freeReplyObject(r);
    redisFree(c);
}

static void sync_unreachable(void **state)
{
    (void)state;
    char err[256] = "", want[64];
    fw_redis_endpoint ep = endpoint(&shared);
    ep.port = rf_free_port(); /* nothing listens there */
    assert_null(fw_redis_connect_sync(&ep, 500, err, sizeof err));
    snprintf(want, sizeof want, "redis 127.0.0.1:%u: ", ep.port);
    assert_true(strncmp(err, want, strlen(want)) == 0);
}

static void verdicts(void **state)
{
    (void)state;
    redisReply ok = {.type = REDIS_REPLY_STATUS, .str = "OK", .len = 2};
    redisReply noauth = {.type = REDIS_REPLY_ERROR, .str = "NOAUTH Authentication required."};
    redisReply wrongpass = {.type = REDIS_REPLY_ERROR, .str = "WRONGPASS invalid username"};
    redisReply other = {.type = REDIS_REPLY_ERROR, .str = "ERR DB index is out of range"};
    assert_int_equal(fw_redis_handshake_verdict("SELECT", NULL), FW_REDIS_NO_ANSWER);
    assert_int_equal(fw_redis_handshake_verdict("AUTH", &ok), FW_REDIS_ANSWERED);
    assert_int_equal(fw_redis_handshake_verdict("AUTH", &other), FW_REDIS_BAD_CREDENTIALS);
    assert_int_equal(fw_redis_handshake_verdict("SELECT", &other), FW_REDIS_REFUSED);
    assert_int_equal(fw_redis_handshake_verdict("SCRIPT LOAD", &noauth), FW_REDIS_BAD_CREDENTIALS);
    assert_int_equal(fw_redis_handshake_verdict("SELECT", &wrongpass), FW_REDIS_BAD_CREDENTIALS);
}

/* ---- on a libevent loop ------------------------------------------------------------------ */

typedef struct {
    struct event_base *base;
    int connect_status; /* -100: not called */
    fw_redis_verdict verdict[2];
    char cmd[2][8];
    int replies;
    char whoami[64]; /* the ACL WHOAMI after the handshake */
    bool done;
} async_run;

static void on_connect(const redisAsyncContext *ac, int status)
{
    async_run *run = ac->data;
    run->connect_status = status;
    if (status != REDIS_OK)
        run->done = true;
}

static void on_disconnect(const redisAsyncContext *ac, int status)
{
    (void)status;
    async_run *run = ac->data;
    run->done = true;
}

static void on_handshake(redisAsyncContext *ac, void *reply, void *priv)
{
    async_run *run = ac->data;
    if (run->replies < 2) {
        snprintf(run->cmd[run->replies], sizeof run->cmd[0], "%s", (const char *)priv);
        run->verdict[run->replies] = fw_redis_handshake_verdict(priv, reply);
    }
    run->replies++;
}

static void on_whoami(redisAsyncContext *ac, void *reply, void *priv)
{
    (void)priv;
    async_run *run = ac->data;
    const redisReply *r = reply;
    snprintf(run->whoami, sizeof run->whoami, "%s",
             r && r->type == REDIS_REPLY_STRING ? r->str
             : r && r->str                      ? r->str
                                                : "(none)");
    redisAsyncDisconnect(ac);
}

/* Connect, queue the handshake and an ACL WHOAMI at once, run until the connection ends. */
static void run_async(const fw_redis_endpoint *ep, async_run *run)
{
    memset(run, 0, sizeof *run);
    run->connect_status = -100;
    run->base = event_base_new();
    assert_non_null(run->base);
    char err[128];
    redisAsyncContext *ac =
        fw_redis_connect_async(ep, run->base, run, on_connect, on_disconnect, err, sizeof err);
    assert_non_null(ac);
    fw_redis_handshake_async(ac, ep, on_handshake);
    redisAsyncCommand(ac, on_whoami, NULL, "ACL WHOAMI");
    for (int i = 0; i < 500 && !run->done; i++)
        event_base_loop(run->base, EVLOOP_ONCE);
    assert_true(run->done);
    event_base_free(run->base);
}

static void async_acl_user_and_select(void **state)
{
    (void)state;
    char password[48];
    snprintf(password, sizeof password, "pw-%s", acl_user);
    fw_redis_endpoint ep = {"127.0.0.1", shared.port, acl_user, password, 2};
    async_run run;
    run_async(&ep, &run);
    assert_int_equal(run.connect_status, REDIS_OK);
    assert_int_equal(run.replies, 2);
    assert_string_equal(run.cmd[0], "AUTH");
    assert_int_equal(run.verdict[0], FW_REDIS_ANSWERED);
    assert_string_equal(run.cmd[1], "SELECT");
    assert_int_equal(run.verdict[1], FW_REDIS_ANSWERED);
    assert_string_equal(run.whoami, acl_user);
}

static void async_refusals(void **state)
{
    (void)state;
    fw_redis_endpoint ep = endpoint(&guarded);
    ep.password = "nope";
    ep.db = 100000;
    async_run run;
    run_async(&ep, &run);
    assert_int_equal(run.connect_status, REDIS_OK);
    assert_int_equal(run.replies, 2);
    assert_int_equal(run.verdict[0], FW_REDIS_BAD_CREDENTIALS); /* AUTH: WRONGPASS */
    assert_int_equal(run.verdict[1], FW_REDIS_BAD_CREDENTIALS); /* SELECT: NOAUTH */

    ep = endpoint(&guarded); /* nothing to send: no handshake replies at all */
    run_async(&ep, &run);
    assert_int_equal(run.replies, 0);
    assert_true(strncmp(run.whoami, "NOAUTH", 6) == 0);

    ep.password = "s3cret";
    run_async(&ep, &run);
    assert_int_equal(run.replies, 1);
    assert_int_equal(run.verdict[0], FW_REDIS_ANSWERED);
    assert_string_equal(run.whoami, "default");

    ep = endpoint(&shared);
    ep.port = rf_free_port();
    run_async(&ep, &run);
    assert_int_not_equal(run.connect_status, REDIS_OK);
    assert_int_not_equal(run.connect_status, -100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sync_plain_and_select),
        cmocka_unit_test(sync_acl_user),
        cmocka_unit_test(sync_password_only),
        cmocka_unit_test(sync_unreachable),
        cmocka_unit_test(verdicts),
        cmocka_unit_test(async_acl_user_and_select),
        cmocka_unit_test(async_refusals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
