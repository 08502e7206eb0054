/* test_location.c - jt_location_decode(), the item iterator and the Jiangsu safety items.
 *
 * Real and synthetic 0x0200 bodies from the corpus are checked against the values their
 * sources assert; synthetic bodies cover signed coordinates, bad times and malformed items,
 * which must never fail the location.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fw/codec/jt_bcd.h"
#include "fw/codec/jt_frame.h"
#include "fw/codec/jt_msg.h"
#include "test_util.h"

static tu_corpus_row row;
static uint8_t frame_buf[4096];

/* Parse the n-th corpus frame matching path_part/msg_id; its body stays in frame_buf. */
static jt_frame corpus_frame(const char *path_part, const char *msg_id, int n)
{
    jt_frame f;
    assert_true(
        tu_frame_usable(tu_corpus_parse(path_part, msg_id, n, frame_buf, sizeof frame_buf, &f)));
    return f;
}

static jt_location corpus_location(const char *path_part, int n)
{
    jt_location loc;
    jt_frame f = corpus_frame(path_part, "0x0200", n);
    assert_int_equal(jt_location_decode(f.body, f.body_avail, &loc), JT_OK);
    return loc;
}

/* 28-byte base: alarm, status, lat, lon, altitude 40, speed 600, course 90, time. */
static size_t base_body(uint8_t *out, uint32_t status, uint32_t lat, uint32_t lon,
                        const char *time_hex)
{
    char hex[128];
    snprintf(hex, sizeof hex, "00000001 %08x %08x %08x 0028 0258 005a %s", (unsigned)status,
             (unsigned)lat, (unsigned)lon, time_hex);
    long n = tu_hex(hex, out, 64);
    assert_int_equal(n, 28);
    return 28;
}

/* A body of the standard base plus the given item bytes (hex). */
static size_t body_with_items(uint8_t *out, size_t cap, const char *items_hex)
{
    size_t n = base_body(out, 0, 31000000, 121000000, "210601080000");
    long items = tu_hex(items_hex, out + n, cap - n);
    assert_true(items >= 0);
    return n + (size_t)items;
}

/* The standard items of a location (JT/T 808 table 27) that the corpus frames carry. */
typedef struct {
    uint32_t mileage_hm;
    uint16_t fuel_dl, tacho_speed_dkmh, confirm_event_id;
    uint8_t overspeed_loc_type;
    uint32_t overspeed_area_id;
    uint8_t inout_loc_type;
    uint32_t inout_area_id;
    uint8_t inout_direction;
    uint32_t route_segment_id;
    uint16_t route_time_s;
    uint8_t route_time_result;
    uint32_t ext_signals;
    uint16_t io_status;
    uint32_t analog;
    uint8_t signal, satellites;
} standard_items;

static void assert_standard_items(const jt_location *loc, const standard_items *want)
{
    assert_int_equal(loc->mileage_hm, want->mileage_hm);
    assert_int_equal(loc->fuel_dl, want->fuel_dl);
    assert_int_equal(loc->tacho_speed_dkmh, want->tacho_speed_dkmh);
    assert_int_equal(loc->confirm_event_id, want->confirm_event_id);
    assert_int_equal(loc->overspeed_loc_type, want->overspeed_loc_type);
    assert_int_equal(loc->overspeed_area_id, want->overspeed_area_id);
    assert_int_equal(loc->inout_loc_type, want->inout_loc_type);
    assert_int_equal(loc->inout_area_id, want->inout_area_id);
    assert_int_equal(loc->inout_direction, want->inout_direction);
    assert_int_equal(loc->route_segment_id, want->route_segment_id);
    assert_int_equal(loc->route_time_s, want->route_time_s);
    assert_int_equal(loc->route_time_result, want->route_time_result);
    assert_int_equal(loc->ext_signals, want->ext_signals);
    assert_int_equal(loc->io_status, want->io_status);
    assert_int_equal(loc->analog, want->analog);
    assert_int_equal(loc->signal, want->signal);
    assert_int_equal(loc->satellites, want->satellites);
}

/* The scalar fields of a Jiangsu safety record (spans are checked by the callers). */
static void assert_alarm(const jt_safety_alarm *a, const jt_safety_alarm *want)
{
    assert_int_equal(a->alarm_id, want->alarm_id);
    assert_int_equal(a->flag, want->flag);
    assert_int_equal(a->type, want->type);
    assert_int_equal(a->level, want->level);
    assert_int_equal(a->front_speed_kmh, want->front_speed_kmh);
    assert_int_equal(a->front_distance_dm, want->front_distance_dm);
    assert_int_equal(a->deviation_type, want->deviation_type);
    assert_int_equal(a->sign_type, want->sign_type);
    assert_int_equal(a->sign_value, want->sign_value);
    assert_int_equal(a->fatigue_level, want->fatigue_level);
    assert_int_equal(a->speed_kmh, want->speed_kmh);
    assert_int_equal(a->altitude_m, want->altitude_m);
    assert_int_equal(a->lat_raw, want->lat_raw);
    assert_int_equal(a->lon_raw, want->lon_raw);
    assert_int_equal(a->vehicle_status, want->vehicle_status);
    assert_int_equal(a->tyre_count, want->tyre_count);
}

static void base_fields_from_corpus(void **state)
{
    (void)state;
    jt_location loc = corpus_location("JT808_0x0200Test.cs#Test5", 0);
    assert_int_equal(loc.alarm, 1);
    assert_int_equal(loc.status, 2);
    assert_int_equal(loc.lat_raw, 12222222);
    assert_int_equal(loc.lon_raw, 132444444);
    assert_int_equal(loc.lat_e6, 12222222);
    assert_int_equal(loc.lon_e6, 132444444);
    assert_false(loc.coord_out_of_range);
    assert_int_equal(loc.altitude_m, 40);
    assert_int_equal(loc.speed_dkmh, 60);
    assert_int_equal(loc.course_deg, 0);
    assert_int_equal(loc.time_err, JT_OK);
    assert_int_equal(loc.time_utc, 1531620610); /* 2018-07-15 10:10:10 +08:00 */
    assert_int_equal(loc.has, JT_HAS_MILEAGE | JT_HAS_FUEL);
    assert_int_equal(loc.mileage_hm, 100);
    assert_int_equal(loc.fuel_dl, 55);
    assert_int_equal(loc.item_count, 2);
    assert_int_equal(loc.item_errors, 0);
}

static void all_standard_items(void **state)
{
    (void)state;
    jt_location loc = corpus_location("#Test_all_attcahids", 0);
    assert_int_equal(loc.item_count, 12);
    assert_int_equal(loc.item_errors, 0);
    const standard_items want_items = {100, 55, 56, 1, 1, 1, 1, 1, 1, 2, 34, 1, 23, 244, 242, 2, 5};
    assert_standard_items(&loc, &want_items);
    uint32_t want = JT_HAS_MILEAGE | JT_HAS_FUEL | JT_HAS_TACHO_SPEED | JT_HAS_CONFIRM_EVENT |
                    JT_HAS_OVERSPEED | JT_HAS_AREA_IN_OUT | JT_HAS_ROUTE_TIME | JT_HAS_EXT_SIGNALS |
                    JT_HAS_IO_STATUS | JT_HAS_ANALOG | JT_HAS_SIGNAL | JT_HAS_SATELLITES;
    assert_int_equal(loc.has, want);
}

static void tyre_pressure_and_cabin_temp(void **state)
{
    (void)state;
    jt_location loc = corpus_location("t_0x0200_addition_test.go", 0);
    assert_int_equal(loc.lat_raw, 116307629); /* swapped test data: flagged, not rejected */
    assert_true(loc.coord_out_of_range);
    assert_int_equal(loc.time_utc, 1594121039); /* 2020-07-07 19:23:59 +08:00 */
    assert_true(loc.has & JT_HAS_TYRE_PRESSURE);
    assert_non_null(loc.tyre_pressure);
    assert_int_equal(loc.tyre_pressure[0], 0x37);
    assert_true(loc.has & JT_HAS_CABIN_TEMP);
    assert_int_equal(loc.cabin_temp_c, 1);
    /* go-jt808 fills every item with a recognisable number: 11, 22, 33, 44, 66, 77, ... */
    const standard_items want_items = {11, 22, 33, 44, 66, 66, 77, 77, 77,
                                       88, 88, 88, 99, 10, 20, 30, 40};
    assert_standard_items(&loc, &want_items);
    assert_int_equal(loc.item_errors, 0);
}

/* The negative go-jt808 frame: 0x11 sent with a length the standard does not allow. */
static void overspeed_item_bad_length_is_not_fatal(void **state)
{
    (void)state;
    jt_location loc = corpus_location("t_0x0200_addition_test.go", 1);
    assert_false(loc.has & JT_HAS_OVERSPEED);
    assert_int_equal(loc.item_errors, 1);
    assert_true(loc.has & JT_HAS_AREA_IN_OUT); /* items after the bad one still decode */
    assert_int_equal(loc.satellites, 40);
    jt_item item;
    assert_true(jt_location_find_item(&loc, JT_ITEM_OVERSPEED, &item));
    assert_int_equal(item.err, JT_ERR_ITEM_LENGTH);
}

static void overspeed_item_length_follows_type(void **state)
{
    (void)state;
    uint8_t body[64];
    jt_location loc;
    size_t n = body_with_items(body, sizeof body, "1101 00");
    assert_int_equal(jt_location_decode(body, n, &loc), JT_OK);
    assert_true(loc.has & JT_HAS_OVERSPEED);
    assert_int_equal(loc.overspeed_loc_type, 0);

    n = body_with_items(body, sizeof body, "1101 02 3001 17");
    assert_int_equal(jt_location_decode(body, n, &loc), JT_OK);
    assert_false(loc.has & JT_HAS_OVERSPEED);
    assert_int_equal(loc.item_count, 2);
    assert_int_equal(loc.item_errors, 1);
    assert_int_equal(loc.signal, 0x17);
}

static void real_device_vendor_items_and_overrun(void **state)
{
    (void)state;
    jt_location loc = corpus_location("JT808_0x0200Test.cs#Test8", 0);
    /* 6 standard items, 12 others, the last (0xF6) declaring 4 bytes with 2 left. */
    assert_int_equal(loc.item_count, 19);
    assert_int_equal(loc.item_errors, 3); /* 0x05 len 1, 0x06 len 3, 0xF6 overrun */
    assert_int_equal(loc.has, JT_HAS_MILEAGE | JT_HAS_TACHO_SPEED | JT_HAS_EXT_SIGNALS |
                                  JT_HAS_ANALOG | JT_HAS_SIGNAL | JT_HAS_SATELLITES);
    assert_int_equal(loc.mileage_hm, 0x00131a34);
    jt_item item;
    assert_true(jt_location_find_item(&loc, 0xf6, &item));
    assert_int_equal(item.err, JT_ERR_ITEM_OVERRUN);
    assert_int_equal(item.declared_len, 4);
    assert_int_equal(item.len, 2);
    assert_int_equal(item.data[0], 0x14);
    assert_true(jt_location_find_item(&loc, 0xe1, &item));
    assert_int_equal(item.err, JT_OK);
    assert_int_equal(item.len, 8);
    assert_true(jt_location_find_item(&loc, JT_ITEM_TYRE_PRESSURE, &item));
    assert_int_equal(item.err, JT_ERR_ITEM_LENGTH);
    assert_false(jt_location_find_item(&loc, 0x99, &item));
}

static void garbled_items_with_id_zero(void **state)
{
    (void)state;
    jt_location loc = corpus_location("JT808_0x0200Test.cs#Test7", 0);
    assert_int_equal(loc.lat_raw, 0x01789b34);
    assert_int_equal(loc.item_count, 7);
    assert_int_equal(loc.item_errors, 0);
    assert_int_equal(loc.analog, 0x0b290b29);
    jt_item_iter it;
    jt_item item;
    int zero_ids = 0;
    jt_item_iter_init(&it, &loc);
    while (jt_item_next(&it, &item))
        zero_ids += item.id == 0;
    assert_int_equal(zero_ids, 2);
}

static void lone_item_id_at_the_end_is_an_overrun(void **state)
{
    (void)state;
    uint8_t body[64];
    jt_location loc;
    size_t n = body_with_items(body, sizeof body, "3001 11 e5");
    assert_int_equal(jt_location_decode(body, n, &loc), JT_OK);
    assert_int_equal(loc.item_count, 2);
    assert_int_equal(loc.item_errors, 1);
    jt_item item;
    assert_true(jt_location_find_item(&loc, 0xe5, &item));
    assert_int_equal(item.err, JT_ERR_ITEM_OVERRUN);
    assert_int_equal(item.len, 0);
}

static void numeric_item_values(void **state)
{
    (void)state;
    uint8_t body[64];
    jt_location loc;
    /* e1: DWORD 12345, e2: WORD 33, e3: BYTE 7, e4: 3 bytes, e5: DWORD 0xffffffff */
    size_t n = body_with_items(body, sizeof body,
                               "e1 04 00003039 e2 02 0021 e3 01 07 e4 03 010203 e5 04 ffffffff");
    assert_int_equal(jt_location_decode(body, n, &loc), JT_OK);
    uint32_t v = 0;
    assert_true(jt_location_item_value(&loc, 0xe1, 10, &v));
    assert_int_equal(v, 123450);
    assert_true(jt_location_item_value(&loc, 0xe2, 1, &v));
    assert_int_equal(v, 33);
    assert_true(jt_location_item_value(&loc, 0xe3, 1, &v));
    assert_int_equal(v, 7);
    v = 99;
    assert_false(jt_location_item_value(&loc, 0xe4, 1, &v)); /* no 3-byte numbers */
    assert_false(jt_location_item_value(&loc, 0xe6, 1, &v)); /* absent */
    assert_false(jt_location_item_value(&loc, 0, 1, &v));    /* 0 = not configured */
    assert_int_equal(v, 99);
    assert_true(jt_location_item_value(&loc, 0xe5, 2, &v)); /* saturates */
    assert_int_equal(v, UINT32_MAX);
}

static void jt1078_items_are_kept_for_iteration(void **state)
{
    (void)state;
    jt_location loc = corpus_location("addition_extensions_test.go", 0);
    jt_item item;
    assert_true(jt_location_find_item(&loc, 0x14, &item));
    assert_int_equal(item.err, JT_OK);
    assert_int_equal(item.len, 4);
    assert_int_equal(item.data[3], 0x7f);
    assert_true(jt_location_find_item(&loc, 0x18, &item));
    assert_int_equal(item.len, 3);
    assert_int_equal(loc.item_count, 11);
    assert_int_equal(loc.item_errors, 0);
}

static void adas_item_from_corpus(void **state)
{
    (void)state;
    jt_location loc = corpus_location("addition_extensions_test.go", 0);
    assert_true(loc.has & JT_HAS_ADAS);
    assert_false(loc.has & JT_HAS_DSM);
    const jt_safety_alarm *a = &loc.adas;
    assert_int_equal(a->item_id, JT_ITEM_ADAS);
    assert_alarm(a, &(jt_safety_alarm){.alarm_id = 31,
                                       .type = 2,
                                       .level = 1,
                                       .front_speed_kmh = 50,
                                       .front_distance_dm = 50,
                                       .deviation_type = 1,
                                       .speed_kmh = 53,
                                       .altitude_m = 100,
                                       .lat_raw = 31511562,
                                       .lon_raw = 121531076,
                                       .vehicle_status = 65535});
    assert_memory_equal(a->time_bcd, "\x24\x11\x27\x15\x42\x10", JT_BCD_TIME_LEN);
    assert_memory_equal(a->ident, "id00003", 7);
    assert_memory_equal(a->ident + 7, "\x24\x11\x27\x15\x42\x17\x00\x05\x00", 9);
}

static void adas_item_2019_sample(void **state)
{
    (void)state;
    jt_location loc = corpus_location("BuiltinMessage0200Test.java", 0);
    assert_int_equal(loc.mileage_hm, 111);
    assert_int_equal(loc.tacho_speed_dkmh, 666);
    assert_int_equal(loc.confirm_event_id, 333);
    assert_int_equal(loc.ext_signals, 777);
    assert_true(loc.has & JT_HAS_ADAS);
    assert_alarm(&loc.adas, &(jt_safety_alarm){.alarm_id = 222,
                                               .flag = 223,
                                               .type = 111,
                                               .level = 3,
                                               .front_speed_kmh = 66,
                                               .front_distance_dm = 11,
                                               .deviation_type = 12,
                                               .sign_type = 13,
                                               .sign_value = 14,
                                               .speed_kmh = 15,
                                               .altitude_m = 1234,
                                               .lat_raw = 31000562,
                                               .lon_raw = 121451372,
                                               .vehicle_status = 1});
    assert_memory_equal(loc.adas.ident, "1234567", 7);
}

static void dsm_items_from_corpus(void **state)
{
    (void)state;
    jt_location loc = corpus_location("addition_extensions_test.go", 1);
    assert_true(loc.has & JT_HAS_DSM);
    assert_false(loc.has & JT_HAS_ADAS);
    assert_alarm(&loc.dsm, &(jt_safety_alarm){.alarm_id = 31,
                                              .type = 2,
                                              .level = 1,
                                              .fatigue_level = 50,
                                              .speed_kmh = 53,
                                              .altitude_m = 100,
                                              .lat_raw = 31511562,
                                              .lon_raw = 121531076,
                                              .vehicle_status = 65535});

    loc = corpus_location("TJSATL.txt", 0);
    assert_true(loc.has & JT_HAS_DSM);
    assert_alarm(&loc.dsm, &(jt_safety_alarm){.alarm_id = 0x08322ccf,
                                              .flag = 1,
                                              .type = 1,
                                              .level = 1,
                                              .lat_raw = 31235963,
                                              .lon_raw = 121388280,
                                              .vehicle_status = 1});
    assert_memory_equal(loc.dsm.ident, "3598950", 7);
}

static void short_safety_item_is_an_item_error(void **state)
{
    (void)state;
    uint8_t body[128];
    jt_location loc;
    size_t n = body_with_items(body, sizeof body, "640a 0000001f000201323201 3101 09");
    assert_int_equal(jt_location_decode(body, n, &loc), JT_OK);
    assert_false(loc.has & JT_HAS_ADAS);
    assert_int_equal(loc.item_errors, 1);
    assert_int_equal(loc.satellites, 9);
    jt_item item;
    assert_true(jt_location_find_item(&loc, JT_ITEM_ADAS, &item));
    assert_int_equal(item.err, JT_ERR_ITEM_LENGTH);
    jt_safety_alarm alarm;
    assert_int_equal(jt_safety_alarm_decode(&item, &alarm), JT_ERR_ITEM_LENGTH);
}

#define SAFETY_TAIL "21 0064 01e0d40a 073e6ac4 241127154210 0001 69643030303033241127154217000500"

static void bsd_and_longer_variants(void **state)
{
    (void)state;
    uint8_t body[256];
    jt_location loc;
    /* BSD: alarm id, flag, type 2, common tail = 41 bytes; then an ADAS with 2 extra bytes */
    size_t n = body_with_items(body, sizeof body,
                               "6729 00000007 01 02 " SAFETY_TAIL
                               " 6431 00000008 02 01 02 00 00 00 00 00 " SAFETY_TAIL " abcd");
    assert_int_equal(jt_location_decode(body, n, &loc), JT_OK);
    assert_int_equal(loc.item_errors, 0);
    assert_int_equal(loc.has, JT_HAS_BSD | JT_HAS_ADAS);
    /* SAFETY_TAIL: speed 0x21, altitude 100, lat, lon, time, vehicle status 1, ident */
    const jt_safety_alarm tail = {.speed_kmh = 0x21,
                                  .altitude_m = 100,
                                  .lat_raw = 31511562,
                                  .lon_raw = 121531076,
                                  .vehicle_status = 1};
    jt_safety_alarm want = tail;
    want.alarm_id = 7, want.flag = 1, want.type = 2;
    assert_alarm(&loc.bsd, &want);
    want = tail;
    want.alarm_id = 8, want.flag = 2, want.type = 1, want.level = 2;
    assert_alarm(&loc.adas, &want);

    /* a BSD item one byte short of the standard's 41 */
    n = body_with_items(body, sizeof body, "6728 00000007 01 " SAFETY_TAIL);
    assert_int_equal(jt_location_decode(body, n, &loc), JT_OK);
    assert_int_equal(loc.item_errors, 1);
    assert_false(loc.has & JT_HAS_BSD);
}

static void tpms_with_tyres(void **state)
{
    (void)state;
    uint8_t body[256];
    jt_location loc;
    size_t n = body_with_items(body, sizeof body,
                               "663b 00000009 01 " SAFETY_TAIL
                               " 02 00 0001 0320 0041 0064  01 0000 0330 0040 0063");
    assert_int_equal(jt_location_decode(body, n, &loc), JT_OK);
    assert_int_equal(loc.item_errors, 0);
    assert_true(loc.has & JT_HAS_TPMS);
    assert_int_equal(loc.tpms.alarm_id, 9);
    assert_int_equal(loc.tpms.type, 0);
    assert_int_equal(loc.tpms.tyre_count, 2);
    assert_non_null(loc.tpms.tyres);
    assert_int_equal(loc.tpms.tyres[9], 1); /* position of the second tyre */

    /* the count promises 3 tyres, only 2 are sent */
    n = body_with_items(body, sizeof body,
                        "663b 00000009 01 " SAFETY_TAIL
                        " 03 00 0001 0320 0041 0064  01 0000 0330 0040 0063");
    assert_int_equal(jt_location_decode(body, n, &loc), JT_OK);
    assert_false(loc.has & JT_HAS_TPMS);
    assert_int_equal(loc.item_errors, 1);
}

static void safety_decode_rejects_other_ids(void **state)
{
    (void)state;
    static const uint8_t data[47];
    jt_item item = {.id = JT_ITEM_MILEAGE, .len = 47, .declared_len = 47, .data = data};
    jt_safety_alarm alarm;
    assert_int_equal(jt_safety_alarm_decode(&item, &alarm), JT_ERR_BAD_FIELD);
}

static void signed_coordinates_from_status_bits(void **state)
{
    (void)state;
    uint8_t body[32];
    jt_location loc;
    size_t n =
        base_body(body, JT_STATUS_SOUTH | JT_STATUS_WEST, 33868000, 151209000, "210601080000");
    assert_int_equal(jt_location_decode(body, n, &loc), JT_OK);
    assert_int_equal(loc.lat_raw, 33868000);
    assert_int_equal(loc.lat_e6, -33868000);
    assert_int_equal(loc.lon_e6, -151209000);
    assert_false(loc.coord_out_of_range);
    assert_int_equal(loc.time_utc, 1622505600); /* 2021-06-01 08:00:00 +08:00 */

    n = base_body(body, JT_STATUS_WEST, 51500000, 120000, "210601080000");
    assert_int_equal(jt_location_decode(body, n, &loc), JT_OK);
    assert_int_equal(loc.lat_e6, 51500000);
    assert_int_equal(loc.lon_e6, -120000);
}

static void out_of_range_coordinates_are_flagged(void **state)
{
    (void)state;
    jt_location loc = corpus_location("protocol/model/parse_test.go", 0);
    assert_int_equal(loc.lat_raw, 119552894);
    assert_int_equal(loc.lon_raw, 40058359);
    assert_true(loc.coord_out_of_range);
    assert_int_equal(loc.speed_dkmh, 3);
    assert_int_equal(loc.course_deg, 99);
    assert_int_equal(loc.time_utc, 1727798399); /* 2024-10-01 23:59:59 +08:00 */

    uint8_t body[32];
    size_t n = base_body(body, 0, 45000000, 180000001, "210601080000");
    assert_int_equal(jt_location_decode(body, n, &loc), JT_OK);
    assert_true(loc.coord_out_of_range);
    n = base_body(body, JT_STATUS_SOUTH, 0xffffffffu, 0, "210601080000");
    assert_int_equal(jt_location_decode(body, n, &loc), JT_OK);
    assert_true(loc.coord_out_of_range);
    assert_true(loc.lat_e6 < 0);
}

static void bad_time_is_reported_not_fatal(void **state)
{
    (void)state;
    uint8_t body[32];
    jt_location loc;
    size_t n = base_body(body, 0, 31000000, 121000000, "2106010800a0");
    assert_int_equal(jt_location_decode(body, n, &loc), JT_OK);
    assert_int_equal(loc.time_err, JT_ERR_BAD_BCD);
    assert_int_equal(loc.lat_raw, 31000000);
    assert_memory_equal(loc.time_bcd, "\x21\x06\x01\x08\x00\xa0", JT_BCD_TIME_LEN);

    n = base_body(body, 0, 31000000, 121000000, "000000000000");
    assert_int_equal(jt_location_decode(body, n, &loc), JT_OK);
    assert_int_equal(loc.time_err, JT_ERR_BAD_TIME);

    n = base_body(body, 0, 31000000, 121000000, "211301080000"); /* month 13 */
    assert_int_equal(jt_location_decode(body, n, &loc), JT_OK);
    assert_int_equal(loc.time_err, JT_ERR_BAD_TIME);
}

static void short_base_is_truncated(void **state)
{
    (void)state;
    uint8_t body[32];
    jt_location loc;
    size_t n = base_body(body, 0, 1, 2, "210601080000");
    for (size_t len = 0; len < n; len++)
        assert_int_equal(jt_location_decode(body, len, &loc), JT_ERR_TRUNCATED);
    assert_int_equal(jt_location_decode(body, n, &loc), JT_OK);
    assert_int_equal(loc.item_count, 0);
    jt_item_iter it;
    jt_item item;
    jt_item_iter_init(&it, &loc);
    assert_false(jt_item_next(&it, &item));
}

/* Every 0x0200 of the corpus decodes; every item error is counted and reported. */
static void every_corpus_location_decodes(void **state)
{
    (void)state;
    int seen = 0;
    for (int i = 0; tu_corpus_row_at(i, &row) == 0; i++) {
        if (strcmp(row.msg_id, "0x0200") != 0)
            continue;
        jt_frame f;
        if (!tu_frame_usable(tu_corpus_parse_row(&row, frame_buf, sizeof frame_buf, &f)))
            continue;
        jt_location loc;
        assert_int_equal(jt_location_decode(f.body, f.body_avail, &loc), JT_OK);
        jt_item_iter it;
        jt_item item;
        unsigned count = 0, errors = 0;
        jt_item_iter_init(&it, &loc);
        while (jt_item_next(&it, &item)) {
            count++;
            errors += item.err != JT_OK;
            assert_true(item.data + item.len <= f.body + f.body_avail);
        }
        assert_int_equal(count, loc.item_count);
        assert_int_equal(errors, loc.item_errors);
        seen++;
    }
    assert_true(seen >= 25);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(base_fields_from_corpus),
        cmocka_unit_test(all_standard_items),
        cmocka_unit_test(tyre_pressure_and_cabin_temp),
        cmocka_unit_test(overspeed_item_bad_length_is_not_fatal),
        cmocka_unit_test(overspeed_item_length_follows_type),
        cmocka_unit_test(real_device_vendor_items_and_overrun),
        cmocka_unit_test(garbled_items_with_id_zero),
        cmocka_unit_test(lone_item_id_at_the_end_is_an_overrun),
        cmocka_unit_test(numeric_item_values),
        cmocka_unit_test(jt1078_items_are_kept_for_iteration),
        cmocka_unit_test(adas_item_from_corpus),
        cmocka_unit_test(adas_item_2019_sample),
        cmocka_unit_test(dsm_items_from_corpus),
        cmocka_unit_test(short_safety_item_is_an_item_error),
        cmocka_unit_test(bsd_and_longer_variants),
        cmocka_unit_test(tpms_with_tyres),
        cmocka_unit_test(safety_decode_rejects_other_ids),
        cmocka_unit_test(signed_coordinates_from_status_bits),
        cmocka_unit_test(out_of_range_coordinates_are_flagged),
        cmocka_unit_test(bad_time_is_reported_not_fatal),
        cmocka_unit_test(short_base_is_truncated),
        cmocka_unit_test(every_corpus_location_decodes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
