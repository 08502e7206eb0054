/* spool.c - the append-only local spool (spool.h): one file, CRC-checked entries, positional
 * reads and writes through a write buffer and a read window, so that replay and append never
 * disturb each other and neither costs a system call per record.
 */
#include "spool.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static uint32_t crc_table[256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

uint32_t fw_crc32(uint32_t crc, const void *p, size_t n)
{
    pthread_once(&crc_once, crc_init);
    const uint8_t *b = p;
    crc = ~crc;
    while (n--)
        crc = crc_table[(crc ^ *b++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

static void put_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint16_t get_u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t entry_crc(const uint8_t *head4, const uint8_t *rec, size_t len)
{
    return fw_crc32(fw_crc32(0, head4, 4), rec, len);
}

/* All n bytes at off read (or written), retrying short transfers and EINTR; 0 or -1. A torn
 * write leaves a partial entry that the next open's scan cuts. */
static int transfer_full(int fd, uint8_t *buf, size_t n, uint64_t off, bool writing)
{
    size_t done = 0;
    while (done < n) {
        ssize_t r = writing ? pwrite(fd, buf + done, n - done, (off_t)(off + done))
                            : pread(fd, buf + done, n - done, (off_t)(off + done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        done += (size_t)r;
    }
    return 0;
}

/* Write the buffered appends to the file. */
static int flush(fw_spool *s)
{
    size_t n = (size_t)(s->write_off - s->flushed_off);
    if (n && transfer_full(s->fd, s->wbuf, n, s->flushed_off, true) < 0)
        return -1;
    s->flushed_off = s->write_off;
    return 0;
}

/* The n bytes at off (below write_off) through the read window, refilled from off when they
 * are not all in it; NULL on an I/O error or past the end. */
static const uint8_t *window(fw_spool *s, uint64_t off, size_t n)
{
    if (off + n > s->write_off || (off + n > s->flushed_off && flush(s) < 0))
        return NULL;
    if (off < s->rbuf_off || off + n > s->rbuf_off + s->rbuf_len) {
        uint64_t avail = s->flushed_off - off;
        size_t want = avail < FW_SPOOL_BUF_BYTES ? (size_t)avail : FW_SPOOL_BUF_BYTES;
        s->rbuf_len = 0;
        if (transfer_full(s->fd, s->rbuf, want, off, false) < 0)
            return NULL;
        s->rbuf_off = off;
        s->rbuf_len = want;
    }
    return s->rbuf + (off - s->rbuf_off);
}

/* The valid entry at off: its total size (0 when there is none) and, through *entry, its
 * bytes in the read window (header first). */
static size_t entry_at(fw_spool *s, uint64_t off, const uint8_t **entry)
{
    const uint8_t *head = window(s, off, FW_SPOOL_HEADER_BYTES);
    if (!head)
        return 0;
    uint16_t len = get_u16(head);
    if (len == 0 || len > FW_REC_MAX_BYTES)
        return 0;
    const uint8_t *e = window(s, off, FW_SPOOL_HEADER_BYTES + len);
    if (!e || entry_crc(e, e + FW_SPOOL_HEADER_BYTES, len) != get_u32(e + 4))
        return 0;
    *entry = e;
    return FW_SPOOL_HEADER_BYTES + len;
}

/* Open the file and find the end of its valid entries: the file's size while scanning. */
static int open_and_scan(fw_spool *s, const char *path)
{
    struct stat st;
    if (!s->wbuf || !s->rbuf) {
        errno = ENOMEM;
        return -1;
    }
    s->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
    if (s->fd < 0 || fstat(s->fd, &st) < 0)
        return -1;
    s->write_off = s->flushed_off = (uint64_t)st.st_size;
    uint64_t off = 0;
    const uint8_t *entry;
    size_t n;
    while ((n = entry_at(s, off, &entry)) > 0)
        off += n;
    if (ftruncate(s->fd, (off_t)off) < 0)
        return -1;
    s->write_off = s->flushed_off = s->synced_off = off;
    s->rbuf_len = 0;
    return 0;
}

int fw_spool_open(fw_spool *s, const char *path, uint64_t max_bytes, char *err, size_t errcap)
{
    memset(s, 0, sizeof *s);
    s->fd = -1;
    s->max_bytes = max_bytes;
    s->wbuf = malloc(FW_SPOOL_BUF_BYTES);
    s->rbuf = malloc(FW_SPOOL_BUF_BYTES);
    if (open_and_scan(s, path) < 0) {
        snprintf(err, errcap, "spool %s: %s", path, strerror(errno));
        fw_spool_close(s);
        return -1;
    }
    return 0;
}

void fw_spool_close(fw_spool *s)
{
    if (s->fd >= 0) {
        flush(s);
        close(s->fd);
    }
    s->fd = -1;
    free(s->wbuf);
    free(s->rbuf);
    s->wbuf = s->rbuf = NULL;
}

int fw_spool_append(fw_spool *s, const fw_rec *r)
{
    size_t total = FW_SPOOL_HEADER_BYTES + r->len;
    if (s->fd < 0 || s->write_off + total > s->max_bytes)
        return -1;
    if (s->write_off - s->flushed_off + total > FW_SPOOL_BUF_BYTES && flush(s) < 0)
        return -1;
    uint8_t *entry = s->wbuf + (s->write_off - s->flushed_off);
    put_u16(entry, r->len);
    put_u16(entry + 2, r->nargs);
    memcpy(entry + FW_SPOOL_HEADER_BYTES, r->buf, r->len);
    put_u32(entry + 4, entry_crc(entry, r->buf, r->len));
    s->write_off += total;
    return 0;
}

int fw_spool_sync(fw_spool *s)
{
    if (s->synced_off == s->write_off)
        return 0;
    if (flush(s) < 0 || fdatasync(s->fd) < 0)
        return -1;
    s->synced_off = s->write_off;
    return 0;
}

int fw_spool_read(fw_spool *s, fw_rec *out, uint64_t *start)
{
    if (s->read_off >= s->write_off)
        return 0;
    const uint8_t *entry;
    size_t n = entry_at(s, s->read_off, &entry);
    if (!n)
        return -1;
    out->len = (uint16_t)(n - FW_SPOOL_HEADER_BYTES);
    out->nargs = get_u16(entry + 2);
    out->overflow = false;
    memcpy(out->buf, entry + FW_SPOOL_HEADER_BYTES, out->len);
    *start = s->read_off;
    s->read_off += n;
    return 1;
}

void fw_spool_rewind(fw_spool *s, uint64_t off)
{
    if (off < s->read_off)
        s->read_off = off;
}

int fw_spool_drop_unread(fw_spool *s)
{
    s->write_off = s->read_off;
    if (s->flushed_off > s->write_off)
        s->flushed_off = s->write_off;
    if (s->synced_off > s->write_off)
        s->synced_off = s->write_off;
    s->rbuf_len = 0;
    return ftruncate(s->fd, (off_t)s->write_off);
}

int fw_spool_reset(fw_spool *s)
{
    if (ftruncate(s->fd, 0) < 0)
        return -1;
    s->write_off = s->flushed_off = s->synced_off = s->read_off = 0;
    s->rbuf_len = 0;
    return 0;
}

bool fw_spool_empty(const fw_spool *s)
{
    return s->write_off == 0;
}

bool fw_spool_unread(const fw_spool *s)
{
    return s->read_off < s->write_off;
}
