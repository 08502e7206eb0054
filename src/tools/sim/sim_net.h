/* sim_net.h - the simulator's sockets: non-blocking TCP connects from a chosen source address.
 *
 * Binding the source address before connecting spreads connections over several 127.0.0.x
 * addresses; IP_BIND_ADDRESS_NO_PORT defers the port choice to connect() so that each
 * (source, destination) pair gets the whole ephemeral port range (about 28,000 ports by
 * default) instead of sharing it between addresses.
 */
#ifndef FW_SIM_NET_H
#define FW_SIM_NET_H

#include <netinet/in.h>
#include <stdint.h>

/* Start a non-blocking connect to dst from src (NULL: any). Returns the socket, whose connect
 * may still be in progress (wait for writability, then sim_net_connect_result), or -errno. */
int sim_net_connect(const struct sockaddr_in *dst, const struct in_addr *src);
/* 0 when the connect on fd succeeded, else the errno value. */
int sim_net_connect_result(int fd);
/* Raise the soft open-file limit to the hard limit; returns the resulting soft limit. */
uint64_t sim_net_raise_fd_limit(void);

#endif
