/* test_sim_fleet.c - scenario and registry files: parsing, defaults, errors, China time, and
 * the example scenarios shipped in tests/data/scenarios. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim_fleet.h"
#include "sim_frames.h"
#include "sim_options.h"

static const sim_protocol proto2013 = {JT_V2013, JT_REG_2013};

static const char *full_scenario =
    "{\"start\": \"2026-11-28T01:50:00\", \"time_compression\": 20, \"report_s\": 10,"
    " \"load_item\": {\"id\": \"0xE3\", \"unit_kg\": 10}, \"passenger_item\": {\"id\": 230},"
    " \"vehicles\": [{\"phone\": \"13912340001\", \"plate\": \"\xe8\x8b\x8fG12345\","
    "   \"class\": \"dangerous_goods\", \"protocol\": \"2019\", \"plate_color\": 1,"
    "   \"start_s\": 60, \"speed_kmh\": [50, 80],"
    "   \"path\": [[119.20, 34.60], [119.25, 34.60, 300], [119.30, 34.62]],"
    "   \"events\": ["
    "     {\"type\": \"off_route\", \"at_s\": 100, \"until_s\": 200, \"offset_m\": 800},"
    "     {\"type\": \"enter_zone\", \"at_s\": 300, \"until_s\": 400, \"lon\": 119.1, \"lat\": "
    "34.5},"
    "     {\"type\": \"load\", \"at_s\": 0, \"kg\": 42000},"
    "     {\"type\": \"passengers\", \"at_s\": 0, \"count\": 50},"
    "     {\"type\": \"alarm\", \"at_s\": 500, \"until_s\": 560, \"bit\": \"emergency\"},"
    "     {\"type\": \"adas\", \"at_s\": 600, \"alarm_type\": 2, \"level\": 2},"
    "     {\"type\": \"dsm\", \"at_s\": 610, \"alarm_type\": 1, \"fatigue_level\": 8},"
    "     {\"type\": \"gnss_loss\", \"at_s\": 700, \"until_s\": 760},"
    "     {\"type\": \"blind_area\", \"at_s\": 800, \"until_s\": 1400}]},"
    "  {\"phone\": 13912340002}]}";

static void a_full_scenario_loads(void **state)
{
    (void)state;
    sim_fleet f;
    char err[256] = "";
    assert_int_equal(sim_fleet_parse(&f, full_scenario, &proto2013, err, sizeof err), 0);
    assert_int_equal(f.count, 2);
    assert_true(f.has_paths);
    assert_true(f.compression == 20 && f.report_s == 10);
    assert_int_equal(f.load_item_id, 0xE3);
    assert_true(f.load_unit_kg == 10);
    assert_int_equal(f.passenger_item_id, 230);
    const sim_vehicle *v = &f.vehicles[0];
    assert_string_equal(v->phone, "13912340001");
    assert_string_equal(v->plate, "\xe8\x8b\x8fG12345");
    assert_string_equal(v->vclass, "dangerous_goods");
    assert_int_equal(v->version, JT_V2019);
    assert_int_equal(v->layout, JT_REG_2019);
    assert_int_equal(v->plate_color, 1);
    assert_int_equal(v->path.count, 3);
    assert_true(v->path.points[1].dwell_s == 300 && v->path.points[1].speed_kmh == 80);
    assert_int_equal(v->event_count, 9);
    assert_int_equal(v->events[0].kind, SIM_EV_OFF_ROUTE);
    assert_true(v->events[0].value == 800 && v->events[0].until_s == 200);
    assert_true(v->events[1].point.lon_deg == 119.1 && v->events[1].value == 0);
    assert_true(isinf(v->events[2].until_s) && v->events[2].value == 42000);
    assert_true(v->events[4].value == 0); /* emergency is bit 0 */
    assert_true(v->events[5].type == 2 && v->events[5].level == 2);
    assert_int_equal(v->events[6].fatigue, 8);
    /* ends when the last window closes: start 60 + blind area until 1400 */
    assert_true(fabs(f.end_s - (60 + fmax(v->path.total_s, 1400))) < 1e-6);
    /* the second vehicle: a number phone, defaults, no path */
    assert_string_equal(f.vehicles[1].phone, "13912340002");
    assert_int_equal(f.vehicles[1].version, JT_V2013);
    assert_int_equal(f.vehicles[1].path.count, 0);
    sim_fleet_free(&f);
}

static void china_time_is_eight_hours_ahead_of_utc(void **state)
{
    (void)state;
    int64_t utc;
    struct tm tm = {.tm_year = 2026 - 1900, .tm_mon = 10, .tm_mday = 27, .tm_hour = 18};
    assert_int_equal(sim_china_time_parse("2026-11-28T02:00:00", &utc), 0);
    assert_int_equal(utc, (int64_t)timegm(&tm));
    assert_int_equal(sim_china_time_parse("2026-11-28T02:00:00+08:00", &utc), 0);
    assert_int_equal(utc, (int64_t)timegm(&tm));
    assert_int_equal(sim_china_time_parse("2026-11-28T02:00:00Z", &utc), -1);
    assert_int_equal(sim_china_time_parse("2026-13-28T02:00:00", &utc), -1);
    assert_int_equal(sim_china_time_parse("yesterday", &utc), -1);
}

/* Each bad file is refused with a message naming what is wrong. */
static void bad_files_are_refused_with_a_reason(void **state)
{
    (void)state;
    static const struct {
        const char *json, *reason;
    } cases[] = {
        {"[1]", "top level"},
        {"{\"vehicles\": []}", "vehicles"},
        {"{\"vehicles\": [{\"plate\": \"x\"}]}", "vehicle 0: needs \"phone\""},
        {"{\"vehicles\": [{\"phone\": \"12a\"}]}", "phone"},
        {"{\"vehicles\": [{\"phone\": \"1\", \"protocol\": \"2015\"}]}", "protocol"},
        {"{\"vehicles\": [{\"phone\": \"123456789012345\", \"protocol\": \"2013\"}]}", "12 digits"},
        {"{\"vehicles\": [{\"phone\": \"1\", \"path\": [[119.2]]}]}", "path point 0"},
        {"{\"vehicles\": [{\"phone\": \"1\", \"path\": [[119.2, 34.6], [119.3, 34.6]]}]}",
         "speed_kmh"},
        {"{\"vehicles\": [{\"phone\": \"1\", \"events\": [{\"type\": \"teleport\", \"at_s\": "
         "1}]}]}",
         "event 0: missing or unknown \"type\""},
        {"{\"vehicles\": [{\"phone\": \"1\", \"events\": [{\"type\": \"off_route\", \"at_s\": "
         "1}]}]}",
         "offset_m"},
        {"{\"vehicles\": [{\"phone\": \"1\", \"events\": [{\"type\": \"alarm\", \"at_s\": 1, "
         "\"bit\": \"sneezing\"}]}]}",
         "bit"},
        {"{\"vehicles\": [{\"phone\": \"1\", \"events\": [{\"type\": \"gnss_loss\", \"at_s\": 5, "
         "\"until_s\": 4}]}]}",
         "until_s"},
        {"{\"start\": \"noon\", \"vehicles\": [{\"phone\": \"1\"}]}", "start"},
        {"{\"time_compression\": 0, \"vehicles\": [{\"phone\": \"1\"}]}", "time_compression"},
        {"{\"load_item\": {\"id\": 300}, \"vehicles\": [{\"phone\": \"1\"}]}", "load_item"},
        {"{\"vehicles\": [", "not valid JSON"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sim_fleet f;
        char err[256] = "";
        assert_int_equal(sim_fleet_parse(&f, cases[i].json, &proto2013, err, sizeof err), -1);
        if (!strstr(err, cases[i].reason))
            fail_msg("case %zu: \"%s\" does not mention \"%s\"", i, err, cases[i].reason);
        assert_null(f.vehicles);
    }
}

static void the_servers_registry_file_loads(void **state)
{
    (void)state;
    sim_fleet f;
    char err[256] = "";
    assert_int_equal(
        sim_fleet_load(&f, FW_TEST_DATA_DIR "/registry_test.json", &proto2013, err, sizeof err), 0);
    assert_true(f.count >= 1);
    assert_false(f.has_paths);
    assert_true(isinf(f.end_s));
    for (size_t i = 0; i < f.count; i++) {
        assert_true(f.vehicles[i].phone[0] != '\0');
        /* phones longer than a 2013 header holds are simulated as 2019 terminals */
        if (strlen(f.vehicles[i].phone) > 12)
            assert_int_equal(f.vehicles[i].version, JT_V2019);
    }
    sim_fleet_free(&f);
}

static void the_example_scenarios_load(void **state)
{
    (void)state;
    static const char *const files[] = {"lianyungang_demo.json", "lianyungang_blind_area.json",
                                        "lianyungang_night_coach.json"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[512], err[512] = "";
        snprintf(path, sizeof path, "%s/scenarios/%s", FW_TEST_DATA_DIR, files[i]);
        sim_fleet f;
        if (sim_fleet_load(&f, path, &proto2013, err, sizeof err) != 0)
            fail_msg("%s", err);
        assert_true(f.has_paths);
        assert_true(isfinite(f.end_s));
        assert_true(f.start_utc > 0);
        sim_fleet_free(&f);
    }
}

/* A generated registry reads back with the phones and plates the terminals use, all unique,
 * and binds each vehicle to the terminal id its 0x0100 sends. */
static void a_printed_registry_reads_back(void **state)
{
    (void)state;
    sim_fleet none, back;
    sim_fleet_init(&none);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_int_equal(sim_fleet_write_registry(&none, "013800000000", 25000, f), 0);
    fclose(f);
    char err[256] = "";
    if (sim_fleet_parse(&back, text, &proto2013, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_non_null(strstr(text,
                           "{\"phone\":\"013800000000\",\"plate\":\"\xe8\x8b\x8fGA0000\","
                           "\"plate_color\":2,\"terminal_id\":\"0000000\",\"class\":\"truck\"}"));
    assert_non_null(strstr(text, "\"phone\":\"013800024999\""));
    assert_non_null(strstr(text, "\"terminal_id\":\"0024999\""));
    free(text);
    assert_int_equal(back.count, 25000);
    assert_false(back.has_paths);
    for (uint32_t i = 0; i < back.count; i += 997) {
        char phone[JT_PHONE_MAX_DIGITS + 1], plate[32];
        sim_fleet_phone(&none, "013800000000", i, phone);
        sim_fleet_plate(&none, i, plate);
        assert_string_equal(back.vehicles[i].phone, phone);
        assert_string_equal(back.vehicles[i].plate, plate);
        assert_string_equal(back.vehicles[i].vclass, "truck");
    }
    assert_string_equal(back.vehicles[24999].phone, "013800024999"); /* width kept */
    assert_string_equal(back.vehicles[24999].plate, "\xe8\x8b\x8fGC4999");
    sim_fleet_free(&back);
}

/* The terminal id is the last 7 digits of the phone, as in the simulator's 0x0100. */
static void terminal_ids_are_the_phones_last_7_digits(void **state)
{
    (void)state;
    char id[8];
    sim_fleet_terminal_id("13972250001", id);
    assert_string_equal(id, "2250001");
    sim_fleet_terminal_id("12345678901234567890", id);
    assert_string_equal(id, "4567890");
    sim_fleet_terminal_id("12345", id);
    assert_string_equal(id, "12345");
    jt_register_in r;
    char sent[8];
    sim_vehicle v = {.plate_color = 2};
    sim_register_fill(&v, "013800000042", "x", sent, &r);
    assert_string_equal(r.terminal_id, "0000042");
}

static void source_address_ranges(void **state)
{
    (void)state;
    struct in_addr a[SIM_MAX_SOURCES];
    assert_int_equal(sim_sources_parse("127.0.0.2-127.0.0.9", a, SIM_MAX_SOURCES), 8);
    assert_int_equal(ntohl(a[7].s_addr), 0x7f000009);
    assert_int_equal(sim_sources_parse("127.0.0.2-4,127.0.1.1", a, SIM_MAX_SOURCES), 4);
    assert_int_equal(ntohl(a[2].s_addr), 0x7f000004);
    assert_int_equal(ntohl(a[3].s_addr), 0x7f000101);
    assert_int_equal(sim_sources_parse("127.0.0.9-127.0.0.2", a, SIM_MAX_SOURCES), -1);
    assert_int_equal(sim_sources_parse("127.0.0.1-127.0.1.1", a, SIM_MAX_SOURCES), -1);
    assert_int_equal(sim_sources_parse("localhost", a, SIM_MAX_SOURCES), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_full_scenario_loads),
        cmocka_unit_test(china_time_is_eight_hours_ahead_of_utc),
        cmocka_unit_test(bad_files_are_refused_with_a_reason),
        cmocka_unit_test(the_servers_registry_file_loads),
        cmocka_unit_test(the_example_scenarios_load),
        cmocka_unit_test(a_printed_registry_reads_back),
        cmocka_unit_test(terminal_ids_are_the_phones_last_7_digits),
        cmocka_unit_test(source_address_ranges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
