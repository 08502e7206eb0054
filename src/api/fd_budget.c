/* fd_budget.c - the open-file budget of the API (api.h): its connections (api_max_connections,
 * and those being refused) and a reserve for Redis connections, listeners, event loops and
 * files. In `fleetwatch` the gateway checks it with its own (reserved_fds, fd_limit.h), so that
 * a slowloris on the API cannot take the descriptors the terminals need.
 */
#include <stdio.h>

#include "api_internal.h"
#include "fw/base/fd_limit.h"

unsigned fw_api_fd_need(const fw_api_config *cfg)
{
    return cfg->api_max_connections + API_CONN_REFUSE_ROOM;
}

int fw_api_check_fd_budget(const fw_api_config *cfg, char *err, size_t errcap)
{
    unsigned long long need = (unsigned long long)fw_api_fd_need(cfg) + FW_API_FD_RESERVE;
    unsigned long long limit = fw_fd_limit_raise(need);
    if (limit == 0 || limit >= need)
        return 0; /* fits, or nothing to check against */
    snprintf(err, errcap,
             "open-file limit (RLIMIT_NOFILE) %llu is below the %llu descriptors this process may "
             "need: api_max_connections %u + %d being refused + %d reserved; raise the limit "
             "(ulimit -n, LimitNOFILE=) or lower api_max_connections",
             limit, need, cfg->api_max_connections, API_CONN_REFUSE_ROOM, FW_API_FD_RESERVE);
    return -1;
}
