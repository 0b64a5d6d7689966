/* SPDX-License-Identifier: BSD-2-Clause */
/* src/siit/pool.c: the dynamic pool. Assignment (TAYGA: never the lowest
 * address, the same start for the same host), probation and yielding, the
 * lease times, a full pool, and state restored from dynamic.map. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "siit/pool.h"

#define T0 1700000000 /* a Unix time */

static const uint8_t key[16] = {9, 8, 7};
static struct hosts h;
static struct pool p;
static struct pool_change change;

static void
host(unsigned n, uint8_t v6[16])
{
	char s[64];

	snprintf(s, sizeof(s), "2001:db8:cafe::%x", n);
	assert_int_equal(inet_pton(AF_INET6, s, v6), 1);
}

static uint32_t
a4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return ntohl(a.s_addr);
}

static void
assert_v4(const uint8_t v4[4], const char *want)
{
	char s[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, v4, s, sizeof(s));
	assert_string_equal(s, want);
}

/* A pool of prefix/len. */
static void
make(const char *prefix, unsigned len)
{
	assert_int_equal(hosts_init(&h, 1024, key), 0);
	assert_int_equal(pool_init(&p, &h, a4(prefix), len), 0);
}

static int
teardown(void **state)
{
	(void)state;
	pool_free(&p);
	hosts_free(&h);
	return 0;
}

static enum pool_result
get(unsigned n, int64_t now, struct hosts_entry **e)
{
	uint8_t v6[16];

	host(n, v6);
	return pool_get(&p, v6, now, e, &change);
}

static void
test_init(void **state)
{
	(void)state;
	assert_int_equal(hosts_init(&h, 4, key), 0);
	assert_int_equal(pool_init(&p, &h, a4("10.0.0.0"), 7), -EINVAL);
	assert_int_equal(pool_init(&p, &h, a4("10.0.0.0"), 32), -EINVAL);
	assert_int_equal(pool_init(&p, &h, a4("192.168.255.9"), 24), 0);
	assert_int_equal(p.base, a4("192.168.255.0"));
	assert_int_equal(p.size, 256);
	/* tayga.conf(5): the lowest address is reserved */
	assert_int_equal(pool_capacity(&p), 255);
	assert_true(pool_contains(&p, (const uint8_t[]){192, 168, 255, 255}));
	assert_false(pool_contains(&p, (const uint8_t[]){192, 168, 254, 255}));
	pool_block(&p, a4("192.168.255.1"), 32);
	pool_block(&p, a4("192.168.255.1"), 32); /* counted once */
	pool_block(&p, a4("192.168.0.0"), 16);	 /* covers it all */
	assert_int_equal(pool_capacity(&p), 0);
	pool_unblock_all(&p);
	pool_block(&p, a4("192.168.255.128"), 25);
	pool_block(&p, a4("10.0.0.0"), 8); /* outside: no effect */
	assert_int_equal(pool_capacity(&p), 127);
}

static void
test_assign(void **state)
{
	struct hosts_entry *e, *again;
	uint8_t first[4];

	(void)state;
	make("192.168.255.0", 24);
	assert_int_equal(get(1, T0, &e), POOL_ASSIGNED);
	assert_true(pool_contains(&p, e->v4));
	assert_int_not_equal(e->v4[3], 0);
	assert_int_equal(e->flags, HOSTS_F_USED);
	assert_int_equal(e->last_use, T0);
	memcpy(first, e->v4, 4);
	assert_int_equal(get(1, T0 + 5, &again), POOL_FOUND);
	assert_ptr_equal(again, e);
	assert_int_equal(e->last_use, T0 + 5);
	assert_int_equal(p.stats.assigned, 1);
	/* the same host starts at the same address in a fresh pool */
	teardown(NULL);
	make("192.168.255.0", 24);
	assert_int_equal(get(1, T0, &e), POOL_ASSIGNED);
	assert_memory_equal(e->v4, first, 4);
	/* a reply confirms the mapping */
	pool_touch(e, T0 + 1, true);
	assert_true(e->flags & HOSTS_F_CONFIRMED);
}

/* /30: three addresses, .1 blocked (ipv4-addr): two hosts fit. */
static void
test_blocked_and_full(void **state)
{
	struct hosts_entry *e1, *e2, *e3;

	(void)state;
	make("192.0.2.0", 30);
	pool_block(&p, a4("192.0.2.1"), 32);
	assert_int_equal(get(1, T0, &e1), POOL_ASSIGNED);
	assert_int_equal(get(2, T0, &e2), POOL_ASSIGNED);
	assert_int_not_equal(e1->v4[3], 1);
	assert_int_not_equal(e2->v4[3], 1);
	assert_int_not_equal(e1->v4[3], e2->v4[3]);
	pool_touch(e1, T0, true);
	pool_touch(e2, T0, true);
	/* both confirmed and in use: a third host is refused, and the pool
	 * does not look again within the second */
	assert_int_equal(get(3, T0 + 10, &e3), POOL_FULL);
	assert_int_equal(p.full_until, T0 + 11);
	assert_int_equal(get(4, T0 + 10, &e3), POOL_FULL);
	assert_int_equal(p.stats.refused, 2);
	/* TAYGA's lease: dormant after 2 h 4 min, then taken, oldest first */
	pool_touch(e2, T0 + 60, false);
	assert_false(pool_dormant(e1, T0 + POOL_LEASE_MIN - 1));
	assert_true(pool_dormant(e1, T0 + POOL_LEASE_MIN));
	assert_int_equal(get(3, T0 + POOL_LEASE_MIN + 1, &e3), POOL_RECLAIMED);
	assert_ptr_equal(e3, e1);
	assert_memory_equal(change.v4, e3->v4, 4);
	{
		uint8_t v6[16];

		host(1, v6);
		assert_memory_equal(change.old_v6, v6, 16);
		assert_null(hosts_find6(&h, v6));
		host(3, v6);
		assert_ptr_equal(hosts_find6(&h, v6), e3);
	}
	/* a fresh mapping starts on probation */
	assert_int_equal(e3->flags, HOSTS_F_USED);
	assert_int_equal(p.stats.reclaimed, 1);
}

/* Probation: a flood of new sources that nobody answers gives way. */
static void
test_probation(void **state)
{
	struct hosts_entry *e;
	unsigned i;

	(void)state;
	make("192.0.2.0", 29); /* seven addresses */
	for (i = 0; i < 7; i++)
		assert_int_equal(get(100 + i, T0 + i, &e), POOL_ASSIGNED);
	/* a real host arrives at once: the newest flood entry is 0 s old,
	 * the oldest 6 s: that one yields */
	assert_int_equal(get(1, T0 + 6, &e), POOL_RECLAIMED);
	{
		uint8_t v6[16];

		host(100, v6);
		assert_memory_equal(change.old_v6, v6, 16);
	}
	pool_touch(e, T0 + 7, true);
	/* within POOL_PROBATION_YIELD of their last packet they stay */
	for (i = 1; i < 7; i++) {
		struct hosts_entry *f;

		get(100 + i, T0 + 7, &f);
	}
	assert_int_equal(get(2, T0 + 8, &e), POOL_FULL);
}

static unsigned gone_count;

static void
gone(const struct hosts_entry *e, void *arg)
{
	(void)arg;
	assert_true(e->flags & HOSTS_F_USED);
	gone_count++;
}

static void
test_expire(void **state)
{
	struct hosts_entry *e1, *e2;
	uint8_t v6[16];

	(void)state;
	make("192.168.255.0", 24);
	get(1, T0, &e1);
	get(2, T0, &e2);
	pool_touch(e2, T0, true);
	gone_count = 0;
	assert_int_equal(
		pool_expire(&p, T0 + POOL_PROBATION_IDLE - 1, gone, NULL), 0);
	assert_int_equal(pool_expire(&p, T0 + POOL_PROBATION_IDLE, gone, NULL),
			 1);
	host(1, v6);
	assert_null(hosts_find6(&h, v6));
	host(2, v6);
	assert_non_null(hosts_find6(&h, v6));
	assert_int_equal(pool_expire(&p, T0 + POOL_LEASE_MAX - 1, gone, NULL),
			 0);
	assert_int_equal(pool_expire(&p, T0 + POOL_LEASE_MAX, gone, NULL), 1);
	assert_int_equal(gone_count, 2);
	assert_int_equal(h.count, 0);
	assert_int_equal(p.n_used, 0);
	assert_int_equal(p.stats.expired, 2);
	/* static entries are not the pool's */
	assert_non_null(hosts_add(&h, v6, (const uint8_t[]){192, 0, 2, 1},
				  HOSTS_F_STATIC));
	assert_int_equal(pool_expire(&p, T0 + 10 * POOL_LEASE_MAX, NULL, NULL),
			 0);
}

static void
test_restore(void **state)
{
	const char *why = NULL;
	uint8_t v6[16], v4[4] = {192, 168, 255, 20};
	struct hosts_entry *e;

	(void)state;
	make("192.168.255.0", 24);
	pool_block(&p, a4("192.168.255.1"), 32);
	host(1, v6);
	assert_true(pool_restore(&p, v6, v4, T0 - 100, T0, &why));
	e = hosts_find6(&h, v6);
	assert_non_null(e);
	assert_true(e->flags & HOSTS_F_CONFIRMED);
	assert_int_equal(e->last_use, T0 - 100);
	assert_int_equal(get(1, T0, &e), POOL_FOUND);
	assert_v4(e->v4, "192.168.255.20");
	/* the rest: each refused with its reason */
	host(2, v6);
	assert_false(pool_restore(&p, v6, v4, T0, T0, &why));
	assert_string_equal(why, "the address is mapped already");
	assert_false(pool_restore(&p, v6, (const uint8_t[]){10, 0, 0, 1}, T0,
				  T0, &why));
	assert_string_equal(why, "the IPv4 address is outside dynamic-pool");
	assert_false(pool_restore(&p, v6, (const uint8_t[]){192, 168, 255, 1},
				  T0, T0, &why));
	assert_string_equal(
		why, "the IPv4 address is reserved or statically mapped");
	assert_false(pool_restore(&p, v6, (const uint8_t[]){192, 168, 255, 0},
				  T0, T0, &why));
	/* a time in the future counts as now */
	assert_true(pool_restore(&p, v6, (const uint8_t[]){192, 168, 255, 21},
				 T0 + 86400, T0, &why));
	assert_int_equal(hosts_find6(&h, v6)->last_use, T0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_init, teardown),
		cmocka_unit_test_teardown(test_assign, teardown),
		cmocka_unit_test_teardown(test_blocked_and_full, teardown),
		cmocka_unit_test_teardown(test_probation, teardown),
		cmocka_unit_test_teardown(test_expire, teardown),
		cmocka_unit_test_teardown(test_restore, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
