/* print_common.c - helpers shared by the body printers: bit names, enumerations, GBK text,
 * BCD times and digits, and coordinates (see printers.h). */
#include "printers.h"

#include <stdio.h>

#include "fw/codec/jt_bcd.h"
#include "fw/codec/jt_text.h"

/* UTF-8 needs at most 3 bytes per 2-byte GBK character (4 per 4-byte GB 18030 one), so this
 * holds any string of a maximum-size body. */
#define PR_TEXT_CAP (2u * JT_MAX_FRAME)

void pr_bit_names(jw_writer *w, const char *key, uint32_t value, const pr_bit_name *names,
                  size_t count)
{
    jw_key(w, key);
    jw_begin_array(w);
    for (size_t i = 0; i < count; i++)
        if (value & names[i].mask)
            jw_string(w, names[i].name);
    jw_end_array(w);
}

void pr_enum(jw_writer *w, const char *key, unsigned value, const char *const *names, size_t count)
{
    jw_kv_uint(w, key, value);
    if (value < count && names[value]) {
        char name_key[64];
        snprintf(name_key, sizeof name_key, "%s_name", key);
        jw_kv_string(w, name_key, names[value]);
    }
}

void pr_text(jw_writer *w, const char *key, const uint8_t *p, size_t len)
{
    if (!p)
        return;
    char utf8[PR_TEXT_CAP];
    size_t utf8_len = 0;
    len = jt_trim_field(p, len);
    jt_err err = jt_gbk_to_utf8(p, len, utf8, sizeof utf8, &utf8_len);
    jw_key(w, key);
    if (err == JT_OK) {
        jw_string_n(w, utf8, utf8_len);
        return;
    }
    jw_begin_object(w);
    jw_kv_hex(w, "hex", p, len);
    jw_kv_string(w, "error", jt_err_name(err));
    jw_end_object(w);
}

void pr_text_bytes(jw_writer *w, const char *key, jt_bytes s)
{
    pr_text(w, key, s.p, s.len);
}

void pr_bcd_time(jw_writer *w, const char *key, const uint8_t *bcd, const char *zone)
{
    if (!bcd)
        return;
    char text[32];
    if (jt_bcd_time_format(bcd, zone, text)) {
        jw_kv_string(w, key, text);
        return;
    }
    char error_key[64];
    jw_kv_hex(w, key, bcd, JT_BCD_TIME_LEN);
    snprintf(error_key, sizeof error_key, "%s_error", key);
    jw_kv_string(w, error_key, jt_err_name(JT_ERR_BAD_BCD));
}

void pr_bcd_digits(jw_writer *w, const char *key, const uint8_t *bcd, size_t len)
{
    if (!bcd)
        return;
    char digits[2 * 32 + 1];
    if (len > 32)
        len = 32;
    for (size_t i = 0; i < len; i++) {
        if (jt_bcd_byte(bcd[i]) < 0) {
            jw_kv_hex(w, key, bcd, len);
            return;
        }
        digits[2 * i] = (char)('0' + (bcd[i] >> 4));
        digits[2 * i + 1] = (char)('0' + (bcd[i] & 15));
    }
    jw_key(w, key);
    jw_string_n(w, digits, 2 * len);
}

void pr_degrees(jw_writer *w, const char *key, int64_t e6)
{
    jw_kv_fixed(w, key, e6, 6);
}

void pr_position(jw_writer *w, uint32_t lat_raw, uint32_t lon_raw, bool south, bool west)
{
    pr_degrees(w, "lat", south ? -(int64_t)lat_raw : (int64_t)lat_raw);
    pr_degrees(w, "lon", west ? -(int64_t)lon_raw : (int64_t)lon_raw);
    jw_kv_uint(w, "lat_raw", lat_raw);
    jw_kv_uint(w, "lon_raw", lon_raw);
}

void pr_entries_begin(jw_writer *w, const char *key)
{
    jw_key(w, key);
    jw_begin_array(w);
}

void pr_entries_end(jw_writer *w, const char *error_key, jt_err err)
{
    jw_end_array(w);
    if (err != JT_OK)
        jw_kv_string(w, error_key, jt_err_name(err));
}
