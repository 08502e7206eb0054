/* decode_frame.h - one frame in, one JSON document out: the decoding pipeline and the
 * damaged-frame policy of fleetwatch-decode.
 *
 * input.c finds frame candidates (the escaped bytes between two 0x7e) and hands each to
 * df_decode(), which parses it with the codec, applies the policy (strict: a bad check code or
 * body length is an error; lenient: decoded anyway and listed under "warnings") and prints
 * the result through the printers. Problems found before the codec sees a frame (bad hex,
 * oversize input) are reported with df_report_error(). With a reassembler, every packet of a
 * sub-packaged message is also stored, and the packet that completes the message is followed
 * by one more document: the whole message, decoded.
 */
#ifndef FW_DECODE_DECODE_FRAME_H
#define FW_DECODE_DECODE_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fw/codec/jt_subpkg.h"
#include "json_writer.h"

typedef struct {
    jw_writer *out;         /* where the JSON documents go */
    bool lenient;           /* decode frames with a bad check code or body length */
    jt_subpkg *reassembler; /* --reassemble: collects sub-packages; NULL otherwise */
    unsigned long frames;   /* documents printed */
    unsigned long failed;   /* of those, documents with an "error" */
    bool write_failed;      /* a document could not be written */
} df_session;

/* Decode frame[0..len) (escaped, without flags; unescaped in place) and print one document
 * (two when it completes a sub-packaged message being reassembled). Returns true when
 * everything printed decoded. */
bool df_decode(df_session *s, uint8_t *frame, size_t len);

/* Print {"error": error, "detail": detail} for input that never reached the codec and count
 * it as failed. */
void df_report_error(df_session *s, const char *error, const char *detail);

#endif
