/* test_violation.c - the names of violation events (violation.h) as Redis, the API and the
 * docs spell them, and "" for values out of range. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fw/base/violation.h"

static void names_types_severities_phases(void **state)
{
    (void)state;
    assert_string_equal(fw_violation_name(FW_VIOLATION_SPEEDING), "speeding");
    assert_string_equal(fw_violation_name(FW_VIOLATION_TERMINAL_ALARM), "terminal_alarm");
    assert_string_equal(fw_violation_name(FW_VIOLATION__COUNT), "");
    assert_string_equal(fw_severity_name(FW_SEVERITY_WARNING), "warning");
    assert_string_equal(fw_severity_name(FW_SEVERITY_SEVERE), "severe");
    assert_string_equal(fw_severity_name(FW_SEVERITY__COUNT), "");
    assert_string_equal(fw_event_phase_name(FW_EVENT_OPENED), "opened");
    assert_string_equal(fw_event_phase_name(FW_EVENT_UPDATED), "updated");
    assert_string_equal(fw_event_phase_name(FW_EVENT_CLOSED), "closed");
    assert_string_equal(fw_event_phase_name((fw_event_phase)(FW_EVENT_CLOSED + 1)), "");
}

static void names_subtypes_per_type(void **state)
{
    (void)state;
    assert_string_equal(fw_violation_subtype_name(FW_VIOLATION_SPEEDING, FW_LIMIT_ZONE), "zone");
    assert_string_equal(fw_violation_subtype_name(FW_VIOLATION_OVERLOAD, FW_OVERLOAD_AXLE_LIMIT),
                        "over_axle_limit");
    assert_string_equal(fw_violation_subtype_name(FW_VIOLATION_FATIGUE, FW_FATIGUE_NIGHT), "night");
    assert_string_equal(
        fw_violation_subtype_name(FW_VIOLATION_TERMINAL_ALARM, FW_TALARM_PHONE_CALL), "phone_call");
    assert_string_equal(fw_violation_subtype_name(FW_VIOLATION_TERMINAL_ALARM, FW_TALARM__COUNT),
                        "");
    assert_string_equal(fw_violation_subtype_name(FW_VIOLATION_NIGHT_BAN, 0), "");
    assert_string_equal(fw_violation_subtype_name(FW_VIOLATION__COUNT, 0), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_types_severities_phases),
        cmocka_unit_test(names_subtypes_per_type),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
