/* SPDX-License-Identifier: BSD-2-Clause */
/* Router mode's rules, routes and nftables table (router.h). */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "dp/tun.h"
#include "router.h"
#include "sysstate.h"

#define ROUTER_ADDRS_MAX 64

struct router {
	sd_event *event;
	struct rtnl *rtnl;
	const struct config *cfg;
	struct rtnl *events; /* IPv4 address events */
	sd_event_source *events_src;
	struct nat44 *nat;
	bool nat_set;	  /* the table is as applied.nat says */
	bool nat_refused; /* EEXIST logged */
	bool running;
	bool forwarding;
	unsigned ifindex;
	struct router_clat clat;
	struct router_plan applied; /* the rules on the system */
	uint32_t table;		    /* where the default route is */
	bool has_default;	    /* unreachable, or into the device */
	bool has_v6;		    /* v6 routed into the device in table */
	struct in6_addr v6;
	uint32_t v6_table;
	bool warned_forwarding;
	router_lans_cb lans_cb;
	void *lans_arg;
};

struct addr_walk {
	struct router_ifaddr a[ROUTER_ADDRS_MAX];
	unsigned n;
};

static int
collect_addr(const struct rtnl_addr *addr, void *arg)
{
	struct addr_walk *w = arg;
	struct router_ifaddr *a;

	if (addr->family != AF_INET || w->n == ROUTER_ADDRS_MAX)
		return 0;
	a = &w->a[w->n];
	if (if_indextoname(addr->ifindex, a->ifname) == NULL)
		return 0;
	memcpy(&a->addr, addr->addr, 4);
	a->len = addr->prefixlen;
	w->n++;
	return 0;
}

static void
on_event(const struct rtnl_event *ev, void *arg)
{
	bool *changed = arg;

	if (ev->type == RTNL_EV_OVERRUN ||
	    ((ev->type == RTNL_EV_ADDR_NEW || ev->type == RTNL_EV_ADDR_DEL) &&
	     ev->addr.family == AF_INET))
		*changed = true;
}

static int
on_readable(sd_event_source *s, int fd, uint32_t revents, void *arg)
{
	struct router *r = arg;
	bool changed = false;

	(void)s;
	(void)fd;
	(void)revents;
	rtnl_read_events(r->events, on_event, &changed);
	if (changed)
		router_sync(r);
	return 0;
}

/* The LANs follow the interfaces' addresses (router_plan_make): an event
 * socket, from the first sync in router mode on. */
static void
follow_addresses(struct router *r)
{
	if (r->events != NULL)
		return;
	if ((r->events = rtnl_open(RTNL_FOLLOW_HOST)) == NULL ||
	    sd_event_add_io(r->event, &r->events_src, rtnl_event_fd(r->events),
			    EPOLLIN, on_readable, r) < 0)
		log_warn("router-lan: following the interfaces' addresses");
}

/* The default route of table, into the device or unreachable. */
static int
table_default(struct router *r, uint32_t table, bool add)
{
	struct rtnl_route rt = {
		.family = AF_INET,
		.table = table,
		.type = RTN_UNREACHABLE,
	};

	if (add && r->running) {
		rt.type = RTN_UNICAST;
		rt.ifindex = r->ifindex;
		rt.has_src = true;
		memcpy(rt.src, &r->clat.v4, 4);
		rt.mtu = r->clat.route_mtu;
	}
	return add ? rtnl_route_add(r->rtnl, &rt)
		   : rtnl_route_del(r->rtnl, &rt);
}

static void
set_rules(struct router *r, const struct router_plan *want)
{
	const struct router_plan *was = &r->applied;
	unsigned i, j;
	int e;

	for (i = 0; i < want->rule_count; i++) {
		for (j = 0; j < was->rule_count; j++)
			if (router_plan_same_rule(&want->rule[i],
						  &was->rule[j]))
				break;
		if (j < was->rule_count)
			continue;
		if ((e = rtnl_rule_add(r->rtnl, &want->rule[i])) < 0 &&
		    e != -EEXIST) {
			errno = -e;
			log_warn("router-lan: rule %u for %s", i + 1,
				 want->rule[i].iif[0] ? want->rule[i].iif
						      : "a prefix");
		}
	}
	for (j = 0; j < was->rule_count; j++) {
		for (i = 0; i < want->rule_count; i++)
			if (router_plan_same_rule(&want->rule[i],
						  &was->rule[j]))
				break;
		if (i == want->rule_count)
			rtnl_rule_del(r->rtnl, &was->rule[j]);
	}
}

static void
set_default(struct router *r, uint32_t table)
{
	bool want = r->running ||
		    r->cfg->router.fallback == ROUTER_FALLBACK_UNREACHABLE;
	int e;

	if (r->has_default && (!want || r->table != table)) {
		table_default(r, r->table, false);
		r->has_default = false;
	}
	if (!want)
		return;
	if ((e = table_default(r, table, true)) < 0) {
		errno = -e;
		log_warn("router-table %u: default route", table);
		return;
	}
	r->has_default = true;
	r->table = table;
}

static void
set_table(struct router *r, const struct router_plan *want)
{
	int e;

	if (!r->running || (r->nat_set && memcmp(&want->nat, &r->applied.nat,
						 sizeof(want->nat)) == 0))
		return;
	if (r->nat == NULL && (r->nat = nat44_open()) == NULL) {
		log_warn("router mode: netfilter socket");
		return;
	}
	if ((e = nat44_apply(r->nat, &want->nat)) == -EEXIST) {
		if (!r->nat_refused)
			log_warnx(
				"router mode: an nftables table 'ip %s' exists "
				"that xlatd did not make (another xlatd, or the "
				"admin's): LAN packets are not SNATed or checked",
				NAT44_TABLE);
	} else if (e < 0) {
		errno = -e;
		log_warn("router mode: nftables table 'ip %s'", NAT44_TABLE);
	}
	r->nat_set = e == 0;
	r->nat_refused = e == -EEXIST;
}

/* An IPv6 route into the device, in table. */
static int
v6_route(struct router *r, const struct in6_addr *dst, unsigned len,
	 uint32_t table, const char *what)
{
	struct rtnl_route rt = {
		.family = AF_INET6,
		.dst_len = len,
		.ifindex = r->ifindex,
		.table = table,
	};
	int e;

	memcpy(rt.dst, dst, 16);
	if ((e = tun_ipv6(r->clat.dev, true)) < 0 ||
	    ((e = rtnl_route_add(r->rtnl, &rt)) < 0 && e != -EEXIST)) {
		errno = -e;
		log_warn("%s: route into %s (table %u)", what, r->clat.dev,
			 table);
	}
	return e;
}

/* The CLAT's address into the device from router-table, the one before
 * it (renumbered, or another table) gone. */
static void
set_v6_clat(struct router *r, bool want)
{
	const struct config_router *c = &r->cfg->router;
	struct rtnl_route old = {
		.family = AF_INET6,
		.dst_len = 128,
		.ifindex = r->ifindex,
		.table = r->v6_table,
	};
	bool same = r->has_v6 && r->v6_table == c->table &&
		    memcmp(&r->v6, &r->clat.v6, 16) == 0;

	if (r->has_v6 && !(want && same)) {
		memcpy(old.dst, &r->v6, 16);
		rtnl_route_del(r->rtnl, &old);
		r->has_v6 = false;
	}
	if (!want)
		return;
	r->has_v6 =
		v6_route(r, &r->clat.v6, 128, c->table, "clat-v6-addr") >= 0;
	r->v6 = r->clat.v6;
	r->v6_table = c->table;
}

/* On a router: what comes back for the CLAT's address and, stateless,
 * for the LANs' IPv6 addresses, into the device. They go with it. */
static void
set_v6_routes(struct router *r)
{
	const struct config_router *c = &r->cfg->router;

	if (!r->running) {
		r->has_v6 = false; /* the device took its routes along */
		return;
	}
	set_v6_clat(r, r->forwarding && c->table != RT_TABLE_MAIN);
	if (!r->forwarding || c->mode != ROUTER_MODE_STATELESS)
		return;
	v6_route(r, &c->v6_prefix.addr, c->v6_prefix.len, RT_TABLE_MAIN,
		 "router-v6-prefix");
	if (c->table != RT_TABLE_MAIN)
		v6_route(r, &c->v6_prefix.addr, c->v6_prefix.len, c->table,
			 "router-v6-prefix");
}

/* Everything off the system. */
static void
clear(struct router *r)
{
	static const struct router_plan none;

	set_rules(r, &none);
	r->applied.rule_count = 0;
	if (r->has_v6)
		set_v6_clat(r, false);
	if (r->has_default)
		table_default(r, r->table, false);
	r->has_default = false;
	if (r->nat != NULL)
		nat44_remove(r->nat);
	r->nat_set = false;
}

/* The served sources as applied, to lans_cb. */
static void
notify_lans(struct router *r)
{
	const struct config_router *c = &r->cfg->router;
	bool serves = r->running && c->lan_count > 0 && c->lan_fast_path;

	if (r->lans_cb != NULL)
		r->lans_cb(r->applied.nat.src,
			   serves ? r->applied.nat.src_count : 0, r->lans_arg);
}

void
router_on_lans(struct router *r, router_lans_cb cb, void *arg)
{
	r->lans_cb = cb;
	r->lans_arg = arg;
}

void
router_sync(struct router *r)
{
	const struct config_router *c = &r->cfg->router;
	struct addr_walk w = {.n = 0};
	static struct router_plan want;
	bool forwarding;

	if (c->lan_count == 0) {
		clear(r);
		notify_lans(r);
		return;
	}
	/* once each time it is found off */
	forwarding = sysstate_ipv4_forwarding();
	if (!forwarding && !r->warned_forwarding)
		log_warnx("router-lan is set but net.ipv4.ip_forward is 0: the "
			  "LANs' packets are not forwarded (xlatd changes no "
			  "sysctl)");
	r->warned_forwarding = !forwarding;
	follow_addresses(r);
	rtnl_dump_addrs(r->rtnl, AF_INET, collect_addr, &w);
	router_plan_make(c, w.a, w.n, &r->clat, &want);
	if (want.dropped > 0)
		log_warnx("router-lan: %u prefix(es) past the first %u are "
			  "not served",
			  want.dropped, NAT44_SRC_MAX);
	set_default(r, c->table);
	set_rules(r, &want);
	set_table(r, &want);
	set_v6_routes(r);
	r->applied = want;
	notify_lans(r);
}

struct router *
router_new(sd_event *event, struct rtnl *rtnl, const struct config *cfg)
{
	struct router *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->event = event;
	r->rtnl = rtnl;
	r->cfg = cfg;
	return r;
}

void
router_run(struct router *r, const struct router_clat *clat, unsigned ifindex,
	   bool forwarding)
{
	r->running = true;
	r->clat = *clat;
	r->ifindex = ifindex;
	r->forwarding = forwarding;
	router_sync(r);
}

void
router_standby(struct router *r)
{
	r->running = false;
	router_sync(r);
}

uint64_t
router_spoofed(struct router *r)
{
	uint64_t n = 0;

	if (r->nat == NULL || nat44_spoofed(r->nat, &n) < 0)
		return 0;
	return n;
}

void
router_free(struct router *r)
{
	if (r == NULL)
		return;
	clear(r);
	nat44_close(r->nat);
	sd_event_source_unref(r->events_src);
	rtnl_close(r->events);
	free(r);
}

struct stale_routes {
	struct rtnl *rtnl;
	int removed;
};

static int
remove_stale(const struct rtnl_route *rt, void *arg)
{
	struct stale_routes *s = arg;

	if (rt->protocol == RTPROT_XLATD && rt->type == RTN_UNREACHABLE &&
	    rtnl_route_del(s->rtnl, rt) == 0)
		s->removed++;
	return 0;
}

int
router_cleanup_stale(struct rtnl *rtnl)
{
	struct stale_routes s = {rtnl, 0};
	int r;

	if ((r = rtnl_dump_routes(rtnl, AF_INET, remove_stale, &s)) < 0)
		return r;
	return s.removed;
}
