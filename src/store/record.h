/* record.h - one store record: the arguments of one entry of the store script, RESP-encoded.
 *
 * Every write (a position, a violation event, a rule state, an offline mark) becomes a record:
 * a kind letter followed by the kind's fixed list of arguments, each as a RESP bulk string
 * ("$<len>\r\n<bytes>\r\n"). Records are sent to Redis by concatenating them after an
 * "EVALSHA <sha> 0" header (store_script.h), and the spool keeps the very same bytes, so a
 * record is encoded once and never re-encoded on replay. Building never allocates; an
 * argument that does not fit marks the record as overflowed (fw_rec_ok() false).
 */
#ifndef FW_STORE_RECORD_H
#define FW_STORE_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FW_REC_MAX_BYTES 768

/* Milliseconds per day, for retention options given in days. */
#define FW_DAY_MS 86400000LL

typedef struct {
    uint16_t len;   /* bytes used in buf */
    uint16_t nargs; /* RESP arguments in buf, the kind included */
    bool overflow;  /* an argument did not fit: the record must not be used */
    uint8_t buf[FW_REC_MAX_BYTES];
} fw_rec;

/* Start a record of kind `kind` (a letter, store_script.h). */
void fw_rec_begin(fw_rec *r, char kind);
void fw_rec_bytes(fw_rec *r, const void *p, size_t n);
void fw_rec_str(fw_rec *r, const char *s);
void fw_rec_i64(fw_rec *r, int64_t v);
/* v / 10^decimals in decimal notation: fw_rec_fixed(r, -395, 1) = "-39.5". */
void fw_rec_fixed(fw_rec *r, int64_t v, unsigned decimals);
/* Reserve an argument of n bytes and return where to write them (NULL on overflow). */
uint8_t *fw_rec_reserve(fw_rec *r, size_t n);
bool fw_rec_ok(const fw_rec *r);
/* The kind letter of a started record (it is always the first argument: "$1\r\n<kind>\r\n"). */
static inline char *fw_rec_kind(fw_rec *r)
{
    return (char *)&r->buf[4];
}

/* Decimal text of v into out (at least 21 bytes); returns the length. */
size_t fw_fmt_i64(int64_t v, char *out);

#endif
