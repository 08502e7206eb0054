/* fuzz_stream.c - libFuzzer target: a terminal's TCP byte stream through the whole codec.
 *
 * The input is split into chunks (sizes taken from the input itself) and fed to a jt_framer;
 * every frame candidate is parsed, decoded (also when only its check code or length is wrong,
 * as a lenient consumer would), walked (fuzz_walk.h) and handed to a sub-package reassembler.
 * Run: scripts/fuzz.sh SECONDS (builds with clang -fsanitize=fuzzer,address,undefined).
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_walk.h"
#include "fw/codec/jt_frame.h"
#include "fw/codec/jt_subpkg.h"

static jt_subpkg *reassembler;

static bool on_frame(void *ctx, uint8_t *frame, size_t len, jt_err err)
{
    uint64_t *now_ms = ctx;
    if (!frame || err != JT_OK)
        return true;
    jt_frame f;
    jt_err perr = jt_frame_parse(frame, len, &f);
    if (perr != JT_OK && perr != JT_ERR_CHECKSUM && perr != JT_ERR_LENGTH_MISMATCH)
        return true;
    if (f.subpkg) {
        jt_subpkg_msg msg;
        bool done = false;
        jt_subpkg_add(reassembler, &f, *now_ms, &msg, &done);
        if (done) {
            jt_frame whole = f;
            whole.body = msg.body;
            whole.body_avail = (uint16_t)(msg.body_len > 0xffff ? 0xffff : msg.body_len);
            whole.subpkg = false;
            jt_body b;
            if (jt_decode_body(&whole, &b) == JT_OK)
                fuzz_walk_body(&b);
        }
        *now_ms += 700;
        return true;
    }
    jt_body b;
    if (jt_decode_body(&f, &b) == JT_OK)
        fuzz_walk_body(&b);
    return true;
}

static void on_subpkg_event(void *ctx, jt_subpkg_event ev, const char *phone, uint16_t msg_id,
                            jt_version version, uint16_t first_serial, const uint16_t *missing,
                            uint16_t missing_count)
{
    (void)ctx, (void)ev, (void)phone, (void)msg_id, (void)version, (void)first_serial;
    for (uint16_t i = 0; i < missing_count; i++)
        fuzz_sink += missing[i];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t storage[JT_MAX_ESCAPED_FRAME];
    if (!reassembler) {
        jt_subpkg_config cfg = {
            .max_msgs = 8, .max_bytes = 64 * 1024, .timeout_ms = 1000, .max_retries = 1};
        reassembler = jt_subpkg_new(&cfg);
    }
    if (size == 0)
        return 0;
    jt_framer framer;
    /* A small storage bound on odd first bytes exercises the oversize path too. */
    jt_framer_init(&framer, storage, (data[0] & 1) ? 64 : sizeof storage);
    uint64_t now_ms = 0;
    size_t off = 1, chunk = (size_t)(data[0] >> 1) + 1;
    while (off < size) {
        size_t n = size - off < chunk ? size - off : chunk;
        jt_framer_feed(&framer, data + off, n, on_frame, &now_ms);
        off += n;
        chunk = chunk * 7 % 251 + 1;
    }
    jt_subpkg_poll(reassembler, now_ms + 5000, on_subpkg_event, NULL);
    jt_subpkg_poll(reassembler, now_ms + 10000, on_subpkg_event, NULL);
    return 0;
}
