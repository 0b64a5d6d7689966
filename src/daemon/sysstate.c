/* SPDX-License-Identifier: BSD-2-Clause */
/* Host state from netlink dumps: links, addresses, default routes. */
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysstate.h"

struct uplink_walk {
	struct sysstate_v6_uplink *v;
	unsigned n, max;
};

/* RFC 4191 §2.1 preference as a rank: high -1, medium 0, low 1. */
static int
pref_rank(unsigned pref)
{
	switch (pref) {
	case 1: /* ICMPV6_ROUTER_PREF_HIGH */
		return -1;
	case 3: /* ICMPV6_ROUTER_PREF_LOW */
		return 1;
	default:
		return 0;
	}
}

static int
collect_default6(const struct rtnl_route *r, void *arg)
{
	struct uplink_walk *w = arg;
	unsigned i;

	if (r->family != AF_INET6 || r->dst_len != 0 ||
	    (r->table != 0 && r->table != RT_TABLE_MAIN) || r->ifindex == 0)
		return 0;
	for (i = 0; i < w->n; i++) {
		if (w->v[i].ifindex != r->ifindex)
			continue;
		if (pref_rank(r->pref) < w->v[i].pref)
			w->v[i].pref = pref_rank(r->pref);
		return 0;
	}
	if (w->n < w->max) {
		w->v[w->n].ifindex = r->ifindex;
		w->v[w->n].pref = pref_rank(r->pref);
		w->n++;
	}
	return 0;
}

int
sysstate_v6_uplinks(struct rtnl *rtnl, struct sysstate_v6_uplink *out,
		    unsigned max)
{
	struct uplink_walk w = {out, 0, max};
	int r;

	if ((r = rtnl_dump_routes(rtnl, AF_INET6, collect_default6, &w)) < 0)
		return r;
	return (int)w.n;
}

struct addr_walk {
	unsigned ifindex;
	struct uplink_state *u;
};

static int
find_link(const struct rtnl_link *l, void *arg)
{
	struct addr_walk *w = arg;
	struct uplink_state *u = w->u;

	if (l->ifindex != w->ifindex)
		return 0;
	u->present = true;
	u->up = l->up;
	u->managed = l->ra_managed;
	u->mtu = l->mtu;
	u->no_nd = (l->flags & (IFF_NOARP | IFF_LOOPBACK)) != 0;
	memcpy(u->name, l->name, sizeof(u->name));
	return 1;
}

static bool
is_global6(const uint8_t *a)
{
	/* not link-local fe80::/10, not multicast, not loopback/unspecified */
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return false;
	if (a[0] == 0xff)
		return false;
	return memcmp(a, &in6addr_any, 15) != 0;
}

static void
add_prefix(struct uplink_state *u, const uint8_t *addr)
{
	struct in6_addr p = {0};
	unsigned i;

	memcpy(&p, addr, 8);
	for (i = 0; i < u->prefix_count; i++)
		if (memcmp(&u->prefixes[i], &p, 16) == 0)
			return;
	if (u->prefix_count < SYSSTATE_PREFIX_MAX)
		u->prefixes[u->prefix_count++] = p;
}

static int
collect_addr(const struct rtnl_addr *a, void *arg)
{
	struct addr_walk *w = arg;
	struct uplink_state *u = w->u;

	if (a->family != AF_INET6 || a->ifindex != w->ifindex)
		return 0;
	if (u->addr_count < SYSSTATE_ADDR_MAX)
		memcpy(&u->addrs[u->addr_count++], a->addr, 16);
	/* draft-ietf-v6ops-claton: the CLAT address comes from a /64 the
	 * host configured by SLAAC (RFC 4862); not from a tentative, failed
	 * or deprecated one. */
	if (a->prefixlen == 64 && is_global6(a->addr) &&
	    !(a->flags &
	      (IFA_F_TENTATIVE | IFA_F_DADFAILED | IFA_F_DEPRECATED)) &&
	    a->preferred_lft != 0)
		add_prefix(u, a->addr);
	if (!u->has_own && is_global6(a->addr) && a->preferred_lft != 0 &&
	    !(a->flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED | IFA_F_DEPRECATED |
			  IFA_F_TEMPORARY))) {
		u->has_own = true;
		memcpy(&u->own, a->addr, 16);
	}
	return 0;
}

/* net.ipv6.conf.IF.NAME, or def if unreadable. */
static unsigned
ipv6_conf(const char *ifname, const char *name, unsigned def)
{
	char path[64 + IF_NAMESIZE];
	unsigned v;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/%s", ifname,
		 name);
	if ((f = fopen(path, "re")) == NULL)
		return def;
	if (fscanf(f, "%u", &v) != 1)
		v = def;
	fclose(f);
	return v;
}

bool
sysstate_ipv4_forwarding(void)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ip_forward", "re");
	unsigned v = 0;

	if (f == NULL)
		return false;
	if (fscanf(f, "%u", &v) != 1)
		v = 0;
	fclose(f);
	return v != 0;
}

/* The link's IPv6 MTU, which an RA's MTU option sets below the link MTU
 * (RFC 4861 §6.3.4): net.ipv6.conf.IF.mtu, or link_mtu if unreadable. */
static unsigned
ipv6_mtu(const char *ifname, unsigned link_mtu)
{
	unsigned mtu = ipv6_conf(ifname, "mtu", link_mtu);

	return mtu == 0 || mtu > link_mtu ? link_mtu : mtu;
}

void
sysstate_portswap(struct xlat_portswap *out)
{
	unsigned lo, hi;
	FILE *f;
	int n;

	out->size = 0;
	if ((f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "re")) == NULL)
		return;
	n = fscanf(f, "%u %u", &lo, &hi);
	fclose(f);
	if (n != 2 || xlat_portswap_init(out, lo, hi) < 0)
		out->size = 0;
}

int
sysstate_uplink(struct rtnl *rtnl, unsigned ifindex, struct uplink_state *out)
{
	struct addr_walk w = {ifindex, out};
	int r;

	memset(out, 0, sizeof(*out));
	r = rtnl_dump_links(rtnl, find_link, &w);
	if (r < 0 || !out->present)
		return r;
	out->mtu = ipv6_mtu(out->name, out->mtu);
	out->forwarding = ipv6_conf(out->name, "forwarding", 0) != 0;
	return rtnl_dump_addrs(rtnl, AF_INET6, collect_addr, &w);
}

static int
find_native4(const struct rtnl_route *r, void *arg)
{
	bool *found = arg;

	if (r->family == AF_INET && r->dst_len == 0 &&
	    (r->table == 0 || r->table == RT_TABLE_MAIN) &&
	    r->protocol != RTPROT_XLATD) {
		*found = true;
		return 1;
	}
	return 0;
}

bool
sysstate_native_ipv4(struct rtnl *rtnl)
{
	bool found = false;

	rtnl_dump_routes(rtnl, AF_INET, find_native4, &found);
	return found;
}

static int
mark_used4(const struct rtnl_addr *a, void *arg)
{
	uint8_t *used = arg;

	if (a->family == AF_INET && a->addr[0] == 192 && a->addr[1] == 0 &&
	    a->addr[2] == 0 && a->addr[3] < 8)
		used[a->addr[3]] = 1;
	return 0;
}

bool
sysstate_free_clat_v4(struct rtnl *rtnl, const uint8_t claimed[8],
		      struct in_addr *out)
{
	uint8_t used[8] = {0}, *b = (uint8_t *)out;
	unsigned i;

	if (rtnl_dump_addrs(rtnl, AF_INET, mark_used4, used) < 0)
		return false;
	/* RFC 7335 §4: 192.0.0.0/29; .0 is left alone */
	for (i = 1; i < 8; i++) {
		if (used[i] || claimed[i])
			continue;
		b[0] = 192;
		b[1] = 0;
		b[2] = 0;
		b[3] = (uint8_t)i;
		return true;
	}
	return false;
}

struct has6 {
	const struct in6_addr *addr;
	bool found;
};

static int
match6(const struct rtnl_addr *a, void *arg)
{
	struct has6 *h = arg;

	if (a->family == AF_INET6 && memcmp(a->addr, h->addr, 16) == 0) {
		h->found = true;
		return 1;
	}
	return 0;
}

bool
sysstate_has_ipv6(struct rtnl *rtnl, const struct in6_addr *addr)
{
	struct has6 h = {addr, false};

	rtnl_dump_addrs(rtnl, AF_INET6, match6, &h);
	return h.found;
}

/* Routes and addresses, copied for delegated_find(): the routes that
 * can be delegations (unreachable, blackhole, prohibit), then those
 * inside the prefix found (within: set), which are all it looks at, so
 * that a router's full table is not copied; at most this many of each. */
#define DELEG_ROUTES_MAX 4096
#define DELEG_ADDRS_MAX 1024

struct deleg_walk {
	const struct xlat_prefix6 *within; /* NULL: the candidates */
	struct rtnl_route *routes;
	struct rtnl_addr *addrs;
	size_t n_routes, n_addrs;
};

static bool
deleg_candidate(const struct rtnl_route *r)
{
	return r->type == RTN_UNREACHABLE || r->type == RTN_BLACKHOLE ||
	       r->type == RTN_PROHIBIT;
}

static int
copy_route6(const struct rtnl_route *r, void *arg)
{
	struct deleg_walk *w = arg;
	const struct xlat_prefix6 *p = w->within;
	bool keep = deleg_candidate(r);

	/* inside p, to the byte: delegated_find() checks the bits */
	if (p != NULL && r->dst_len > p->len)
		keep = keep || memcmp(r->dst, &p->addr, p->len / 8) == 0;
	if (keep && w->n_routes < DELEG_ROUTES_MAX)
		w->routes[w->n_routes++] = *r;
	return 0;
}

static int
copy_addr6(const struct rtnl_addr *a, void *arg)
{
	struct deleg_walk *w = arg;

	if (w->n_addrs < DELEG_ADDRS_MAX)
		w->addrs[w->n_addrs++] = *a;
	return 0;
}

/* The prefix: configured, or the best delegation among the candidates. */
static bool
deleg_prefix(struct rtnl *rtnl, struct deleg_walk *w,
	     const struct xlat_prefix6 *configured, struct xlat_prefix6 *out)
{
	struct delegated d;

	if (configured != NULL) {
		*out = *configured;
		return true;
	}
	if (rtnl_dump_routes(rtnl, AF_INET6, copy_route6, w) < 0 ||
	    !delegated_find(w->routes, w->n_routes, NULL, 0, NULL, &d))
		return false;
	*out = d.prefix;
	w->n_routes = 0;
	return true;
}

bool
sysstate_delegated(struct rtnl *rtnl, const struct xlat_prefix6 *configured,
		   struct delegated *out)
{
	struct deleg_walk w = {0};
	struct xlat_prefix6 prefix;
	bool found = false;

	w.routes = calloc(DELEG_ROUTES_MAX, sizeof(*w.routes));
	w.addrs = calloc(DELEG_ADDRS_MAX, sizeof(*w.addrs));
	if (w.routes != NULL && w.addrs != NULL &&
	    deleg_prefix(rtnl, &w, configured, &prefix)) {
		w.within = &prefix;
		if (rtnl_dump_routes(rtnl, AF_INET6, copy_route6, &w) >= 0 &&
		    rtnl_dump_addrs(rtnl, AF_INET6, copy_addr6, &w) >= 0)
			found = delegated_find(w.routes, w.n_routes, w.addrs,
					       w.n_addrs, configured, out);
	}
	free(w.routes);
	free(w.addrs);
	return found;
}
