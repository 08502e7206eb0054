/* print_downlink.c - body printers of the platform's commands and replies: resend request,
 * server time, registration response, temporary tracking and text message. The general
 * response 0x8001 shares the 0x0001 printer (print_messages.c); areas and routes are in
 * print_areas.c. */
#include "printers.h"

#include "fw/codec/byte_io.h"

void pr_body_resend(jw_writer *w, const jt_frame *f, const jt_body *b)
{
    (void)f;
    const jt_resend_req *r = &b->u.resend;
    jw_kv_uint(w, "first_serial", r->first_serial);
    jw_kv_uint(w, "count", r->count);
    jw_key(w, "ids");
    jw_begin_array(w);
    for (size_t i = 0; i + 2 <= r->ids.len; i += 2)
        jw_uint(w, be16(r->ids.p + i));
    jw_end_array(w);
}

void pr_body_server_time(jw_writer *w, const jt_frame *f, const jt_body *b)
{
    (void)f;
    pr_bcd_time(w, "time", b->u.server_time.time_bcd, "Z");
    jw_kv_int(w, "time_utc", b->u.server_time.time_utc);
}

static const char *const register_results[] = {"ok", "vehicle_taken", "no_vehicle",
                                               "terminal_taken", "no_terminal"};

void pr_body_register_reply(jw_writer *w, const jt_frame *f, const jt_body *b)
{
    (void)f;
    const jt_register_reply *r = &b->u.reg_reply;
    jw_kv_uint(w, "reply_serial", r->reply_serial);
    pr_enum(w, "result", r->result, register_results, PR_COUNT(register_results));
    pr_text_bytes(w, "auth_code", r->auth_code);
}

void pr_body_track(jw_writer *w, const jt_frame *f, const jt_body *b)
{
    (void)f;
    jw_kv_uint(w, "interval_s", b->u.track.interval_s);
    jw_kv_uint(w, "validity_s", b->u.track.validity_s);
}

/* 0x8300 flag bits; in 2019 bits 0-1 are a level instead of the emergency bit. */
static const pr_bit_name text_flags_2013[] = {
    {JT_TEXT_EMERGENCY, "emergency"}, {JT_TEXT_DISPLAY, "display"},     {JT_TEXT_TTS, "tts"},
    {JT_TEXT_AD_SCREEN, "ad_screen"}, {JT_TEXT_CAN_FAULT, "can_fault"},
};
static const pr_bit_name text_flags_2019[] = {
    {JT_TEXT_DISPLAY, "display"}, {JT_TEXT_TTS, "tts"}, {JT_TEXT_CAN_FAULT, "can_fault"}};
static const char *const text_levels_2019[] = {[1] = "service", [2] = "urgent", [3] = "notice"};
static const char *const text_types_2019[] = {[1] = "notice", [2] = "service"};

void pr_body_text(jw_writer *w, const jt_frame *f, const jt_body *b)
{
    const jt_text_msg *t = &b->u.text;
    jw_kv_uint(w, "flags", t->flags);
    if (f->version == JT_V2019) {
        pr_bit_names(w, "flag_names", t->flags, text_flags_2019, PR_COUNT(text_flags_2019));
        pr_enum(w, "level", t->flags & 3u, text_levels_2019, PR_COUNT(text_levels_2019));
        pr_enum(w, "text_type", t->text_type, text_types_2019, PR_COUNT(text_types_2019));
    } else {
        pr_bit_names(w, "flag_names", t->flags, text_flags_2013, PR_COUNT(text_flags_2013));
    }
    pr_text_bytes(w, "text", t->text);
}
