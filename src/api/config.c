/* config.c - the API's options (fw_api_options, in the option engine's format of
 * fw/base/options.h): every option with its bounds, default and help text, from which the
 * engine makes defaults, config files, flags and --help.
 */
#include <string.h>

#include "fw/api/api.h"

/* Fields of fw_api_config: S text, U unsigned within [lo, hi]. */
#define S(m, dflt, text)         FW_OPT_STR_ROW(fw_api_config, m, dflt, text)
#define U(m, lo, hi, dflt, text) FW_OPT_UINT_ROW(fw_api_config, m, lo, hi, dflt, text)

static const fw_option api_rows[] = {
    S(api_listen, "127.0.0.1:8080", "HTTP listen address host:port"),
    S(api_token_file, "", "bearer tokens: lines <role> <token> <label>; empty = none"),
    U(api_metrics_open, 0, 1, "1", "1: /metrics needs no token; 0: any valid token"),
    S(redis_host, "127.0.0.1", "Redis host (IPv4 address or name)"),
    U(redis_port, 1, 65535, "6379", "Redis TCP port"),
    S(redis_user, "", "ACL user for AUTH (with redis_password), empty = default user"),
    S(redis_password, "", "AUTH password, empty = none"),
    U(redis_db, 0, 1023, "0", "database index (SELECT)"),
    U(api_limit_default, 1, 100000, "50", "violations per page when a query gives no limit"),
    U(api_limit_max, 1, 100000, "500", "largest page a query may ask for (larger: capped)"),
    U(api_track_max_points, 1, 1000000, "10000", "positions per track answer, then next_cursor"),
    U(api_open_window_s, 0, 31536000, "172800",
      "open violations of a vehicle: among those started this recently (0 = any)"),
    U(api_near_max_radius_m, 1, 1000000, "50000", "largest radius_m of a near search"),
    U(api_near_max_results, 1, 100000, "500", "vehicles per near search"),
    U(api_text_timeout_ms, 100, 600000, "10000", "wait for the terminal's reply to a text"),
    U(api_max_header_bytes, 512, 1048576, "8192", "larger request line + headers: refused"),
    U(api_max_body_bytes, 64, 1048576, "4096", "larger request bodies: refused"),
    U(api_timeout_s, 1, 3600, "30", "idle HTTP connection timeout"),
    U(api_max_connections, 1, 65536, "1024", "HTTP connections open at once; more: closed at once"),
    U(api_header_timeout_s, 1, 3600, "10",
      "request line + headers complete within this (total) after connect or the previous answer"),
    U(api_body_timeout_s, 1, 3600, "10", "request body complete within this (total) after headers"),
    U(api_redis_timeout_ms, 10, 60000, "2000",
      "a request's Redis commands answered within this, else 503 (and Redis reconnected)"),
    S(api_tls_cert, "", "HTTPS: certificate chain file (PEM); empty = plain HTTP"),
    S(api_tls_key, "", "HTTPS: private key file (PEM)"),
    S(api_plain_http, "loopback",
      "plain HTTP (no api_tls_cert) allowed on: loopback (listen address only) or allow (any)"),
    U(api_reconnect_ms, 10, 60000, "500", "delay before reconnecting to Redis after a failure"),
    U(audit_retention_days, 1, 36500, "1096",
      "access audit entries (fw:audit) are kept this long (1096 = 3 years)"),
};
#undef S
#undef U

const fw_opt_table fw_api_options = FW_OPT_TABLE(api_rows);

void fw_api_config_defaults(fw_api_config *c)
{
    memset(c, 0, sizeof *c);
    (void)fw_opt_defaults(&fw_api_options, c);
}

int fw_api_config_set(fw_api_config *c, const char *key, const char *value, char *err,
                      size_t errcap)
{
    return fw_opt_set(&fw_api_options, c, key, value, err, errcap);
}
