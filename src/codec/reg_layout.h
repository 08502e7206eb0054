/* reg_layout.h - field widths of the 0x0100 registration body in its three protocol years
 * (internal to the codec).
 *
 * One table serves both directions: the decoder (decode_uplink_term.c) picks a layout from the
 * header version and body length, the encoder (encode_uplink.c) from the caller's
 * jt_reg_layout. The body is: province u16, city u16, maker, model, terminal id (fixed-width
 * strings of the widths below), plate colour u8, plate (rest of the body).
 */
#ifndef FW_CODEC_REG_LAYOUT_H
#define FW_CODEC_REG_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "fw/codec/jt_msg.h"

typedef struct {
    jt_reg_layout layout;
    uint8_t maker_len, model_len, terminal_id_len; /* bytes, NUL/space padded */
} jt_reg_widths;

/* The widths of a layout; NULL for a value that is not a jt_reg_layout. */
const jt_reg_widths *jt_reg_widths_of(jt_reg_layout layout);

/* Bytes of the fixed part (everything but the plate) in the layout w. */
size_t jt_reg_fixed_len(const jt_reg_widths *w);

#endif
