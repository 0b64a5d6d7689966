/* SPDX-License-Identifier: BSD-2-Clause */
/* Next-hop link-layer addresses: a cache, looked up off the packet path
 * and kept by rtnetlink events. */
#include <errno.h>
#include <linux/neighbour.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "common/rtnl.h"
#include "nexthop.h"

/* a request is answered at once; never stall the event loop long */
#define NEXTHOP_TIMEOUT_MS 100

/* Neighbour states with a usable link-layer address. */
#define NUD_USABLE \
	(NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT)

static struct nexthop_route *
nexthop_slot(struct nexthop *nh, const struct in6_addr *dst)
{
	unsigned h = dst->s6_addr[15] ^ dst->s6_addr[13] ^ dst->s6_addr[11];

	return &nh->routes[h % NEXTHOP_ROUTES];
}

static struct nexthop_neigh *
nexthop_find_neigh(struct nexthop *nh, const struct in6_addr *addr)
{
	unsigned i;

	for (i = 0; i < NEXTHOP_NEIGHS; i++)
		if (nh->neighs[i].used &&
		    memcmp(&nh->neighs[i].addr, addr, 16) == 0)
			return &nh->neighs[i];
	return NULL;
}

/* Ask for a lookup from the event loop, after the packets at hand. */
static void
nexthop_want_lookup(struct nexthop *nh)
{
	if (nh->lookup != NULL)
		sd_event_source_set_enabled(nh->lookup, SD_EVENT_ONESHOT);
}

bool
nexthop_mac(struct nexthop *nh, const struct in6_addr *dst,
	    uint8_t mac[NEXTHOP_ALEN])
{
	struct nexthop_route *r = nexthop_slot(nh, dst);
	const struct nexthop_neigh *n;

	if (nh->rtnl == NULL)
		return false;
	if (!r->used || memcmp(&r->dst, dst, 16) != 0) {
		memset(r, 0, sizeof(*r));
		r->used = true;
		r->dst = *dst;
	}
	if (r->known && r->uplink && nexthop_find_neigh(nh, &r->gw) == NULL)
		r->known = false; /* its neighbour entry was taken since */
	if (!r->known) {
		nexthop_want_lookup(nh);
		return false;
	}
	if (!r->uplink || !(n = nexthop_find_neigh(nh, &r->gw))->usable)
		return false;
	memcpy(mac, n->mac, NEXTHOP_ALEN);
	return true;
}

static void
nexthop_set_neigh(struct nexthop_neigh *n, const struct rtnl_neigh *k)
{
	n->usable = (k->state & NUD_USABLE) && k->has_lladdr;
	if (n->usable)
		memcpy(n->mac, k->lladdr, NEXTHOP_ALEN);
}

/* The gateway's entry: known already, or asked for now (and kept, even
 * when the kernel has none yet: its events will tell). */
static void
nexthop_lookup_neigh(struct nexthop *nh, const struct in6_addr *gw)
{
	struct nexthop_neigh *n;
	struct rtnl_neigh k;

	if (nexthop_find_neigh(nh, gw) != NULL)
		return;
	n = &nh->neighs[nh->next_neigh++ % NEXTHOP_NEIGHS];
	memset(n, 0, sizeof(*n));
	n->used = true;
	n->addr = *gw;
	if (rtnl_neigh_get(nh->rtnl, nh->ifindex, AF_INET6, gw, &k) == 0)
		nexthop_set_neigh(n, &k);
}

void
nexthop_lookup(struct nexthop *nh)
{
	struct rtnl_route rt;
	unsigned i;

	for (i = 0; i < NEXTHOP_ROUTES; i++) {
		struct nexthop_route *r = &nh->routes[i];

		if (!r->used || r->known)
			continue;
		r->known = true;
		r->uplink = rtnl_route_get(nh->rtnl, AF_INET6, &r->dst,
					   nh->ifindex, &rt) == 0 &&
			    rt.ifindex == nh->ifindex;
		if (!r->uplink)
			continue;
		memcpy(&r->gw, rt.has_gateway ? rt.gateway : r->dst.s6_addr,
		       16);
		nexthop_lookup_neigh(nh, &r->gw);
	}
}

/* After a route change or lost events: look everything up again. */
static void
nexthop_forget(struct nexthop *nh, bool neighbours)
{
	unsigned i;

	for (i = 0; i < NEXTHOP_ROUTES; i++)
		nh->routes[i].known = false;
	if (neighbours)
		memset(nh->neighs, 0, sizeof(nh->neighs));
}

static void
nexthop_on_event(const struct rtnl_event *ev, void *arg)
{
	struct nexthop *nh = arg;
	struct nexthop_neigh *n;

	switch (ev->type) {
	case RTNL_EV_NEIGH_NEW:
	case RTNL_EV_NEIGH_DEL:
		if (ev->neigh.family != AF_INET6 ||
		    ev->neigh.ifindex != nh->ifindex ||
		    (n = nexthop_find_neigh(
			     nh, (const struct in6_addr *)ev->neigh.dst)) ==
			    NULL)
			return;
		if (ev->type == RTNL_EV_NEIGH_DEL)
			n->usable = false;
		else
			nexthop_set_neigh(n, &ev->neigh);
		return;
	case RTNL_EV_ROUTE_NEW:
	case RTNL_EV_ROUTE_DEL:
		if (ev->route.family == AF_INET6)
			nexthop_forget(nh, false);
		return;
	case RTNL_EV_OVERRUN:
		nexthop_forget(nh, true);
		return;
	default:
		return;
	}
}

void
nexthop_read_events(struct nexthop *nh)
{
	rtnl_read_events(nh->rtnl, nexthop_on_event, nh);
}

static int
nexthop_on_readable(sd_event_source *s, int fd, uint32_t revents, void *arg)
{
	(void)s;
	(void)fd;
	(void)revents;
	nexthop_read_events(arg);
	return 0;
}

static int
nexthop_on_lookup(sd_event_source *s, void *arg)
{
	(void)s;
	nexthop_lookup(arg);
	return 0;
}

int
nexthop_init(struct nexthop *nh, sd_event *event, unsigned ifindex)
{
	int r;

	memset(nh, 0, sizeof(*nh));
	nh->ifindex = ifindex;
	if ((nh->rtnl = rtnl_open(RTNL_FOLLOW_NEXTHOP)) == NULL)
		return -errno;
	if ((r = rtnl_set_timeout(nh->rtnl, NEXTHOP_TIMEOUT_MS)) < 0)
		goto fail;
	if (event == NULL)
		return 0;
	r = sd_event_add_io(event, &nh->events, rtnl_event_fd(nh->rtnl),
			    EPOLLIN, nexthop_on_readable, nh);
	if (r >= 0)
		r = sd_event_add_defer(event, &nh->lookup, nexthop_on_lookup,
				       nh);
	if (r < 0)
		goto fail;
	sd_event_source_set_enabled(nh->lookup, SD_EVENT_OFF);
	return 0;
fail:
	nexthop_close(nh);
	return r;
}

void
nexthop_close(struct nexthop *nh)
{
	sd_event_source_disable_unref(nh->events);
	sd_event_source_disable_unref(nh->lookup);
	nh->events = nh->lookup = NULL;
	rtnl_close(nh->rtnl);
	nh->rtnl = NULL;
}
