/* sessions.h - the server-wide map phone -> authenticated connection.
 *
 * Connections live on different workers; this map is the one place they meet. It is written only
 * when a terminal authenticates or its connection closes, and read by downlink senders and the
 * 0x8003 poll, so one mutex is enough (it is never taken per frame). A connection is named by
 * (worker, slot, generation): the owning worker resolves it, and a stale name (the slot was reused)
 * simply fails to resolve.
 */
#ifndef FW_SERVER_SESSIONS_H
#define FW_SERVER_SESSIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t worker;
    uint32_t slot;
    uint32_t gen;
} fw_conn_ref;

typedef struct fw_sessions fw_sessions;

/* buckets: expected number of sessions (the table does not grow; chains get longer). */
fw_sessions *fw_sessions_new(size_t buckets);
void fw_sessions_free(fw_sessions *s);

/* Make ref the session of phone. Returns 1 and the previous connection in *old when another
 * connection held it (the caller closes that one), 0 otherwise, -1 when out of memory or the phone
 * is too long. */
int fw_sessions_claim(fw_sessions *s, const char *phone, fw_conn_ref ref, fw_conn_ref *old);
/* Remove phone's session if it is still ref. True when it was (false: a newer connection has
 * claimed it, or none). */
bool fw_sessions_release(fw_sessions *s, const char *phone, fw_conn_ref ref);
/* Current session of phone; false when none. */
bool fw_sessions_find(fw_sessions *s, const char *phone, fw_conn_ref *out);
size_t fw_sessions_count(fw_sessions *s);

#endif
