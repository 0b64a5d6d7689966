/* SPDX-License-Identifier: BSD-2-Clause */
/* src/siit/statics.c: maps on the host table and the pool, and a map-file
 * read again: unchanged entries stay, gone ones go, dynamic mappings in
 * the way of a new map are released. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "pkt-build.h"
#include "siit/statics.h"

#define T0 1700000000

static const uint8_t key[16] = {5};
static struct tayga_conf conf;
static struct hosts h;
static struct pool pool;
static char err[256];
static unsigned gone_count;

static void
gone(const struct hosts_entry *e, void *arg)
{
	(void)arg;
	assert_true(e->flags & HOSTS_F_USED);
	gone_count++;
}

static void
line(const char *l)
{
	if (tayga_conf_line(&conf, l, 1, "t.conf", err, sizeof(err)) != 0)
		fail_msg("%s", err);
}

static void
map_file(const char *const *lines, unsigned n)
{
	unsigned i;

	tayga_conf_maps_reset(&conf);
	for (i = 0; i < n; i++)
		assert_int_equal(tayga_conf_map_line(&conf, lines[i], i + 1,
						     "maps", err, sizeof(err)),
				 0);
	assert_int_equal(
		tayga_conf_maps_finish(&conf, "maps", err, sizeof(err)), 0);
}

static int
setup(void **state)
{
	(void)state;
	tayga_conf_init(&conf);
	line("tun-device nat64");
	line("ipv4-addr 192.168.255.1");
	line("prefix 2001:db8:64::/96");
	line("dynamic-pool 192.168.255.0/24");
	line("map 192.168.255.9 2001:db8:1::9");
	line("map 198.51.100.0/24 2001:db8:2::/120");
	assert_int_equal(tayga_conf_finish(&conf, "t.conf", err, sizeof(err)),
			 0);
	assert_int_equal(hosts_init(&h, 64, key), 0);
	assert_int_equal(pool_init(&pool, &h, 0xc0a8ff00, 24), 0);
	gone_count = 0;
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

static struct hosts_entry *
find6(const char *a)
{
	uint8_t v6[16];

	pkt_addr6(a, v6);
	return hosts_find6(&h, v6);
}

static void
test_apply(void **state)
{
	struct hosts_entry *e;

	(void)state;
	assert_int_equal(
		statics_apply(&h, &pool, &conf, gone, NULL, err, sizeof(err)),
		0);
	e = find6("2001:db8:1::9");
	assert_non_null(e);
	assert_true(e->flags & HOSTS_F_STATIC);
	assert_int_equal(e->v4[3], 9);
	/* only host maps are entries: the prefix map is the core's */
	assert_int_equal(h.count, 1);
	/* the lowest, ipv4-addr and the map are blocked */
	assert_int_equal(pool_capacity(&pool), 256 - 3);
	assert_int_equal(gone_count, 0);
}

static void
test_map_file_again(void **state)
{
	static const char *const first[] = {
		"map 192.168.255.20 2001:db8:3::20",
		"map 192.168.255.21 2001:db8:3::21",
	};
	static const char *const second[] = {
		"map 192.168.255.20 2001:db8:3::20", /* the same */
		"map 192.168.255.40 2001:db8:3::40", /* new, in the way */
	};
	struct hosts_entry *kept, *dyn;
	struct pool_change change;
	uint8_t v6[16];
	char a[64];
	unsigned i;

	(void)state;
	map_file(first, 2);
	assert_int_equal(
		statics_apply(&h, &pool, &conf, gone, NULL, err, sizeof(err)),
		0);
	assert_int_equal(h.count, 3);
	kept = find6("2001:db8:3::20");
	/* dynamic hosts until one holds 192.168.255.40 */
	for (i = 1, dyn = NULL; dyn == NULL || dyn->v4[3] != 40; i++) {
		snprintf(a, sizeof(a), "2001:db8:cafe::%x", i);
		pkt_addr6(a, v6);
		assert_int_not_equal(pool_get(&pool, v6, T0, &dyn, &change),
				     POOL_FULL);
	}
	map_file(second, 2);
	assert_int_equal(
		statics_apply(&h, &pool, &conf, gone, NULL, err, sizeof(err)),
		0);
	/* the unchanged entry is the same, the old and the one in the way
	 * are gone, the new one is there */
	assert_ptr_equal(find6("2001:db8:3::20"), kept);
	assert_null(find6("2001:db8:3::21"));
	assert_null(find6(a));
	assert_non_null(find6("2001:db8:3::40"));
	assert_int_equal(gone_count, 2);
	/* 192.168.255.21 is free for the pool again, .40 is not */
	assert_int_equal(pool_capacity(&pool), 256 - 5);
}

static void
test_full_table(void **state)
{
	char l[96];
	unsigned i;

	(void)state;
	hosts_free(&h);
	assert_int_equal(hosts_init(&h, 2, key), 0);
	pool.hosts = &h;
	tayga_conf_maps_reset(&conf);
	for (i = 0; i < 3; i++) {
		snprintf(l, sizeof(l), "map 10.0.0.%u 2001:db8:4::%u", i + 1,
			 i + 1);
		assert_int_equal(tayga_conf_map_line(&conf, l, i + 1, "maps",
						     err, sizeof(err)),
				 0);
	}
	assert_int_equal(
		statics_apply(&h, &pool, &conf, gone, NULL, err, sizeof(err)),
		-1);
	assert_string_equal(err, "map on line 2: no room left in the host "
				 "table");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_apply, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_file_again, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_full_table, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
