/* log_options.c - a program's logging options (log.h, fw_log_options): the names of targets
 * and syslog facilities, the defaults, setting one option from text, and the --help listing
 * (FW_LOG_OPTION_LIST: name, value as text, help). fw_log_start (log_syslog.c) applies them.
 */
#include <string.h>

#include "fw/base/log.h"

static const char *const target_names[] = {"stderr", "syslog"};

/* Index = facility number (RFC 5424); NULL = not offered (the system's own). */
static const char *const facility_names[] = {
    "kern",   "user",   "mail",     "daemon", "auth",   "syslog", "lpr",    "news",
    "uucp",   "cron",   "authpriv", "ftp",    NULL,     NULL,     NULL,     NULL,
    "local0", "local1", "local2",   "local3", "local4", "local5", "local6", "local7"};

/* X(name, its value in d as text, help) */
#define FW_LOG_OPTION_LIST(X)                                                                      \
    X(log_level, fw_log_level_name(d->level), "error, warn, info or debug")                        \
    X(log_target, target_names[d->target],                                                         \
      "stderr (timestamped lines) or syslog (datagrams to log_syslog_socket)")                     \
    X(log_ident, d->ident, "program name in syslog lines")                                         \
    X(log_facility, facility_names[d->facility],                                                   \
      "syslog facility: daemon, user, local0 .. local7, ...")                                      \
    X(log_syslog_socket, d->syslog_socket, "unix datagram socket of syslog/journald")

static int name_index(const char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (names[i] && strcmp(names[i], name) == 0)
            return (int)i;
    return -1;
}

int fw_log_target_parse(const char *name)
{
    return name_index(target_names, sizeof target_names / sizeof target_names[0], name);
}

int fw_log_facility_parse(const char *name)
{
    return name_index(facility_names, sizeof facility_names / sizeof facility_names[0], name);
}

void fw_log_options_defaults(fw_log_options *o, const char *ident)
{
    memset(o, 0, sizeof *o);
    o->level = FW_LOG_INFO;
    o->target = FW_LOG_TO_STDERR;
    o->facility = fw_log_facility_parse("daemon");
    snprintf(o->ident, sizeof o->ident, "%s", ident);
    snprintf(o->syslog_socket, sizeof o->syslog_socket, "/dev/log");
}

static int set_text(char *field, size_t cap, const char *value)
{
    if (strlen(value) >= cap || !value[0])
        return -1;
    strcpy(field, value);
    return 0;
}

/* 0 set, -1 bad value, 1 unknown key. */
static int set_value(fw_log_options *o, const char *key, const char *value)
{
    int v;
    if (!strcmp(key, "log_level")) {
        if ((v = fw_log_level_parse(value)) >= 0)
            o->level = (fw_log_level)v;
    } else if (!strcmp(key, "log_target")) {
        if ((v = fw_log_target_parse(value)) >= 0)
            o->target = (fw_log_target)v;
    } else if (!strcmp(key, "log_facility")) {
        if ((v = fw_log_facility_parse(value)) >= 0)
            o->facility = v;
    } else if (!strcmp(key, "log_ident"))
        v = set_text(o->ident, sizeof o->ident, value);
    else if (!strcmp(key, "log_syslog_socket"))
        v = set_text(o->syslog_socket, sizeof o->syslog_socket, value);
    else
        return 1;
    return v < 0 ? -1 : 0;
}

int fw_log_options_set(fw_log_options *o, const char *key, const char *value, char *err,
                       size_t errcap)
{
    int rc = set_value(o, key, value);
    if (rc < 0)
        snprintf(err, errcap, "%s: bad value '%s'", key, value);
    return rc;
}

void fw_log_options_usage(FILE *out, const fw_log_options *d)
{
#define FW_LOG_OPTION_USAGE(name, value, help)                                                     \
    fprintf(out, "  %-22s %s (default \"%s\")\n", #name, help, value);
    FW_LOG_OPTION_LIST(FW_LOG_OPTION_USAGE)
#undef FW_LOG_OPTION_USAGE
}
