/* geodata.h - the zones and routes of the rule engine, loaded from two GeoJSON files and
 * replaced on reload while the workers keep evaluating points.
 *
 * Reload builds a new fw_geo on the reloading thread and publishes it; each worker picks the
 * newest one up between two points (geo_current: one atomic load when nothing changed) and
 * drops its reference to the old one, which is freed by whichever thread drops the last.
 */
#ifndef FW_SERVICE_GEODATA_H
#define FW_SERVICE_GEODATA_H

#include <stddef.h>

#include "fw/geo.h"

typedef struct geo_source geo_source;
typedef struct geo_ref geo_ref; /* one loaded fw_geo with its reference count */

/* Load zones_path and routes_path (either may be empty: no zones / no routes). NULL with a
 * reason in err. */
geo_source *geo_source_new(const char *zones_path, const char *routes_path,
                           const fw_geo_config *cfg, char *err, size_t errcap);
/* Load the files again and publish the result; on error the old geodata stays. 0 or -1. */
int geo_source_reload(geo_source *src, char *err, size_t errcap);
/* Frees the source's own reference; workers must have released theirs. */
void geo_source_free(geo_source *src);

/* A worker's view: *held is its current reference (NULL at first). Swaps it for the newest
 * published one when a reload happened, and returns the fw_geo to use (NULL = none). */
const fw_geo *geo_current(geo_source *src, geo_ref **held, unsigned *held_version);
void geo_release(geo_ref *ref);

#endif
