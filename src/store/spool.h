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
 */
#ifndef FW_STORE_SPOOL_H
#define FW_STORE_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record.h"

#define FW_SPOOL_HEADER_BYTES 8u

typedef struct {
    int fd;
    uint64_t max_bytes;  /* appends beyond this are refused */
    uint64_t write_off;  /* end of the valid entries */
    uint64_t synced_off; /* fsync'd up to here */
    uint64_t read_off;   /* next entry to replay */
} fw_spool;

/* Open (create) path; scan and cut a torn tail. 0, or -1 with a reason in err. */
int fw_spool_open(fw_spool *s, const char *path, uint64_t max_bytes, char *err, size_t errcap);
void fw_spool_close(fw_spool *s);
/* Append one record; 0, or -1 when full (or on a write error: the spool is then unusable
 * until reset). */
int fw_spool_append(fw_spool *s, const fw_rec *r);
/* fsync what was appended; 0 or -1. */
int fw_spool_sync(fw_spool *s);
/* Read the entry at read_off into *out and advance; *start gets its offset. 1 read, 0 at the
 * end, -1 on a read error or a corrupt entry. */
int fw_spool_read(fw_spool *s, fw_rec *out, uint64_t *start);
/* Replay again from off (an entry start). */
void fw_spool_rewind(fw_spool *s, uint64_t off);
/* Empty the file; 0 or -1. */
int fw_spool_reset(fw_spool *s);
bool fw_spool_empty(const fw_spool *s);
bool fw_spool_unread(const fw_spool *s);

/* CRC-32 (IEEE 802.3, reflected) of n bytes, continuing from crc (0 to start). */
uint32_t fw_crc32(uint32_t crc, const void *p, size_t n);

#endif
