/* SPDX-License-Identifier: BSD-2-Clause */
/* Setting up and taking down what a running instance owns. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datapath.h"
#include "dp/dp_bpf.h"
#include "dp/uplink_socks.h"
#include "dp/tun.h"
#include "common/log.h"
#include "ndisc.h"
#include "script.h"

/* Several instances: replies from an instance's 192.0.0.x leave through
 * it, whatever the main table's metrics say. Table "xla" + last octet;
 * the rules come before the main table's (32766). */
#define POLICY_TABLE_BASE 0x786c6100u
#define POLICY_RULE_PRIO 32000u

/* What is set on the system, from the parameters and the configuration,
 * so that a change touches only what differs. */
struct dp_set {
	unsigned mtu;	 /* the TUN's and its routes' */
	unsigned advmss; /* its routes' */
	bool route;	 /* the IPv4 default route in main, at metric */
	unsigned metric;
	bool policy; /* the source rule, and its table's default route */
	bool fast;   /* fast-path */
	struct xlat_cfg x;
};

struct datapath {
	sd_event *event;
	struct rtnl *rtnl;
	struct dp_params p;
	struct dp_set set;
	char uplink_name[IF_NAMESIZE]; /* for the log */
	unsigned tun_ifindex;
	int tun_fd; /* the device lives as long as it is open */
	struct dp_bpf *bpf;
	int anycast_fd;
	bool script_ran;
};

static void
dp_set_make(const struct dp_params *p, struct dp_set *s)
{
	memset(s, 0, sizeof(*s));
	s->mtu = dpcfg_route_mtu(p);
	s->advmss = dpcfg_advmss(p);
	s->route = p->cfg->v4_defaultroute_enable && !p->grace;
	s->metric = p->metric;
	s->policy = p->policy || p->grace;
	s->fast = p->cfg->fast_path;
	dpcfg_xlat(p, &s->x);
}

static unsigned
v4_octet(const struct dp_params *p)
{
	return ((const uint8_t *)&p->v4)[3];
}

/* The IPv4 default route through the TUN as s has it, in the main table
 * (table 0) or the instance's policy table. */
static int
default_route(struct datapath *dp, const struct dp_set *s, unsigned table,
	      bool add)
{
	struct rtnl_route r = {
		.family = AF_INET,
		.dst_len = 0,
		.has_src = true,
		.ifindex = dp->tun_ifindex,
		.metric = table == 0 ? s->metric : 0,
		.mtu = s->mtu,
		.advmss = s->advmss,
		.table = table,
	};

	memcpy(r.src, &dp->p.v4, 4);
	if (add)
		return rtnl_route_add(dp->rtnl, &r);
	return rtnl_route_del(dp->rtnl, &r);
}

static void
policy_rule(const struct dp_params *p, struct rtnl_rule *rule)
{
	memset(rule, 0, sizeof(*rule));
	rule->src = p->v4;
	rule->src_len = 32;
	rule->table = POLICY_TABLE_BASE + v4_octet(p);
	rule->priority = POLICY_RULE_PRIO + v4_octet(p);
}

static int
policy(struct datapath *dp, bool on)
{
	struct rtnl_rule rule;
	int r;

	policy_rule(&dp->p, &rule);
	if (!on) {
		rtnl_rule_del(dp->rtnl, &rule);
		return default_route(dp, &dp->set, rule.table, false);
	}
	if ((r = default_route(dp, &dp->set, rule.table, true)) < 0)
		return r;
	r = rtnl_rule_add(dp->rtnl, &rule);
	return r == -EEXIST ? 0 : r;
}

struct stale_rules {
	struct rtnl *rtnl;
	int removed;
};

static int
remove_stale_rule(const struct rtnl_rule *rule, void *arg)
{
	struct stale_rules *s = arg;

	if (rule->protocol == RTPROT_XLATD && rtnl_rule_del(s->rtnl, rule) == 0)
		s->removed++;
	return 0;
}

int
datapath_cleanup_stale(struct rtnl *rtnl)
{
	struct stale_rules s = {rtnl, 0};
	int r;

	if ((r = rtnl_dump_rules4(rtnl, remove_stale_rule, &s)) < 0)
		return r;
	return s.removed;
}

/* The CLAT address's /128 into the device (proto xlatd), in main. */
static int
v6_route(struct datapath *dp, const struct in6_addr *v6, bool add)
{
	struct rtnl_route r = {
		.family = AF_INET6,
		.dst_len = 128,
		.ifindex = dp->tun_ifindex,
	};

	memcpy(r.dst, v6, 16);
	if (add)
		return rtnl_route_add(dp->rtnl, &r);
	return rtnl_route_del(dp->rtnl, &r);
}

/* Make packets for v6 reach the device: by a route, or by an anycast
 * membership on the uplink (dp->anycast_fd, which must be free). */
static int
claim_v6(struct datapath *dp, const struct dp_params *p)
{
	int r;

	if (p->v6_route) {
		if ((r = tun_ipv6(dp->p.clat_dev, true)) < 0)
			return r;
		r = v6_route(dp, &p->v6, true);
		return r == -EEXIST ? 0 : r;
	}
	/* an optimistic address is not joined (dad.h) */
	if (!p->anycast)
		return 0;
	dp->anycast_fd = ndisc_anycast_join(dp->p.uplink, &p->v6);
	return dp->anycast_fd < 0 ? dp->anycast_fd : 0;
}

static void
unclaim_v6(struct datapath *dp, const struct dp_params *p)
{
	if (p->v6_route) {
		v6_route(dp, &p->v6, false);
	} else if (dp->anycast_fd >= 0) {
		close(dp->anycast_fd);
		dp->anycast_fd = -1;
	}
}

static void
run_script(struct datapath *dp, const char *script, const char *what)
{
	char env[40][320];
	char v4[INET_ADDRSTRLEN], v6[INET6_ADDRSTRLEN], pre[INET6_ADDRSTRLEN];
	char label[IF_NAMESIZE + 16];
	unsigned n;
	int r;

	if (script[0] == '\0')
		return;
	n = config_environment(dp->p.cfg, env, 32);
	inet_ntop(AF_INET, &dp->p.v4, v4, sizeof(v4));
	inet_ntop(AF_INET6, &dp->p.v6, v6, sizeof(v6));
	inet_ntop(AF_INET6, &dp->p.prefix.addr, pre, sizeof(pre));
	/* the values in use override the configured ones */
	snprintf(env[n++], sizeof(env[0]), "clat_v4_addr=%s", v4);
	snprintf(env[n++], sizeof(env[0]), "clat_v6_addr=%s", v6);
	snprintf(env[n++], sizeof(env[0]), "plat_prefix=%s/%u", pre,
		 dp->p.prefix.len);
	snprintf(env[n++], sizeof(env[0]), "plat_dev=%s", dp->uplink_name);
	snprintf(env[n++], sizeof(env[0]), "clat_dev=%s", dp->p.clat_dev);
	snprintf(label, sizeof(label), "%s: %s", dp->uplink_name, what);
	if ((r = script_start(dp->event, label, script, env, n)) < 0) {
		errno = -r;
		log_warn("%s (%s)", label, script);
	}
}

struct datapath *
datapath_new(sd_event *event, struct rtnl *rtnl, const struct dp_params *params)
{
	const struct config *cfg = params->cfg;
	struct datapath *dp;
	int fd, r;

	if ((dp = calloc(1, sizeof(*dp))) == NULL)
		return NULL;
	dp->event = event;
	dp->rtnl = rtnl;
	dp->p = *params;
	if_indextoname(params->uplink, dp->uplink_name);
	dp->anycast_fd = -1;
	dp->tun_fd = -1;
	if ((fd = tun_open(params->clat_dev, &dp->tun_ifindex)) < 0) {
		errno = -fd;
		log_warn("%s: TUN device %s", dp->uplink_name,
			 params->clat_dev);
		goto fail;
	}
	dp->tun_fd = fd;
	dp_set_make(params, &dp->set);
	r = rtnl_link_set(rtnl, dp->tun_ifindex, true, dp->set.mtu);
	if (r == 0)
		r = rtnl_addr_add(rtnl, dp->tun_ifindex, AF_INET, &params->v4,
				  32, false);
	if (r == 0 && dp->set.route)
		r = default_route(dp, &dp->set, 0, true);
	if (r == 0 && dp->set.policy)
		r = policy(dp, true);
	if (r < 0) {
		errno = -r;
		log_warn("%s: addresses and routes of %s", dp->uplink_name,
			 params->clat_dev);
		goto fail;
	}
	if ((r = claim_v6(dp, params)) < 0) {
		errno = -r;
		log_warn("%s: %s of the CLAT address", dp->uplink_name,
			 params->v6_route ? "route" : "anycast join");
		goto fail;
	}
	dp->bpf = dp_bpf_open(params->uplink, dp->tun_ifindex);
	if (dp->bpf == NULL ||
	    dp_bpf_set_xlat(dp->bpf, &dp->set.x, dp->set.fast) < 0 ||
	    dp_bpf_set_clat(dp->bpf, &params->v6) < 0)
		goto fail;
	run_script(dp, cfg->script_up, "script-up");
	dp->script_ran = true;
	return dp;
fail:
	datapath_free(dp);
	return NULL;
}

/* Renumbered, passed DAD, or the host turned router or host (the
 * address or the way it is claimed differs): the new claim before the
 * address is used, the old one goes after. */
static int
update_v6(struct datapath *dp, const struct dp_params *params)
{
	bool same_v6 = memcmp(&params->v6, &dp->p.v6, 16) == 0;
	int old_fd = dp->anycast_fd, r;

	dp->anycast_fd = -1;
	if ((r = claim_v6(dp, params)) < 0 ||
	    (r = dp_bpf_set_clat(dp->bpf, &params->v6)) < 0) {
		if (!(same_v6 && dp->p.v6_route && params->v6_route))
			unclaim_v6(dp, params);
		dp->anycast_fd = old_fd;
		return r;
	}
	if (old_fd >= 0)
		close(old_fd);
	if (dp->p.v6_route && !(same_v6 && params->v6_route))
		v6_route(dp, &dp->p.v6, false);
	return 0;
}

/* The TUN's MTU, the default routes and the source rule, from was to
 * dp->set: a new route before the old one goes, so there is always
 * one. */
static int
update_routes(struct datapath *dp, const struct dp_set *was)
{
	const struct dp_set *s = &dp->set;
	bool attrs = s->mtu != was->mtu || s->advmss != was->advmss;
	struct rtnl_rule rule;
	int r;

	if (s->mtu != was->mtu &&
	    (r = rtnl_link_set(dp->rtnl, dp->tun_ifindex, true, s->mtu)) < 0)
		return r;
	if (s->route && (!was->route || attrs || s->metric != was->metric) &&
	    (r = default_route(dp, s, 0, true)) < 0)
		return r;
	if (was->route && (!s->route || s->metric != was->metric))
		default_route(dp, was, 0, false);
	policy_rule(&dp->p, &rule);
	if (s->policy != was->policy)
		return policy(dp, s->policy);
	if (s->policy && attrs)
		return default_route(dp, s, rule.table, true);
	return 0;
}

int
datapath_update(struct datapath *dp, const struct dp_params *params)
{
	struct dp_params old = dp->p;
	struct dp_set was = dp->set;
	int r;

	if (params->uplink != dp->p.uplink ||
	    params->v4.s_addr != dp->p.v4.s_addr)
		return -EINVAL;
	if ((memcmp(&params->v6, &dp->p.v6, 16) != 0 ||
	     params->anycast != dp->p.anycast ||
	     params->v6_route != dp->p.v6_route) &&
	    (r = update_v6(dp, params)) < 0)
		return r;
	dp->p = *params;
	dp_set_make(params, &dp->set);
	if ((r = update_routes(dp, &was)) < 0) {
		dp->p = old;
		dp->set = was;
		return r;
	}
	if (memcmp(&dp->set.x, &was.x, sizeof(was.x)) == 0 &&
	    dp->set.fast == was.fast)
		return 0;
	return dp_bpf_set_xlat(dp->bpf, &dp->set.x, dp->set.fast);
}

void
datapath_free(struct datapath *dp)
{
	if (dp == NULL)
		return;
	if (dp->script_ran)
		run_script(dp, dp->p.cfg->script_down, "script-down");
	/* the TUN takes its routes along, not the rule */
	if (dp->set.policy && dp->tun_ifindex != 0) {
		struct rtnl_rule rule;

		policy_rule(&dp->p, &rule);
		rtnl_rule_del(dp->rtnl, &rule);
	}
	dp_bpf_close(dp->bpf);
	if (dp->anycast_fd >= 0)
		close(dp->anycast_fd);
	/* closing the TUN removes the device, its address and its routes,
	 * once the slow path has closed its own */
	if (dp->tun_fd >= 0)
		close(dp->tun_fd);
	free(dp);
}

int
datapath_engine_fds(const struct datapath *dp, int fds[3], bool *has_pkt)
{
	int n = 0, r, pkt;

	if ((fds[n] = fcntl(dp->tun_fd, F_DUPFD_CLOEXEC, 3)) < 0)
		return -errno;
	n++;
	if ((r = fds[n] = uplink_socks_raw(dp->p.uplink)) < 0)
		goto fail;
	n++;
	if ((r = uplink_socks_packet(dp->p.uplink, &pkt)) < 0)
		goto fail;
	*has_pkt = pkt >= 0;
	if (pkt >= 0)
		fds[n++] = pkt;
	return n;
fail:
	while (n > 0)
		close(fds[--n]);
	return r;
}

int
datapath_fast_counters(const struct datapath *dp, uint64_t c[XLAT_MAPS_CNT_MAX])
{
	return dp_bpf_read_all(dp->bpf, c);
}

int
datapath_set_lans(struct datapath *dp, const struct dp_lan_src *src, unsigned n)
{
	return dp_bpf_set_lans(dp->bpf, src, dp->set.fast ? n : 0);
}

int
datapath_set_nat44_lans(struct datapath *dp, const struct dp_lan_src *src,
			unsigned n)
{
	return dp_bpf_set_nat44_lans(dp->bpf, src, dp->set.fast ? n : 0);
}

unsigned
datapath_route_mtu(const struct datapath *dp)
{
	return dp->set.mtu;
}
