/* geo_files.c - rules_zones + rules_routes -> one FeatureCollection text (geo_files.h), merged
 * with cJSON at load time (never on the point path).
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

#include "fw/base/conffile.h"
#include "fw/pipeline/pipeline.h"
#include "geo_files.h"

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

char *geo_files_text(void *ctx, char *err, size_t errcap)
{
    const fw_pipeline_config *c = ctx;
    cJSON *doc = cJSON_CreateObject(), *features = cJSON_CreateArray();
    cJSON_AddStringToObject(doc, "type", "FeatureCollection");
    cJSON_AddItemToObject(doc, "features", features);
    const char *paths[] = {c->rules_zones, c->rules_routes};
    for (size_t i = 0; i < 2; i++)
        if (paths[i][0] && add_features(features, paths[i], err, errcap) < 0) {
            cJSON_Delete(doc);
            return NULL;
        }
    char *text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    if (!text)
        snprintf(err, errcap, "out of memory");
    return text;
}
