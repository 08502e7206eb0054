/* print_frame.c - the header members of a decoded frame: ids, version, phone, serial, body
 * length, encryption, sub-package numbers and the damage flags as "warnings". */
#include "printers.h"

/* jt_frame.flags with the names used in "warnings". */
static const pr_bit_name frame_warnings[] = {
    {JT_FLAG_BAD_CHECKSUM, "checksum"},       {JT_FLAG_LENGTH_MISMATCH, "length_mismatch"},
    {JT_FLAG_BAD_ESCAPE, "bad_escape"},       {JT_FLAG_V2019_BIT_ON_2013, "v2019_bit_on_2013"},
    {JT_FLAG_PHONE_NOT_BCD, "phone_not_bcd"},
};

void pr_header(jw_writer *w, const jt_frame *f)
{
    jw_kv_id(w, "msg_id", f->msg_id, 4);
    const char *name = jt_msg_text(f->msg_id);
    if (name)
        jw_kv_string(w, "msg_name", name);
    jw_kv_uint(w, "version", f->version);
    if (f->version == JT_V2019)
        jw_kv_uint(w, "proto_version", f->proto_version);
    jw_kv_string(w, "phone", f->phone);
    jw_kv_uint(w, "serial", f->serial);
    jw_kv_uint(w, "body_len", f->body_len);
    jw_kv_uint(w, "encryption", f->encryption);
    if (f->subpkg) {
        jw_kv_uint(w, "pkg_total", f->pkg_total);
        jw_kv_uint(w, "pkg_index", f->pkg_index);
    }
    if (f->flags)
        pr_bit_names(w, "warnings", f->flags, frame_warnings, PR_COUNT(frame_warnings));
}
