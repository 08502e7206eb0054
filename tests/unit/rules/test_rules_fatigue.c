/* test_rules_fatigue.c - fatigue from the position stream (points every 10 s): 4 h by day, 2 h by
 * night, a rest of 19 vs 20 minutes, a gap in the data as a rest, 8 h in 24 h, and the
 * terminal's or DSM's fatigue as corroboration.
 */
#include "rules_test.h"

#define STEP_S 10

typedef struct {
    const char *name;
    int64_t start;
    rt_leg legs[8]; /* speed 0 legs are stops (points keep coming) */
    int opened, daily_opened;
    uint8_t subtype;
    uint32_t limit_min;
} fatigue_case;

static const fatigue_case cases[] = {
    {"exactly 4 h by day", CN(8, 0, 0), {{14410, KMH(60)}}, 0, 0, 0, 0},
    {"4 h 10 s by day", CN(8, 0, 0), {{14420, KMH(60)}}, 1, 0, FW_FATIGUE_DAY, 240},
    {"2 h 10 s at night", CN(22, 0, 0), {{7220, KMH(60)}}, 1, 0, FW_FATIGUE_NIGHT, 120},
    {"evening into the night", CN(20, 30, 0), {{7220, KMH(60)}}, 1, 0, FW_FATIGUE_NIGHT, 120},
    {"rest of 19 min is not a rest",
     CN(8, 0, 0),
     {{10800, KMH(60)}, {1130, 0}, {3900, KMH(60)}},
     1,
     0,
     FW_FATIGUE_DAY,
     240},
    {"rest of 20 min is a rest",
     CN(8, 0, 0),
     {{10800, KMH(60)}, {1190, 0}, {3900, KMH(60)}},
     0,
     0,
     0,
     0},
    {"8 h 30 in a day with rests",
     CN(6, 0, 0),
     {{13800, KMH(60)}, {1190, 0}, {13800, KMH(60)}, {1190, 0}, {3000, KMH(60)}},
     0,
     1,
     0,
     480},
};

static void table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const fatigue_case *c = &cases[i];
        print_message("case: %s\n", c->name);
        rt_world w;
        rt_init(&w, FW_CLASS_LINE_COACH);
        int64_t t = c->start;
        for (const rt_leg *l = c->legs; l->seconds; l++)
            t = rt_drive(&w, t, l->seconds, STEP_S, l->speed_dkmh);
        assert_int_equal(rt_count(&w, FW_VIOLATION_FATIGUE, FW_EVENT_OPENED), c->opened);
        assert_int_equal(rt_count(&w, FW_VIOLATION_FATIGUE_DAILY, FW_EVENT_OPENED),
                         c->daily_opened);
        const fw_violation *v = rt_last(
            &w, c->opened ? FW_VIOLATION_FATIGUE : FW_VIOLATION_FATIGUE_DAILY, FW_EVENT_OPENED);
        if (v) {
            assert_int_equal(v->limit, c->limit_min);
            assert_true(v->value >= v->limit);
            assert_string_equal(v->unit, "min");
            if (c->opened)
                assert_int_equal(v->subtype, c->subtype);
        }
    }
}

static void open_until_a_rest(void **state)
{
    (void)state;
    rt_world w;
    rt_init(&w, FW_CLASS_LINE_COACH);
    int64_t t = rt_drive(&w, CN(8, 0, 0), 15000, STEP_S, KMH(60));
    t = rt_drive(&w, t, 600, STEP_S, 0); /* 10 minutes: still open */
    t = rt_drive(&w, t, 300, STEP_S, KMH(60));
    assert_int_equal(rt_count(&w, FW_VIOLATION_FATIGUE, FW_EVENT_CLOSED), 0);
    t = rt_drive(&w, t, 1200, STEP_S, 0);
    rt_drive(&w, t, 60, STEP_S, KMH(60));
    assert_int_equal(rt_count(&w, FW_VIOLATION_FATIGUE, FW_EVENT_OPENED), 1);
    const fw_violation *c = rt_last(&w, FW_VIOLATION_FATIGUE, FW_EVENT_CLOSED);
    assert_non_null(c);
    assert_int_equal(c->start_utc, CN(8, 0, 0) + 14410);
    assert_int_equal(c->end_utc, t - 1200 - STEP_S);
}

static void gap_in_data_is_a_rest(void **state)
{
    (void)state;
    rt_world w;
    rt_init(&w, FW_CLASS_LINE_COACH);
    int64_t t = rt_drive(&w, CN(8, 0, 0), 10800, STEP_S, KMH(60));
    rt_drive(&w, t + 1800, 5400, STEP_S, KMH(60)); /* parked 30 min with the terminal off */
    assert_int_equal(rt_count(&w, FW_VIOLATION_FATIGUE, FW_EVENT_OPENED), 0);
}

static void corroborated_by_dsm(void **state)
{
    (void)state;
    rt_world w;
    rt_init(&w, FW_CLASS_LINE_COACH);
    int64_t t = rt_drive(&w, CN(8, 0, 0), 7200, STEP_S, KMH(60));
    fw_position p = rt_point(&w, t, KMH(60));
    p.dsm_type = 1;
    p.dsm_level = 1;
    p.dsm_flag = 0;
    p.dsm_alarm_id = 5;
    rt_apply(&w, &p);
    rt_drive(&w, t + STEP_S, 7300, STEP_S, KMH(60));
    const fw_violation *v = rt_last(&w, FW_VIOLATION_FATIGUE, FW_EVENT_OPENED);
    assert_non_null(v);
    assert_true(v->corroborated);
    /* and the DSM report itself is a terminal alarm event */
    assert_int_equal(rt_count(&w, FW_VIOLATION_TERMINAL_ALARM, FW_EVENT_OPENED), 1);
    /* without any report it is not */
    rt_world w2;
    rt_init(&w2, FW_CLASS_LINE_COACH);
    rt_drive(&w2, CN(8, 0, 0), 14600, STEP_S, KMH(60));
    assert_false(rt_last(&w2, FW_VIOLATION_FATIGUE, FW_EVENT_OPENED)->corroborated);
}

static void daily_window_slides(void **state)
{
    (void)state;
    rt_world w;
    rt_init(&w, FW_CLASS_TRUCK);
    int64_t t = CN(6, 0, 0);
    for (int i = 0; i < 3; i++) {
        t = rt_drive(&w, t, 10800, STEP_S, KMH(60));
        t = rt_drive(&w, t, 1800, STEP_S, 0);
    }
    assert_int_equal(rt_count(&w, FW_VIOLATION_FATIGUE_DAILY, FW_EVENT_OPENED), 1);
    assert_int_equal(rt_count(&w, FW_VIOLATION_FATIGUE_DAILY, FW_EVENT_CLOSED), 0);
    /* the next morning (no data overnight) the last 24 h hold less than 8 h */
    rt_drive(&w, CN(6, 0, 0) + 86400 + 3 * 3600, 600, STEP_S, KMH(60));
    assert_int_equal(rt_count(&w, FW_VIOLATION_FATIGUE_DAILY, FW_EVENT_CLOSED), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table),
        cmocka_unit_test(open_until_a_rest),
        cmocka_unit_test(gap_in_data_is_a_rest),
        cmocka_unit_test(corroborated_by_dsm),
        cmocka_unit_test(daily_window_slides),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
