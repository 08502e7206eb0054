/* test_scan.c - finding frames in a byte stream: jt_scan() and jt_framer (jt_frame.h).
 *
 * Covers the delimiting rules (garbage before the first flag, shared and doubled flags,
 * empty segments), frames that arrive split at every possible point, oversize frames and the
 * resync after them, and a stream of real corpus frames fed whole, byte by byte and in random
 * chunks, which must always yield the same frames.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fw/jt_frame.h"
#include "test_util.h"

#define STREAM_CAP 16384
#define MAX_SEEN   64

/* ---- jt_scan ----------------------------------------------------------------------------- */

static jt_scan_result scan_hex(jt_scan_state *st, uint8_t *buf, size_t cap, const char *hex,
                               size_t max_escaped, long *len)
{
    *len = tu_hex(hex, buf, cap);
    assert_true(*len >= 0);
    return jt_scan(st, buf, (size_t)*len, max_escaped);
}

static void scan_finds_a_frame_after_garbage(void **state)
{
    (void)state;
    jt_scan_state st = {0};
    uint8_t buf[32];
    long len;
    jt_scan_result r = scan_hex(&st, buf, sizeof buf, "aa bb 7e 01 02 7e 7e 03", 100, &len);
    assert_int_equal(r.kind, JT_SCAN_FRAME);
    assert_int_equal(r.garbage, 2);
    assert_int_equal(r.consumed, 6); /* up to and including the closing flag */
    assert_ptr_equal(r.frame, buf + 3);
    assert_int_equal(r.frame_len, 2);
    assert_true(st.open);

    r = jt_scan(&st, buf + 6, (size_t)len - 6, 100); /* "7e 03": empty segment, then pending */
    assert_int_equal(r.kind, JT_SCAN_NEED_MORE);
    assert_int_equal(r.consumed, 1); /* the 03 stays with the caller */
    assert_int_equal(r.garbage, 0);
}

static void scan_counts_garbage_without_any_flag(void **state)
{
    (void)state;
    jt_scan_state st = {0};
    uint8_t buf[8];
    long len;
    jt_scan_result r = scan_hex(&st, buf, sizeof buf, "01 02 03", 100, &len);
    assert_int_equal(r.kind, JT_SCAN_NEED_MORE);
    assert_int_equal(r.consumed, 3);
    assert_int_equal(r.garbage, 3);
    assert_false(st.open);

    r = jt_scan(&st, NULL, 0, 100);
    assert_int_equal(r.kind, JT_SCAN_NEED_MORE);
    assert_int_equal(r.consumed, 0);
}

/* Scan a whole buffer; frames' first bytes go to firsts[]. Returns the number of frames. */
static int scan_all(jt_scan_state *st, uint8_t *buf, size_t len, size_t max, uint8_t *firsts,
                    size_t *garbage)
{
    int n = 0;
    size_t off = 0;
    *garbage = 0;
    for (;;) {
        jt_scan_result r = jt_scan(st, buf + off, len - off, max);
        off += r.consumed;
        *garbage += r.garbage;
        if (r.kind == JT_SCAN_NEED_MORE)
            return n;
        firsts[n++] = r.kind == JT_SCAN_FRAME ? r.frame[0] : 0xff;
    }
}

static void scan_accepts_shared_and_doubled_flags(void **state)
{
    (void)state;
    uint8_t buf[32], firsts[8];
    size_t garbage;
    jt_scan_state st = {0};
    long len = tu_hex("7e 0a 7e 0b 7e 7e 0c 7e 7e 7e 0d 7e", buf, sizeof buf);
    assert_int_equal(scan_all(&st, buf, (size_t)len, 100, firsts, &garbage), 4);
    assert_memory_equal(firsts, "\x0a\x0b\x0c\x0d", 4);
    assert_int_equal(garbage, 0);
}

static void scan_needs_more_until_the_closing_flag(void **state)
{
    (void)state;
    uint8_t buf[16];
    long len = tu_hex("7e 01 02 03 04 7e", buf, sizeof buf);
    for (long cut = 1; cut < len; cut++) { /* the caller has only the first `cut` bytes */
        jt_scan_state st = {0};
        jt_scan_result r = jt_scan(&st, buf, (size_t)cut, 100);
        assert_int_equal(r.kind, JT_SCAN_NEED_MORE);
        assert_int_equal(r.consumed, 1); /* just the opening flag */
        assert_true(st.open);
        r = jt_scan(&st, buf + 1, (size_t)len - 1, 100); /* pending bytes again, plus more */
        assert_int_equal(r.kind, JT_SCAN_FRAME);
        assert_int_equal(r.frame_len, 4);
        assert_int_equal(r.consumed, len - 1);
    }
}

static void scan_drops_oversize_and_resyncs(void **state)
{
    (void)state;
    uint8_t buf[32], firsts[8];
    size_t garbage;
    jt_scan_state st = {0};
    long len = tu_hex("7e 01 02 03 04 05 7e 0a 0b 7e", buf, sizeof buf);
    jt_scan_result r = jt_scan(&st, buf, (size_t)len, 4);
    assert_int_equal(r.kind, JT_SCAN_OVERSIZE);
    assert_int_equal(r.consumed, 6); /* the closing flag opens the next frame */
    assert_false(st.open);
    assert_int_equal(scan_all(&st, buf + 6, (size_t)len - 6, 4, firsts, &garbage), 1);
    assert_int_equal(firsts[0], 0x0a);
    assert_int_equal(garbage, 0);
}

static void scan_drops_oversize_without_a_flag_yet(void **state)
{
    (void)state;
    uint8_t buf[32], firsts[8];
    size_t garbage;
    jt_scan_state st = {0};
    long len = tu_hex("7e 01 02 03 04 05", buf, sizeof buf);
    jt_scan_result r = jt_scan(&st, buf, (size_t)len, 4);
    assert_int_equal(r.kind, JT_SCAN_OVERSIZE);
    assert_int_equal(r.consumed, len);
    assert_false(st.open);
    len = tu_hex("06 07 7e 0a 7e", buf, sizeof buf); /* the rest of it, then a frame */
    assert_int_equal(scan_all(&st, buf, (size_t)len, 4, firsts, &garbage), 1);
    assert_int_equal(firsts[0], 0x0a);
    assert_int_equal(garbage, 2);
}

/* ---- jt_framer over a stream of corpus frames -------------------------------------------- */

typedef struct {
    int count;
    int oversize;
    size_t lens[MAX_SEEN];
    uint8_t firsts[MAX_SEEN];
    jt_err parse_errs[MAX_SEEN];
    int stop_after; /* stop feeding after this many callbacks (0: never) */
} seen;

static bool record(void *ctx, uint8_t *frame, size_t len, jt_err err)
{
    seen *s = ctx;
    assert_true(s->count < MAX_SEEN);
    if (err == JT_ERR_OVERSIZE) {
        assert_null(frame);
        s->oversize++;
    } else {
        assert_int_equal(err, JT_OK);
        jt_frame f;
        s->lens[s->count] = len;
        s->firsts[s->count] = frame[0];
        s->parse_errs[s->count] = jt_frame_parse(frame, len, &f);
    }
    s->count++;
    return s->stop_after == 0 || s->count < s->stop_after;
}

/* A stream: garbage, corpus frames, garbage between two of them, a shared flag. */
static size_t build_stream(uint8_t *out, size_t cap, int *frames)
{
    static const char *const picks[] = {"JT808_0x0002Test.cs#Test3", "JT808.txt#line28",
                                        "JT808_0x0200Test.cs#Test5_4", "JT808.txt#line4",
                                        "JT808HeaderPackageTest.cs#Test1"};
    tu_corpus_row *row = malloc(sizeof *row);
    assert_non_null(row);
    size_t n = (size_t)tu_hex("00 11 22", out, cap); /* before the first flag */
    *frames = 0;
    for (size_t i = 0; i < sizeof picks / sizeof picks[0]; i++) {
        assert_int_equal(tu_corpus_find(picks[i], NULL, 0, row), 0);
        long len = tu_corpus_frame(row, out + n, cap - n);
        assert_true(len > 0);
        n += (size_t)len;
        (*frames)++;
    }
    n += (size_t)tu_hex("33 44 7e", out + n, cap - n); /* a junk candidate between frames */
    (*frames)++;
    /* the last frame's opening flag is the junk's closing one */
    long len = tu_corpus_frame(row, out + n - 1, cap - n + 1);
    n += (size_t)len - 1;
    (*frames)++;
    free(row);
    return n;
}

static void check_stream_result(const seen *s, int frames)
{
    assert_int_equal(s->count, frames);
    assert_int_equal(s->oversize, 0);
    for (int i = 0; i < frames; i++) {
        bool junk = s->firsts[i] == 0x33;
        assert_true(junk == (i == frames - 2));
        assert_int_equal(s->parse_errs[i], junk ? JT_ERR_TOO_SHORT : JT_OK);
    }
}

static void feed_in_chunks(jt_framer *f, const uint8_t *data, size_t len, seen *s,
                           size_t (*chunk)(size_t used))
{
    size_t used = 0;
    while (used < len) {
        size_t n = chunk(used);
        if (n > len - used)
            n = len - used;
        assert_int_equal(jt_framer_feed(f, data + used, n, record, s), n);
        used += n;
    }
}

static size_t whole(size_t used)
{
    (void)used;
    return SIZE_MAX;
}

static size_t one_byte(size_t used)
{
    (void)used;
    return 1;
}

static size_t random_size(size_t used)
{
    (void)used;
    return 1 + (size_t)rand() % 97;
}

static void framer_yields_same_frames_for_any_chunking(void **state)
{
    (void)state;
    static uint8_t stream[STREAM_CAP], storage[JT_MAX_ESCAPED_FRAME];
    int frames;
    size_t len = build_stream(stream, sizeof stream, &frames);
    size_t (*const chunkings[])(size_t) = {whole, one_byte, random_size};
    srand(808);
    for (size_t c = 0; c < sizeof chunkings / sizeof chunkings[0]; c++) {
        for (int round = 0; round < (chunkings[c] == random_size ? 50 : 1); round++) {
            jt_framer f;
            jt_framer_init(&f, storage, sizeof storage);
            seen s = {0};
            feed_in_chunks(&f, stream, len, &s, chunkings[c]);
            check_stream_result(&s, frames);
            assert_int_equal(f.garbage_bytes, 3);
            assert_int_equal(f.len, 0);
            assert_int_equal(s.lens[0], 14); /* heartbeat with its check code escaped */
        }
    }
}

static void framer_delivers_many_frames_from_one_chunk(void **state)
{
    (void)state;
    static uint8_t stream[STREAM_CAP], storage[64];
    uint8_t one[32];
    long one_len = tu_hex("7e 0002 0000 000000000000 0001 03 7e", one, sizeof one);
    size_t len = 0;
    for (int i = 0; i < 40; i++, len += (size_t)one_len)
        memcpy(stream + len, one, (size_t)one_len);
    jt_framer f;
    jt_framer_init(&f, storage, sizeof storage);
    seen s = {0};
    assert_int_equal(jt_framer_feed(&f, stream, len, record, &s), len);
    assert_int_equal(s.count, 40);
    for (int i = 0; i < 40; i++)
        assert_int_equal(s.parse_errs[i], JT_OK);
}

static void framer_drops_oversize_and_resyncs(void **state)
{
    (void)state;
    uint8_t storage[16], stream[128];
    size_t len = 0;
    stream[len++] = JT_FLAG_BYTE;
    memset(stream + len, 0x55, 40); /* a 40-byte candidate: more than storage holds */
    len += 40;
    len += (size_t)tu_hex("7e 0002 0000 000000000000 0001 03 7e", stream + len,
                          sizeof stream - len); /* 13 bytes: fits */
    for (size_t step = 1; step <= len; step++) {
        jt_framer f;
        jt_framer_init(&f, storage, sizeof storage);
        seen s = {0};
        for (size_t used = 0; used < len; used += step) {
            size_t n = len - used < step ? len - used : step;
            assert_int_equal(jt_framer_feed(&f, stream + used, n, record, &s), n);
        }
        assert_int_equal(f.oversize_count, 1);
        assert_int_equal(s.oversize, 1);
        assert_int_equal(s.count, 2);
        assert_int_equal(s.parse_errs[1], JT_OK);
        assert_int_equal(s.lens[1], 13);
    }
}

static void framer_stops_when_the_callback_says_so(void **state)
{
    (void)state;
    uint8_t storage[64], stream[64];
    long len = tu_hex("7e 0a 7e 7e 0b 0c 7e", stream, sizeof stream);
    jt_framer f;
    jt_framer_init(&f, storage, sizeof storage);
    seen s = {.stop_after = 1};
    size_t used = jt_framer_feed(&f, stream, (size_t)len, record, &s);
    assert_int_equal(used, 3);
    assert_int_equal(s.count, 1);
    s.stop_after = 0;
    assert_int_equal(jt_framer_feed(&f, stream + used, (size_t)len - used, record, &s),
                     (size_t)len - used);
    assert_int_equal(s.count, 2);
    assert_int_equal(s.firsts[1], 0x0b);
    assert_int_equal(s.lens[1], 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scan_finds_a_frame_after_garbage),
        cmocka_unit_test(scan_counts_garbage_without_any_flag),
        cmocka_unit_test(scan_accepts_shared_and_doubled_flags),
        cmocka_unit_test(scan_needs_more_until_the_closing_flag),
        cmocka_unit_test(scan_drops_oversize_and_resyncs),
        cmocka_unit_test(scan_drops_oversize_without_a_flag_yet),
        cmocka_unit_test(framer_yields_same_frames_for_any_chunking),
        cmocka_unit_test(framer_delivers_many_frames_from_one_chunk),
        cmocka_unit_test(framer_drops_oversize_and_resyncs),
        cmocka_unit_test(framer_stops_when_the_callback_says_so),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
