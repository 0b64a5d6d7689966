/* SPDX-License-Identifier: BSD-2-Clause */
/* Next-hop link-layer addresses from rtnetlink, synchronously. */
#include <errno.h>
#include <linux/neighbour.h>
#include <string.h>
#include <sys/socket.h>

#include "common/rtnl.h"
#include "nexthop.h"

#define NEXTHOP_TTL_MS 1000
/* a request is answered at once; never stall the data path long */
#define NEXTHOP_TIMEOUT_MS 100

/* Neighbour states with a usable link-layer address. */
#define NUD_USABLE \
	(NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT)

int
nexthop_init(struct nexthop *nh, unsigned ifindex)
{
	int r;

	memset(nh, 0, sizeof(*nh));
	nh->ifindex = ifindex;
	if ((nh->rtnl = rtnl_open(false)) == NULL)
		return -errno;
	if ((r = rtnl_set_timeout(nh->rtnl, NEXTHOP_TIMEOUT_MS)) < 0) {
		nexthop_close(nh);
		return r;
	}
	return 0;
}

void
nexthop_close(struct nexthop *nh)
{
	rtnl_close(nh->rtnl);
	nh->rtnl = NULL;
}

/* The gateway of the route to dst, or dst when it is on-link; false if
 * the route does not leave by the uplink. */
static bool
gateway(struct nexthop *nh, const struct in6_addr *dst, struct in6_addr *gw)
{
	struct rtnl_route rt;

	if (rtnl_route_get(nh->rtnl, AF_INET6, dst, nh->ifindex, &rt) < 0 ||
	    rt.ifindex != nh->ifindex)
		return false;
	memcpy(gw, rt.has_gateway ? rt.gateway : dst->s6_addr, sizeof(*gw));
	return true;
}

static bool
neighbour(struct nexthop *nh, const struct in6_addr *addr,
	  uint8_t mac[NEXTHOP_ALEN])
{
	struct rtnl_neigh n;

	if (rtnl_neigh_get(nh->rtnl, nh->ifindex, AF_INET6, addr, &n) < 0 ||
	    !(n.state & NUD_USABLE) || !n.has_lladdr)
		return false;
	memcpy(mac, n.lladdr, NEXTHOP_ALEN);
	return true;
}

bool
nexthop_mac(struct nexthop *nh, const struct in6_addr *dst, uint64_t now_ms,
	    uint8_t mac[NEXTHOP_ALEN])
{
	struct nexthop_entry *e;
	struct in6_addr gw;
	unsigned h;

	h = (unsigned)(dst->s6_addr[15] ^ dst->s6_addr[13] ^ dst->s6_addr[11]);
	e = &nh->cache[h % NEXTHOP_CACHE];
	if (now_ms >= e->expires_ms || memcmp(&e->dst, dst, 16) != 0) {
		e->dst = *dst;
		e->expires_ms = now_ms + NEXTHOP_TTL_MS;
		e->ok = nh->rtnl != NULL && gateway(nh, dst, &gw) &&
			neighbour(nh, &gw, e->mac);
	}
	if (e->ok)
		memcpy(mac, e->mac, NEXTHOP_ALEN);
	return e->ok;
}
