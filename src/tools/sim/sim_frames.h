/* sim_frames.h - the uplink bodies a simulated terminal sends, built from its state with the
 * codec's encoders (jt_encode.h): location items, Jiangsu ADAS/DSM items, registration fields.
 *
 * Everything writes into caller-owned buffers; nothing allocates.
 */
#ifndef FW_SIM_FRAMES_H
#define FW_SIM_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#include "fw/codec/jt_encode.h"

#include "sim_fleet.h"
#include "sim_motion.h"

#define SIM_SAFETY_ITEM_LEN 47u /* Jiangsu T/JSATL12-2017 ADAS (0x64) and DSM (0x65) items */
#define SIM_ITEMS_CAP       192u

/* Items of one report: mileage, signal, satellites, load and passengers. `safety` lists the
 * ADAS/DSM events due in this report (may be NULL when safety_count is 0), numbered from
 * alarm_id and identified by terminal_id (the 0x0100 terminal id). The location's
 * items point into `items`, which must outlive *out. */
void sim_location_fill(const sim_fleet *f, const sim_state *st, int64_t time_utc,
                       const sim_event *const *safety, size_t safety_count, uint32_t alarm_id,
                       const char *terminal_id, uint8_t items[SIM_ITEMS_CAP], jt_location_in *out);

/* The 47-byte Jiangsu item for an ADAS or DSM event at state st; alarm_id numbers the alarm,
 * terminal_id (7 characters, NUL padded) goes into the alarm identification number. */
void sim_safety_item(const sim_event *e, const sim_state *st, int64_t time_utc, uint32_t alarm_id,
                     const char *terminal_id, uint8_t out[SIM_SAFETY_ITEM_LEN]);

/* Registration fields for a terminal: maker "FWSIM", model "SIM-808", terminal id from the
 * last 7 digits of the phone (sim_fleet_terminal_id, written into terminal_id[8]).
 * Lianyungang's administrative codes (Jiangsu 32, Lianyungang 0700). */
void sim_register_fill(const sim_vehicle *v, const char *phone, const char *plate,
                       char terminal_id[8], jt_register_in *out);

#endif
