/* spool.h - the local append-only spool: records kept on disk while Redis cannot take them.
 *
 * One file per worker. Each entry is an 8-byte header (record length u16 LE, argument count
 * u16 LE, CRC-32 u32 LE over length, count and record) followed by the record bytes
 * (record.h). Appends go to the end; fw_spool_sync() makes them durable (the writer calls it
 * at most spool_fsync_ms after the first unsynced append and only then acks those records).
 * Replay reads entries in file order from read_off; when everything has been replayed and
 * confirmed by Redis the writer empties the file (fw_spool_reset). Opening scans the file and
 * cuts a torn or corrupt tail (a crash in the middle of an append), so a restart replays
 * exactly the entries that were fully written.
 *
 * Both directions are buffered, so that a spool taking a worker's whole overflow costs a
 * system call per FW_SPOOL_BUF_BYTES rather than per record: appends collect in a write
 * buffer that goes to the file when it fills, at fw_spool_sync() and fw_spool_close(), and
 * before a replay read reaches into it; replay and the opening scan read the file through a
 * window of the same size. Entries never change once written (only fw_spool_reset() empties
 * the file), so the window stays valid across appends and rewinds.
 */
#ifndef FW_STORE_SPOOL_H
#define FW_STORE_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record.h"

#define FW_SPOOL_HEADER_BYTES 8u
#define FW_SPOOL_BUF_BYTES    (256u << 10)

typedef struct {
    int fd;
    uint64_t max_bytes;   /* appends beyond this are refused */
    uint64_t write_off;   /* end of the valid entries, the write buffer's included */
    uint64_t flushed_off; /* the file holds the entries up to here; the rest is in wbuf */
    uint64_t synced_off;  /* fsync'd up to here */
    uint64_t read_off;    /* next entry to replay */
    uint8_t *wbuf;        /* write_off - flushed_off bytes of appended entries */
    uint8_t *rbuf;        /* the file's bytes [rbuf_off, rbuf_off + rbuf_len) */
    uint64_t rbuf_off;
    size_t rbuf_len;
} fw_spool;

/* Open (create) path; scan and cut a torn tail. 0, or -1 with a reason in err. */
int fw_spool_open(fw_spool *s, const char *path, uint64_t max_bytes, char *err, size_t errcap);
/* Write what is buffered (not fsync'd), close the file and free the buffers. */
void fw_spool_close(fw_spool *s);
/* Append one record; 0, or -1 when full (or on a write error: the spool is then unusable
 * until reset). */
int fw_spool_append(fw_spool *s, const fw_rec *r);
/* Write and fsync what was appended; 0 or -1. */
int fw_spool_sync(fw_spool *s);
/* Read the entry at read_off into *out and advance; *start gets its offset. 1 read, 0 at the
 * end, -1 on a read error or a corrupt entry. */
int fw_spool_read(fw_spool *s, fw_rec *out, uint64_t *start);
/* Replay again from off (an entry start). */
void fw_spool_rewind(fw_spool *s, uint64_t off);
/* Give up the entries from read_off on (unreadable): the spool ends there, the file is cut
 * there. 0, or -1 when the cut failed (appends still go at the new end). */
int fw_spool_drop_unread(fw_spool *s);
/* Empty the file; 0 or -1. */
int fw_spool_reset(fw_spool *s);
bool fw_spool_empty(const fw_spool *s);
bool fw_spool_unread(const fw_spool *s);

/* CRC-32 (IEEE 802.3, reflected) of n bytes, continuing from crc (0 to start). */
uint32_t fw_crc32(uint32_t crc, const void *p, size_t n);

#endif
