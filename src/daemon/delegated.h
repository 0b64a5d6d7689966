/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A prefix delegated to this host (DHCPv6 prefix delegation, RFC 8415
 * §6.3; one per client, RFC 9663), and the /64 of it that the CLAT takes
 * its address from. No ND proxying is needed: the prefix is routed to
 * the host. Pure: it reads the routing table and the addresses as
 * rtnl.h's dumps give them.
 *
 * How DHCP clients leave a delegated prefix in the routing table:
 * - dhcpcd (9.4.1, measured): an unreachable route for the whole prefix
 *   through lo, protocol dhcp, metric 1001; with `ia_pd N IF/SLA/64`,
 *   also an address ::1/64 and a route for each downstream /64, protocol
 *   dhcp. With `ia_pd N` and no downstream interface, the unreachable
 *   route alone.
 * - systemd-networkd (systemd.network(5), [DHCPPrefixDelegation]): an
 *   unreachable route for the delegated prefix, protocol dhcp, and the
 *   subnets it assigns to links with DHCPPrefixDelegation=yes.
 * - OpenBSD's dhcp6leased: reject routes, the same idea.
 * - NetworkManager and wide-dhcpv6: addresses on the downstream links
 *   (shared connections; prefix-interface with sla-id) and no route for
 *   the prefix as a whole; such a prefix is found only when named with
 *   clat-v6-prefix.
 * So: an unreachable, blackhole or prohibit route in the main table,
 * protocol dhcp, for a global unicast or ULA prefix of length 32 to 64
 * is a delegated prefix. Other such routes (an administrator's) are not
 * taken; clat-v6-prefix names a prefix whatever its route.
 *
 * The /64: the highest-numbered one of the prefix that no address and no
 * route of the host uses (downstream subnets are numbered from the low
 * end: dhcpcd's sla_id, networkd's SubnetId=), so that nothing else on
 * the host or a downstream link can hold the CLAT address. With no free
 * /64 (a /64 delegated and assigned to a link), the one in use is taken,
 * and the link is named so that its DAD is done there.
 */
#ifndef XLATD_DELEGATED_H
#define XLATD_DELEGATED_H

#include <stdbool.h>
#include <stddef.h>

#include "clat_addr.h"
#include "common/rtnl.h"
#include "xlatd/xlat.h"

#define DELEGATED_LEN_MIN 32
#define DELEGATED_LEN_MAX 64
#define DELEGATED_AVOID_MAX 64 /* addresses in the /64 kept clear of */

struct delegated {
	struct xlat_prefix6 prefix; /* as delegated (or configured) */
	struct in6_addr subnet;	    /* the /64 for the CLAT */
	unsigned link;		    /* ifindex using subnet, 0 if free */
	bool configured;	    /* from clat-v6-prefix */
	/* the host's addresses in subnet, which the CLAT's must differ
	 * from */
	unsigned n_avoid;
	struct in6_addr avoid[DELEGATED_AVOID_MAX];
};

/* The delegated prefix and its /64 for the CLAT, from routes and addrs
 * (any family; others are skipped). configured: clat-v6-prefix, or NULL
 * to look in the routing table. With several delegated prefixes, the one
 * of the lowest metric, then the lowest address, is taken. False when
 * there is none. */
bool delegated_find(const struct rtnl_route *routes, size_t n_routes,
		    const struct rtnl_addr *addrs, size_t n_addrs,
		    const struct xlat_prefix6 *configured,
		    struct delegated *out);

/* The CLAT address in d's /64: clat_addr_make() (stable, checksum-
 * neutral, RFC 7217 style) with the interface identifiers of the host's
 * addresses in that /64 (d->avoid) avoided. ifname is the uplink's. */
void delegated_clat_addr(const struct delegated *d,
			 const uint8_t secret[CLAT_SECRET_LEN],
			 const char *ifname, unsigned dad_counter,
			 const struct in_addr *clat_v4,
			 const struct xlat_prefix6 *plat, struct in6_addr *out);

#endif
