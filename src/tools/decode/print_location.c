/* print_location.c - the 0x0200 location (also inside 0x0201 and 0x0704): position, speed,
 * time, alarm and status bits with their names, load state and additional items. */
#include "printers.h"

#define PR_BIT_NAME(bit, name, text) {1u << bit, text},
static const pr_bit_name alarm_names[] = {JT_ALARM_LIST(PR_BIT_NAME)};
static const pr_bit_name status_names[] = {JT_STATUS_LIST(PR_BIT_NAME)};
#undef PR_BIT_NAME

/* JT_STATUS_LOAD() values 0..3; 2 is reserved. */
static const char *const load_names[] = {"empty", "half", "?", "full"};

void pr_location(jw_writer *w, const jt_location *loc)
{
    pr_degrees(w, "lat", loc->lat_e6);
    pr_degrees(w, "lon", loc->lon_e6);
    jw_kv_uint(w, "lat_raw", loc->lat_raw);
    jw_kv_uint(w, "lon_raw", loc->lon_raw);
    if (loc->coord_out_of_range)
        jw_kv_bool(w, "out_of_range", true);
    jw_kv_fixed(w, "speed_kmh", loc->speed_dkmh, 1);
    jw_kv_uint(w, "course", loc->course_deg);
    jw_kv_uint(w, "altitude_m", loc->altitude_m);
    pr_bcd_time(w, "time", loc->time_bcd, "+08:00");
    jw_key(w, "time_utc");
    if (loc->time_err == JT_OK) {
        jw_int(w, loc->time_utc);
    } else {
        jw_null(w);
        jw_kv_string(w, "time_error", jt_err_name(loc->time_err));
    }
    jw_kv_uint(w, "alarm", loc->alarm);
    jw_kv_uint(w, "status", loc->status);
    pr_bit_names(w, "alarms", loc->alarm, alarm_names, PR_COUNT(alarm_names));
    pr_bit_names(w, "flags", loc->status, status_names, PR_COUNT(status_names));
    jw_kv_string(w, "load", load_names[JT_STATUS_LOAD(loc->status)]);
    pr_items(w, loc);
}

void pr_body_location(jw_writer *w, const jt_frame *f, const jt_body *b)
{
    (void)f;
    pr_location(w, &b->u.loc);
}

void pr_body_location_reply(jw_writer *w, const jt_frame *f, const jt_body *b)
{
    (void)f;
    jw_kv_uint(w, "reply_serial", b->u.loc_reply.reply_serial);
    pr_location(w, &b->u.loc_reply.loc);
}

static const char *const batch_type_names[] = {"normal", "blind_area"};

/* One batch entry as an object of the open array: the location, or the entry's error. */
static void print_batch_entry(jw_writer *w, const jt_location *loc, jt_err err)
{
    jw_begin_object(w);
    if (err == JT_OK)
        pr_location(w, loc);
    else
        jw_kv_string(w, "error", jt_err_name(err));
    jw_end_object(w);
}

void pr_body_location_batch(jw_writer *w, const jt_frame *f, const jt_body *b)
{
    (void)f;
    const jt_location_batch *batch = &b->u.batch;
    jw_kv_uint(w, "count", batch->count);
    jw_key(w, "type");
    if (batch->type < PR_COUNT(batch_type_names))
        jw_string(w, batch_type_names[batch->type]);
    else
        jw_uint(w, batch->type);
    pr_entries_begin(w, "locations"); /* errors are per entry: each says its own */
    jt_batch_iter it;
    jt_location loc;
    jt_err err = JT_OK;
    jt_batch_iter_init(&it, batch);
    while (jt_batch_next(&it, &loc, &err)) {
        print_batch_entry(w, &loc, err);
        err = JT_OK;
    }
    jw_end_array(w);
}
