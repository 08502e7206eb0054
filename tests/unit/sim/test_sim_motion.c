/* test_sim_motion.c - scripted events on top of a path, and the location items built from the
 * resulting state, decoded back with the codec (so the Jiangsu 47-byte layouts agree). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "fw/codec/jt_frame.h"
#include "fw/codec/jt_msg.h"

#include "sim_fleet.h"
#include "sim_frames.h"
#include "sim_motion.h"

static const char *scenario =
    "{\"load_item\": {\"id\": \"0xE1\", \"unit_kg\": 10}, \"vehicles\": [{\"phone\": \"1\","
    " \"path\": [[119.20, 34.60], [119.50, 34.60]], \"speed_kmh\": 60, \"events\": ["
    "  {\"type\": \"off_route\", \"at_s\": 100, \"until_s\": 200, \"offset_m\": 800},"
    "  {\"type\": \"enter_zone\", \"at_s\": 300, \"until_s\": 400, \"lon\": 119.1, \"lat\": 34.5},"
    "  {\"type\": \"gnss_loss\", \"at_s\": 500, \"until_s\": 560},"
    "  {\"type\": \"alarm\", \"at_s\": 600, \"until_s\": 660, \"bit\": \"emergency\"},"
    "  {\"type\": \"load\", \"at_s\": 700, \"kg\": 42000},"
    "  {\"type\": \"passengers\", \"at_s\": 700, \"until_s\": 800, \"count\": 33},"
    "  {\"type\": \"blind_area\", \"at_s\": 900, \"until_s\": 960},"
    "  {\"type\": \"adas\", \"at_s\": 1000, \"alarm_type\": 2, \"level\": 2},"
    "  {\"type\": \"dsm\", \"at_s\": 1000, \"alarm_type\": 1, \"level\": 1, \"fatigue_level\": 7}"
    "]}]}";

static sim_fleet fleet;

static int load(void **state)
{
    (void)state;
    char err[256];
    static const sim_protocol p = {JT_V2013, JT_REG_2013};
    return sim_fleet_parse(&fleet, scenario, &p, err, sizeof err);
}

static int unload(void **state)
{
    (void)state;
    sim_fleet_free(&fleet);
    return 0;
}

static sim_state at(double t_s)
{
    sim_state st;
    sim_motion_state(&fleet.vehicles[0], &fleet.vehicles[0].path, t_s, &st);
    return st;
}

static void plain_driving_is_fixed_moving_and_clean(void **state)
{
    (void)state;
    sim_state st = at(50);
    assert_true(st.fixed && !st.blind && !st.has_load && !st.has_passengers);
    assert_true(st.speed_kmh == 60);
    assert_int_equal(st.alarm, 0);
    assert_true(st.status & JT_STATUS_FIXED);
    assert_true(st.status & JT_STATUS_ACC_ON);
}

static void off_route_moves_the_position_sideways(void **state)
{
    (void)state;
    sim_fix on_path;
    sim_path_at(&fleet.vehicles[0].path, 150, &on_path);
    sim_state st = at(150);
    assert_true(fabs(sim_distance_m(on_path.pos, st.pos) - 800.0) < 1.0);
    assert_true(st.pos.lat_deg < on_path.pos.lat_deg); /* right of an eastward course: south */
    st = at(200);                                      /* the window is half-open */
    sim_path_at(&fleet.vehicles[0].path, 200, &on_path);
    assert_true(sim_distance_m(on_path.pos, st.pos) < 0.01);
}

static void a_zone_visit_and_a_gnss_loss(void **state)
{
    (void)state;
    sim_state st = at(350);
    assert_true(st.pos.lon_deg == 119.1 && st.pos.lat_deg == 34.5 && st.speed_kmh == 0);
    sim_fix before;
    sim_path_at(&fleet.vehicles[0].path, 500, &before);
    st = at(530);
    assert_false(st.fixed);
    assert_false(st.status & JT_STATUS_FIXED);
    assert_true(sim_distance_m(before.pos, st.pos) < 0.01);
}

static void alarm_load_passengers_and_blind_area(void **state)
{
    (void)state;
    assert_int_equal(at(630).alarm, JT_ALARM_EMERGENCY);
    assert_int_equal(at(660).alarm, 0);
    sim_state st = at(750);
    assert_true(st.has_load && st.load_kg == 42000);
    assert_int_equal(JT_STATUS_LOAD(st.status), 3);
    assert_true(st.has_passengers && st.passengers == 33);
    assert_false(at(850).has_passengers); /* passengers until 800 */
    assert_true(at(850).has_load);        /* load open-ended */
    assert_true(at(930).blind);
    assert_false(at(960).blind);
}

static void one_off_events_fall_in_exactly_one_report(void **state)
{
    (void)state;
    assert_false(sim_event_due(1000, 990, 999.9));
    assert_true(sim_event_due(1000, 990, 1000));
    assert_false(sim_event_due(1000, 1000, 1010));
    assert_true(sim_event_due(1000, -INFINITY, 1010));
}

/* Build a 0x0200 from the state at 1000 s with the ADAS and DSM items due, frame it, parse
 * and decode it with the codec, and compare. */
static void a_location_round_trips_through_the_codec(void **state)
{
    (void)state;
    const sim_vehicle *v = &fleet.vehicles[0];
    const sim_event *safety[2] = {&v->events[7], &v->events[8]};
    sim_state st = at(1000);
    uint8_t items[SIM_ITEMS_CAP], body[JT_MAX_BODY], wire[JT_MAX_ESCAPED_FRAME];
    jt_location_in in;
    const int64_t utc = 1795830000; /* 2026-11-28 */
    sim_location_fill(&fleet, &st, utc, safety, 2, 77, "0000001", items, &in);
    size_t body_len;
    assert_int_equal(jt_enc_location(&in, body, sizeof body, &body_len), JT_OK);
    uint8_t phone[10], phone_len;
    assert_int_equal(jt_phone_to_bcd("13972200001", JT_V2013, phone, &phone_len), JT_OK);
    jt_header_out h = {
        .msg_id = JT_MSG_LOCATION, .serial = 9, .version = JT_V2013, .phone_raw = phone};
    jt_err err;
    size_t n = jt_frame_build(&h, body, body_len, wire, sizeof wire, &err);
    assert_true(n > 2);
    jt_frame f;
    assert_int_equal(jt_frame_parse(wire + 1, n - 2, &f), JT_OK);
    jt_body b;
    assert_int_equal(jt_decode_body(&f, &b), JT_OK);
    const jt_location *loc = &b.u.loc;
    assert_int_equal(loc->lat_e6, (int32_t)llround(st.pos.lat_deg * 1e6));
    assert_int_equal(loc->lon_e6, (int32_t)llround(st.pos.lon_deg * 1e6));
    assert_int_equal(loc->speed_dkmh, 600);
    assert_int_equal(loc->time_utc, utc);
    assert_int_equal(loc->mileage_hm, (uint32_t)(st.odo_m / 100.0));
    assert_int_equal(loc->item_errors, 0);
    jt_item load;
    assert_true(jt_location_find_item(loc, 0xE1, &load));
    assert_int_equal(load.len, 4);
    assert_int_equal(load.data[2] << 8 | load.data[3], 4200); /* 42,000 kg in 10 kg units */
    assert_true(loc->has & JT_HAS_ADAS);
    assert_true(loc->has & JT_HAS_DSM);
    assert_int_equal(loc->adas.type, 2);
    assert_int_equal(loc->adas.level, 2);
    assert_int_equal(loc->adas.alarm_id, 77);
    assert_int_equal(loc->adas.speed_kmh, 60);
    assert_int_equal(loc->adas.lat_raw, (uint32_t)llround(st.pos.lat_deg * 1e6));
    assert_int_equal(loc->dsm.type, 1);
    assert_int_equal(loc->dsm.fatigue_level, 7);
    assert_int_equal(loc->dsm.alarm_id, 78);
    assert_memory_equal(loc->dsm.ident, "0000001", 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_driving_is_fixed_moving_and_clean),
        cmocka_unit_test(off_route_moves_the_position_sideways),
        cmocka_unit_test(a_zone_visit_and_a_gnss_loss),
        cmocka_unit_test(alarm_load_passengers_and_blind_area),
        cmocka_unit_test(one_off_events_fall_in_exactly_one_report),
        cmocka_unit_test(a_location_round_trips_through_the_codec),
    };
    return cmocka_run_group_tests(tests, load, unload);
}
