/* backoff.h - failed registrations and authentications, counted per key (a phone, a source
 * address), and the time each key must wait before it is heard again.
 *
 * A key's first `limit` failures cost nothing; from then on every failure shuts the key out for
 * base_s, doubled per further failure up to max_s. A success forgets a key (the caller decides
 * which: a phone's success forgets the phone, not its address, which other terminals share). A key
 * unheard of for max_s is forgotten too. The table is shared by the workers (one mutex: it is
 * touched only by 0x0100 and 0x0102, never per location) and bounded: when full, the entry that
 * would be free soonest gives way.
 */
#ifndef FW_SERVER_BACKOFF_H
#define FW_SERVER_BACKOFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct fw_backoff fw_backoff;

typedef struct {
    unsigned limit;  /* failures allowed before the first shut-out; 0 = never shut out */
    unsigned base_s; /* first shut-out */
    unsigned max_s;  /* longest shut-out, and how long a quiet key is remembered */
    size_t max_keys; /* table bound */
} fw_backoff_config;

fw_backoff *fw_backoff_new(const fw_backoff_config *cfg);
void fw_backoff_free(fw_backoff *b);
/* Seconds key must still wait at now_s (monotonic); 0 when it may be heard. */
unsigned fw_backoff_wait(fw_backoff *b, const char *key, uint32_t now_s);
/* Count a failure at now_s; returns the shut-out it starts (0: none yet). */
unsigned fw_backoff_fail(fw_backoff *b, const char *key, uint32_t now_s);
/* Forget key (a success). */
void fw_backoff_clear(fw_backoff *b, const char *key);

#endif
