/* test_identity.c - a registration against the registry's binding: each field that must match,
 * the padding terminals add, and the weaker accept_any_terminal binding. Registrations are
 * encoded and decoded with the codec, as they arrive. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "fw/codec/jt_encode.h"
#include "identity.h"

#define JING "\xe4\xba\xac" /* 京 */

static const char registry_json[] =
    "{\"vehicles\":["
    "{\"phone\":\"13800000001\",\"plate\":\"" JING "A12345\",\"plate_color\":2,"
    "\"terminal_id\":\"T000001\",\"manufacturer_id\":\"70111\",\"terminal_model\":\"M-1\"},"
    "{\"phone\":\"13800000002\",\"plate\":\"" JING "B00002\",\"plate_color\":1},"
    "{\"phone\":\"13800000003\",\"plate\":\"" JING "C00003\",\"plate_color\":1,"
    "\"accept_any_terminal\":true}]}";

static fw_registry *reg;

static int setup(void **state)
{
    (void)state;
    char err[200];
    reg = fw_registry_parse(registry_json, sizeof registry_json - 1, err, sizeof err);
    return reg ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fw_registry_unref(reg);
    return 0;
}

/* Encode r in layout, decode it back, check it against phone's entry. */
static fw_identity_verdict check(const char *phone, jt_register_in r)
{
    uint8_t body[256];
    size_t len;
    assert_int_equal(jt_enc_register(&r, body, sizeof body, &len), JT_OK);
    jt_frame f = {.msg_id = JT_MSG_REGISTER,
                  .version = r.layout == JT_REG_2019 ? JT_V2019 : JT_V2013,
                  .body = body,
                  .body_len = (uint16_t)len,
                  .body_avail = (uint16_t)len};
    jt_body b;
    assert_int_equal(jt_decode_body(&f, &b), JT_OK);
    return fw_identity_check(fw_registry_by_phone(reg, phone), &b.u.reg);
}

static jt_register_in good(jt_reg_layout layout)
{
    return (jt_register_in){.layout = layout,
                            .maker = "70111",
                            .model = "M-1",
                            .terminal_id = "T000001",
                            .plate_color = 2,
                            .plate = JING "A12345"};
}

/* A registration of some device of unknown make with a blue plate. */
static jt_register_in any_device(const char *plate)
{
    return (jt_register_in){.layout = JT_REG_2013,
                            .maker = "X",
                            .model = "Y",
                            .terminal_id = "ANY0001",
                            .plate_color = 1,
                            .plate = plate};
}

static void the_bound_device_matches(void **state)
{
    (void)state;
    assert_int_equal(check("13800000001", good(JT_REG_2013)), FW_IDENTITY_OK);
    assert_int_equal(check("13800000001", good(JT_REG_2019)), FW_IDENTITY_OK);
}

static void each_field_must_match(void **state)
{
    (void)state;
    jt_register_in r = good(JT_REG_2013);
    assert_int_equal(check("13900000000", r), FW_IDENTITY_UNKNOWN_PHONE);
    r.plate_color = 0; /* "no plate": the old way around the plate check */
    assert_int_equal(check("13800000001", r), FW_IDENTITY_PLATE_COLOR);
    r = good(JT_REG_2013);
    r.plate = "";
    assert_int_equal(check("13800000001", r), FW_IDENTITY_PLATE);
    r.plate = JING "B00002"; /* the plate of another vehicle of the registry */
    assert_int_equal(check("13800000001", r), FW_IDENTITY_PLATE);
    r = good(JT_REG_2013);
    r.terminal_id = "T000002";
    assert_int_equal(check("13800000001", r), FW_IDENTITY_TERMINAL_ID);
    r.terminal_id = "";
    assert_int_equal(check("13800000001", r), FW_IDENTITY_TERMINAL_ID);
    r = good(JT_REG_2013);
    r.maker = "70112";
    assert_int_equal(check("13800000001", r), FW_IDENTITY_MAKER);
    r = good(JT_REG_2019);
    r.model = "M-2";
    assert_int_equal(check("13800000001", r), FW_IDENTITY_MODEL);
}

static void no_terminal_on_file_matches_nothing(void **state)
{
    (void)state;
    assert_int_equal(check("13800000002", any_device(JING "B00002")),
                     FW_IDENTITY_NO_TERMINAL_ON_FILE);
}

static void accept_any_terminal_checks_plate_and_colour_only(void **state)
{
    (void)state;
    jt_register_in r = any_device(JING "C00003");
    assert_int_equal(check("13800000003", r), FW_IDENTITY_OK);
    r.plate_color = 2;
    assert_int_equal(check("13800000003", r), FW_IDENTITY_PLATE_COLOR);
    r.plate_color = 1;
    r.plate = JING "C00004";
    assert_int_equal(check("13800000003", r), FW_IDENTITY_PLATE);
}

static void padding_is_not_part_of_the_id(void **state)
{
    (void)state;
    /* a 2019 body whose 30-byte terminal id is padded with spaces instead of NULs */
    jt_register_in r = good(JT_REG_2019);
    uint8_t body[256];
    size_t len;
    assert_int_equal(jt_enc_register(&r, body, sizeof body, &len), JT_OK);
    const size_t id_at = 2 + 2 + 11 + 30, id_len = 7, id_width = 30;
    assert_memory_equal(body + id_at, "T000001", id_len);
    memset(body + id_at + id_len, ' ', id_width - id_len);
    jt_frame f = {.msg_id = JT_MSG_REGISTER,
                  .version = JT_V2019,
                  .body = body,
                  .body_len = (uint16_t)len,
                  .body_avail = (uint16_t)len};
    jt_body b;
    const fw_vehicle *v = fw_registry_by_phone(reg, "13800000001");
    assert_int_equal(jt_decode_body(&f, &b), JT_OK);
    assert_int_equal(fw_identity_check(v, &b.u.reg), FW_IDENTITY_OK);
    body[id_at + id_len] = '1'; /* "T0000011": a longer id is another id */
    assert_int_equal(jt_decode_body(&f, &b), JT_OK);
    assert_int_equal(fw_identity_check(v, &b.u.reg), FW_IDENTITY_TERMINAL_ID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_bound_device_matches),
        cmocka_unit_test(each_field_must_match),
        cmocka_unit_test(no_terminal_on_file_matches_nothing),
        cmocka_unit_test(accept_any_terminal_checks_plate_and_colour_only),
        cmocka_unit_test(padding_is_not_part_of_the_id),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
