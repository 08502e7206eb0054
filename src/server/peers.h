/* peers.h - open connections per source address, shared by all workers
 * (max_connections_per_address).
 *
 * Taken when a connection is accepted and released when it is freed, under one mutex that is never
 * taken per frame. An address has an entry while it has a connection; the connection keeps a
 * pointer to it, so releasing needs no lookup. IPv4-mapped IPv6 addresses count as their IPv4
 * address.
 */
#ifndef FW_SERVER_PEERS_H
#define FW_SERVER_PEERS_H

#include <stddef.h>
#include <sys/socket.h>

typedef struct fw_peers fw_peers;
typedef struct fw_peer fw_peer;

/* buckets: expected number of addresses (the table does not grow; chains get longer). */
fw_peers *fw_peers_new(size_t buckets);
void fw_peers_free(fw_peers *p);

/* Count one more connection from addr, unless it already has cap of them. 0 with its entry in *out;
 * -1 when the address is at its cap; -2 when out of memory or not an IP address. */
int fw_peers_take(fw_peers *p, const struct sockaddr *addr, unsigned cap, fw_peer **out);
/* One connection of the entry's address is gone (frees the entry with its last one). */
void fw_peers_release(fw_peers *p, fw_peer *e);

#endif
