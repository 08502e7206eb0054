/* jt_frame.h - JT/T 808 framing: finding frames in a byte stream, unescaping, the XOR check
 * code and the message header (2011/2013 and 2019 layouts).
 *
 * Wire format: 0x7e | header | body | check | 0x7e, where everything between the flags is
 * escaped (0x7e -> 0x7d 0x02, 0x7d -> 0x7d 0x01) and check is the XOR of header and body.
 *
 * Pipeline, all zero-copy and allocation-free:
 *   1. jt_scan() finds the next frame in a contiguous input buffer (a server's read buffer).
 *      jt_framer does the same for input arriving in arbitrary chunks, accumulating the
 *      pending partial frame in caller-owned storage (tools, tests, fuzzing).
 *   2. jt_frame_parse() unescapes the frame IN PLACE (unescaping never grows), checks the
 *      check code and parses the header. The resulting jt_frame points into that buffer:
 *      keep the buffer alive and unchanged while you use the frame or anything decoded from it.
 *
 * Frame delimiting: every 0x7e is a delimiter. Bytes before the first 0x7e of a stream are
 * garbage (skipped and counted). Whatever lies between two 0x7e is a frame candidate; an empty
 * one ("7e7e", the end flag of one frame followed by the start flag of the next) is skipped,
 * anything else is handed to jt_frame_parse(), which rejects garbage with an error. Empty
 * candidates beyond the one that may follow a frame (a run of 0x7e) are skipped and counted.
 * This also accepts terminals that share one flag between consecutive frames.
 */
#ifndef FW_JT_FRAME_H
#define FW_JT_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fw/codec/jt_errors.h"

#define JT_FLAG_BYTE   0x7e
#define JT_ESCAPE_BYTE 0x7d

#define JT_MAX_BODY          1023u /* 10-bit body length field */
#define JT_HEADER_2013       12u   /* id 2, props 2, phone 6, serial 2 */
#define JT_HEADER_2019       17u   /* id 2, props 2, version 1, phone 10, serial 2 */
#define JT_SUBPKG_FIELDS     4u    /* total 2, index 2; present when props bit 13 is set */
#define JT_MIN_FRAME         (JT_HEADER_2013 + 1u) /* unescaped header + check code */
#define JT_MAX_FRAME         (JT_HEADER_2019 + JT_SUBPKG_FIELDS + JT_MAX_BODY + 1u)
#define JT_MAX_ESCAPED_FRAME (2u * JT_MAX_FRAME + 2u) /* worst case with both flags */

/* ---- stream scanning --------------------------------------------------------------------- */

typedef enum {
    JT_SCAN_NEED_MORE, /* no complete frame yet; drop `consumed` bytes and read more */
    JT_SCAN_FRAME,     /* a frame candidate: frame/frame_len, then drop `consumed` bytes */
    JT_SCAN_OVERSIZE,  /* pending frame exceeded max_frame: `consumed` bytes dropped, resync */
} jt_scan_kind;

typedef struct {
    jt_scan_kind kind;
    size_t consumed;  /* bytes of the input the caller must drop before scanning again */
    size_t garbage;   /* of those, bytes that were outside any frame (before a first 0x7e) */
    size_t empty;     /* empty frames skipped: "7e7e" not directly after a frame */
    uint8_t *frame;   /* JT_SCAN_FRAME: escaped bytes between the flags, in the input */
    size_t frame_len; /* JT_SCAN_FRAME: length of frame (> 0) */
} jt_scan_result;

/* Scanner state that survives between calls: one per connection. 2 bytes. */
typedef struct {
    bool open;        /* a 0x7e has been seen and consumed: the next bytes are a frame's content */
    bool after_frame; /* the last thing found was a frame: one empty candidate is its separator */
} jt_scan_state;

/* Find the next frame in in[0..len). max_escaped bounds a frame's escaped length (use
 * JT_MAX_ESCAPED_FRAME unless configured lower). Never reads outside the input, never
 * allocates. The frame pointer aliases the input (hence non-const: jt_frame_parse unescapes
 * it in place). */
jt_scan_result jt_scan(jt_scan_state *st, uint8_t *in, size_t len, size_t max_escaped);

/* Chunk-fed framer for callers without a contiguous read buffer. Storage is caller-owned
 * (JT_MAX_ESCAPED_FRAME bytes is enough for any legal frame). */
typedef struct {
    jt_scan_state scan;
    uint8_t *buf;            /* pending bytes of an incomplete frame */
    size_t cap;              /* size of buf */
    size_t len;              /* bytes pending in buf */
    uint64_t garbage_bytes;  /* total bytes skipped outside frames */
    uint64_t oversize_count; /* total frames dropped for exceeding cap */
} jt_framer;

void jt_framer_init(jt_framer *f, uint8_t *storage, size_t cap);

/* Called once per frame candidate with its escaped bytes (writable, valid only during the
 * call) or, with frame == NULL and err == JT_ERR_OVERSIZE, once per dropped oversize frame.
 * Return false to stop feeding (the rest of the chunk stays unconsumed). */
typedef bool (*jt_frame_cb)(void *ctx, uint8_t *frame, size_t len, jt_err err);

/* Feed a chunk. Returns the number of bytes of `data` consumed (== len unless cb stopped). */
size_t jt_framer_feed(jt_framer *f, const uint8_t *data, size_t len, jt_frame_cb cb, void *ctx);

/* ---- escaping and check code ------------------------------------------------------------- */

/* Unescape buf[0..len) in place; returns the new length. A 0x7d not followed by 0x01/0x02 is
 * kept as a literal byte and counted in *bad_escapes (may be NULL). */
size_t jt_unescape(uint8_t *buf, size_t len, unsigned *bad_escapes);

/* Escape src[0..len) into dst (cap bytes). Returns bytes written, or 0 with JT_ERR_NO_SPACE
 * in *err when dst is too small (2*len always suffices). */
size_t jt_escape(const uint8_t *src, size_t len, uint8_t *dst, size_t cap, jt_err *err);

uint8_t jt_checksum(const uint8_t *p, size_t len);

/* ---- header ------------------------------------------------------------------------------ */

typedef enum { JT_V2013 = 2013, JT_V2019 = 2019 } jt_version; /* 2011 shares the 2013 header */

/* jt_frame.flags: damage read past safely (see docs/protocol.md, "Damaged frames"). */
enum {
    JT_FLAG_BAD_CHECKSUM = 1u << 0,      /* check code mismatch (err is JT_ERR_CHECKSUM) */
    JT_FLAG_LENGTH_MISMATCH = 1u << 1,   /* declared body length != bytes present */
    JT_FLAG_BAD_ESCAPE = 1u << 2,        /* 0x7d not followed by 01/02, kept literally */
    JT_FLAG_V2019_BIT_ON_2013 = 1u << 3, /* bit 14 set but only the 2013 layout fits */
    JT_FLAG_PHONE_NOT_BCD = 1u << 4,     /* phone field has nibbles > 9 (shown as hex) */
};

#define JT_PHONE_MAX_DIGITS 20

/* The message body properties word (jt_frame.props) and the phone field widths. */
#define JT_PROPS_BODY_LEN_MASK 0x03ffu /* bits 0-9: body length in bytes */
#define JT_PROPS_ENCRYPT_SHIFT 10      /* bits 10-12: encryption */
#define JT_PROPS_ENCRYPT_MASK  0x7u
#define JT_PROPS_SUBPKG_BIT    (1u << 13) /* sub-package fields follow the serial */
#define JT_PROPS_VERSION_BIT   (1u << 14) /* 2019 header (protocol version byte, 10-byte phone) */
#define JT_PHONE_BCD_2013      6u         /* bytes of BCD phone in a 2013 header */
#define JT_PHONE_BCD_2019      10u        /* bytes of BCD phone in a 2019 header */

typedef struct {
    uint16_t msg_id;
    uint16_t props;           /* raw message body properties word */
    uint16_t body_len;        /* declared body length (props bits 0-9) */
    uint8_t encryption;       /* props bits 10-12: 0 none, 1 RSA (not decrypted) */
    bool subpkg;              /* props bit 13 */
    jt_version version;       /* layout actually used to parse */
    uint8_t proto_version;    /* 2019 protocol version byte (0 for 2013) */
    uint16_t serial;          /* message serial number */
    uint16_t pkg_total;       /* sub-package total (0 when !subpkg) */
    uint16_t pkg_index;       /* sub-package index, 1-based (0 when !subpkg) */
    const uint8_t *phone_raw; /* BCD phone as sent (6 or 10 bytes), for replies */
    uint8_t phone_raw_len;
    char phone[JT_PHONE_MAX_DIGITS + 1]; /* digits, leading zeros stripped ("0" if all zero) */
    const uint8_t *body;                 /* body bytes, in the frame buffer */
    uint16_t body_avail;                 /* bytes of body actually used: min(declared, present) */
    uint8_t check_given;                 /* check code in the frame */
    uint8_t check_calc;                  /* XOR computed over header and body */
    uint32_t flags;                      /* JT_FLAG_* */
} jt_frame;

/* Unescape buf[0..len) in place (the escaped bytes between the flags) and parse it.
 * Returns:
 *   JT_OK                  frame is sound (flags may still carry BAD_ESCAPE, V2019_BIT_ON_2013
 *                          or PHONE_NOT_BCD)
 *   JT_ERR_CHECKSUM        readable; header and body are filled in; check code wrong
 *   JT_ERR_LENGTH_MISMATCH readable; header filled, body_avail = bytes actually present
 *   JT_ERR_TOO_SHORT / JT_ERR_BAD_HEADER: nothing usable (out->msg_id may be set)
 * When both checksum and length are wrong, JT_ERR_LENGTH_MISMATCH is returned and both flags
 * are set. The frame points into buf. */
jt_err jt_frame_parse(uint8_t *buf, size_t len, jt_frame *out);

/* Header fields for building a frame (downlink replies, the simulator's uplink). */
typedef struct {
    uint16_t msg_id;
    uint16_t serial;
    jt_version version;
    uint8_t proto_version;    /* 2019 only; 1 for JT/T 808-2019 */
    const uint8_t *phone_raw; /* BCD phone, 6 bytes (2013) or 10 bytes (2019) */
    uint8_t encryption;       /* props bits 10-12 */
    uint16_t pkg_total;       /* 0 = not sub-packaged */
    uint16_t pkg_index;
} jt_header_out;

/* Convert a phone given as decimal digits into the BCD bytes of the given version (left
 * padded with zeros). Returns JT_ERR_BAD_FIELD for non-digits or too many digits. */
jt_err jt_phone_to_bcd(const char *digits, jt_version v, uint8_t out[10], uint8_t *out_len);

/* Build a complete wire frame (flags, escaped header+body+check) into out (cap bytes).
 * Returns bytes written, or 0 and *err set (JT_ERR_NO_SPACE, JT_ERR_BAD_FIELD for a body over
 * JT_MAX_BODY or a phone of the wrong length). */
size_t jt_frame_build(const jt_header_out *h, const uint8_t *body, size_t body_len, uint8_t *out,
                      size_t cap, jt_err *err);

#endif
