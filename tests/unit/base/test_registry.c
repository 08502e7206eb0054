/* test_registry.c - the vehicle registry: JSON loading (also a generated 100,000-vehicle one),
 * validation, lookups, references. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw/base/registry.h"

#define LARGE_FLEET 100000

/* {"vehicles":[...]} with `count` vehicles: phone 13900000000+i, plate L<i>, seats i % 60; the
 * vehicle at `bad_at` (count or more: none) gets a class the registry refuses. Caller frees. */
static char *large_registry_json(size_t count, size_t bad_at)
{
    static const char item[] =
        "{\"phone\":\"%llu\",\"plate\":\"L%zu\",\"class\":\"%s\",\"seats\":%zu},";
    size_t cap = 32 + count * (sizeof item + 40), len = 0;
    char *json = malloc(cap);
    assert_non_null(json);
    len += (size_t)snprintf(json, cap, "{\"vehicles\":[");
    for (size_t i = 0; i < count; i++)
        len += (size_t)snprintf(json + len, cap - len, item, 13900000000ULL + i, i,
                                i == bad_at ? "tank" : "line_coach", i % 60);
    snprintf(json + len - 1, cap - len + 1, "]}");
    return json;
}

static const char two_vehicles[] =
    "{\"vehicles\":["
    "{\"phone\":\"013800000001\",\"plate\":\"\xe4\xba\xac"
    "A12345\",\"plate_color\":1,"
    "\"class\":\"tour_coach\",\"seats\":45,\"max_gross_kg\":18000,\"axles\":2,"
    "\"long_distance\":true,\"route_id\":7},"
    "{\"phone\":\"13800000002\",\"plate\":\"B99999\",\"class\":\"dangerous_goods\","
    "\"rated_load_kg\":30000,\"articulated\":true,\"night_ban_exempt\":true}]}";

static void parses_fields_and_looks_up(void **state)
{
    (void)state;
    char err[200];
    fw_registry *r = fw_registry_parse(two_vehicles, strlen(two_vehicles), err, sizeof err);
    assert_non_null(r);
    assert_int_equal(fw_registry_count(r), 2);
    const fw_vehicle *v = fw_registry_by_phone(r, "13800000001");
    assert_non_null(v);
    assert_string_equal(v->phone, "13800000001"); /* leading zero stripped */
    assert_string_equal(v->plate, "\xe4\xba\xac"
                                  "A12345");
    assert_int_equal(v->plate_color, 1);
    assert_int_equal(v->vclass, FW_CLASS_TOUR_COACH);
    assert_int_equal(v->seats, 45);
    assert_int_equal(v->max_gross_kg, 18000);
    assert_int_equal(v->axles, 2);
    assert_true(v->long_distance);
    assert_false(v->night_ban_exempt);
    assert_int_equal(v->route_id, 7);
    assert_ptr_equal(fw_registry_by_phone(r, "0013800000001"), v);
    assert_ptr_equal(fw_registry_by_plate(r, "\xe4\xba\xac"
                                             "A12345"),
                     v);

    const fw_vehicle *d = fw_registry_by_plate(r, "B99999");
    assert_non_null(d);
    assert_int_equal(d->vclass, FW_CLASS_DANGEROUS_GOODS);
    assert_int_equal(d->rated_load_kg, 30000);
    assert_true(d->articulated);
    assert_true(d->night_ban_exempt);
    assert_null(fw_registry_by_phone(r, "13800000003"));
    assert_null(fw_registry_by_plate(r, "A12345"));
    assert_string_equal(fw_vehicle_class_name(d->vclass), "dangerous_goods");
    assert_string_equal(fw_vehicle_class_name(FW_CLASS__COUNT), "");
    assert_int_equal(fw_vehicle_class_from_name("tour_coach"), FW_CLASS_TOUR_COACH);
    assert_int_equal(fw_vehicle_class_from_name("truck"), FW_CLASS_TRUCK);
    assert_int_equal(fw_vehicle_class_from_name("tank"), -1);
    assert_int_equal(fw_vehicle_class_from_name(NULL), -1);
    fw_registry_unref(r);
}

static void rejects_bad_input_with_reason(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        const char *reason;
    } cases[] = {
        {"{", "JSON"},
        {"{\"cars\":[]}", "vehicles"},
        {"{\"vehicles\":[{\"plate\":\"A1\"}]}", "phone"},
        {"{\"vehicles\":[{\"phone\":\"12a\",\"plate\":\"A1\"}]}", "phone"},
        {"{\"vehicles\":[{\"phone\":\"1\",\"plate\":\"A1\",\"seats\":-1}]}", "seats"},
        {"{\"vehicles\":[{\"phone\":\"1\",\"plate\":\"A1\",\"class\":\"tank\"}]}", "class"},
        {"{\"vehicles\":[{\"phone\":\"1\",\"plate\":\"A1\",\"axles\":1.5}]}", "axles"},
        {"{\"vehicles\":[{\"phone\":\"1\",\"plate\":\"A1\"},{\"phone\":\"01\",\"plate\":\"A2\"}]}",
         "duplicate"},
        {"{\"vehicles\":[{\"phone\":\"1\",\"plate\":\"A1\"},{\"phone\":\"2\",\"plate\":\"A1\"}]}",
         "duplicate"},
        {"{\"vehicles\":[{\"phone\":\"1\",\"plate\":\"A1\",\"manufacturer_id\":\"123456789012\"}]}",
         "manufacturer_id: too long"},
        {"{\"vehicles\":[{\"phone\":\"1\",\"plate\":\"A1\",\"accept_any_terminal\":1}]}",
         "accept_any_terminal"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char err[200] = "";
        fw_registry *r = fw_registry_parse(cases[i].json, strlen(cases[i].json), err, sizeof err);
        assert_null(r);
        assert_non_null(strstr(err, cases[i].reason));
    }
}

static void loads_test_file(void **state)
{
    (void)state;
    char err[300];
    fw_registry *r = fw_registry_load(FW_TEST_DATA_DIR "/registry_test.json", err, sizeof err);
    assert_non_null(r);
    assert_true(fw_registry_count(r) >= 3);
    for (size_t i = 0; i < fw_registry_count(r); i++) {
        const fw_vehicle *v = fw_registry_at(r, i);
        assert_ptr_equal(fw_registry_by_phone(r, v->phone), v);
        assert_ptr_equal(fw_registry_by_plate(r, v->plate), v);
    }
    assert_null(fw_registry_at(r, fw_registry_count(r)));
    assert_string_equal(fw_registry_by_phone(r, "13800000002")->terminal_id, "0000002");
    const fw_vehicle *bus = fw_registry_by_phone(r, "13800000004");
    assert_string_equal(bus->manufacturer_id, "MAKER");
    assert_string_equal(bus->terminal_model, "MODEL");
    assert_false(bus->accept_any_terminal);
    assert_string_equal(fw_registry_by_phone(r, "13800000001")->manufacturer_id, "");
    fw_registry_unref(r);
    assert_null(fw_registry_load("/nonexistent/registry.json", err, sizeof err));
    assert_non_null(strstr(err, "/nonexistent/registry.json"));
}

static void large_registry_finds_every_vehicle(void **state)
{
    (void)state;
    char err[200], phone[16], plate[16];
    char *json = large_registry_json(LARGE_FLEET, LARGE_FLEET);
    fw_registry *r = fw_registry_parse(json, strlen(json), err, sizeof err);
    free(json);
    assert_non_null(r);
    assert_int_equal(fw_registry_count(r), LARGE_FLEET);
    for (size_t i = 0; i < LARGE_FLEET; i++) {
        snprintf(phone, sizeof phone, "%llu", 13900000000ULL + i);
        snprintf(plate, sizeof plate, "L%zu", i);
        const fw_vehicle *v = fw_registry_by_phone(r, phone);
        assert_ptr_equal(v, fw_registry_at(r, i)); /* in file order */
        assert_ptr_equal(fw_registry_by_plate(r, plate), v);
        assert_int_equal(v->seats, i % 60);
    }
    fw_registry_unref(r);
}

static void large_registry_names_the_bad_vehicle(void **state)
{
    (void)state;
    char err[200] = "";
    char *json = large_registry_json(LARGE_FLEET, LARGE_FLEET - 1);
    assert_null(fw_registry_parse(json, strlen(json), err, sizeof err));
    free(json);
    assert_string_equal(err, "vehicle 99999: class: unknown vehicle class");
}

static void references_keep_it_alive(void **state)
{
    (void)state;
    char err[200];
    fw_registry *r = fw_registry_parse(two_vehicles, strlen(two_vehicles), err, sizeof err);
    fw_registry_ref(r, 2);
    fw_registry_unref(r);
    fw_registry_unref(r);
    /* one reference left: still readable (ASan would flag a use after free) */
    assert_non_null(fw_registry_by_plate(r, "B99999"));
    fw_registry_unref(r);
    fw_registry_unref(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_fields_and_looks_up),
        cmocka_unit_test(rejects_bad_input_with_reason),
        cmocka_unit_test(loads_test_file),
        cmocka_unit_test(large_registry_finds_every_vehicle),
        cmocka_unit_test(large_registry_names_the_bad_vehicle),
        cmocka_unit_test(references_keep_it_alive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
