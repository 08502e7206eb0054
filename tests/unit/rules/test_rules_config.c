/* test_rules_config.c - rule engine configuration: the defaults from docs/rules.md, JSON overrides
 * (nested keys, class caps, texts), errors naming the key, and a changed value changing what
 * the rules do.
 */
#include "rules_test.h"

static void defaults(void **state)
{
    (void)state;
    fw_rules_config c;
    fw_rules_config_default(&c);
    assert_int_equal(c.speeding_min_s, 60);
    assert_int_equal(c.night_start_min, 22 * 60);
    assert_int_equal(c.night_end_min, 6 * 60);
    assert_int_equal(c.night_factor_pct, 80);
    assert_int_equal(c.class_cap_kmh[FW_CLASS_DANGEROUS_GOODS][FW_ROAD_EXPRESSWAY], 80);
    assert_int_equal(c.class_cap_kmh[FW_CLASS_DANGEROUS_GOODS][FW_ROAD_URBAN], 60);
    assert_int_equal(c.class_cap_kmh[FW_CLASS_TOUR_COACH][FW_ROAD_EXPRESSWAY], 100);
    assert_int_equal(c.axle_margin_kg, 1000);
    assert_int_equal(c.axle_limit_6_single_kg, 46000);
    assert_int_equal(c.fatigue_rest_s, 1200);
    assert_int_equal(c.fatigue_daily_s, 8 * 3600);
    assert_int_equal(c.night_ban_start_min, 120);
    assert_int_equal(c.night_ban_end_min, 300);
    assert_false(c.child_allowance);
    assert_int_equal(c.child_allowance_pct, 10);
    assert_true(c.geo_width_is_full);
    assert_true(strlen(c.warn_speeding_text) > 0);
}

static void json_overrides(void **state)
{
    (void)state;
    fw_rules_config c;
    fw_rules_config_default(&c);
    char err[128] = "";
    const char *json = "{\"speeding\":{\"min_duration_s\":10,\"class_caps_kmh\":"
                       "{\"dangerous_goods\":{\"unknown\":60},\"bus\":{\"urban\":50}}},"
                       "\"input\":{\"speed_from_tacho\":true},"
                       "\"overload\":{\"child_allowance\":true},"
                       "\"warn\":{\"speeding_text\":\"slow down\"},\"geo\":{\"cell_e6\":2000}}";
    assert_int_equal(fw_rules_config_from_json(&c, json, err, sizeof(err)), 0);
    assert_int_equal(c.speeding_min_s, 10);
    assert_int_equal(c.speeding_clear_s, 30); /* untouched */
    assert_int_equal(c.class_cap_kmh[FW_CLASS_DANGEROUS_GOODS][FW_ROAD_UNKNOWN], 60);
    assert_int_equal(c.class_cap_kmh[FW_CLASS_DANGEROUS_GOODS][FW_ROAD_EXPRESSWAY], 80);
    assert_int_equal(c.class_cap_kmh[FW_CLASS_BUS][FW_ROAD_URBAN], 50);
    assert_true(c.speed_from_tacho);
    assert_true(c.child_allowance);
    assert_string_equal(c.warn_speeding_text, "slow down");
    assert_int_equal(fw_rules_geo_config(&c).cell_e6, 2000);
}

typedef struct {
    const char *json;
    const char *err_part;
} bad_config;

static const bad_config bad[] = {
    {"[1,2]", "not a JSON object"},
    {"{\"speeding\":{\"min_duration_s\":\"60\"}}", "speeding.min_duration_s"},
    {"{\"speeding\":{\"min_duration_s\":70000}}", "speeding.min_duration_s"},
    {"{\"night\":{\"speed_factor_pct\":-1}}", "night.speed_factor_pct"},
    {"{\"overload\":{\"child_allowance\":1}}", "overload.child_allowance"},
    {"{\"input\":{\"max_gap_s\":0.5}}", "input.max_gap_s"},
    {"{\"input\":{\"load_item_id\":225}}",
     "input.load_item_id: now the fleetwatch option load_item_id"},
    {"{\"input\":{\"load_unit_kg\":10}}", "the fleetwatch option load_item_unit_kg"},
    {"{\"input\":{\"passenger_item_id\":226}}", "the fleetwatch option passenger_item_id"},
    {"{\"speeding\":{\"class_caps_kmh\":{\"truck\":{\"expressway\":\"fast\"}}}}",
     "class_caps_kmh.truck.expressway"},
    {"{\"warn\":{\"speeding_text\":5}}", "warn.speeding_text"},
};

static void json_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        fw_rules_config c;
        fw_rules_config_default(&c);
        char err[160] = "";
        assert_int_equal(fw_rules_config_from_json(&c, bad[i].json, err, sizeof(err)), -1);
        assert_non_null(strstr(err, bad[i].err_part));
    }
}

static void config_changes_behaviour(void **state)
{
    (void)state;
    rt_world w;
    rt_init(&w, FW_CLASS_DANGEROUS_GOODS);
    char err[128];
    assert_int_equal(fw_rules_config_from_json(&w.cfg,
                                               "{\"speeding\":{\"min_duration_s\":10},"
                                               "\"warn\":{\"speeding\":false}}",
                                               err, sizeof(err)),
                     0);
    rt_drive(&w, CN(10, 0, 0), 11, 1, KMH(90));
    assert_int_equal(rt_count(&w, FW_VIOLATION_SPEEDING, FW_EVENT_OPENED), 1);
    assert_int_equal(w.sink.warns, 0);
}

static void names(void **state)
{
    (void)state;
    assert_string_equal(fw_violation_name(FW_VIOLATION_ROUTE_DEVIATION), "route_deviation");
    assert_string_equal(fw_severity_name(FW_SEVERITY_SEVERE), "severe");
    assert_string_equal(fw_vehicle_class_name(FW_CLASS_DANGEROUS_GOODS), "dangerous_goods");
    assert_int_equal(fw_vehicle_class_from_name("line_coach"), FW_CLASS_LINE_COACH);
    assert_int_equal(fw_vehicle_class_from_name("tank"), -1);
    assert_int_equal(fw_road_from_name("expressway"), FW_ROAD_EXPRESSWAY);
    assert_string_equal(fw_violation_subtype_name(FW_VIOLATION_OVERLOAD, FW_OVERLOAD_AXLE_LIMIT),
                        "over_axle_limit");
    assert_string_equal(fw_violation_subtype_name(FW_VIOLATION_NIGHT_BAN, 0), "");
    assert_string_equal(fw_violation_name((fw_violation_type)99), "");
}

static void profile_from_registry(void **state)
{
    (void)state;
    fw_vehicle v = {.phone = "13800000001",
                    .plate = "苏E·D12345",
                    .plate_color = 2,
                    .vclass = FW_CLASS_LINE_COACH,
                    .seats = 45,
                    .rated_load_kg = 1,
                    .max_gross_kg = 18000,
                    .axles = 2,
                    .articulated = true,
                    .long_distance = true,
                    .night_ban_exempt = true,
                    .route_id = 7};
    fw_vehicle_profile p;
    fw_profile_from_registry(&v, &p);
    assert_string_equal(p.phone, "13800000001");
    assert_string_equal(p.plate, "苏E·D12345");
    assert_int_equal(p.plate_color, 2);
    assert_int_equal(p.vclass, FW_CLASS_LINE_COACH);
    assert_int_equal(p.approved_seats, 45);
    assert_int_equal(p.rated_load_kg, 1);
    assert_int_equal(p.max_gross_kg, 18000);
    assert_int_equal(p.axles, 2);
    assert_true(p.articulated && p.long_distance && p.night_ban_exempt);
    assert_false(p.single_drive_axle);
    assert_int_equal(p.route_id, 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults),    cmocka_unit_test(json_overrides),
        cmocka_unit_test(json_errors), cmocka_unit_test(config_changes_behaviour),
        cmocka_unit_test(names),       cmocka_unit_test(profile_from_registry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
