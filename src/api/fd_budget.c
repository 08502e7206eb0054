/* fd_budget.c - the open-file budget of a process running the API (api.h): its connections
 * (api_max_connections, and those being refused), whatever else the process holds open (the
 * gateway's terminals, given by the caller) and a reserve for Redis connections, listeners,
 * event loops and files must fit under RLIMIT_NOFILE, or a slowloris on the API could take the
 * last descriptors the terminals need. The soft limit is raised towards the hard one first.
 */
#include <stdio.h>
#include <sys/resource.h>

#include "api_internal.h"

int fw_api_check_fd_budget(const fw_api_config *cfg, unsigned long long others,
                           const char *others_what, char *err, size_t errcap)
{
    unsigned long long api = (unsigned long long)cfg->api_max_connections + API_CONN_REFUSE_ROOM;
    unsigned long long need = api + others + FW_API_FD_RESERVE;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return 0; /* nothing to check against */
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need && rl.rlim_cur < rl.rlim_max) {
        struct rlimit raised = {
            rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need ? need : rl.rlim_max, rl.rlim_max};
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
            rl = raised;
    }
    if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
        return 0;
    char rest[160] = "";
    if (others)
        snprintf(rest, sizeof rest, " + %llu for %s", others, others_what);
    snprintf(err, errcap,
             "open-file limit (RLIMIT_NOFILE) %llu is below the %llu descriptors this process may "
             "need: api_max_connections %u + %d being refused%s + %d reserved; raise the limit "
             "(ulimit -n, LimitNOFILE=) or lower api_max_connections%s",
             (unsigned long long)rl.rlim_cur, need, cfg->api_max_connections, API_CONN_REFUSE_ROOM,
             rest, FW_API_FD_RESERVE, others ? " or max_connections" : "");
    return -1;
}
