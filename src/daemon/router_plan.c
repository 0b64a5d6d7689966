/* SPDX-License-Identifier: BSD-2-Clause */
/* Router mode's rules and nftables table, from the keys (router_plan.h). */
#include <arpa/inet.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>

#include "router_plan.h"

/* RFC 9293 §3.7.1: the MSS leaves room for the IPv4 and TCP headers. */
#define TCP_IPV4_HEADERS 40

static struct in_addr
prefix_of(struct in_addr a, unsigned len)
{
	uint32_t m = len == 0 ? 0 : 0xffffffffu << (32 - len);

	a.s_addr = htonl(ntohl(a.s_addr) & m);
	return a;
}

/* from p [iif ifname] lookup table [suppress_prefixlength 0] */
static void
add_rule(struct router_plan *out, const char *ifname, struct xlat_prefix4 p,
	 uint32_t table, bool suppress_default)
{
	struct rtnl_rule *rule = &out->rule[out->rule_count++];

	rule->src = p.addr;
	rule->src_len = p.len;
	snprintf(rule->iif, sizeof(rule->iif), "%s", ifname);
	rule->suppress_default = suppress_default;
	rule->table = table;
	rule->priority = ROUTER_RULE_PRIO + !suppress_default;
}

/* One served prefix (on ifname, "" for any): its rules and an allowed
 * source, unless it is there already or there is no more room. */
static void
serve(struct router_plan *out, uint32_t table, const char *ifname,
      struct xlat_prefix4 p)
{
	struct nat44_cfg *n = &out->nat;
	unsigned i;

	for (i = 0; i < n->src_count; i++)
		if (n->src[i].prefix.len == p.len &&
		    n->src[i].prefix.addr.s_addr == p.addr.s_addr &&
		    strcmp(n->src[i].ifname, ifname) == 0)
			return;
	if (n->src_count == NAT44_SRC_MAX) {
		out->dropped++;
		return;
	}
	snprintf(n->src[n->src_count].ifname, IF_NAMESIZE, "%s", ifname);
	n->src[n->src_count++].prefix = p;
	if (table != RT_TABLE_MAIN)
		add_rule(out, ifname, p, RT_TABLE_MAIN, true);
	add_rule(out, ifname, p, table, false);
}

/* A prefix item: on the interfaces that have an address in it (its
 * LAN's), or from any interface when none has. */
static void
serve_prefix(struct router_plan *out, uint32_t table,
	     const struct router_ifaddr *addrs, unsigned naddrs,
	     const struct xlat_prefix4 *p)
{
	bool found = false;
	unsigned j;

	for (j = 0; j < naddrs; j++) {
		if (prefix_of(addrs[j].addr, p->len).s_addr != p->addr.s_addr)
			continue;
		serve(out, table, addrs[j].ifname, *p);
		found = true;
	}
	if (!found)
		serve(out, table, "", *p);
}

void
router_plan_make(const struct config_router *r,
		 const struct router_ifaddr *addrs, unsigned naddrs,
		 const struct router_clat *clat, struct router_plan *out)
{
	struct nat44_cfg *n = &out->nat;
	unsigned i, j;

	memset(out, 0, sizeof(*out));
	snprintf(n->clat_dev, sizeof(n->clat_dev), "%s", clat->dev);
	n->clat_v4 = clat->v4;
	n->snat = r->mode == ROUTER_MODE_NAT44;
	n->check_src = true;
	if (clat->route_mtu > TCP_IPV4_HEADERS)
		n->clamp_mss = (uint16_t)(clat->route_mtu - TCP_IPV4_HEADERS);
	for (i = 0; i < r->lan_count; i++) {
		const struct router_lan *lan = &r->lan[i];

		if (!lan->is_ifname) {
			if (n->prefix_count < NAT44_LAN_MAX)
				n->prefix[n->prefix_count++] = lan->prefix;
			serve_prefix(out, r->table, addrs, naddrs,
				     &lan->prefix);
			continue;
		}
		if (n->ifname_count < NAT44_LAN_MAX)
			snprintf(n->ifname[n->ifname_count++], IF_NAMESIZE,
				 "%s", lan->ifname);
		for (j = 0; j < naddrs; j++) {
			struct xlat_prefix4 p;

			if (strcmp(addrs[j].ifname, lan->ifname) != 0 ||
			    addrs[j].len > 32)
				continue;
			p.addr = prefix_of(addrs[j].addr, addrs[j].len);
			p.len = (uint8_t)addrs[j].len;
			serve(out, r->table, lan->ifname, p);
		}
	}
}

bool
router_plan_same_rule(const struct rtnl_rule *a, const struct rtnl_rule *b)
{
	return a->src.s_addr == b->src.s_addr && a->src_len == b->src_len &&
	       strcmp(a->iif, b->iif) == 0 &&
	       a->suppress_default == b->suppress_default &&
	       a->table == b->table && a->priority == b->priority;
}
