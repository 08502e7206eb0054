/* log_options.c - a program's logging options (log.h, fw_log_config) as rows of the option
 * engine (options.h): the level, the target, and for syslog the ident, facility and socket.
 * The names of targets and syslog facilities live here; fw_log_start (log_syslog.c) applies
 * the values.
 */
#include <string.h>

#include "fw/base/log.h"

/* In the order of fw_log_target (CHOICE rows store the index; levels: fw_log_level_names). */
static const char *const target_names[] = {"stderr", "syslog", NULL};
_Static_assert(sizeof(fw_log_level) == sizeof(int) && sizeof(fw_log_target) == sizeof(int),
               "FW_OPT_CHOICE fields are ints");

/* Index = facility number (RFC 5424); NULL = not offered (the system's own). */
static const char *const facility_names[] = {
    "kern",   "user",   "mail",     "daemon", "auth",   "syslog", "lpr",    "news",
    "uucp",   "cron",   "authpriv", "ftp",    NULL,     NULL,     NULL,     NULL,
    "local0", "local1", "local2",   "local3", "local4", "local5", "local6", "local7"};

/* A facility name -> its number (the index in facility_names). */
static int parse_facility(void *field, const char *text)
{
    for (size_t i = 0; i < sizeof facility_names / sizeof facility_names[0]; i++)
        if (facility_names[i] && strcmp(facility_names[i], text) == 0) {
            *(int *)field = (int)i;
            return 0;
        }
    return -1;
}

/* A non-empty text that fits cap bytes with its NUL. */
static int set_text(char *field, size_t cap, const char *text)
{
    size_t n = strlen(text);
    if (n == 0 || n >= cap)
        return -1;
    memcpy(field, text, n + 1);
    return 0;
}

static int parse_ident(void *field, const char *text)
{
    return set_text(field, FW_LOG_IDENT_MAX, text);
}

static int parse_socket(void *field, const char *text)
{
    return set_text(field, FW_LOG_SOCKET_MAX, text);
}

#define LOG_FIELD(m) FW_OPT_FIELD(fw_log_config, m)
static const fw_option log_rows[] = {
    {.name = "log_level",
     .kind = FW_OPT_CHOICE,
     LOG_FIELD(level),
     .choices = fw_log_level_names,
     .def = "info",
     .help = "the least severe level logged"},
    {.name = "log_target",
     .kind = FW_OPT_CHOICE,
     LOG_FIELD(target),
     .choices = target_names,
     .def = "stderr",
     .help = "stderr (timestamped lines) or syslog (datagrams to log_syslog_socket, e.g. "
             "journald)"},
    {.name = "log_ident",
     .kind = FW_OPT_CUSTOM,
     LOG_FIELD(ident),
     .parse = parse_ident,
     .arg = "NAME",
     .help = "program name in syslog lines (default: the program's own)"},
    {.name = "log_facility",
     .kind = FW_OPT_CUSTOM,
     LOG_FIELD(facility),
     .parse = parse_facility,
     .def = "daemon",
     .arg = "FACILITY",
     .help = "syslog facility: daemon, user, local0 .. local7, ..."},
    {.name = "log_syslog_socket",
     .kind = FW_OPT_CUSTOM,
     LOG_FIELD(syslog_socket),
     .parse = parse_socket,
     .def = "/dev/log",
     .arg = "PATH",
     .help = "unix datagram socket of syslog/journald"},
};
#undef LOG_FIELD

const fw_opt_table fw_log_options = FW_OPT_TABLE(log_rows);

void fw_log_config_defaults(fw_log_config *o, const char *ident)
{
    memset(o, 0, sizeof *o);
    (void)fw_opt_defaults(&fw_log_options, o);
    (void)parse_ident(o->ident, ident);
}
