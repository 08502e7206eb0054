/* test_rules_night_ban.c - long-distance coaches moving between 02:00 and 05:00 China time:
 * the window's edges, exemptions, classes, standing still, and the close after 05:00.
 */
#include "rules_test.h"

typedef struct {
    const char *name;
    fw_vehicle_class cls;
    bool long_distance, exempt;
    int64_t start;
    int seconds;
    uint16_t speed_dkmh;
    int opened, closed;
    int64_t first_t, end_t;
} ban_case;

static const ban_case cases[] = {
    {"moving at 02:00", FW_CLASS_LINE_COACH, true, false, CN(2, 0, 0), 600, KMH(80), 1, 0,
     CN(2, 0, 0), 0},
    {"before 02:00", FW_CLASS_LINE_COACH, true, false, CN(1, 50, 0), 600, KMH(80), 0, 0, 0, 0},
    {"59 s after 01:59:01", FW_CLASS_LINE_COACH, true, false, CN(1, 59, 1), 60, KMH(80), 0, 0, 0,
     0},
    {"across 05:00", FW_CLASS_TOUR_COACH, true, false, CN(4, 58, 0), 720, KMH(80), 1, 1,
     CN(4, 58, 0), CN(4, 59, 59)},
    {"exempt (shuttle)", FW_CLASS_LINE_COACH, true, true, CN(2, 0, 0), 600, KMH(80), 0, 0, 0, 0},
    {"not long-distance", FW_CLASS_LINE_COACH, false, false, CN(2, 0, 0), 600, KMH(80), 0, 0, 0, 0},
    {"a truck", FW_CLASS_TRUCK, true, false, CN(2, 0, 0), 600, KMH(80), 0, 0, 0, 0},
    {"standing still", FW_CLASS_LINE_COACH, true, false, CN(2, 0, 0), 600, KMH(2), 0, 0, 0, 0},
};

static void table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const ban_case *c = &cases[i];
        print_message("case: %s\n", c->name);
        rt_world w;
        rt_init(&w, c->cls);
        w.veh.long_distance = c->long_distance;
        w.veh.night_ban_exempt = c->exempt;
        rt_drive(&w, c->start, c->seconds, 1, c->speed_dkmh);
        assert_int_equal(rt_count(&w, FW_VIOLATION_NIGHT_BAN, FW_EVENT_OPENED), c->opened);
        assert_int_equal(rt_count(&w, FW_VIOLATION_NIGHT_BAN, FW_EVENT_CLOSED), c->closed);
        if (c->opened)
            assert_int_equal(rt_last(&w, FW_VIOLATION_NIGHT_BAN, FW_EVENT_OPENED)->start_utc,
                             c->first_t);
        if (c->closed)
            assert_int_equal(rt_last(&w, FW_VIOLATION_NIGHT_BAN, FW_EVENT_CLOSED)->end_utc,
                             c->end_t);
    }
}

static void a_stop_of_five_minutes_closes(void **state)
{
    (void)state;
    rt_world w;
    rt_init(&w, FW_CLASS_LINE_COACH);
    w.veh.long_distance = true;
    int64_t t = rt_drive(&w, CN(2, 10, 0), 120, 1, KMH(80));
    t = rt_drive(&w, t, 299, 1, 0);
    assert_int_equal(rt_count(&w, FW_VIOLATION_NIGHT_BAN, FW_EVENT_CLOSED), 0);
    t = rt_drive(&w, t, 2, 1, 0);
    assert_int_equal(rt_count(&w, FW_VIOLATION_NIGHT_BAN, FW_EVENT_CLOSED), 1);
    rt_drive(&w, t, 120, 1, KMH(80));
    assert_int_equal(rt_count(&w, FW_VIOLATION_NIGHT_BAN, FW_EVENT_OPENED), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table),
        cmocka_unit_test(a_stop_of_five_minutes_closes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
