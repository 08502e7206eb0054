/* profile.c - the rules' vehicle profile from a registry entry (registry.h), so that the
 * gateway passes what it looked up on authentication.
 */
#include <stdio.h>
#include <string.h>

#include "fw/rules/rules.h"

void fw_profile_from_registry(const fw_vehicle *v, fw_vehicle_profile *out)
{
    memset(out, 0, sizeof(*out));
    snprintf(out->phone, sizeof(out->phone), "%s", v->phone);
    snprintf(out->plate, sizeof(out->plate), "%s", v->plate);
    out->plate_color = v->plate_color;
    out->vclass = v->vclass;
    out->approved_seats = v->seats;
    out->rated_load_kg = v->rated_load_kg;
    out->max_gross_kg = v->max_gross_kg;
    out->axles = v->axles;
    out->articulated = v->articulated;
    out->long_distance = v->long_distance;
    out->night_ban_exempt = v->night_ban_exempt;
    out->route_id = v->route_id;
}
