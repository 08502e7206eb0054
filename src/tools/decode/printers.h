/* printers.h - the JSON printers of fleetwatch-decode and the helpers they share.
 *
 * decode_frame.c parses a frame with the codec, prints the header with pr_header() and the
 * body with the printer that pr_body_printer() finds for the message id in a table built from
 * JT_MSG_LIST (print_body.c). Each body printer writes the members of the already opened
 * "body" object from the decoded jt_body; nested parts (locations, additional items, Jiangsu
 * safety alarms, areas) have printers of their own.
 * Printers only read the frame buffer through the decoded spans and never allocate.
 */
#ifndef FW_DECODE_PRINTERS_H
#define FW_DECODE_PRINTERS_H

#include <stddef.h>
#include <stdint.h>

#include "fw/codec/jt_frame.h"
#include "fw/codec/jt_msg.h"
#include "json_writer.h"

/* ---- shared helpers (print_common.c) ------------------------------------------------- */

/* Entries of a static table. */
#define PR_COUNT(table) (sizeof(table) / sizeof((table)[0]))

/* Name of a bit (mask with one bit set) in a bit field. */
typedef struct {
    uint32_t mask;
    const char *name;
} pr_bit_name;

/* key: [names of the table's bits that are set in value] */
void pr_bit_names(jw_writer *w, const char *key, uint32_t value, const pr_bit_name *names,
                  size_t count);
/* key: value, and key_name: names[value] when value indexes a non-NULL entry. */
void pr_enum(jw_writer *w, const char *key, unsigned value, const char *const *names, size_t count);
/* GBK text (trailing NULs and spaces trimmed) as a UTF-8 string; when it is not valid GBK,
 * an object {"hex": ..., "error": "bad_text"} instead. Absent text (NULL) prints nothing. */
void pr_text(jw_writer *w, const char *key, const uint8_t *p, size_t len);
void pr_text_bytes(jw_writer *w, const char *key, jt_bytes s);
/* BCD[6] YYMMDDhhmmss as "20YY-MM-DDThh:mm:ss<zone>"; a non-BCD value prints its hex under
 * key and "<key>_error": "bad_bcd". */
void pr_bcd_time(jw_writer *w, const char *key, const uint8_t *bcd, const char *zone);
/* BCD digits as a string ("89860402102090977002"); hex when a nibble is above 9. */
void pr_bcd_digits(jw_writer *w, const char *key, const uint8_t *bcd, size_t len);
/* Degrees from millionths: key: -12.345678 */
void pr_degrees(jw_writer *w, const char *key, int64_t e6);
/* Latitude and longitude from unsigned raw millionths, negated for south/west:
 * "lat", "lon" (signed degrees) and "lat_raw", "lon_raw". */
void pr_position(jw_writer *w, uint32_t lat_raw, uint32_t lon_raw, bool south, bool west);

/* Lists of decoded entries (parameters, batch locations, areas, route points):
 * pr_entries_begin() opens "key": [ and pr_entries_end() closes it, followed by
 * "error_key": "<error name>" when err says the walk stopped on damaged entries. */
void pr_entries_begin(jw_writer *w, const char *key);
void pr_entries_end(jw_writer *w, const char *error_key, jt_err err);

/* ---- frame header (print_frame.c) ---------------------------------------------------- */

/* msg_id, msg_name, version, phone, serial, body_len, encryption, sub-package fields and
 * warnings of a parsed frame, as members of the open object. */
void pr_header(jw_writer *w, const jt_frame *f);

/* ---- bodies (print_body.c dispatches) ------------------------------------------------ */

typedef void (*pr_body_fn)(jw_writer *w, const jt_frame *f, const jt_body *b);
/* The printer for a message id, or NULL when there is none. */
pr_body_fn pr_body_printer(uint16_t msg_id);

/* print_location.c: a location's members (base fields, alarm and status names, items). */
void pr_location(jw_writer *w, const jt_location *loc);
void pr_body_location(jw_writer *w, const jt_frame *f, const jt_body *b);
void pr_body_location_reply(jw_writer *w, const jt_frame *f, const jt_body *b);
void pr_body_location_batch(jw_writer *w, const jt_frame *f, const jt_body *b);

/* print_items.c: "items": [...] of a location. */
void pr_items(jw_writer *w, const jt_location *loc);

/* print_safety.c: members of a Jiangsu 0x64-0x67 item object. */
void pr_safety_alarm(jw_writer *w, const jt_safety_alarm *a);

/* print_messages.c: the other uplink bodies. */
void pr_body_ack(jw_writer *w, const jt_frame *f, const jt_body *b);
void pr_body_empty(jw_writer *w, const jt_frame *f, const jt_body *b);
void pr_body_register(jw_writer *w, const jt_frame *f, const jt_body *b);
void pr_body_auth(jw_writer *w, const jt_frame *f, const jt_body *b);
void pr_body_params(jw_writer *w, const jt_frame *f, const jt_body *b);
void pr_body_attributes(jw_writer *w, const jt_frame *f, const jt_body *b);
void pr_body_driver_id(jw_writer *w, const jt_frame *f, const jt_body *b);
void pr_body_media(jw_writer *w, const jt_frame *f, const jt_body *b);
void pr_body_passthrough(jw_writer *w, const jt_frame *f, const jt_body *b);
void pr_body_passenger_flow(jw_writer *w, const jt_frame *f, const jt_body *b);

/* print_downlink.c: platform commands and replies. */
void pr_body_resend(jw_writer *w, const jt_frame *f, const jt_body *b);
void pr_body_server_time(jw_writer *w, const jt_frame *f, const jt_body *b);
void pr_body_register_reply(jw_writer *w, const jt_frame *f, const jt_body *b);
void pr_body_track(jw_writer *w, const jt_frame *f, const jt_body *b);
void pr_body_text(jw_writer *w, const jt_frame *f, const jt_body *b);

/* print_areas.c: 0x8600/0x8602/0x8604 areas and the 0x8606 route. */
void pr_body_areas(jw_writer *w, const jt_frame *f, const jt_body *b);
void pr_body_route(jw_writer *w, const jt_frame *f, const jt_body *b);

#endif
