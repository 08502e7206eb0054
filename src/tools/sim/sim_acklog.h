/* sim_acklog.h - the ack log (--ack-log FILE): one line "phone gnss_time_ms" for every position
 * the platform acked with 0x8001 result 0 (each entry of a 0x0704 on a line of its own), so that
 * a check afterwards can look every acked position up in the store by identity
 * (scripts/check_acked.sh against Redis; docs/sim.md states why the pair is unique).
 *
 * Lines collect in a buffer inside the struct (no allocation) and leave in one write() of whole
 * lines when the buffer is full and whenever the engine flushes (every clock tick and at the
 * end, which SIGINT/SIGTERM reach through the drain). The file is opened with O_APPEND, so the
 * processes of one run (--procs) share it without cutting each other's lines.
 */
#ifndef FW_SIM_ACKLOG_H
#define FW_SIM_ACKLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_ACKLOG_BUF (64u * 1024u)

typedef struct {
    int fd;         /* -1: no log; every call does nothing */
    size_t len;     /* buffered bytes, whole lines only */
    uint32_t lines; /* buffered lines */
    char buf[SIM_ACKLOG_BUF];
} sim_acklog;

/* Empty (or create) the file once, before the processes of a run open it. 0, or -1 (errno). */
int sim_acklog_create(const char *path);
/* Open the file for appending (path NULL: no log). 0, or -1 (errno). */
int sim_acklog_open(sim_acklog *l, const char *path);
/* Lines for `points` positions of `phone` (leading zeros are dropped, as in fw:track:<phone>)
 * at gnss_s, gnss_s + step_s, ... (UTC epoch seconds). Returns the lines lost because a write
 * failed (0 when all is well). */
uint32_t sim_acklog_add(sim_acklog *l, const char *phone, uint32_t gnss_s, uint32_t step_s,
                        uint32_t points);
/* Write the buffered lines; returns how many were lost to a failed write. */
uint32_t sim_acklog_flush(sim_acklog *l);
/* Flush and close; returns the lines lost as sim_acklog_flush does. */
uint32_t sim_acklog_close(sim_acklog *l);

#endif
