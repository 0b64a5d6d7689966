/* SPDX-License-Identifier: BSD-2-Clause */
/* A DHCPv6 client for one IA_NA (RFC 8415 §15, §18). */
#include <string.h>

#include "dhcp6_client.h"

#define MS 1000ULL

/* RFC 8415 §7.6: transmission and retransmission parameters. */
#define SOL_MAX_DELAY (1 * MS)
#define SOL_TIMEOUT (1 * MS)
#define SOL_MAX_RT 3600 /* seconds */
#define REQ_TIMEOUT (1 * MS)
#define REQ_MAX_RT (30 * MS)
#define REQ_MAX_RC 10
#define REN_TIMEOUT (10 * MS)
#define REN_MAX_RT (600 * MS)
#define REB_TIMEOUT (10 * MS)
#define REB_MAX_RT (600 * MS)
#define REL_TIMEOUT (1 * MS)
#define REL_MAX_RC 4
#define DEC_TIMEOUT (1 * MS)
#define DEC_MAX_RC 4
/* §21.24: the SOL_MAX_RT a server may set */
#define SOL_MAX_RT_MIN 60
#define SOL_MAX_RT_MAX 86400
#define PREFERENCE_MAX 255 /* §18.2.1: go ahead at once */
#define ELAPSED_MAX 0xffff /* §21.9 */

/* splitmix64: the caller's random bits, stirred. */
static uint64_t
dhcp6c_rand(struct dhcp6c *c)
{
	uint64_t z = (c->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* RFC 8415 §15: t + RAND * t, RAND uniform in [-0.1, 0.1], or in
 * (0, 0.1] when positive. */
static uint64_t
dhcp6c_jitter(struct dhcp6c *c, uint64_t t, bool positive)
{
	int64_t j = positive ? (int64_t)(dhcp6c_rand(c) % 100) + 1
			     : (int64_t)(dhcp6c_rand(c) % 201) - 100;

	return (uint64_t)((int64_t)t + (int64_t)t * j / 1000);
}

static uint64_t
dhcp6c_add(uint64_t now_ms, uint32_t s)
{
	return s == DHCP6_INFINITY ? DHCP6C_NEVER : now_ms + s * MS;
}

void
dhcp6c_init(struct dhcp6c *c, const struct dhcp6c_cfg *cfg)
{
	memset(c, 0, sizeof(*c));
	c->cfg = *cfg;
	c->state = DHCP6C_INIT;
	c->sol_max_rt_s = SOL_MAX_RT;
}

static void
dhcp6c_lose(struct dhcp6c *c, struct dhcp6c_actions *a)
{
	if (!c->bound)
		return;
	c->bound = false;
	a->lost = true;
	a->lost_addr = c->addr;
}

/* A new exchange of this type, its first transmission at first_ms. */
static void
dhcp6c_xchg(struct dhcp6c *c, enum dhcp6c_state state, uint8_t type,
	    uint64_t first_ms, uint64_t irt, uint64_t mrt, unsigned mrc,
	    uint64_t mrd)
{
	c->state = state;
	memset(&c->x, 0, sizeof(c->x));
	c->x.type = type;
	c->x.xid = (uint32_t)(dhcp6c_rand(c) & 0xffffff); /* §16.1 */
	c->x.next_ms = first_ms;
	c->x.irt_ms = irt;
	c->x.mrt_ms = mrt;
	c->x.mrc = mrc;
	c->x.mrd_ms = mrd;
}

static void
dhcp6c_solicit(struct dhcp6c *c, uint64_t now_ms)
{
	c->have_adv = false;
	/* §18.2.1: the first Solicit waits 0 to SOL_MAX_DELAY. */
	dhcp6c_xchg(c, DHCP6C_SOLICIT, DHCP6_SOLICIT,
		    now_ms + dhcp6c_rand(c) % (SOL_MAX_DELAY + 1), SOL_TIMEOUT,
		    c->sol_max_rt_s * MS, 0, 0);
}

static void
dhcp6c_request(struct dhcp6c *c, uint64_t now_ms)
{
	c->server = c->adv_server;
	dhcp6c_xchg(c, DHCP6C_REQUEST, DHCP6_REQUEST, now_ms, REQ_TIMEOUT,
		    REQ_MAX_RT, REQ_MAX_RC, 0);
}

/* §18.2.4, §18.2.5: Renew until T2, Rebind until the address expires. */
static void
dhcp6c_renew(struct dhcp6c *c, uint64_t now_ms, bool rebind)
{
	uint64_t end = rebind ? c->valid_end_ms : c->t2_ms;

	dhcp6c_xchg(c, rebind ? DHCP6C_REBIND : DHCP6C_RENEW,
		    rebind ? DHCP6_REBIND : DHCP6_RENEW, now_ms,
		    rebind ? REB_TIMEOUT : REN_TIMEOUT,
		    rebind ? REB_MAX_RT : REN_MAX_RT, 0,
		    end == DHCP6C_NEVER ? 0 : end - now_ms);
}

/* The message of the current exchange (§18.2). */
static void
dhcp6c_send(struct dhcp6c *c, uint64_t now_ms, struct dhcp6c_actions *a)
{
	struct dhcp6_out o = {
		.type = c->x.type,
		.xid = c->x.xid,
		.clientid = &c->cfg.duid,
		.iaid = c->cfg.iaid,
		.oro = true,
	};
	uint64_t e = c->x.count == 0 ? 0 : (now_ms - c->x.start_ms) / 10;

	o.elapsed = (uint16_t)(e > ELAPSED_MAX ? ELAPSED_MAX : e);
	switch (c->state) {
	case DHCP6C_SOLICIT:
		break;
	case DHCP6C_REQUEST:
		o.serverid = &c->adv_server;
		o.addrs = &c->adv_addr;
		o.n_addrs = 1;
		break;
	case DHCP6C_RENEW:
		o.serverid = &c->server;
		/* fall through */
	case DHCP6C_REBIND:
		o.addrs = &c->addr;
		o.n_addrs = 1;
		break;
	case DHCP6C_DECLINE:
	case DHCP6C_RELEASE:
		o.serverid = &c->server;
		o.addrs = &c->addr;
		o.n_addrs = 1;
		o.oro = false;
		break;
	default:
		return;
	}
	a->len = dhcp6_msg_build(&o, a->msg, sizeof(a->msg));
}

/* §15: the next RT, and when the exchange gives up (MRD). */
static void
dhcp6c_transmit(struct dhcp6c *c, uint64_t now_ms, struct dhcp6c_actions *a)
{
	struct dhcp6c_xchg *x = &c->x;

	if (x->count == 0) {
		x->start_ms = now_ms;
		/* "If the message is a Solicit, RAND must be strictly
		 * greater than 0", so that Advertises can be collected. */
		x->rt_ms =
			dhcp6c_jitter(c, x->irt_ms, x->type == DHCP6_SOLICIT);
	} else {
		/* RT = 2*RTprev + RAND*RTprev */
		x->rt_ms = x->rt_ms + dhcp6c_jitter(c, x->rt_ms, false);
	}
	if (x->mrt_ms != 0 && x->rt_ms > x->mrt_ms)
		x->rt_ms = dhcp6c_jitter(c, x->mrt_ms, false);
	dhcp6c_send(c, now_ms, a);
	x->count++;
	x->next_ms = now_ms + x->rt_ms;
	if (x->mrd_ms != 0 && x->next_ms > x->start_ms + x->mrd_ms)
		x->next_ms = x->start_ms + x->mrd_ms;
}

/* The exchange ran out of transmissions or time (§15). */
static void
dhcp6c_give_up(struct dhcp6c *c, uint64_t now_ms, struct dhcp6c_actions *a)
{
	switch (c->state) {
	case DHCP6C_REQUEST:
	case DHCP6C_DECLINE:
		dhcp6c_solicit(c, now_ms);
		break;
	case DHCP6C_RENEW: /* T2 came: the lease timers take over */
		c->state = DHCP6C_BOUND;
		break;
	case DHCP6C_REBIND: /* the address expired */
		dhcp6c_lose(c, a);
		dhcp6c_solicit(c, now_ms);
		break;
	case DHCP6C_RELEASE:
		c->state = DHCP6C_STOPPED;
		break;
	default:
		break;
	}
}

static bool
dhcp6c_exchanging(const struct dhcp6c *c)
{
	return c->state == DHCP6C_SOLICIT || c->state == DHCP6C_REQUEST ||
	       c->state == DHCP6C_RENEW || c->state == DHCP6C_REBIND ||
	       c->state == DHCP6C_DECLINE || c->state == DHCP6C_RELEASE;
}

/* The exchange's deadline came. */
static void
dhcp6c_xchg_due(struct dhcp6c *c, uint64_t now_ms, struct dhcp6c_actions *a)
{
	const struct dhcp6c_xchg *x = &c->x;

	/* §18.2.1: the first RT of a Solicit collects Advertises */
	if (c->state == DHCP6C_SOLICIT && c->have_adv) {
		dhcp6c_request(c, now_ms);
		dhcp6c_transmit(c, now_ms, a);
		return;
	}
	if ((x->mrc != 0 && x->count >= x->mrc) ||
	    (x->mrd_ms != 0 && x->count > 0 &&
	     now_ms >= x->start_ms + x->mrd_ms)) {
		dhcp6c_give_up(c, now_ms, a);
		return;
	}
	dhcp6c_transmit(c, now_ms, a);
}

/* The lease's own times: expiry, then T2, then T1 (§18.2.4, §18.2.5). */
static bool
dhcp6c_lease_due(struct dhcp6c *c, uint64_t now_ms, struct dhcp6c_actions *a)
{
	if (!c->bound || c->state == DHCP6C_DECLINE ||
	    c->state == DHCP6C_RELEASE)
		return false;
	if (now_ms >= c->valid_end_ms) {
		dhcp6c_lose(c, a);
		dhcp6c_solicit(c, now_ms);
		return true;
	}
	if (now_ms >= c->t2_ms && c->state != DHCP6C_REBIND) {
		dhcp6c_renew(c, now_ms, true);
		return true;
	}
	if (now_ms >= c->t1_ms && c->state == DHCP6C_BOUND) {
		dhcp6c_renew(c, now_ms, false);
		return true;
	}
	return false;
}

static uint64_t
dhcp6c_min(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* Everything due by now, then the next wake-up. At most one message
 * goes out per call. */
static void
dhcp6c_advance(struct dhcp6c *c, uint64_t now_ms, struct dhcp6c_actions *a)
{
	unsigned guard;

	for (guard = 0; guard < 8 && a->len == 0; guard++) {
		if (dhcp6c_lease_due(c, now_ms, a))
			continue;
		if (!dhcp6c_exchanging(c) || now_ms < c->x.next_ms)
			break;
		dhcp6c_xchg_due(c, now_ms, a);
	}
	a->wake_ms = DHCP6C_NEVER;
	if (dhcp6c_exchanging(c))
		a->wake_ms = c->x.next_ms;
	if (c->bound && c->state != DHCP6C_DECLINE &&
	    c->state != DHCP6C_RELEASE) {
		a->wake_ms = dhcp6c_min(a->wake_ms, c->valid_end_ms);
		if (c->state != DHCP6C_REBIND)
			a->wake_ms = dhcp6c_min(a->wake_ms, c->t2_ms);
		if (c->state == DHCP6C_BOUND)
			a->wake_ms = dhcp6c_min(a->wake_ms, c->t1_ms);
	}
}

static void
dhcp6c_begin(struct dhcp6c *c, uint64_t rand, struct dhcp6c_actions *a)
{
	memset(a, 0, sizeof(*a));
	c->rng ^= rand;
}

void
dhcp6c_start(struct dhcp6c *c, uint64_t now_ms, uint64_t rand,
	     struct dhcp6c_actions *a)
{
	dhcp6c_begin(c, rand, a);
	if (c->state == DHCP6C_INIT || c->state == DHCP6C_STOPPED)
		dhcp6c_solicit(c, now_ms);
	dhcp6c_advance(c, now_ms, a);
}

void
dhcp6c_timer(struct dhcp6c *c, uint64_t now_ms, uint64_t rand,
	     struct dhcp6c_actions *a)
{
	dhcp6c_begin(c, rand, a);
	dhcp6c_advance(c, now_ms, a);
}

/* T1 and T2 of 0 are the client's to choose (§21.4); it takes §14.2's
 * recommendation: 0.5 and 0.8 times the preferred lifetime. */
static void
dhcp6c_bind(struct dhcp6c *c, uint64_t now_ms, const struct dhcp6_msg *m,
	    const struct dhcp6_iaaddr *ia, struct dhcp6c_actions *a)
{
	uint32_t t1 = m->t1, t2 = m->t2, p = ia->preferred;

	if (c->bound && memcmp(&c->addr, &ia->addr, sizeof(c->addr)) != 0)
		dhcp6c_lose(c, a);
	if (t1 == 0)
		t1 = p == DHCP6_INFINITY ? p : p / 2;
	if (t2 == 0)
		t2 = p == DHCP6_INFINITY ? p : p / 5 * 4;
	c->bound = true;
	c->server = m->serverid;
	c->addr = ia->addr;
	c->preferred_s = ia->preferred;
	c->valid_s = ia->valid;
	c->t1_ms = dhcp6c_add(now_ms, t1);
	c->t2_ms = dhcp6c_add(now_ms, t2);
	c->valid_end_ms = dhcp6c_add(now_ms, ia->valid);
	c->state = DHCP6C_BOUND;
	a->bound = true;
	a->addr = ia->addr;
	a->preferred = ia->preferred;
	a->valid = ia->valid;
}

/* The address in the IA to use: ours if it is there, else the first
 * usable one; NULL when the IA has none (§18.2.10.1). *ours_gone: ours
 * is there with a valid lifetime of 0. */
static const struct dhcp6_iaaddr *
dhcp6c_pick(const struct dhcp6c *c, const struct dhcp6_msg *m, bool *ours_gone)
{
	const struct dhcp6_iaaddr *first = NULL;
	unsigned i;

	*ours_gone = false;
	if (!m->has_ia || (m->ia_has_status && m->ia_status != DHCP6_SUCCESS))
		return NULL;
	for (i = 0; i < m->n_addrs; i++) {
		const struct dhcp6_iaaddr *ia = &m->addrs[i];
		bool ours = c->bound &&
			    memcmp(&ia->addr, &c->addr, sizeof(c->addr)) == 0;

		if (ia->has_status && ia->status != DHCP6_SUCCESS)
			continue;
		if (ours && ia->valid == 0)
			*ours_gone = true;
		if (ia->valid == 0)
			continue;
		if (ours)
			return ia;
		if (first == NULL)
			first = ia;
	}
	return first;
}

/* §18.2.9: an Advertise without a usable address is ignored; one of
 * preference 255 is taken at once, and so is any that comes after the
 * first RT; otherwise the best one so far is kept until then. */
static void
dhcp6c_on_advertise(struct dhcp6c *c, uint64_t now_ms,
		    const struct dhcp6_msg *m, struct dhcp6c_actions *a)
{
	const struct dhcp6_iaaddr *ia;
	uint8_t pref = m->has_preference ? m->preference : 0;
	bool gone;

	if (m->has_sol_max_rt && m->sol_max_rt >= SOL_MAX_RT_MIN &&
	    m->sol_max_rt <= SOL_MAX_RT_MAX) {
		c->sol_max_rt_s = m->sol_max_rt;
		c->x.mrt_ms = m->sol_max_rt * MS;
	}
	if ((m->has_status && m->status != DHCP6_SUCCESS) ||
	    (ia = dhcp6c_pick(c, m, &gone)) == NULL)
		return;
	if (!c->have_adv || pref > c->adv_pref) {
		c->have_adv = true;
		c->adv_pref = pref;
		c->adv_server = m->serverid;
		c->adv_addr = ia->addr;
	}
	if (pref == PREFERENCE_MAX || c->x.count > 1) {
		dhcp6c_request(c, now_ms);
		dhcp6c_transmit(c, now_ms, a);
	}
}

/* §18.2.10: a Reply to Request, Renew or Rebind. */
static void
dhcp6c_on_reply(struct dhcp6c *c, uint64_t now_ms, const struct dhcp6_msg *m,
		struct dhcp6c_actions *a)
{
	const struct dhcp6_iaaddr *ia;
	bool gone;

	/* §18.2.10: UnspecFail and UseMulticast: keep retransmitting (this
	 * client always multicasts). NotOnLink: start again. */
	if (m->has_status && m->status != DHCP6_SUCCESS) {
		if (m->status == DHCP6_NOT_ON_LINK) {
			dhcp6c_lose(c, a);
			dhcp6c_solicit(c, now_ms);
		}
		return;
	}
	/* §18.2.10.1: NoBinding to a Renew or Rebind: Request it again */
	if (c->state != DHCP6C_REQUEST && m->has_ia && m->ia_has_status &&
	    m->ia_status == DHCP6_NO_BINDING) {
		c->adv_server = m->serverid;
		c->adv_addr = c->addr;
		dhcp6c_request(c, now_ms);
		dhcp6c_transmit(c, now_ms, a);
		return;
	}
	ia = dhcp6c_pick(c, m, &gone);
	if (ia != NULL) {
		dhcp6c_bind(c, now_ms, m, ia, a);
		return;
	}
	if (gone || c->state == DHCP6C_REQUEST) {
		/* ours withdrawn, or nothing given (NoAddrsAvail) */
		dhcp6c_lose(c, a);
		dhcp6c_solicit(c, now_ms);
	}
}

static bool
dhcp6c_is_for_us(const struct dhcp6c *c, const struct dhcp6_msg *m)
{
	/* §16.3, §16.10: the transaction, our Client Identifier, and a
	 * Server Identifier. */
	return m->xid == c->x.xid && m->has_serverid && m->has_clientid &&
	       m->clientid.len == c->cfg.duid.len &&
	       memcmp(m->clientid.b, c->cfg.duid.b, m->clientid.len) == 0;
}

void
dhcp6c_receive(struct dhcp6c *c, uint64_t now_ms, uint64_t rand,
	       const uint8_t *buf, size_t len, struct dhcp6c_actions *a)
{
	struct dhcp6_msg m;

	dhcp6c_begin(c, rand, a);
	if (dhcp6c_exchanging(c) &&
	    dhcp6_msg_parse(buf, len, c->cfg.iaid, &m) == 0 &&
	    dhcp6c_is_for_us(c, &m) && c->x.count > 0) {
		if (c->state == DHCP6C_SOLICIT && m.type == DHCP6_ADVERTISE)
			dhcp6c_on_advertise(c, now_ms, &m, a);
		else if (m.type != DHCP6_REPLY || c->state == DHCP6C_SOLICIT)
			; /* Reconfigure, or a type out of turn: dropped */
		else if (c->state == DHCP6C_DECLINE)
			dhcp6c_solicit(c, now_ms); /* §18.2.10.3 */
		else if (c->state == DHCP6C_RELEASE)
			c->state = DHCP6C_STOPPED; /* §18.2.10.2 */
		else
			dhcp6c_on_reply(c, now_ms, &m, a);
	}
	dhcp6c_advance(c, now_ms, a);
}

/* §18.2.7, §18.2.8: the address is not to be used any more from the
 * start of the exchange that gives it back. */
static void
dhcp6c_give_back(struct dhcp6c *c, uint64_t now_ms, uint64_t rand, bool decline,
		 struct dhcp6c_actions *a)
{
	dhcp6c_begin(c, rand, a);
	if (c->bound) {
		dhcp6c_lose(c, a);
		dhcp6c_xchg(c, decline ? DHCP6C_DECLINE : DHCP6C_RELEASE,
			    decline ? DHCP6_DECLINE : DHCP6_RELEASE, now_ms,
			    decline ? DEC_TIMEOUT : REL_TIMEOUT, 0,
			    decline ? DEC_MAX_RC : REL_MAX_RC, 0);
	} else if (!decline) {
		c->state = DHCP6C_STOPPED;
	}
	dhcp6c_advance(c, now_ms, a);
}

void
dhcp6c_decline(struct dhcp6c *c, uint64_t now_ms, uint64_t rand,
	       struct dhcp6c_actions *a)
{
	dhcp6c_give_back(c, now_ms, rand, true, a);
}

void
dhcp6c_release(struct dhcp6c *c, uint64_t now_ms, uint64_t rand,
	       struct dhcp6c_actions *a)
{
	dhcp6c_give_back(c, now_ms, rand, false, a);
}

const char *
dhcp6c_state_name(enum dhcp6c_state state)
{
	static const char *const names[] = {
		[DHCP6C_INIT] = "init",	      [DHCP6C_SOLICIT] = "solicit",
		[DHCP6C_REQUEST] = "request", [DHCP6C_BOUND] = "bound",
		[DHCP6C_RENEW] = "renew",     [DHCP6C_REBIND] = "rebind",
		[DHCP6C_DECLINE] = "decline", [DHCP6C_RELEASE] = "release",
		[DHCP6C_STOPPED] = "stopped",
	};

	return (unsigned)state < sizeof(names) / sizeof(names[0]) ? names[state]
								  : "unknown";
}
