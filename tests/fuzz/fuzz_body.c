/* fuzz_body.c - libFuzzer target: message bodies straight into the body decoders.
 *
 * Input layout: msg id (2 bytes), version selector (1 byte: odd = 2019), body (rest, at most
 * JT_MAX_BODY bytes). This reaches every decoder without having to build a valid frame
 * around it first, which the stream target (fuzz_stream.c) then covers.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_walk.h"
#include "fw/codec/jt_frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3 || size - 3 > JT_MAX_BODY)
        return 0;
    /* Copy so that ASan catches reads past the body exactly at its end. */
    static uint8_t body[JT_MAX_BODY];
    size_t len = size - 3;
    memcpy(body + JT_MAX_BODY - len, data + 3, len);
    jt_frame f;
    memset(&f, 0, sizeof f);
    f.msg_id = (uint16_t)(data[0] << 8 | data[1]);
    f.version = (data[2] & 1) ? JT_V2019 : JT_V2013;
    f.body = body + JT_MAX_BODY - len;
    f.body_len = (uint16_t)len;
    f.body_avail = (uint16_t)len;
    jt_body b;
    if (jt_decode_body(&f, &b) == JT_OK)
        fuzz_walk_body(&b);
    return 0;
}
