/* spool.c - the append-only local spool (spool.h): one file, CRC-checked entries, positional
 * reads and writes so that replay and append never disturb each other.
 */
#include "spool.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static int read_full(int fd, void *buf, size_t n, uint64_t off)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(fd, (uint8_t *)buf + got, n - got, (off_t)(off + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    return 0;
}

/* Entry at off into *out; its total size, or 0 when there is no valid entry there. */
static size_t read_entry(int fd, uint64_t off, fw_rec *out)
{
    uint8_t head[FW_SPOOL_HEADER_BYTES];
    if (read_full(fd, head, sizeof head, off) < 0)
        return 0;
    uint16_t len = get_u16(head);
    if (len == 0 || len > FW_REC_MAX_BYTES || read_full(fd, out->buf, len, off + sizeof head) < 0)
        return 0;
    if (entry_crc(head, out->buf, len) != get_u32(head + 4))
        return 0;
    out->len = len;
    out->nargs = get_u16(head + 2);
    out->overflow = false;
    return sizeof head + len;
}

int fw_spool_open(fw_spool *s, const char *path, uint64_t max_bytes, char *err, size_t errcap)
{
    memset(s, 0, sizeof *s);
    s->max_bytes = max_bytes;
    s->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
    if (s->fd < 0) {
        snprintf(err, errcap, "spool %s: %s", path, strerror(errno));
        return -1;
    }
    fw_rec *scratch = malloc(sizeof *scratch); /* entries are only checked here */
    uint64_t off = 0;
    size_t n;
    while (scratch && (n = read_entry(s->fd, off, scratch)) > 0)
        off += n;
    bool scanned = scratch != NULL;
    free(scratch);
    if (!scanned || ftruncate(s->fd, (off_t)off) < 0) {
        snprintf(err, errcap, "spool %s: %s", path, strerror(errno));
        fw_spool_close(s);
        return -1;
    }
    s->write_off = s->synced_off = off;
    return 0;
}

void fw_spool_close(fw_spool *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
}

int fw_spool_append(fw_spool *s, const fw_rec *r)
{
    uint8_t entry[FW_SPOOL_HEADER_BYTES + FW_REC_MAX_BYTES];
    size_t total = FW_SPOOL_HEADER_BYTES + r->len;
    if (s->fd < 0 || s->write_off + total > s->max_bytes)
        return -1;
    put_u16(entry, r->len);
    put_u16(entry + 2, r->nargs);
    memcpy(entry + FW_SPOOL_HEADER_BYTES, r->buf, r->len);
    uint32_t crc = entry_crc(entry, r->buf, r->len);
    for (int i = 0; i < 4; i++)
        entry[4 + i] = (uint8_t)(crc >> (8 * i));
    ssize_t w;
    do
        w = pwrite(s->fd, entry, total, (off_t)s->write_off);
    while (w < 0 && errno == EINTR);
    if (w != (ssize_t)total)
        return -1; /* a short write is cut by the next open's scan */
    s->write_off += total;
    return 0;
}

int fw_spool_sync(fw_spool *s)
{
    if (s->synced_off == s->write_off)
        return 0;
    if (fdatasync(s->fd) < 0)
        return -1;
    s->synced_off = s->write_off;
    return 0;
}

int fw_spool_read(fw_spool *s, fw_rec *out, uint64_t *start)
{
    if (s->read_off >= s->write_off)
        return 0;
    size_t n = read_entry(s->fd, s->read_off, out);
    if (!n)
        return -1;
    *start = s->read_off;
    s->read_off += n;
    return 1;
}

void fw_spool_rewind(fw_spool *s, uint64_t off)
{
    if (off < s->read_off)
        s->read_off = off;
}

int fw_spool_reset(fw_spool *s)
{
    if (ftruncate(s->fd, 0) < 0)
        return -1;
    s->write_off = s->synced_off = s->read_off = 0;
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
