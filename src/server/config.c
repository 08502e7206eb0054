/* config.c - the gateway's options (fw_server_options, in the option engine's format of
 * fw/base/options.h): every option with its bounds, default and help text, from which the engine
 * makes defaults, config files, flags and --help; and splitting `listen`. docs/operations.md and
 * config/fleetwatch.conf.example describe the same options.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "fw/base/options.h"
#include "fw/server/server.h"

/* An unsigned field of fw_server_config within [lo, hi]. */
#define U(m, lo, hi, dflt, text) FW_OPT_UINT_ROW(fw_server_config, m, lo, hi, dflt, text)

/* In the order of fw_damaged_policy. */
static const char *const damaged_names[] = {"reject", "accept", "drop", NULL};
_Static_assert(sizeof(fw_damaged_policy) == sizeof(int), "FW_OPT_CHOICE fields are ints");

static const fw_option server_rows[] = {
    FW_OPT_STR_ROW(fw_server_config, listen, "0.0.0.0:8808",
                   "address:port to accept terminals on ([::]:port for IPv6)"),
    U(workers, 0, 256, "0", "event loop threads (0 = one per core)"),
    U(max_connections, 0, 10000000, "0",
      "connections in total (0 = as many as the open-file limit allows)"),
    U(max_connections_per_address, 0, 10000000, "10000",
      "connections from one source address, all workers (0 = no cap)"),
    U(idle_timeout_s, 1, 86400, "180", "close a connection silent this long"),
    U(first_frame_timeout_s, 1, 3600, "30",
      "close a connection with no valid frame this long after connecting"),
    U(max_bad_frames, 1, 255, "8", "close after this many bad frames in a row"),
    U(max_garbage_bytes, 1, 1073741824, "65536",
      "close a connection after this many bytes that are not frames, in its life"),
    U(max_empty_frames, 1, 1073741824, "1024",
      "close a connection after this many empty frames (7e7e beyond one), in its life"),
    U(auth_timeout_s, 1, 86400, "60",
      "close a connection not authenticated this long after connecting (with require_auth)"),
    U(preauth_max_heartbeats, 0, 255, "3",
      "heartbeats answered before authentication (with require_auth); later ones get result 1"),
    U(input_cap_bytes, 4096, 1048576, "16384",
      "bytes read from one connection per event (fairness)"),
    U(output_cap_bytes, 1024, 16777216, "65536",
      "pause reading a connection while this many reply bytes are unsent"),
    U(sndbuf_bytes, 0, 16777216, "0",
      "kernel send buffer per connection (SO_SNDBUF; 0 = the kernel's autotuning)"),
    U(max_frame_rate, 0, 1000000, "500",
      "frames per second per connection before reading pauses (0 = no cap)"),
    FW_OPT_STR_ROW(fw_server_config, registry_path, "",
                   "vehicle registry JSON file (empty: no vehicles)"),
    U(auth_fail_limit_phone, 0, 1000000, "5",
      "failed registrations/authentications of one phone before it is shut out (0 = never)"),
    U(auth_fail_limit_address, 0, 1000000, "50",
      "failures from one source address before it is shut out (0 = never)"),
    U(auth_backoff_s, 1, 86400, "30", "first shut-out, doubled per further failure"),
    U(auth_backoff_max_s, 1, 604800, "3600",
      "longest shut-out, and how long failures are remembered"),
    U(auth_grants_max, 1, 100000000, "1000000",
      "auth codes kept in the process: all without Redis, else those this node confirmed"),
    FW_OPT_BOOL_ROW(fw_server_config, require_auth, "true",
                    "accept data messages only from authenticated terminals"),
    FW_OPT_CHOICE_ROW(fw_server_config, damaged_frames, damaged_names, "reject",
                      "bad check code or length: reject (ack result 2), accept or drop"),
    U(ack_slots, 16, 16777216, "65536", "location acks awaiting the sink, per worker"),
    U(subpkg_max_msgs, 1, 65536, "64", "sub-packaged messages in progress, per worker"),
    U(subpkg_max_bytes, 1024, 1073741824, "16777216",
      "sub-package bytes held, per worker (one terminal: at most 1/8 of it)"),
    U(subpkg_max_per_terminal, 1, 65536, "4",
      "sub-packaged messages in progress per terminal; its oldest is evicted for a new one"),
    U(subpkg_timeout_ms, 100, 3600000, "10000", "silence before a 0x8003 resend request"),
    U(subpkg_retries, 0, 255, "3", "0x8003 requests before a message is dropped"),
    U(shutdown_timeout_s, 0, 600, "5", "SIGTERM: longest wait for replies to flush"),
    U(future_tolerance_s, 1, 31536000, "300",
      "a position dated further ahead of the server clock is kept flagged, used for nothing live"),
    FW_OPT_RETIRED_ROW(auth_secret, "auth codes are now random per registration and kept hashed "
                                    "by the authority (Redis); there is no secret to set "
                                    "(docs/security.md)"),
};
#undef U

const fw_opt_table fw_server_options = FW_OPT_TABLE(server_rows);

void fw_server_config_defaults(fw_server_config *c)
{
    memset(c, 0, sizeof *c);
    (void)fw_opt_defaults(&fw_server_options, c);
}

int fw_server_config_set(fw_server_config *c, const char *key, const char *value, char *err,
                         size_t errcap)
{
    return fw_opt_set(&fw_server_options, c, key, value, err, errcap) == 0 ? 0 : -1;
}

int fw_server_config_listen(const fw_server_config *c, char *host, size_t hostcap, uint16_t *port)
{
    const char *colon = strrchr(c->listen, ':');
    if (!colon || colon == c->listen)
        return -1;
    char *end;
    unsigned long p = strtoul(colon + 1, &end, 10);
    if (*end || end == colon + 1 || p == 0 || p > 65535)
        return -1;
    const char *start = c->listen;
    size_t len = (size_t)(colon - start);
    if (start[0] == '[' && colon[-1] == ']' && len > 2) { /* "[::1]:8808" */
        start++;
        len -= 2;
    }
    if (len >= hostcap)
        return -1;
    memcpy(host, start, len);
    host[len] = '\0';
    *port = (uint16_t)p;
    return 0;
}
