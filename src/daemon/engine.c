/* SPDX-License-Identifier: BSD-2-Clause */
/* A CLAT instance's state machine: facts in, state and actions out. */
#include <arpa/inet.h>
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "clat_addr.h"
#include "engine.h"

/* One step's context: the state being made, and where actions go. */
struct step {
	struct engine_state *s;
	const struct engine_facts *f;
	const struct config *cfg;
	struct engine_actions *out;
	bool reconfigured; /* the data path is to be updated anyway */
};

/* How the CLAT IPv6 address stands in a step. */
enum v6_status {
	V6_READY,
	V6_PENDING, /* DAD runs or is to be tried again: the device stays */
	V6_NONE,    /* none can be had */
};

#define LOG_FMT3 __attribute__((format(printf, 3, 4)))

const char *
engine_state_name(enum inst_state state)
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
engine_source_name(enum prefix_source source)
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

const char *
engine_v6_source_name(enum v6_source source)
{
	switch (source) {
	case V6_SOURCE_NONE:
		return "none";
	case V6_SOURCE_SLAAC:
		return "slaac";
	case V6_SOURCE_DELEGATED:
		return "delegated";
	case V6_SOURCE_DHCPV6:
		return "dhcpv6";
	case V6_SOURCE_SHARED:
		return "shared";
	case V6_SOURCE_STATIC:
		return "static";
	}
	return "unknown";
}

void
engine_init(struct engine_state *st)
{
	memset(st, 0, sizeof(*st));
	st->state = INST_WAIT_UPLINK;
}

static struct engine_action *
engine_emit(struct step *k, enum engine_action_kind kind)
{
	struct engine_action *a;

	/* at most one of each kind a step, and a few log lines */
	assert(k->out->n < ENGINE_ACTIONS_MAX);
	a = &k->out->a[k->out->n++];
	memset(a, 0, sizeof(*a));
	a->kind = kind;
	return a;
}

static void engine_log(struct step *k, enum engine_log_level level,
		       const char *fmt, ...) LOG_FMT3;

static void
engine_log(struct step *k, enum engine_log_level level, const char *fmt, ...)
{
	struct engine_action *a = engine_emit(k, ENGINE_ACT_LOG);
	va_list ap;

	a->level = level;
	va_start(ap, fmt);
	vsnprintf(a->text, sizeof(a->text), fmt, ap);
	va_end(ap);
}

/* The state and its cause; the step reports the change once, at its
 * end, so that what it passed through on the way is not logged. */
static void engine_set_state(struct step *k, enum inst_state state,
			     const char *fmt, ...) LOG_FMT3;

static void
engine_set_state(struct step *k, enum inst_state state, const char *fmt, ...)
{
	va_list ap;

	k->s->state = state;
	va_start(ap, fmt);
	vsnprintf(k->s->cause, sizeof(k->s->cause), fmt, ap);
	va_end(ap);
}

static void
engine_wake(struct step *k, uint64_t at)
{
	if (k->out->wake_at == 0 || at < k->out->wake_at)
		k->out->wake_at = at;
}

static const char *
engine_prefix_str(const struct xlat_prefix6 *p, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, &p->addr, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, p->len);
	return buf;
}

static bool
engine_same_prefix(const struct xlat_prefix6 *a, const struct xlat_prefix6 *b)
{
	return a->len == b->len && memcmp(&a->addr, &b->addr, 16) == 0;
}

static bool
engine_same_dp(const struct engine_dp *a, const struct engine_dp *b)
{
	return engine_same_prefix(&a->prefix, &b->prefix) &&
	       a->v4.s_addr == b->v4.s_addr &&
	       memcmp(&a->v6, &b->v6, 16) == 0 &&
	       a->uplink_mtu == b->uplink_mtu && a->metric == b->metric &&
	       a->policy == b->policy && a->anycast == b->anycast &&
	       a->grace == b->grace && a->v6_route == b->v6_route &&
	       a->router == b->router &&
	       a->portswap.first == b->portswap.first &&
	       a->portswap.size == b->portswap.size;
}

static void
engine_stop_dp(struct step *k)
{
	if (!k->s->dp_up)
		return;
	engine_emit(k, ENGINE_ACT_DP_DESTROY);
	k->s->dp_up = false;
	k->s->in_grace = false;
	k->s->last_teardown = k->f->now;
}

/* Take the data path down to make it anew at once: no flap, no
 * hold-down. */
static void
engine_rebuild(struct step *k)
{
	if (!k->s->dp_up)
		return;
	engine_emit(k, ENGINE_ACT_DP_DESTROY);
	k->s->dp_up = false;
}

static void
engine_stop_dad(struct step *k)
{
	if (!k->s->dad_running && !k->s->nd_answering)
		return;
	engine_emit(k, ENGINE_ACT_DAD_STOP);
	k->s->dad_running = false;
	/* unverified, or no longer answered for: not to be used again
	 * without a DAD */
	if (k->s->v6_optimistic || k->s->nd_answering)
		k->s->has_v6 = false;
	k->s->nd_answering = false;
	k->s->v6_optimistic = false;
}

/* Stand down: the data path goes, and a DAD in progress with it. */
static void
engine_idle(struct step *k)
{
	engine_stop_dp(k);
	engine_stop_dad(k);
}

/* --- what the instance learned --- */

/* A DNS64 lookup is due at once (the RA's prefix went away). */
static void
engine_dns64_now(struct step *k)
{
	if (!k->s->dns64_running)
		k->s->dns64_at = k->f->now;
}

/* RFC 8781 §4: the newest PREF64 replaces the prefix; lifetime 0 takes
 * it back. */
static void
engine_on_pref64(struct step *k, const struct pref64 *p)
{
	struct engine_state *s = k->s;
	char buf[64];

	engine_prefix_str(&p->prefix, buf, sizeof(buf));
	if (p->lifetime == 0) {
		if (!s->has_ra_prefix ||
		    !engine_same_prefix(&s->ra_prefix, &p->prefix))
			return;
		engine_log(k, ENGINE_LOG_INFO, "PREF64 %s withdrawn", buf);
		s->has_ra_prefix = false;
		engine_dns64_now(k);
		return;
	}
	if (!s->has_ra_prefix || !engine_same_prefix(&s->ra_prefix, &p->prefix))
		engine_log(k, ENGINE_LOG_INFO,
			   "PREF64 (RFC 8781) gives PLAT prefix %s, "
			   "lifetime %u s",
			   buf, p->lifetime);
	s->has_ra_prefix = true;
	s->ra_prefix = p->prefix;
	s->ra_expiry = k->f->now + p->lifetime * ENGINE_USEC_PER_SEC;
}

static void
engine_on_dns64(struct step *k, const struct engine_event *ev)
{
	struct engine_state *s = k->s;
	char buf[64];

	s->dns64_running = false;
	if (!ev->dns64_found) {
		engine_log(k, ENGINE_LOG_DEBUG,
			   "DNS64 lookup of ipv4only.arpa found no prefix");
		s->has_dns64_prefix = false;
		s->dns64_at = k->f->now + ENGINE_DNS64_RETRY_USEC;
		return;
	}
	if (!s->has_dns64_prefix ||
	    !engine_same_prefix(&s->dns64_prefix, &ev->dns64_prefix))
		engine_log(
			k, ENGINE_LOG_INFO,
			"DNS64 (RFC 7050) gives PLAT prefix %s",
			engine_prefix_str(&ev->dns64_prefix, buf, sizeof(buf)));
	s->has_dns64_prefix = true;
	s->dns64_prefix = ev->dns64_prefix;
	s->dns64_at = k->f->now + ENGINE_DNS64_REFRESH_USEC;
}

static void
engine_on_dad(struct step *k, const struct engine_event *ev)
{
	struct engine_state *s = k->s;
	char a[INET6_ADDRSTRLEN];

	/* a verdict for a DAD that was stopped since */
	if (!s->dad_running || memcmp(&ev->dad_addr, &s->dad_addr, 16) != 0)
		return;
	s->dad_running = false;
	inet_ntop(AF_INET6, &s->dad_addr, a, sizeof(a));
	switch (ev->dad_result) {
	case DAD_OK:
		engine_log(k, ENGINE_LOG_INFO, "CLAT address %s passed DAD", a);
		s->v6 = s->dad_addr;
		s->has_v6 = true;
		s->v6_optimistic = false;
		s->nd_answering = s->v6_source == V6_SOURCE_DHCPV6;
		s->dad_failures = 0;
		return;
	case DAD_DUPLICATE:
		/* RFC 7217 §6: a new DAD_Counter gives a new address. */
		engine_log(k, ENGINE_LOG_WARN,
			   "CLAT address %s is in use: %s, choosing another", a,
			   s->v6_optimistic ? "withdrawn" : "not used");
		s->dad_counter++;
		s->dad_conflicts++;
		break;
	case DAD_ERROR:
		engine_log(k, ENGINE_LOG_WARN, "DAD for %s failed to run", a);
		break;
	}
	/* RFC 8415 §18.2.8: a leased address in use is declined; the
	 * client asks for another. */
	if (ev->dad_result == DAD_DUPLICATE &&
	    s->v6_source == V6_SOURCE_DHCPV6 && s->has_dhcp6 &&
	    memcmp(&s->dad_addr, &s->dhcp6_addr, 16) == 0) {
		engine_emit(k, ENGINE_ACT_DHCP6_DECLINE);
		s->has_dhcp6 = false;
	}
	s->dad_failures++;
	s->dad_retry_at = k->f->now + ENGINE_DAD_RETRY_USEC;
	/* RFC 4429 §3.3: an optimistic address that fails is given up at
	 * once; a duplicate is replaced at once, as translating from it
	 * must stop. */
	if (s->v6_optimistic) {
		s->v6_optimistic = false;
		s->has_v6 = false;
		if (ev->dad_result == DAD_DUPLICATE)
			s->dad_retry_at = k->f->now;
	}
}

/* A reload: addresses the configuration no longer gives are chosen
 * again; the data path is updated, or made anew; the IPv4 check and its
 * delay are not done again. */
static void
engine_on_config(struct step *k, const struct engine_event *ev)
{
	const struct config *cfg = k->cfg;
	struct engine_state *s = k->s;
	bool v6_static = cfg->clat_v6_mode == CLAT_V6_STATIC;

	if (s->has_v4 &&
	    (s->v4_static != cfg->has_clat_v4 ||
	     (cfg->has_clat_v4 && cfg->clat_v4.s_addr != s->v4.s_addr))) {
		s->has_v4 = false;
		engine_rebuild(k);
	}
	if (s->has_v6 && s->v6_static != v6_static)
		s->has_v6 = false;
	if (ev->rebuild)
		engine_rebuild(k);
	if (ev->dns64_reset) {
		s->dns64_running = false;
		s->dns64_at = k->f->now;
	}
	k->reconfigured = true;
}

/* What the DHCPv4 watch saw, while it is open; a server's answer is
 * logged, RFC 8925's option 108 or not. */
static void
engine_on_dhcp4(struct step *k, const struct dhcp4_seen *seen)
{
	if (!k->s->watch_open)
		return;
	v4evidence_add(&k->s->v4ev, seen, k->f->now / ENGINE_USEC_PER_MS);
	if (seen->kind == DHCP4_CLIENT)
		return;
	engine_log(k, ENGINE_LOG_INFO, "DHCPv4 %s for this host, %s",
		   seen->kind == DHCP4_OFFER ? "OFFER" : "ACK",
		   seen->v6only ? "with option 108 (IPv6-Only Preferred)"
				: "without option 108: IPv4 is coming");
}

/* What the DHCPv6 client bound or lost (RFC 8415 §18.2.10). */
static void
engine_on_dhcp6(struct step *k, const struct engine_event *ev)
{
	struct engine_state *s = k->s;
	char a[INET6_ADDRSTRLEN];

	if (!s->dhcp6_running)
		return;
	if (ev->dhcp6_failed) {
		engine_log(k, ENGINE_LOG_WARN,
			   "the DHCPv6 client could not start: again in %llu s",
			   ENGINE_DHCP6_RETRY_USEC / ENGINE_USEC_PER_SEC);
		s->dhcp6_running = false;
		s->dhcp6_retry_at = k->f->now + ENGINE_DHCP6_RETRY_USEC;
		return;
	}
	if (ev->dhcp6_lost && s->has_dhcp6 &&
	    memcmp(&ev->dhcp6_lost_addr, &s->dhcp6_addr, 16) == 0) {
		engine_log(k, ENGINE_LOG_INFO, "DHCPv6 address %s lost",
			   inet_ntop(AF_INET6, &s->dhcp6_addr, a, sizeof(a)));
		s->has_dhcp6 = false;
	}
	if (!ev->dhcp6_bound)
		return;
	if (!s->has_dhcp6 || memcmp(&ev->dhcp6_addr, &s->dhcp6_addr, 16) != 0)
		engine_log(k, ENGINE_LOG_INFO,
			   "DHCPv6 (IA_NA) gives the CLAT address %s",
			   inet_ntop(AF_INET6, &ev->dhcp6_addr, a, sizeof(a)));
	s->has_dhcp6 = true;
	s->dhcp6_addr = ev->dhcp6_addr;
}

static void
engine_on_event(struct step *k)
{
	const struct engine_event *ev = &k->f->ev;

	switch (ev->kind) {
	case ENGINE_EV_NONE:
		return;
	case ENGINE_EV_PREF64:
		engine_on_pref64(k, &ev->pref64);
		return;
	case ENGINE_EV_DNS64:
		engine_on_dns64(k, ev);
		return;
	case ENGINE_EV_DAD:
		engine_on_dad(k, ev);
		return;
	case ENGINE_EV_DP_FAILED:
		if (!k->s->dp_up)
			return;
		k->s->dp_up = false;
		k->s->last_teardown = k->f->now;
		engine_set_state(k, INST_WAIT_UPLINK, "data path setup failed");
		return;
	case ENGINE_EV_CONFIG:
		engine_on_config(k, ev);
		return;
	case ENGINE_EV_DHCP4:
		engine_on_dhcp4(k, &ev->dhcp4);
		return;
	case ENGINE_EV_DHCP6:
		engine_on_dhcp6(k, ev);
		return;
	case ENGINE_EV_WATCH_FAILED:
		if (!k->s->watch_open)
			return;
		k->s->watch_open = false;
		k->s->watch_failed = true;
		engine_log(k, ENGINE_LOG_WARN,
			   "no DHCPv4 watch: waiting v4-conncheck-delay "
			   "(%u s) instead",
			   k->cfg->v4_conncheck_delay);
		return;
	}
}

/* PREF64 lifetimes that ended, DNS64 lookups that are due. */
static void
engine_timers(struct step *k)
{
	struct engine_state *s = k->s;

	if (s->has_ra_prefix && k->f->now >= s->ra_expiry) {
		engine_log(k, ENGINE_LOG_INFO, "PREF64 lifetime ended");
		s->has_ra_prefix = false;
		engine_dns64_now(k);
	}
	if (k->f->dns64_available && !s->dns64_running &&
	    k->f->now >= s->dns64_at) {
		engine_emit(k, ENGINE_ACT_DNS64_START);
		s->dns64_running = true;
	}
}

/* --- the evaluation --- */

/* The PLAT prefix, in this order: plat-prefix (which turns discovery
 * off, as in clatd), PREF64, DNS64, plat-fallback-prefix. */
static bool
engine_pick_prefix(struct step *k)
{
	const struct config *cfg = k->cfg;
	struct engine_state *s = k->s;

	if (cfg->has_plat_prefix) {
		s->prefix_source = PREFIX_STATIC;
		s->prefix = cfg->plat_prefix;
	} else if (s->has_ra_prefix) {
		s->prefix_source = PREFIX_RA;
		s->prefix = s->ra_prefix;
	} else if (s->has_dns64_prefix) {
		s->prefix_source = PREFIX_DNS64;
		s->prefix = s->dns64_prefix;
	} else if (cfg->has_plat_fallback_prefix) {
		s->prefix_source = PREFIX_FALLBACK;
		s->prefix = cfg->plat_fallback_prefix;
	} else {
		s->prefix_source = PREFIX_NONE;
		return false;
	}
	return true;
}

static void
engine_close_watch(struct step *k)
{
	if (!k->s->watch_open)
		return;
	engine_emit(k, ENGINE_ACT_WATCH_CLOSE);
	k->s->watch_open = false;
}

/* The wait ends; what ended it is shown with the running state. */
static void
engine_conncheck_end(struct step *k, enum v4evidence_cause cause)
{
	k->s->conncheck_done = true;
	k->s->has_start_cause = true;
	k->s->start_cause = cause;
	engine_close_watch(k);
}

/* The wait before the first check, once: RFC 8925 evidence from the
 * DHCPv4 watch, or clatd's v4-conncheck-delay when it is set or the
 * watch failed. False while it runs. */
static bool
engine_conncheck_wait(struct step *k)
{
	const struct config *cfg = k->cfg;
	struct engine_state *s = k->s;
	struct v4evidence_cfg ec = {
		.explicit_delay =
			cfg->v4_conncheck_delay_set || s->watch_failed,
		.delay_s = cfg->v4_conncheck_delay,
	};
	enum v4evidence_cause cause;
	uint64_t until_ms;

	if (!s->conncheck_armed) {
		s->conncheck_armed = true;
		v4evidence_init(&s->v4ev, k->f->now / ENGINE_USEC_PER_MS);
		if (!ec.explicit_delay) {
			engine_emit(k, ENGINE_ACT_WATCH_OPEN);
			s->watch_open = true;
		}
	}
	if (v4evidence_decide(&s->v4ev, &ec, k->f->now / ENGINE_USEC_PER_MS,
			      &cause, &until_ms)) {
		engine_conncheck_end(k, cause);
		return true;
	}
	/* Evidence: native IPv4 that comes ends the wait at once; what
	 * starts the CLAT later is that it went. */
	if (!ec.explicit_delay && k->f->native_v4) {
		engine_conncheck_end(k, cause);
		s->has_start_cause = false;
		return true;
	}
	if (ec.explicit_delay)
		engine_set_state(k, INST_CONNCHECK,
				 "%s: checking for native IPv4 in %u s",
				 v4evidence_cause_name(cause),
				 cfg->v4_conncheck_delay);
	else
		engine_set_state(k, INST_CONNCHECK, "%s",
				 v4evidence_cause_name(cause));
	engine_wake(k, until_ms * ENGINE_USEC_PER_MS);
	return false;
}

/* Native IPv4 came while running: new flows take it, but those already
 * translated, from the CLAT address, keep the data path through its
 * source rule for v4-native-grace seconds. True while that lasts. */
static bool
engine_grace(struct step *k)
{
	struct engine_state *s = k->s;
	struct engine_dp d = s->dp;
	char v4[INET_ADDRSTRLEN];

	if (!s->dp_up || k->cfg->v4_native_grace == 0) {
		s->in_grace = false;
		return false;
	}
	if (!s->in_grace) {
		s->in_grace = true;
		s->grace_until = k->f->now +
				 k->cfg->v4_native_grace * ENGINE_USEC_PER_SEC;
	}
	if (k->f->now >= s->grace_until)
		return false;
	d.grace = true;
	if (!engine_same_dp(&s->dp, &d) || k->reconfigured)
		engine_emit(k, ENGINE_ACT_DP_UPDATE)->dp = d;
	s->dp = d;
	inet_ntop(AF_INET, &s->v4, v4, sizeof(v4));
	engine_set_state(k, INST_NATIVE_IPV4,
			 "an IPv4 default route exists; flows from %s kept "
			 "for v4-native-grace (%u s)",
			 v4, k->cfg->v4_native_grace);
	engine_wake(k, s->grace_until);
	return true;
}

/* The wait, once; then whether native IPv4 keeps us out. */
static bool
engine_ipv4_check(struct step *k)
{
	const struct config *cfg = k->cfg;
	struct engine_state *s = k->s;

	/* off: nothing to wait for, should it be turned on by a reload */
	if (!cfg->v4_conncheck_enable || cfg->v4_defaultroute_replace) {
		s->conncheck_done = true;
		engine_close_watch(k);
		return true;
	}
	if (!s->conncheck_done && !engine_conncheck_wait(k))
		return false;
	if (k->f->native_v4) {
		if (engine_grace(k))
			return false;
		engine_idle(k);
		engine_set_state(k, INST_NATIVE_IPV4,
				 "an IPv4 default route exists");
		return false;
	}
	s->in_grace = false;
	return true;
}

/* The uplink, native IPv4 and the prefix: may we run at all? */
static bool
engine_preconditions(struct step *k)
{
	const struct uplink_state *up = k->f->up;
	const char *why = NULL;

	if (!up->present)
		why = "no IPv6 uplink";
	else if (!up->up)
		why = "uplink is down";
	else if (engine_v6_source_pick(k->f, k->cfg) == V6_SOURCE_NONE)
		why = k->cfg->clat_v6_mode == CLAT_V6_SHARED && up->has_own
			      ? "clat-v6-addr=shared: no room below "
				"ip_local_port_range for the port swap"
			      : "no SLAAC /64 on the uplink, no delegated "
				"prefix";
	else if (k->cfg->plat_dev[0] == '\0' && !k->f->has_default6)
		why = config_one_clat(k->cfg)
			      ? "the route toward the PLAT prefix leaves "
				"through another link, or none"
			      : "no IPv6 default route on the uplink";
	if (why != NULL) {
		engine_idle(k);
		engine_set_state(k, INST_WAIT_UPLINK, "%s", why);
		return false;
	}
	if (!engine_ipv4_check(k))
		return false;
	if (!engine_pick_prefix(k)) {
		engine_idle(k);
		engine_set_state(k, INST_WAIT_PREFIX,
				 "no PLAT prefix from PREF64, DNS64 or the "
				 "configuration");
		return false;
	}
	return true;
}

/* RFC 7335: the configured address, or the first free 192.0.0.x; kept
 * once chosen. */
static bool
engine_ensure_v4(struct step *k)
{
	struct engine_state *s = k->s;

	if (s->has_v4)
		return true;
	s->v4_static = k->cfg->has_clat_v4;
	if (k->cfg->has_clat_v4) {
		s->v4 = k->cfg->clat_v4;
	} else if (k->f->has_free_v4) {
		s->v4 = k->f->free_v4;
	} else {
		engine_set_state(k, INST_WAIT_UPLINK,
				 "no free IPv4 address in 192.0.0.0/29");
		return false;
	}
	s->has_v4 = true;
	return true;
}

/* A point-to-point link without Neighbor Discovery (IFF_NOARP: PPP,
 * WireGuard, raw-IP modems): nobody else can hold an address of its
 * prefix, which the peer routes over the link, and nobody sends an NS
 * for it. RFC 4862 §5.4 has nothing to check: the address chosen is
 * used at once, and final. */
static enum v6_status
engine_v6_without_dad(struct step *k)
{
	struct engine_state *s = k->s;
	char a[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, &s->dad_addr, a, sizeof(a));
	engine_log(k, ENGINE_LOG_INFO,
		   "no Neighbor Discovery on %s: CLAT address %s used "
		   "without DAD",
		   k->f->up->name, a);
	s->v6 = s->dad_addr;
	s->has_v6 = true;
	s->v6_optimistic = false;
	s->v6_source = V6_SOURCE_SLAAC;
	s->dad_failures = 0;
	return V6_READY;
}

static bool
engine_v6_in_uplink(const struct step *k, const struct in6_addr *a)
{
	const struct uplink_state *up = k->f->up;
	unsigned i;

	for (i = 0; i < up->prefix_count; i++)
		if (memcmp(&up->prefixes[i], a, 8) == 0)
			return true;
	return false;
}

enum v6_source
engine_v6_source_pick(const struct engine_facts *f, const struct config *cfg)
{
	if (cfg->clat_v6_mode == CLAT_V6_STATIC)
		return V6_SOURCE_STATIC;
	/* a /64 in use on a link would need ND there: not taken */
	if (f->deleg != NULL && f->deleg->link == 0)
		return V6_SOURCE_DELEGATED;
	if (f->up->prefix_count > 0)
		return V6_SOURCE_SLAAC;
	if (f->up->managed)
		return V6_SOURCE_DHCPV6;
	/* the last resort, and only when asked for */
	if (cfg->clat_v6_mode == CLAT_V6_SHARED && f->up->has_own &&
	    f->portswap.size != 0)
		return V6_SOURCE_SHARED;
	return V6_SOURCE_NONE;
}

/* Whether v6 still belongs to where it came from. */
static bool
engine_v6_holds(const struct step *k, enum v6_source src)
{
	const struct engine_state *s = k->s;

	if (!s->has_v6 || s->v6_source != src)
		return false;
	if (src == V6_SOURCE_DELEGATED)
		return memcmp(&s->v6, &k->f->deleg->subnet, 8) == 0;
	if (src == V6_SOURCE_DHCPV6)
		return s->has_dhcp6 && memcmp(&s->v6, &s->dhcp6_addr, 16) == 0;
	if (src == V6_SOURCE_SHARED)
		return memcmp(&s->v6, &k->f->up->own, 16) == 0;
	return engine_v6_in_uplink(k, &s->v6);
}

/* RFC 9663: the delegated prefix is routed to the host and its /64 is
 * used by no link, so no node can hold the address: it is used at once,
 * without DAD, and routed into the device (engine_v6_route). */
static enum v6_status
engine_v6_delegated(struct step *k)
{
	struct engine_state *s = k->s;
	char a[INET6_ADDRSTRLEN], p[64];

	delegated_clat_addr(k->f->deleg, k->f->secret, k->f->up->name,
			    s->dad_counter, &s->v4, &s->prefix, &s->v6);
	s->has_v6 = true;
	s->v6_optimistic = false;
	s->v6_source = V6_SOURCE_DELEGATED;
	engine_log(k, ENGINE_LOG_INFO,
		   "CLAT address %s from the prefix %s delegated to the host "
		   "(%s): routed here, no DAD",
		   inet_ntop(AF_INET6, &s->v6, a, sizeof(a)),
		   engine_prefix_str(&k->f->deleg->prefix, p, sizeof(p)),
		   k->f->deleg->configured ? "clat-v6-prefix" : "a route");
	return V6_READY;
}

/* Shared mode: the host's own address, which the host defends; no DAD,
 * no anycast. The eBPF program at the uplink's ingress gives the host
 * what its sockets own, the CLAT the rest. */
static enum v6_status
engine_v6_shared(struct step *k)
{
	struct engine_state *s = k->s;
	char a[INET6_ADDRSTRLEN];

	s->v6 = k->f->up->own;
	s->has_v6 = true;
	s->v6_optimistic = false;
	s->v6_source = V6_SOURCE_SHARED;
	engine_log(k, ENGINE_LOG_INFO,
		   "CLAT address %s: the host's own (clat-v6-addr=shared), "
		   "ports %u-%u swapped with %u-%u",
		   inet_ntop(AF_INET6, &s->v6, a, sizeof(a)),
		   k->f->portswap.first,
		   k->f->portswap.first + k->f->portswap.size - 1,
		   k->f->portswap.first - k->f->portswap.size,
		   k->f->portswap.first - 1u);
	return V6_READY;
}

/* Whether a new DAD must wait (*st says how): one runs, too many
 * failed in a row, or the retry after a failure is not due. */
static bool
engine_dad_wait(struct step *k, enum v6_status *st)
{
	struct engine_state *s = k->s;

	*st = V6_PENDING;
	if (s->dad_running)
		return true;
	if (s->dad_failures >= ENGINE_DAD_ATTEMPTS_MAX) {
		engine_set_state(k, INST_DAD,
				 "no CLAT address passed DAD after %u attempts",
				 s->dad_failures);
		*st = V6_NONE;
		return true;
	}
	if (s->dad_failures > 0 && k->f->now < s->dad_retry_at) {
		engine_wake(k, s->dad_retry_at);
		return true;
	}
	return false;
}

/* Optimistic DAD (RFC 4429) of a (a hash, or a DHCPv6 server's
 * choice): in use at once, joined as anycast once it passed. */
static void
engine_v6_dad(struct step *k, const struct in6_addr *a, enum v6_source src)
{
	struct engine_state *s = k->s;
	struct engine_action *act = engine_emit(k, ENGINE_ACT_DAD_START);

	act->addr = *a;
	act->optimistic = true;
	act->answer = src == V6_SOURCE_DHCPV6;
	s->dad_addr = *a;
	s->dad_running = true;
	s->v6 = *a;
	s->has_v6 = true;
	s->v6_optimistic = true;
	s->v6_source = src;
}

/* draft-ietf-v6ops-claton: a dedicated address from a SLAAC /64,
 * checked by DAD before use. */
static enum v6_status
engine_v6_slaac(struct step *k)
{
	struct engine_state *s = k->s;
	const struct uplink_state *up = k->f->up;
	enum v6_status st;
	int best;

	if (engine_dad_wait(k, &st))
		return st;
	best = clat_addr_pick_prefix(up->prefixes, up->prefix_count,
				     &s->prefix);
	if (best < 0)
		return V6_NONE;
	clat_addr_make(k->f->secret, &up->prefixes[best], up->name,
		       s->dad_counter, &s->v4, &s->prefix, up->addrs,
		       up->addr_count, &s->dad_addr);
	if (up->no_nd)
		return engine_v6_without_dad(k);
	/* RFC 4429: the address is drawn from a hash (§3.1), so it is used
	 * at once, optimistic until the verdict. */
	engine_v6_dad(k, &s->dad_addr, V6_SOURCE_SLAAC);
	return V6_READY;
}

/* RFC 8415: an address of its own from the DHCPv6 server (IA_NA, an
 * IAID and a DUID of xlatd's, dhcp6_ids.h), checked by DAD as a SLAAC
 * one; one found in use is declined (§18.2.8), and the client asks for
 * another. */
static enum v6_status
engine_v6_dhcpv6(struct step *k)
{
	struct engine_state *s = k->s;
	enum v6_status st;

	if (!s->dhcp6_running && k->f->now < s->dhcp6_retry_at) {
		engine_wake(k, s->dhcp6_retry_at);
		engine_set_state(k, INST_WAIT_UPLINK,
				 "the DHCPv6 client for the CLAT could not "
				 "start");
		return V6_NONE;
	}
	if (!s->dhcp6_running) {
		engine_emit(k, ENGINE_ACT_DHCP6_START);
		s->dhcp6_running = true;
	}
	if (!s->has_dhcp6) {
		engine_set_state(k, INST_WAIT_UPLINK,
				 "waiting for a DHCPv6 address (IA_NA) for the "
				 "CLAT: the RAs have the M flag and no SLAAC "
				 "/64");
		return V6_NONE;
	}
	if (engine_dad_wait(k, &st))
		return st;
	engine_v6_dad(k, &s->dhcp6_addr, V6_SOURCE_DHCPV6);
	return V6_READY;
}

/* The DHCPv6 client is not needed any more: its address is released. */
static void
engine_dhcp6_stop(struct step *k)
{
	if (!k->s->dhcp6_running)
		return;
	engine_emit(k, ENGINE_ACT_DHCP6_STOP);
	k->s->dhcp6_running = false;
	k->s->has_dhcp6 = false;
}

/* The CLAT address from its source (engine_v6_source_pick); one that no
 * longer belongs to it, or whose source changed, is replaced. */
static enum v6_status
engine_ensure_v6(struct step *k)
{
	struct engine_state *s = k->s;
	enum v6_source src = engine_v6_source_pick(k->f, k->cfg);

	s->v6_static = src == V6_SOURCE_STATIC;
	if (s->v6_static) {
		/* a reload made it static: what another source ran goes */
		if (s->v6_source != V6_SOURCE_STATIC)
			engine_stop_dad(k);
		engine_dhcp6_stop(k);
		s->v6 = k->cfg->clat_v6;
		s->has_v6 = true;
		s->v6_source = V6_SOURCE_STATIC;
		return V6_READY;
	}
	if (engine_v6_holds(k, src))
		return V6_READY;
	if (s->has_v6 && s->v6_source != src)
		engine_log(k, ENGINE_LOG_INFO,
			   "the CLAT address is to come from %s now, not %s: "
			   "renumbering",
			   engine_v6_source_name(src),
			   engine_v6_source_name(s->v6_source));
	else if (s->has_v6)
		engine_log(k, ENGINE_LOG_INFO,
			   "the CLAT address's %s is gone: renumbering",
			   src == V6_SOURCE_DHCPV6   ? "DHCPv6 lease"
			   : src == V6_SOURCE_SHARED ? "host address"
						     : "/64");
	if (s->has_v6) {
		s->has_v6 = false;
		engine_stop_dad(k);
	}
	if (src != V6_SOURCE_DHCPV6)
		engine_dhcp6_stop(k);
	switch (src) {
	case V6_SOURCE_DELEGATED:
		return engine_v6_delegated(k);
	case V6_SOURCE_SLAAC:
		return engine_v6_slaac(k);
	case V6_SOURCE_DHCPV6:
		return engine_v6_dhcpv6(k);
	case V6_SOURCE_SHARED:
		return engine_v6_shared(k);
	default:
		return V6_NONE;
	}
}

/* One instance: the configured metric. Several: unique metrics that
 * follow the uplink's RFC 4191 preference, 8 apart per preference, then
 * by the last octet of 192.0.0.x, which no two instances share. */
static unsigned
engine_metric(const struct step *k)
{
	unsigned base = k->cfg->v4_defaultroute_metric;
	uint8_t octet = ((const uint8_t *)&k->s->v4)[3];
	long long m = (long long)base + 8 * k->f->pref + octet - 1;

	if (config_one_clat(k->cfg))
		return base;
	return m < 0 ? 0 : m > UINT32_MAX ? UINT32_MAX : (unsigned)m;
}

/* How packets for the CLAT address reach the device. An address in
 * one of the uplink's /64s (on-link) needs answers to neighbour
 * solicitations: an anycast membership on the uplink gives them, and
 * the eBPF program takes the packets at ingress. An address in none
 * (off-link, a routed /128) is routed to the host by the admin: a route
 * of it into the device, and no anycast entry, which a router would
 * deliver locally, so that the packets are translated whichever link
 * they arrive on. */
static bool
engine_v6_route(const struct step *k)
{
	/* a delegated prefix is routed to the host; a DHCPv6 address is
	 * on the uplink's link, in a prefix that may not be SLAAC's */
	if (k->s->v6_source == V6_SOURCE_DELEGATED)
		return true;
	if (k->s->v6_source == V6_SOURCE_DHCPV6 ||
	    k->s->v6_source == V6_SOURCE_SHARED)
		return false;
	return !engine_v6_in_uplink(k, &k->s->v6);
}

/* Set the data path up, or change it in place; then we run. */
static void
engine_run(struct step *k)
{
	struct engine_state *s = k->s;
	struct engine_dp d = {
		.prefix = s->prefix,
		.v4 = s->v4,
		.v6 = s->v6,
		.uplink_mtu = k->f->up->mtu,
		.metric = engine_metric(k),
		.policy = k->f->policy,
		/* no NS to answer on a link without ND; answered by the DAD
		 * module for a DHCPv6 address; the host answers for its own
		 * address */
		.anycast = !s->v6_optimistic && !k->f->up->no_nd &&
			   !s->nd_answering && s->v6_source != V6_SOURCE_SHARED,
		.v6_route = engine_v6_route(k),
		.router = k->f->up->forwarding,
	};

	if (s->v6_source == V6_SOURCE_SHARED)
		d.portswap = k->f->portswap;
	char pbuf[64], v6[INET6_ADDRSTRLEN], v4[INET_ADDRSTRLEN];

	if (!s->dp_up) {
		engine_emit(k, ENGINE_ACT_DP_CREATE)->dp = d;
		s->dp_up = true;
	} else if (k->reconfigured || !engine_same_dp(&s->dp, &d)) {
		engine_emit(k, ENGINE_ACT_DP_UPDATE)->dp = d;
	}
	s->dp = d;
	inet_ntop(AF_INET6, &s->v6, v6, sizeof(v6));
	inet_ntop(AF_INET, &s->v4, v4, sizeof(v4));
	engine_set_state(k, INST_RUNNING, "%s <-> %s via %s (%s)%s%s", v4, v6,
			 engine_prefix_str(&s->prefix, pbuf, sizeof(pbuf)),
			 engine_source_name(s->prefix_source),
			 s->has_start_cause ? ", started: " : "",
			 s->has_start_cause
				 ? v4evidence_cause_name(s->start_cause)
				 : "");
}

static void
engine_evaluate(struct step *k)
{
	struct engine_state *s = k->s;

	if (!engine_preconditions(k))
		return;
	if (!engine_ensure_v4(k)) {
		engine_stop_dp(k);
		return;
	}
	switch (engine_ensure_v6(k)) {
	case V6_READY:
		break;
	case V6_PENDING:
		/* Renumbering: the device and its IPv4 side stay while the
		 * new CLAT address is checked; an update swaps it. */
		return;
	case V6_NONE:
		engine_stop_dp(k);
		return;
	}
	/* Flapping: after a stand-down, not again before the hold-down. */
	if (!s->dp_up && k->f->now < s->last_teardown + ENGINE_HOLDDOWN_USEC) {
		engine_wake(k, s->last_teardown + ENGINE_HOLDDOWN_USEC);
		return;
	}
	engine_run(k);
}

/* Times that call for a step without any event. */
static void
engine_deadlines(struct step *k)
{
	const struct engine_state *s = k->s;

	if (s->has_ra_prefix)
		engine_wake(k, s->ra_expiry);
	if (k->f->dns64_available && !s->dns64_running)
		engine_wake(k, s->dns64_at);
}

void
engine_step(const struct engine_state *st, const struct engine_facts *f,
	    const struct config *cfg, struct engine_state *next,
	    struct engine_actions *out)
{
	struct step k = {next, f, cfg, out, false};
	struct engine_action *a;

	*next = *st;
	out->n = 0;
	out->wake_at = 0;
	engine_on_event(&k);
	engine_timers(&k);
	engine_evaluate(&k);
	engine_deadlines(&k);
	if (next->state == st->state && strcmp(next->cause, st->cause) == 0)
		return;
	a = engine_emit(&k, ENGINE_ACT_STATE);
	memcpy(a->text, next->cause, sizeof(a->text));
}
