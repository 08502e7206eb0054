/* geodata.c - zones + routes files -> one fw_geo, published to the workers by reference
 * count (geodata.h). The two files are merged into one FeatureCollection with cJSON at load
 * time (never on the point path).
 */
#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geodata.h"
#include "fw/conffile.h"

struct geo_ref {
    fw_geo *geo;
    atomic_uint refs;
};

struct geo_source {
    char zones_path[256], routes_path[256];
    fw_geo_config cfg;
    pthread_mutex_t lock; /* guards current */
    geo_ref *current;
    atomic_uint version; /* bumped by every publish */
};

/* Move the features of the file at path into `into`. 0 or -1. */
static int add_features(cJSON *into, const char *path, char *err, size_t errcap)
{
    char *text = fw_read_text_file(path, err, errcap);
    if (!text)
        return -1;
    cJSON *doc = cJSON_Parse(text);
    free(text);
    cJSON *features = cJSON_GetObjectItemCaseSensitive(doc, "features");
    if (!cJSON_IsArray(features)) {
        snprintf(err, errcap, "%s: not a GeoJSON FeatureCollection", path);
        cJSON_Delete(doc);
        return -1;
    }
    cJSON *f;
    while ((f = cJSON_DetachItemFromArray(features, 0)))
        cJSON_AddItemToArray(into, f);
    cJSON_Delete(doc);
    return 0;
}

static geo_ref *load(const geo_source *src, char *err, size_t errcap)
{
    cJSON *doc = cJSON_CreateObject(), *features = cJSON_CreateArray();
    cJSON_AddStringToObject(doc, "type", "FeatureCollection");
    cJSON_AddItemToObject(doc, "features", features);
    const char *paths[] = {src->zones_path, src->routes_path};
    for (size_t i = 0; i < 2; i++)
        if (paths[i][0] && add_features(features, paths[i], err, errcap) < 0) {
            cJSON_Delete(doc);
            return NULL;
        }
    char *text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    geo_ref *ref = text ? calloc(1, sizeof *ref) : NULL;
    fw_geo_error gerr = {0};
    if (ref && !(ref->geo = fw_geo_load(text, strlen(text), &src->cfg, &gerr))) {
        snprintf(err, errcap, "geodata (%s + %s), feature %d: %s", src->zones_path,
                 src->routes_path, gerr.feature_index, gerr.reason);
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

geo_source *geo_source_new(const char *zones_path, const char *routes_path,
                           const fw_geo_config *cfg, char *err, size_t errcap)
{
    geo_source *src = calloc(1, sizeof *src);
    if (!src) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    snprintf(src->zones_path, sizeof src->zones_path, "%s", zones_path);
    snprintf(src->routes_path, sizeof src->routes_path, "%s", routes_path);
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
