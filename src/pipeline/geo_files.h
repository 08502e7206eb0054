/* geo_files.h - the geodata kept in files: the zones file and the routes file (rules_zones,
 * rules_routes; either may be empty) merged into one GeoJSON FeatureCollection text, the form
 * geodata.h loads.
 */
#ifndef FW_PIPELINE_GEO_FILES_H
#define FW_PIPELINE_GEO_FILES_H

#include <stddef.h>

/* geo_text_fn (geodata.h); ctx is the fw_pipeline_config naming the files. */
char *geo_files_text(void *ctx, char *err, size_t errcap);

#endif
