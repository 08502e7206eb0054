/* jt_subpkg.h - reassembly of sub-packaged JT/T 808 messages.
 *
 * A long message (0x0801 photos, 0x0104 parameter lists, 0x0100 on some 2019 terminals) is
 * split into packets with props bit 13 set and (total, index) in the header. The reassembler
 * collects them per (terminal phone, message id, total); when all have arrived it returns the
 * concatenated body. Memory is bounded at creation: at most max_msgs messages in progress and
 * max_bytes of packet data in all (counting 6 bytes of bookkeeping per index of each message's
 * total, so a forged total cannot exceed the bound), and at most max_bytes_per_terminal of
 * them for one terminal; a packet beyond any bound is refused
 * (JT_ERR_SUBPKG_FULL) rather than evicting others. One terminal may also have at most
 * max_msgs_per_terminal messages in progress: a packet starting one more evicts that terminal's
 * oldest (the one started first, however recently it was resent), never another terminal's,
 * so a terminal that never completes its messages holds a bounded share of the table. A
 * message silent for timeout_ms gets one resend request (0x8003: the list of missing indexes)
 * per retry, then is dropped.
 *
 * Allocation: one table at creation, one buffer per message in progress (not per frame).
 * Not thread-safe: one reassembler per worker.
 */
#ifndef FW_JT_SUBPKG_H
#define FW_JT_SUBPKG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fw/codec/jt_errors.h"
#include "fw/codec/jt_frame.h"

typedef struct jt_subpkg jt_subpkg;

typedef struct {
    size_t max_msgs;               /* messages in progress at once */
    size_t max_bytes;              /* packet bytes held in all */
    uint32_t timeout_ms;           /* silence before a resend request */
    uint8_t max_retries;           /* resend requests before dropping the message */
    size_t max_bytes_per_terminal; /* bytes one terminal (phone) may hold; 0 = max_bytes */
    size_t max_msgs_per_terminal;  /* messages one terminal may have in progress; 0 = max_msgs */
} jt_subpkg_config;

/* Returns NULL on allocation failure or a zero bound. */
jt_subpkg *jt_subpkg_new(const jt_subpkg_config *cfg);
void jt_subpkg_free(jt_subpkg *sp);

/* A complete message: valid until the next call on the reassembler. */
typedef struct {
    char phone[JT_PHONE_MAX_DIGITS + 1];
    uint16_t msg_id;
    jt_version version;
    uint16_t first_serial; /* serial of packet 1 (or of the first packet seen) */
    uint16_t last_serial;  /* serial of the packet that completed it */
    const uint8_t *body;
    size_t body_len;
} jt_subpkg_msg;

/* Add one packet (a parsed frame with f->subpkg set). Returns JT_OK and sets *done when this
 * packet completed a message (then *msg is filled). Duplicate packets are ignored (JT_OK).
 * Errors: JT_ERR_SUBPKG_INVALID (not sub-packaged, index 0 or > total, total 0),
 * JT_ERR_SUBPKG_FULL, JT_ERR_SUBPKG_MISMATCH (its header version differs from the earlier
 * packets'; a packet with another total starts a separate message, as the key includes it). */
jt_err jt_subpkg_add(jt_subpkg *sp, const jt_frame *f, uint64_t now_ms, jt_subpkg_msg *msg,
                     bool *done);

typedef enum { JT_SUBPKG_RESEND, JT_SUBPKG_EXPIRED } jt_subpkg_event;
/* For RESEND: missing[0..missing_count) are the 1-based indexes still missing, at most
 * JT_RESEND_MAX_IDS_2013/2019 of them (what one 0x8003 can carry; the rest are asked for on a
 * later retry). The pointers are valid during the call only. */
typedef void (*jt_subpkg_cb)(void *ctx, jt_subpkg_event ev, const char *phone, uint16_t msg_id,
                             jt_version version, uint16_t first_serial, const uint16_t *missing,
                             uint16_t missing_count);
/* Handle timeouts: call periodically (e.g. once a second). */
void jt_subpkg_poll(jt_subpkg *sp, uint64_t now_ms, jt_subpkg_cb cb, void *ctx);
/* Drop everything held for one terminal (on disconnect). */
void jt_subpkg_forget(jt_subpkg *sp, const char *phone);

/* Missing indexes of the message in progress for (phone, msg_id); returns how many were
 * written to ids (at most cap), 0 when nothing is pending. */
size_t jt_subpkg_missing(const jt_subpkg *sp, const char *phone, uint16_t msg_id, uint16_t *ids,
                         size_t cap, uint16_t *first_serial);

/* Bytes and messages currently held, and messages evicted so far (for metrics). */
size_t jt_subpkg_bytes(const jt_subpkg *sp);
size_t jt_subpkg_count(const jt_subpkg *sp);
uint64_t jt_subpkg_evicted(const jt_subpkg *sp);

#endif
