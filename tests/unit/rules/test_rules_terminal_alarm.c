/* test_rules_terminal_alarm.c - terminal alarms as events: the emergency button (open while the bit
 * is set), Jiangsu ADAS/DSM reports with type and level, repeats reported once, ignored types.
 */
#include "rules_test.h"

static void apply_with(rt_world *w, int64_t t, uint32_t alarm, uint8_t adas_type, uint8_t dsm_type,
                       uint8_t level, uint8_t flag, uint32_t alarm_id)
{
    fw_position p = rt_point(w, t, KMH(50));
    p.alarm = alarm;
    p.adas_type = adas_type;
    p.dsm_type = dsm_type;
    p.adas_level = p.dsm_level = level;
    p.adas_flag = p.dsm_flag = flag;
    p.adas_alarm_id = p.dsm_alarm_id = alarm_id;
    rt_apply(w, &p);
    rt_move(w, KMH(50), 1);
}

static void emergency_button(void **state)
{
    (void)state;
    rt_world w;
    rt_init(&w, FW_CLASS_TOUR_COACH);
    int64_t t = CN(9, 0, 0);
    apply_with(&w, t, 0, 0, 0, 0, 0, 0);
    for (int i = 1; i <= 3; i++)
        apply_with(&w, t + i, JT_ALARM_EMERGENCY, 0, 0, 0, 0, 0);
    apply_with(&w, t + 4, 0, 0, 0, 0, 0, 0);
    assert_int_equal(w.sink.n, 2);
    const fw_violation *o = &w.sink.ev[0], *c = &w.sink.ev[1];
    assert_int_equal(o->phase, FW_EVENT_OPENED);
    assert_int_equal(c->phase, FW_EVENT_CLOSED);
    assert_int_equal(o->subtype, FW_TALARM_EMERGENCY);
    assert_int_equal(o->severity, FW_SEVERITY_SEVERE);
    assert_string_equal(o->id, c->id);
    assert_int_equal(c->start_utc, t + 1);
    assert_int_equal(c->end_utc, t + 4);
    assert_string_equal(fw_violation_subtype_name(o->type, o->subtype), "emergency");
}

typedef struct {
    const char *name;
    uint8_t adas_type, dsm_type, level, flag;
    int events;
    fw_event_phase phase;
    int subtype;
    fw_severity severity;
} safety_case;

static const safety_case cases[] = {
    {"forward collision level 2", 1, 0, 2, 1, 1, FW_EVENT_OPENED, FW_TALARM_FORWARD_COLLISION,
     FW_SEVERITY_SERIOUS},
    {"lane departure level 1", 2, 0, 1, 0, 1, FW_EVENT_OPENED, FW_TALARM_LANE_DEPARTURE,
     FW_SEVERITY_MINOR},
    {"phone call", 0, 2, 1, 0, 1, FW_EVENT_OPENED, FW_TALARM_PHONE_CALL, FW_SEVERITY_MINOR},
    {"smoking ends", 0, 3, 1, 2, 1, FW_EVENT_CLOSED, FW_TALARM_SMOKING, FW_SEVERITY_MINOR},
    {"driver absent", 0, 5, 2, 1, 1, FW_EVENT_OPENED, FW_TALARM_DRIVER_ABSENT, FW_SEVERITY_SERIOUS},
    {"distraction", 0, 4, 1, 1, 1, FW_EVENT_OPENED, FW_TALARM_DISTRACTION, FW_SEVERITY_MINOR},
    {"ADAS road-sign event (16) ignored", 16, 0, 1, 0, 0, 0, 0, 0},
    {"DSM auto capture (16) ignored", 0, 16, 1, 0, 0, 0, 0, 0},
};

static void safety_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const safety_case *c = &cases[i];
        print_message("case: %s\n", c->name);
        rt_world w;
        rt_init(&w, FW_CLASS_TOUR_COACH);
        apply_with(&w, CN(9, 0, 0), 0, c->adas_type, c->dsm_type, c->level, c->flag, 77);
        /* the same report attached to the next point is not a new alarm */
        apply_with(&w, CN(9, 0, 1), 0, c->adas_type, c->dsm_type, c->level, c->flag, 77);
        assert_int_equal(w.sink.n, c->events);
        if (!c->events)
            continue;
        const fw_violation *v = &w.sink.ev[0];
        assert_int_equal(v->type, FW_VIOLATION_TERMINAL_ALARM);
        assert_int_equal(v->phase, c->phase);
        assert_int_equal(v->subtype, c->subtype);
        assert_int_equal(v->severity, c->severity);
        assert_int_equal(v->value, c->level);
        assert_string_equal(v->unit, "level");
        assert_int_equal(v->first.time_utc, CN(9, 0, 0));
    }
}

static void start_and_end_share_the_id(void **state)
{
    (void)state;
    rt_world w;
    rt_init(&w, FW_CLASS_TOUR_COACH);
    apply_with(&w, CN(9, 0, 0), 0, 1, 0, 1, 1, 42);
    apply_with(&w, CN(9, 0, 5), 0, 1, 0, 1, 2, 42);
    assert_int_equal(w.sink.n, 2);
    assert_string_equal(w.sink.ev[0].id, w.sink.ev[1].id);
    assert_string_equal(w.sink.ev[0].id, "013800138000-terminal_alarm-forward_collision-42");
    assert_int_equal(w.sink.ev[1].phase, FW_EVENT_CLOSED);
}

static void first_alarm_numbered_zero(void **state)
{
    (void)state;
    rt_world w;
    rt_init(&w, FW_CLASS_TOUR_COACH);
    apply_with(&w, CN(9, 0, 0), 0, 1, 0, 1, 0, 0); /* alarm id 0, flag 0: a terminal's first */
    apply_with(&w, CN(9, 0, 1), 0, 1, 0, 1, 0, 0); /* the same report again: not new */
    assert_int_equal(w.sink.n, 1);
    assert_int_equal(w.sink.ev[0].phase, FW_EVENT_OPENED);
}

static void emergency_without_a_fix(void **state)
{
    (void)state;
    rt_world w;
    rt_init(&w, FW_CLASS_TOUR_COACH);
    int64_t t = rt_drive(&w, CN(9, 0, 0), 10, 1, KMH(50));
    int32_t fix_lon = w.st.last_lon_e6;
    fw_position p = rt_point(&w, t, KMH(50));
    p.fixed = false;
    p.lat_e6 = p.lon_e6 = 0;
    p.alarm = JT_ALARM_EMERGENCY;
    assert_int_equal(rt_apply(&w, &p), FW_APPLY_NO_EVIDENCE);
    assert_int_equal(w.sink.n, 1);
    assert_int_equal(w.sink.ev[0].subtype, FW_TALARM_EMERGENCY);
    assert_int_equal(w.sink.ev[0].first.lon_e6, fix_lon);
    assert_int_equal(w.sink.ev[0].first.time_utc, t);
    /* the position rules saw nothing of it */
    assert_int_equal(w.st.last_lon_e6, fix_lon);
    assert_int_equal(w.st.ep[FW_SLOT_SPEEDING].phase, 0);
}

static void flush_closes_emergency(void **state)
{
    (void)state;
    rt_world w;
    rt_init(&w, FW_CLASS_TOUR_COACH);
    apply_with(&w, CN(9, 0, 0), JT_ALARM_EMERGENCY, 0, 0, 0, 0, 0);
    fw_rules_flush(&w.eng, &w.veh, &w.st);
    assert_int_equal(rt_count(&w, FW_VIOLATION_TERMINAL_ALARM, FW_EVENT_CLOSED), 1);
    fw_rules_flush(&w.eng, &w.veh, &w.st);
    assert_int_equal(w.sink.n, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(emergency_button),           cmocka_unit_test(safety_table),
        cmocka_unit_test(start_and_end_share_the_id), cmocka_unit_test(emergency_without_a_fix),
        cmocka_unit_test(flush_closes_emergency),     cmocka_unit_test(first_alarm_numbered_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
