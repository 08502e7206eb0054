/* position.h - a decoded location as a store record (kind P, store_script.h).
 *
 * The record carries the track stream id time (GNSS time in ms, or the receive time when the
 * GNSS time is invalid or in the future), the retention cutoff, its placement (live and in
 * the GEO set "1", live "0", or FW_REC_PLACE_FUTURE: dated beyond future_tolerance_s, filed
 * in the late set at its receive time and used for nothing live), the protobuf Position and
 * the fw:veh:<phone> field values (docs/redis-schema.md).
 *
 * Most positions carry only what changes from one point to the next. A refreshing position
 * (the connection's first, and every FW_POSITION_REFRESH_SERIALS-th frame serial) also carries
 * the retention cutoff, derived from the receive time so that a replayed record is
 * byte-identical, and the static fw:veh fields (plate, class; the script adds online and
 * node); the others leave both empty. Trimming the track and rewriting fields that rarely
 * change cost Redis more than the rest of a position's write (docs/performance.md).
 */
#ifndef FW_STORE_POSITION_H
#define FW_STORE_POSITION_H

#include "fw/base/sink.h"
#include "fw/store/store.h"

/* Frame serials cycle through every value, so each terminal refreshes every this many frames. */
#define FW_POSITION_REFRESH_SERIALS 32
#include "record.h"

/* Build into r; r overflows (fw_rec_ok false) when the phone is not 1..20 digits. */
void fw_position_record(fw_rec *r, const fw_store_config *cfg, const fw_location_rec *rec);

#endif
