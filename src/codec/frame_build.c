/* frame_build.c - build complete wire frames (jt_frame.h): downlink replies and the
 * simulator's uplink.
 *
 * The header is assembled on the stack, then header, body and check code are escaped
 * straight into the caller's output between the two flags; the body is never copied
 * unescaped.
 */
#include <string.h>

#include "fw/codec/byte_io.h"
#include "fw/codec/jt_frame.h"

static size_t phone_bytes(jt_version v)
{
    return v == JT_V2019 ? JT_PHONE_BCD_2019 : JT_PHONE_BCD_2013;
}

static bool header_valid(const jt_header_out *h)
{
    bool version_ok = h->version == JT_V2013 || h->version == JT_V2019;
    bool pkg_ok = h->pkg_total == 0 || (h->pkg_index >= 1 && h->pkg_index <= h->pkg_total);
    return version_ok && pkg_ok && h->phone_raw && h->encryption <= JT_PROPS_ENCRYPT_MASK;
}

/* Unescaped header into hdr (JT_HEADER_2019 + JT_SUBPKG_FIELDS bytes); returns its length. */
static size_t write_header(const jt_header_out *h, size_t body_len, uint8_t *hdr)
{
    uint16_t props = (uint16_t)(body_len | (unsigned)h->encryption << JT_PROPS_ENCRYPT_SHIFT);
    if (h->pkg_total)
        props |= JT_PROPS_SUBPKG_BIT;
    if (h->version == JT_V2019)
        props |= JT_PROPS_VERSION_BIT;
    jt_writer w;
    wr_init(&w, hdr, JT_HEADER_2019 + JT_SUBPKG_FIELDS);
    wr_u16(&w, h->msg_id);
    wr_u16(&w, props);
    if (h->version == JT_V2019)
        wr_u8(&w, h->proto_version);
    wr_bytes(&w, h->phone_raw, phone_bytes(h->version));
    wr_u16(&w, h->serial);
    if (h->pkg_total) {
        wr_u16(&w, h->pkg_total);
        wr_u16(&w, h->pkg_index);
    }
    return w.len;
}

/* Escape src onto the end of w; false when it does not fit. */
static bool put_escaped(jt_writer *w, const uint8_t *src, size_t len)
{
    jt_err err;
    size_t n = jt_escape(src, len, w->p + w->len, w->cap - w->len, &err);
    w->len += n;
    return err == JT_OK;
}

size_t jt_frame_build(const jt_header_out *h, const uint8_t *body, size_t body_len, uint8_t *out,
                      size_t cap, jt_err *err)
{
    if (body_len > JT_MAX_BODY || !header_valid(h) || (body_len && !body)) {
        *err = JT_ERR_BAD_FIELD;
        return 0;
    }
    uint8_t hdr[JT_HEADER_2019 + JT_SUBPKG_FIELDS];
    size_t hdr_len = write_header(h, body_len, hdr);
    uint8_t check = (uint8_t)(jt_checksum(hdr, hdr_len) ^ jt_checksum(body, body_len));

    jt_writer w;
    wr_init(&w, out, cap);
    wr_u8(&w, JT_FLAG_BYTE);
    bool fits = !w.overflow && put_escaped(&w, hdr, hdr_len) && put_escaped(&w, body, body_len) &&
                put_escaped(&w, &check, 1);
    wr_u8(&w, JT_FLAG_BYTE);
    if (!fits || w.overflow) {
        *err = JT_ERR_NO_SPACE;
        return 0;
    }
    *err = JT_OK;
    return w.len;
}

jt_err jt_phone_to_bcd(const char *digits, jt_version v, uint8_t out[10], uint8_t *out_len)
{
    if (v != JT_V2013 && v != JT_V2019)
        return JT_ERR_BAD_FIELD;
    size_t width = phone_bytes(v), n = strlen(digits);
    if (n == 0 || n > 2 * width || strspn(digits, "0123456789") != n)
        return JT_ERR_BAD_FIELD;
    memset(out, 0, width);
    for (size_t i = 0; i < n; i++) { /* i-th digit from the right */
        unsigned d = (unsigned)(digits[n - 1 - i] - '0');
        out[width - 1 - i / 2] |= (uint8_t)(i % 2 ? d << 4 : d);
    }
    *out_len = (uint8_t)width;
    return JT_OK;
}
