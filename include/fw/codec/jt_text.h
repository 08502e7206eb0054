/* jt_text.h - GBK <-> UTF-8 for JT/T 808 strings (plates, text messages, names).
 *
 * JT/T 808 strings are GBK (GB 2312 superset). Conversion uses glibc iconv with one cached
 * conversion descriptor per thread and direction, so it allocates only once per thread.
 * Fixed-width fields are NUL-padded; jt_trim_field() strips that padding first.
 */
#ifndef FW_JT_TEXT_H
#define FW_JT_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "fw/codec/jt_errors.h"

/* Convert GBK in[0..len) to NUL-terminated UTF-8 in out (cap bytes incl. NUL).
 * Errors: JT_ERR_BAD_TEXT (invalid GBK), JT_ERR_NO_SPACE. *out_len excludes the NUL. */
jt_err jt_gbk_to_utf8(const uint8_t *in, size_t len, char *out, size_t cap, size_t *out_len);
/* Convert UTF-8 in[0..len) to GBK in out. Errors: JT_ERR_BAD_TEXT (invalid UTF-8 or a
 * character GBK cannot represent), JT_ERR_NO_SPACE. */
jt_err jt_utf8_to_gbk(const char *in, size_t len, uint8_t *out, size_t cap, size_t *out_len);

/* Length of a fixed-width field without trailing NUL bytes and spaces. */
size_t jt_trim_field(const uint8_t *p, size_t len);

#endif
