/* input.h - the input modes of fleetwatch-decode: hex text (command-line arguments or lines
 * of a stream) and binary captures. Each finds the frame candidates and hands them to
 * df_decode(); nothing allocates, all buffers are fixed and sized for the largest legal frame.
 */
#ifndef FW_DECODE_INPUT_H
#define FW_DECODE_INPUT_H

#include <stdio.h>

#include "decode_frame.h"

/* One frame as hex: spaces allowed, 0x7e flags optional. Blank text and text starting with
 * '#' are ignored. A line holding several flagged frames yields one document per frame. */
void in_hex_text(df_session *s, const char *text);
/* Hex text, one frame per line. Returns 0, or -1 on a read error. */
int in_hex_lines(df_session *s, FILE *in);
/* A binary capture: arbitrary bytes, framed at every 0x7e like a TCP stream. Bytes outside
 * frames are skipped and counted in *garbage. Returns 0, or -1 on a read error. */
int in_raw_stream(df_session *s, FILE *in, unsigned long long *garbage);

#endif
