/* test_scan.c - finding frames in a byte stream: jt_scan() and jt_framer (jt_frame.h).
 *
 * Covers the delimiting rules (garbage before the first flag, shared and doubled flags,
 * empty segments, counted beyond the separator), frames that arrive split at every possible point,
 * oversize frames and the resync after them, and a stream of real corpus frames fed whole, byte by
 * byte and in random chunks, which must always yield the same frames.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fw/codec/jt_frame.h"
#include "test_util.h"

#define STREAM_CAP 16384
#define MAX_SEEN   64

/* ---- jt_scan ----------------------------------------------------------------------------- */

/* What one jt_scan() call must return, and the scanner's `open` after it. */
typedef struct {
    jt_scan_kind kind;
    size_t consumed, garbage;
    size_t frame_at, frame_len; /* JT_SCAN_FRAME: offset in the chunk and length */
    bool open;
} scan_step;

/* A scan scenario: the chunks the caller reads one after the other (each scanned until
 * JT_SCAN_NEED_MORE; what is left of a chunk then stays with the caller) and every result. */
typedef struct {
    const char *what;
    const char *chunks[2];
    size_t max_escaped;
    scan_step steps[6];
    size_t step_count;
} scan_case;

static const scan_case scan_cases[] = {
    {"a frame after garbage, then an empty segment and a pending byte",
     {"aa bb 7e 01 02 7e 7e 03"},
     100,
     {{JT_SCAN_FRAME, 6, 2, 3, 2, true},      /* up to and including the closing flag */
      {JT_SCAN_NEED_MORE, 1, 0, 0, 0, true}}, /* the 03 stays with the caller */
     2},
    {"garbage without any flag, then nothing",
     {"01 02 03", ""},
     100,
     {{JT_SCAN_NEED_MORE, 3, 3, 0, 0, false}, {JT_SCAN_NEED_MORE, 0, 0, 0, 0, false}},
     2},
    {"shared and doubled flags",
     {"7e 0a 7e 0b 7e 7e 0c 7e 7e 7e 0d 7e"},
     100,
     {{JT_SCAN_FRAME, 3, 0, 1, 1, true},
      {JT_SCAN_FRAME, 2, 0, 0, 1, true}, /* the closing flag opened it */
      {JT_SCAN_FRAME, 3, 0, 1, 1, true}, /* 7e 7e: an empty segment is skipped */
      {JT_SCAN_FRAME, 4, 0, 2, 1, true},
      {JT_SCAN_NEED_MORE, 0, 0, 0, 0, true}},
     5},
    {"an oversize frame dropped, the next one found",
     {"7e 01 02 03 04 05 7e 0a 0b 7e"},
     4,
     {{JT_SCAN_OVERSIZE, 6, 0, 0, 0, false}, /* the closing flag opens the next frame */
      {JT_SCAN_FRAME, 4, 0, 1, 2, true},
      {JT_SCAN_NEED_MORE, 0, 0, 0, 0, true}},
     3},
    {"an oversize frame dropped before its closing flag came",
     {"7e 01 02 03 04 05", "06 07 7e 0a 7e"},
     4,
     {{JT_SCAN_OVERSIZE, 6, 0, 0, 0, false},
      {JT_SCAN_NEED_MORE, 0, 0, 0, 0, false},
      {JT_SCAN_FRAME, 5, 2, 3, 1, true}, /* the rest of it is garbage */
      {JT_SCAN_NEED_MORE, 0, 0, 0, 0, true}},
     4},
};

static void check_scan_step(const scan_case *c, size_t k, const jt_scan_result *r,
                            const uint8_t *chunk, const jt_scan_state *st)
{
    const scan_step *want = &c->steps[k];
    bool frame_ok = want->kind != JT_SCAN_FRAME ||
                    (r->frame == chunk + want->frame_at && r->frame_len == want->frame_len);
    if (r->kind != want->kind || r->consumed != want->consumed || r->garbage != want->garbage ||
        !frame_ok || st->open != want->open)
        fail_msg("%s, step %zu: kind %d consumed %zu garbage %zu frame %td+%zu open %d", c->what, k,
                 r->kind, r->consumed, r->garbage, r->frame ? r->frame - chunk : -1, r->frame_len,
                 st->open);
}

static void scan_results_follow_the_delimiting_rules(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof scan_cases / sizeof scan_cases[0]; i++) {
        const scan_case *c = &scan_cases[i];
        jt_scan_state st = {0};
        size_t k = 0;
        for (size_t ch = 0; ch < 2 && c->chunks[ch]; ch++) {
            uint8_t buf[32];
            long len = tu_hex(c->chunks[ch], buf, sizeof buf);
            assert_true(len >= 0);
            size_t off = 0;
            jt_scan_result r;
            do {
                assert_true(k < c->step_count);
                r = jt_scan(&st, buf + off, (size_t)len - off, c->max_escaped);
                check_scan_step(c, k++, &r, buf + off, &st);
                off += r.consumed;
            } while (r.kind != JT_SCAN_NEED_MORE);
        }
        assert_int_equal(k, c->step_count);
    }
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

/* Empty frames: the one "7e7e" between two frames is a separator; every other one (a run of
 * flags, flags before any frame) is counted, also when the chunks split the run. */
static void empty_frames_beyond_the_separator_are_counted(void **state)
{
    (void)state;
    static const struct {
        const char *chunks[2];
        size_t empty; /* summed over every result */
        size_t frames;
    } cases[] = {
        {{"7e 0a 7e 7e 0b 7e"}, 0, 2},          {{"7e 0a 7e 0b 7e"}, 0, 2},
        {{"7e 0a 7e 7e 7e 7e 0b 7e"}, 2, 2},    {{"7e 7e 7e 7e"}, 3, 0},
        {{"7e 0a 7e", "7e 0b 7e"}, 0, 2},       {{"7e 0a 7e 7e", "7e 0b 7e"}, 1, 2},
        {{"7e 0a 7e 7e 0b 7e 7e 7e 7e"}, 2, 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        jt_scan_state st = {0};
        size_t empty = 0, frames = 0;
        for (size_t ch = 0; ch < 2 && cases[i].chunks[ch]; ch++) {
            uint8_t buf[32];
            long len = tu_hex(cases[i].chunks[ch], buf, sizeof buf);
            size_t off = 0;
            jt_scan_result r;
            do {
                r = jt_scan(&st, buf + off, (size_t)len - off, 100);
                off += r.consumed;
                empty += r.empty;
                frames += r.kind == JT_SCAN_FRAME;
            } while (r.kind != JT_SCAN_NEED_MORE);
        }
        if (empty != cases[i].empty || frames != cases[i].frames)
            fail_msg("case %zu: %zu empty, %zu frames", i, empty, frames);
    }
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
        cmocka_unit_test(scan_results_follow_the_delimiting_rules),
        cmocka_unit_test(scan_needs_more_until_the_closing_flag),
        cmocka_unit_test(empty_frames_beyond_the_separator_are_counted),
        cmocka_unit_test(framer_yields_same_frames_for_any_chunking),
        cmocka_unit_test(framer_delivers_many_frames_from_one_chunk),
        cmocka_unit_test(framer_drops_oversize_and_resyncs),
        cmocka_unit_test(framer_stops_when_the_callback_says_so),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
