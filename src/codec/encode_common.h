/* encode_common.h - writer helpers shared by the body encoders (internal to the codec).
 *
 * The encoders in encode_*.c write a body through a jt_writer (byte_io.h), which records an
 * overflow instead of writing past the caller's buffer; enc_finish() turns the writer's state
 * into the jt_encode.h return convention. Text goes through jt_utf8_to_gbk() straight into the
 * writer's free space, so nothing is copied twice and nothing is allocated.
 */
#ifndef FW_CODEC_ENCODE_COMMON_H
#define FW_CODEC_ENCODE_COMMON_H

#include <string.h>

#include "fw/codec/byte_io.h"
#include "fw/codec/jt_encode.h"

/* Length of an optional (NULL = empty) NUL-terminated string. */
static inline size_t enc_strlen(const char *s)
{
    return s ? strlen(s) : 0;
}

/* JT_ERR_NO_SPACE when the writer overflowed, JT_ERR_BAD_FIELD when the body exceeds
 * JT_MAX_BODY; otherwise stores the body length in *out_len and returns JT_OK. */
jt_err enc_finish(const jt_writer *w, size_t *out_len);

/* Write UTF-8 text (NULL = empty) as GBK. JT_ERR_BAD_TEXT when it cannot be converted; lack
 * of space is recorded in the writer's overflow flag. */
jt_err wr_gbk(jt_writer *w, const char *utf8, size_t len);

/* Write UTF-8 text as GBK preceded by its GBK length in a BYTE (prefix_len 1) or WORD
 * (prefix_len 2). JT_ERR_BAD_FIELD when the GBK text is too long for the prefix. */
jt_err wr_gbk_prefixed(jt_writer *w, size_t prefix_len, const char *utf8, size_t len);

/* Write a string of at most width bytes, NUL-padded to width (NULL = empty).
 * JT_ERR_BAD_FIELD when it is longer than width. */
jt_err wr_padded(jt_writer *w, const char *s, size_t width);

/* Write epoch seconds as BCD[6] YYMMDDhhmmss in the zone offset_s. */
void wr_bcd_time(jt_writer *w, int64_t epoch_s, int offset_s);

/* Write two BCD[6] times given as wire bytes; JT_ERR_BAD_FIELD when either is NULL. */
jt_err wr_bcd_span(jt_writer *w, const uint8_t *start_bcd, const uint8_t *end_bcd);

/* The general-response layout shared by 0x0001 and 0x8001. */
jt_err enc_general_ack(const jt_general_ack *a, uint8_t *out, size_t cap, size_t *out_len);

#endif
