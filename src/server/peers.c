/* peers.c - mutex-protected chained hash map source address -> open connections (peers.h). */
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "peers.h"
#include "fnv.h"

struct fw_peer {
    struct fw_peer *next;
    uint8_t addr[16]; /* IPv4 as ::ffff:a.b.c.d */
    unsigned conns;   /* open connections from addr */
    size_t bucket;
};

struct fw_peers {
    pthread_mutex_t lock;
    size_t mask;
    fw_peer **buckets;
};

fw_peers *fw_peers_new(size_t buckets)
{
    fw_peers *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    size_t n = 1024;
    while (n < buckets && n < ((size_t)1 << 20))
        n *= 2;
    p->mask = n - 1;
    p->buckets = calloc(n, sizeof *p->buckets);
    if (!p->buckets) {
        free(p);
        return NULL;
    }
    pthread_mutex_init(&p->lock, NULL);
    return p;
}

void fw_peers_free(fw_peers *p)
{
    if (!p)
        return;
    for (size_t i = 0; i <= p->mask; i++)
        for (fw_peer *e = p->buckets[i], *next; e; e = next) {
            next = e->next;
            free(e);
        }
    free(p->buckets);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

/* The 16-byte key of an IPv4 or IPv6 address; false for other families. */
static bool address_key(const struct sockaddr *addr, uint8_t key[16])
{
    static const uint8_t v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (addr->sa_family == AF_INET) {
        memcpy(key, v4_mapped, sizeof v4_mapped);
        memcpy(key + 12, &((const struct sockaddr_in *)(const void *)addr)->sin_addr, 4);
        return true;
    }
    if (addr->sa_family == AF_INET6) {
        memcpy(key, &((const struct sockaddr_in6 *)(const void *)addr)->sin6_addr, 16);
        return true;
    }
    return false;
}

static size_t bucket_of(const fw_peers *p, const uint8_t key[16])
{
    return (size_t)fw_fnv1a(key, 16) & p->mask;
}

int fw_peers_take(fw_peers *p, const struct sockaddr *addr, unsigned cap, fw_peer **out)
{
    uint8_t key[16];
    if (!address_key(addr, key))
        return -2;
    size_t b = bucket_of(p, key);
    int rc = 0;
    pthread_mutex_lock(&p->lock);
    fw_peer *e = p->buckets[b];
    while (e && memcmp(e->addr, key, sizeof key) != 0)
        e = e->next;
    if (!e && (e = calloc(1, sizeof *e))) {
        memcpy(e->addr, key, sizeof key);
        e->bucket = b;
        e->next = p->buckets[b];
        p->buckets[b] = e;
    }
    if (!e)
        rc = -2;
    else if (e->conns >= cap)
        rc = -1;
    else
        e->conns++;
    pthread_mutex_unlock(&p->lock);
    *out = rc == 0 ? e : NULL;
    return rc;
}

void fw_peers_release(fw_peers *p, fw_peer *e)
{
    pthread_mutex_lock(&p->lock);
    if (--e->conns == 0) {
        fw_peer **link = &p->buckets[e->bucket];
        while (*link != e)
            link = &(*link)->next;
        *link = e->next;
        free(e);
    }
    pthread_mutex_unlock(&p->lock);
}
