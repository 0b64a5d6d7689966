/* SPDX-License-Identifier: BSD-2-Clause */
/* src/dp/dp_stats.c: the fast path's packets join the core's counters,
 * in the right direction and protocol, as packets in and out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dp/dp_stats.h"

static void
test_add_fast(void **state)
{
	uint64_t c[XLAT_MAPS_CNT_MAX] = {0};
	struct xlat_stats s;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.packets_in[XLAT_DIR_46][XLAT_PROTO_ICMP] = 2; /* the slow path's */
	s.packets_out[XLAT_DIR_46][XLAT_PROTO_ICMP] = 1;
	c[XLAT_MAPS_CNT_FAST_64] = 16; /* the totals are not added again */
	c[XLAT_MAPS_CNT_64_PROTO + XLAT_MAPS_PROTO_TCP] = 3;
	c[XLAT_MAPS_CNT_64_PROTO + XLAT_MAPS_PROTO_UDP] = 5;
	c[XLAT_MAPS_CNT_64_PROTO + XLAT_MAPS_PROTO_ICMP] = 8;
	c[XLAT_MAPS_CNT_46_PROTO + XLAT_MAPS_PROTO_TCP] = 7;
	c[XLAT_MAPS_CNT_46_PROTO + XLAT_MAPS_PROTO_ICMP] = 8;
	dp_stats_add_fast(c, &s);
	assert_int_equal(s.packets_in[XLAT_DIR_64][XLAT_PROTO_TCP], 3);
	assert_int_equal(s.packets_out[XLAT_DIR_64][XLAT_PROTO_TCP], 3);
	assert_int_equal(s.packets_out[XLAT_DIR_64][XLAT_PROTO_UDP], 5);
	assert_int_equal(s.packets_out[XLAT_DIR_64][XLAT_PROTO_ICMP], 8);
	assert_int_equal(s.packets_out[XLAT_DIR_46][XLAT_PROTO_TCP], 7);
	assert_int_equal(s.packets_out[XLAT_DIR_46][XLAT_PROTO_UDP], 0);
	assert_int_equal(s.packets_in[XLAT_DIR_46][XLAT_PROTO_ICMP], 10);
	assert_int_equal(s.packets_out[XLAT_DIR_46][XLAT_PROTO_ICMP], 9);
	assert_int_equal(s.packets_out[XLAT_DIR_46][XLAT_PROTO_OTHER], 0);
	assert_int_equal(s.packets_out[XLAT_DIR_64][XLAT_PROTO_OTHER], 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_fast),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
