/* test_redis_schema.c - the Redis key schema (redis_schema.h): key building and its buffer
 * bounds, the consistency of the fw:veh field table, and the shell scripts that spell key names
 * literally (scripts/fw-load-registry, scripts/fw-rebuild-stats) still spelling them as the
 * header does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw/base/redis_schema.h"
#include "fw/base/registry.h"
#include "fw/base/violation.h"

#define SCRIPTS_DIR FW_TEST_DATA_DIR "/../../scripts/"

static void builds_prefix_id_suffix(void **state)
{
    (void)state;
    char key[FW_REDIS_KEY_MAX];
    assert_int_equal(fw_redis_key(key, sizeof key, FW_KEY_VEHICLE, "13800000001", NULL), 18);
    assert_string_equal(key, "fw:veh:13800000001");
    assert_int_equal(
        fw_redis_key(key, sizeof key, FW_KEY_TRACK, "13800000001", FW_KEY_TRACK_LATE_SUFFIX), 25);
    assert_string_equal(key, "fw:track:13800000001:late");
    assert_int_equal(fw_redis_key(key, sizeof key, FW_KEY_VIO_BY_TIME, "", NULL), 14);
    assert_string_equal(key, "fw:vio:by_time");
    assert_int_equal(fw_redis_key(key, sizeof key, FW_KEY_PLATE, "京A12345", NULL), 9 + 9);
    assert_string_equal(key, "fw:plate:京A12345");
}

/* A key of exactly cap - 1 bytes fits; one byte more is refused, leaves "" and writes nothing
 * past cap. */
static void respects_the_buffer_bound(void **state)
{
    (void)state;
    char buf[32];
    memset(buf, 'x', sizeof buf);
    assert_int_equal(fw_redis_key(buf, 19, FW_KEY_VEHICLE, "13800000001", NULL), 18);
    assert_string_equal(buf, "fw:veh:13800000001");
    memset(buf, 'x', sizeof buf);
    assert_int_equal(fw_redis_key(buf, 18, FW_KEY_VEHICLE, "13800000001", NULL), -1);
    assert_string_equal(buf, "");
    for (size_t i = 18; i < sizeof buf; i++)
        assert_int_equal(buf[i], 'x');
    memset(buf, 'x', sizeof buf);
    assert_int_equal(fw_redis_key(buf, 0, FW_KEY_VEHICLE, "1", NULL), -1);
    assert_int_equal(buf[0], 'x');
}

/* The longest phone, plate and violation id fit FW_REDIS_KEY_MAX with the longest prefix. */
static void longest_names_fit(void **state)
{
    (void)state;
    char key[FW_REDIS_KEY_MAX], phone[FW_PHONE_MAX + 1], plate[FW_PLATE_MAX + 1];
    char id[sizeof(((fw_violation *)0)->id)];
    memset(phone, '9', sizeof phone - 1);
    phone[sizeof phone - 1] = '\0';
    memset(plate, 'P', sizeof plate - 1);
    plate[sizeof plate - 1] = '\0';
    memset(id, 'i', sizeof id - 1);
    id[sizeof id - 1] = '\0';
    assert_true(fw_redis_key(key, sizeof key, FW_KEY_TRACK, phone, FW_KEY_TRACK_LATE_SUFFIX) > 0);
    assert_true(fw_redis_key(key, sizeof key, FW_KEY_VIO_BY_VEHICLE, phone, NULL) > 0);
    assert_true(fw_redis_key(key, sizeof key, FW_KEY_VIO_BY_PLATE, plate, NULL) > 0);
    assert_true(fw_redis_key(key, sizeof key, FW_KEY_VIOLATION, id, NULL) > 0);
}

typedef struct {
    const char *name;
    fw_veh_format format;
    const char *by;
    int arg;
} veh_field;

static const veh_field veh_fields[] = {
#define VEH_ROW(field, format, by, arg, api_name) {field, FW_VEH_##format, #by, arg},
    FW_VEH_FIELD_LIST(VEH_ROW)
#undef VEH_ROW
};
#define N_VEH (sizeof veh_fields / sizeof veh_fields[0])

static const veh_field *veh_field_named(const char *name)
{
    for (size_t i = 0; i < N_VEH; i++)
        if (strcmp(veh_fields[i].name, name) == 0)
            return &veh_fields[i];
    return NULL;
}

/* Names are unique; a position record carries the STATIC then the DYNAMIC fields as consecutive
 * arguments from 5 on (after phone, id ms, cutoff, placement, pb); the script's own fields have
 * none; the fields named one by one are in the table. */
static void vehicle_fields_are_consistent(void **state)
{
    (void)state;
    int next_arg = 5;
    for (size_t i = 0; i < N_VEH; i++) {
        assert_ptr_equal(veh_field_named(veh_fields[i].name), &veh_fields[i]);
        if (strcmp(veh_fields[i].by, "SCRIPT") == 0) {
            assert_int_equal(veh_fields[i].arg, 0);
            continue;
        }
        assert_int_equal(veh_fields[i].arg, next_arg++);
        assert_true(strcmp(veh_fields[i].by, "STATIC") == 0 ||
                    strcmp(veh_fields[i].by, "DYNAMIC") == 0);
    }
    assert_int_equal(veh_field_named(FW_VEH_FIELD_RECV_TIME)->format, FW_VEH_TIME);
    assert_string_equal(veh_field_named(FW_VEH_FIELD_ONLINE)->by, "SCRIPT");
    assert_string_equal(veh_field_named(FW_VEH_FIELD_NODE)->by, "SCRIPT");
    assert_string_equal(veh_field_named(FW_VEH_FIELD_OFFLINE_TIME)->by, "SCRIPT");
}

static char *read_script(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, SCRIPTS_DIR "%s", name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *text = calloc(1, 1 << 16);
    assert_non_null(text);
    size_t n = fread(text, 1, (1 << 16) - 1, f);
    fclose(f);
    assert_true(n > 0 && n < (1 << 16) - 1);
    return text;
}

static void expect_in(const char *text, const char *needle)
{
    if (!strstr(text, needle))
        fail_msg("the script does not contain \"%s\" (redis_schema.h): update one of them", needle);
}

/* The loader writes fw:<kind>, fw:<kind>:version, uploads under fw:load: and publishes on
 * fw:changes, for the kinds the store fetches. */
static void loader_script_uses_the_schema(void **state)
{
    (void)state;
    char *text = read_script("fw-load-registry");
    expect_in(text, "redis.call('SET', '" FW_KEY_SHARED "' .. kind, text)");
    expect_in(text,
              "redis.call('INCR', '" FW_KEY_SHARED "' .. kind .. '" FW_KEY_VERSION_SUFFIX "')");
    expect_in(text, "redis.call('PUBLISH', '" FW_CHANNEL_CHANGES "', kind .. ' ' .. version)");
    expect_in(text, "\"" FW_KEY_LOAD "$$:$kind:$i\"");
    expect_in(text, "load " FW_SHARED_REGISTRY " \"$registry\"");
    expect_in(text, "load " FW_SHARED_GEODATA " \"${geojson[@]}\"");
    free(text);
}

/* The severity index rebuild reads by_time and the records' severity, writes by_severity. */
static void rebuild_stats_script_uses_the_schema(void **state)
{
    (void)state;
    char *text = read_script("fw-rebuild-stats");
    expect_in(text, "redis.call('ZSCAN', '" FW_KEY_VIO_BY_TIME "'");
    expect_in(text,
              "redis.call('HGET', '" FW_KEY_VIOLATION "' .. id, '" FW_VIO_FIELD_SEVERITY "')");
    expect_in(text, "local index = '" FW_KEY_VIO_BY_SEVERITY "' .. sev");
    expect_in(text, "--pattern '" FW_KEY_VIO_BY_SEVERITY "*'");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(builds_prefix_id_suffix),
        cmocka_unit_test(respects_the_buffer_bound),
        cmocka_unit_test(longest_names_fit),
        cmocka_unit_test(vehicle_fields_are_consistent),
        cmocka_unit_test(loader_script_uses_the_schema),
        cmocka_unit_test(rebuild_stats_script_uses_the_schema),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
