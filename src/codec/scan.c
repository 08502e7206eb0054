/* scan.c - finding JT/T 808 frames in a byte stream (jt_frame.h, step 1 of the pipeline).
 *
 * jt_scan() works on a contiguous buffer that the caller owns (a server's read buffer): it
 * returns one frame candidate, or says how many bytes may be dropped while a frame is still
 * incomplete. Every 0x7e is a delimiter; the state remembers whether the next byte is inside
 * a frame. jt_framer wraps jt_scan() for input that arrives in chunks: it copies each chunk
 * into caller storage, scans it there and keeps only the pending partial frame between calls.
 */
#include <assert.h>
#include <string.h>

#include "fw/codec/jt_frame.h"

/* Skip bytes before the next flag when no frame is open. Returns false when there is none. */
static bool open_at_next_flag(jt_scan_state *st, const uint8_t *in, size_t len, size_t *pos,
                              size_t *garbage)
{
    const uint8_t *flag = memchr(in + *pos, JT_FLAG_BYTE, len - *pos);
    size_t skipped = flag ? (size_t)(flag - (in + *pos)) : len - *pos;
    *garbage += skipped;
    *pos += skipped;
    if (!flag)
        return false;
    *pos += 1;
    st->open = true;
    return true;
}

static jt_scan_result oversize(jt_scan_state *st, size_t consumed, size_t garbage, size_t empty)
{
    st->open = false;
    st->after_frame = false;
    return (jt_scan_result){
        .kind = JT_SCAN_OVERSIZE, .consumed = consumed, .garbage = garbage, .empty = empty};
}

jt_scan_result jt_scan(jt_scan_state *st, uint8_t *in, size_t len, size_t max_escaped)
{
    size_t pos = 0, garbage = 0, empty = 0;
    if (len == 0) /* also covers in == NULL */
        return (jt_scan_result){.kind = JT_SCAN_NEED_MORE};
    for (;;) {
        if (!st->open && !open_at_next_flag(st, in, len, &pos, &garbage))
            return (jt_scan_result){
                .kind = JT_SCAN_NEED_MORE, .consumed = pos, .garbage = garbage, .empty = empty};
        uint8_t *start = in + pos;
        uint8_t *flag = memchr(start, JT_FLAG_BYTE, len - pos);
        size_t frame_len = flag ? (size_t)(flag - start) : len - pos;
        if (frame_len > max_escaped) /* dropped; the closing flag (if any) opens the next one */
            return oversize(st, pos + frame_len, garbage, empty);
        if (!flag) /* keep the pending bytes in the caller's buffer */
            return (jt_scan_result){
                .kind = JT_SCAN_NEED_MORE, .consumed = pos, .garbage = garbage, .empty = empty};
        pos += frame_len + 1;
        if (frame_len > 0) {
            st->after_frame = true;
            return (jt_scan_result){.kind = JT_SCAN_FRAME,
                                    .consumed = pos,
                                    .garbage = garbage,
                                    .empty = empty,
                                    .frame = start,
                                    .frame_len = frame_len};
        }
        empty += !st->after_frame; /* the first after a frame separates it from the next */
        st->after_frame = false;
    }
}

void jt_framer_init(jt_framer *f, uint8_t *storage, size_t cap)
{
    assert(cap > 0);
    *f = (jt_framer){.buf = storage, .cap = cap};
}

/* Scan the bytes in f->buf, calling cb for each result. Returns false when cb asked to stop;
 * the unscanned bytes then stay in buf[*off..len). */
static bool drain(jt_framer *f, size_t *off, jt_frame_cb cb, void *ctx)
{
    for (;;) {
        /* cap - 1: a pending frame that fills the whole buffer can never be completed */
        jt_scan_result r = jt_scan(&f->scan, f->buf + *off, f->len - *off, f->cap - 1);
        *off += r.consumed;
        f->garbage_bytes += r.garbage;
        if (r.kind == JT_SCAN_NEED_MORE)
            return true;
        bool too_big = r.kind == JT_SCAN_OVERSIZE;
        f->oversize_count += too_big;
        if (too_big ? !cb(ctx, NULL, 0, JT_ERR_OVERSIZE) : !cb(ctx, r.frame, r.frame_len, JT_OK))
            return false;
    }
}

size_t jt_framer_feed(jt_framer *f, const uint8_t *data, size_t len, jt_frame_cb cb, void *ctx)
{
    size_t used = 0;
    while (used < len && f->cap > 0) {
        size_t take = f->cap - f->len;
        if (take > len - used)
            take = len - used;
        memcpy(f->buf + f->len, data + used, take);
        f->len += take;
        used += take;
        size_t off = 0;
        bool go_on = drain(f, &off, cb, ctx);
        if (!go_on) { /* what follows the stopping frame is all from this chunk: hand it back */
            used -= f->len - off;
            f->len = 0;
            return used;
        }
        f->len -= off;
        memmove(f->buf, f->buf + off, f->len);
    }
    return used;
}
