/* SPDX-License-Identifier: BSD-2-Clause */
/* A CLAT instance: facts for its engine, and the engine's actions. */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clat_dhcp6.h"
#include "dad.h"
#include "dns64.h"
#include "instance.h"
#include "common/log.h"
#include "ndisc.h"
#include "priv.h"
#include "slowpath.h"
#include "sysstate.h"
#include "v4watch.h"

/* Netlink events are coalesced for this long before a step. */
#define EVAL_DELAY_USEC (50 * 1000ULL)
/* An action that fails is reported back to the engine at once; each
 * such report ends in a wait, so this bounds nothing but a bug. */
#define STEPS_MAX 4

struct instance {
	struct inst_env env;
	char clat_dev[IF_NAMESIZE];
	unsigned ifindex;
	char name[IF_NAMESIZE]; /* the uplink's, kept when it goes */
	bool has_default6, policy;
	int pref;
	struct engine_state st;
	/* the state the log and systemd last heard of: a step whose action
	 * failed never reports the state it was heading for */
	enum inst_state shown;

	struct dns64 *dns64;
	struct dad *dad;
	bool dad_keep; /* answering after DAD_OK (dad_start_answering) */
	struct slowpath *dp;
	struct v4watch *watch;
	struct clat_dhcp6 *dhcp6;
	sd_event_source *step_timer;
};

static uint64_t
now_usec(const struct instance *inst)
{
	uint64_t t = 0;

	sd_event_now(inst->env.event, CLOCK_MONOTONIC, &t);
	return t;
}

static void instance_step(struct instance *inst, const struct engine_event *ev);

static int
on_step_timer(sd_event_source *s, uint64_t usec, void *arg)
{
	static const struct engine_event none = {.kind = ENGINE_EV_NONE};

	(void)s;
	(void)usec;
	instance_step(arg, &none);
	return 0;
}

/* Coalesce: one step at the earliest time asked for. */
static void
schedule_at(struct instance *inst, uint64_t when)
{
	int enabled = SD_EVENT_OFF, r;
	uint64_t armed = 0;

	if (inst->step_timer != NULL) {
		sd_event_source_get_enabled(inst->step_timer, &enabled);
		sd_event_source_get_time(inst->step_timer, &armed);
		if (enabled != SD_EVENT_OFF && armed <= when)
			return;
		sd_event_source_set_time(inst->step_timer, when);
		sd_event_source_set_enabled(inst->step_timer, SD_EVENT_ONESHOT);
		return;
	}
	r = sd_event_add_time(inst->env.event, &inst->step_timer,
			      CLOCK_MONOTONIC, when, 0, on_step_timer, inst);
	if (r < 0) {
		errno = -r;
		log_warn("%s: %s: timer", inst->name, __func__);
	}
}

/* --- facts --- */

static void
gather(struct instance *inst, struct engine_facts *f, struct uplink_state *up,
       struct delegated *deleg)
{
	const struct config *cfg = inst->env.cfg;

	f->now = now_usec(inst);
	if (sysstate_uplink(inst->env.rtnl, inst->ifindex, up) < 0)
		up->present = false;
	if (up->present)
		memcpy(inst->name, up->name, sizeof(inst->name));
	f->up = up;
	f->has_default6 = inst->has_default6;
	f->pref = inst->pref;
	f->policy = inst->policy;
	if (cfg->v4_conncheck_enable && !cfg->v4_defaultroute_replace)
		f->native_v4 = sysstate_native_ipv4(inst->env.rtnl);
	if (!inst->st.has_v4 && !cfg->has_clat_v4) {
		uint8_t claimed[8] = {0};

		if (inst->env.claimed_v4 != NULL)
			inst->env.claimed_v4(inst, claimed, inst->env.arg);
		f->has_free_v4 = sysstate_free_clat_v4(inst->env.rtnl, claimed,
						       &f->free_v4);
	}
	if (cfg->clat_v6_mode != CLAT_V6_STATIC &&
	    sysstate_delegated(inst->env.rtnl,
			       cfg->has_clat_v6_prefix ? &cfg->clat_v6_prefix
						       : NULL,
			       deleg))
		f->deleg = deleg;
	f->dns64_available = inst->dns64 != NULL;
	if (cfg->clat_v6_mode == CLAT_V6_SHARED)
		sysstate_portswap(&f->portswap);
	f->secret = inst->env.secret;
}

/* --- actions --- */

static void
on_dad_done(enum dad_result result, void *arg)
{
	struct instance *inst = arg;
	struct engine_event ev = {.kind = ENGINE_EV_DAD, .dad_result = result};

	ev.dad_addr = inst->st.dad_addr;
	if (result != DAD_OK || !inst->dad_keep) {
		dad_free(inst->dad);
		inst->dad = NULL;
	}
	instance_step(inst, &ev);
}

static void
on_dns64_done(bool found, const struct xlat_prefix6 *prefix, void *arg)
{
	struct engine_event ev = {.kind = ENGINE_EV_DNS64,
				  .dns64_found = found};

	if (found)
		ev.dns64_prefix = *prefix;
	instance_step(arg, &ev);
}

static void
on_dhcp4_seen(const struct dhcp4_seen *seen, void *arg)
{
	struct engine_event ev = {.kind = ENGINE_EV_DHCP4, .dhcp4 = *seen};

	instance_step(arg, &ev);
}

static void
on_dhcp6(bool bound, const struct in6_addr *addr, bool lost,
	 const struct in6_addr *lost_addr, void *arg)
{
	struct engine_event ev = {.kind = ENGINE_EV_DHCP6,
				  .dhcp6_bound = bound,
				  .dhcp6_lost = lost};

	ev.dhcp6_addr = *addr;
	ev.dhcp6_lost_addr = *lost_addr;
	instance_step(arg, &ev);
}

static void
do_log(const struct instance *inst, const struct engine_action *a)
{
	switch (a->level) {
	case ENGINE_LOG_DEBUG:
		log_debug("%s: %s", inst->name, a->text);
		return;
	case ENGINE_LOG_INFO:
		log_info("%s: %s", inst->name, a->text);
		return;
	case ENGINE_LOG_WARN:
		log_warnx("%s: %s", inst->name, a->text);
		return;
	}
}

/* Every transition is logged with its cause; systemd is told too. */
static void
do_state(struct instance *inst, const struct engine_action *a)
{
	const char *name = inst->name[0] ? inst->name : "-";

	log_info("%s: %s -> %s: %s", name, engine_state_name(inst->shown),
		 engine_state_name(inst->st.state), a->text);
	priv_notify("STATUS=%s: %s (%s)", name,
		    engine_state_name(inst->st.state), a->text);
	inst->shown = inst->st.state;
}

static int
do_dad_start(struct instance *inst, const struct engine_action *a)
{
	dad_free(inst->dad);
	inst->dad_keep = a->answer;
	inst->dad = (a->answer	     ? dad_start_answering
		     : a->optimistic ? dad_start_optimistic
				     : dad_start)(
		inst->env.event, inst->ifindex, &a->addr, on_dad_done, inst);
	if (inst->dad == NULL) {
		log_warn("%s: DAD", inst->name);
		return -1;
	}
	return 0;
}

static int
do_dp(struct instance *inst, const struct engine_action *a)
{
	struct dp_params p = {
		.cfg = inst->env.cfg,
		.clat_dev = inst->clat_dev,
		.metric = a->dp.metric,
		.policy = a->dp.policy,
		.anycast = a->dp.anycast,
		.grace = a->dp.grace,
		.v6_route = a->dp.v6_route,
		.router = a->dp.router,
		.uplink = inst->ifindex,
		.uplink_mtu = a->dp.uplink_mtu,
		.prefix = a->dp.prefix,
		.v4 = a->dp.v4,
		.v6 = a->dp.v6,
		.portswap = a->dp.portswap,
	};

	if (a->kind == ENGINE_ACT_DP_CREATE) {
		slowpath_free(inst->dp);
		inst->dp = slowpath_new(inst->env.event, &p);
		return inst->dp == NULL ? -1 : 0;
	}
	if (slowpath_update(inst->dp, &p) == 0)
		return 0;
	slowpath_free(inst->dp);
	inst->dp = NULL;
	return -1;
}

/* Carry out one action; a failure comes back as the event to step with
 * next. Returns false then. */
static bool
act(struct instance *inst, const struct engine_action *a,
    struct engine_event *failed)
{
	switch (a->kind) {
	case ENGINE_ACT_LOG:
		do_log(inst, a);
		return true;
	case ENGINE_ACT_STATE:
		do_state(inst, a);
		return true;
	case ENGINE_ACT_DAD_START:
		if (do_dad_start(inst, a) == 0)
			return true;
		failed->kind = ENGINE_EV_DAD;
		failed->dad_addr = a->addr;
		failed->dad_result = DAD_ERROR;
		return false;
	case ENGINE_ACT_DAD_STOP:
		dad_free(inst->dad);
		inst->dad = NULL;
		return true;
	case ENGINE_ACT_DNS64_START:
		if (dns64_start(inst->dns64) == 0)
			return true;
		failed->kind = ENGINE_EV_DNS64;
		failed->dns64_found = false;
		return false;
	case ENGINE_ACT_DP_CREATE:
	case ENGINE_ACT_DP_UPDATE:
		if (do_dp(inst, a) == 0)
			return true;
		failed->kind = ENGINE_EV_DP_FAILED;
		return false;
	case ENGINE_ACT_DP_DESTROY:
		slowpath_free(inst->dp);
		inst->dp = NULL;
		return true;
	case ENGINE_ACT_WATCH_OPEN:
		v4watch_free(inst->watch);
		inst->watch = v4watch_new(inst->env.event, inst->ifindex,
					  on_dhcp4_seen, inst);
		if (inst->watch != NULL)
			return true;
		log_warn("%s: DHCPv4 watch", inst->name);
		failed->kind = ENGINE_EV_WATCH_FAILED;
		return false;
	case ENGINE_ACT_WATCH_CLOSE:
		v4watch_free(inst->watch);
		inst->watch = NULL;
		return true;
	case ENGINE_ACT_DHCP6_START:
		clat_dhcp6_free(inst->dhcp6);
		inst->dhcp6 = clat_dhcp6_new(inst->env.event, inst->ifindex,
					     inst->name, inst->env.secret,
					     on_dhcp6, inst);
		if (inst->dhcp6 != NULL)
			return true;
		log_warn("%s: DHCPv6 client", inst->name);
		failed->kind = ENGINE_EV_DHCP6;
		failed->dhcp6_failed = true;
		return false;
	case ENGINE_ACT_DHCP6_STOP:
		clat_dhcp6_free(inst->dhcp6);
		inst->dhcp6 = NULL;
		return true;
	case ENGINE_ACT_DHCP6_DECLINE:
		if (inst->dhcp6 != NULL)
			clat_dhcp6_decline(inst->dhcp6);
		return true;
	}
	return true;
}

/* Gather, step, act; again at once if an action failed. */
static void
instance_step(struct instance *inst, const struct engine_event *ev)
{
	struct engine_facts f;
	struct uplink_state up;
	struct delegated deleg;
	struct engine_actions out;
	struct engine_state next;
	struct engine_event failed;
	unsigned i, steps;
	bool ok = false;

	for (steps = 0; steps < STEPS_MAX && !ok; steps++) {
		memset(&f, 0, sizeof(f));
		gather(inst, &f, &up, &deleg);
		f.ev = *ev;
		engine_step(&inst->st, &f, inst->env.cfg, &next, &out);
		inst->st = next;
		memset(&failed, 0, sizeof(failed));
		for (i = 0, ok = true; i < out.n && ok; i++)
			ok = act(inst, &out.a[i], &failed);
		if (out.wake_at != 0)
			schedule_at(inst, out.wake_at);
		ev = &failed;
	}
	if (!ok)
		schedule_at(inst, now_usec(inst) + EVAL_DELAY_USEC);
}

void
instance_info(const struct instance *inst, struct inst_info *info)
{
	const struct engine_state *st = &inst->st;
	uint64_t now = now_usec(inst);

	memset(info, 0, sizeof(*info));
	memcpy(info->uplink, inst->name, sizeof(info->uplink));
	memcpy(info->clat_dev, inst->clat_dev, sizeof(info->clat_dev));
	info->state = st->state;
	info->cause = st->cause;
	info->prefix_source =
		st->state >= INST_DAD ? st->prefix_source : PREFIX_NONE;
	info->prefix = st->prefix;
	info->prefix_lifetime = -1;
	if (info->prefix_source == PREFIX_RA)
		info->prefix_lifetime = st->ra_expiry > now
						? (long)((st->ra_expiry - now) /
							 ENGINE_USEC_PER_SEC)
						: 0;
	info->has_v4 = st->has_v4;
	info->v4 = st->v4;
	info->has_v6 = st->has_v6;
	info->v6 = st->v6;
	info->v6_source = st->has_v6 ? st->v6_source : V6_SOURCE_NONE;
	info->dad_conflicts = st->dad_conflicts;
	info->router_no_forwarding = inst->env.cfg->router.lan_count > 0 &&
				     !sysstate_ipv4_forwarding();
	if (inst->dp != NULL) {
		info->route_mtu = slowpath_route_mtu(inst->dp);
		info->stats = slowpath_stats(inst->dp, &info->fast_packets,
					     &info->lan_spoofed);
	}
}

void
instance_on_event(struct instance *inst, const struct rtnl_event *ev)
{
	struct engine_event e = {.kind = ENGINE_EV_PREF64};

	switch (ev->type) {
	case RTNL_EV_ND_USEROPT:
		if (ev->useropt.ifindex == inst->ifindex &&
		    pref64_parse(ev->useropt.opts, ev->useropt.opts_len,
				 &e.pref64))
			instance_step(inst, &e);
		return;
	case RTNL_EV_ADDR_NEW:
	case RTNL_EV_ADDR_DEL:
	case RTNL_EV_ROUTE_NEW:
	case RTNL_EV_ROUTE_DEL:
	case RTNL_EV_LINK_NEW:
	case RTNL_EV_LINK_DEL:
	case RTNL_EV_OVERRUN:
		schedule_at(inst, now_usec(inst) + EVAL_DELAY_USEC);
		return;
	case RTNL_EV_NEIGH_NEW: /* not followed by the daemon */
	case RTNL_EV_NEIGH_DEL:
	case RTNL_EV_RULE: /* the daemon's uplink lookup follows rules */
		return;
	}
}

/* RFC 7050 discovery, unless plat-prefix turns it off. */
static struct dns64 *
new_dns64(struct instance *inst)
{
	const struct config *cfg = inst->env.cfg;
	struct dns64 *d;

	if (cfg->has_plat_prefix)
		return NULL;
	d = dns64_new(inst->env.event, inst->name,
		      cfg->dns64_servers[0] ? cfg->dns64_servers : NULL,
		      on_dns64_done, inst);
	if (d == NULL)
		log_warnx("%s: DNS64 discovery is not available", inst->name);
	return d;
}

void
instance_reconfigure(struct instance *inst, const struct config *old,
		     const char *clat_dev)
{
	const struct config *cfg = inst->env.cfg;
	struct engine_event ev = {.kind = ENGINE_EV_CONFIG};

	if (strcmp(clat_dev, inst->clat_dev) != 0) {
		log_info("%s: the CLAT device is now %s", inst->name, clat_dev);
		snprintf(inst->clat_dev, sizeof(inst->clat_dev), "%s",
			 clat_dev);
		ev.rebuild = true;
	}
	if (cfg->has_plat_prefix != old->has_plat_prefix ||
	    strcmp(cfg->dns64_servers, old->dns64_servers) != 0) {
		dns64_free(inst->dns64);
		inst->dns64 = new_dns64(inst);
		ev.dns64_reset = true;
	}
	instance_step(inst, &ev);
}

struct instance *
instance_new(const struct inst_env *env, unsigned ifindex, const char *clat_dev)
{
	struct instance *inst;

	if ((inst = calloc(1, sizeof(*inst))) == NULL)
		return NULL;
	inst->env = *env;
	inst->ifindex = ifindex;
	/* for the log lines before the first step reads it */
	if_indextoname(ifindex, inst->name);
	snprintf(inst->clat_dev, sizeof(inst->clat_dev), "%s", clat_dev);
	engine_init(&inst->st);
	inst->dns64 = new_dns64(inst);
	ndisc_send_rs(ifindex);
	schedule_at(inst, now_usec(inst));
	return inst;
}

void
instance_set_uplink(struct instance *inst, bool has_default6, int pref,
		    bool policy)
{
	if (inst->has_default6 == has_default6 && inst->pref == pref &&
	    inst->policy == policy)
		return;
	inst->has_default6 = has_default6;
	inst->pref = pref;
	inst->policy = policy;
	schedule_at(inst, now_usec(inst) + EVAL_DELAY_USEC);
}

unsigned
instance_ifindex(const struct instance *inst)
{
	return inst->ifindex;
}

bool
instance_v4(const struct instance *inst, struct in_addr *v4)
{
	*v4 = inst->st.v4;
	return inst->st.has_v4;
}

void
instance_free(struct instance *inst)
{
	if (inst == NULL)
		return;
	slowpath_free(inst->dp);
	dad_free(inst->dad);
	v4watch_free(inst->watch);
	clat_dhcp6_free(inst->dhcp6);
	dns64_free(inst->dns64);
	sd_event_source_disable_unref(inst->step_timer);
	free(inst);
}
