/* authcode.c - random auth codes and their digests (authcode.h), on OpenSSL's libcrypto. */
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "authcode.h"

int fw_auth_code_new(char out[FW_AUTH_CODE_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    uint8_t raw[FW_AUTH_CODE_BYTES];
    if (RAND_bytes(raw, sizeof raw) != 1)
        return -1;
    for (size_t i = 0; i < sizeof raw; i++) {
        out[2 * i] = hex[raw[i] >> 4];
        out[2 * i + 1] = hex[raw[i] & 15];
    }
    out[FW_AUTH_CODE_LEN] = '\0';
    OPENSSL_cleanse(raw, sizeof raw);
    return 0;
}

void fw_auth_digest(const uint8_t *code, size_t len, uint8_t out[FW_AUTH_DIGEST_LEN])
{
    SHA256(code, len, out);
}

bool fw_auth_digest_equal(const uint8_t a[FW_AUTH_DIGEST_LEN], const uint8_t b[FW_AUTH_DIGEST_LEN])
{
    return CRYPTO_memcmp(a, b, FW_AUTH_DIGEST_LEN) == 0;
}
