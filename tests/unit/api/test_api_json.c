/* test_api_json.c - answer shapes: fixed-point numbers, vehicle fields from Redis text,
 * violation records from protobuf (times +08:00, open episodes, evidence). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_add.h"
#include "json_out.h"

/* o printed without spaces; the caller frees. */
static char *print(cJSON *o)
{
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return text;
}

static void fixed_point_numbers(void **state)
{
    (void)state;
    static const struct {
        int64_t v;
        unsigned decimals;
        const char *text;
    } cases[] = {{32060300, 6, "32.0603"},
                 {-118796900, 6, "-118.7969"},
                 {0, 6, "0"},
                 {5, 6, "0.000005"},
                 {-5, 1, "-0.5"},
                 {625, 1, "62.5"},
                 {600, 1, "60"},
                 {INT64_MAX, 0, "9223372036854775807"},
                 {INT64_MIN, 0, "-9223372036854775808"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cJSON *o = cJSON_CreateObject();
        api_j_fixed(o, "v", cases[i].v, cases[i].decimals);
        char *text = print(o), want[64];
        snprintf(want, sizeof want, "{\"v\":%s}", cases[i].text);
        assert_string_equal(text, want);
        cJSON_free(text);
    }
    cJSON *o = cJSON_CreateObject();
    api_j_num(o, "a", 105);
    api_j_num(o, "b", 105.5);
    api_j_time(o, "t", 1795824000);
    api_j_time(o, "z", 0);
    api_j_str(o, "s", "");
    char *text = print(o);
    assert_string_equal(text, "{\"a\":105,\"b\":105.5,\"t\":\"2026-11-28T08:00:00+08:00\","
                              "\"z\":null,\"s\":null}");
    cJSON_free(text);
}

/* o printed and parsed back (raw number nodes become numbers); consumes o. */
static cJSON *reparse(cJSON *o)
{
    char *text = print(o);
    cJSON *back = cJSON_Parse(text);
    cJSON_free(text);
    assert_non_null(back);
    return back;
}

static int field_index(const char *redis_name)
{
    for (size_t i = 0; i < api_vehicle_field_count(); i++)
        if (strcmp(api_vehicle_field_name(i), redis_name) == 0)
            return (int)i;
    fail_msg("no field %s", redis_name);
    return -1;
}

static void vehicle_fields_from_redis_text(void **state)
{
    (void)state;
    static const struct {
        const char *field, *value, *json;
    } cases[] = {
        {"plate", "苏G12345", "{\"plate\":\"苏G12345\"}"},
        {"class", "tour_coach", "{\"vehicle_class\":\"tour_coach\"}"},
        {"lat", "32.060300", "{\"lat\":32.060300}"},
        {"lon", "-0.5", "{\"lon\":-0.5}"},
        {"speed_kmh", "", "{\"speed_kmh\":null}"},
        {"speed_kmh", "inf", "{\"speed_kmh\":null}"},
        {"speed_kmh", "1e5", "{\"speed_kmh\":null}"},
        {"speed_kmh", "012", "{\"speed_kmh\":null}"},
        {"speed_kmh", "12.", "{\"speed_kmh\":null}"},
        {"gnss_time", "1795824000", "{\"gnss_time\":\"2026-11-28T08:00:00+08:00\"}"},
        {"online", "1", "{\"online\":true}"},
        {"online", "0", "{\"online\":false}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cJSON *o = cJSON_CreateObject();
        api_vehicle_field_json(o, (size_t)field_index(cases[i].field), cases[i].value,
                               strlen(cases[i].value));
        char *text = print(o);
        assert_string_equal(text, cases[i].json);
        cJSON_free(text);
    }
}

static void violation_open_and_closed(void **state)
{
    (void)state;
    Fleetwatch__EvidencePoint e = FLEETWATCH__EVIDENCE_POINT__INIT, *ev[1] = {&e};
    e.gnss_time = 1795824060;
    e.lat_e6 = 32060300;
    e.lon_e6 = 118796900;
    e.speed_dkmh = 1053;
    e.role = "peak";
    Fleetwatch__Violation v = FLEETWATCH__VIOLATION__INIT;
    v.id = "13800138000-speeding-20261128T000000Z";
    v.type = "speeding";
    v.start_time = 1795824000;
    v.end_time = 0;
    v.end_lat_e6 = 1;
    v.n_evidence = 1;
    v.evidence = ev;
    cJSON *o = reparse(api_violation_json(&v, true, 1795824000 + 95));
    assert_int_equal(cJSON_GetObjectItem(o, "duration_s")->valueint, 95);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "end")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "end_lat")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "zone_id")));
    const cJSON *peak = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "evidence"), 0);
    assert_string_equal(cJSON_GetObjectItem(peak, "time")->valuestring,
                        "2026-11-28T08:01:00+08:00");
    assert_true(cJSON_GetObjectItem(peak, "speed_kmh")->valuedouble == 105.3);
    cJSON_Delete(o);
    v.end_time = 1795824300;
    o = reparse(api_violation_json(&v, false, 1795830000));
    assert_int_equal(cJSON_GetObjectItem(o, "duration_s")->valueint, 300);
    assert_string_equal(cJSON_GetObjectItem(o, "end")->valuestring, "2026-11-28T08:05:00+08:00");
    assert_true(cJSON_GetObjectItem(o, "end_lat")->valuedouble == 0.000001);
    assert_null(cJSON_GetObjectItem(o, "evidence")); /* the list carries no evidence */
    cJSON_Delete(o);
}

/* The rules store speeds in 0.1 km/h; the API presents km/h, other units as stored. */
static void violation_measures_in_presented_units(void **state)
{
    (void)state;
    static const struct {
        const char *unit;
        double value, limit, peak, mean;
        const char *json; /* value, limit, unit, peak, mean as the API prints them */
    } cases[] = {
        {"0.1km/h", 1055, 800, 1055, 963.6,
         "{\"value\":105.5,\"limit\":80,\"unit\":\"km/h\",\"peak\":105.5,\"mean\":96.4}"},
        {"0.1km/h", 400, 0, 400, 400,
         "{\"value\":40,\"limit\":0,\"unit\":\"km/h\",\"peak\":40,\"mean\":40}"},
        {"kg", 42000, 30000, 42000, 41000.5,
         "{\"value\":42000,\"limit\":30000,\"unit\":\"kg\",\"peak\":42000,\"mean\":41000.5}"},
        {"min", 128, 120, 128, 0,
         "{\"value\":128,\"limit\":120,\"unit\":\"min\",\"peak\":128,\"mean\":0}"},
    };
    static const char *const keys[] = {"value", "limit", "unit", "peak", "mean"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Fleetwatch__Violation v = FLEETWATCH__VIOLATION__INIT;
        v.unit = (char *)cases[i].unit;
        v.value = cases[i].value;
        v.limit = cases[i].limit;
        v.peak = cases[i].peak;
        v.mean = cases[i].mean;
        cJSON *full = api_violation_json(&v, true, 0), *picked = cJSON_CreateObject();
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
            cJSON_AddItemReferenceToObject(picked, keys[k], cJSON_GetObjectItem(full, keys[k]));
        char *text = print(picked); /* deletes picked, not the items it refers to */
        assert_string_equal(text, cases[i].json);
        cJSON_free(text);
        cJSON_Delete(full);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fixed_point_numbers),
        cmocka_unit_test(vehicle_fields_from_redis_text),
        cmocka_unit_test(violation_open_and_closed),
        cmocka_unit_test(violation_measures_in_presented_units),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
