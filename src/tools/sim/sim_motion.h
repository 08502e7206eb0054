/* sim_motion.h - a vehicle's reported state at a moment: its path position with the scripted
 * events applied (off-route offset, zone visit, GNSS loss, alarm bits, load and passengers,
 * blind area), and the one-off items (ADAS/DSM) due in a report.
 *
 * Pure functions of (vehicle, path, time): a terminal keeps no motion state of its own, so a
 * blind-area replay simply asks for the states at the missed report times.
 */
#ifndef FW_SIM_MOTION_H
#define FW_SIM_MOTION_H

#include <stdbool.h>
#include <stdint.h>

#include "sim_fleet.h"

typedef struct {
    sim_point pos;
    double speed_kmh, course_deg, odo_m;
    uint32_t alarm;  /* JT_ALARM_* bits */
    uint32_t status; /* JT_STATUS_* bits (ACC, fixed, load state) */
    bool fixed;      /* GNSS fix (also in status) */
    bool blind;      /* in a blind area: the terminal sends nothing */
    bool ended;      /* past the end of its path */
    bool has_load, has_passengers;
    double load_kg;
    uint16_t passengers;
} sim_state;

/* State of vehicle v driving path p (its own or the fleet default) at vehicle time t_s. */
void sim_motion_state(const sim_vehicle *v, const sim_path *p, double t_s, sim_state *out);

/* True when a one-off event (ADAS, DSM) or the end of a window event falls in (prev_s, now_s]:
 * "due in the report at now_s, given the previous report at prev_s". */
bool sim_event_due(double at_s, double prev_s, double now_s);

#endif
