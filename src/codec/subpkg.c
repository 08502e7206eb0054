/* subpkg.c - reassembly of sub-packaged messages (jt_subpkg.h).
 *
 * The reassembler is a small linear table of messages in progress (max_msgs is small, e.g. 64
 * per worker, so a scan beats hashing), keyed by (phone, message id, total). Each message owns
 * ONE buffer: a slot table (offset and length of every index) followed by the packet bytes in
 * arrival order, grown by doubling within the memory bound. Packets arriving in index order
 * (the normal case) are already the concatenated body when the last one lands: the body is
 * handed out in place. Otherwise it is copied once, in index order, into a fresh buffer.
 *
 * Memory accounting: jt_subpkg_bytes() is the bytes allocated for messages in progress (slot
 * tables included, so a forged huge `total` cannot hide behind empty packets). A completed
 * body leaves the count when it is returned and is freed at the next call (add, poll, forget
 * or free), as the contract "valid until the next call" allows.
 */
#include "fw/codec/jt_subpkg.h"
#include "fw/codec/jt_encode.h"

#include <stdlib.h>
#include <string.h>

#define SLOT_MISSING 0xFFFFu /* length of a slot whose packet has not arrived */
#define SLOT_BYTES   (sizeof(uint32_t) + sizeof(uint16_t))

typedef struct {
    bool used;
    char phone[JT_PHONE_MAX_DIGITS + 1];
    uint16_t msg_id;
    uint16_t total;
    jt_version version;
    uint16_t first_serial; /* serial of packet 1, else of the first packet seen */
    uint16_t received;     /* distinct indexes stored */
    uint8_t retries;       /* resend requests sent */
    uint64_t started;      /* order of creation: the oldest is evicted first */
    uint64_t last_ms;      /* last packet or resend request */
    uint8_t *buf;          /* offsets[total], lengths[total], then packet bytes */
    size_t buf_cap;        /* bytes allocated for buf */
    size_t data_len;       /* packet bytes stored */
} pending;

struct jt_subpkg {
    jt_subpkg_config cfg;
    size_t bytes;      /* buf_cap summed over messages in progress */
    size_t count;      /* messages in progress */
    uint64_t evicted;  /* messages dropped for max_msgs_per_terminal, since creation */
    uint64_t started;  /* messages started, since creation (orders them) */
    uint8_t *done_buf; /* body last returned complete; freed on the next call */
    uint16_t missing[JT_RESEND_MAX_IDS_2019]; /* scratch for poll()'s resend lists */
    pending msgs[];                           /* cfg.max_msgs entries */
};

static size_t table_bytes(uint16_t total)
{
    return (size_t)total * SLOT_BYTES;
}

static uint32_t *slot_offsets(const pending *m)
{
    return (uint32_t *)(void *)m->buf;
}

static uint16_t *slot_lengths(const pending *m)
{
    return (uint16_t *)(void *)(m->buf + (size_t)m->total * sizeof(uint32_t));
}

static uint8_t *packet_data(const pending *m)
{
    return m->buf + table_bytes(m->total);
}

jt_subpkg *jt_subpkg_new(const jt_subpkg_config *cfg)
{
    if (cfg->max_msgs == 0 || cfg->max_bytes == 0)
        return NULL;
    jt_subpkg *sp = calloc(1, sizeof *sp + cfg->max_msgs * sizeof(pending));
    if (!sp)
        return NULL;
    sp->cfg = *cfg;
    if (sp->cfg.max_bytes_per_terminal == 0 || sp->cfg.max_bytes_per_terminal > cfg->max_bytes)
        sp->cfg.max_bytes_per_terminal = cfg->max_bytes;
    if (sp->cfg.max_msgs_per_terminal == 0 || sp->cfg.max_msgs_per_terminal > cfg->max_msgs)
        sp->cfg.max_msgs_per_terminal = cfg->max_msgs;
    return sp;
}

static void release_done(jt_subpkg *sp)
{
    free(sp->done_buf);
    sp->done_buf = NULL;
}

static void drop(jt_subpkg *sp, pending *m)
{
    free(m->buf);
    sp->bytes -= m->buf_cap;
    sp->count--;
    *m = (pending){0};
}

void jt_subpkg_free(jt_subpkg *sp)
{
    if (!sp)
        return;
    for (size_t i = 0; i < sp->cfg.max_msgs; i++)
        if (sp->msgs[i].used)
            drop(sp, &sp->msgs[i]);
    release_done(sp);
    free(sp);
}

static pending *find(const jt_subpkg *sp, const char *phone, uint16_t msg_id, uint16_t total)
{
    for (size_t i = 0; i < sp->cfg.max_msgs; i++) {
        const pending *m = &sp->msgs[i];
        if (m->used && m->msg_id == msg_id && (total == 0 || m->total == total) &&
            strcmp(m->phone, phone) == 0)
            return (pending *)m;
    }
    return NULL;
}

/* Bytes held for one terminal's messages in progress. */
static size_t terminal_bytes(const jt_subpkg *sp, const char *phone)
{
    size_t held = 0;
    for (size_t i = 0; i < sp->cfg.max_msgs; i++)
        if (sp->msgs[i].used && strcmp(sp->msgs[i].phone, phone) == 0)
            held += sp->msgs[i].buf_cap;
    return held;
}

/* Whether growing one of phone's buffers from old_cap to new_cap keeps both the total and
 * that terminal's bound. */
static bool fits_bound(const jt_subpkg *sp, const char *phone, size_t old_cap, size_t new_cap)
{
    return sp->bytes - old_cap + new_cap <= sp->cfg.max_bytes &&
           terminal_bytes(sp, phone) - old_cap + new_cap <= sp->cfg.max_bytes_per_terminal;
}

/* When phone already has max_msgs_per_terminal messages in progress, drop the one it started
 * first, to make room for its new one. */
static void evict_oldest_of(jt_subpkg *sp, const char *phone)
{
    pending *oldest = NULL;
    size_t held = 0;
    for (size_t i = 0; i < sp->cfg.max_msgs; i++) {
        pending *m = &sp->msgs[i];
        if (!m->used || strcmp(m->phone, phone) != 0)
            continue;
        held++;
        if (!oldest || m->started < oldest->started)
            oldest = m;
    }
    if (held < sp->cfg.max_msgs_per_terminal)
        return;
    drop(sp, oldest);
    sp->evicted++;
}

/* A new message for f's key, with room for its slot table and f's packet. */
static jt_err start(jt_subpkg *sp, const jt_frame *f, uint64_t now_ms, pending **out)
{
    evict_oldest_of(sp, f->phone);
    size_t cap = table_bytes(f->pkg_total) + f->body_avail;
    if (sp->count >= sp->cfg.max_msgs || !fits_bound(sp, f->phone, 0, cap))
        return JT_ERR_SUBPKG_FULL;
    pending *m = NULL;
    for (size_t i = 0; i < sp->cfg.max_msgs && !m; i++)
        if (!sp->msgs[i].used)
            m = &sp->msgs[i];
    uint8_t *buf = malloc(cap);
    if (!m || !buf) {
        free(buf);
        return JT_ERR_SUBPKG_FULL;
    }
    *m = (pending){.used = true,
                   .msg_id = f->msg_id,
                   .total = f->pkg_total,
                   .version = f->version,
                   .first_serial = f->serial,
                   .started = ++sp->started,
                   .last_ms = now_ms,
                   .buf = buf,
                   .buf_cap = cap};
    memcpy(m->phone, f->phone, sizeof m->phone);
    memset(slot_lengths(m), 0xFF, (size_t)m->total * sizeof(uint16_t));
    sp->bytes += cap;
    sp->count++;
    *out = m;
    return JT_OK;
}

/* Make room for `extra` more packet bytes: double the buffer, or grow it exactly when
 * doubling would break the memory bound. */
static jt_err reserve(jt_subpkg *sp, pending *m, size_t extra)
{
    size_t need = table_bytes(m->total) + m->data_len + extra;
    if (need <= m->buf_cap)
        return JT_OK;
    size_t cap = 2 * m->buf_cap > need ? 2 * m->buf_cap : need;
    if (!fits_bound(sp, m->phone, m->buf_cap, cap))
        cap = need;
    if (!fits_bound(sp, m->phone, m->buf_cap, cap))
        return JT_ERR_SUBPKG_FULL;
    uint8_t *buf = realloc(m->buf, cap);
    if (!buf)
        return JT_ERR_SUBPKG_FULL;
    sp->bytes += cap - m->buf_cap;
    m->buf = buf;
    m->buf_cap = cap;
    return JT_OK;
}

static jt_err store(jt_subpkg *sp, pending *m, const jt_frame *f)
{
    jt_err e = reserve(sp, m, f->body_avail);
    if (e != JT_OK)
        return e;
    size_t slot = f->pkg_index - 1u;
    if (f->body_avail)
        memcpy(packet_data(m) + m->data_len, f->body, f->body_avail);
    slot_offsets(m)[slot] = (uint32_t)m->data_len;
    slot_lengths(m)[slot] = f->body_avail;
    m->data_len += f->body_avail;
    m->received++;
    if (f->pkg_index == 1)
        m->first_serial = f->serial;
    return JT_OK;
}

/* The packets in index order: in place when they arrived in order, else copied once. */
static uint8_t *ordered_body(pending *m)
{
    const uint32_t *offsets = slot_offsets(m);
    const uint16_t *lengths = slot_lengths(m);
    size_t pos = 0;
    for (size_t i = 0; i < m->total && offsets[i] == pos; i++)
        pos += lengths[i];
    if (pos == m->data_len)
        return m->buf;
    uint8_t *copy = malloc(m->data_len);
    if (!copy)
        return NULL;
    pos = 0;
    for (size_t i = 0; i < m->total; i++) {
        memcpy(copy + pos, packet_data(m) + offsets[i], lengths[i]);
        pos += lengths[i];
    }
    return copy;
}

/* Hand the completed message out and take it off the table. */
static jt_err complete(jt_subpkg *sp, pending *m, uint16_t last_serial, jt_subpkg_msg *msg)
{
    uint8_t *body = ordered_body(m);
    if (!body) {
        drop(sp, m);
        return JT_ERR_SUBPKG_FULL;
    }
    memcpy(msg->phone, m->phone, sizeof msg->phone);
    msg->msg_id = m->msg_id;
    msg->version = m->version;
    msg->first_serial = m->first_serial;
    msg->last_serial = last_serial;
    msg->body = body == m->buf ? packet_data(m) : body;
    msg->body_len = m->data_len;
    if (body == m->buf)
        m->buf = NULL; /* ownership moves to done_buf */
    sp->done_buf = body;
    drop(sp, m);
    return JT_OK;
}

jt_err jt_subpkg_add(jt_subpkg *sp, const jt_frame *f, uint64_t now_ms, jt_subpkg_msg *msg,
                     bool *done)
{
    *done = false;
    release_done(sp);
    if (!f->subpkg || f->pkg_total == 0 || f->pkg_index == 0 || f->pkg_index > f->pkg_total)
        return JT_ERR_SUBPKG_INVALID;
    pending *m = find(sp, f->phone, f->msg_id, f->pkg_total);
    if (m && m->version != f->version)
        return JT_ERR_SUBPKG_MISMATCH;
    jt_err e = m ? JT_OK : start(sp, f, now_ms, &m);
    if (e != JT_OK)
        return e;
    m->last_ms = now_ms;
    if (slot_lengths(m)[f->pkg_index - 1u] != SLOT_MISSING)
        return JT_OK; /* duplicate */
    e = store(sp, m, f);
    if (e != JT_OK || m->received < m->total)
        return e;
    e = complete(sp, m, f->serial, msg);
    *done = e == JT_OK;
    return e;
}

static size_t collect_missing(const pending *m, uint16_t *ids, size_t cap)
{
    const uint16_t *lengths = slot_lengths(m);
    size_t n = 0;
    for (size_t i = 0; i < m->total && n < cap; i++)
        if (lengths[i] == SLOT_MISSING)
            ids[n++] = (uint16_t)(i + 1);
    return n;
}

static void expire(jt_subpkg *sp, pending *m, jt_subpkg_cb cb, void *ctx)
{
    pending gone = *m;
    drop(sp, m); /* before the callback, which may call back into the reassembler */
    if (cb)
        cb(ctx, JT_SUBPKG_EXPIRED, gone.phone, gone.msg_id, gone.version, gone.first_serial, NULL,
           0);
}

static void request_resend(jt_subpkg *sp, pending *m, uint64_t now_ms, jt_subpkg_cb cb, void *ctx)
{
    size_t cap = m->version == JT_V2019 ? JT_RESEND_MAX_IDS_2019 : JT_RESEND_MAX_IDS_2013;
    size_t n = collect_missing(m, sp->missing, cap);
    m->retries++;
    m->last_ms = now_ms;
    if (cb)
        cb(ctx, JT_SUBPKG_RESEND, m->phone, m->msg_id, m->version, m->first_serial, sp->missing,
           (uint16_t)n);
}

void jt_subpkg_poll(jt_subpkg *sp, uint64_t now_ms, jt_subpkg_cb cb, void *ctx)
{
    release_done(sp);
    for (size_t i = 0; i < sp->cfg.max_msgs; i++) {
        pending *m = &sp->msgs[i];
        if (!m->used || now_ms < m->last_ms + sp->cfg.timeout_ms)
            continue;
        if (m->retries >= sp->cfg.max_retries)
            expire(sp, m, cb, ctx);
        else
            request_resend(sp, m, now_ms, cb, ctx);
    }
}

void jt_subpkg_forget(jt_subpkg *sp, const char *phone)
{
    release_done(sp);
    for (size_t i = 0; i < sp->cfg.max_msgs; i++)
        if (sp->msgs[i].used && strcmp(sp->msgs[i].phone, phone) == 0)
            drop(sp, &sp->msgs[i]);
}

size_t jt_subpkg_missing(const jt_subpkg *sp, const char *phone, uint16_t msg_id, uint16_t *ids,
                         size_t cap, uint16_t *first_serial)
{
    const pending *m = find(sp, phone, msg_id, 0);
    if (!m)
        return 0;
    if (first_serial)
        *first_serial = m->first_serial;
    return collect_missing(m, ids, cap);
}

size_t jt_subpkg_bytes(const jt_subpkg *sp)
{
    return sp->bytes;
}

size_t jt_subpkg_count(const jt_subpkg *sp)
{
    return sp->count;
}

uint64_t jt_subpkg_evicted(const jt_subpkg *sp)
{
    return sp->evicted;
}
