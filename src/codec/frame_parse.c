/* frame_parse.c - unescape a frame candidate in place and parse its header (jt_frame.h, step
 * 2 of the pipeline).
 *
 * Damage is read past where that is safe and recorded in jt_frame.flags: bad escapes, a wrong
 * check code, a declared body length that disagrees with the bytes present, the 2019 version
 * bit on a 2013-layout header and a phone field that is not BCD. The layout (2013 or 2019) is
 * chosen by which one makes the declared body length match the frame exactly.
 */

#include <string.h>

#include "fw/codec/byte_io.h"
#include "fw/codec/jt_frame.h"

static size_t header_len(jt_version v, bool subpkg)
{
    return (v == JT_V2019 ? JT_HEADER_2019 : JT_HEADER_2013) + (subpkg ? JT_SUBPKG_FIELDS : 0);
}

/* content_len: header + body bytes (everything but the check code). */
static jt_version pick_version(const jt_frame *f, size_t content_len, uint32_t *flags)
{
    if (!(f->props & JT_PROPS_VERSION_BIT))
        return JT_V2013;
    size_t len_2019 = header_len(JT_V2019, f->subpkg) + f->body_len;
    size_t len_2013 = header_len(JT_V2013, f->subpkg) + f->body_len;
    bool fits_2019 = content_len == len_2019;
    bool fits_2013 = content_len == len_2013;
    bool header_2019_fits = content_len >= header_len(JT_V2019, f->subpkg);
    if (!fits_2019 && (fits_2013 || !header_2019_fits)) {
        *flags |= JT_FLAG_V2019_BIT_ON_2013;
        return JT_V2013;
    }
    return JT_V2019;
}

static char hex_digit(unsigned nibble)
{
    return "0123456789abcdef"[nibble & 0xf];
}

/* BCD phone -> digits without leading zeros ("0" when all zero); hex letters for nibbles > 9.
 * Every nibble is written first and the leading zeros skipped after, so the loop has no
 * data-dependent branch (this runs for every frame). */
static void phone_digits(jt_frame *f)
{
    char all[2 * JT_PHONE_BCD_2019];
    size_t n = 2u * f->phone_raw_len;
    bool not_bcd = false;
    for (size_t i = 0; i < f->phone_raw_len; i++) {
        unsigned hi = f->phone_raw[i] >> 4, lo = f->phone_raw[i] & 0xf;
        all[2 * i] = hex_digit(hi);
        all[2 * i + 1] = hex_digit(lo);
        not_bcd |= (hi > 9) | (lo > 9);
    }
    if (not_bcd)
        f->flags |= JT_FLAG_PHONE_NOT_BCD;
    size_t skip = 0;
    while (skip + 1 < n && all[skip] == '0')
        skip++;
    memcpy(f->phone, all + skip, n - skip);
    f->phone[n - skip] = '\0';
}

static void read_header(jt_reader *r, jt_frame *f)
{
    if (f->version == JT_V2019)
        f->proto_version = rd_u8(r);
    f->phone_raw_len = f->version == JT_V2019 ? JT_PHONE_BCD_2019 : JT_PHONE_BCD_2013;
    f->phone_raw = rd_take(r, f->phone_raw_len);
    f->serial = rd_u16(r);
    if (f->subpkg) {
        f->pkg_total = rd_u16(r);
        f->pkg_index = rd_u16(r);
    }
    phone_digits(f);
}

static void locate_body(jt_frame *f, const uint8_t *content, size_t content_len, size_t hdr)
{
    size_t present = content_len - hdr;
    f->body = content + hdr;
    f->body_avail = (uint16_t)(present < f->body_len ? present : f->body_len);
    if (present != f->body_len)
        f->flags |= JT_FLAG_LENGTH_MISMATCH;
}

jt_err jt_frame_parse(uint8_t *buf, size_t len, jt_frame *out)
{
    *out = (jt_frame){0};
    unsigned bad_escapes;
    len = jt_unescape(buf, len, &bad_escapes);
    if (bad_escapes)
        out->flags |= JT_FLAG_BAD_ESCAPE;
    if (len >= 2)
        out->msg_id = be16(buf);
    if (len < JT_MIN_FRAME)
        return JT_ERR_TOO_SHORT;

    size_t content_len = len - 1;
    out->props = be16(buf + 2);
    out->body_len = out->props & JT_PROPS_BODY_LEN_MASK;
    out->encryption = (out->props >> JT_PROPS_ENCRYPT_SHIFT) & JT_PROPS_ENCRYPT_MASK;
    out->subpkg = (out->props & JT_PROPS_SUBPKG_BIT) != 0;
    out->version = pick_version(out, content_len, &out->flags);
    size_t hdr = header_len(out->version, out->subpkg);
    if (content_len < hdr)
        return JT_ERR_BAD_HEADER;

    jt_reader r;
    rd_init(&r, buf + 4, hdr - 4);
    read_header(&r, out);
    locate_body(out, buf, content_len, hdr);
    out->check_given = buf[content_len];
    out->check_calc = jt_checksum(buf, content_len);
    if (out->check_given != out->check_calc)
        out->flags |= JT_FLAG_BAD_CHECKSUM;

    if (out->flags & JT_FLAG_LENGTH_MISMATCH)
        return JT_ERR_LENGTH_MISMATCH;
    return out->flags & JT_FLAG_BAD_CHECKSUM ? JT_ERR_CHECKSUM : JT_OK;
}
