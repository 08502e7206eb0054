/* jt_errors.h - the codec's error and warning vocabulary.
 *
 * Every codec function that can fail returns a jt_err. JT_OK is 0; every other value has a
 * short stable name (used in JSON output, logs and metric labels: "checksum") and a sentence
 * for humans. The list is an X-macro so that the enum, the names and the texts cannot drift
 * apart, and so that servers can keep one counter per kind (JT_ERR__COUNT of them).
 *
 * Frame "warnings" (jt_frame.flags) are damage the decoder could read past safely; they are
 * not errors by themselves: what a consumer does with a flagged frame is its policy
 * (docs/protocol.md, "Damaged frames").
 */
#ifndef FW_JT_ERRORS_H
#define FW_JT_ERRORS_H

/* X(enum suffix, short name, description) */
#define JT_ERR_LIST(X)                                                                             \
    X(OK, "ok", "no error")                                                                        \
    X(TOO_SHORT, "too_short", "frame shorter than the smallest header plus checksum")              \
    X(OVERSIZE, "oversize", "frame longer than the configured maximum; resynced at next 0x7e")     \
    X(BAD_ESCAPE, "bad_escape", "0x7d not followed by 0x01 or 0x02")                               \
    X(CHECKSUM, "checksum", "XOR check code does not match the frame")                             \
    X(LENGTH_MISMATCH, "length_mismatch", "declared body length differs from the bytes present")   \
    X(BAD_HEADER, "bad_header", "message header cannot be parsed")                                 \
    X(ENCRYPTED, "encrypted", "body is encrypted (RSA); not decrypted")                            \
    X(UNSUPPORTED, "unsupported", "message id has no decoder")                                     \
    X(TRUNCATED, "truncated", "body ends before a required field")                                 \
    X(BAD_FIELD, "bad_field", "a field holds a value outside its allowed range")                   \
    X(BAD_BCD, "bad_bcd", "a BCD field holds a nibble above 9")                                    \
    X(BAD_TIME, "bad_time", "a BCD date/time is not a valid calendar time")                        \
    X(ITEM_LENGTH, "item_length", "an additional item has the wrong length for its id")            \
    X(ITEM_OVERRUN, "item_overrun", "an additional item runs past the end of the body")            \
    X(BAD_TEXT, "bad_text", "text is not valid GBK (or UTF-8 when encoding)")                      \
    X(NO_SPACE, "no_space", "output buffer too small")                                             \
    X(SUBPKG_INVALID, "subpkg_invalid", "sub-package total or index out of range")                 \
    X(SUBPKG_FULL, "subpkg_full", "sub-package reassembly memory bound reached")                   \
    X(SUBPKG_MISMATCH, "subpkg_mismatch", "sub-package disagrees with earlier packets")

typedef enum {
#define JT_ERR_ENUM(name, str, text) JT_ERR_##name,
    JT_ERR_LIST(JT_ERR_ENUM)
#undef JT_ERR_ENUM
        JT_ERR__COUNT
} jt_err;

#define JT_OK JT_ERR_OK

/* Short stable name ("checksum"); "unknown" for values out of range. Never NULL. */
const char *jt_err_name(jt_err err);
/* One-sentence description for humans. Never NULL. */
const char *jt_err_text(jt_err err);

#endif
