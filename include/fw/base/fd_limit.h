/* fd_limit.h - the process's open-file limit (RLIMIT_NOFILE), shared by every part that holds
 * connections: the gateway's terminals and the API's clients draw on one budget, so each
 * checks at start that what it may hold fits, instead of failing later with accept errors.
 */
#ifndef FW_FD_LIMIT_H
#define FW_FD_LIMIT_H

/* Raise the soft limit towards want (at most to the hard limit); returns the soft limit in
 * force afterwards (ULLONG_MAX when unlimited, 0 when it cannot be read). */
unsigned long long fw_fd_limit_raise(unsigned long long want);

#endif
