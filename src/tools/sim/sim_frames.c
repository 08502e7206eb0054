/* sim_frames.c - building a simulated terminal's location items and registration fields
 * (sim_frames.h). */
#include "sim_frames.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fw/codec/jt_bcd.h"

#include "fw/codec/byte_io.h"

#define SIM_ALTITUDE_M 8 /* Lianyungang lies at sea level */

static uint32_t raw_degrees(double deg)
{
    return (uint32_t)llround(fabs(deg) * 1e6);
}

static void put_safety_common(jt_writer *w, const sim_state *st, int64_t time_utc)
{
    uint8_t bcd[6];
    jt_bcd_time_encode(time_utc, JT_CHINA_UTC_OFFSET_S, bcd);
    double kmh = st->speed_kmh > 255 ? 255 : st->speed_kmh;
    wr_u8(w, (uint8_t)kmh);
    wr_u16(w, SIM_ALTITUDE_M);
    wr_u32(w, raw_degrees(st->pos.lat_deg));
    wr_u32(w, raw_degrees(st->pos.lon_deg));
    wr_bytes(w, bcd, sizeof bcd);
    wr_u16(w, (uint16_t)(st->status & 0xffffu));
}

void sim_safety_item(const sim_event *e, const sim_state *st, int64_t time_utc, uint32_t alarm_id,
                     const char *terminal_id, uint8_t out[SIM_SAFETY_ITEM_LEN])
{
    jt_writer w;
    wr_init(&w, out, SIM_SAFETY_ITEM_LEN);
    wr_u32(&w, alarm_id);
    wr_u8(&w, 0); /* flag: not applicable (a one-off alarm) */
    wr_u8(&w, e->type);
    wr_u8(&w, e->level);
    if (e->kind == SIM_EV_ADAS) {
        static const uint8_t adas_fields[5] = {0}; /* front speed/distance, deviation, sign */
        wr_bytes(&w, adas_fields, sizeof adas_fields);
    } else {
        static const uint8_t reserved[4] = {0};
        wr_u8(&w, e->fatigue);
        wr_bytes(&w, reserved, sizeof reserved);
    }
    put_safety_common(&w, st, time_utc);
    /* alarm identification number: terminal id, time, serial, attachments, reserved */
    uint8_t bcd[6];
    jt_bcd_time_encode(time_utc, JT_CHINA_UTC_OFFSET_S, bcd);
    wr_fixed(&w, terminal_id, strnlen(terminal_id, 7), 7);
    wr_bytes(&w, bcd, sizeof bcd);
    wr_u8(&w, (uint8_t)alarm_id);
    wr_u8(&w, 0);
    wr_u8(&w, 0);
}

static size_t put_u32_item(uint8_t *dst, size_t cap, uint8_t id, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    return jt_item_put(dst, cap, id, b, 4);
}

static size_t put_u16_item(uint8_t *dst, size_t cap, uint8_t id, uint16_t v)
{
    uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};
    return jt_item_put(dst, cap, id, b, 2);
}

void sim_location_fill(const sim_fleet *f, const sim_state *st, int64_t time_utc,
                       const sim_event *const *safety, size_t safety_count, uint32_t alarm_id,
                       const char *terminal_id, uint8_t items[SIM_ITEMS_CAP], jt_location_in *out)
{
    size_t n = 0;
    uint8_t signal = 28, satellites = st->fixed ? 14 : 0;
    n += put_u32_item(items + n, SIM_ITEMS_CAP - n, JT_ITEM_MILEAGE, (uint32_t)(st->odo_m / 100.0));
    n += jt_item_put(items + n, SIM_ITEMS_CAP - n, JT_ITEM_SIGNAL, &signal, 1);
    n += jt_item_put(items + n, SIM_ITEMS_CAP - n, JT_ITEM_SATELLITES, &satellites, 1);
    if (st->has_load)
        n += put_u32_item(items + n, SIM_ITEMS_CAP - n, f->load_item_id,
                          (uint32_t)llround(st->load_kg / f->load_unit_kg));
    if (st->has_passengers)
        n += put_u16_item(items + n, SIM_ITEMS_CAP - n, f->passenger_item_id, st->passengers);
    for (size_t i = 0; i < safety_count; i++) {
        uint8_t item[SIM_SAFETY_ITEM_LEN];
        sim_safety_item(safety[i], st, time_utc, alarm_id + (uint32_t)i, terminal_id, item);
        uint8_t id = safety[i]->kind == SIM_EV_ADAS ? JT_ITEM_ADAS : JT_ITEM_DSM;
        n += jt_item_put(items + n, SIM_ITEMS_CAP - n, id, item, SIM_SAFETY_ITEM_LEN);
    }
    *out = (jt_location_in){
        .alarm = st->alarm,
        .status = st->status | (st->pos.lat_deg < 0 ? JT_STATUS_SOUTH : 0u) |
                  (st->pos.lon_deg < 0 ? JT_STATUS_WEST : 0u),
        .lat_raw = raw_degrees(st->pos.lat_deg),
        .lon_raw = raw_degrees(st->pos.lon_deg),
        .altitude_m = SIM_ALTITUDE_M,
        .speed_dkmh = (uint16_t)llround(fmin(st->speed_kmh, 6553.5) * 10.0),
        .course_deg = (uint16_t)((long)llround(st->course_deg) % 360),
        .time_utc = time_utc,
        .items = items,
        .items_len = n,
    };
}

void sim_register_fill(const sim_vehicle *v, const char *phone, const char *plate,
                       char terminal_id[8], jt_register_in *out)
{
    sim_fleet_terminal_id(phone, terminal_id);
    *out = (jt_register_in){
        .layout = v->layout,
        .province = 32,
        .city = 700,
        .maker = "FWSIM",
        .model = "SIM-808",
        .terminal_id = terminal_id,
        .plate_color = v->plate_color,
        .plate = plate,
    };
}
