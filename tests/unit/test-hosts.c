/* SPDX-License-Identifier: BSD-2-Clause */
/* src/siit/hosts.c: the host table, its two indexes and deletions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "siit/hosts.h"

static const uint8_t key[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
static struct hosts h;

static void
addr6(uint32_t n, uint8_t v6[16])
{
	memset(v6, 0, 16);
	v6[0] = 0x20, v6[1] = 0x01, v6[2] = 0x0d, v6[3] = 0xb8;
	v6[12] = (uint8_t)(n >> 24), v6[13] = (uint8_t)(n >> 16);
	v6[14] = (uint8_t)(n >> 8), v6[15] = (uint8_t)n;
}

static void
addr4(uint32_t n, uint8_t v4[4])
{
	v4[0] = 10, v4[1] = (uint8_t)(n >> 16), v4[2] = (uint8_t)(n >> 8);
	v4[3] = (uint8_t)n;
}

static int
teardown(void **state)
{
	(void)state;
	hosts_free(&h);
	return 0;
}

static void
test_add_find(void **state)
{
	uint8_t v6[16], v4[4], o6[16], o4[4];
	struct hosts_entry *e;

	(void)state;
	assert_int_equal(hosts_init(&h, 4, key), 0);
	addr6(1, v6);
	addr4(1, v4);
	e = hosts_add(&h, v6, v4, HOSTS_F_STATIC);
	assert_non_null(e);
	assert_int_equal(e->flags, HOSTS_F_USED | HOSTS_F_STATIC);
	assert_ptr_equal(hosts_find6(&h, v6), e);
	assert_ptr_equal(hosts_find4(&h, v4), e);
	/* the core's view */
	assert_true(h.ops.find6(&h.ops, v6, o4));
	assert_memory_equal(o4, v4, 4);
	assert_true(h.ops.find4(&h.ops, v4, o6));
	assert_memory_equal(o6, v6, 16);
	/* one entry per address, each way */
	addr4(2, o4);
	assert_null(hosts_add(&h, v6, o4, 0));
	addr6(2, o6);
	assert_null(hosts_add(&h, o6, v4, 0));
	assert_int_equal(h.count, 1);
	assert_null(hosts_find6(&h, o6));
	assert_false(h.ops.find4(&h.ops, o4, o6));
}

static void
test_full(void **state)
{
	uint8_t v6[16], v4[4];
	uint32_t i;

	(void)state;
	assert_int_equal(hosts_init(&h, 3, key), 0);
	for (i = 0; i < 3; i++) {
		addr6(i, v6);
		addr4(i, v4);
		assert_non_null(hosts_add(&h, v6, v4, 0));
	}
	addr6(9, v6);
	addr4(9, v4);
	assert_null(hosts_add(&h, v6, v4, 0));
	hosts_del(&h, hosts_find6(&h, (addr6(1, v6), v6)));
	assert_int_equal(h.count, 2);
	addr6(9, v6);
	assert_non_null(hosts_add(&h, v6, v4, 0));
}

/* Deletions move entries back along their probe runs: every entry left
 * must still be found, and none deleted. */
static void
test_many_deletions(void **state)
{
	enum { N = 20000 };
	uint8_t v6[16], v4[4];
	uint32_t i;

	(void)state;
	assert_int_equal(hosts_init(&h, N, key), 0);
	for (i = 0; i < N; i++) {
		addr6(i * 7919u, v6);
		addr4(i, v4);
		assert_non_null(hosts_add(&h, v6, v4, 0));
	}
	for (i = 0; i < N; i += 3) {
		addr6(i * 7919u, v6);
		hosts_del(&h, hosts_find6(&h, v6));
	}
	for (i = 0; i < N; i++) {
		struct hosts_entry *e6, *e4;

		addr6(i * 7919u, v6);
		addr4(i, v4);
		e6 = hosts_find6(&h, v6);
		e4 = hosts_find4(&h, v4);
		if (i % 3 == 0) {
			assert_null(e6);
			assert_null(e4);
		} else {
			assert_non_null(e6);
			assert_ptr_equal(e6, e4);
			assert_memory_equal(e6->v4, v4, 4);
		}
	}
	assert_int_equal(h.count, N - (N + 2) / 3);
}

static void
test_rekey(void **state)
{
	uint8_t v6[16], n6[16], v4[4];
	struct hosts_entry *e;

	(void)state;
	assert_int_equal(hosts_init(&h, 8, key), 0);
	addr6(1, v6);
	addr4(1, v4);
	e = hosts_add(&h, v6, v4, 0);
	addr6(2, n6);
	assert_true(hosts_rekey6(&h, e, n6));
	assert_null(hosts_find6(&h, v6));
	assert_ptr_equal(hosts_find6(&h, n6), e);
	assert_ptr_equal(hosts_find4(&h, v4), e);
	/* not onto an address that has an entry */
	addr4(3, v4);
	assert_non_null(hosts_add(&h, v6, v4, 0));
	assert_false(hosts_rekey6(&h, e, v6));
	assert_ptr_equal(hosts_find6(&h, n6), e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_add_find, teardown),
		cmocka_unit_test_teardown(test_full, teardown),
		cmocka_unit_test_teardown(test_many_deletions, teardown),
		cmocka_unit_test_teardown(test_rekey, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
