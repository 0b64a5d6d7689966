/* SPDX-License-Identifier: BSD-2-Clause */
/* A delegated prefix and its /64 for the CLAT (RFC 9663). */
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

#include "delegated.h"

#define SUBNET_LEN 64

/* RFC 4291 §2.4: global unicast 2000::/3; RFC 4193: ULA fc00::/7. */
static bool
delegated_usable(const uint8_t *a)
{
	return (a[0] & 0xe0) == 0x20 || (a[0] & 0xfe) == 0xfc;
}

static bool
delegated_is_route(const struct rtnl_route *r)
{
	return r->family == AF_INET6 && r->table == RT_TABLE_MAIN &&
	       r->protocol == RTPROT_DHCP &&
	       (r->type == RTN_UNREACHABLE || r->type == RTN_BLACKHOLE ||
		r->type == RTN_PROHIBIT) &&
	       r->dst_len >= DELEGATED_LEN_MIN &&
	       r->dst_len <= DELEGATED_LEN_MAX && delegated_usable(r->dst);
}

/* a within p (the first len bits agree). */
static bool
delegated_within(const uint8_t *a, const struct xlat_prefix6 *p)
{
	unsigned full = p->len / 8, rest = p->len % 8;

	if (memcmp(a, p->addr.s6_addr, full) != 0)
		return false;
	return rest == 0 ||
	       ((a[full] ^ p->addr.s6_addr[full]) & (0xff00 >> rest)) == 0;
}

/* The /64 number n (the bits after the prefix) of p, into out. */
static void
delegated_subnet(const struct xlat_prefix6 *p, uint64_t n, struct in6_addr *out)
{
	uint64_t hi = 0;
	unsigned i;

	for (i = 0; i < 8; i++)
		hi = hi << 8 | p->addr.s6_addr[i];
	hi |= n;
	memset(out, 0, sizeof(*out));
	for (i = 0; i < 8; i++)
		out->s6_addr[i] = (uint8_t)(hi >> (56 - 8 * i));
}

/* The link that uses the /64 s of the delegation d: an address in it, or
 * a route of the host for it, inside it or around it (a downstream /60),
 * but not the delegation's own, nor xlatd's (the CLAT address's /128
 * into its device); 0 when none does. */
static unsigned
delegated_user(const struct in6_addr *s, const struct delegated *d,
	       const struct rtnl_route *routes, size_t n_routes,
	       const struct rtnl_addr *addrs, size_t n_addrs)
{
	struct xlat_prefix6 s64 = {*s, SUBNET_LEN}, r;
	size_t i;

	for (i = 0; i < n_addrs; i++)
		if (addrs[i].family == AF_INET6 &&
		    delegated_within(addrs[i].addr, &s64))
			return addrs[i].ifindex ? addrs[i].ifindex : 1;
	for (i = 0; i < n_routes; i++) {
		if (routes[i].family != AF_INET6 ||
		    routes[i].type != RTN_UNICAST ||
		    routes[i].protocol == RTPROT_XLATD ||
		    routes[i].dst_len <= d->prefix.len)
			continue;
		memcpy(&r.addr, routes[i].dst, sizeof(r.addr));
		r.len = (uint8_t)routes[i].dst_len;
		if (delegated_within(routes[i].dst, &s64) ||
		    delegated_within(s->s6_addr, &r))
			return routes[i].ifindex ? routes[i].ifindex : 1;
	}
	return 0;
}

/* The highest free /64; failing that, the highest one, with its user.
 * At most this many /64s are looked at: a /32 has 2^32 of them, and
 * the few that a host uses are never all of the top ones. */
#define DELEGATED_TRIES 4096

static void
delegated_pick(struct delegated *d, const struct rtnl_route *routes,
	       size_t n_routes, const struct rtnl_addr *addrs, size_t n_addrs)
{
	uint64_t count = 1ULL << (SUBNET_LEN - d->prefix.len), n, tries;
	struct in6_addr s;
	unsigned user;

	for (n = count - 1, tries = 0; tries < DELEGATED_TRIES; n--, tries++) {
		delegated_subnet(&d->prefix, n, &s);
		user = delegated_user(&s, d, routes, n_routes, addrs, n_addrs);
		if (user == 0 || tries == 0) {
			d->subnet = s;
			d->link = user;
		}
		if (user == 0 || n == 0)
			return;
	}
}

static bool
delegated_better(const struct rtnl_route *r, const struct rtnl_route *best)
{
	if (best == NULL || r->metric != best->metric)
		return best == NULL || r->metric < best->metric;
	return memcmp(r->dst, best->dst, sizeof(r->dst)) < 0;
}

/* The host's addresses in d's /64, for the CLAT's to differ from. */
static void
delegated_avoid(struct delegated *d, const struct rtnl_addr *addrs,
		size_t n_addrs)
{
	struct xlat_prefix6 s64 = {d->subnet, SUBNET_LEN};
	size_t i;

	for (i = 0; i < n_addrs && d->n_avoid < DELEGATED_AVOID_MAX; i++)
		if (addrs[i].family == AF_INET6 &&
		    delegated_within(addrs[i].addr, &s64))
			memcpy(&d->avoid[d->n_avoid++], addrs[i].addr,
			       sizeof(d->avoid[0]));
}

bool
delegated_find(const struct rtnl_route *routes, size_t n_routes,
	       const struct rtnl_addr *addrs, size_t n_addrs,
	       const struct xlat_prefix6 *configured, struct delegated *out)
{
	const struct rtnl_route *best = NULL;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (configured != NULL) {
		out->prefix = *configured;
		out->configured = true;
	} else {
		for (i = 0; i < n_routes; i++)
			if (delegated_is_route(&routes[i]) &&
			    delegated_better(&routes[i], best))
				best = &routes[i];
		if (best == NULL)
			return false;
		memcpy(&out->prefix.addr, best->dst, sizeof(out->prefix.addr));
		out->prefix.len = (uint8_t)best->dst_len;
	}
	delegated_pick(out, routes, n_routes, addrs, n_addrs);
	delegated_avoid(out, addrs, n_addrs);
	return true;
}

void
delegated_clat_addr(const struct delegated *d,
		    const uint8_t secret[CLAT_SECRET_LEN], const char *ifname,
		    unsigned dad_counter, const struct in_addr *clat_v4,
		    const struct xlat_prefix6 *plat, struct in6_addr *out)
{
	clat_addr_make(secret, &d->subnet, ifname, dad_counter, clat_v4, plat,
		       d->avoid, d->n_avoid, out);
}
