/* bench_codec.c - codec throughput: how many 0x0200 frames per second one core takes from a
 * TCP byte stream to a decoded jt_location.
 *
 * The stream is a realistic mix built once with the codec's own encoders: 2013 and 2019
 * headers, 5-9 additional items per frame (mileage, fuel, tachograph speed, extended signals,
 * IO, signal strength, satellites; every tenth frame a 47-byte Jiangsu ADAS item; every fifth
 * frame a vendor item), and coordinates chosen so that about a fifth of the frames contain
 * escaped bytes. Each round copies the stream into a work buffer (the server's read buffer)
 * and runs jt_scan -> jt_frame_parse (in-place unescape + check code + header) ->
 * jt_decode_body over every frame. The copy alone is timed too and reported as the baseline.
 *
 * Usage: bench_codec [frames-per-round] [rounds]   (defaults 8192 and 15)
 * Prints the median over rounds; verifies every frame decoded and aborts otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fw/codec/jt_encode.h"
#include "fw/codec/jt_frame.h"
#include "fw/codec/jt_msg.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static size_t build_items(unsigned i, uint8_t *items, size_t cap)
{
    static const uint8_t mileage[4] = {0, 1, 0xe2, 0x40}, fuel[2] = {0x01, 0x90};
    static const uint8_t tacho[2] = {0x02, 0x9e}, ext[4] = {0, 0, 0, 3}, io[2] = {0, 0};
    static const uint8_t vendor[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    uint8_t adas[47] = {0, 0, 0, 7, 1, 1, 1, 60, 30, 0, 0, 0, 62};
    uint8_t sig = (uint8_t)(20 + i % 10), sats = (uint8_t)(8 + i % 6);
    size_t n = 0;
    n += jt_item_put(items + n, cap - n, JT_ITEM_MILEAGE, mileage, 4);
    n += jt_item_put(items + n, cap - n, JT_ITEM_FUEL, fuel, 2);
    n += jt_item_put(items + n, cap - n, JT_ITEM_TACHO_SPEED, tacho, 2);
    n += jt_item_put(items + n, cap - n, JT_ITEM_EXT_SIGNALS, ext, 4);
    n += jt_item_put(items + n, cap - n, JT_ITEM_IO_STATUS, io, 2);
    n += jt_item_put(items + n, cap - n, JT_ITEM_SIGNAL, &sig, 1);
    n += jt_item_put(items + n, cap - n, JT_ITEM_SATELLITES, &sats, 1);
    if (i % 10 == 0) {
        memcpy(adas + 28, (const uint8_t[]){0x24, 0x11, 0x28, 0x10, 0x10, 0x10}, 6);
        n += jt_item_put(items + n, cap - n, JT_ITEM_ADAS, adas, sizeof adas);
    }
    if (i % 5 == 0)
        n += jt_item_put(items + n, cap - n, 0xE3, vendor, sizeof vendor);
    return n;
}

/* Appends frame i of the mix to stream; returns its length. */
static size_t build_frame(unsigned i, uint8_t *stream, size_t cap)
{
    uint8_t items[256], body[JT_MAX_BODY];
    size_t body_len;
    jt_location_in loc = {
        .alarm = 0,
        .status = JT_STATUS_ACC_ON | JT_STATUS_FIXED | JT_STATUS_GPS,
        .lat_raw = 34600000 + i * 13,
        .lon_raw = 119220000 + i * 7,
        .altitude_m = 12,
        .speed_dkmh = (uint16_t)(600 + i % 400),
        .course_deg = (uint16_t)(i % 360),
        .time_utc = 1732760000 + i,
    };
    if (i % 5 == 1) /* bytes that must be escaped */
        loc.lat_raw = 0x020f7e7d;
    loc.items = items;
    loc.items_len = build_items(i, items, sizeof items);
    if (jt_enc_location(&loc, body, sizeof body, &body_len) != JT_OK)
        abort();
    uint8_t phone[10];
    uint8_t phone_len;
    jt_version v = (i & 1) ? JT_V2019 : JT_V2013;
    if (jt_phone_to_bcd("13912345678", v, phone, &phone_len) != JT_OK)
        abort();
    jt_header_out h = {.msg_id = JT_MSG_LOCATION,
                       .serial = (uint16_t)i,
                       .version = v,
                       .proto_version = 1,
                       .phone_raw = phone};
    jt_err err;
    size_t n = jt_frame_build(&h, body, body_len, stream, cap, &err);
    if (n == 0)
        abort();
    return n;
}

/* Decodes every frame of work[0..len); returns frames decoded, adds speeds to *speed_sum. */
static unsigned decode_stream(uint8_t *work, size_t len, uint64_t *speed_sum)
{
    jt_scan_state st = {0};
    unsigned frames = 0;
    size_t off = 0;
    while (off < len) {
        jt_scan_result r = jt_scan(&st, work + off, len - off, JT_MAX_ESCAPED_FRAME);
        off += r.consumed;
        if (r.kind == JT_SCAN_NEED_MORE)
            break;
        if (r.kind != JT_SCAN_FRAME)
            continue;
        jt_frame f;
        jt_body b;
        if (jt_frame_parse(r.frame, r.frame_len, &f) != JT_OK || jt_decode_body(&f, &b) != JT_OK)
            continue;
        *speed_sum += b.u.loc.speed_dkmh + b.u.loc.item_count;
        frames++;
    }
    return frames;
}

int main(int argc, char **argv)
{
    unsigned nframes = argc > 1 ? (unsigned)atoi(argv[1]) : 8192;
    int rounds = argc > 2 ? atoi(argv[2]) : 15;
    if (nframes == 0 || rounds < 1 || rounds > 1000) {
        fprintf(stderr, "usage: bench_codec [frames-per-round] [rounds<=1000]\n");
        return 2;
    }
    size_t cap = (size_t)nframes * 600;
    uint8_t *stream = malloc(cap), *work = malloc(cap);
    if (!stream || !work)
        return 1;
    size_t len = 0;
    uint64_t expect_sum = 0;
    for (unsigned i = 0; i < nframes; i++)
        len += build_frame(i, stream + len, cap - len);
    memcpy(work, stream, len);
    if (decode_stream(work, len, &expect_sum) != nframes) {
        fprintf(stderr, "bench_codec: not every frame decoded; codec broken\n");
        return 1;
    }
    double *decode_ns = calloc((size_t)rounds, sizeof *decode_ns);
    double *copy_ns = calloc((size_t)rounds, sizeof *copy_ns);
    for (int r = 0; r < rounds; r++) {
        double t0 = now_s();
        memcpy(work, stream, len);
        double t1 = now_s();
        uint64_t sum = 0;
        unsigned got = decode_stream(work, len, &sum);
        double t2 = now_s();
        if (got != nframes || sum != expect_sum) {
            fprintf(stderr, "bench_codec: round %d decoded %u/%u frames\n", r, got, nframes);
            return 1;
        }
        copy_ns[r] = (t1 - t0) * 1e9 / nframes;
        decode_ns[r] = (t2 - t1) * 1e9 / nframes;
    }
    qsort(decode_ns, (size_t)rounds, sizeof *decode_ns, cmp_double);
    qsort(copy_ns, (size_t)rounds, sizeof *copy_ns, cmp_double);
    double med = decode_ns[rounds / 2], copy = copy_ns[rounds / 2];
    printf("frames_per_round=%u rounds=%d mean_frame_bytes=%.1f\n", nframes, rounds,
           (double)len / nframes);
    printf("decode: median %.1f ns/frame = %.2f M frames/s (min %.1f, max %.1f ns)\n", med,
           1e3 / med, decode_ns[0], decode_ns[rounds - 1]);
    printf("baseline memcpy of the same bytes: %.1f ns/frame (decode = %.1fx memcpy)\n", copy,
           med / copy);
    free(stream);
    free(work);
    free(decode_ns);
    free(copy_ns);
    return 0;
}
