/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * src/dhcp/dhcp6_client.c: the DHCPv6 client's state machine (RFC 8415
 * §15, §18) against a server played here: what it sends and when, what
 * it binds and loses, and how it retransmits.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dhcp/dhcp6_client.h"

#define IAID 0xc1a7
#define S 1000ULL
#define ADDR "2001:db8:1::1000"
#define ADDR2 "2001:db8:1::2000"

static const uint8_t server_a[] = {0, 3, 0, 1, 2, 0, 0, 0, 0, 0xa};
static const uint8_t server_b[] = {0, 3, 0, 1, 2, 0, 0, 0, 0, 0xb};

struct t {
	struct dhcp6c c;
	struct dhcp6c_actions a;
	struct dhcp6_msg sent; /* the last message sent, parsed */
	uint64_t now, rand;
};

static struct in6_addr
a6(const char *s)
{
	struct in6_addr a;

	assert_int_equal(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

/* An option's value in a message sent, or NULL. */
static const uint8_t *
find_opt(const struct dhcp6c_actions *a, unsigned code, size_t *len)
{
	size_t off = 4;

	while (off + 4 <= a->len) {
		unsigned c = (unsigned)(a->msg[off] << 8 | a->msg[off + 1]);
		size_t l = (size_t)(a->msg[off + 2] << 8 | a->msg[off + 3]);

		if (c == code) {
			*len = l;
			return a->msg + off + 4;
		}
		off += 4 + l;
	}
	return NULL;
}

static unsigned
elapsed(const struct dhcp6c_actions *a)
{
	size_t len;
	const uint8_t *v = find_opt(a, 8, &len);

	assert_non_null(v);
	assert_int_equal(len, 2);
	return (unsigned)(v[0] << 8 | v[1]);
}

static bool
has_oro(const struct dhcp6c_actions *a)
{
	size_t len;

	return find_opt(a, 6, &len) != NULL;
}

static void
after(struct t *t)
{
	if (t->a.len > 0)
		assert_int_equal(
			dhcp6_msg_parse(t->a.msg, t->a.len, IAID, &t->sent), 0);
}

static void
init(struct t *t)
{
	struct dhcp6c_cfg cfg = {.iaid = IAID};
	static const uint8_t duid[] = {0, 4, 1, 2, 3, 4, 5, 6, 7,
				       8, 9, 0, 1, 2, 3, 4, 5, 6};

	memset(t, 0, sizeof(*t));
	memcpy(cfg.duid.b, duid, sizeof(duid));
	cfg.duid.len = sizeof(duid);
	dhcp6c_init(&t->c, &cfg);
	t->now = 1000 * S;
	t->rand = 0x1234567;
}

static void
start(struct t *t)
{
	dhcp6c_start(&t->c, t->now, t->rand++, &t->a);
	after(t);
}

/* Run the timer at its wake time. */
static void
wake(struct t *t)
{
	assert_true(t->a.wake_ms != DHCP6C_NEVER);
	assert_true(t->a.wake_ms >= t->now);
	t->now = t->a.wake_ms;
	dhcp6c_timer(&t->c, t->now, t->rand++, &t->a);
	after(t);
}

/* A server message answering the last one sent. */
struct reply {
	uint8_t type;
	const uint8_t *server;
	size_t server_len;
	int status;	  /* top level, < 0: none */
	int pref;	  /* < 0: none */
	const char *addr; /* NULL: an IA without address */
	uint32_t t1, t2, preferred, valid;
	int ia_status;
	bool wrong_xid, wrong_client, no_server;
};

static size_t
opt(uint8_t *b, size_t off, unsigned code, const void *v, size_t len)
{
	b[off] = (uint8_t)(code >> 8);
	b[off + 1] = (uint8_t)code;
	b[off + 2] = (uint8_t)(len >> 8);
	b[off + 3] = (uint8_t)len;
	if (len > 0)
		memcpy(b + off + 4, v, len);
	return off + 4 + len;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void
answer(struct t *t, const struct reply *r)
{
	uint8_t b[512], ia[128], st[2];
	uint32_t xid = t->sent.xid ^ (r->wrong_xid ? 1 : 0);
	struct dhcp6_duid cl = t->c.cfg.duid;
	size_t off = 4, ilen = 12;
	struct in6_addr a;

	b[0] = r->type;
	b[1] = (uint8_t)(xid >> 16);
	b[2] = (uint8_t)(xid >> 8);
	b[3] = (uint8_t)xid;
	if (r->wrong_client)
		cl.b[5] ^= 1;
	off = opt(b, off, 1, cl.b, cl.len);
	if (!r->no_server)
		off = opt(b, off, 2, r->server, r->server_len);
	if (r->status >= 0) {
		st[0] = 0;
		st[1] = (uint8_t)r->status;
		off = opt(b, off, 13, st, 2);
	}
	if (r->pref >= 0) {
		st[0] = (uint8_t)r->pref;
		off = opt(b, off, 7, st, 1);
	}
	put32(ia, IAID);
	put32(ia + 4, r->t1);
	put32(ia + 8, r->t2);
	if (r->addr != NULL) {
		uint8_t ad[24];

		a = a6(r->addr);
		memcpy(ad, &a, 16);
		put32(ad + 16, r->preferred);
		put32(ad + 20, r->valid);
		ilen = opt(ia, ilen, 5, ad, sizeof(ad));
	}
	if (r->ia_status >= 0) {
		st[0] = 0;
		st[1] = (uint8_t)r->ia_status;
		ilen = opt(ia, ilen, 13, st, 2);
	}
	off = opt(b, off, 3, ia, ilen);
	dhcp6c_receive(&t->c, t->now, t->rand++, b, off, &t->a);
	after(t);
}

static struct reply
offer(uint8_t type, const uint8_t *server, const char *addr)
{
	struct reply r = {
		.type = type,
		.server = server,
		.server_len = sizeof(server_a),
		.status = -1,
		.pref = -1,
		.addr = addr,
		.t1 = 100,
		.t2 = 160,
		.preferred = 200,
		.valid = 300,
		.ia_status = -1,
	};

	return r;
}

/* Solicit, Advertise (preference 255), Request, Reply. */
static void
bind_once(struct t *t)
{
	struct reply r = offer(DHCP6_ADVERTISE, server_a, ADDR);

	start(t);
	wake(t);
	assert_int_equal(t->sent.type, DHCP6_SOLICIT);
	r.pref = 255;
	answer(t, &r);
	assert_int_equal(t->sent.type, DHCP6_REQUEST);
	r.type = DHCP6_REPLY;
	r.pref = -1;
	answer(t, &r);
	assert_true(t->a.bound);
	assert_int_equal(t->c.state, DHCP6C_BOUND);
}

/* §18.2.1 and §15: a random first delay of at most SOL_MAX_DELAY, then
 * RT in (IRT, 1.1 IRT], doubling ±10 %, up to SOL_MAX_RT ±10 %; Elapsed
 * Time from the first Solicit; the same transaction throughout. */
static void
test_solicit_timing(void **state)
{
	struct t t;
	uint64_t first, prev_rt = 0, rt, sent_at;
	uint32_t xid;
	unsigned i;
	size_t len;

	(void)state;
	init(&t);
	start(&t);
	assert_int_equal(t.a.len, 0);
	assert_true(t.a.wake_ms <= t.now + 1 * S);
	wake(&t);
	first = t.now;
	assert_int_equal(t.sent.type, DHCP6_SOLICIT);
	assert_false(t.sent.has_serverid);
	assert_true(t.sent.has_clientid);
	assert_true(t.sent.has_ia);
	assert_int_equal(t.sent.n_addrs, 0);
	assert_true(has_oro(&t.a));
	assert_null(find_opt(&t.a, 20, &len)); /* no Reconfigure Accept */
	assert_int_equal(elapsed(&t.a), 0);
	xid = t.sent.xid;
	rt = t.a.wake_ms - t.now;
	assert_true(rt > 1 * S && rt <= 1100);
	for (i = 0; i < 20; i++) {
		sent_at = t.now;
		prev_rt = rt;
		wake(&t);
		assert_int_equal(t.sent.type, DHCP6_SOLICIT);
		assert_int_equal(t.sent.xid, xid);
		assert_int_equal(elapsed(&t.a), (t.now - first) / 10 > 0xffff
							? 0xffff
							: (t.now - first) / 10);
		rt = t.a.wake_ms - t.now;
		assert_int_equal(t.now - sent_at, prev_rt);
		if (prev_rt * 2 < 3240 * S)
			assert_true(rt >= prev_rt * 19 / 10 &&
				    rt <= prev_rt * 21 / 10);
		assert_true(rt <= 3960 * S); /* MRT + 10 % */
	}
	assert_true(rt >= 3240 * S); /* it reached MRT */
}

/* §18.2.1: Advertises are collected for the first RT; the best wins. */
static void
test_advertise_choice(void **state)
{
	struct reply r;
	struct in6_addr want = a6(ADDR2);
	struct t t;

	(void)state;
	init(&t);
	start(&t);
	wake(&t);
	r = offer(DHCP6_ADVERTISE, server_a, ADDR);
	r.pref = 1;
	answer(&t, &r);
	assert_int_equal(t.a.len, 0); /* still collecting */
	r = offer(DHCP6_ADVERTISE, server_b, ADDR2);
	r.pref = 5;
	answer(&t, &r);
	r = offer(DHCP6_ADVERTISE, server_a, ADDR);
	r.pref = 3;
	answer(&t, &r);
	assert_int_equal(t.a.len, 0);
	wake(&t); /* the first RT is over */
	assert_int_equal(t.sent.type, DHCP6_REQUEST);
	assert_true(t.sent.has_serverid);
	assert_memory_equal(t.sent.serverid.b, server_b, sizeof(server_b));
	assert_int_equal(t.sent.n_addrs, 1);
	assert_memory_equal(&t.sent.addrs[0].addr, &want, 16);
	assert_int_equal(elapsed(&t.a), 0); /* a new exchange */
}

/* §18.2.9: no usable address, or a failure status: ignored. An
 * Advertise after the first RT is taken at once. */
static void
test_advertise_ignored(void **state)
{
	struct reply r;
	struct t t;

	(void)state;
	init(&t);
	start(&t);
	wake(&t);
	r = offer(DHCP6_ADVERTISE, server_a, NULL);
	r.ia_status = DHCP6_NO_ADDRS_AVAIL;
	answer(&t, &r);
	r = offer(DHCP6_ADVERTISE, server_a, ADDR);
	r.status = DHCP6_UNSPEC_FAIL;
	answer(&t, &r);
	r = offer(DHCP6_ADVERTISE, server_a, ADDR);
	r.valid = 0;
	r.preferred = 0;
	answer(&t, &r);
	wake(&t);
	assert_int_equal(t.sent.type, DHCP6_SOLICIT); /* nothing kept */
	answer(&t, &(struct reply){0});		      /* garbage */
	r = offer(DHCP6_ADVERTISE, server_a, ADDR);
	answer(&t, &r);
	assert_int_equal(t.sent.type, DHCP6_REQUEST);
}

/* §16: not ours: another transaction, another client, no server id,
 * a Reply to a Solicit, a Reconfigure. */
static void
test_not_ours(void **state)
{
	struct reply r;
	struct t t;
	uint64_t wake_was;

	(void)state;
	init(&t);
	start(&t);
	wake(&t);
	wake_was = t.a.wake_ms;
	r = offer(DHCP6_ADVERTISE, server_a, ADDR);
	r.pref = 255;
	r.wrong_xid = true;
	answer(&t, &r);
	r.wrong_xid = false;
	r.wrong_client = true;
	answer(&t, &r);
	r.wrong_client = false;
	r.no_server = true;
	answer(&t, &r);
	r.no_server = false;
	r.type = DHCP6_REPLY;
	answer(&t, &r);
	r.type = DHCP6_RECONFIGURE;
	answer(&t, &r);
	assert_int_equal(t.a.len, 0);
	assert_int_equal(t.a.wake_ms, wake_was);
	assert_int_equal(t.c.state, DHCP6C_SOLICIT);
}

/* Request, Reply: bound, with T1, T2 and the valid lifetime as timers. */
static void
test_bound(void **state)
{
	struct in6_addr want = a6(ADDR);
	struct t t;

	(void)state;
	init(&t);
	bind_once(&t);
	assert_memory_equal(&t.a.addr, &want, 16);
	assert_int_equal(t.a.preferred, 200);
	assert_int_equal(t.a.valid, 300);
	assert_int_equal(t.a.wake_ms, t.now + 100 * S);
	assert_string_equal(dhcp6c_state_name(t.c.state), "bound");
}

/* §18.2.4: Renew at T1 to the server, §18.2.10.1: its Reply extends. */
static void
test_renew(void **state)
{
	struct reply r = offer(DHCP6_REPLY, server_a, ADDR);
	struct t t;

	(void)state;
	init(&t);
	bind_once(&t);
	wake(&t);
	assert_int_equal(t.sent.type, DHCP6_RENEW);
	assert_true(t.sent.has_serverid);
	assert_memory_equal(t.sent.serverid.b, server_a, sizeof(server_a));
	assert_int_equal(t.sent.n_addrs, 1);
	assert_true(t.a.wake_ms - t.now >= 9 * S); /* REN_TIMEOUT */
	r.t1 = 50;
	answer(&t, &r);
	assert_true(t.a.bound);
	assert_false(t.a.lost);
	assert_int_equal(t.c.state, DHCP6C_BOUND);
	assert_int_equal(t.a.wake_ms, t.now + 50 * S);
}

/* No answer to Renew: Rebind at T2 to any server, then the address is
 * lost when its valid lifetime ends, and the client solicits again. */
static void
test_rebind_and_expiry(void **state)
{
	struct t t;
	uint64_t bound_at;

	(void)state;
	init(&t);
	bind_once(&t);
	bound_at = t.now;
	do
		wake(&t);
	while (t.c.state == DHCP6C_RENEW);
	assert_int_equal(t.now, bound_at + 160 * S);
	assert_int_equal(t.sent.type, DHCP6_REBIND);
	assert_false(t.sent.has_serverid);
	do
		wake(&t);
	while (t.c.state == DHCP6C_REBIND);
	assert_int_equal(t.now, bound_at + 300 * S);
	assert_true(t.a.lost);
	assert_int_equal(t.c.state, DHCP6C_SOLICIT);
}

/* §21.4: T1 and T2 of 0 are 0.5 and 0.8 times the preferred lifetime. */
static void
test_t1_t2_zero(void **state)
{
	struct reply r = offer(DHCP6_ADVERTISE, server_a, ADDR);
	struct t t;
	uint64_t bound_at;

	(void)state;
	init(&t);
	start(&t);
	wake(&t);
	r.pref = 255;
	answer(&t, &r);
	r.type = DHCP6_REPLY;
	r.t1 = r.t2 = 0;
	answer(&t, &r);
	bound_at = t.now;
	assert_int_equal(t.a.wake_ms, bound_at + 100 * S);
	wake(&t);
	assert_int_equal(t.sent.type, DHCP6_RENEW);
	assert_int_equal(t.c.t2_ms, bound_at + 160 * S);
}

/* §18.2.2: REQ_MAX_RC Requests unanswered, then a new Solicit. */
static void
test_request_gives_up(void **state)
{
	struct reply r = offer(DHCP6_ADVERTISE, server_a, ADDR);
	struct t t;
	unsigned n = 1;

	(void)state;
	init(&t);
	start(&t);
	wake(&t);
	r.pref = 255;
	answer(&t, &r);
	while (1) {
		wake(&t);
		if (t.c.state != DHCP6C_REQUEST)
			break;
		assert_int_equal(t.sent.type, DHCP6_REQUEST);
		n++;
	}
	assert_int_equal(n, 10);
	assert_int_equal(t.c.state, DHCP6C_SOLICIT);
}

/* §18.2.10.1: NoBinding to a Renew: Request again; a valid lifetime of
 * 0 for our address: lost. */
static void
test_renew_no_binding(void **state)
{
	struct reply r = offer(DHCP6_REPLY, server_a, NULL);
	struct t t;

	(void)state;
	init(&t);
	bind_once(&t);
	wake(&t);
	r.ia_status = DHCP6_NO_BINDING;
	answer(&t, &r);
	assert_int_equal(t.sent.type, DHCP6_REQUEST);
	assert_int_equal(t.sent.n_addrs, 1);
	r = offer(DHCP6_REPLY, server_a, ADDR);
	r.preferred = r.valid = 0;
	answer(&t, &r);
	assert_true(t.a.lost);
	assert_int_equal(t.c.state, DHCP6C_SOLICIT);
}

/* §18.2.7: Release: the address is lost at once; REL_MAX_RC
 * transmissions without ORO, then stopped. */
static void
test_release(void **state)
{
	struct t t;
	unsigned n = 1;

	(void)state;
	init(&t);
	bind_once(&t);
	dhcp6c_release(&t.c, t.now, t.rand++, &t.a);
	after(&t);
	assert_true(t.a.lost);
	assert_int_equal(t.sent.type, DHCP6_RELEASE);
	assert_true(t.sent.has_serverid);
	assert_int_equal(t.sent.n_addrs, 1);
	assert_false(has_oro(&t.a));
	while (t.a.wake_ms != DHCP6C_NEVER) {
		wake(&t);
		if (t.a.len > 0)
			n++;
	}
	assert_int_equal(n, 4);
	assert_int_equal(t.c.state, DHCP6C_STOPPED);
	/* with a Reply it stops at once */
	init(&t);
	bind_once(&t);
	dhcp6c_release(&t.c, t.now, t.rand++, &t.a);
	after(&t);
	answer(&t, &(struct reply){.type = DHCP6_REPLY,
				   .server = server_a,
				   .server_len = sizeof(server_a),
				   .status = 0,
				   .pref = -1,
				   .ia_status = -1});
	assert_int_equal(t.c.state, DHCP6C_STOPPED);
	assert_int_equal(t.a.wake_ms, DHCP6C_NEVER);
	/* not bound: nothing to release */
	init(&t);
	dhcp6c_release(&t.c, t.now, t.rand++, &t.a);
	assert_int_equal(t.a.len, 0);
	assert_int_equal(t.c.state, DHCP6C_STOPPED);
}

/* §18.2.8: Decline after DAD failed, then a new Solicit. */
static void
test_decline(void **state)
{
	struct reply r = offer(DHCP6_REPLY, server_a, NULL);
	struct t t;

	(void)state;
	init(&t);
	bind_once(&t);
	dhcp6c_decline(&t.c, t.now, t.rand++, &t.a);
	after(&t);
	assert_true(t.a.lost);
	assert_int_equal(t.sent.type, DHCP6_DECLINE);
	assert_false(has_oro(&t.a));
	assert_int_equal(t.sent.n_addrs, 1);
	r.status = 0;
	answer(&t, &r);
	assert_int_equal(t.c.state, DHCP6C_SOLICIT);
	wake(&t);
	assert_int_equal(t.sent.type, DHCP6_SOLICIT);
}

/* §21.24: SOL_MAX_RT from a server changes the Solicit's MRT. */
static void
test_sol_max_rt(void **state)
{
	struct t t;
	uint8_t b[64];
	size_t off = 4;
	uint8_t rt[4] = {0, 0, 0, 60};
	unsigned i;

	(void)state;
	init(&t);
	start(&t);
	wake(&t);
	b[0] = DHCP6_ADVERTISE;
	b[1] = (uint8_t)(t.sent.xid >> 16);
	b[2] = (uint8_t)(t.sent.xid >> 8);
	b[3] = (uint8_t)t.sent.xid;
	off = opt(b, off, 1, t.c.cfg.duid.b, t.c.cfg.duid.len);
	off = opt(b, off, 2, server_a, sizeof(server_a));
	off = opt(b, off, 82, rt, 4);
	off = opt(b, off, 13, "\x00\x02", 2); /* NoAddrsAvail */
	dhcp6c_receive(&t.c, t.now, 1, b, off, &t.a);
	for (i = 0; i < 12; i++)
		wake(&t);
	assert_true(t.a.wake_ms - t.now <= 66 * S);
	assert_true(t.a.wake_ms - t.now >= 54 * S);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_solicit_timing),
		cmocka_unit_test(test_advertise_choice),
		cmocka_unit_test(test_advertise_ignored),
		cmocka_unit_test(test_not_ours),
		cmocka_unit_test(test_bound),
		cmocka_unit_test(test_renew),
		cmocka_unit_test(test_rebind_and_expiry),
		cmocka_unit_test(test_t1_t2_zero),
		cmocka_unit_test(test_request_gives_up),
		cmocka_unit_test(test_renew_no_binding),
		cmocka_unit_test(test_release),
		cmocka_unit_test(test_decline),
		cmocka_unit_test(test_sol_max_rt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
