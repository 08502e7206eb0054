/* test_sim_path.c - great-circle helpers and time lookups along a simulated vehicle's path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "sim_path.h"

#define LYG_LON 119.22
#define LYG_LAT 34.60

static void one_degree_of_latitude_is_111_km(void **state)
{
    (void)state;
    sim_point a = {LYG_LON, 34.0}, b = {LYG_LON, 35.0};
    assert_true(fabs(sim_distance_m(a, b) - 111195.0) < 20.0);
    assert_true(fabs(sim_course_deg(a, b)) < 1e-9);
    assert_true(fabs(sim_course_deg(b, a) - 180.0) < 1e-9);
}

static void moving_east_then_measuring_gives_the_distance_back(void **state)
{
    (void)state;
    sim_point a = {LYG_LON, LYG_LAT};
    sim_point b = sim_move(a, 90.0, 2500.0);
    assert_true(b.lon_deg > a.lon_deg);
    assert_true(fabs(b.lat_deg - a.lat_deg) < 1e-4);
    assert_true(fabs(sim_distance_m(a, b) - 2500.0) < 0.01);
    assert_true(fabs(sim_course_deg(a, b) - 90.0) < 0.05);
}

/* A 10 km leg north at 60 km/h with a 120 s stop in the middle waypoint. */
static sim_waypoint points[3];
static sim_path make_path(bool loop)
{
    sim_point start = {LYG_LON, LYG_LAT};
    points[0] = (sim_waypoint){.at = start, .speed_kmh = 60};
    points[1] = (sim_waypoint){.at = sim_move(start, 0, 5000), .speed_kmh = 30, .dwell_s = 120};
    points[2] = (sim_waypoint){.at = sim_move(start, 0, 10000)};
    sim_path p = {.points = points, .count = 3, .loop = loop};
    assert_int_equal(sim_path_prepare(&p), 0);
    return p;
}

static void prepare_computes_arrivals_and_length(void **state)
{
    (void)state;
    sim_path p = make_path(false);
    assert_true(fabs(points[1].arrive_s - 300.0) < 0.01);          /* 5 km at 60 km/h */
    assert_true(fabs(p.total_s - (300.0 + 120.0 + 600.0)) < 0.01); /* then 5 km at 30 */
    assert_true(fabs(p.total_m - 10000.0) < 0.5);
}

static void halfway_along_a_leg(void **state)
{
    (void)state;
    sim_path p = make_path(false);
    sim_fix f;
    sim_path_at(&p, 150.0, &f);
    assert_true(fabs(f.speed_kmh - 60.0) < 1e-9);
    assert_true(fabs(f.odo_m - 2500.0) < 0.5);
    assert_true(fabs(sim_distance_m(points[0].at, f.pos) - 2500.0) < 0.5);
    assert_true(f.course_deg < 0.01 || f.course_deg > 359.99);
    assert_false(f.ended);
}

static void parked_during_a_dwell_and_after_the_end(void **state)
{
    (void)state;
    sim_path p = make_path(false);
    sim_fix f;
    sim_path_at(&p, 360.0, &f);
    assert_true(f.speed_kmh == 0);
    assert_true(sim_distance_m(f.pos, points[1].at) < 0.01);
    sim_path_at(&p, 421.0, &f); /* moving again, at 30 km/h */
    assert_true(fabs(f.speed_kmh - 30.0) < 1e-9);
    sim_path_at(&p, 5000.0, &f);
    assert_true(f.ended);
    assert_true(f.speed_kmh == 0);
    assert_true(fabs(f.odo_m - 10000.0) < 0.5);
    sim_path_at(&p, -10.0, &f); /* before setting off: parked at the start */
    assert_true(sim_distance_m(f.pos, points[0].at) < 0.01);
    assert_true(f.speed_kmh == 0);
    assert_false(f.ended);
}

static void a_loop_starts_again_and_keeps_counting_distance(void **state)
{
    (void)state;
    sim_path p = make_path(true);
    sim_fix once, twice;
    sim_path_at(&p, 150.0, &once);
    sim_path_at(&p, 150.0 + p.total_s, &twice);
    assert_false(twice.ended);
    assert_true(sim_distance_m(once.pos, twice.pos) < 0.01);
    assert_true(fabs(twice.odo_m - once.odo_m - p.total_m) < 0.5);
}

static void bad_paths_are_refused(void **state)
{
    (void)state;
    sim_waypoint w[2] = {{.at = {LYG_LON, LYG_LAT}, .speed_kmh = 0}, {.at = {LYG_LON, 34.7}}};
    sim_path p = {.points = w, .count = 2};
    assert_int_equal(sim_path_prepare(&p), -1);
    w[0].speed_kmh = 40;
    w[1].dwell_s = -1;
    assert_int_equal(sim_path_prepare(&p), -1);
    p.count = 0;
    assert_int_equal(sim_path_prepare(&p), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_degree_of_latitude_is_111_km),
        cmocka_unit_test(moving_east_then_measuring_gives_the_distance_back),
        cmocka_unit_test(prepare_computes_arrivals_and_length),
        cmocka_unit_test(halfway_along_a_leg),
        cmocka_unit_test(parked_during_a_dwell_and_after_the_end),
        cmocka_unit_test(a_loop_starts_again_and_keeps_counting_distance),
        cmocka_unit_test(bad_paths_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
