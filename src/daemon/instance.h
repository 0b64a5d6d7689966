/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One CLAT instance on one IPv6 uplink: the thin layer around its engine
 * (engine.h). It gathers the facts (netlink dumps, the PREF64 options of
 * RAs, DNS64 answers, DAD verdicts, the time), steps the engine, and
 * carries out what it asks: DAD, DNS64 lookups, the data path, logging
 * and sd_notify. Netlink events are coalesced into one step; so are the
 * times the engine wants to be woken at.
 */
#ifndef XLATD_INSTANCE_H
#define XLATD_INSTANCE_H

#include <stdbool.h>
#include <systemd/sd-event.h>

#include "config.h"
#include "engine.h"
#include "common/rtnl.h"

struct instance;

/* The shared pieces an instance uses; owned by the daemon. */
struct inst_env {
	sd_event *event;
	struct rtnl *rtnl;
	const struct config *cfg;
	const uint8_t *secret;
	/* Several instances (no plat-dev): the daemon arbitrates the
	 * 192.0.0.0/29 addresses through claimed_v4. */
	void (*claimed_v4)(const struct instance *self, uint8_t claimed[8],
			   void *arg);
	void *arg;
};

struct instance *instance_new(const struct inst_env *env, unsigned ifindex,
			      const char *clat_dev);
void instance_free(struct instance *inst);

/* The configuration (env->cfg) was reloaded; old is the one before, and
 * clat_dev the device's name now. The instance keeps its state (the IPv4
 * check is not done again) and changes only what it must: the data path
 * in place, or anew when the device's name or the IPv4 address changes;
 * DNS64 discovery when its servers or plat-prefix change. */
void instance_reconfigure(struct instance *inst, const struct config *old,
			  const char *clat_dev);

/* What the daemon knows of the uplink: whether it has an IPv6 default
 * route, its RFC 4191 preference (-1 high, 0 medium, 1 low), and whether
 * replies from this instance's IPv4 address need a source rule because
 * other instances exist. */
void instance_set_uplink(struct instance *inst, bool has_default6, int pref,
			 bool policy);
unsigned instance_ifindex(const struct instance *inst);
/* The CLAT IPv4 address, if the instance has chosen one. */
bool instance_v4(const struct instance *inst, struct in_addr *v4);

/* Feed a netlink event; the instance ignores what is not its business. */
void instance_on_event(struct instance *inst, const struct rtnl_event *ev);

/* What xlatctl status and stats show of an instance. */
struct inst_info {
	char uplink[IF_NAMESIZE];
	char clat_dev[IF_NAMESIZE];
	enum inst_state state;
	const char *cause;
	enum prefix_source prefix_source;
	struct xlat_prefix6 prefix;
	long prefix_lifetime; /* seconds left for a PREF64; -1 otherwise */
	bool has_v4, has_v6;
	struct in_addr v4;
	struct in6_addr v6;
	enum v6_source v6_source;	/* NONE while there is no v6 */
	unsigned route_mtu;		/* 0 when not running */
	const struct xlat_stats *stats; /* NULL when not running */
	uint64_t fast_packets;		/* translated by the eBPF fast path */
	unsigned dad_conflicts;		/* CLAT addresses found in use by DAD */
	/* router-lan is set and net.ipv4.ip_forward is 0 */
	bool router_no_forwarding;
	uint64_t lan_spoofed; /* LAN packets dropped for their source */
};
void instance_info(const struct instance *inst, struct inst_info *info);

#endif
