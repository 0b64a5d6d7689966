/* SPDX-License-Identifier: BSD-2-Clause */
/* A CLAT instance: discovery, addresses and the state machine. */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

#include "clat_addr.h"
#include "dad.h"
#include "datapath.h"
#include "dns64.h"
#include "instance.h"
#include "common/log.h"
#include "ndisc.h"
#include "pref64.h"
#include "sysstate.h"

#define USEC_PER_SEC 1000000ULL
/* Events are coalesced for this long before the state is looked at. */
#define EVAL_DELAY_USEC (50 * 1000ULL)
/* Least time between tearing the data path down and setting it up. */
#define HOLDDOWN_USEC (1 * USEC_PER_SEC)
#define DNS64_RETRY_USEC (30 * USEC_PER_SEC)
/* RFC 7050 §5: the prefix is learned again now and then. */
#define DNS64_REFRESH_USEC (600 * USEC_PER_SEC)
#define DAD_ATTEMPTS_MAX 5

struct instance {
	struct inst_env env;
	char clat_dev[IF_NAMESIZE];
	unsigned ifindex;
	bool has_default6, policy;
	int pref;
	struct uplink_state up;
	enum inst_state state;
	char cause[160];

	bool has_ra_prefix, has_dns64_prefix;
	struct xlat_prefix6 ra_prefix, dns64_prefix;
	uint64_t ra_expiry;
	struct dns64 *dns64;
	bool dns64_running;
	sd_event_source *ra_timer, *dns64_timer;

	enum prefix_source prefix_source;
	struct xlat_prefix6 prefix;

	bool has_v4, has_v6;
	struct in_addr v4;
	struct in6_addr v6;
	unsigned dad_counter, dad_failures;
	struct dad *dad;
	struct in6_addr dad_addr;

	bool conncheck_done;
	sd_event_source *conncheck_timer, *eval_timer;
	uint64_t last_teardown;

	struct datapath *dp;
};

static void schedule(struct instance *inst, uint64_t delay);

const char *
instance_state_name(enum inst_state state)
{
	switch (state) {
	case INST_WAIT_UPLINK:
		return "waiting-for-uplink";
	case INST_NATIVE_IPV4:
		return "native-ipv4";
	case INST_CONNCHECK:
		return "ipv4-check-delay";
	case INST_WAIT_PREFIX:
		return "waiting-for-prefix";
	case INST_DAD:
		return "dad";
	case INST_RUNNING:
		return "running";
	}
	return "unknown";
}

const char *
prefix_source_name(enum prefix_source source)
{
	switch (source) {
	case PREFIX_NONE:
		return "none";
	case PREFIX_RA:
		return "ra";
	case PREFIX_DNS64:
		return "dns64";
	case PREFIX_STATIC:
		return "static";
	case PREFIX_FALLBACK:
		return "fallback";
	}
	return "unknown";
}

enum inst_state
instance_state(const struct instance *inst)
{
	return inst->state;
}

static uint64_t
now_usec(const struct instance *inst)
{
	uint64_t t = 0;

	sd_event_now(inst->env.event, CLOCK_MONOTONIC, &t);
	return t;
}

static const char *
prefix_str(const struct xlat_prefix6 *p, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, &p->addr, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, p->len);
	return buf;
}

/* Log every transition with its cause; tell systemd what we do. */
static void set_state(struct instance *inst, enum inst_state state,
		      const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
set_state(struct instance *inst, enum inst_state state, const char *fmt, ...)
{
	char cause[sizeof(inst->cause)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cause, sizeof(cause), fmt, ap);
	va_end(ap);
	if (state == inst->state && strcmp(cause, inst->cause) == 0)
		return;
	log_info("%s: %s -> %s: %s", inst->up.name[0] ? inst->up.name : "-",
		 instance_state_name(inst->state), instance_state_name(state),
		 cause);
	inst->state = state;
	memcpy(inst->cause, cause, sizeof(cause));
	sd_notifyf(0, "STATUS=%s: %s (%s)",
		   inst->up.name[0] ? inst->up.name : "-",
		   instance_state_name(state), cause);
}

static void
stop_datapath(struct instance *inst)
{
	if (inst->dp == NULL)
		return;
	datapath_free(inst->dp);
	inst->dp = NULL;
	inst->last_teardown = now_usec(inst);
}

static void
stop_dad(struct instance *inst)
{
	dad_free(inst->dad);
	inst->dad = NULL;
}

/* --- PLAT prefix: RA (RFC 8781), DNS64 (RFC 7050), configuration --- */

static bool
current_prefix(struct instance *inst, enum prefix_source *src,
	       struct xlat_prefix6 *p)
{
	const struct config *cfg = inst->env.cfg;

	/* clatd: a configured plat-prefix turns discovery off. */
	if (cfg->has_plat_prefix) {
		*src = PREFIX_STATIC;
		*p = cfg->plat_prefix;
	} else if (inst->has_ra_prefix) {
		*src = PREFIX_RA;
		*p = inst->ra_prefix;
	} else if (inst->has_dns64_prefix) {
		*src = PREFIX_DNS64;
		*p = inst->dns64_prefix;
	} else if (cfg->has_plat_fallback_prefix) {
		*src = PREFIX_FALLBACK;
		*p = cfg->plat_fallback_prefix;
	} else {
		*src = PREFIX_NONE;
		return false;
	}
	return true;
}

static int
on_dns64_timer(sd_event_source *s, uint64_t usec, void *arg)
{
	struct instance *inst = arg;

	(void)s;
	(void)usec;
	if (inst->dns64 != NULL && !inst->dns64_running &&
	    dns64_start(inst->dns64) == 0)
		inst->dns64_running = true;
	return 0;
}

static void
arm(struct instance *inst, sd_event_source **src, uint64_t delay,
    sd_event_time_handler_t cb)
{
	int r;

	if (*src != NULL) {
		sd_event_source_set_time_relative(*src, delay);
		sd_event_source_set_enabled(*src, SD_EVENT_ONESHOT);
		return;
	}
	r = sd_event_add_time_relative(inst->env.event, src, CLOCK_MONOTONIC,
				       delay, 0, cb, inst);
	if (r < 0) {
		errno = -r;
		log_warn("%s: timer", __func__);
	}
}

static void
on_dns64_done(bool found, const struct xlat_prefix6 *prefix, void *arg)
{
	struct instance *inst = arg;
	char buf[64];

	inst->dns64_running = false;
	if (found) {
		if (!inst->has_dns64_prefix ||
		    memcmp(&inst->dns64_prefix, prefix, sizeof(*prefix)) != 0)
			log_info("%s: DNS64 (RFC 7050) gives PLAT prefix %s",
				 inst->up.name,
				 prefix_str(prefix, buf, sizeof(buf)));
		inst->has_dns64_prefix = true;
		inst->dns64_prefix = *prefix;
		arm(inst, &inst->dns64_timer, DNS64_REFRESH_USEC,
		    on_dns64_timer);
	} else {
		log_debug("%s: DNS64 lookup of ipv4only.arpa found no prefix",
			  inst->up.name);
		inst->has_dns64_prefix = false;
		arm(inst, &inst->dns64_timer, DNS64_RETRY_USEC, on_dns64_timer);
	}
	schedule(inst, EVAL_DELAY_USEC);
}

static int
on_ra_expiry(sd_event_source *s, uint64_t usec, void *arg)
{
	struct instance *inst = arg;

	(void)s;
	(void)usec;
	if (!inst->has_ra_prefix)
		return 0;
	log_info("%s: PREF64 lifetime ended", inst->up.name);
	inst->has_ra_prefix = false;
	on_dns64_timer(NULL, 0, inst);
	schedule(inst, 0);
	return 0;
}

/* RFC 8781 §4: the newest PREF64 replaces the prefix; lifetime 0 takes
 * it back. */
static void
on_pref64(struct instance *inst, const struct pref64 *p)
{
	char buf[64];

	prefix_str(&p->prefix, buf, sizeof(buf));
	if (p->lifetime == 0) {
		if (!inst->has_ra_prefix ||
		    memcmp(&inst->ra_prefix, &p->prefix, sizeof(p->prefix)))
			return;
		log_info("%s: PREF64 %s withdrawn", inst->up.name, buf);
		inst->has_ra_prefix = false;
		on_dns64_timer(NULL, 0, inst);
	} else {
		if (!inst->has_ra_prefix ||
		    memcmp(&inst->ra_prefix, &p->prefix, sizeof(p->prefix)))
			log_info("%s: PREF64 (RFC 8781) gives PLAT prefix %s, "
				 "lifetime %u s",
				 inst->up.name, buf, p->lifetime);
		inst->has_ra_prefix = true;
		inst->ra_prefix = p->prefix;
		inst->ra_expiry = now_usec(inst) + p->lifetime * USEC_PER_SEC;
		arm(inst, &inst->ra_timer, p->lifetime * USEC_PER_SEC,
		    on_ra_expiry);
	}
	schedule(inst, 0);
}

/* --- addresses --- */

static void
on_dad_done(enum dad_result result, void *arg)
{
	struct instance *inst = arg;
	char a[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, &inst->dad_addr, a, sizeof(a));
	stop_dad(inst);
	switch (result) {
	case DAD_OK:
		log_info("%s: CLAT address %s passed DAD", inst->up.name, a);
		inst->v6 = inst->dad_addr;
		inst->has_v6 = true;
		inst->dad_failures = 0;
		break;
	case DAD_DUPLICATE:
		/* RFC 7217 §6: a new DAD_Counter gives a new address. */
		log_warnx("%s: CLAT address %s is in use: choosing another",
			  inst->up.name, a);
		inst->dad_counter++;
		inst->dad_failures++;
		break;
	case DAD_ERROR:
		log_warnx("%s: DAD for %s failed to run", inst->up.name, a);
		inst->dad_failures++;
		break;
	}
	schedule(inst, inst->dad_failures ? USEC_PER_SEC : 0);
}

static bool
v6_still_valid(const struct instance *inst)
{
	unsigned i;

	if (inst->env.cfg->clat_v6_mode == CLAT_V6_STATIC)
		return true;
	for (i = 0; i < inst->up.prefix_count; i++)
		if (memcmp(&inst->up.prefixes[i], &inst->v6, 8) == 0)
			return true;
	return false;
}

/* draft-ietf-v6ops-claton: a dedicated address from a SLAAC /64, checked
 * by DAD before use. Returns true when inst->v6 is ready. */
static bool
ensure_v6(struct instance *inst)
{
	const struct config *cfg = inst->env.cfg;
	int best;

	if (cfg->clat_v6_mode == CLAT_V6_STATIC) {
		inst->v6 = cfg->clat_v6;
		inst->has_v6 = true;
		return true;
	}
	if (inst->has_v6 && v6_still_valid(inst))
		return true;
	if (inst->has_v6) {
		log_info("%s: the CLAT address's /64 is gone: renumbering",
			 inst->up.name);
		inst->has_v6 = false;
	}
	if (inst->dad != NULL)
		return false;
	if (inst->dad_failures >= DAD_ATTEMPTS_MAX) {
		set_state(inst, INST_DAD,
			  "no CLAT address passed DAD after %u attempts",
			  inst->dad_failures);
		return false;
	}
	best = clat_addr_pick_prefix(inst->up.prefixes, inst->up.prefix_count,
				     &inst->prefix);
	if (best < 0)
		return false;
	clat_addr_make(inst->env.secret, &inst->up.prefixes[best],
		       inst->up.name, inst->dad_counter, &inst->v4,
		       &inst->prefix, inst->up.addrs, inst->up.addr_count,
		       &inst->dad_addr);
	inst->dad = dad_start(inst->env.event, inst->ifindex, &inst->dad_addr,
			      on_dad_done, inst);
	if (inst->dad == NULL) {
		log_warn("%s: DAD", inst->up.name);
		inst->dad_failures++;
		schedule(inst, USEC_PER_SEC);
		return false;
	}
	set_state(inst, INST_DAD, "checking a new CLAT address");
	return false;
}

static bool
ensure_v4(struct instance *inst)
{
	const struct config *cfg = inst->env.cfg;

	if (inst->has_v4)
		return true;
	if (cfg->has_clat_v4) {
		inst->v4 = cfg->clat_v4;
	} else {
		uint8_t claimed[8] = {0};

		if (inst->env.claimed_v4 != NULL)
			inst->env.claimed_v4(inst, claimed, inst->env.arg);
		if (!sysstate_free_clat_v4(inst->env.rtnl, claimed,
					   &inst->v4)) {
			set_state(inst, INST_WAIT_UPLINK,
				  "no free IPv4 address in 192.0.0.0/29");
			return false;
		}
	}
	inst->has_v4 = true;
	return true;
}

/* One instance: the configured metric. Several: unique metrics that
 * follow the uplink's RFC 4191 preference, 8 apart per preference, then
 * by the last octet of 192.0.0.x, which no two instances share. */
static unsigned
route_metric(const struct instance *inst)
{
	unsigned base = inst->env.cfg->v4_defaultroute_metric;
	uint8_t octet = ((const uint8_t *)&inst->v4)[3];

	long long m = (long long)base + 8 * inst->pref + octet - 1;

	if (!inst->env.multi)
		return base;
	return m < 0 ? 0 : m > UINT32_MAX ? UINT32_MAX : (unsigned)m;
}

/* --- the evaluation --- */

static void
go_idle(struct instance *inst, enum inst_state state)
{
	stop_datapath(inst);
	if (state != INST_DAD)
		stop_dad(inst);
}

static int
on_conncheck(sd_event_source *s, uint64_t usec, void *arg)
{
	struct instance *inst = arg;

	(void)s;
	(void)usec;
	inst->conncheck_done = true;
	schedule(inst, 0);
	return 0;
}

/* The uplink, native IPv4 and the prefix: may we run at all? */
static bool
preconditions(struct instance *inst)
{
	const struct config *cfg = inst->env.cfg;
	char name[IF_NAMESIZE];

	memcpy(name, inst->up.name, sizeof(name));
	if (sysstate_uplink(inst->env.rtnl, inst->ifindex, &inst->up) < 0 ||
	    !inst->up.present) {
		memcpy(inst->up.name, name, sizeof(name)); /* for the log */
		go_idle(inst, INST_WAIT_UPLINK);
		set_state(inst, INST_WAIT_UPLINK, "no IPv6 uplink");
		return false;
	}
	if (!inst->up.up || inst->up.prefix_count == 0) {
		go_idle(inst, INST_WAIT_UPLINK);
		set_state(inst, INST_WAIT_UPLINK, "%s",
			  inst->up.up ? "no SLAAC /64 on the uplink"
				      : "uplink is down");
		return false;
	}
	if (inst->env.multi && !inst->has_default6) {
		go_idle(inst, INST_WAIT_UPLINK);
		set_state(inst, INST_WAIT_UPLINK,
			  "no IPv6 default route on the uplink");
		return false;
	}
	if (cfg->v4_conncheck_enable && !cfg->v4_defaultroute_replace) {
		if (!inst->conncheck_done) {
			if (inst->conncheck_timer == NULL)
				arm(inst, &inst->conncheck_timer,
				    cfg->v4_conncheck_delay * USEC_PER_SEC,
				    on_conncheck);
			set_state(inst, INST_CONNCHECK,
				  "checking for native IPv4 in %u s",
				  cfg->v4_conncheck_delay);
			return false;
		}
		if (sysstate_native_ipv4(inst->env.rtnl)) {
			go_idle(inst, INST_NATIVE_IPV4);
			set_state(inst, INST_NATIVE_IPV4,
				  "an IPv4 default route exists");
			return false;
		}
	}
	if (!current_prefix(inst, &inst->prefix_source, &inst->prefix)) {
		go_idle(inst, INST_WAIT_PREFIX);
		set_state(inst, INST_WAIT_PREFIX,
			  "no PLAT prefix from PREF64, DNS64 or the "
			  "configuration");
		return false;
	}
	return true;
}

static void
evaluate(struct instance *inst)
{
	struct dp_params params;
	char pbuf[64], v6[INET6_ADDRSTRLEN], v4[INET_ADDRSTRLEN];

	if (!preconditions(inst))
		return;
	if (!ensure_v4(inst)) {
		stop_datapath(inst);
		return;
	}
	if (!ensure_v6(inst)) {
		/* Renumbering: the device and its IPv4 side stay while the
		 * new CLAT address is checked; datapath_update swaps it. */
		if (inst->dad == NULL)
			stop_datapath(inst);
		return;
	}
	if (inst->dp == NULL &&
	    now_usec(inst) < inst->last_teardown + HOLDDOWN_USEC) {
		schedule(inst,
			 inst->last_teardown + HOLDDOWN_USEC - now_usec(inst));
		return;
	}
	memset(&params, 0, sizeof(params));
	params.cfg = inst->env.cfg;
	params.uplink = inst->ifindex;
	params.uplink_mtu = inst->up.mtu;
	params.prefix = inst->prefix;
	params.v4 = inst->v4;
	params.v6 = inst->v6;
	params.clat_dev = inst->clat_dev;
	params.metric = route_metric(inst);
	params.policy = inst->policy;
	if (inst->dp == NULL)
		inst->dp =
			datapath_new(inst->env.event, inst->env.rtnl, &params);
	else if (datapath_update(inst->dp, &params) < 0)
		stop_datapath(inst);
	if (inst->dp == NULL) {
		inst->last_teardown = now_usec(inst);
		set_state(inst, INST_WAIT_UPLINK, "data path setup failed");
		schedule(inst, HOLDDOWN_USEC);
		return;
	}
	inet_ntop(AF_INET6, &inst->v6, v6, sizeof(v6));
	inet_ntop(AF_INET, &inst->v4, v4, sizeof(v4));
	set_state(inst, INST_RUNNING, "%s <-> %s via %s (%s)", v4, v6,
		  prefix_str(&inst->prefix, pbuf, sizeof(pbuf)),
		  prefix_source_name(inst->prefix_source));
}

static int
on_eval(sd_event_source *s, uint64_t usec, void *arg)
{
	(void)s;
	(void)usec;
	evaluate(arg);
	return 0;
}

/* Coalesce: one evaluation however many events come in the meantime. */
static void
schedule(struct instance *inst, uint64_t delay)
{
	int enabled = SD_EVENT_OFF;
	uint64_t when = 0, want = now_usec(inst) + delay;

	if (inst->eval_timer != NULL) {
		sd_event_source_get_enabled(inst->eval_timer, &enabled);
		sd_event_source_get_time(inst->eval_timer, &when);
		if (enabled != SD_EVENT_OFF && when <= want)
			return;
	}
	arm(inst, &inst->eval_timer, delay, on_eval);
}

void
instance_info(const struct instance *inst, struct inst_info *info)
{
	uint64_t now = now_usec(inst);

	memset(info, 0, sizeof(*info));
	memcpy(info->uplink, inst->up.name, sizeof(info->uplink));
	memcpy(info->clat_dev, inst->clat_dev, sizeof(info->clat_dev));
	info->state = inst->state;
	info->cause = inst->cause;
	info->prefix_source =
		inst->state >= INST_DAD ? inst->prefix_source : PREFIX_NONE;
	info->prefix = inst->prefix;
	info->prefix_lifetime = -1;
	if (info->prefix_source == PREFIX_RA)
		info->prefix_lifetime =
			inst->ra_expiry > now
				? (long)((inst->ra_expiry - now) / USEC_PER_SEC)
				: 0;
	info->has_v4 = inst->has_v4;
	info->v4 = inst->v4;
	info->has_v6 = inst->has_v6;
	info->v6 = inst->v6;
	if (inst->dp != NULL) {
		info->route_mtu = datapath_route_mtu(inst->dp);
		info->stats = datapath_stats(inst->dp);
		info->fast_packets = datapath_fast_packets(inst->dp);
	}
}

void
instance_on_event(struct instance *inst, const struct rtnl_event *ev)
{
	struct pref64 p;

	switch (ev->type) {
	case RTNL_EV_ND_USEROPT:
		if (ev->useropt.ifindex == inst->ifindex &&
		    pref64_parse(ev->useropt.opts, ev->useropt.opts_len, &p))
			on_pref64(inst, &p);
		return;
	case RTNL_EV_ADDR_NEW:
	case RTNL_EV_ADDR_DEL:
	case RTNL_EV_ROUTE_NEW:
	case RTNL_EV_ROUTE_DEL:
	case RTNL_EV_LINK_NEW:
	case RTNL_EV_LINK_DEL:
	case RTNL_EV_OVERRUN:
		schedule(inst, EVAL_DELAY_USEC);
		return;
	}
}

struct instance *
instance_new(const struct inst_env *env, unsigned ifindex,
	     const char *clat_dev)
{
	struct instance *inst;

	if ((inst = calloc(1, sizeof(*inst))) == NULL)
		return NULL;
	inst->env = *env;
	inst->ifindex = ifindex;
	/* for the log lines before the first evaluation reads it */
	if_indextoname(ifindex, inst->up.name);
	snprintf(inst->clat_dev, sizeof(inst->clat_dev), "%s", clat_dev);
	inst->state = INST_WAIT_UPLINK;
	if (!env->cfg->has_plat_prefix) {
		const char *servers = env->cfg->dns64_servers;

		inst->dns64 = dns64_new(env->event, servers[0] ? servers : NULL,
					on_dns64_done, inst);
		if (inst->dns64 == NULL)
			log_warnx("DNS64 discovery is not available");
		else
			on_dns64_timer(NULL, 0, inst);
	}
	ndisc_send_rs(ifindex);
	schedule(inst, 0);
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
	schedule(inst, EVAL_DELAY_USEC);
}

unsigned
instance_ifindex(const struct instance *inst)
{
	return inst->ifindex;
}

bool
instance_v4(const struct instance *inst, struct in_addr *v4)
{
	*v4 = inst->v4;
	return inst->has_v4;
}

void
instance_free(struct instance *inst)
{
	if (inst == NULL)
		return;
	stop_datapath(inst);
	stop_dad(inst);
	dns64_free(inst->dns64);
	sd_event_source_disable_unref(inst->ra_timer);
	sd_event_source_disable_unref(inst->dns64_timer);
	sd_event_source_disable_unref(inst->conncheck_timer);
	sd_event_source_disable_unref(inst->eval_timer);
	free(inst);
}
