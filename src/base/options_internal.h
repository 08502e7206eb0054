/* options_internal.h - what the option engine's files (options.c, options_args.c,
 * options_help.c) share: the text saying which values a row allows.
 */
#ifndef FW_BASE_OPTIONS_INTERNAL_H
#define FW_BASE_OPTIONS_INTERNAL_H

#include <stddef.h>

#include "fw/base/options.h"

#define FW_OPT_ALLOWED_MAX 256

/* What o accepts, for error messages and --help: "a whole number in 1..86400", "one of
 * reject, accept, drop", "text of at most 255 bytes", ... Always NUL-terminated. */
void fw_opt_allowed(const fw_option *o, char *out, size_t cap);

#endif
