/* backoff.c - failure counting and shut-outs per key (backoff.h): an open hash table of fixed size
 * under one mutex. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "backoff.h"
#include "fnv.h"

#define KEY_MAX 63 /* a phone (20 digits) or an address ("[v6]:port") */

typedef struct {
    char key[KEY_MAX + 1]; /* "" = free */
    uint32_t failures;
    uint32_t last_s;  /* last failure */
    uint32_t until_s; /* shut out before this second */
} entry;

struct fw_backoff {
    pthread_mutex_t lock;
    fw_backoff_config cfg;
    entry *slots;
    size_t nslots;
};

fw_backoff *fw_backoff_new(const fw_backoff_config *cfg)
{
    fw_backoff *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->cfg = *cfg;
    b->nslots = cfg->max_keys ? cfg->max_keys : 1;
    if (!(b->slots = calloc(b->nslots, sizeof *b->slots))) {
        free(b);
        return NULL;
    }
    pthread_mutex_init(&b->lock, NULL);
    return b;
}

void fw_backoff_free(fw_backoff *b)
{
    if (!b)
        return;
    pthread_mutex_destroy(&b->lock);
    free(b->slots);
    free(b);
}

static size_t hash_key(const char *key)
{
    return (size_t)fw_fnv1a(key, strlen(key));
}

static bool expired(const fw_backoff *b, const entry *e, uint32_t now_s)
{
    return e->key[0] && now_s >= e->until_s && now_s - e->last_s >= b->cfg.max_s;
}

/* The key's entry, or NULL. Probes at most 8 slots. */
static entry *find(fw_backoff *b, const char *key)
{
    size_t h = hash_key(key);
    for (size_t i = 0; i < 8 && i < b->nslots; i++) {
        entry *e = &b->slots[(h + i) % b->nslots];
        if (strcmp(e->key, key) == 0)
            return e;
    }
    return NULL;
}

/* A slot for a new key: a free or expired one among its probes, else the one free soonest. */
static entry *claim(fw_backoff *b, const char *key, uint32_t now_s)
{
    size_t h = hash_key(key);
    entry *victim = NULL;
    for (size_t i = 0; i < 8 && i < b->nslots; i++) {
        entry *e = &b->slots[(h + i) % b->nslots];
        if (!e->key[0] || expired(b, e, now_s)) {
            victim = e;
            break;
        }
        if (!victim || e->until_s < victim->until_s)
            victim = e;
    }
    memset(victim, 0, sizeof *victim);
    strncpy(victim->key, key, KEY_MAX);
    return victim;
}

unsigned fw_backoff_wait(fw_backoff *b, const char *key, uint32_t now_s)
{
    pthread_mutex_lock(&b->lock);
    entry *e = find(b, key);
    unsigned wait = e && e->until_s > now_s ? e->until_s - now_s : 0;
    pthread_mutex_unlock(&b->lock);
    return wait;
}

static unsigned shut_out_s(const fw_backoff_config *cfg, uint32_t failures)
{
    uint32_t over = failures - cfg->limit; /* 1 for the first failure past the limit */
    uint64_t s = cfg->base_s;
    for (uint32_t i = 1; i < over && s < cfg->max_s; i++)
        s *= 2;
    return (unsigned)(s < cfg->max_s ? s : cfg->max_s);
}

unsigned fw_backoff_fail(fw_backoff *b, const char *key, uint32_t now_s)
{
    if (!b->cfg.limit)
        return 0;
    pthread_mutex_lock(&b->lock);
    entry *e = find(b, key);
    if (e && expired(b, e, now_s))
        memset(e->key, 0, sizeof e->key);
    if (!e || !e->key[0])
        e = claim(b, key, now_s);
    e->failures++;
    e->last_s = now_s;
    unsigned wait = e->failures > b->cfg.limit ? shut_out_s(&b->cfg, e->failures) : 0;
    if (wait)
        e->until_s = now_s + wait;
    pthread_mutex_unlock(&b->lock);
    return wait;
}

void fw_backoff_clear(fw_backoff *b, const char *key)
{
    pthread_mutex_lock(&b->lock);
    entry *e = find(b, key);
    if (e)
        memset(e, 0, sizeof *e);
    pthread_mutex_unlock(&b->lock);
}
