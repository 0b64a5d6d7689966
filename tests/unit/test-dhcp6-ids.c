/* SPDX-License-Identifier: BSD-2-Clause */
/* src/daemon/dhcp6_ids.c: the DHCPv6 client's DUID and IAIDs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/dhcp6_ids.h"

static const uint8_t secret_a[CLAT_SECRET_LEN] = {1, 2, 3, 4};
static const uint8_t secret_b[CLAT_SECRET_LEN] = {1, 2, 3, 5};

/* One DUID per secret, stable, a DUID-UUID (RFC 6355) of version 8. */
static void
test_duid(void **state)
{
	struct dhcp6_duid a, a2, b;

	(void)state;
	dhcp6_ids_duid(secret_a, &a);
	dhcp6_ids_duid(secret_a, &a2);
	dhcp6_ids_duid(secret_b, &b);
	assert_int_equal(a.len, 18);
	assert_int_equal(a.b[0] << 8 | a.b[1], 4);
	assert_int_equal(a.b[2 + 6] >> 4, 8);
	assert_int_equal(a.b[2 + 8] >> 6, 2);
	assert_memory_equal(a.b, a2.b, a.len);
	assert_memory_not_equal(a.b, b.b, a.len);
}

/* One IAID per uplink, stable across restarts (RFC 8415 §12). */
static void
test_iaid(void **state)
{
	(void)state;
	assert_int_equal(dhcp6_ids_iaid(secret_a, "up0"),
			 dhcp6_ids_iaid(secret_a, "up0"));
	assert_int_not_equal(dhcp6_ids_iaid(secret_a, "up0"),
			     dhcp6_ids_iaid(secret_a, "up1"));
	assert_int_not_equal(dhcp6_ids_iaid(secret_a, "up0"),
			     dhcp6_ids_iaid(secret_b, "up0"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duid),
		cmocka_unit_test(test_iaid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
