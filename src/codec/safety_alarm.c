/* safety_alarm.c - Jiangsu active-safety alarm items (T/JSATL12-2017) inside 0x0200.
 *
 * Items 0x64 ADAS, 0x65 DSM, 0x66 TPMS and 0x67 BSD share one frame:
 *   alarm id u32, flag u8, <kind-specific fields>, speed u8, altitude u16, lat u32, lon u32,
 *   time BCD[6], vehicle status u16, alarm identification [16]
 * ADAS and DSM put type/level/... in the middle (47 bytes in all), BSD only a type (41), TPMS
 * nothing but appends a tyre count and 9 bytes per tyre (41 + 9n). Some terminals reuse these
 * ids with other layouts: anything shorter than the standard is JT_ERR_ITEM_LENGTH, longer is
 * accepted (the extra bytes are ignored). location.c uses jt_safety_alarm_need() to judge an
 * item's length while iterating and this decoder to fill jt_location's adas/dsm/tpms/bsd.
 */
#include <string.h>

#include "fw/codec/jt_bcd.h"
#include "fw/codec/jt_msg.h"

#include "fw/codec/byte_io.h"
#include "decoders.h"

#define SAFETY_COMMON_LEN  (4u + 1u + 1u + 2u + 4u + 4u + JT_BCD_TIME_LEN + 2u + JT_SAFETY_IDENT_LEN)
#define TPMS_TYRE_LEN      9u
#define TPMS_TYRE_COUNT_AT SAFETY_COMMON_LEN /* tyre count follows the common fields */

static void read_adas_middle(jt_reader *r, jt_safety_alarm *out)
{
    out->type = rd_u8(r);
    out->level = rd_u8(r);
    out->front_speed_kmh = rd_u8(r);
    out->front_distance_dm = rd_u8(r);
    out->deviation_type = rd_u8(r);
    out->sign_type = rd_u8(r);
    out->sign_value = rd_u8(r);
}

static void read_dsm_middle(jt_reader *r, jt_safety_alarm *out)
{
    out->type = rd_u8(r);
    out->level = rd_u8(r);
    out->fatigue_level = rd_u8(r);
    rd_take(r, 4); /* reserved */
}

static void read_no_middle(jt_reader *r, jt_safety_alarm *out)
{
    (void)r;
    (void)out;
}

static void read_bsd_middle(jt_reader *r, jt_safety_alarm *out)
{
    out->type = rd_u8(r);
}

typedef struct {
    uint8_t middle_len; /* bytes between flag and speed */
    void (*read_middle)(jt_reader *r, jt_safety_alarm *out);
    bool has_tyres;
} safety_kind;

/* Indexed by item id - JT_ITEM_ADAS. */
static const safety_kind safety_kinds[] = {
    {7, read_adas_middle, false}, /* 0x64 ADAS: 47 bytes */
    {7, read_dsm_middle, false},  /* 0x65 DSM: 47 bytes */
    {0, read_no_middle, true},    /* 0x66 TPMS: 41 + 9 per tyre */
    {1, read_bsd_middle, false},  /* 0x67 BSD: 41 bytes */
};

static const safety_kind *kind_of(uint8_t item_id)
{
    if (item_id < JT_ITEM_ADAS || item_id > JT_ITEM_BSD)
        return NULL;
    return &safety_kinds[item_id - JT_ITEM_ADAS];
}

size_t jt_safety_alarm_need(uint8_t item_id, const uint8_t *data, size_t len)
{
    const safety_kind *kind = kind_of(item_id);
    if (!kind)
        return 0;
    size_t need = SAFETY_COMMON_LEN + kind->middle_len;
    if (kind->has_tyres) {
        need += 1;
        if (len > TPMS_TYRE_COUNT_AT)
            need += (size_t)data[TPMS_TYRE_COUNT_AT] * TPMS_TYRE_LEN;
    }
    return need;
}

jt_err jt_safety_alarm_decode(const jt_item *item, jt_safety_alarm *out)
{
    memset(out, 0, sizeof *out);
    const safety_kind *kind = kind_of(item->id);
    if (!kind)
        return JT_ERR_BAD_FIELD;
    if (item->len < jt_safety_alarm_need(item->id, item->data, item->len))
        return JT_ERR_ITEM_LENGTH;
    jt_reader r;
    rd_init(&r, item->data, item->len);
    out->item_id = item->id;
    out->alarm_id = rd_u32(&r);
    out->flag = rd_u8(&r);
    kind->read_middle(&r, out);
    out->speed_kmh = rd_u8(&r);
    out->altitude_m = rd_u16(&r);
    out->lat_raw = rd_u32(&r);
    out->lon_raw = rd_u32(&r);
    out->time_bcd = rd_take(&r, JT_BCD_TIME_LEN);
    out->vehicle_status = rd_u16(&r);
    out->ident = rd_take(&r, JT_SAFETY_IDENT_LEN);
    if (kind->has_tyres) {
        out->tyre_count = rd_u8(&r);
        out->tyres = rd_take(&r, (size_t)out->tyre_count * TPMS_TYRE_LEN);
    }
    return JT_OK;
}
