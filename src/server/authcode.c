/* authcode.c - SipHash-2-4 and the auth codes built on it (authcode.h). */
#include <stdio.h>
#include <string.h>

#include "authcode.h"

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

typedef struct {
    uint64_t v0, v1, v2, v3;
} sip_state;

static void sip_round(sip_state *s)
{
    s->v0 += s->v1;
    s->v1 = ROTL(s->v1, 13);
    s->v1 ^= s->v0;
    s->v0 = ROTL(s->v0, 32);
    s->v2 += s->v3;
    s->v3 = ROTL(s->v3, 16);
    s->v3 ^= s->v2;
    s->v0 += s->v3;
    s->v3 = ROTL(s->v3, 21);
    s->v3 ^= s->v0;
    s->v2 += s->v1;
    s->v1 = ROTL(s->v1, 17);
    s->v1 ^= s->v2;
    s->v2 = ROTL(s->v2, 32);
}

static void sip_absorb(sip_state *s, uint64_t m)
{
    s->v3 ^= m;
    sip_round(s);
    sip_round(s);
    s->v0 ^= m;
}

static uint64_t load_le64(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

uint64_t fw_siphash24(const fw_auth_key *key, const uint8_t *data, size_t len)
{
    sip_state s = {key->k0 ^ 0x736f6d6570736575ull, key->k1 ^ 0x646f72616e646f6dull,
                   key->k0 ^ 0x6c7967656e657261ull, key->k1 ^ 0x7465646279746573ull};
    size_t full = len & ~(size_t)7;
    for (size_t i = 0; i < full; i += 8)
        sip_absorb(&s, load_le64(data + i, 8));
    sip_absorb(&s, load_le64(data + full, len - full) | (uint64_t)(len & 0xff) << 56);
    s.v2 ^= 0xff;
    for (int i = 0; i < 4; i++)
        sip_round(&s);
    return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

void fw_auth_key_from_secret(const char *secret, fw_auth_key *key)
{
    const fw_auth_key zero = {0, 0};
    size_t len = strlen(secret);
    key->k0 = fw_siphash24(&zero, (const uint8_t *)secret, len);
    const fw_auth_key second = {key->k0, ~key->k0};
    key->k1 = fw_siphash24(&second, (const uint8_t *)secret, len);
}

void fw_auth_code(const fw_auth_key *key, const char *phone, char out[FW_AUTH_CODE_LEN + 1])
{
    uint64_t h = fw_siphash24(key, (const uint8_t *)phone, strlen(phone));
    snprintf(out, FW_AUTH_CODE_LEN + 1, "%016llx", (unsigned long long)h);
}
