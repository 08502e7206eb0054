/* authcode.h - auth codes for 0x8100/0x0102, derived from a server secret and
 * the phone.
 *
 * code = 16 lowercase hex digits of SipHash-2-4(key, phone digits), where the
 * 128-bit key is derived from the configured secret. Any node with the same
 * secret computes the same code, so a terminal may register on one node and
 * authenticate on another, and nothing needs to be stored. SipHash is
 * implemented here from its published description (Aumasson & Bernstein).
 */
#ifndef FW_SERVER_AUTHCODE_H
#define FW_SERVER_AUTHCODE_H

#include <stddef.h>
#include <stdint.h>

#define FW_AUTH_CODE_LEN 16

typedef struct {
    uint64_t k0, k1;
} fw_auth_key;

uint64_t fw_siphash24(const fw_auth_key *key, const uint8_t *data, size_t len);
/* Derive the key from a secret string. */
void fw_auth_key_from_secret(const char *secret, fw_auth_key *key);
/* The code for a phone (digits without leading zeros), NUL-terminated. */
void fw_auth_code(const fw_auth_key *key, const char *phone, char out[FW_AUTH_CODE_LEN + 1]);

#endif
