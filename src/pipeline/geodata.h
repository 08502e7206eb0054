/* geodata.h - the zones and routes of the rule engine, loaded from one GeoJSON text (files or
 * Redis, sources.h) and replaced on reload while the workers keep evaluating points.
 *
 * Reload builds a new fw_geo on the reloading thread and publishes it; each worker picks the
 * newest one up between two points (geo_current: one atomic load when nothing changed) and
 * drops its reference to the old one, which is freed by whichever thread drops the last.
 */
#ifndef FW_PIPELINE_GEODATA_H
#define FW_PIPELINE_GEODATA_H

#include <stddef.h>

#include "fw/rules/geo.h"

/* The current GeoJSON FeatureCollection of zones and routes: malloc'd, NUL-terminated, freed by
 * the caller; NULL with a reason in err. */
typedef char *(*geo_text_fn)(void *ctx, char *err, size_t errcap);

typedef struct geo_source geo_source;
typedef struct geo_ref geo_ref; /* one loaded fw_geo with its reference count */

/* Load the geodata that text_of(ctx) gives; label names the source in errors. NULL with a
 * reason in err. */
geo_source *geo_source_new(geo_text_fn text_of, void *ctx, const char *label,
                           const fw_geo_config *cfg, char *err, size_t errcap);
/* Load the text again and publish the result; on error the old geodata stays. 0 or -1. */
int geo_source_reload(geo_source *src, char *err, size_t errcap);
/* Frees the source's own reference; workers must have released theirs. */
void geo_source_free(geo_source *src);

/* A worker's view: *held is its current reference (NULL at first). Swaps it for the newest
 * published one when a reload happened, and returns the fw_geo to use (NULL = none). */
const fw_geo *geo_current(geo_source *src, geo_ref **held, unsigned *held_version);
void geo_release(geo_ref *ref);

#endif
