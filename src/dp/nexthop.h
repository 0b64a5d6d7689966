/* SPDX-License-Identifier: BSD-2-Clause */
/* The link-layer address of the next hop towards an IPv6 destination out
 * of the uplink, read from the kernel's route and neighbour tables
 * (RTM_GETROUTE, RTM_GETNEIGH). The slow path needs it to send IPv6
 * super-packets through an AF_PACKET socket (dp_tun.c). Answers are kept
 * for a second; the kernel resolves neighbours, this only reads them. */
#ifndef XLATD_NEXTHOP_H
#define XLATD_NEXTHOP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#define NEXTHOP_CACHE 16
#define NEXTHOP_ALEN 6 /* Ethernet */

struct nexthop_entry {
	struct in6_addr dst;
	uint64_t expires_ms;
	bool ok; /* mac is known */
	uint8_t mac[NEXTHOP_ALEN];
};

struct rtnl;

/* All zero: no next hop is ever known (nexthop_close is fine). */
struct nexthop {
	struct rtnl *rtnl; /* requests time out after 100 ms */
	unsigned ifindex;
	struct nexthop_entry cache[NEXTHOP_CACHE];
};

/* Returns 0 or -errno. */
int nexthop_init(struct nexthop *nh, unsigned ifindex);
void nexthop_close(struct nexthop *nh);

/* The next hop's MAC for dst; false if the route leaves by another
 * device or the neighbour is not resolved (yet). now_ms is monotonic. */
bool nexthop_mac(struct nexthop *nh, const struct in6_addr *dst,
		 uint64_t now_ms, uint8_t mac[NEXTHOP_ALEN]);

#endif
