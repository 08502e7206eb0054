/* print_items.c - the additional items of a location as "items": [...].
 *
 * Every item prints its id and declared length. Items the codec decodes (jt_location fields,
 * Jiangsu safety alarms through jt_safety_alarm_decode()) print their named fields; items the
 * codec rejected print their bytes and the error; all others print their bytes as hex. One
 * table maps item ids to names and to how they print: one-member items (mileage, fuel, ...)
 * by key, decimals and value getter, the others through a printer of their own.
 */
#include "printers.h"

/* How an item id prints. Decoded items print either one member (key: value / 10^decimals)
 * or, through print, several; Jiangsu safety items are decoded here, per item. */
typedef struct {
    uint8_t id;
    const char *name;
    uint32_t has;      /* JT_HAS_* bit that says the loc field is valid; 0: not kept in loc */
    const char *key;   /* one-member items: the member's name */
    unsigned decimals; /* one-member items: decimal places of the value */
    int64_t (*value)(const jt_location *loc);            /* one-member items: the value */
    void (*print)(jw_writer *w, const jt_location *loc); /* other items kept in loc */
    bool safety; /* Jiangsu 0x64..0x67: decoded from the item itself */
} item_kind;

static const char *const loc_type_names[] = {"none", "circle", "rect", "polygon", "segment"};
static const char *const direction_names[] = {"in", "out"};
static const char *const route_result_names[] = {"too_short", "too_long"};

/* Extended vehicle signals (item 0x25, JT/T 808-2019 table 31). */
static const pr_bit_name ext_signal_names[] = {
    {1u << 0, "low_beam"}, {1u << 1, "high_beam"}, {1u << 2, "right_turn"}, {1u << 3, "left_turn"},
    {1u << 4, "brake"},    {1u << 5, "reverse"},   {1u << 6, "fog_lamp"},   {1u << 7, "clearance"},
    {1u << 8, "horn"},     {1u << 9, "air_con"},   {1u << 10, "neutral"},   {1u << 11, "retarder"},
    {1u << 12, "abs"},     {1u << 13, "heater"},   {1u << 14, "clutch"},
};
/* IO status (item 0x2A, table 32). */
static const pr_bit_name io_status_names[] = {{1u << 0, "deep_sleep"}, {1u << 1, "sleep"}};

#define TYRE_PRESSURE_COUNT 30 /* item 0x05: BYTE[30], 0xff = no sensor */

/* The values of the one-member items. */
#define LOC_FIELD_VALUE(field)                                                                     \
    static int64_t value_##field(const jt_location *loc)                                           \
    {                                                                                              \
        return loc->field;                                                                         \
    }
LOC_FIELD_VALUE(mileage_hm)
LOC_FIELD_VALUE(fuel_dl)
LOC_FIELD_VALUE(tacho_speed_dkmh)
LOC_FIELD_VALUE(confirm_event_id)
LOC_FIELD_VALUE(cabin_temp_c)
LOC_FIELD_VALUE(signal)
LOC_FIELD_VALUE(satellites)
#undef LOC_FIELD_VALUE

static void print_tyre_pressure(jw_writer *w, const jt_location *loc)
{
    jw_key(w, "pressure_pa");
    jw_begin_array(w);
    for (size_t i = 0; i < TYRE_PRESSURE_COUNT; i++) {
        if (loc->tyre_pressure[i] == 0xff)
            jw_null(w);
        else
            jw_uint(w, loc->tyre_pressure[i]);
    }
    jw_end_array(w);
}

static void print_overspeed(jw_writer *w, const jt_location *loc)
{
    pr_enum(w, "loc_type", loc->overspeed_loc_type, loc_type_names, PR_COUNT(loc_type_names));
    if (loc->overspeed_loc_type != 0)
        jw_kv_uint(w, "area_id", loc->overspeed_area_id);
}

static void print_area_in_out(jw_writer *w, const jt_location *loc)
{
    pr_enum(w, "loc_type", loc->inout_loc_type, loc_type_names, PR_COUNT(loc_type_names));
    jw_kv_uint(w, "area_id", loc->inout_area_id);
    pr_enum(w, "direction", loc->inout_direction, direction_names, PR_COUNT(direction_names));
}

static void print_route_time(jw_writer *w, const jt_location *loc)
{
    jw_kv_uint(w, "segment_id", loc->route_segment_id);
    jw_kv_uint(w, "time_s", loc->route_time_s);
    pr_enum(w, "result", loc->route_time_result, route_result_names, PR_COUNT(route_result_names));
}

static void print_ext_signals(jw_writer *w, const jt_location *loc)
{
    jw_kv_uint(w, "value", loc->ext_signals);
    pr_bit_names(w, "signals", loc->ext_signals, ext_signal_names, PR_COUNT(ext_signal_names));
}

static void print_io_status(jw_writer *w, const jt_location *loc)
{
    jw_kv_uint(w, "value", loc->io_status);
    pr_bit_names(w, "states", loc->io_status, io_status_names, PR_COUNT(io_status_names));
}

static void print_analog(jw_writer *w, const jt_location *loc)
{
    jw_kv_uint(w, "ad0", loc->analog & 0xffffu);
    jw_kv_uint(w, "ad1", loc->analog >> 16);
}

/* Jiangsu items are decoded per item, so that repeated ids each show their own record. */
static jt_err print_safety(jw_writer *w, const jt_item *item)
{
    jt_safety_alarm alarm;
    jt_err err = jt_safety_alarm_decode(item, &alarm);
    if (err == JT_OK)
        pr_safety_alarm(w, &alarm);
    return err;
}

#define ONE(key, decimals, field) key, decimals, value_##field, NULL, false
#define MANY(printer)             NULL, 0, NULL, printer, false
#define NAMED_ONLY                NULL, 0, NULL, NULL, false
#define SAFETY                    NULL, 0, NULL, NULL, true
static const item_kind item_kinds[] = {
    {JT_ITEM_MILEAGE, "mileage", JT_HAS_MILEAGE, ONE("mileage_km", 1, mileage_hm)},
    {JT_ITEM_FUEL, "fuel", JT_HAS_FUEL, ONE("fuel_l", 1, fuel_dl)},
    {JT_ITEM_TACHO_SPEED, "tacho_speed", JT_HAS_TACHO_SPEED, ONE("speed_kmh", 1, tacho_speed_dkmh)},
    {JT_ITEM_CONFIRM_EVENT, "confirm_event", JT_HAS_CONFIRM_EVENT,
     ONE("event_id", 0, confirm_event_id)},
    {JT_ITEM_TYRE_PRESSURE, "tyre_pressure", JT_HAS_TYRE_PRESSURE, MANY(print_tyre_pressure)},
    {JT_ITEM_CABIN_TEMP, "cabin_temp", JT_HAS_CABIN_TEMP, ONE("temp_c", 0, cabin_temp_c)},
    {JT_ITEM_OVERSPEED, "overspeed", JT_HAS_OVERSPEED, MANY(print_overspeed)},
    {JT_ITEM_AREA_IN_OUT, "area_in_out", JT_HAS_AREA_IN_OUT, MANY(print_area_in_out)},
    {JT_ITEM_ROUTE_TIME, "route_time", JT_HAS_ROUTE_TIME, MANY(print_route_time)},
    {0x14, "video_alarms", 0, NAMED_ONLY}, /* JT/T 1078 items: named, not decoded */
    {0x15, "video_signal_loss", 0, NAMED_ONLY},
    {0x16, "video_signal_blocked", 0, NAMED_ONLY},
    {0x17, "storage_fault", 0, NAMED_ONLY},
    {0x18, "abnormal_driving", 0, NAMED_ONLY},
    {JT_ITEM_EXT_SIGNALS, "ext_signals", JT_HAS_EXT_SIGNALS, MANY(print_ext_signals)},
    {JT_ITEM_IO_STATUS, "io_status", JT_HAS_IO_STATUS, MANY(print_io_status)},
    {JT_ITEM_ANALOG, "analog", JT_HAS_ANALOG, MANY(print_analog)},
    {JT_ITEM_SIGNAL, "signal", JT_HAS_SIGNAL, ONE("signal", 0, signal)},
    {JT_ITEM_SATELLITES, "satellites", JT_HAS_SATELLITES, ONE("satellites", 0, satellites)},
    {JT_ITEM_ADAS, "adas", 0, SAFETY},
    {JT_ITEM_DSM, "dsm", 0, SAFETY},
    {JT_ITEM_TPMS, "tpms", 0, SAFETY},
    {JT_ITEM_BSD, "bsd", 0, SAFETY},
};
#undef ONE
#undef MANY
#undef NAMED_ONLY
#undef SAFETY

static const item_kind *find_kind(uint8_t id)
{
    for (size_t i = 0; i < PR_COUNT(item_kinds); i++)
        if (item_kinds[i].id == id)
            return &item_kinds[i];
    return NULL;
}

/* True when a well-formed item with the same id follows: jt_location keeps one value per id
 * (the last), so only that occurrence may print the decoded fields. */
static bool repeated_later(jt_item_iter rest, uint8_t id)
{
    jt_item later;
    while (jt_item_next(&rest, &later))
        if (later.id == id && later.err == JT_OK)
            return true;
    return false;
}

/* The decoded fields of an item whose kind decodes it; JT_OK or the error that stopped it. */
static jt_err print_decoded(jw_writer *w, const item_kind *kind, const jt_location *loc,
                            const jt_item *item)
{
    if (kind->safety)
        return print_safety(w, item);
    if (kind->value)
        jw_kv_fixed(w, kind->key, kind->value(loc), kind->decimals);
    else
        kind->print(w, loc);
    return JT_OK;
}

/* rest: the iterator positioned after this item. */
static void print_item(jw_writer *w, const jt_location *loc, const jt_item *item,
                       const jt_item_iter *rest)
{
    const item_kind *kind = find_kind(item->id);
    jw_kv_id(w, "id", item->id, 2);
    jw_kv_uint(w, "len", item->declared_len);
    if (kind)
        jw_kv_string(w, "name", kind->name);
    jt_err err = item->err;
    bool decodable =
        kind &&
        (kind->safety || (kind->has && (loc->has & kind->has) && !repeated_later(*rest, item->id)));
    if (err == JT_OK && decodable)
        err = print_decoded(w, kind, loc, item);
    if (err != JT_OK || !decodable)
        jw_kv_hex(w, "hex", item->data, item->len);
    if (err != JT_OK)
        jw_kv_string(w, "error", jt_err_name(err));
}

void pr_items(jw_writer *w, const jt_location *loc)
{
    jt_item_iter it;
    jt_item item;
    jw_key(w, "items");
    jw_begin_array(w);
    jt_item_iter_init(&it, loc);
    while (jt_item_next(&it, &item)) {
        jw_begin_object(w);
        print_item(w, loc, &item, &it);
        jw_end_object(w);
    }
    jw_end_array(w);
}
