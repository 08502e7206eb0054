/* location.c - the 0x0200 location body: 28-byte base and additional items.
 *
 * Used by 0x0200 and, through jt_location_decode(), by 0x0201, every 0x0704 batch entry and
 * the base location inside 0x0801. The base is decoded field by field; coordinates are kept
 * raw and also signed by the south/west status bits, and a position outside +-90/+-180 is
 * flagged, not rejected. The time is BCD in China time and converted to UTC.
 *
 * Additional items are TLVs (id u8, length u8, data). The item table below says, for each id
 * the platform understands, what length it must have, which `has` bit it sets and where its
 * value goes. Item damage is never fatal: a known id with the wrong length is reported as
 * JT_ERR_ITEM_LENGTH and an item running past the body as JT_ERR_ITEM_OVERRUN, both counted
 * in item_errors. Unknown ids (JT/T 1078 0x14-0x18, vendor 0xE0-0xFF, ...) are only kept for
 * iteration.
 */
#include <stddef.h>
#include <string.h>

#include "fw/codec/jt_bcd.h"
#include "fw/codec/jt_msg.h"

#include "fw/codec/byte_io.h"
#include "decoders.h"

#define JT_MAX_LAT_E6 90000000u
#define JT_MAX_LON_E6 180000000u

typedef struct {
    uint8_t len;    /* required length; 0 when need() computes it from the data */
    bool longer_ok; /* trailing bytes tolerated (provincial variants of 0x64..0x67) */
    size_t (*need)(uint8_t id, const uint8_t *data, size_t len);
    uint32_t has; /* JT_HAS_* bit; 0 for ids the platform does not know */
    size_t field; /* offsetof the scalar in jt_location when put is NULL */
    void (*put)(jt_location *loc, const jt_item *item);
} item_spec;

/* 0x11: type 0 (no specific area) is 1 byte, any other type adds a DWORD area id. */
static size_t overspeed_need(uint8_t id, const uint8_t *data, size_t len)
{
    (void)id;
    return len >= 1 && data[0] != 0 ? 5 : 1;
}

static void put_tyre_pressure(jt_location *loc, const jt_item *item)
{
    loc->tyre_pressure = item->data;
}

/* 0x06 carries the magnitude in bits 0-14 and "below zero" in bit 15. */
static void put_cabin_temp(jt_location *loc, const jt_item *item)
{
    uint16_t raw = be16(item->data);
    int16_t magnitude = (int16_t)(raw & 0x7fffu);
    loc->cabin_temp_c = (raw & 0x8000u) ? (int16_t)-magnitude : magnitude;
}

static void put_overspeed(jt_location *loc, const jt_item *item)
{
    loc->overspeed_loc_type = item->data[0];
    loc->overspeed_area_id = item->len >= 5 ? be32(item->data + 1) : 0;
}

static void put_area_in_out(jt_location *loc, const jt_item *item)
{
    loc->inout_loc_type = item->data[0];
    loc->inout_area_id = be32(item->data + 1);
    loc->inout_direction = item->data[5];
}

static void put_route_time(jt_location *loc, const jt_item *item)
{
    loc->route_segment_id = be32(item->data);
    loc->route_time_s = be16(item->data + 4);
    loc->route_time_result = item->data[6];
}

static void put_safety(jt_location *loc, const jt_item *item)
{
    jt_safety_alarm *const slot[] = {&loc->adas, &loc->dsm, &loc->tpms, &loc->bsd};
    jt_safety_alarm_decode(item, slot[item->id - JT_ITEM_ADAS]);
}

#define SCALAR(n, bit, member)                                                                     \
    {                                                                                              \
        .len = n, .has = bit, .field = offsetof(jt_location, member)                               \
    }
#define SAFETY(bit)                                                                                \
    {                                                                                              \
        .longer_ok = true, .need = jt_safety_alarm_need, .has = bit, .put = put_safety             \
    }

static const item_spec item_specs[256] = {
    [JT_ITEM_MILEAGE] = SCALAR(4, JT_HAS_MILEAGE, mileage_hm),
    [JT_ITEM_FUEL] = SCALAR(2, JT_HAS_FUEL, fuel_dl),
    [JT_ITEM_TACHO_SPEED] = SCALAR(2, JT_HAS_TACHO_SPEED, tacho_speed_dkmh),
    [JT_ITEM_CONFIRM_EVENT] = SCALAR(2, JT_HAS_CONFIRM_EVENT, confirm_event_id),
    [JT_ITEM_TYRE_PRESSURE] = {.len = 30, .has = JT_HAS_TYRE_PRESSURE, .put = put_tyre_pressure},
    [JT_ITEM_CABIN_TEMP] = {.len = 2, .has = JT_HAS_CABIN_TEMP, .put = put_cabin_temp},
    [JT_ITEM_OVERSPEED] = {.need = overspeed_need, .has = JT_HAS_OVERSPEED, .put = put_overspeed},
    [JT_ITEM_AREA_IN_OUT] = {.len = 6, .has = JT_HAS_AREA_IN_OUT, .put = put_area_in_out},
    [JT_ITEM_ROUTE_TIME] = {.len = 7, .has = JT_HAS_ROUTE_TIME, .put = put_route_time},
    [JT_ITEM_EXT_SIGNALS] = SCALAR(4, JT_HAS_EXT_SIGNALS, ext_signals),
    [JT_ITEM_IO_STATUS] = SCALAR(2, JT_HAS_IO_STATUS, io_status),
    [JT_ITEM_ANALOG] = SCALAR(4, JT_HAS_ANALOG, analog),
    [JT_ITEM_SIGNAL] = SCALAR(1, JT_HAS_SIGNAL, signal),
    [JT_ITEM_SATELLITES] = SCALAR(1, JT_HAS_SATELLITES, satellites),
    [JT_ITEM_ADAS] = SAFETY(JT_HAS_ADAS),
    [JT_ITEM_DSM] = SAFETY(JT_HAS_DSM),
    [JT_ITEM_TPMS] = SAFETY(JT_HAS_TPMS),
    [JT_ITEM_BSD] = SAFETY(JT_HAS_BSD),
};

#undef SCALAR
#undef SAFETY

/* Store a 1-, 2- or 4-byte big-endian item into the jt_location member of that width. */
static void put_scalar(jt_location *loc, const item_spec *spec, const uint8_t *data)
{
    uint8_t *at = (uint8_t *)loc + spec->field;
    uint16_t v16;
    uint32_t v32;
    switch (spec->len) {
    case 1:
        *at = data[0];
        break;
    case 2:
        v16 = be16(data);
        memcpy(at, &v16, sizeof v16);
        break;
    default:
        v32 = be32(data);
        memcpy(at, &v32, sizeof v32);
        break;
    }
}

static jt_err item_length_err(uint8_t id, const uint8_t *data, uint8_t len)
{
    const item_spec *spec = &item_specs[id];
    if (!spec->has)
        return JT_OK;
    size_t need = spec->len ? spec->len : spec->need(id, data, len);
    if (len == need || (spec->longer_ok && len > need))
        return JT_OK;
    return JT_ERR_ITEM_LENGTH;
}

void jt_item_iter_init(jt_item_iter *it, const jt_location *loc)
{
    it->p = loc->items.p;
    it->end = loc->items.p ? loc->items.p + loc->items.len : NULL;
}

bool jt_item_next(jt_item_iter *it, jt_item *out)
{
    if (it->p >= it->end)
        return false;
    jt_reader r;
    rd_init(&r, it->p, (size_t)(it->end - it->p));
    out->id = rd_u8(&r);
    out->declared_len = rd_u8(&r); /* 0 (and short_read) when the body ends after the id */
    out->data = r.p;
    size_t avail = rd_left(&r);
    if (r.short_read || out->declared_len > avail) {
        out->len = (uint8_t)avail;
        out->err = JT_ERR_ITEM_OVERRUN;
        it->p = it->end;
        return true;
    }
    out->len = out->declared_len;
    out->err = item_length_err(out->id, out->data, out->len);
    it->p = out->data + out->len;
    return true;
}

bool jt_location_find_item(const jt_location *loc, uint8_t id, jt_item *out)
{
    jt_item_iter it;
    jt_item_iter_init(&it, loc);
    while (jt_item_next(&it, out)) {
        if (out->id == id)
            return true;
    }
    return false;
}

bool jt_location_item_value(const jt_location *loc, uint8_t id, uint32_t unit, uint32_t *out)
{
    jt_item item;
    if (!id || !jt_location_find_item(loc, id, &item) || item.err != JT_OK)
        return false;
    uint64_t raw;
    switch (item.len) {
    case 1:
        raw = item.data[0];
        break;
    case 2:
        raw = be16(item.data);
        break;
    case 4:
        raw = be32(item.data);
        break;
    default:
        return false;
    }
    raw *= unit;
    *out = raw > UINT32_MAX ? UINT32_MAX : (uint32_t)raw;
    return true;
}

/* Decode the well-formed items the platform knows into their named fields. */
static void decode_items(jt_location *loc)
{
    jt_item_iter it;
    jt_item item;
    jt_item_iter_init(&it, loc);
    while (jt_item_next(&it, &item)) {
        loc->item_count++;
        if (item.err != JT_OK) {
            loc->item_errors++;
            continue;
        }
        const item_spec *spec = &item_specs[item.id];
        if (!spec->has)
            continue;
        if (spec->put)
            spec->put(loc, &item);
        else
            put_scalar(loc, spec, item.data);
        loc->has |= spec->has;
    }
}

static int32_t signed_coord(uint32_t raw, bool negative)
{
    int32_t magnitude = raw > INT32_MAX ? INT32_MAX : (int32_t)raw;
    return negative ? -magnitude : magnitude;
}

jt_err jt_location_decode(const uint8_t *p, size_t len, jt_location *out)
{
    /* The four Jiangsu records (288 of the struct's 440 bytes) are written only when their
     * item is present and valid, as the JT_HAS_* bits say; clearing them for every frame
     * cost about a tenth of the decode time. Everything else starts at zero. */
    memset(out, 0, offsetof(jt_location, adas));
    out->items = (jt_bytes){0};
    out->item_count = 0;
    out->item_errors = 0;
    if (len < JT_LOCATION_BASE_LEN)
        return JT_ERR_TRUNCATED;
    /* the 28-byte base is known to be present: read it at fixed offsets */
    out->alarm = be32(p);
    out->status = be32(p + 4);
    out->lat_raw = be32(p + 8);
    out->lon_raw = be32(p + 12);
    out->altitude_m = be16(p + 16);
    out->speed_dkmh = be16(p + 18);
    out->course_deg = be16(p + 20);
    out->time_bcd = p + 22;

    out->lat_e6 = signed_coord(out->lat_raw, out->status & JT_STATUS_SOUTH);
    out->lon_e6 = signed_coord(out->lon_raw, out->status & JT_STATUS_WEST);
    out->coord_out_of_range = out->lat_raw > JT_MAX_LAT_E6 || out->lon_raw > JT_MAX_LON_E6;
    out->time_err = jt_bcd_time_decode(out->time_bcd, JT_CHINA_UTC_OFFSET_S, &out->time_utc);

    out->items = (jt_bytes){p + JT_LOCATION_BASE_LEN, (uint16_t)(len - JT_LOCATION_BASE_LEN)};
    decode_items(out);
    return JT_OK;
}
