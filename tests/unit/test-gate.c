/* SPDX-License-Identifier: BSD-2-Clause */
/* src/siit/gate.c: what xlat-siit does with a packet before the core:
 * its own addresses, new IPv6 sources and the dynamic pool (tayga.conf(5)
 * dynamic-pool), RFC 6791 sources for ICMPv6 errors, and pool addresses
 * that nobody holds. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "pkt-build.h"
#include "siit/gate.h"

#define T0 1700000000
#define OWN4 "192.168.255.1"
#define OWN6 "2001:db8:64::c0a8:ff01"
#define SERVER6 "2001:db8:64::cb00:710a" /* 203.0.113.10 */
#define SERVER4 "203.0.113.10"

static const uint8_t key[16] = {3};
static struct hosts h;
static struct pool pool;
static struct xlat_cfg cfg;
static struct gate g;
static struct gate_change ch;
static struct pkt p;

static int
setup(void **state)
{
	struct xlat_prefix6 e6 = pkt_prefix6("2001:db8:2::/124");
	struct xlat_prefix4 e4 = pkt_prefix4("192.168.255.128/28");
	uint8_t v6[16], v4[4];

	(void)state;
	assert_int_equal(hosts_init(&h, 512, key), 0);
	assert_int_equal(pool_init(&pool, &h, 0xc0a8ff00, 24), 0);
	xlat_cfg_init(&cfg);
	cfg.has_pool6 = true;
	cfg.pool6 = pkt_prefix6("2001:db8:64::/96");
	cfg.hosts = &h.ops;
	assert_true(xlat_eam_add(&cfg, &e6, &e4));
	pool_block(&pool, 0xc0a8ff80, 28);
	pool_block(&pool, 0xc0a8ff01, 32);
	/* a static host map outside the pool */
	pkt_addr6("2001:db8:1::5", v6);
	pkt_addr4("198.51.100.5", v4);
	assert_non_null(hosts_add(&h, v6, v4, HOSTS_F_STATIC));
	g = (struct gate){.cfg = &cfg, .pool = &pool};
	pkt_addr4(OWN4, (uint8_t *)&g.own4);
	pkt_addr6(OWN6, g.own6.s6_addr);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	pool_free(&pool);
	hosts_free(&h);
	return 0;
}

static enum gate_verdict
check(int64_t now)
{
	return gate_check(&g, p.b, p.len, now, &ch);
}

static void
udp6(const char *src, const char *dst)
{
	pkt_ipv6(&p, src, dst);
	pkt_udp(&p, 40000, 53);
	pkt_finish(&p);
}

static void
udp4(const char *src, const char *dst)
{
	pkt_ipv4(&p, src, dst);
	pkt_udp(&p, 53, 40000);
	pkt_finish(&p);
}

static void
test_self(void **state)
{
	(void)state;
	udp6("2001:db8:cafe::7", OWN6);
	assert_int_equal(check(T0), GATE_SELF);
	udp4(SERVER4, OWN4);
	assert_int_equal(check(T0), GATE_SELF);
	assert_int_equal(h.count, 1); /* no pool address for it */
}

static void
test_new_source(void **state)
{
	const struct hosts_entry *e;
	uint8_t v6[16];
	char a[INET_ADDRSTRLEN];

	(void)state;
	udp6("2001:db8:cafe::7", SERVER6);
	assert_int_equal(check(T0), GATE_TRANSLATE);
	assert_int_equal(ch.result, POOL_ASSIGNED);
	e = ch.entry;
	assert_non_null(e);
	pkt_addr6("2001:db8:cafe::7", v6);
	assert_memory_equal(e->v6, v6, 16);
	assert_true(pool_contains(&pool, e->v4));
	assert_false(e->flags & HOSTS_F_CONFIRMED);
	/* the next packet is its last use */
	assert_int_equal(check(T0 + 3), GATE_TRANSLATE);
	assert_int_equal(ch.result, POOL_FOUND);
	assert_int_equal(e->last_use, T0 + 3);
	/* an ICMPv4 error is no answer: still on probation */
	inet_ntop(AF_INET, e->v4, a, sizeof(a));
	pkt_ipv4(&p, SERVER4, a);
	pkt_icmp(&p, 3, 3, 0); /* port unreachable */
	pkt_fill(&p, 28, 1);
	pkt_finish(&p);
	assert_int_equal(check(T0 + 4), GATE_TRANSLATE);
	assert_false(e->flags & HOSTS_F_CONFIRMED);
	/* the answer confirms it */
	udp4(SERVER4, a);
	assert_int_equal(check(T0 + 4), GATE_TRANSLATE);
	assert_true(e->flags & HOSTS_F_CONFIRMED);
	assert_int_equal(e->last_use, T0 + 4);
}

/* Sources the core maps anyway take nothing from the pool. */
static void
test_mapped_sources(void **state)
{
	(void)state;
	udp6("2001:db8:64::c633:6401", SERVER6); /* RFC 6052 */
	assert_int_equal(check(T0), GATE_TRANSLATE);
	udp6("2001:db8:1::5", SERVER6); /* static host map */
	assert_int_equal(check(T0), GATE_TRANSLATE);
	udp6("2001:db8:2::3", SERVER6); /* RFC 7757 map */
	assert_int_equal(check(T0), GATE_TRANSLATE);
	assert_int_equal(h.count, 1);
	assert_int_equal(pool.stats.assigned, 0);
}

/* RFC 6791: an ICMPv6 error from a router gets 192.0.0.8, not a pool
 * address. */
static void
test_icmp6_error(void **state)
{
	(void)state;
	pkt_ipv6(&p, "2001:db8:ff::1", SERVER6);
	pkt_icmp(&p, 3, 0, 0);
	pkt_fill(&p, 48, 1);
	pkt_finish(&p);
	assert_int_equal(check(T0), GATE_TRANSLATE);
	assert_int_equal(h.count, 1);
	/* an echo request from the same address does get one */
	pkt_ipv6(&p, "2001:db8:ff::1", SERVER6);
	pkt_icmp(&p, 128, 0, 0);
	pkt_finish(&p);
	assert_int_equal(check(T0), GATE_TRANSLATE);
	assert_int_equal(ch.result, POOL_ASSIGNED);
}

/* Link traffic (RFC 4291 §2.4) is none of the translator's. */
static void
test_link(void **state)
{
	(void)state;
	udp6("2001:db8:cafe::7", "ff02::16"); /* MLD report */
	assert_int_equal(check(T0), GATE_LINK);
	udp6("fe80::1", SERVER6);
	assert_int_equal(check(T0), GATE_LINK);
	assert_int_equal(h.count, 1);
}

/* Nothing the core would drop gets an address: a destination that does
 * not map, a source that is not unicast, an expiring hop limit. */
static void
test_no_address_for_drops(void **state)
{
	(void)state;
	udp6("2001:db8:cafe::7", "2001:db8:99::1"); /* not the prefix */
	assert_int_equal(check(T0), GATE_TRANSLATE);
	udp6("::", SERVER6);
	assert_int_equal(check(T0), GATE_TRANSLATE);
	udp6("2001:db8:cafe::7", SERVER6);
	pkt_ttl(&p, 1); /* RFC 7915 §5.1: time exceeded, from ipv6-addr */
	assert_int_equal(check(T0), GATE_TRANSLATE);
	assert_int_equal(h.count, 1);
	assert_int_equal(pool.stats.assigned, 0);
	pkt_ttl(&p, 2);
	assert_int_equal(check(T0), GATE_TRANSLATE);
	assert_int_equal(ch.result, POOL_ASSIGNED);
}

static void
test_ipv4_side(void **state)
{
	(void)state;
	udp4(SERVER4, "192.168.255.77"); /* nobody holds it */
	assert_int_equal(check(T0), GATE_DST_UNMAPPED);
	udp4(SERVER4, "192.168.255.0"); /* the reserved lowest one */
	assert_int_equal(check(T0), GATE_DST_UNMAPPED);
	udp4(SERVER4, "192.168.255.130"); /* a map of a prefix */
	assert_int_equal(check(T0), GATE_TRANSLATE);
	udp4(SERVER4, "198.51.100.5"); /* outside the pool */
	assert_int_equal(check(T0), GATE_TRANSLATE);
}

static void
test_full(void **state)
{
	char a[64];
	unsigned i;

	(void)state;
	/* 255 addresses less .1, .128/28 and the lowest: 238 hosts */
	for (i = 0; i < 238; i++) {
		snprintf(a, sizeof(a), "2001:db8:cafe::%x", i + 1);
		udp6(a, SERVER6);
		assert_int_equal(check(T0), GATE_TRANSLATE);
		assert_int_equal(ch.result, POOL_ASSIGNED);
	}
	udp6("2001:db8:beef::1", SERVER6);
	assert_int_equal(check(T0), GATE_POOL_FULL);
	assert_null(ch.entry);
	/* the same packet from a host that has one goes through */
	udp6("2001:db8:cafe::1", SERVER6);
	assert_int_equal(check(T0), GATE_TRANSLATE);
	/* on probation and idle: the new host gets an address */
	udp6("2001:db8:beef::1", SERVER6);
	assert_int_equal(check(T0 + POOL_PROBATION_YIELD + 1), GATE_TRANSLATE);
	assert_int_equal(ch.result, POOL_RECLAIMED);
}

static void
test_no_pool(void **state)
{
	(void)state;
	g.pool = NULL;
	udp6("2001:db8:cafe::7", SERVER6);
	assert_int_equal(check(T0), GATE_TRANSLATE);
	assert_int_equal(ch.result, POOL_FOUND);
	udp4(SERVER4, "192.168.255.77");
	assert_int_equal(check(T0), GATE_TRANSLATE);
	/* garbage is the core's to count */
	p.b[0] = 0x50;
	assert_int_equal(gate_check(&g, p.b, p.len, T0, &ch), GATE_TRANSLATE);
	assert_int_equal(gate_check(&g, p.b, 0, T0, &ch), GATE_TRANSLATE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_self, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_source, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_mapped_sources, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_icmp6_error, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_link, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_address_for_drops,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipv4_side, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_pool, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
