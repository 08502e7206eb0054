/* authcode.h - the auth codes of 0x8100/0x0102: random, issued per registration, kept only as a
 * digest.
 *
 * A code is 32 lowercase hex digits of 128 bits from the operating system's random source (OpenSSL
 * RAND_bytes): nothing about it follows from the phone, the plate or a secret, so knowing them does
 * not give a code. The authority (authority.h) keeps SHA-256(code); a code sent in a 0x0102 is
 * checked by comparing digests in constant time (CRYPTO_memcmp), so neither the comparison's time
 * nor a leaked authority reveals a valid code.
 */
#ifndef FW_SERVER_AUTHCODE_H
#define FW_SERVER_AUTHCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fw/base/authority.h"

#define FW_AUTH_CODE_BYTES 16                       /* random bytes in a code */
#define FW_AUTH_CODE_LEN   (2 * FW_AUTH_CODE_BYTES) /* hex digits */

/* A fresh code, NUL-terminated. 0, or -1 when the random source failed (issue no code). */
int fw_auth_code_new(char out[FW_AUTH_CODE_LEN + 1]);
/* SHA-256 of the code's bytes as sent. */
void fw_auth_digest(const uint8_t *code, size_t len, uint8_t out[FW_AUTH_DIGEST_LEN]);
/* Constant-time comparison of two digests. */
bool fw_auth_digest_equal(const uint8_t a[FW_AUTH_DIGEST_LEN], const uint8_t b[FW_AUTH_DIGEST_LEN]);

#endif
