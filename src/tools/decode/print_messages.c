/* print_messages.c - body printers of the uplink messages other than locations: general
 * response, registration, authentication, parameters, attributes, driver identity,
 * multimedia, pass-through and passenger flow. */
#include "printers.h"

#include <stdio.h>

#include "fw/codec/jt_bcd.h"

#define MEDIA_HEAD_LEN 16 /* bytes of a 0x0801 payload shown as hex */

static const char *const ack_results[] = {"ok", "fail", "msg_error", "unsupported",
                                          "alarm_confirmed"};

void pr_body_ack(jw_writer *w, const jt_frame *f, const jt_body *b)
{
    (void)f;
    jw_kv_uint(w, "reply_serial", b->u.ack.reply_serial);
    jw_kv_id(w, "reply_id", b->u.ack.reply_id, 4);
    pr_enum(w, "result", b->u.ack.result, ack_results, PR_COUNT(ack_results));
}

void pr_body_empty(jw_writer *w, const jt_frame *f, const jt_body *b)
{
    (void)w, (void)f, (void)b;
}

void pr_body_register(jw_writer *w, const jt_frame *f, const jt_body *b)
{
    (void)f;
    const jt_register *r = &b->u.reg;
    jw_kv_uint(w, "layout", r->layout);
    jw_kv_uint(w, "province", r->province);
    jw_kv_uint(w, "city", r->city);
    pr_text_bytes(w, "maker", r->maker);
    pr_text_bytes(w, "model", r->model);
    pr_text_bytes(w, "terminal_id", r->terminal_id);
    jw_kv_uint(w, "plate_color", r->plate_color);
    pr_text_bytes(w, r->plate_color == 0 ? "vin" : "plate", r->plate);
}

void pr_body_auth(jw_writer *w, const jt_frame *f, const jt_body *b)
{
    (void)f;
    pr_text_bytes(w, "auth_code", b->u.auth.code);
    pr_text_bytes(w, "imei", b->u.auth.imei);
    pr_text_bytes(w, "software_version", b->u.auth.software_version);
}

/* One parameter as an object of the open array. */
static void print_param(jw_writer *w, const jt_param *p)
{
    jw_begin_object(w);
    jw_kv_id(w, "id", p->id, 4);
    jw_kv_uint(w, "len", p->len);
    if (p->len == 1 || p->len == 2 || p->len == 4) {
        uint32_t value = 0;
        for (unsigned i = 0; i < p->len; i++)
            value = value << 8 | p->value[i];
        jw_kv_uint(w, "value", value);
    }
    jw_kv_hex(w, "hex", p->value, p->len);
    jw_end_object(w);
}

void pr_body_params(jw_writer *w, const jt_frame *f, const jt_body *b)
{
    const jt_param_list *pl = &b->u.params;
    if (f->msg_id == JT_MSG_PARAM_REPLY)
        jw_kv_uint(w, "reply_serial", pl->reply_serial);
    jw_kv_uint(w, "count", pl->count);
    pr_entries_begin(w, "params");
    jt_param_iter it;
    jt_param p;
    jt_err err = JT_OK;
    jt_param_iter_init(&it, pl);
    while (jt_param_next(&it, &p, &err))
        print_param(w, &p);
    pr_entries_end(w, "params_error", err);
}

/* Terminal type bits and GNSS module bits of 0x0107. */
static const pr_bit_name terminal_type_names[] = {
    {1u << 0, "passenger"}, {1u << 1, "dangerous_goods"}, {1u << 2, "freight"},
    {1u << 3, "taxi"},      {1u << 6, "video_recorder"},  {1u << 7, "split_unit"},
};
static const pr_bit_name gnss_names[] = {
    {1u << 0, "gps"}, {1u << 1, "beidou"}, {1u << 2, "glonass"}, {1u << 3, "galileo"}};

#define ICCID_BCD_LEN 10

void pr_body_attributes(jw_writer *w, const jt_frame *f, const jt_body *b)
{
    (void)f;
    const jt_attributes *a = &b->u.attrs;
    jw_kv_uint(w, "terminal_type", a->terminal_type);
    pr_bit_names(w, "terminal_types", a->terminal_type, terminal_type_names,
                 PR_COUNT(terminal_type_names));
    pr_text_bytes(w, "maker", a->maker);
    pr_text_bytes(w, "model", a->model);
    pr_text_bytes(w, "terminal_id", a->terminal_id);
    pr_bcd_digits(w, "iccid", a->iccid_bcd, ICCID_BCD_LEN);
    pr_text_bytes(w, "hw_version", a->hw_version);
    pr_text_bytes(w, "fw_version", a->fw_version);
    jw_kv_uint(w, "gnss_attr", a->gnss_attr);
    pr_bit_names(w, "gnss", a->gnss_attr, gnss_names, PR_COUNT(gnss_names));
    jw_kv_uint(w, "comm_attr", a->comm_attr);
}

static const char *const card_states[] = {[1] = "inserted", [2] = "removed"};
static const char *const ic_results[] = {"read_ok", "auth_failed", "card_locked", "card_removed",
                                         "checksum_error"};

/* BCD[4] YYYYMMDD as "YYYY-MM-DD". */
static void print_bcd_date(jw_writer *w, const char *key, const uint8_t *bcd)
{
    if (!bcd)
        return;
    int part[4];
    for (int i = 0; i < 4; i++) {
        part[i] = jt_bcd_byte(bcd[i]);
        if (part[i] < 0) {
            jw_kv_hex(w, key, bcd, 4);
            return;
        }
    }
    jw_key(w, key);
    jw_stringf(w, "%02d%02d-%02d-%02d", part[0], part[1], part[2], part[3]);
}

void pr_body_driver_id(jw_writer *w, const jt_frame *f, const jt_body *b)
{
    (void)f;
    const jt_driver_id *d = &b->u.driver;
    pr_enum(w, "state", d->state, card_states, PR_COUNT(card_states));
    pr_bcd_time(w, "time", d->time_bcd, "+08:00");
    if (d->state == 1)
        pr_enum(w, "ic_result", d->ic_result, ic_results, PR_COUNT(ic_results));
    pr_text_bytes(w, "name", d->name);
    pr_text_bytes(w, "certificate", d->certificate);
    pr_text_bytes(w, "authority", d->authority);
    print_bcd_date(w, "valid_until", d->valid_until_bcd);
    pr_text_bytes(w, "id_card", d->id_card);
}

static const char *const media_types[] = {"image", "audio", "video"};
static const char *const media_formats[] = {"jpeg", "tif", "mp3", "wav", "wmv"};
static const char *const media_events[] = {"platform_command",       "timer",     "robbery",
                                           "collision_rollover",     "door_open", "door_close",
                                           "door_closed_over_20kmh", "distance"};

void pr_body_media(jw_writer *w, const jt_frame *f, const jt_body *b)
{
    (void)f;
    const jt_media *m = &b->u.media;
    jw_kv_uint(w, "media_id", m->media_id);
    pr_enum(w, "media_type", m->media_type, media_types, PR_COUNT(media_types));
    pr_enum(w, "format", m->format, media_formats, PR_COUNT(media_formats));
    pr_enum(w, "event", m->event, media_events, PR_COUNT(media_events));
    jw_kv_uint(w, "channel", m->channel);
    if (!m->has_location)
        return;
    jw_key(w, "location");
    jw_begin_object(w);
    pr_location(w, &m->loc);
    jw_end_object(w);
    jw_kv_uint(w, "data_len", m->data.len);
    jw_kv_hex(w, "data_head_hex", m->data.p,
              m->data.len < MEDIA_HEAD_LEN ? m->data.len : MEDIA_HEAD_LEN);
}

void pr_body_passthrough(jw_writer *w, const jt_frame *f, const jt_body *b)
{
    (void)f;
    jw_kv_uint(w, "type", b->u.passthrough.type);
    jw_kv_uint(w, "data_len", b->u.passthrough.data.len);
    jw_kv_hex(w, "data_hex", b->u.passthrough.data.p, b->u.passthrough.data.len);
}

void pr_body_passenger_flow(jw_writer *w, const jt_frame *f, const jt_body *b)
{
    (void)f;
    const jt_passenger_flow *p = &b->u.flow;
    pr_bcd_time(w, "start", p->start_bcd, "+08:00");
    pr_bcd_time(w, "end", p->end_bcd, "+08:00");
    jw_kv_int(w, "start_utc", p->start_utc);
    jw_kv_int(w, "end_utc", p->end_utc);
    jw_kv_uint(w, "boarded", p->boarded);
    jw_kv_uint(w, "alighted", p->alighted);
}
