/* sessions.c - mutex-protected chained hash map phone -> connection (sessions.h). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "fw/base/registry.h"
#include "sessions.h"
#include "fnv.h"

typedef struct entry {
    struct entry *next;
    fw_conn_ref ref;
    char phone[FW_PHONE_MAX + 1];
} entry;

struct fw_sessions {
    pthread_mutex_t lock;
    size_t mask;
    size_t count;
    entry **buckets;
};

static size_t bucket_of(const fw_sessions *s, const char *phone)
{
    return (size_t)fw_fnv1a(phone, strlen(phone)) & s->mask;
}

static bool same_ref(fw_conn_ref a, fw_conn_ref b)
{
    return a.worker == b.worker && a.slot == b.slot && a.gen == b.gen;
}

fw_sessions *fw_sessions_new(size_t buckets)
{
    fw_sessions *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    size_t n = 16;
    while (n < buckets && n < ((size_t)1 << 20))
        n *= 2;
    s->mask = n - 1;
    s->buckets = calloc(n, sizeof *s->buckets);
    if (!s->buckets) {
        free(s);
        return NULL;
    }
    pthread_mutex_init(&s->lock, NULL);
    return s;
}

void fw_sessions_free(fw_sessions *s)
{
    if (!s)
        return;
    for (size_t b = 0; b <= s->mask; b++)
        for (entry *e = s->buckets[b], *next; e; e = next) {
            next = e->next;
            free(e);
        }
    pthread_mutex_destroy(&s->lock);
    free(s->buckets);
    free(s);
}

/* Caller holds the lock. */
static entry **find_link(fw_sessions *s, const char *phone)
{
    entry **link = &s->buckets[bucket_of(s, phone)];
    while (*link && strcmp((*link)->phone, phone) != 0)
        link = &(*link)->next;
    return link;
}

int fw_sessions_claim(fw_sessions *s, const char *phone, fw_conn_ref ref, fw_conn_ref *old)
{
    if (strlen(phone) > FW_PHONE_MAX)
        return -1;
    pthread_mutex_lock(&s->lock);
    entry **link = find_link(s, phone);
    int replaced = 0;
    if (*link) {
        replaced = !same_ref((*link)->ref, ref);
        *old = (*link)->ref;
        (*link)->ref = ref;
    } else {
        entry *e = malloc(sizeof *e);
        if (e) {
            e->next = NULL;
            e->ref = ref;
            strcpy(e->phone, phone);
            *link = e;
            s->count++;
        } else {
            replaced = -1;
        }
    }
    pthread_mutex_unlock(&s->lock);
    return replaced;
}

bool fw_sessions_release(fw_sessions *s, const char *phone, fw_conn_ref ref)
{
    pthread_mutex_lock(&s->lock);
    entry **link = find_link(s, phone);
    entry *e = *link;
    bool held = e && same_ref(e->ref, ref);
    if (held) {
        *link = e->next;
        s->count--;
        free(e);
    }
    pthread_mutex_unlock(&s->lock);
    return held;
}

bool fw_sessions_find(fw_sessions *s, const char *phone, fw_conn_ref *out)
{
    pthread_mutex_lock(&s->lock);
    entry *e = *find_link(s, phone);
    if (e)
        *out = e->ref;
    pthread_mutex_unlock(&s->lock);
    return e != NULL;
}

size_t fw_sessions_count(fw_sessions *s)
{
    pthread_mutex_lock(&s->lock);
    size_t n = s->count;
    pthread_mutex_unlock(&s->lock);
    return n;
}
