/* decode_uplink_term.c - terminal management uplinks: general response, empty bodies,
 * registration, authentication, parameter reply, attributes; and the parameter iterator.
 *
 * Layout differences between protocol years are tables of field widths chosen from the header
 * version (and, for 0x0100 under a 2013 header, from the body length: a 2011 body is shorter
 * than the 37-byte fixed part of a 2013 one). Fixed-width strings are spans with their NUL or
 * space padding trimmed; nothing is copied. The general response decoder also serves 0x8001
 * and jt_dec_empty the empty downlinks (0x8104, 0x8201); jt_param_next() walks 0x0104 and
 * 0x8103 entries alike.
 */
#include "fw/codec/jt_msg.h"

#include "fw/codec/byte_io.h"
#include "decoders.h"
#include "reg_layout.h"

jt_err jt_dec_general_ack(const uint8_t *body, size_t len, jt_version v, jt_body *out)
{
    (void)v;
    jt_reader r;
    rd_init(&r, body, len);
    out->u.ack.reply_serial = rd_u16(&r);
    out->u.ack.reply_id = rd_u16(&r);
    out->u.ack.result = rd_u8(&r);
    return rd_status(&r);
}

jt_err jt_dec_empty(const uint8_t *body, size_t len, jt_version v, jt_body *out)
{
    (void)body;
    (void)len;
    (void)v;
    (void)out;
    return JT_OK;
}

/* ---- 0x0100 registration ---------------------------------------------------------------- */

/* A 2013 header carries 2011 or 2013 bodies: a 2011 body is shorter than the 2013 fixed part. */
static const jt_reg_widths *reg_layout(size_t len, jt_version v)
{
    if (v == JT_V2019)
        return jt_reg_widths_of(JT_REG_2019);
    const jt_reg_widths *w2013 = jt_reg_widths_of(JT_REG_2013);
    return len < jt_reg_fixed_len(w2013) ? jt_reg_widths_of(JT_REG_2011) : w2013;
}

jt_err jt_dec_register(const uint8_t *body, size_t len, jt_version v, jt_body *out)
{
    const jt_reg_widths *w = reg_layout(len, v);
    jt_register *reg = &out->u.reg;
    jt_reader r;
    rd_init(&r, body, len);
    reg->layout = w->layout;
    reg->province = rd_u16(&r);
    reg->city = rd_u16(&r);
    reg->maker = rd_field(&r, w->maker_len);
    reg->model = rd_field(&r, w->model_len);
    reg->terminal_id = rd_field(&r, w->terminal_id_len);
    reg->plate_color = rd_u8(&r);
    reg->plate = rd_rest(&r);
    return rd_status(&r);
}

/* ---- 0x0102 authentication -------------------------------------------------------------- */

#define JT_AUTH_IMEI_LEN    15
#define JT_AUTH_VERSION_LEN 20

jt_err jt_dec_auth(const uint8_t *body, size_t len, jt_version v, jt_body *out)
{
    jt_auth *auth = &out->u.auth;
    jt_reader r;
    rd_init(&r, body, len);
    if (v != JT_V2019) {
        auth->code = rd_rest(&r);
        return JT_OK;
    }
    uint8_t code_len = rd_u8(&r);
    auth->code = rd_span(&r, code_len);
    auth->imei = rd_span(&r, JT_AUTH_IMEI_LEN);
    auth->software_version = rd_field(&r, JT_AUTH_VERSION_LEN);
    return rd_status(&r);
}

/* ---- 0x0104 parameter reply and the parameter iterator ---------------------------------- */

jt_err jt_dec_param_reply(const uint8_t *body, size_t len, jt_version v, jt_body *out)
{
    (void)v;
    jt_param_list *pl = &out->u.params;
    jt_reader r;
    rd_init(&r, body, len);
    pl->reply_serial = rd_u16(&r);
    pl->count = rd_u8(&r);
    pl->list = rd_rest(&r);
    return rd_status(&r);
}

void jt_param_iter_init(jt_param_iter *it, const jt_param_list *pl)
{
    iter_bounds(pl->list, &it->p, &it->end);
}

bool jt_param_next(jt_param_iter *it, jt_param *out, jt_err *err)
{
    jt_reader r;
    if (!iter_step_begin(&r, it->p, it->end, err))
        return false;
    out->id = rd_u32(&r);
    out->len = rd_u8(&r);
    out->value = rd_take(&r, out->len);
    return iter_step_done(&r, &it->p, err);
}

/* ---- 0x0107 attributes ------------------------------------------------------------------ */

#define JT_ICCID_BCD_LEN 10

typedef struct {
    uint8_t maker_len, model_len, terminal_id_len;
} attr_widths;

static const attr_widths attr_2013 = {5, 20, 7};
static const attr_widths attr_2019 = {5, 30, 30};

jt_err jt_dec_attributes(const uint8_t *body, size_t len, jt_version v, jt_body *out)
{
    const attr_widths *w = v == JT_V2019 ? &attr_2019 : &attr_2013;
    jt_attributes *a = &out->u.attrs;
    jt_reader r;
    rd_init(&r, body, len);
    a->terminal_type = rd_u16(&r);
    a->maker = rd_field(&r, w->maker_len);
    a->model = rd_field(&r, w->model_len);
    a->terminal_id = rd_field(&r, w->terminal_id_len);
    a->iccid_bcd = rd_take(&r, JT_ICCID_BCD_LEN);
    uint8_t hw_len = rd_u8(&r);
    a->hw_version = rd_span(&r, hw_len);
    uint8_t fw_len = rd_u8(&r);
    a->fw_version = rd_span(&r, fw_len);
    a->gnss_attr = rd_u8(&r);
    a->comm_attr = rd_u8(&r);
    return rd_status(&r);
}
