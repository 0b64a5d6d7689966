/* SPDX-License-Identifier: BSD-2-Clause */
/* What a data path is set up with, and what follows from it: the MTU and
 * advmss of the IPv4 default route and the translator's configuration.
 * Both processes use it: the parent for the routes and the eBPF maps,
 * the engine for its slow path. Pure. */
#ifndef XLATD_DPCFG_H
#define XLATD_DPCFG_H

#include <netinet/in.h>
#include <stdbool.h>

#include "config.h"

struct dp_params {
	const struct config *cfg;
	const char *clat_dev;
	unsigned metric; /* of the IPv4 default route */
	bool policy;	 /* a source rule for replies from v4 */
	bool v6_route;	 /* a route of v6/128 into the device, no anycast */
	bool router;	 /* the host forwards: no TTL decrement of ours */
	unsigned uplink;
	unsigned uplink_mtu;
	struct xlat_prefix6 prefix;
	struct in_addr v4;
	struct in6_addr v6;
	/* v6 joined as anycast, so the kernel answers NS for it; not while
	 * it is optimistic (dad.h) */
	bool anycast;
	/* native IPv4 came: no default route in the main table, only the
	 * source rule for v4, so that flows from v4 keep going and new
	 * ones take the native route */
	bool grace;
	/* v6 is the host's own address (shared mode): the ports the
	 * translator swaps; size 0: not shared */
	struct xlat_portswap portswap;
};

/* The MTU of the TUN device and its routes: v4-defaultroute-mtu, or the
 * uplink's less 28, at least 1252. */
unsigned dpcfg_route_mtu(const struct dp_params *p);
/* v4-defaultroute-advmss, or the route MTU less 40. */
unsigned dpcfg_advmss(const struct dp_params *p);
/* The translator: the CLAT mapping is the first EAM entry, everything
 * else goes through the PLAT prefix. */
void dpcfg_xlat(const struct dp_params *p, struct xlat_cfg *x);

#endif
