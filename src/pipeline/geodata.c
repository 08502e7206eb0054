/* geodata.c - one GeoJSON text (from geo_text_fn: the files or Redis, sources.c) -> one fw_geo,
 * published to the workers by reference count (geodata.h). Loading happens on the reloading
 * thread, never on the point path.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geodata.h"

struct geo_ref {
    fw_geo *geo;
    atomic_uint refs;
};

struct geo_source {
    geo_text_fn text_of;
    void *text_ctx;
    char label[128]; /* the source in errors */
    fw_geo_config cfg;
    pthread_mutex_t lock; /* guards current */
    geo_ref *current;
    atomic_uint version; /* bumped by every publish */
};

static geo_ref *load(const geo_source *src, char *err, size_t errcap)
{
    char *text = src->text_of(src->text_ctx, err, errcap);
    if (!text)
        return NULL;
    geo_ref *ref = calloc(1, sizeof *ref);
    fw_geo_error gerr = {0};
    if (ref && !(ref->geo = fw_geo_load(text, strlen(text), &src->cfg, &gerr))) {
        snprintf(err, errcap, "geodata (%s), feature %d: %s", src->label, gerr.feature_index,
                 gerr.reason);
        free(ref);
        ref = NULL;
    } else if (!ref)
        snprintf(err, errcap, "out of memory");
    free(text);
    if (ref)
        atomic_init(&ref->refs, 1);
    return ref;
}

void geo_release(geo_ref *ref)
{
    if (ref && atomic_fetch_sub(&ref->refs, 1) == 1) {
        fw_geo_free(ref->geo);
        free(ref);
    }
}

geo_source *geo_source_new(geo_text_fn text_of, void *ctx, const char *label,
                           const fw_geo_config *cfg, char *err, size_t errcap)
{
    geo_source *src = calloc(1, sizeof *src);
    if (!src) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    src->text_of = text_of;
    src->text_ctx = ctx;
    snprintf(src->label, sizeof src->label, "%s", label);
    src->cfg = *cfg;
    pthread_mutex_init(&src->lock, NULL);
    if (!(src->current = load(src, err, errcap))) {
        geo_source_free(src);
        return NULL;
    }
    return src;
}

int geo_source_reload(geo_source *src, char *err, size_t errcap)
{
    geo_ref *fresh = load(src, err, errcap);
    if (!fresh)
        return -1;
    pthread_mutex_lock(&src->lock);
    geo_ref *old = src->current;
    src->current = fresh;
    atomic_fetch_add(&src->version, 1);
    pthread_mutex_unlock(&src->lock);
    geo_release(old);
    return 0;
}

void geo_source_free(geo_source *src)
{
    if (!src)
        return;
    geo_release(src->current);
    pthread_mutex_destroy(&src->lock);
    free(src);
}

const fw_geo *geo_current(geo_source *src, geo_ref **held, unsigned *held_version)
{
    unsigned v = atomic_load_explicit(&src->version, memory_order_acquire);
    if (*held && v == *held_version)
        return (*held)->geo;
    pthread_mutex_lock(&src->lock);
    geo_ref *fresh = src->current;
    atomic_fetch_add(&fresh->refs, 1);
    *held_version = atomic_load(&src->version);
    pthread_mutex_unlock(&src->lock);
    geo_release(*held);
    *held = fresh;
    return fresh->geo;
}
