/* SPDX-License-Identifier: BSD-2-Clause */
/* src/daemon/engine.c: the instance's state machine, one table a story.
 * Each row changes the world the engine sees (or delivers an event),
 * steps it once at the row's time, and checks the state, the kinds of
 * the actions in order, and when the engine wants to be woken. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/engine.h"

#define MS 1000ULL
#define T0 (100 * ENGINE_USEC_PER_SEC) /* the monotonic clock at row 0 */
#define ANY (-1)		       /* wake time not checked */

/* The uplink's SLAAC /64s, and the PLAT prefixes the rows use. */
#define NET_A "2001:db8:1:1::"
#define NET_B "2001:db8:1:2::"
#define P1 "2001:db8:64::/96"
#define P2 "2001:db8:65::/96"

enum op {
	OP_TICK,	 /* nothing changed; time passed */
	OP_UP,		 /* the uplink is up with its /64 in NET_A */
	OP_DOWN,	 /* the uplink is down */
	OP_GONE,	 /* the uplink is gone */
	OP_NO_SLAAC,	 /* no usable /64 on the uplink */
	OP_RENUMBER,	 /* its /64 is in NET_B instead */
	OP_MTU,		 /* arg: the uplink's IPv6 MTU */
	OP_NO_ND,	 /* arg: the uplink has no Neighbor Discovery */
	OP_NATIVE4,	 /* arg: an IPv4 default route not ours, 1 or 0 */
	OP_DEFAULT6,	 /* arg: an IPv6 default route on the uplink */
	OP_PREF,	 /* arg: its RFC 4191 preference, -1, 0, 1 */
	OP_POLICY,	 /* arg: other instances exist */
	OP_NO_FREE4,	 /* every 192.0.0.x is taken */
	OP_PREF64,	 /* PREF64 pfx, lifetime arg seconds */
	OP_DNS64,	 /* a DNS64 answer: pfx, or NULL for none */
	OP_DAD,		 /* arg: the verdict on the last DAD started */
	OP_DP_FAILED,	 /* the data path failed */
	OP_CONFIG,	 /* reload with pfx, "key=value", changed; arg: CF_* */
	OP_DHCP4,	 /* the DHCPv4 watch saw arg: a D_* */
	OP_WATCH_FAILED, /* the DHCPv4 watch could not be opened */
	OP_FORWARD,	 /* arg: the host forwards IPv6 on the uplink */
	OP_DELEG,	 /* arg: a delegated prefix, a D_* */
	OP_MANAGED,	 /* arg: the uplink's RAs have the M flag */
	OP_DHCP6,	 /* the DHCPv6 client: arg 0 lost NA_1, 1 bound
			    NA_1, 2 bound NA_2 in its place, 3 could not
			    start */
};

#define NA_1 "2001:db8:1::1001"
#define NA_2 "2001:db8:1::1002"

/* OP_DELEG: none; DELEG_A with a free /64; DELEG_B with a free /64;
 * DELEG_A with its /64 in use on a link. */
enum { DG_NONE, DG_A, DG_B, DG_A_USED };
#define DELEG_A "2001:db8:d00::/56"
#define DELEG_B "2001:db8:e00::/56"

/* OP_DHCP4: the host's client asking for option 108; an OFFER with it
 * (RFC 8925), an OFFER and an ACK without it. */
enum { D_ASK108, D_OFFER108, D_OFFER, D_ACK };

/* OP_CONFIG: the device's name changed; DNS64 was started anew. */
#define CF_REBUILD 1
#define CF_DNS64 2

struct row {
	unsigned ms; /* since row 0 */
	enum op op;
	int arg;
	const char *pfx;
	enum inst_state state;
	const char *acts;  /* action kinds, space-separated */
	long wake_ms;	   /* since row 0; 0: none; ANY */
	const char *cause; /* a part of it, or NULL */
};

struct world {
	struct config cfg;
	struct uplink_state up;
	struct engine_facts f;
	struct engine_state st;
	struct engine_actions out;
	struct in6_addr last_dad;
	uint8_t secret[16];
	struct delegated deleg;
};

static void
parse_prefix(const char *s, struct xlat_prefix6 *p)
{
	char a[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');

	assert_non_null(slash);
	snprintf(a, sizeof(a), "%.*s", (int)(slash - s), s);
	assert_int_equal(inet_pton(AF_INET6, a, &p->addr), 1);
	p->len = (uint8_t)atoi(slash + 1);
}

/* The uplink up0, MTU 1500, with one SLAAC address in net. */
static void
world_uplink(struct world *w, const char *net)
{
	char a[INET6_ADDRSTRLEN];

	memset(&w->up, 0, sizeof(w->up));
	w->up.present = w->up.up = true;
	w->up.mtu = 1500;
	snprintf(w->up.name, sizeof(w->up.name), "up0");
	snprintf(a, sizeof(a), "%s1", net);
	assert_int_equal(inet_pton(AF_INET6, a, &w->up.addrs[0]), 1);
	w->up.addr_count = 1;
	memcpy(&w->up.prefixes[0], &w->up.addrs[0], 8);
	w->up.prefix_count = 1;
}

/* One "key=value" into the world's configuration. */
static void
world_set(struct world *w, const char *kv)
{
	const char *eq = strchr(kv, '=');
	char key[64], err[256];

	assert_non_null(eq);
	snprintf(key, sizeof(key), "%.*s", (int)(eq - kv), kv);
	if (config_set(&w->cfg, key, eq + 1, "test", err, sizeof(err)) < 0)
		fail_msg("%s", err);
	assert_int_equal(config_finish(&w->cfg, err, sizeof(err)), 0);
}

static void
world_init(struct world *w, const char *const *conf)
{
	memset(w, 0, sizeof(*w));
	config_init(&w->cfg);
	for (; *conf != NULL; conf++)
		world_set(w, *conf);
	world_uplink(w, NET_A);
	w->f.up = &w->up;
	w->f.has_default6 = true;
	w->f.has_free_v4 = true;
	inet_pton(AF_INET, "192.0.0.1", &w->f.free_v4);
	w->f.dns64_available = !w->cfg.has_plat_prefix;
	w->f.secret = w->secret;
	engine_init(&w->st);
}

/* A delegated prefix as delegated_find() gives it: its top /64. */
static void
world_deleg(struct world *w, int which)
{
	struct delegated *d = &w->deleg;

	w->f.deleg = which == DG_NONE ? NULL : d;
	memset(d, 0, sizeof(*d));
	parse_prefix(which == DG_B ? DELEG_B : DELEG_A, &d->prefix);
	d->subnet = d->prefix.addr;
	d->subnet.s6_addr[7] = 0xff;
	d->link = which == DG_A_USED ? 7 : 0;
}

static void
world_apply(struct world *w, const struct row *r)
{
	struct engine_event *ev = &w->f.ev;

	memset(ev, 0, sizeof(*ev));
	switch (r->op) {
	case OP_TICK:
		break;
	case OP_UP:
		world_uplink(w, NET_A);
		break;
	case OP_DOWN:
		w->up.up = false;
		break;
	case OP_GONE:
		memset(&w->up, 0, sizeof(w->up));
		break;
	case OP_NO_SLAAC:
		w->up.prefix_count = 0;
		break;
	case OP_RENUMBER:
		world_uplink(w, NET_B);
		break;
	case OP_MTU:
		w->up.mtu = (unsigned)r->arg;
		break;
	case OP_NO_ND:
		w->up.no_nd = r->arg;
		break;
	case OP_NATIVE4:
		w->f.native_v4 = r->arg;
		break;
	case OP_DEFAULT6:
		w->f.has_default6 = r->arg;
		break;
	case OP_PREF:
		w->f.pref = r->arg;
		break;
	case OP_POLICY:
		w->f.policy = r->arg;
		break;
	case OP_NO_FREE4:
		w->f.has_free_v4 = false;
		break;
	case OP_PREF64:
		ev->kind = ENGINE_EV_PREF64;
		parse_prefix(r->pfx, &ev->pref64.prefix);
		ev->pref64.lifetime = (uint32_t)r->arg;
		break;
	case OP_DNS64:
		ev->kind = ENGINE_EV_DNS64;
		ev->dns64_found = r->pfx != NULL;
		if (r->pfx != NULL)
			parse_prefix(r->pfx, &ev->dns64_prefix);
		break;
	case OP_DAD:
		ev->kind = ENGINE_EV_DAD;
		ev->dad_addr = w->last_dad;
		ev->dad_result = (enum dad_result)r->arg;
		break;
	case OP_DP_FAILED:
		ev->kind = ENGINE_EV_DP_FAILED;
		break;
	case OP_DHCP4:
		ev->kind = ENGINE_EV_DHCP4;
		ev->dhcp4.kind = r->arg == D_ASK108 ? DHCP4_CLIENT
				 : r->arg == D_ACK  ? DHCP4_ACK
						    : DHCP4_OFFER;
		ev->dhcp4.asks_v6only = r->arg == D_ASK108;
		ev->dhcp4.v6only = r->arg == D_OFFER108;
		ev->dhcp4.v6only_wait = DHCP4_MIN_V6ONLY_WAIT;
		break;
	case OP_WATCH_FAILED:
		ev->kind = ENGINE_EV_WATCH_FAILED;
		break;
	case OP_FORWARD:
		w->up.forwarding = r->arg;
		break;
	case OP_DELEG:
		world_deleg(w, r->arg);
		break;
	case OP_MANAGED:
		w->up.managed = r->arg;
		break;
	case OP_DHCP6:
		ev->kind = ENGINE_EV_DHCP6;
		ev->dhcp6_failed = r->arg == 3;
		ev->dhcp6_bound = r->arg == 1 || r->arg == 2;
		ev->dhcp6_lost = r->arg == 0 || r->arg == 2;
		inet_pton(AF_INET6, r->arg == 2 ? NA_2 : NA_1, &ev->dhcp6_addr);
		inet_pton(AF_INET6, NA_1, &ev->dhcp6_lost_addr);
		break;
	case OP_CONFIG:
		world_set(w, r->pfx);
		w->f.dns64_available = !w->cfg.has_plat_prefix;
		ev->kind = ENGINE_EV_CONFIG;
		ev->rebuild = r->arg & CF_REBUILD;
		ev->dns64_reset = r->arg & CF_DNS64;
		break;
	}
}

static const char *
kind_name(const struct engine_action *a)
{
	static const char *const levels[] = {"debug", "info", "warn"};

	switch (a->kind) {
	case ENGINE_ACT_LOG:
		return levels[a->level];
	case ENGINE_ACT_STATE:
		return "state";
	case ENGINE_ACT_DAD_START:
		return "dad-start";
	case ENGINE_ACT_DAD_STOP:
		return "dad-stop";
	case ENGINE_ACT_DNS64_START:
		return "dns64";
	case ENGINE_ACT_DP_CREATE:
		return "create";
	case ENGINE_ACT_DP_UPDATE:
		return "update";
	case ENGINE_ACT_DP_DESTROY:
		return "destroy";
	case ENGINE_ACT_WATCH_OPEN:
		return "watch-open";
	case ENGINE_ACT_WATCH_CLOSE:
		return "watch-close";
	case ENGINE_ACT_DHCP6_START:
		return "dhcp6-start";
	case ENGINE_ACT_DHCP6_STOP:
		return "dhcp6-stop";
	case ENGINE_ACT_DHCP6_DECLINE:
		return "dhcp6-decline";
	}
	return "?";
}

/* One row: apply, step, check. */
static void
world_step(struct world *w, const struct row *r, unsigned i)
{
	struct engine_state next;
	char acts[256] = "";
	unsigned k;

	world_apply(w, r);
	w->f.now = T0 + r->ms * MS;
	engine_step(&w->st, &w->f, &w->cfg, &next, &w->out);
	w->st = next;
	for (k = 0; k < w->out.n; k++) {
		const struct engine_action *a = &w->out.a[k];

		if (a->kind == ENGINE_ACT_DAD_START)
			w->last_dad = a->addr;
		if (a->kind == ENGINE_ACT_STATE)
			assert_string_equal(a->text, w->st.cause);
		snprintf(acts + strlen(acts), sizeof(acts) - strlen(acts),
			 "%s%s", k ? " " : "", kind_name(a));
	}
	if (strcmp(acts, r->acts) != 0 || w->st.state != r->state)
		fail_msg("row %u (%u ms): state %s, actions '%s'; want %s, "
			 "'%s' (cause: %s)",
			 i, r->ms, engine_state_name(w->st.state), acts,
			 engine_state_name(r->state), r->acts, w->st.cause);
	if (r->cause != NULL && strstr(w->st.cause, r->cause) == NULL)
		fail_msg("row %u: cause '%s' lacks '%s'", i, w->st.cause,
			 r->cause);
	/* a wake-up is always ahead, or the loop would spin */
	assert_true(w->out.wake_at == 0 || w->out.wake_at > w->f.now);
	if (r->wake_ms == ANY)
		return;
	if (r->wake_ms == 0 ? w->out.wake_at != 0
			    : w->out.wake_at != T0 + (uint64_t)r->wake_ms * MS)
		fail_msg("row %u: wake at %lld ms, want %ld", i,
			 w->out.wake_at
				 ? (long long)((w->out.wake_at - T0) / MS)
				 : 0LL,
			 r->wake_ms);
}

struct table {
	const char *name;
	const char *const *conf;
	const struct row *rows;
	unsigned n;
};

static void
run_table(void **state)
{
	const struct table *t = *state;
	struct world w;
	unsigned i;

	world_init(&w, t->conf);
	for (i = 0; i < t->n; i++)
		world_step(&w, &t->rows[i], i);
}

#define TABLE(name, ...)                                                   \
	static const char *const name##_conf[] = {__VA_ARGS__, NULL};      \
	static const struct table name = {#name, name##_conf, name##_rows, \
					  sizeof(name##_rows) /            \
						  sizeof(name##_rows[0])}

/* One uplink (plat-dev), discovery: RA first, then DNS64 when the
 * PREF64's lifetime ends. */
static const struct row start_ra_rows[] = {
	{0, OP_TICK, 0, NULL, INST_CONNCHECK, "dns64 state", 1000,
	 "native IPv4 in 1 s"},
	{500, OP_PREF64, 600, P1, INST_CONNCHECK, "info", 1000, NULL},
	{1000, OP_TICK, 0, NULL, INST_RUNNING, "dad-start create state", 600500,
	 "(ra)"},
	{2000, OP_DAD, DAD_OK, NULL, INST_RUNNING, "info update", 600500,
	 "(ra)"},
	{2100, OP_TICK, 0, NULL, INST_RUNNING, "", 600500, NULL},
	{3000, OP_DNS64, 0, P2, INST_RUNNING, "info", 600500, "(ra)"},
	/* the same prefix again: nothing to say */
	{4000, OP_PREF64, 600, P1, INST_RUNNING, "", 603000, NULL},
	{604000, OP_TICK, 0, NULL, INST_RUNNING, "info dns64 update state", 0,
	 "(dns64)"},
};
TABLE(start_ra, "plat-dev=up0", "v4-conncheck-delay=1");

/* No RA prefix: DNS64 fails, is retried, finds one, is refreshed and
 * changes; the change is made in place. */
static const struct row dns64_rows[] = {
	{0, OP_TICK, 0, NULL, INST_CONNCHECK, "dns64 state", 1000, NULL},
	{1000, OP_TICK, 0, NULL, INST_WAIT_PREFIX, "state", 0,
	 "no PLAT prefix"},
	{1200, OP_DNS64, 0, NULL, INST_WAIT_PREFIX, "debug", 31200, NULL},
	{31200, OP_TICK, 0, NULL, INST_WAIT_PREFIX, "dns64", 0, NULL},
	{31500, OP_DNS64, 0, P1, INST_RUNNING, "info dad-start create state",
	 631500, NULL},
	{32500, OP_DAD, DAD_OK, NULL, INST_RUNNING, "info update", 631500,
	 "(dns64)"},
	{631500, OP_TICK, 0, NULL, INST_RUNNING, "dns64", 0, NULL},
	{631600, OP_DNS64, 0, P2, INST_RUNNING, "info update state", 1231600,
	 "2001:db8:65::/96 (dns64)"},
	/* a failed refresh takes the prefix away */
	{1231600, OP_TICK, 0, NULL, INST_RUNNING, "dns64", 0, NULL},
	{1231700, OP_DNS64, 0, NULL, INST_WAIT_PREFIX, "debug destroy state",
	 1261700, NULL},
};
TABLE(dns64, "plat-dev=up0", "v4-conncheck-delay=1");

/* plat-fallback-prefix when discovery finds nothing; an RA wins. */
static const struct row fallback_rows[] = {
	{0, OP_TICK, 0, NULL, INST_RUNNING, "dns64 dad-start create state", 0,
	 NULL},
	{100, OP_DAD, DAD_OK, NULL, INST_RUNNING, "info update", 0,
	 "(fallback)"},
	{200, OP_PREF64, 60, P1, INST_RUNNING, "info update state", 60200,
	 "(ra)"},
	{60200, OP_TICK, 0, NULL, INST_RUNNING, "info update state", 0,
	 "(fallback)"},
};
TABLE(fallback, "plat-dev=up0", "v4-conncheck-enable=no",
      "plat-fallback-prefix=" P2);

/* PREF64 withdrawn (lifetime 0, RFC 8781 §4) with nothing else known:
 * stand down; a withdrawal of another prefix changes nothing. */
static const struct row withdraw_rows[] = {
	{0, OP_PREF64, 600, P1, INST_RUNNING,
	 "info dns64 dad-start create state", 600000, NULL},
	{100, OP_DAD, DAD_OK, NULL, INST_RUNNING, "info update", 600000, NULL},
	{150, OP_DNS64, 0, NULL, INST_RUNNING, "debug", 30150, NULL},
	{200, OP_PREF64, 0, P2, INST_RUNNING, "", 30150, NULL},
	{300, OP_PREF64, 0, P1, INST_WAIT_PREFIX, "info dns64 destroy state", 0,
	 "no PLAT prefix"},
	/* back, after the hold-down; the address is kept */
	{400, OP_PREF64, 600, P2, INST_WAIT_PREFIX, "info", 1300, NULL},
	{1300, OP_TICK, 0, NULL, INST_RUNNING, "create state", 600400, NULL},
};
TABLE(withdraw, "plat-dev=up0", "v4-conncheck-enable=no");

/* Native IPv4 at start, gone, back while running, gone again: the
 * IPv4 check waits once; the hold-down spaces the data paths. */
static const struct row native_rows[] = {
	{0, OP_NATIVE4, 1, NULL, INST_CONNCHECK, "state", 1000, NULL},
	{1000, OP_TICK, 0, NULL, INST_NATIVE_IPV4, "state", 0,
	 "an IPv4 default route exists"},
	{5000, OP_NATIVE4, 0, NULL, INST_RUNNING, "dad-start create state", 0,
	 NULL},
	{6000, OP_DAD, DAD_OK, NULL, INST_RUNNING, "info update", 0,
	 "(static)"},
	{7000, OP_NATIVE4, 1, NULL, INST_NATIVE_IPV4, "destroy state", 0, NULL},
	{7500, OP_NATIVE4, 0, NULL, INST_NATIVE_IPV4, "", 8000, NULL},
	{8000, OP_TICK, 0, NULL, INST_RUNNING, "create state", 0, NULL},
	/* link down and up: no second IPv4 check */
	{9000, OP_DOWN, 0, NULL, INST_WAIT_UPLINK, "destroy state", 0,
	 "uplink is down"},
	{11000, OP_UP, 0, NULL, INST_RUNNING, "create state", 0, NULL},
};
TABLE(native, "plat-dev=up0", "v4-conncheck-delay=1", "plat-prefix=" P1,
      "v4-native-grace=0");

/* Native IPv4 while running: the data path stays, with no default route
 * but the source rule of the CLAT address, for v4-native-grace; native
 * IPv4 gone within it: back as before, in place. */
static const struct row grace_rows[] = {
	{0, OP_TICK, 0, NULL, INST_RUNNING, "dad-start create state", 0, NULL},
	{100, OP_DAD, DAD_OK, NULL, INST_RUNNING, "info update", 0, NULL},
	{1000, OP_NATIVE4, 1, NULL, INST_NATIVE_IPV4, "update state", 31000,
	 "flows from 192.0.0.1 kept for v4-native-grace (30 s)"},
	{2000, OP_TICK, 0, NULL, INST_NATIVE_IPV4, "", 31000, NULL},
	{31000, OP_TICK, 0, NULL, INST_NATIVE_IPV4, "destroy state", 0,
	 "an IPv4 default route exists"},
	{40000, OP_NATIVE4, 0, NULL, INST_RUNNING, "create state", 0, NULL},
	{50000, OP_NATIVE4, 1, NULL, INST_NATIVE_IPV4, "update state", 80000,
	 NULL},
	{51000, OP_NATIVE4, 0, NULL, INST_RUNNING, "update state", 0, NULL},
	{52000, OP_NATIVE4, 1, NULL, INST_NATIVE_IPV4, "update state", 82000,
	 NULL},
};
TABLE(grace, "plat-dev=up0", "v4-conncheck-delay=0", "plat-prefix=" P1,
      "v4-native-grace=30");

/* v4-defaultroute-replace: no IPv4 check, native IPv4 or not. */
static const struct row replace_rows[] = {
	{0, OP_NATIVE4, 1, NULL, INST_RUNNING, "dad-start create state", 0,
	 NULL},
	{100, OP_DAD, DAD_OK, NULL, INST_RUNNING, "info update", 0, NULL},
};
TABLE(replace, "plat-dev=up0", "v4-defaultroute-replace=yes",
      "plat-prefix=" P1);

/* Flapping: down and up within the hold-down: one teardown, one setup
 * a second after it. */
static const struct row flap_rows[] = {
	{0, OP_TICK, 0, NULL, INST_RUNNING, "dad-start create state", 0, NULL},
	{100, OP_DAD, DAD_OK, NULL, INST_RUNNING, "info update", 0, NULL},
	{1000, OP_DOWN, 0, NULL, INST_WAIT_UPLINK, "destroy state", 0, NULL},
	{1100, OP_UP, 0, NULL, INST_WAIT_UPLINK, "", 2000, NULL},
	{1200, OP_DOWN, 0, NULL, INST_WAIT_UPLINK, "", 0, "uplink is down"},
	{1300, OP_UP, 0, NULL, INST_WAIT_UPLINK, "", 2000, NULL},
	{1400, OP_NO_SLAAC, 0, NULL, INST_WAIT_UPLINK, "state", 0,
	 "no SLAAC /64"},
	{1500, OP_UP, 0, NULL, INST_WAIT_UPLINK, "", 2000, NULL},
	{2000, OP_TICK, 0, NULL, INST_RUNNING, "create state", 0, NULL},
	{3000, OP_GONE, 0, NULL, INST_WAIT_UPLINK, "destroy state", 0,
	 "no IPv6 uplink"},
};
TABLE(flap, "plat-dev=up0", "v4-conncheck-enable=no", "plat-prefix=" P1);

/* Optimistic DAD (RFC 4429): a duplicate is withdrawn and replaced at
 * once; after an error, the address is tried again a second later;
 * five failures in a row: no more, and the data path goes. */
static const struct row dad_fail_rows[] = {
	{0, OP_TICK, 0, NULL, INST_RUNNING, "dad-start create state", 0, NULL},
	{1000, OP_DAD, DAD_DUPLICATE, NULL, INST_RUNNING,
	 "warn dad-start update state", 0, NULL},
	{2000, OP_DAD, DAD_ERROR, NULL, INST_RUNNING, "warn", 3000, NULL},
	{2500, OP_TICK, 0, NULL, INST_RUNNING, "", 3000, NULL},
	{3000, OP_TICK, 0, NULL, INST_RUNNING, "dad-start", 0, NULL},
	{4000, OP_DAD, DAD_DUPLICATE, NULL, INST_RUNNING,
	 "warn dad-start update state", 0, NULL},
	{5000, OP_DAD, DAD_DUPLICATE, NULL, INST_RUNNING,
	 "warn dad-start update state", 0, NULL},
	{6000, OP_DAD, DAD_DUPLICATE, NULL, INST_DAD, "warn destroy state", 0,
	 "after 5 attempts"},
	{20000, OP_TICK, 0, NULL, INST_DAD, "", 0, NULL},
};
TABLE(dad_fail, "plat-dev=up0", "v4-conncheck-enable=no", "plat-prefix=" P1);

/* A DAD verdict after the DAD was stopped is not taken, and the
 * address is checked again before it is used. */
static const struct row dad_stale_rows[] = {
	{0, OP_TICK, 0, NULL, INST_RUNNING, "dad-start create state", 0, NULL},
	{100, OP_DOWN, 0, NULL, INST_WAIT_UPLINK, "destroy dad-stop state", 0,
	 NULL},
	{200, OP_DAD, DAD_OK, NULL, INST_WAIT_UPLINK, "", 0, NULL},
	/* a new DAD for the address it could not finish, and the hold-down */
	{300, OP_UP, 0, NULL, INST_WAIT_UPLINK, "dad-start", 1100, NULL},
	{400, OP_DAD, DAD_OK, NULL, INST_WAIT_UPLINK, "info", 1100, NULL},
	{1100, OP_TICK, 0, NULL, INST_RUNNING, "create state", 0, NULL},
};
TABLE(dad_stale, "plat-dev=up0", "v4-conncheck-enable=no", "plat-prefix=" P1);

/* Renumbering: the /64 goes, a new address is checked while the device
 * stays, then the data path changes in place; an MTU change too. */
static const struct row renumber_rows[] = {
	{0, OP_TICK, 0, NULL, INST_RUNNING, "dad-start create state", 0, NULL},
	{100, OP_DAD, DAD_OK, NULL, INST_RUNNING, "info update", 0, NULL},
	{1000, OP_RENUMBER, 0, NULL, INST_RUNNING,
	 "info dad-start update state", 0, "2001:db8:1:2:"},
	{2000, OP_DAD, DAD_OK, NULL, INST_RUNNING, "info update", 0,
	 "2001:db8:1:2:"},
	{3000, OP_MTU, 1400, NULL, INST_RUNNING, "update", 0, NULL},
	{3100, OP_TICK, 0, NULL, INST_RUNNING, "", 0, NULL},
};
TABLE(renumber, "plat-dev=up0", "v4-conncheck-enable=no", "plat-prefix=" P1);

/* Configured CLAT addresses: no DAD, no 192.0.0.x of ours. Once the
 * uplink's /64 no longer holds the address, it is routed into the
 * device instead of claimed on the uplink. */
static const struct row static_addr_rows[] = {
	{0, OP_NO_FREE4, 0, NULL, INST_RUNNING, "create state", 0,
	 "192.0.0.5 <-> 2001:db8:1:1::c1a7 via"},
	{1000, OP_RENUMBER, 0, NULL, INST_RUNNING, "update", 0, NULL},
};

/* The recipe's CLAT: clat-v6-addr off-link and no plat-dev. The uplink
 * is the one the route toward the PLAT leaves through (has_default6);
 * no SLAAC /64 is needed, nor DAD. */
static const struct row off_link_rows[] = {
	{0, OP_DEFAULT6, 0, NULL, INST_WAIT_UPLINK, "state", 0,
	 "the route toward the PLAT prefix leaves through another link"},
	{100, OP_NO_SLAAC, 0, NULL, INST_WAIT_UPLINK, "", 0, NULL},
	{200, OP_DEFAULT6, 1, NULL, INST_RUNNING, "create state", 0,
	 "192.0.0.1 <-> fd43:5602:29bd:ffff::42 via"},
	{300, OP_FORWARD, 1, NULL, INST_RUNNING, "update", 0, NULL},
	{400, OP_DEFAULT6, 0, NULL, INST_WAIT_UPLINK, "destroy state", 0, NULL},
};
TABLE(off_link, "v4-conncheck-enable=no", "plat-prefix=" P1,
      "clat-v6-addr=fd43:5602:29bd:ffff::42");
TABLE(static_addr, "plat-dev=up0", "v4-conncheck-enable=no", "plat-prefix=" P1,
      "clat-v4-addr=192.0.0.5", "clat-v6-addr=2001:db8:1:1::c1a7");

/* RFC 9663: a prefix delegated to the host gives the CLAT address at
 * once, with no SLAAC /64 and no DAD, before a SLAAC /64; a /64 in use
 * on a link is not taken; a change of source renumbers in place. */
static const struct row delegated_rows[] = {
	{0, OP_NO_SLAAC, 0, NULL, INST_WAIT_UPLINK, "state", 0,
	 "no SLAAC /64 on the uplink, no delegated prefix"},
	{100, OP_DELEG, DG_A, NULL, INST_RUNNING, "info create state", 0,
	 "192.0.0.1 <-> 2001:db8:d00:ff:"},
	{200, OP_DELEG, DG_B, NULL, INST_RUNNING, "info info update state", 0,
	 "192.0.0.1 <-> 2001:db8:e00:ff:"},
	{300, OP_UP, 0, NULL, INST_RUNNING, "", 0, NULL},
	{400, OP_DELEG, DG_NONE, NULL, INST_RUNNING,
	 "info dad-start update state", 0, "192.0.0.1 <-> 2001:db8:1:1:"},
	{500, OP_DELEG, DG_A_USED, NULL, INST_RUNNING, "", 0, NULL},
	{600, OP_DELEG, DG_A, NULL, INST_RUNNING,
	 "info dad-stop info update state", 0,
	 "192.0.0.1 <-> 2001:db8:d00:ff:"},
	{700, OP_DAD, DAD_OK, NULL, INST_RUNNING, "", 0, NULL},
	{800, OP_NO_SLAAC, 0, NULL, INST_RUNNING, "", 0, NULL},
	{900, OP_DELEG, DG_A_USED, NULL, INST_WAIT_UPLINK, "destroy state", 0,
	 "no SLAAC /64 on the uplink, no delegated prefix"},
};
TABLE(delegated, "plat-dev=up0", "v4-conncheck-enable=no", "plat-prefix=" P1);

/* RFC 8415: with the M flag and no SLAAC /64, the CLAT's own DHCPv6
 * client; its address checked by DAD like a SLAAC one, declined when in
 * use, replaced in place when the server gives another; released when
 * a SLAAC /64 comes. */
static const struct row dhcpv6_rows[] = {
	{0, OP_NO_SLAAC, 0, NULL, INST_WAIT_UPLINK, "state", 0,
	 "no SLAAC /64 on the uplink, no delegated prefix"},
	{100, OP_MANAGED, 1, NULL, INST_WAIT_UPLINK, "dhcp6-start state", 0,
	 "waiting for a DHCPv6 address (IA_NA)"},
	/* the client could not start: again 5 s later */
	{150, OP_DHCP6, 3, NULL, INST_WAIT_UPLINK, "warn state", 5150,
	 "could not start"},
	{5150, OP_TICK, 0, NULL, INST_WAIT_UPLINK, "dhcp6-start state", 0,
	 "waiting for a DHCPv6 address (IA_NA)"},
	{5200, OP_DHCP6, 1, NULL, INST_RUNNING, "info dad-start create state",
	 0, "192.0.0.1 <-> " NA_1 " via"},
	{5300, OP_DAD, DAD_OK, NULL, INST_RUNNING, "info", 0, NULL},
	{5400, OP_DHCP6, 1, NULL, INST_RUNNING, "", 0, NULL},
	{5500, OP_DHCP6, 2, NULL, INST_RUNNING,
	 "info info info dad-stop dad-start update state", 0,
	 "192.0.0.1 <-> " NA_2 " via"},
	{5600, OP_DAD, DAD_DUPLICATE, NULL, INST_WAIT_UPLINK,
	 "warn dhcp6-decline destroy state", 0, "waiting for a DHCPv6"},
	{5700, OP_DHCP6, 1, NULL, INST_WAIT_UPLINK, "info dad-start", 6600,
	 NULL},
	{5800, OP_DAD, DAD_OK, NULL, INST_WAIT_UPLINK, "info", 6600, NULL},
	{6600, OP_TICK, 0, NULL, INST_RUNNING, "create state", 0,
	 "192.0.0.1 <-> " NA_1 " via"},
	{6700, OP_UP, 0, NULL, INST_RUNNING,
	 "info dad-stop dhcp6-stop dad-start update state", 0,
	 "192.0.0.1 <-> 2001:db8:1:1:"},
	{6800, OP_DHCP6, 1, NULL, INST_RUNNING, "", 0, NULL},
	/* the SLAAC /64 goes again: DHCPv6 again */
	{6850, OP_MANAGED, 1, NULL, INST_RUNNING, "", 0, NULL},
	{6900, OP_NO_SLAAC, 0, NULL, INST_WAIT_UPLINK,
	 "info dad-stop dhcp6-start destroy state", 0, "waiting for a DHCPv6"},
	{7000, OP_DHCP6, 1, NULL, INST_WAIT_UPLINK, "info dad-start", 7900,
	 NULL},
	{7100, OP_DAD, DAD_OK, NULL, INST_WAIT_UPLINK, "info", 7900, NULL},
	{7900, OP_TICK, 0, NULL, INST_RUNNING, "create state", 0,
	 "192.0.0.1 <-> " NA_1 " via"},
	/* a reload that fixes the address: the client, and the answers for
	 * its address, stop */
	{8000, OP_CONFIG, 0, "clat-v6-addr=2001:db8:1::c1a7", INST_RUNNING,
	 "dad-stop dhcp6-stop update state", 0,
	 "192.0.0.1 <-> 2001:db8:1::c1a7 via"},
};
TABLE(dhcpv6, "plat-dev=up0", "v4-conncheck-enable=no", "plat-prefix=" P1);

/* No free 192.0.0.x: wait for the uplink's next change. */
static const struct row no_v4_rows[] = {
	{0, OP_NO_FREE4, 0, NULL, INST_WAIT_UPLINK, "state", 0,
	 "no free IPv4 address in 192.0.0.0/29"},
};
TABLE(no_v4, "plat-dev=up0", "v4-conncheck-enable=no", "plat-prefix=" P1);

/* The data path fails to come up: hold-down, then again. */
static const struct row dp_fail_rows[] = {
	{0, OP_TICK, 0, NULL, INST_RUNNING, "dad-start create state", 0, NULL},
	{100, OP_DAD, DAD_OK, NULL, INST_RUNNING, "info update", 0, NULL},
	{100, OP_DP_FAILED, 0, NULL, INST_WAIT_UPLINK, "state", 1100,
	 "data path setup failed"},
	{600, OP_TICK, 0, NULL, INST_WAIT_UPLINK, "", 1100, NULL},
	{1100, OP_TICK, 0, NULL, INST_RUNNING, "create state", 0, NULL},
	/* a failure reported for a data path already gone is stale */
	{1200, OP_DOWN, 0, NULL, INST_WAIT_UPLINK, "destroy state", 0, NULL},
	{1300, OP_DP_FAILED, 0, NULL, INST_WAIT_UPLINK, "", 0,
	 "uplink is down"},
};
TABLE(dp_fail, "plat-dev=up0", "v4-conncheck-enable=no", "plat-prefix=" P1);

/* Several instances (no plat-dev): the IPv6 default route is needed;
 * the preference and the other instances change the data path. */
static const struct row multi_rows[] = {
	{0, OP_DEFAULT6, 0, NULL, INST_WAIT_UPLINK, "state", 0,
	 "no IPv6 default route on the uplink"},
	{100, OP_DEFAULT6, 1, NULL, INST_RUNNING, "dad-start create state", 0,
	 NULL},
	{200, OP_DAD, DAD_OK, NULL, INST_RUNNING, "info update", 0, NULL},
	{300, OP_POLICY, 1, NULL, INST_RUNNING, "update", 0, NULL},
	{400, OP_PREF, -1, NULL, INST_RUNNING, "update", 0, NULL},
	{500, OP_DEFAULT6, 0, NULL, INST_WAIT_UPLINK, "destroy state", 0, NULL},
};
TABLE(multi, "v4-conncheck-enable=no", "plat-prefix=" P1);

/* Reloads: the data path is updated in place, or made anew when its
 * device's name or the CLAT IPv4 address changes, without a hold-down;
 * the IPv4 check is not waited for again. */
static const struct row reload_rows[] = {
	{0, OP_TICK, 0, NULL, INST_CONNCHECK, "state", 1000, NULL},
	{1000, OP_TICK, 0, NULL, INST_RUNNING, "dad-start create state", 0,
	 NULL},
	{1100, OP_DAD, DAD_OK, NULL, INST_RUNNING, "info update", 0, NULL},
	{2000, OP_CONFIG, 0, "v4-defaultroute-metric=100", INST_RUNNING,
	 "update", 0, NULL},
	{2100, OP_TICK, 0, NULL, INST_RUNNING, "", 0, NULL},
	{3000, OP_CONFIG, 0, "plat-prefix=" P2, INST_RUNNING, "update state", 0,
	 P2 " (static)"},
	{3100, OP_CONFIG, CF_REBUILD, "clat-dev=clat2", INST_RUNNING,
	 "destroy create", 0, NULL},
	{4000, OP_CONFIG, 0, "clat-v4-addr=192.0.0.5", INST_RUNNING,
	 "destroy create state", 0, "192.0.0.5 <-> 2001:db8:1:1:"},
	{5000, OP_CONFIG, 0, "clat-v6-addr=2001:db8:1:1::77", INST_RUNNING,
	 "update state", 0, "<-> 2001:db8:1:1::77 via"},
	{6000, OP_CONFIG, 0, "clat-v6-addr=auto", INST_RUNNING,
	 "dad-start update state", 0, NULL},
	{6100, OP_DAD, DAD_OK, NULL, INST_RUNNING, "info update", 0, NULL},
	{7000, OP_CONFIG, 0, "v4-conncheck-delay=5", INST_RUNNING, "update", 0,
	 NULL},
};
TABLE(reload, "plat-dev=up0", "v4-conncheck-delay=1", "plat-prefix=" P1);

/* The IPv4 check, off at start, turned on by a reload: no delay then. */
static const struct row reload_check_rows[] = {
	{0, OP_NATIVE4, 1, NULL, INST_RUNNING, "dad-start create state", 0,
	 NULL},
	{100, OP_DAD, DAD_OK, NULL, INST_RUNNING, "info update", 0, NULL},
	{1000, OP_CONFIG, 0, "v4-conncheck-enable=yes", INST_NATIVE_IPV4,
	 "destroy state", 0, NULL},
};
TABLE(reload_check, "plat-dev=up0", "v4-conncheck-enable=no", "plat-prefix=" P1,
      "v4-native-grace=0");

/* Other DNS64 servers: a lookup at once, the prefix kept until then;
 * plat-prefix set: no more lookups. */
static const struct row reload_dns64_rows[] = {
	{0, OP_DNS64, 0, P1, INST_RUNNING, "info dad-start create state",
	 600000, NULL},
	{100, OP_DAD, DAD_OK, NULL, INST_RUNNING, "info update", 600000, NULL},
	{1000, OP_CONFIG, CF_DNS64, "dns64-servers=2001:db8::53", INST_RUNNING,
	 "dns64 update", 0, "(dns64)"},
	{1100, OP_DNS64, 0, P1, INST_RUNNING, "", 601100, NULL},
	{2000, OP_CONFIG, 0, "plat-prefix=" P2, INST_RUNNING, "update state", 0,
	 "(static)"},
};
TABLE(reload_dns64, "plat-dev=up0", "v4-conncheck-enable=no");

/* The wait for native IPv4 on DHCPv4 evidence (v4-conncheck-delay not
 * set): an OFFER with option 108 starts the CLAT at once, and the watch
 * closes; what comes after it is not taken. */
static const struct row v6only_rows[] = {
	{0, OP_TICK, 0, NULL, INST_CONNCHECK, "watch-open state", 3000,
	 "waiting-for-dhcpv4"},
	{200, OP_DHCP4, D_ASK108, NULL, INST_CONNCHECK, "", 5200, NULL},
	{400, OP_DHCP4, D_OFFER108, NULL, INST_RUNNING,
	 "info watch-close dad-start create state", 0, NULL},
	{450, OP_DHCP4, D_ACK, NULL, INST_RUNNING, "", 0, NULL},
	{500, OP_DAD, DAD_OK, NULL, INST_RUNNING, "info update", 0,
	 "(static), started: ipv6-only-preferred"},
};
TABLE(v6only, "plat-dev=up0", "plat-prefix=" P1);

/* An OFFER without option 108: wait for native IPv4, which ends the wait
 * as soon as it comes. */
static const struct row dhcp4_plain_rows[] = {
	{0, OP_TICK, 0, NULL, INST_CONNCHECK, "watch-open state", 3000, NULL},
	{200, OP_DHCP4, D_ASK108, NULL, INST_CONNCHECK, "", 5200, NULL},
	{300, OP_DHCP4, D_OFFER, NULL, INST_CONNCHECK, "info state", 10300,
	 "waiting-for-native-ipv4"},
	{400, OP_DHCP4, D_ACK, NULL, INST_CONNCHECK, "info", 10400, NULL},
	{1000, OP_NATIVE4, 1, NULL, INST_NATIVE_IPV4, "watch-close state", 0,
	 "an IPv4 default route exists"},
	{30000, OP_TICK, 0, NULL, INST_NATIVE_IPV4, "", 0, NULL},
	/* it goes: the CLAT starts, with no evidence to name */
	{31000, OP_NATIVE4, 0, NULL, INST_RUNNING, "dad-start create state", 0,
	 "(static)"},
};
TABLE(dhcp4_plain, "plat-dev=up0", "plat-prefix=" P1);

/* Offered, but no IPv4 default route came: start 10 s after the ACK. */
static const struct row dhcp4_no_native_rows[] = {
	{0, OP_TICK, 0, NULL, INST_CONNCHECK, "watch-open state", 3000, NULL},
	{400, OP_DHCP4, D_ACK, NULL, INST_CONNCHECK, "info state", 10400, NULL},
	{10400, OP_TICK, 0, NULL, INST_RUNNING,
	 "watch-close dad-start create state", 0, NULL},
	{10500, OP_DAD, DAD_OK, NULL, INST_RUNNING, "info update", 0,
	 "started: no-native-ipv4"},
};
TABLE(dhcp4_no_native, "plat-dev=up0", "plat-prefix=" P1);

/* No DHCPv4 on the link: start after the quiet time; the host's client
 * asking with nobody answering: 5 s after it asked. */
static const struct row no_dhcp4_rows[] = {
	{0, OP_TICK, 0, NULL, INST_CONNCHECK, "watch-open state", 3000,
	 "waiting-for-dhcpv4"},
	{2999, OP_TICK, 0, NULL, INST_CONNCHECK, "", 3000, NULL},
	{3000, OP_TICK, 0, NULL, INST_RUNNING,
	 "watch-close dad-start create state", 0, NULL},
	{3100, OP_DAD, DAD_OK, NULL, INST_RUNNING, "info update", 0,
	 "started: no-dhcpv4"},
};
TABLE(no_dhcp4, "plat-dev=up0", "plat-prefix=" P1);

static const struct row no_answer_rows[] = {
	{0, OP_TICK, 0, NULL, INST_CONNCHECK, "watch-open state", 3000, NULL},
	{1000, OP_DHCP4, D_ASK108, NULL, INST_CONNCHECK, "", 6000, NULL},
	{6000, OP_TICK, 0, NULL, INST_RUNNING,
	 "watch-close dad-start create state", 0, NULL},
	{6100, OP_DAD, DAD_OK, NULL, INST_RUNNING, "info update", 0,
	 "started: no-dhcpv4-answer"},
};
TABLE(no_answer, "plat-dev=up0", "plat-prefix=" P1);

/* The watch cannot be opened: clatd's timer, v4-conncheck-delay's
 * default, is the fallback. */
static const struct row watch_failed_rows[] = {
	{0, OP_TICK, 0, NULL, INST_CONNCHECK, "watch-open state", 3000, NULL},
	{0, OP_WATCH_FAILED, 0, NULL, INST_CONNCHECK, "warn state", 10000,
	 "v4-conncheck-delay: checking for native IPv4 in 10 s"},
	{10000, OP_TICK, 0, NULL, INST_RUNNING, "dad-start create state", 0,
	 NULL},
	{10100, OP_DAD, DAD_OK, NULL, INST_RUNNING, "info update", 0,
	 "started: v4-conncheck-delay-passed"},
};
TABLE(watch_failed, "plat-dev=up0", "plat-prefix=" P1);

/* v4-conncheck-delay set: no watch, the timer, even when option 108 is
 * seen by chance. */
static const struct row explicit_delay_rows[] = {
	{0, OP_TICK, 0, NULL, INST_CONNCHECK, "state", 2000,
	 "v4-conncheck-delay: checking for native IPv4 in 2 s"},
	{100, OP_DHCP4, D_OFFER108, NULL, INST_CONNCHECK, "", 2000, NULL},
	{2000, OP_TICK, 0, NULL, INST_RUNNING, "dad-start create state", 0,
	 NULL},
};
TABLE(explicit_delay, "plat-dev=up0", "plat-prefix=" P1,
      "v4-conncheck-delay=2");

/* The check turned off by a reload while the watch is open: it closes,
 * and the CLAT starts. */
static const struct row reload_watch_rows[] = {
	{0, OP_TICK, 0, NULL, INST_CONNCHECK, "watch-open state", 3000, NULL},
	{100, OP_CONFIG, 0, "v4-conncheck-enable=no", INST_RUNNING,
	 "watch-close dad-start create state", 0, NULL},
};
TABLE(reload_watch, "plat-dev=up0", "plat-prefix=" P1);

/* --- single checks of what the tables do not show --- */

static const struct row *
row(unsigned ms, enum op op, int arg, const char *pfx, enum inst_state st,
    const char *acts)
{
	static struct row r;

	r = (struct row){ms, op, arg, pfx, st, acts, ANY, NULL};
	return &r;
}

static const struct engine_action *
find_action(const struct world *w, enum engine_action_kind kind)
{
	unsigned k;

	for (k = 0; k < w->out.n; k++)
		if (w->out.a[k].kind == kind)
			return &w->out.a[k];
	fail_msg("no action of kind %d", kind);
	return NULL;
}

/* RFC 7217 §6: a duplicate gives another address in the same /64. */
static void
test_dad_duplicate_new_address(void **state)
{
	static const char *const conf[] = {"plat-dev=up0",
					   "v4-conncheck-enable=no",
					   "plat-prefix=" P1, NULL};
	struct in6_addr first;
	struct world w;

	(void)state;
	world_init(&w, conf);
	world_step(&w,
		   row(0, OP_TICK, 0, NULL, INST_RUNNING,
		       "dad-start create state"),
		   0);
	first = w.last_dad;
	/* RFC 4429: in use at once, not joined as anycast */
	assert_false(find_action(&w, ENGINE_ACT_DP_CREATE)->dp.anycast);
	/* a conflict: withdrawn and replaced at once, in place */
	world_step(&w,
		   row(100, OP_DAD, DAD_DUPLICATE, NULL, INST_RUNNING,
		       "warn dad-start update state"),
		   1);
	assert_memory_not_equal(&first, &w.last_dad, 16);
	assert_memory_equal(&first, &w.last_dad, 8);
	assert_memory_equal(&find_action(&w, ENGINE_ACT_DP_UPDATE)->dp.v6,
			    &w.last_dad, 16);
	assert_false(find_action(&w, ENGINE_ACT_DP_UPDATE)->dp.anycast);
	assert_int_equal(w.st.dad_conflicts, 1);
	world_step(&w,
		   row(1200, OP_DAD, DAD_OK, NULL, INST_RUNNING, "info update"),
		   2);
	assert_true(find_action(&w, ENGINE_ACT_DP_UPDATE)->dp.anycast);
	assert_memory_equal(&find_action(&w, ENGINE_ACT_DP_UPDATE)->dp.v6,
			    &w.last_dad, 16);
}

/* What the data path is set up with, and the metrics of several
 * instances: v4-defaultroute-metric + 8 x preference + (octet - 1). */
static void
test_dp_params(void **state)
{
	static const char *const conf[] = {"v4-conncheck-enable=no",
					   "plat-prefix=" P1, NULL};
	const struct engine_action *a;
	struct xlat_prefix6 p1 = {0};
	struct world w;

	(void)state;
	world_init(&w, conf);
	inet_pton(AF_INET, "192.0.0.3", &w.f.free_v4);
	w.f.pref = 1;
	world_step(&w,
		   row(0, OP_MTU, 1480, NULL, INST_RUNNING,
		       "dad-start create state"),
		   0);
	a = find_action(&w, ENGINE_ACT_DP_CREATE);
	parse_prefix(P1, &p1);
	assert_memory_equal(&a->dp.prefix.addr, &p1.addr, 16);
	assert_int_equal(a->dp.prefix.len, p1.len);
	assert_int_equal(a->dp.v4.s_addr, w.f.free_v4.s_addr);
	assert_int_equal(a->dp.uplink_mtu, 1480);
	assert_int_equal(a->dp.metric, 2048 + 8 + 2);
	assert_false(a->dp.policy);
	world_step(&w,
		   row(100, OP_DAD, DAD_OK, NULL, INST_RUNNING, "info update"),
		   1);
	world_step(&w, row(200, OP_PREF, -1, NULL, INST_RUNNING, "update"), 2);
	assert_int_equal(find_action(&w, ENGINE_ACT_DP_UPDATE)->dp.metric,
			 2048 - 8 + 2);
	/* the address, once chosen, stays */
	inet_pton(AF_INET, "192.0.0.4", &w.f.free_v4);
	world_step(&w, row(300, OP_POLICY, 1, NULL, INST_RUNNING, "update"), 3);
	a = find_action(&w, ENGINE_ACT_DP_UPDATE);
	assert_true(a->dp.policy);
	assert_int_equal(((const uint8_t *)&a->dp.v4)[3], 3);
}

/* One instance (plat-dev): the configured metric, whatever the RA says. */
static void
test_single_metric(void **state)
{
	static const char *const conf[] = {
		"plat-dev=up0", "v4-conncheck-enable=no",
		"v4-defaultroute-metric=100", "plat-prefix=" P1, NULL};
	struct world w;

	(void)state;
	world_init(&w, conf);
	w.f.pref = 1;
	inet_pton(AF_INET, "192.0.0.6", &w.f.free_v4);
	world_step(&w,
		   row(0, OP_TICK, 0, NULL, INST_RUNNING,
		       "dad-start create state"),
		   0);
	assert_int_equal(find_action(&w, ENGINE_ACT_DP_CREATE)->dp.metric, 100);
}

/* A point-to-point uplink without Neighbor Discovery (WireGuard, PPP):
 * the address chosen in its /64 is used at once, with no DAD, and
 * joined as anycast neither then nor later; the same for a fixed
 * address in that /64. */
static void
test_no_nd(void **state)
{
	static const char *const conf[] = {"plat-dev=up0",
					   "v4-conncheck-enable=no",
					   "plat-prefix=" P1, NULL};
	static const char *const fixed[] = {
		"plat-dev=up0", "v4-conncheck-enable=no", "plat-prefix=" P1,
		"clat-v6-addr=" NET_A "c1a7", NULL};
	const struct engine_action *a;
	struct world w;

	(void)state;
	world_init(&w, conf);
	world_step(&w,
		   row(0, OP_NO_ND, 1, NULL, INST_RUNNING, "info create state"),
		   0);
	a = find_action(&w, ENGINE_ACT_DP_CREATE);
	assert_false(a->dp.anycast);
	assert_false(a->dp.v6_route);
	assert_memory_equal(&a->dp.v6, &w.up.prefixes[0], 8);
	assert_false(w.st.v6_optimistic);
	world_step(&w, row(5000, OP_TICK, 0, NULL, INST_RUNNING, ""), 1);

	world_init(&w, fixed);
	world_step(&w, row(0, OP_NO_ND, 1, NULL, INST_RUNNING, "create state"),
		   0);
	a = find_action(&w, ENGINE_ACT_DP_CREATE);
	assert_false(a->dp.anycast);
	assert_false(a->dp.v6_route);
}

/* The grace period's update: the same data path, marked grace. */
static void
test_grace_dp(void **state)
{
	static const char *const conf[] = {"plat-dev=up0",
					   "v4-conncheck-delay=0",
					   "plat-prefix=" P1, NULL};
	const struct engine_action *a;
	struct world w;

	(void)state;
	world_init(&w, conf);
	world_step(&w,
		   row(0, OP_TICK, 0, NULL, INST_RUNNING,
		       "dad-start create state"),
		   0);
	assert_false(find_action(&w, ENGINE_ACT_DP_CREATE)->dp.grace);
	world_step(
		&w,
		row(100, OP_NATIVE4, 1, NULL, INST_NATIVE_IPV4, "update state"),
		1);
	a = find_action(&w, ENGINE_ACT_DP_UPDATE);
	assert_true(a->dp.grace);
	assert_memory_equal(&a->dp.v6, &w.last_dad, 16);
	/* the default: 300 s */
	assert_int_equal(w.out.wake_at,
			 T0 + 100 * MS + 300 * ENGINE_USEC_PER_SEC);
}

/* How the CLAT address reaches the device: anycast on the uplink for
 * an address in its /64 (neighbour solicitations need an answer), a
 * route into the device for an off-link one (replies may come over any
 * link). A router is already a hop: no TTL decrement of the
 * translator's. */
static void
test_v6_route(void **state)
{
	static const char *const conf[] = {
		"plat-dev=up0", "v4-conncheck-enable=no", "plat-prefix=" P1,
		"clat-v6-addr=" NET_A "c1a7", NULL};
	static const struct {
		enum op op;
		int arg;
		bool v6_route, router;
	} steps[] = {
		{OP_TICK, 0, false, false},    /* on-link, a host */
		{OP_FORWARD, 1, false, true},  /* on-link, a router */
		{OP_FORWARD, 0, false, false}, /* a host again */
		{OP_RENUMBER, 0, true, false}, /* off-link */
	};
	const struct engine_action *a;
	struct world w;
	unsigned i;

	(void)state;
	world_init(&w, conf);
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		world_step(&w,
			   row(100 * i, steps[i].op, steps[i].arg, NULL,
			       INST_RUNNING, i ? "update" : "create state"),
			   i);
		a = find_action(&w, i ? ENGINE_ACT_DP_UPDATE
				      : ENGINE_ACT_DP_CREATE);
		assert_int_equal(a->dp.v6_route, steps[i].v6_route);
		assert_int_equal(a->dp.router, steps[i].router);
	}
}

#define TABLE_TEST(name)                                    \
	{                                                   \
#name, run_table, NULL, NULL, (void *)&name \
	}

/* The source of the CLAT address, as xlatctl status shows it, and how
 * its packets reach the device: a delegated one by a route (no ND), a
 * SLAAC one by anycast, a DHCPv6 one by the DAD module's answers, a
 * configured one by a route or anycast. */
static void
test_v6_source(void **state)
{
	static const char *const auto_conf[] = {"plat-dev=up0",
						"v4-conncheck-enable=no",
						"plat-prefix=" P1, NULL};
	static const char *const static_conf[] = {
		"plat-dev=up0", "v4-conncheck-enable=no", "plat-prefix=" P1,
		"clat-v6-addr=" NET_A "c1a7", NULL};
	const struct engine_action *a;
	struct world w;

	(void)state;
	world_init(&w, auto_conf);
	assert_int_equal(engine_v6_source_pick(&w.f, &w.cfg), V6_SOURCE_SLAAC);
	world_step(
		&w,
		row(0, OP_DELEG, DG_A, NULL, INST_RUNNING, "info create state"),
		0);
	a = find_action(&w, ENGINE_ACT_DP_CREATE);
	assert_true(a->dp.v6_route);
	assert_memory_equal(&a->dp.v6, &w.deleg.subnet, 8);
	assert_int_equal(w.st.v6_source, V6_SOURCE_DELEGATED);
	assert_string_equal(engine_v6_source_name(w.st.v6_source), "delegated");
	w.up.prefix_count = 0;
	w.f.deleg = NULL;
	assert_int_equal(engine_v6_source_pick(&w.f, &w.cfg), V6_SOURCE_NONE);

	/* DHCPv6: anycast never (the kernel refuses it), no route; the
	 * DAD module keeps answering for the address */
	world_init(&w, auto_conf);
	w.up.prefix_count = 0;
	w.up.managed = true;
	assert_int_equal(engine_v6_source_pick(&w.f, &w.cfg), V6_SOURCE_DHCPV6);
	world_step(
		&w,
		row(0, OP_TICK, 0, NULL, INST_WAIT_UPLINK, "dhcp6-start state"),
		0);
	world_step(&w,
		   row(100, OP_DHCP6, 1, NULL, INST_RUNNING,
		       "info dad-start create state"),
		   1);
	assert_true(find_action(&w, ENGINE_ACT_DAD_START)->answer);
	world_step(&w, row(200, OP_DAD, DAD_OK, NULL, INST_RUNNING, "info"), 2);
	assert_true(w.st.nd_answering);
	assert_false(w.st.dp.anycast);
	assert_false(w.st.dp.v6_route);
	assert_string_equal(engine_v6_source_name(w.st.v6_source), "dhcpv6");

	world_init(&w, static_conf);
	world_deleg(&w, DG_A);
	assert_int_equal(engine_v6_source_pick(&w.f, &w.cfg), V6_SOURCE_STATIC);
	world_step(&w, row(0, OP_TICK, 0, NULL, INST_RUNNING, "create state"),
		   0);
	assert_int_equal(w.st.v6_source, V6_SOURCE_STATIC);
	assert_string_equal(engine_v6_source_name(w.st.v6_source), "static");
}

/* clat-v6-addr=shared: the host's own address, only when no other source
 * gives one and the ephemeral ports can be swapped; no DAD, no anycast,
 * no route, and the swap goes to the data path. Without the key, never. */
static void
test_shared(void **state)
{
	static const char *const shared_conf[] = {
		"plat-dev=up0", "v4-conncheck-enable=no", "plat-prefix=" P1,
		"clat-v6-addr=shared", NULL};
	static const char *const auto_conf[] = {"plat-dev=up0",
						"v4-conncheck-enable=no",
						"plat-prefix=" P1, NULL};
	const struct engine_action *a;
	struct world w;

	(void)state;
	world_init(&w, shared_conf);
	w.up.has_own = true;
	inet_pton(AF_INET6, NET_A "5", &w.up.own);
	assert_int_equal(xlat_portswap_init(&w.f.portswap, 32768, 60999), 0);
	/* a SLAAC /64 comes first */
	assert_int_equal(engine_v6_source_pick(&w.f, &w.cfg), V6_SOURCE_SLAAC);
	w.up.prefix_count = 0;
	assert_int_equal(engine_v6_source_pick(&w.f, &w.cfg), V6_SOURCE_SHARED);
	world_step(&w,
		   row(0, OP_TICK, 0, NULL, INST_RUNNING, "info create state"),
		   0);
	a = find_action(&w, ENGINE_ACT_DP_CREATE);
	assert_memory_equal(&a->dp.v6, &w.up.own, 16);
	assert_false(a->dp.anycast);
	assert_false(a->dp.v6_route);
	assert_int_equal(a->dp.portswap.first, 32768);
	assert_int_equal(a->dp.portswap.size, 28232);
	assert_string_equal(engine_v6_source_name(w.st.v6_source), "shared");
	/* the host's address changes: the CLAT follows */
	inet_pton(AF_INET6, NET_A "6", &w.up.own);
	world_step(&w,
		   row(100, OP_TICK, 0, NULL, INST_RUNNING,
		       "info info update state"),
		   1);
	assert_memory_equal(&w.st.dp.v6, &w.up.own, 16);

	/* an ephemeral range with no room below it */
	world_init(&w, shared_conf);
	w.up.prefix_count = 0;
	w.up.has_own = true;
	inet_pton(AF_INET6, NET_A "5", &w.up.own);
	assert_int_equal(engine_v6_source_pick(&w.f, &w.cfg), V6_SOURCE_NONE);
	world_step(&w, row(0, OP_TICK, 0, NULL, INST_WAIT_UPLINK, "state"), 0);
	assert_non_null(strstr(w.st.cause, "ip_local_port_range"));

	/* without the key, never */
	world_init(&w, auto_conf);
	w.up.prefix_count = 0;
	w.up.has_own = true;
	inet_pton(AF_INET6, NET_A "5", &w.up.own);
	assert_int_equal(xlat_portswap_init(&w.f.portswap, 32768, 60999), 0);
	assert_int_equal(engine_v6_source_pick(&w.f, &w.cfg), V6_SOURCE_NONE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TABLE_TEST(start_ra),
		TABLE_TEST(dns64),
		TABLE_TEST(fallback),
		TABLE_TEST(withdraw),
		TABLE_TEST(native),
		TABLE_TEST(grace),
		TABLE_TEST(replace),
		TABLE_TEST(flap),
		TABLE_TEST(dad_fail),
		TABLE_TEST(dad_stale),
		TABLE_TEST(renumber),
		TABLE_TEST(static_addr),
		TABLE_TEST(off_link),
		TABLE_TEST(delegated),
		TABLE_TEST(dhcpv6),
		TABLE_TEST(no_v4),
		TABLE_TEST(dp_fail),
		TABLE_TEST(multi),
		TABLE_TEST(reload),
		TABLE_TEST(reload_check),
		TABLE_TEST(reload_dns64),
		TABLE_TEST(v6only),
		TABLE_TEST(dhcp4_plain),
		TABLE_TEST(dhcp4_no_native),
		TABLE_TEST(no_dhcp4),
		TABLE_TEST(no_answer),
		TABLE_TEST(watch_failed),
		TABLE_TEST(explicit_delay),
		TABLE_TEST(reload_watch),
		cmocka_unit_test(test_dad_duplicate_new_address),
		cmocka_unit_test(test_dp_params),
		cmocka_unit_test(test_single_metric),
		cmocka_unit_test(test_no_nd),
		cmocka_unit_test(test_grace_dp),
		cmocka_unit_test(test_v6_route),
		cmocka_unit_test(test_v6_source),
		cmocka_unit_test(test_shared),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
