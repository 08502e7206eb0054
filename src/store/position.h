/* position.h - a decoded location as a store record (kind P, store_script.h).
 *
 * The record carries the track stream id time (GNSS time in ms, or the receive time when the
 * GNSS time is invalid), the retention cutoff derived from the receive time (so that a
 * replayed record is byte-identical), whether the point may enter the GEO set, the protobuf
 * Position and the fw:veh:<phone> field values (docs/redis-schema.md).
 */
#ifndef FW_STORE_POSITION_H
#define FW_STORE_POSITION_H

#include "fw/sink.h"
#include "fw/store.h"
#include "record.h"

/* Build into r; r overflows (fw_rec_ok false) when the phone is not 1..20 digits. */
void fw_position_record(fw_rec *r, const fw_store_config *cfg, const fw_location_rec *rec);

#endif
