/* test_api_audit.c - the access audit end to end: a real fleetwatch-api, a real redis-server
 * holding the test fleet, real HTTP requests with good, wrong and missing tokens of each role.
 * Each audited request leaves exactly one fw:audit entry with the right fields (and the others
 * none), entries past audit_retention_days are trimmed, each gets a log line (401s
 * rate-limited), and entries that cannot be written while Redis is down are counted on /metrics
 * and logged. Arguments: the fleetwatch-api binary, the token file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api_fixture.h"

#define POLICE     "police-test-token-0001"
#define DISPATCHER "dispatcher-test-token-0002"
#define ADMIN      "admin-test-token-0003"
#define TEXT       "请靠边停车"

static const char *binary, *token_file;
static af_redis redis;
static af_api api;

static int setup(void **state)
{
    (void)state;
    const char *opts[] = {"--audit_retention_days=30", NULL};
    return af_start_fleet(&redis, &api, binary, token_file, opts);
}

static int teardown(void **state)
{
    (void)state;
    af_stop_fleet(&redis, &api);
    return 0;
}

typedef struct {
    const char *method, *target, *token, *body;
    int status;
    /* the entry expected: NULL label = none */
    const char *label, *role, *detail;
} audit_case;

static const audit_case cases[] = {
    {"GET", "/v1/vehicles/" AF_PHONE_A, POLICE, NULL, 200, "traffic-police-desk", "police", ""},
    {"GET", "/v1/violations?limit=2&type=speeding", POLICE, NULL, 200, "traffic-police-desk",
     "police", ""},
    {"GET", "/v1/violations/" AF_PHONE_A "-speeding-1", DISPATCHER, NULL, 200, "dispatch-centre",
     "dispatcher", ""},
    {"GET", "/v1/vehicles/" AF_PLATE_A_URL "/track?limit=3", ADMIN, NULL, 200, "operations",
     "admin", ""},
    {"GET", "/v1/vehicles?near=32.0603,118.7969", POLICE, NULL, 200, "traffic-police-desk",
     "police", ""},
    {"GET", "/v1/violations?type=bogus", POLICE, NULL, 400, "traffic-police-desk", "police", ""},
    {"GET", "/v1/stats", POLICE, NULL, 200, NULL, NULL, NULL},
    {"GET", "/healthz", NULL, NULL, 200, NULL, NULL, NULL},
    {"GET", "/metrics", NULL, NULL, 200, NULL, NULL, NULL},
    {"GET", "/v1/nothing", POLICE, NULL, 404, NULL, NULL, NULL},
    {"GET", "/v1/violations", NULL, NULL, 401, "", "none", "missing bearer token"},
    {"GET", "/v1/stats?from=2026-11-01", "police-test-token-0009", NULL, 401, "", "none",
     "invalid token"},
    {"POST", "/v1/vehicles/" AF_PHONE_A "/text", POLICE, "{\"text\":\"" TEXT "\"}", 403,
     "traffic-police-desk", "police", "the token's role may not do this"},
    {"POST", "/v1/vehicles/" AF_PHONE_A "/text", DISPATCHER, "{\"text\":\"" TEXT "\"}", 503,
     "dispatch-centre", "dispatcher", TEXT},
    {"POST", "/v1/admin/reload", ADMIN, NULL, 200, "operations", "admin", ""},
    {"POST", "/v1/admin/terminals/" AF_PHONE_A "/revoke", ADMIN, NULL, 200, "operations", "admin",
     ""},
};
#define N_CASES (sizeof cases / sizeof cases[0])

static const char *field(const redisReply *fields, const char *name)
{
    for (size_t i = 0; i + 1 < fields->elements; i += 2)
        if (strcmp(fields->element[i]->str, name) == 0)
            return fields->element[i + 1]->str;
    return NULL;
}

/* The entries of fw:audit once there are `want` (they are written after the answer is sent). */
static redisReply *entries(size_t want)
{
    for (int i = 0; i < 100; i++) {
        redisReply *rep = af_redis_reply(&redis, "XRANGE fw:audit - +");
        assert_non_null(rep);
        if (rep->elements >= want || i == 99)
            return rep;
        freeReplyObject(rep);
        usleep(20 * 1000);
    }
    return NULL;
}

static void check_entry(const redisReply *entry, const audit_case *c, time_t before)
{
    const redisReply *f = entry->element[1];
    char path[256];
    snprintf(path, sizeof path, "%s", c->target);
    assert_int_equal(f->elements, 2 * 8);
    assert_string_equal(field(f, "token"), c->label);
    assert_string_equal(field(f, "role"), c->role);
    assert_string_equal(field(f, "method"), c->method);
    assert_string_equal(field(f, "path"), path);
    assert_int_equal(atoi(field(f, "status")), c->status);
    assert_string_equal(field(f, "detail"), c->detail);
    assert_int_equal(strncmp(field(f, "addr"), "127.0.0.1:", 10), 0);
    struct tm tm = {0};
    const char *end = strptime(field(f, "time"), "%Y-%m-%dT%H:%M:%S", &tm);
    assert_non_null(end);
    assert_true(end[0] == '.' && strlen(end) == 5 && end[4] == 'Z');
    time_t t = timegm(&tm);
    assert_true(t >= before - 1 && t <= time(NULL) + 1);
}

/* One entry per audited request, in order, each with its fields; nothing for the rest. An
 * entry older than audit_retention_days (30 here) is trimmed by the next write. */
static void each_audited_request_leaves_one_entry(void **state)
{
    (void)state;
    assert_int_equal(af_redis_cmd(&redis, "XADD fw:audit 1000-0 time 1970-01-01T00:00:01.000Z"), 0);
    time_t before = time(NULL);
    size_t expected = 0;
    for (size_t i = 0; i < N_CASES; i++) {
        af_response r;
        assert_int_equal(af_http(api.port, cases[i].method, cases[i].target, cases[i].token,
                                 cases[i].body, NULL, &r),
                         0);
        assert_int_equal(r.status, cases[i].status);
        af_response_free(&r);
        expected += cases[i].label != NULL;
    }
    redisReply *rep = entries(expected);
    assert_int_equal(rep->elements, expected);
    size_t k = 0;
    for (size_t i = 0; i < N_CASES; i++)
        if (cases[i].label)
            check_entry(rep->element[k++], &cases[i], before);
    freeReplyObject(rep);
}

static char *read_log(void)
{
    FILE *f = fopen(api.log_path, "r");
    assert_non_null(f);
    static char log[1 << 18];
    size_t n = fread(log, 1, sizeof log - 1, f);
    fclose(f);
    log[n] = '\0';
    return log;
}

static size_t count(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* One line per entry with the token's label, never the token; the two 401s of the previous
 * test came within 10 s: one line. */
static void each_entry_is_logged(void **state)
{
    (void)state;
    const char *log = read_log();
    assert_non_null(
        strstr(log, "api: audit: token \"traffic-police-desk\" (role police) 127.0.0.1:"));
    assert_non_null(strstr(log, " GET /v1/vehicles/" AF_PHONE_A " -> 200\n"));
    assert_non_null(strstr(log, " GET /v1/violations?limit=2&type=speeding -> 200\n"));
    assert_non_null(strstr(log, "\"dispatch-centre\" (role dispatcher)"));
    assert_non_null(strstr(log, " POST /v1/vehicles/" AF_PHONE_A "/text -> 503: " TEXT "\n"));
    assert_non_null(strstr(log, " POST /v1/vehicles/" AF_PHONE_A "/text -> 403"));
    assert_non_null(strstr(log, " POST /v1/admin/reload -> 200\n"));
    assert_non_null(strstr(log, " POST /v1/admin/terminals/" AF_PHONE_A "/revoke -> 200\n"));
    assert_int_equal(count(log, "api: audit: token"), 10);
    assert_int_equal(count(log, "-> 401"), 1);
    assert_null(strstr(log, "test-token"));
}

static long long metric(const char *body, const char *name)
{
    const char *p = strstr(body, name);
    assert_non_null(p);
    return atoll(p + strlen(name));
}

/* Redis down: the audited request is answered 503, its entry cannot be written: counted on
 * /metrics and logged. Redis back: entries are written again. */
static void failed_writes_are_counted_and_logged(void **state)
{
    (void)state;
    static const char failed[] = "fleetwatch_api_audit_entries_total{result=\"failed\"} ";
    static const char written[] = "fleetwatch_api_audit_entries_total{result=\"written\"} ";
    af_response r;
    assert_int_equal(af_http(api.port, "GET", "/metrics", NULL, NULL, NULL, &r), 0);
    assert_int_equal(metric(r.body, failed), 0);
    long long written_before = metric(r.body, written);
    assert_int_equal(written_before, 12);
    af_response_free(&r);
    af_redis_stop(&redis);
    assert_int_equal(af_http(api.port, "GET", "/v1/vehicles/" AF_PHONE_A, POLICE, NULL, NULL, &r),
                     0);
    assert_int_equal(r.status, 503);
    af_response_free(&r);
    assert_int_equal(af_redis_restart(&redis), 0);
    for (int i = 0; i < 50; i++) { /* api_reconnect_ms is 500 */
        assert_int_equal(af_http(api.port, "GET", "/healthz", NULL, NULL, NULL, &r), 0);
        int status = r.status;
        af_response_free(&r);
        if (status == 200)
            break;
        usleep(100 * 1000);
    }
    assert_int_equal(af_http(api.port, "GET", "/v1/vehicles/" AF_PHONE_A, POLICE, NULL, NULL, &r),
                     0);
    assert_int_equal(r.status, 404); /* the fresh Redis holds no vehicle */
    af_response_free(&r);
    redisReply *rep = entries(1);
    assert_int_equal(rep->elements, 1);
    freeReplyObject(rep);
    assert_int_equal(af_http(api.port, "GET", "/metrics", NULL, NULL, NULL, &r), 0);
    assert_int_equal(metric(r.body, failed), 1);
    assert_int_equal(metric(r.body, written), written_before + 1);
    af_response_free(&r);
    assert_non_null(strstr(read_log(), "audit entry not written to fw:audit"));
}

/* The value of field name in one XRANGE entry ("" when absent). */
static const char *field_of(const redisReply *entry, const char *name)
{
    const redisReply *f = entry->element[1];
    for (size_t i = 0; i + 1 < f->elements; i += 2)
        if (!strcmp(f->element[i]->str, name))
            return f->element[i + 1]->str;
    return "";
}

/* A flood without a token: at most 100 401 entries at once (then 10/s), the rest counted as
 * suppressed, and the next 401 entry written says how many it stands for. */
static void a_401_flood_does_not_fill_the_stream(void **state)
{
    (void)state;
    static const char suppressed[] = "fleetwatch_api_audit_entries_total{result=\"suppressed\"} ";
    freeReplyObject(af_redis_reply(&redis, "DEL fw:audit"));
    af_response r;
    enum { FLOOD = 300 };
    for (int i = 0; i < FLOOD; i++) {
        assert_int_equal(af_http(api.port, "GET", "/v1/violations", NULL, NULL, NULL, &r), 0);
        assert_int_equal(r.status, 401);
        af_response_free(&r);
    }
    redisReply *rep = entries(100);
    size_t written = rep->elements;
    freeReplyObject(rep);
    assert_true(written >= 100 && written < FLOOD / 2); /* the burst, and 10/s while it ran */
    assert_int_equal(af_http(api.port, "GET", "/metrics", POLICE, NULL, NULL, &r), 0);
    long long dropped = metric(r.body, suppressed);
    af_response_free(&r);
    assert_int_equal((long long)written + dropped, FLOOD);
    usleep(300 * 1000); /* room for another entry */
    assert_int_equal(af_http(api.port, "GET", "/v1/violations", NULL, NULL, NULL, &r), 0);
    af_response_free(&r);
    rep = entries(written + 1);
    assert_int_equal(rep->elements, written + 1);
    /* every 401 left out is named by exactly one later entry: "(and N earlier 401s ...)" */
    long long named = 0;
    for (size_t i = 0; i < rep->elements; i++) {
        const char *and = strstr(field_of(rep->element[i], "detail"), "(and ");
        if (and) {
            assert_non_null(strstr(and, " earlier 401s not recorded: over 10/s)"));
            named += atoll(and+5);
        }
    }
    assert_int_equal(named, dropped);
    assert_non_null(strstr(field_of(rep->element[written], "detail"), "earlier 401s not recorded"));
    freeReplyObject(rep);
}

int main(int argc, char **argv)
{
    if (af_args(argc, argv, 0, "", &binary, &token_file) != 0)
        return 2;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_audited_request_leaves_one_entry),
        cmocka_unit_test(each_entry_is_logged),
        cmocka_unit_test(failed_writes_are_counted_and_logged),
        cmocka_unit_test(a_401_flood_does_not_fill_the_stream),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
