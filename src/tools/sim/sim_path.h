/* sim_path.h - where a simulated vehicle is at a given time: great-circle geometry and a path of
 * waypoints driven at a speed per leg, with optional stops (dwell) at waypoints.
 *
 * Times are seconds since the vehicle set off ("vehicle time"), distances metres, speeds
 * km/h, angles degrees (course clockwise from north). A path is prepared once when the scenario
 * is loaded (arrival times and odometer per waypoint); looking a time up is a binary search and
 * a little trigonometry, with no allocation.
 */
#ifndef FW_SIM_PATH_H
#define FW_SIM_PATH_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    double lon_deg, lat_deg;
} sim_point;

/* Great-circle distance (haversine on a 6,371,008.8 m sphere; within 0.5 % of WGS-84). */
double sim_distance_m(sim_point a, sim_point b);
/* Initial course from a to b, 0..360. */
double sim_course_deg(sim_point a, sim_point b);
/* The point dist_m from p along course_deg. */
sim_point sim_move(sim_point p, double course_deg, double dist_m);

typedef struct {
    sim_point at;
    double dwell_s;   /* stop at this waypoint before leaving it */
    double speed_kmh; /* on the leg from here to the next waypoint (ignored on the last) */
    double arrive_s;  /* computed by sim_path_prepare: vehicle time of arrival */
    double odo_m;     /* computed: distance driven when arriving here */
} sim_waypoint;

typedef struct {
    sim_waypoint *points; /* owned by whoever built the path */
    size_t count;
    bool loop;      /* start again from the first waypoint after the last */
    double total_s; /* computed: time to drive the path once, last dwell included */
    double total_m; /* computed: its length */
} sim_path;

/* Computes arrive_s, odo_m, total_s and total_m. Returns 0, or -1 when the path is empty or a
 * leg has a speed <= 0 or a dwell < 0. */
int sim_path_prepare(sim_path *p);

typedef struct {
    sim_point pos;
    double speed_kmh;
    double course_deg;
    double odo_m; /* distance driven since setting off */
    bool ended;   /* past the end of a path that does not loop: parked at its last point */
} sim_fix;

/* The vehicle's position and motion at vehicle time t_s (before 0: parked at the start). */
void sim_path_at(const sim_path *p, double t_s, sim_fix *out);

#endif
