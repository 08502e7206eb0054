/* test_api_hooks.c - the API inside a gateway process: fw_api_start with hooks standing in
 * for the gateway (a send_text that completes from another thread like a gateway worker, a
 * metrics renderer, a reload), against a real redis-server. Covers text sending outcomes,
 * /metrics with the gateway's text and a closed /metrics, admin reload, and stopping while a
 * text waits for its terminal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api_fixture.h"
#include "fw/api/api.h"

#define POLICE       "police-test-token-0001"
#define DISPATCHER   "dispatcher-test-token-0002"
#define ADMIN        "admin-test-token-0003"
#define PHONE_CLOSED "13000000001"
#define PHONE_HELD   "13000000002" /* completion held back until the test releases it */

static const char *token_file;
static af_redis redis;
static fw_api *api;

/* ---- the fake gateway ------------------------------------------------------------------ */

typedef struct {
    fw_downlink_cb cb;
    void *ctx;
    fw_downlink_status status;
} completion;

static char sent_phone[32], sent_text[1024];
static uint8_t sent_flags;
static uint32_t sent_timeout_ms;
static int reloads, reload_fails;
static completion held;

static void *complete_later(void *arg)
{
    completion *c = arg;
    struct timespec ts = {0, 20 * 1000 * 1000};
    nanosleep(&ts, NULL);
    c->cb(c->ctx, c->status, 0, 77);
    free(c);
    return NULL;
}

static int fake_send_text(void *ctx, const char *phone, uint8_t flags, const char *utf8,
                          uint32_t timeout_ms, fw_downlink_cb cb, void *cb_ctx)
{
    (void)ctx;
    sent_timeout_ms = timeout_ms;
    snprintf(sent_phone, sizeof sent_phone, "%s", phone);
    snprintf(sent_text, sizeof sent_text, "%s", utf8);
    sent_flags = flags;
    if (strcmp(phone, AF_PHONE_C) == 0)
        return -1; /* not connected */
    if (strcmp(phone, PHONE_HELD) == 0) {
        held = (completion){cb, cb_ctx, FW_DL_ANSWERED};
        return 0;
    }
    completion *c = malloc(sizeof *c);
    *c = (completion){cb, cb_ctx,
                      strcmp(phone, AF_PHONE_B) == 0     ? FW_DL_TIMEOUT
                      : strcmp(phone, PHONE_CLOSED) == 0 ? FW_DL_CLOSED
                                                         : FW_DL_ANSWERED};
    pthread_t t;
    pthread_create(&t, NULL, complete_later, c);
    pthread_detach(t);
    return 0;
}

/* A gateway text longer than the API's first buffer (64 KiB), to exercise the retry. */
static size_t fake_render(void *ctx, char *out, size_t cap)
{
    (void)ctx;
    const char *line = "# padding line of the fake gateway's metrics text.................\n";
    size_t n = 0, len = strlen(line);
    for (int i = 0; i < 1100; i++, n += len)
        if (n + len < cap)
            memcpy(out + n, line, len);
    const char *tail = "fleetwatch_connections_open 5\n";
    if (n + strlen(tail) < cap)
        memcpy(out + n, tail, strlen(tail) + 1);
    return n + strlen(tail);
}

static int fake_reload(void *ctx, char *err, size_t errcap)
{
    (void)ctx;
    reloads++;
    if (reload_fails) {
        snprintf(err, errcap, "zones.geojson: line 3: bad polygon");
        return -1;
    }
    return 0;
}

/* ---- setup ---------------------------------------------------------------------------- */

static int setup(void **state)
{
    (void)state;
    if (af_redis_start(&redis) != 0 || af_populate(&redis) != 0)
        return -1;
    fw_api_config cfg;
    char err[256], port[16];
    fw_api_config_defaults(&cfg);
    snprintf(port, sizeof port, "%u", redis.port);
    if (fw_api_config_set(&cfg, "redis_port", port, err, sizeof err) != 0 ||
        fw_api_config_set(&cfg, "api_listen", "127.0.0.1:0", err, sizeof err) != 0 ||
        fw_api_config_set(&cfg, "api_token_file", token_file, err, sizeof err) != 0 ||
        fw_api_config_set(&cfg, "api_metrics_open", "0", err, sizeof err) != 0)
        return -1;
    fw_api_hooks hooks = {
        .render_metrics = fake_render, .send_text = fake_send_text, .reload = fake_reload};
    api = fw_api_start(&cfg, &hooks, err, sizeof err);
    return api ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fw_api_stop(api);
    af_redis_stop(&redis);
    return 0;
}

static af_response post_text(const char *vehicle, const char *body, const char *token)
{
    char target[128];
    af_response r;
    snprintf(target, sizeof target, "/v1/vehicles/%s/text", vehicle);
    assert_int_equal(af_http(fw_api_port(api), "POST", target, token, body, NULL, &r), 0);
    return r;
}

/* ---- tests ---------------------------------------------------------------------------- */

/* The newest fw:audit entry is this text's, with the sender's token label, the status and the
 * text (entries are written after the answer: waits for it). Fields in order: time, token,
 * role, addr, method, path, status, detail. */
static void expect_text_audited(const char *path, const char *status, const char *text)
{
    for (int i = 0; i < 100; i++) {
        redisReply *rep = af_redis_reply(&redis, "XREVRANGE fw:audit + - COUNT 1");
        assert_non_null(rep);
        const redisReply *f = rep->elements ? rep->element[0]->element[1] : NULL;
        bool match = f && f->elements == 16 && strcmp(f->element[11]->str, path) == 0;
        if (match) {
            assert_string_equal(f->element[3]->str, "dispatch-centre");
            assert_string_equal(f->element[9]->str, "POST");
            assert_string_equal(f->element[13]->str, status);
            assert_string_equal(f->element[15]->str, text);
        }
        freeReplyObject(rep);
        if (match)
            return;
        usleep(20 * 1000);
    }
    fail_msg("no audit entry for %s", path);
}

static void text_answered_by_terminal(void **state)
{
    (void)state;
    af_response r =
        post_text(AF_PLATE_A_URL, "{\"text\":\"前方拥堵，请减速\",\"tts\":true}", DISPATCHER);
    assert_int_equal(r.status, 200);
    assert_string_equal(af_str(r.json, "phone"), AF_PHONE_A);
    assert_string_equal(af_str(r.json, "result"), "ok");
    assert_int_equal((int)af_num(r.json, "result_code"), 0);
    assert_int_equal((int)af_num(r.json, "serial"), 77);
    assert_string_equal(sent_phone, AF_PHONE_A);
    assert_string_equal(sent_text, "前方拥堵，请减速");
    assert_int_equal(sent_flags, JT_TEXT_DISPLAY | JT_TEXT_TTS);
    assert_int_equal(sent_timeout_ms, 10000); /* api_text_timeout_ms */
    af_response_free(&r);
    expect_text_audited("/v1/vehicles/" AF_PLATE_A_URL "/text", "200", "前方拥堵，请减速");
    r = post_text(AF_PHONE_A, "{\"text\":\"hello\"}", ADMIN);
    assert_int_equal(r.status, 200);
    assert_int_equal(sent_flags, JT_TEXT_DISPLAY);
    af_response_free(&r);
}

static void text_failures(void **state)
{
    (void)state;
    static const struct {
        const char *vehicle;
        int status;
    } cases[] = {
        {AF_PHONE_B, 504}, {PHONE_CLOSED, 502}, {AF_PHONE_C, 409}, {"%E4%BA%ACA00000", 404}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        af_response r = post_text(cases[i].vehicle, "{\"text\":\"hi\"}", DISPATCHER);
        assert_int_equal(r.status, cases[i].status);
        assert_non_null(af_str(r.json, "error"));
        af_response_free(&r);
        char path[128], status[8];
        snprintf(path, sizeof path, "/v1/vehicles/%s/text", cases[i].vehicle);
        snprintf(status, sizeof status, "%d", cases[i].status);
        expect_text_audited(path, status, "hi");
    }
    af_response r = post_text(AF_PHONE_A, "{\"text\":\"hi\"}", POLICE);
    assert_int_equal(r.status, 403);
    af_response_free(&r);
}

/* A text the terminal could not show, or that a NUL would cut short, is refused with the
 * reason before anything reaches the gateway (it used to be 409 and a silent cut). */
static void texts_gbk_cannot_carry_are_400(void **state)
{
    (void)state;
    static const char *const bodies[] = {"{\"text\":\"\xf0\x9f\x98\x80 ok\"}",
                                         "{\"text\":\"stop\\u0000here\"}"};
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        sent_phone[0] = '\0';
        af_response r = post_text(AF_PHONE_A, bodies[i], DISPATCHER);
        assert_int_equal(r.status, 400);
        assert_string_equal(af_str(r.json, "param"), "text");
        assert_string_equal(sent_phone, "");
        af_response_free(&r);
    }
    af_response r = post_text(AF_PHONE_A, "{\"text\":\"粤B·前方施工\"}", DISPATCHER);
    assert_int_equal(r.status, 200);
    assert_string_equal(sent_text, "粤B·前方施工");
    af_response_free(&r);
}

static void metrics_closed_and_with_gateway_text(void **state)
{
    (void)state;
    af_response r;
    assert_int_equal(af_http(fw_api_port(api), "GET", "/metrics", NULL, NULL, NULL, &r), 0);
    assert_int_equal(r.status, 401);
    af_response_free(&r);
    assert_int_equal(af_http(fw_api_port(api), "GET", "/metrics", POLICE, NULL, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(r.body_len > 64 * 1024);
    char *gw = strstr(r.body, "fleetwatch_connections_open 5\n");
    char *own = strstr(r.body, "fleetwatch_api_requests_total");
    assert_non_null(gw);
    assert_non_null(own);
    assert_true(gw < own);
    af_response_free(&r);
    assert_int_equal(af_http(fw_api_port(api), "GET", "/healthz", NULL, NULL, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "gateway")));
    af_response_free(&r);
}

static void reload_calls_the_gateway(void **state)
{
    (void)state;
    af_response r;
    int before = reloads;
    assert_int_equal(af_http(fw_api_port(api), "POST", "/v1/admin/reload", ADMIN, NULL, NULL, &r),
                     0);
    assert_int_equal(r.status, 200);
    assert_int_equal(reloads, before + 1);
    af_response_free(&r);
    reload_fails = 1;
    assert_int_equal(af_http(fw_api_port(api), "POST", "/v1/admin/reload", ADMIN, NULL, NULL, &r),
                     0);
    reload_fails = 0;
    assert_int_equal(r.status, 500);
    assert_string_equal(af_str(r.json, "error"), "zones.geojson: line 3: bad polygon");
    af_response_free(&r);
}

static void *post_held(void *arg)
{
    af_response *r = arg;
    *r = post_text(PHONE_HELD, "{\"text\":\"wait\"}", DISPATCHER);
    return NULL;
}

/* Last: stopping answers a text still waiting for its terminal; its late completion is
 * absorbed. */
static void stop_answers_waiting_texts(void **state)
{
    (void)state;
    af_response r;
    pthread_t t;
    held.cb = NULL;
    pthread_create(&t, NULL, post_held, &r);
    for (int i = 0; i < 200 && held.cb == NULL; i++) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    assert_non_null(held.cb);
    fw_api_stop(api);
    api = NULL;
    pthread_join(t, NULL);
    assert_int_equal(r.status, 503);
    assert_string_equal(af_str(r.json, "error"), "the API is stopping");
    af_response_free(&r);
    held.cb(held.ctx, FW_DL_ANSWERED, 0, 1);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s <token file>\n", argv[0]);
        return 2;
    }
    token_file = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_answered_by_terminal),
        cmocka_unit_test(text_failures),
        cmocka_unit_test(texts_gbk_cannot_carry_are_400),
        cmocka_unit_test(metrics_closed_and_with_gateway_text),
        cmocka_unit_test(reload_calls_the_gateway),
        cmocka_unit_test(stop_answers_waiting_texts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
