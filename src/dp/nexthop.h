/* SPDX-License-Identifier: BSD-2-Clause */
/* The link-layer address of the next hop towards an IPv6 destination out
 * of the uplink. The slow path needs it to send IPv6 super-packets
 * through an AF_PACKET socket (dp_tun.c). Nothing on the packet path
 * talks to the kernel: nexthop_mac() reads a cache, and a destination it
 * does not know is looked up afterwards, from the event loop: its route
 * (RTM_GETROUTE), then its gateway's neighbour entry (RTM_GETNEIGH).
 * Events keep the cache true: a neighbour's address and state as the
 * kernel changes them, and every route looked up again after an IPv6
 * route changes. The kernel resolves neighbours; this only follows. */
#ifndef XLATD_NEXTHOP_H
#define XLATD_NEXTHOP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-event.h>

#define NEXTHOP_ROUTES 16
#define NEXTHOP_NEIGHS 8
#define NEXTHOP_ALEN 6 /* Ethernet */

/* How a destination leaves. */
struct nexthop_route {
	struct in6_addr dst;
	bool used;
	bool known;	    /* looked up since the last route change */
	bool uplink;	    /* it leaves by the uplink, through gw */
	struct in6_addr gw; /* the gateway, or dst itself on-link */
};

/* A gateway's neighbour entry, as the kernel has it. */
struct nexthop_neigh {
	struct in6_addr addr;
	bool used;
	bool usable; /* reachable, stale, delay, probe or permanent */
	uint8_t mac[NEXTHOP_ALEN];
};

struct rtnl;

/* All zero: no next hop is ever known (nexthop_close is fine). */
struct nexthop {
	struct rtnl *rtnl; /* requests, and route and neighbour events */
	sd_event_source *events, *lookup;
	unsigned ifindex;
	unsigned next_neigh; /* the entry to take next */
	struct nexthop_route routes[NEXTHOP_ROUTES];
	struct nexthop_neigh neighs[NEXTHOP_NEIGHS];
};

/* Open the sockets and, with an event loop, follow the events and look
 * up what is missing from it. Without (event NULL, for tests), the
 * caller calls nexthop_read_events and nexthop_lookup. Returns 0 or
 * -errno. */
int nexthop_init(struct nexthop *nh, sd_event *event, unsigned ifindex);
void nexthop_close(struct nexthop *nh);

/* The next hop's MAC for dst, from the cache; false if it is not known
 * (yet: it will be looked up), the route leaves by another device or the
 * neighbour is not resolved. */
bool nexthop_mac(struct nexthop *nh, const struct in6_addr *dst,
		 uint8_t mac[NEXTHOP_ALEN]);

/* Take in the events that are pending. */
void nexthop_read_events(struct nexthop *nh);
/* Look up the routes and neighbours nexthop_mac missed. */
void nexthop_lookup(struct nexthop *nh);

#endif
