/* SPDX-License-Identifier: BSD-2-Clause */
/* What an instance needs to know about the host, read by netlink dumps. */
#ifndef XLATD_SYSSTATE_H
#define XLATD_SYSSTATE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/rtnl.h"
#include "delegated.h"
#include "xlatd/xlat_portswap.h"

#define SYSSTATE_PREFIX_MAX 16
#define SYSSTATE_ADDR_MAX 64

struct uplink_state {
	bool present, up;
	bool forwarding; /* net.ipv6.conf.IF.forwarding: a router */
	/* IFF_NOARP (PPP, WireGuard, raw-IP modems) or loopback: the link
	 * has no Neighbor Discovery, so no DAD and no NS to answer; the
	 * peer routes what is for the link's prefixes over it */
	bool no_nd;
	bool managed; /* its last RA had the M flag: DHCPv6 addresses */
	unsigned mtu;
	char name[IF_NAMESIZE];
	/* RFC 4862 SLAAC-style /64s on the link, usable for a CLAT address */
	unsigned prefix_count;
	struct in6_addr prefixes[SYSSTATE_PREFIX_MAX];
	/* every IPv6 address on the link: the CLAT address must differ */
	unsigned addr_count;
	struct in6_addr addrs[SYSSTATE_ADDR_MAX];
	/* the host's own address, for clat-v6-addr=shared: the first
	 * preferred global one that is not temporary (RFC 8981) */
	bool has_own;
	struct in6_addr own;
};

int sysstate_uplink(struct rtnl *rtnl, unsigned ifindex,
		    struct uplink_state *out);

/* An IPv4 default route in the main table that is not xlatd's own. */
bool sysstate_native_ipv4(struct rtnl *rtnl);

/* Whether the host forwards IPv4 (net.ipv4.ip_forward); false if
 * unreadable. */
bool sysstate_ipv4_forwarding(void);

/* The first address of 192.0.0.1 - 192.0.0.7 (RFC 7335) that no
 * interface has and that is not claimed (claimed[last octet] != 0);
 * false if all are taken. */
bool sysstate_free_clat_v4(struct rtnl *rtnl, const uint8_t claimed[8],
			   struct in_addr *out);

/* A link with an IPv6 default route in the main table, and the best
 * RFC 4191 preference among them: -1 high, 0 medium, 1 low. */
struct sysstate_v6_uplink {
	unsigned ifindex;
	int pref;
};
/* Fills at most max; returns how many, or -errno. */
int sysstate_v6_uplinks(struct rtnl *rtnl, struct sysstate_v6_uplink *out,
			unsigned max);

/* The prefix delegated to the host and its /64 for the CLAT
 * (delegated.h), from the IPv6 routes and addresses; configured is
 * clat-v6-prefix, or NULL. False when there is none, or the dumps
 * failed. */
bool sysstate_delegated(struct rtnl *rtnl,
			const struct xlat_prefix6 *configured,
			struct delegated *out);

/* The port swap of shared mode for the kernel's ephemeral ports
 * (net.ipv4.ip_local_port_range, which IPv6 sockets use as well); size 0
 * when the range is unreadable or leaves no room for it. */
void sysstate_portswap(struct xlat_portswap *out);

/* Whether any interface has this IPv6 address. */
bool sysstate_has_ipv6(struct rtnl *rtnl, const struct in6_addr *addr);

#endif
