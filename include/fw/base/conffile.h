/* conffile.h - the line reader of `key = value` configuration files, and reading a whole small
 * text file (registry, rules config, GeoJSON).
 *
 * File format: one `key = value` per line; `#` starts a comment; blank lines are skipped;
 * spaces around keys and values are trimmed. Programs read their config files through the
 * option engine (fw_opt_load_file in options.h), which passes each line to the parts' option
 * tables, so one file can configure the gateway, store, rules and API together.
 */
#ifndef FW_CONFFILE_H
#define FW_CONFFILE_H

#include <stddef.h>

/* Apply one option: 0 accepted, -1 refused with a reason in err. */
typedef int (*fw_conf_setter)(void *ctx, const char *key, const char *value, char *err,
                              size_t errcap);

/* Read path and call set for every option in order; stops at the first refusal.
 * Returns 0, or -1 with "path:line: reason" (or "path: strerror") in err. */
int fw_conf_file_load(const char *path, fw_conf_setter set, void *ctx, char *err, size_t errcap);

/* The whole file as a NUL-terminated string the caller frees; NULL with a reason in err. */
char *fw_read_text_file(const char *path, char *err, size_t errcap);

#endif
