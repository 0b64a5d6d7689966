/* SPDX-License-Identifier: BSD-2-Clause */
/* Setting up and taking down what a running instance owns. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datapath.h"
#include "dp/dp_bpf.h"
#include "dp/dp_stats.h"
#include "dp/dp_tun.h"
#include "dp/tun.h"
#include "common/log.h"
#include "ndisc.h"
#include "script.h"

/* RFC 7915 §4 / RFC 6145: IPv4 header 20 bytes shorter than IPv6, plus
 * room for a Fragment header. */
#define ROUTE_MTU_OVERHEAD 28
#define TCP_IPV4_HEADERS 40
#define RFC7600_DUMMY4 0xc0000008 /* 192.0.0.8 */
/* Several instances: replies from an instance's 192.0.0.x leave through
 * it, whatever the main table's metrics say. Table "xla" + last octet;
 * the rules come before the main table's (32766). */
#define POLICY_TABLE_BASE 0x786c6100u
#define POLICY_RULE_PRIO 32000u

struct datapath {
	struct rtnl *rtnl;
	struct dp_params p;
	unsigned tun_ifindex;
	struct dp_tun *slow;
	struct dp_bpf *bpf;
	int anycast_fd;
	bool script_ran;
	struct xlat_stats stats; /* both paths, as last read */
};

static unsigned
route_mtu(const struct dp_params *p)
{
	if (p->cfg->v4_defaultroute_mtu != 0)
		return p->cfg->v4_defaultroute_mtu;
	return p->uplink_mtu > 1280 ? p->uplink_mtu - ROUTE_MTU_OVERHEAD
				    : 1280 - ROUTE_MTU_OVERHEAD;
}

static unsigned
route_advmss(const struct dp_params *p)
{
	if (p->cfg->v4_defaultroute_advmss != 0)
		return p->cfg->v4_defaultroute_advmss;
	return route_mtu(p) - TCP_IPV4_HEADERS;
}

/* The translator: the CLAT mapping is one EAM entry, everything else
 * goes through the PLAT prefix (RFC 6877 §6.3). */
static void
make_xlat_cfg(const struct dp_params *p, struct xlat_cfg *x)
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
	if (!x->has_own4) {
		x->has_own4 = true;
		memcpy(&x->own4, &dummy, 4);
	}
	if (!x->has_own6) {
		x->has_own6 = true;
		x->own6 = p->v6;
	}
	x->mtu_v6 = (uint16_t)(p->uplink_mtu < 1280 ? 1280 : p->uplink_mtu);
	x->mtu_v4 = 65535; /* into the host stack: no IPv4 link to fit */
}

static unsigned
v4_octet(const struct dp_params *p)
{
	return ((const uint8_t *)&p->v4)[3];
}

/* The IPv4 default route through the TUN, in the main table (table 0)
 * or the instance's policy table. */
static int
default_route(struct datapath *dp, unsigned table, bool add)
{
	struct rtnl_route r = {
		.family = AF_INET,
		.dst_len = 0,
		.has_src = true,
		.ifindex = dp->tun_ifindex,
		.metric = table == 0 ? dp->p.metric : 0,
		.mtu = route_mtu(&dp->p),
		.advmss = route_advmss(&dp->p),
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
		return default_route(dp, rule.table, false);
	}
	if ((r = default_route(dp, rule.table, true)) < 0)
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

static void
run_script(struct datapath *dp, const char *script, const char *what)
{
	char env[40][320];
	char v4[INET_ADDRSTRLEN], v6[INET6_ADDRSTRLEN], pre[INET6_ADDRSTRLEN];
	char ifname[IF_NAMESIZE] = "";
	unsigned n;
	int status;

	if (script[0] == '\0')
		return;
	n = config_environment(dp->p.cfg, env, 32);
	inet_ntop(AF_INET, &dp->p.v4, v4, sizeof(v4));
	inet_ntop(AF_INET6, &dp->p.v6, v6, sizeof(v6));
	inet_ntop(AF_INET6, &dp->p.prefix.addr, pre, sizeof(pre));
	if_indextoname(dp->p.uplink, ifname);
	/* the values in use override the configured ones */
	snprintf(env[n++], sizeof(env[0]), "clat_v4_addr=%s", v4);
	snprintf(env[n++], sizeof(env[0]), "clat_v6_addr=%s", v6);
	snprintf(env[n++], sizeof(env[0]), "plat_prefix=%s/%u", pre,
		 dp->p.prefix.len);
	snprintf(env[n++], sizeof(env[0]), "plat_dev=%s", ifname);
	snprintf(env[n++], sizeof(env[0]), "clat_dev=%s", dp->p.clat_dev);
	status = script_run(script, env, n);
	if (status != 0)
		log_warnx("%s (%s) exited with status %d", what, script,
			  status);
}

struct datapath *
datapath_new(sd_event *event, struct rtnl *rtnl, const struct dp_params *params)
{
	const struct config *cfg = params->cfg;
	struct xlat_cfg x;
	struct datapath *dp;
	int fd, r;

	if ((dp = calloc(1, sizeof(*dp))) == NULL)
		return NULL;
	dp->rtnl = rtnl;
	dp->p = *params;
	dp->anycast_fd = -1;
	if ((fd = tun_open(params->clat_dev, &dp->tun_ifindex)) < 0) {
		errno = -fd;
		log_warn("%s: TUN device", params->clat_dev);
		goto fail;
	}
	/* fd is the slow path's now, even if it fails */
	if ((dp->slow = dp_tun_new(event, fd, params->uplink)) == NULL)
		goto fail;
	make_xlat_cfg(params, &x);
	dp_tun_set_cfg(dp->slow, &x);
	r = rtnl_link_set(rtnl, dp->tun_ifindex, true, route_mtu(params));
	if (r == 0)
		r = rtnl_addr_add(rtnl, dp->tun_ifindex, AF_INET, &params->v4,
				  32, false);
	if (r == 0 && cfg->v4_defaultroute_enable)
		r = default_route(dp, 0, true);
	if (r == 0 && params->policy)
		r = policy(dp, true);
	if (r < 0) {
		errno = -r;
		log_warn("%s: addresses and routes", params->clat_dev);
		goto fail;
	}
	dp->anycast_fd = ndisc_anycast_join(params->uplink, &params->v6);
	if (dp->anycast_fd < 0) {
		errno = -dp->anycast_fd;
		log_warn("%s: anycast join of the CLAT address", __func__);
		goto fail;
	}
	dp->bpf = dp_bpf_open(params->uplink, dp->tun_ifindex);
	if (dp->bpf == NULL ||
	    dp_bpf_set_xlat(dp->bpf, &x, cfg->fast_path) < 0 ||
	    dp_bpf_set_clat(dp->bpf, &params->v6) < 0)
		goto fail;
	run_script(dp, cfg->script_up, "script-up");
	dp->script_ran = true;
	return dp;
fail:
	datapath_free(dp);
	return NULL;
}

int
datapath_update(struct datapath *dp, const struct dp_params *params)
{
	struct xlat_cfg x;
	int fd, r;

	if (params->uplink != dp->p.uplink ||
	    params->v4.s_addr != dp->p.v4.s_addr)
		return -EINVAL;
	if (memcmp(&params->v6, &dp->p.v6, 16) != 0) {
		/* renumbered: the new address answers NS before it is used */
		fd = ndisc_anycast_join(params->uplink, &params->v6);
		if (fd < 0)
			return fd;
		if ((r = dp_bpf_set_clat(dp->bpf, &params->v6)) < 0) {
			close(fd);
			return r;
		}
		close(dp->anycast_fd);
		dp->anycast_fd = fd;
	}
	if ((params->uplink_mtu != dp->p.uplink_mtu ||
	     params->metric != dp->p.metric) &&
	    params->cfg->v4_defaultroute_enable) {
		struct dp_params old = dp->p;

		dp->p = *params;
		if ((r = rtnl_link_set(dp->rtnl, dp->tun_ifindex, true,
				       route_mtu(params))) < 0 ||
		    (r = default_route(dp, 0, true)) < 0) {
			dp->p = old;
			return r;
		}
		if (old.metric != params->metric) {
			dp->p = old;
			default_route(dp, 0, false);
			dp->p = *params;
		}
	}
	if (params->policy != dp->p.policy) {
		dp->p = *params;
		if ((r = policy(dp, params->policy)) < 0)
			return r;
	}
	dp->p = *params;
	make_xlat_cfg(params, &x);
	dp_tun_set_cfg(dp->slow, &x);
	return dp_bpf_set_xlat(dp->bpf, &x, params->cfg->fast_path);
}

void
datapath_free(struct datapath *dp)
{
	if (dp == NULL)
		return;
	if (dp->script_ran)
		run_script(dp, dp->p.cfg->script_down, "script-down");
	/* the TUN takes its routes along, not the rule */
	if (dp->p.policy && dp->tun_ifindex != 0) {
		struct rtnl_rule rule;

		policy_rule(&dp->p, &rule);
		rtnl_rule_del(dp->rtnl, &rule);
	}
	dp_bpf_close(dp->bpf);
	if (dp->anycast_fd >= 0)
		close(dp->anycast_fd);
	/* closing the TUN removes the device, its address and its routes */
	dp_tun_free(dp->slow);
	free(dp);
}

const struct xlat_stats *
datapath_stats(struct datapath *dp)
{
	uint64_t c[XLAT_MAPS_CNT_MAX];

	dp->stats = *dp_tun_stats(dp->slow);
	if (dp_bpf_read_all(dp->bpf, c) == 0)
		dp_stats_add_fast(c, &dp->stats);
	return &dp->stats;
}

uint64_t
datapath_fast_packets(const struct datapath *dp)
{
	uint64_t c[XLAT_MAPS_CNT_MAX];

	if (dp_bpf_read_all(dp->bpf, c) < 0)
		return 0;
	return c[XLAT_MAPS_CNT_FAST_64] + c[XLAT_MAPS_CNT_FAST_46];
}

unsigned
datapath_route_mtu(const struct datapath *dp)
{
	return route_mtu(&dp->p);
}
