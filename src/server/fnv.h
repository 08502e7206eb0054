/* fnv.h - FNV-1a, the hash of the gateway's small tables (sessions, peers, auth grants, failure
 * counts): cheap, good enough for keys an attacker cannot aim at one bucket with much gain (each
 * table bounds its chains or its probes). */
#ifndef FW_SERVER_FNV_H
#define FW_SERVER_FNV_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t fw_fnv1a(const void *data, size_t len)
{
    const uint8_t *p = data;
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

#endif
