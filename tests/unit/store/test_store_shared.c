/* test_store_shared.c - the registry and geodata shared through Redis: scripts/fw-load-registry
 * loads and checks the files, fw_store_fetch reads them back verbatim, and a watch hears the
 * change notifications (and "*" after subscribing).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <event2/event.h>

#include "fw/store/store.h"
#include "redis_fixture.h"

#define LOADER   FW_TEST_DATA_DIR "/../../scripts/fw-load-registry"
#define REGISTRY FW_TEST_DATA_DIR "/registry_test.json"
#define ZONES    FW_TEST_DATA_DIR "/rules/jiangsu_zones.geojson"
#define ROUTES   FW_TEST_DATA_DIR "/rules/jiangsu_routes.geojson"

typedef struct {
    rf_redis redis;
    fw_store_config cfg;
    char heard[8][16];
    unsigned nheard;
} env;

static int setup(void **state)
{
    static env e;
    memset(&e, 0, sizeof e);
    if (rf_start(&e.redis, NULL) < 0)
        return -1;
    fw_store_config_defaults(&e.cfg);
    e.cfg.redis_port = e.redis.port;
    e.cfg.reconnect_min_ms = 20;
    *state = &e;
    return 0;
}

static int teardown(void **state)
{
    rf_destroy(&((env *)*state)->redis);
    return 0;
}

static int run_loader(const env *e, const char *args)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s -p %u %s >/dev/null 2>&1", LOADER, e->redis.port, args);
    return system(cmd);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 20];
    *len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return buf;
}

static void registry_is_loaded_and_fetched_verbatim(void **state)
{
    env *e = *state;
    char err[256];
    size_t len, file_len;
    assert_null(fw_store_fetch(&e->cfg, "registry", &len, err, sizeof err));
    assert_non_null(strstr(err, "fw:registry is not set"));

    assert_int_equal(run_loader(e, "--registry " REGISTRY), 0);
    char *text = fw_store_fetch(&e->cfg, "registry", &len, err, sizeof err);
    assert_non_null(text);
    const char *file = read_file(REGISTRY, &file_len);
    assert_int_equal(len, file_len);
    assert_memory_equal(text, file, len);
    free(text);
    redisReply *version = rf_cmd(&e->redis, "GET fw:registry:version");
    assert_string_equal(version->str, "1");
    freeReplyObject(version);
}

static void bad_files_change_nothing(void **state)
{
    env *e = *state;
    const char *dup = "/tmp/fw-store-dup-registry.json";
    FILE *f = fopen(dup, "w");
    fputs("{\"vehicles\":[{\"phone\":\"1\",\"plate\":\"A\"},{\"phone\":\"1\",\"plate\":\"B\"}]}",
          f);
    fclose(f);
    redisReply *before = rf_cmd(&e->redis, "GET fw:registry:version");
    assert_int_not_equal(run_loader(e, "--registry /tmp/fw-store-dup-registry.json"), 0);
    assert_int_not_equal(run_loader(e, "--geojson " REGISTRY), 0); /* not a FeatureCollection */
    assert_int_not_equal(run_loader(e, "--registry /nonexistent.json"), 0);
    redisReply *after = rf_cmd(&e->redis, "GET fw:registry:version");
    assert_string_equal(before->str, after->str);
    assert_int_equal(rf_int(&e->redis, "EXISTS fw:geodata"), 0);
    freeReplyObject(before);
    freeReplyObject(after);
    unlink(dup);
}

static void on_change(void *ctx, const char *what)
{
    env *e = ctx;
    if (e->nheard < 8)
        snprintf(e->heard[e->nheard++], sizeof e->heard[0], "%s", what);
}

static void run_until_heard(struct event_base *base, env *e, unsigned n)
{
    for (int i = 0; i < 200 && e->nheard < n; i++) {
        struct timeval tv = {0, 10000};
        event_base_loopexit(base, &tv);
        event_base_dispatch(base);
    }
}

static void watch_hears_loads(void **state)
{
    env *e = *state;
    struct event_base *base = event_base_new();
    fw_store_watch *w = fw_store_watch_new(&e->cfg, base, on_change, e);
    assert_non_null(w);
    run_until_heard(base, e, 1);
    assert_int_equal(e->nheard, 1);
    assert_string_equal(e->heard[0], "*");

    assert_int_equal(run_loader(e, "--geojson " ZONES " --geojson " ROUTES), 0);
    run_until_heard(base, e, 2);
    assert_int_equal(e->nheard, 2);
    assert_string_equal(e->heard[1], "geodata");
    fw_store_watch_free(w);
    event_base_free(base);

    char err[256];
    size_t len;
    char *geo = fw_store_fetch(&e->cfg, "geodata", &len, err, sizeof err);
    assert_non_null(geo);
    assert_non_null(strstr(geo, "FeatureCollection"));
    assert_non_null(strstr(geo, "LineString")); /* the routes were merged in */
    assert_non_null(strstr(geo, "Polygon"));
    free(geo);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(registry_is_loaded_and_fetched_verbatim),
        cmocka_unit_test(bad_files_change_nothing),
        cmocka_unit_test(watch_hears_loads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
