/* SPDX-License-Identifier: BSD-2-Clause */
/* What a data path's parameters and the configuration make of it. */
#include <arpa/inet.h>
#include <string.h>

#include "dpcfg.h"

/* RFC 7915 §4 / RFC 6145: IPv4 header 20 bytes shorter than IPv6, plus
 * room for a Fragment header. */
#define ROUTE_MTU_OVERHEAD 28
#define TCP_IPV4_HEADERS 40
#define RFC7600_DUMMY4 0xc0000008 /* 192.0.0.8 */

unsigned
dpcfg_route_mtu(const struct dp_params *p)
{
	if (p->cfg->v4_defaultroute_mtu != 0)
		return p->cfg->v4_defaultroute_mtu;
	return p->uplink_mtu > 1280 ? p->uplink_mtu - ROUTE_MTU_OVERHEAD
				    : 1280 - ROUTE_MTU_OVERHEAD;
}

unsigned
dpcfg_advmss(const struct dp_params *p)
{
	if (p->cfg->v4_defaultroute_advmss != 0)
		return p->cfg->v4_defaultroute_advmss;
	return dpcfg_route_mtu(p) - TCP_IPV4_HEADERS;
}

static void
dpcfg_router_eam(const struct config_router *r, struct xlat_cfg *x)
{
	struct xlat_eam e;

	for (unsigned i = 0; i < r->lan_count; i++)
		if (!r->lan[i].is_ifname &&
		    config_router_eam(&r->v6_prefix, &r->lan[i].prefix, &e))
			xlat_eam_add(x, &e.p6, &e.p4);
}

/* The translator: the CLAT mapping is one EAM entry, everything else
 * goes through the PLAT prefix (RFC 6877 §6.3). */
void
dpcfg_xlat(const struct dp_params *p, struct xlat_cfg *x)
{
	struct xlat_prefix6 p6 = {p->v6, 128};
	struct xlat_prefix4 p4 = {p->v4, 32};
	uint32_t dummy = htonl(RFC7600_DUMMY4);

	*x = p->cfg->xlat.xlat;
	x->has_pool6 = true;
	x->pool6 = p->prefix;
	x->eam_count = 0;
	xlat_eam_add(x, &p6, &p4);
	/* then the configured EAM entries, after the CLAT's own */
	for (unsigned i = 0; i < p->cfg->xlat.xlat.eam_count; i++)
		xlat_eam_add(x, &p->cfg->xlat.xlat.eam[i].p6,
			     &p->cfg->xlat.xlat.eam[i].p4);
	/* router-mode=stateless: each LAN address its own IPv6 address
	 * (RFC 7757), in the core and, through it, the fast path's maps */
	if (p->cfg->router.mode == ROUTER_MODE_STATELESS)
		dpcfg_router_eam(&p->cfg->router, x);
	if (!x->has_own4) {
		x->has_own4 = true;
		memcpy(&x->own4, &dummy, 4);
	}
	if (!x->has_own6) {
		x->has_own6 = true;
		x->own6 = p->v6;
	}
	/* RFC 7915 §4.1 and §5.1 decrement as a router does; a router's
	 * kernel already did for what it forwards into the device, and
	 * once is what traceroute from the LAN expects */
	if (p->router)
		x->decrement_ttl = false;
	x->mtu_v6 = (uint16_t)(p->uplink_mtu < 1280 ? 1280 : p->uplink_mtu);
	x->mtu_v4 = 65535; /* into the host stack: no IPv4 link to fit */
	x->portswap = p->portswap;
	x->portswap_addr = p->v6;
}
