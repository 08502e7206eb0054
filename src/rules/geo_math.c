/* geo_math.c - distances for the rules. The engine uses a local equirectangular projection
 * (x = dlon * cos(mean lat), y = dlat, times the mean Earth radius): cheap and, for the
 * distances the rules measure (metres to a few kilometres), within the error stated in
 * docs/rules.md (measured against haversine by tests/unit/rules/test_geo.c).
 */
#include <math.h>

#include "fw/rules/geo.h"
#include "geo_internal.h"

#define DEG_PER_E6_RAD (M_PI / 180.0 / 1e6)
#define EARTH_RADIUS_M 6371008.8

double fw_distance_m(int32_t lat1_e6, int32_t lon1_e6, int32_t lat2_e6, int32_t lon2_e6)
{
    double mean_lat = ((double)lat1_e6 + (double)lat2_e6) * 0.5 * DEG_PER_E6_RAD;
    double dx = ((double)lon2_e6 - (double)lon1_e6) * cos(mean_lat);
    double dy = (double)lat2_e6 - (double)lat1_e6;
    return sqrt(dx * dx + dy * dy) * FW_M_PER_E6;
}

double fw_haversine_m(int32_t lat1_e6, int32_t lon1_e6, int32_t lat2_e6, int32_t lon2_e6)
{
    double p1 = lat1_e6 * DEG_PER_E6_RAD, p2 = lat2_e6 * DEG_PER_E6_RAD;
    double dp = p2 - p1, dl = ((double)lon2_e6 - (double)lon1_e6) * DEG_PER_E6_RAD;
    double a = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);
    return 2 * EARTH_RADIUS_M * asin(sqrt(a));
}
