/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Router mode's plan (docs/router.md): from the router keys, the IPv4
 * prefixes of the LAN interfaces and the running CLAT, the policy rules
 * that send the LANs into router-table and the nftables table that
 * SNATs them (or, stateless, only clamps MSS) and drops what a LAN sends
 * from a source it does not own. Pure: router.c carries it out.
 */
#ifndef XLATD_ROUTER_PLAN_H
#define XLATD_ROUTER_PLAN_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>

#include "common/rtnl.h"
#include "config_router.h"
#include "dp/nat44.h"

/* The rules come before the main table's (32766) and the instances'
 * source rules (32000 + x): for each served prefix, first the main
 * table without its default routes (the LANs reach each other and the
 * host's other networks directly), then router-table. */
#define ROUTER_RULE_PRIO 31000u
#define ROUTER_RULES_MAX (2 * NAT44_SRC_MAX)

/* An IPv4 address of an interface, as a dump gives it. */
struct router_ifaddr {
	char ifname[IF_NAMESIZE];
	struct in_addr addr;
	unsigned len;
};

/* The CLAT the LANs go through while it runs. */
struct router_clat {
	char dev[IF_NAMESIZE];
	struct in_addr v4;
	struct in6_addr v6;
	unsigned route_mtu;
};

struct router_plan {
	unsigned rule_count;
	struct rtnl_rule rule[ROUTER_RULES_MAX];
	struct nat44_cfg nat;
	unsigned dropped; /* served prefixes past NAT44_SRC_MAX */
};

/* The plan for r, with the hosts' IPv4 addresses, for clat. Each
 * interface item serves the prefixes of its addresses (host bits
 * cleared, each once) on that interface only; a prefix item is served on
 * the interfaces with an address in it, or, when there is none (a LAN
 * behind another router), from any interface. With router-table main,
 * the first rule of each pair is left out. */
void router_plan_make(const struct config_router *r,
		      const struct router_ifaddr *addrs, unsigned naddrs,
		      const struct router_clat *clat, struct router_plan *out);

/* Whether rule a is b, as far as the plan sets them. */
bool router_plan_same_rule(const struct rtnl_rule *a,
			   const struct rtnl_rule *b);

#endif
