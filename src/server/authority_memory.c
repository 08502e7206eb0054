/* authority_memory.c - the memory authority (authority.h): the grants of one process in a hash
 * table under one mutex, shared by its workers.
 *
 * Registrations and authentications are rare next to locations, so one lock is enough. The table is
 * bounded: a grant past max_grants replaces the oldest one (that terminal then has to register
 * again). Every call answers at once, inside the call. The same table serves as the gateway's cache
 * of digests the Redis authority confirmed (session.c).
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fw/base/authority.h"
#include "fw/base/registry.h"
#include "fnv.h"

typedef struct grant_entry {
    struct grant_entry *next;          /* hash chain */
    struct grant_entry *older, *newer; /* age list: the oldest goes when the table is full */
    char phone[FW_PHONE_MAX + 1];
    uint8_t digest[FW_AUTH_DIGEST_LEN];
} grant_entry;

struct fw_auth_table {
    pthread_mutex_t lock;
    grant_entry **buckets;
    size_t nbuckets;
    size_t count, max;
    grant_entry *oldest, *newest; /* by last grant */
};

typedef struct {
    fw_authority base;
    fw_auth_table *table;
} memory_authority;

fw_auth_table *fw_auth_table_new(size_t max_grants)
{
    fw_auth_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->max = max_grants ? max_grants : 1;
    t->nbuckets = t->max < 16 ? 16 : t->max > 65536 ? 65536 : t->max; /* chains of ~16 at 1M */
    t->buckets = calloc(t->nbuckets, sizeof *t->buckets);
    if (!t->buckets) {
        free(t);
        return NULL;
    }
    pthread_mutex_init(&t->lock, NULL);
    return t;
}

void fw_auth_table_free(fw_auth_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nbuckets; i++)
        for (grant_entry *e = t->buckets[i], *next; e; e = next) {
            next = e->next;
            free(e);
        }
    pthread_mutex_destroy(&t->lock);
    free(t->buckets);
    free(t);
}

static grant_entry **slot_of(fw_auth_table *t, const char *phone)
{
    grant_entry **pp = &t->buckets[fw_fnv1a(phone, strlen(phone)) % t->nbuckets];
    while (*pp && strcmp((*pp)->phone, phone) != 0)
        pp = &(*pp)->next;
    return pp;
}

static void age_unlink(fw_auth_table *t, grant_entry *e)
{
    *(e->older ? &e->older->newer : &t->oldest) = e->newer;
    *(e->newer ? &e->newer->older : &t->newest) = e->older;
    e->older = e->newer = NULL;
}

static void age_append(fw_auth_table *t, grant_entry *e)
{
    e->older = t->newest;
    *(t->newest ? &t->newest->newer : &t->oldest) = e;
    t->newest = e;
}

static void unlink_entry(fw_auth_table *t, grant_entry **pp)
{
    grant_entry *e = *pp;
    *pp = e->next;
    age_unlink(t, e);
    free(e);
    t->count--;
}

bool fw_auth_table_put(fw_auth_table *t, const char *phone,
                       const uint8_t digest[FW_AUTH_DIGEST_LEN])
{
    if (strlen(phone) > FW_PHONE_MAX)
        return false;
    pthread_mutex_lock(&t->lock);
    grant_entry **pp = slot_of(t, phone);
    if (!*pp) {
        if (t->count >= t->max) {
            unlink_entry(t, slot_of(t, t->oldest->phone));
            pp = slot_of(t, phone);
        }
        if ((*pp = calloc(1, sizeof **pp))) {
            strcpy((*pp)->phone, phone);
            t->count++;
        }
    } else {
        age_unlink(t, *pp); /* renewed: now the newest */
    }
    if (*pp) {
        age_append(t, *pp);
        memcpy((*pp)->digest, digest, FW_AUTH_DIGEST_LEN);
    }
    bool stored = *pp != NULL;
    pthread_mutex_unlock(&t->lock);
    return stored;
}

bool fw_auth_table_get(fw_auth_table *t, const char *phone, uint8_t digest[FW_AUTH_DIGEST_LEN])
{
    pthread_mutex_lock(&t->lock);
    grant_entry *e = *slot_of(t, phone);
    if (e)
        memcpy(digest, e->digest, FW_AUTH_DIGEST_LEN);
    pthread_mutex_unlock(&t->lock);
    return e != NULL;
}

bool fw_auth_table_remove(fw_auth_table *t, const char *phone)
{
    pthread_mutex_lock(&t->lock);
    grant_entry **pp = slot_of(t, phone);
    bool found = *pp != NULL;
    if (found)
        unlink_entry(t, pp);
    pthread_mutex_unlock(&t->lock);
    return found;
}

static int mem_grant(fw_authority *a, const fw_auth_grant *g, fw_authority_done_fn done,
                     void *cookie)
{
    bool stored = fw_auth_table_put(((memory_authority *)a)->table, g->phone, g->digest);
    done(cookie, stored ? FW_AUTHORITY_OK : FW_AUTHORITY_FAILED, NULL);
    return 0;
}

static int mem_lookup(fw_authority *a, const char *phone, fw_authority_done_fn done, void *cookie)
{
    uint8_t digest[FW_AUTH_DIGEST_LEN];
    bool found = fw_auth_table_get(((memory_authority *)a)->table, phone, digest);
    done(cookie, found ? FW_AUTHORITY_OK : FW_AUTHORITY_NONE, found ? digest : NULL);
    return 0;
}

static int mem_revoke(fw_authority *a, const char *phone, fw_authority_done_fn done, void *cookie)
{
    bool found = fw_auth_table_remove(((memory_authority *)a)->table, phone);
    done(cookie, found ? FW_AUTHORITY_OK : FW_AUTHORITY_NONE, NULL);
    return 0;
}

static void mem_close(fw_authority *a)
{
    free(a);
}

static const fw_authority_ops memory_ops = {mem_grant, mem_lookup, mem_revoke, mem_close};

fw_authority *fw_memory_authority_new(void *ctx, struct event_base *base, unsigned worker)
{
    (void)base;
    (void)worker;
    memory_authority *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->base.ops = &memory_ops;
    m->table = ctx;
    return &m->base;
}
