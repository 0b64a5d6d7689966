/* SPDX-License-Identifier: BSD-2-Clause */
/* src/siit/poolfile.c: dynamic.map lines in TAYGA's format. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "siit/poolfile.h"

static void
test_parse(void **state)
{
	struct poolfile_rec r;
	static const uint8_t v6[16] = {0x20, 0x01, 0x0d,    0xb8,
				       0xca, 0xfe, [15] = 7};

	(void)state;
	assert_int_equal(poolfile_parse("###", &r), 0);
	assert_int_equal(poolfile_parse("### Last written: Thu Jan  1", &r), 0);
	assert_int_equal(poolfile_parse("", &r), 0);
	assert_int_equal(poolfile_parse("  \t\n", &r), 0);
	assert_int_equal(
		poolfile_parse("192.168.255.7\t2001:db8:cafe::7\t1700000000\n",
			       &r),
		1);
	assert_memory_equal(r.v4, ((const uint8_t[]){192, 168, 255, 7}), 4);
	assert_memory_equal(r.v6, v6, 16);
	assert_int_equal(r.last_use, 1700000000);
	/* blanks of any kind between the words */
	assert_int_equal(
		poolfile_parse("  192.168.255.7   2001:db8:cafe::7 1", &r), 1);
}

static void
test_malformed(void **state)
{
	static const char *const bad[] = {
		"192.168.255.7",
		"192.168.255.7 2001:db8::7",
		"192.168.255.7 2001:db8::7 1700000000 extra",
		"192.168.255 2001:db8::7 1700000000",
		"192.168.255.7 2001:db8::7::1 1700000000",
		"2001:db8::7 192.168.255.7 1700000000",
		"192.168.255.7 2001:db8::7 0",
		"192.168.255.7 2001:db8::7 -5",
		"192.168.255.7 2001:db8::7 +5",
		"192.168.255.7 2001:db8::7 17e8",
		"192.168.255.7 2001:db8::7 99999999999999999999",
	};
	char longline[POOLFILE_LINE_MAX + 8];
	struct poolfile_rec r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (poolfile_parse(bad[i], &r) != -1)
			fail_msg("accepted '%s'", bad[i]);
	memset(longline, ' ', sizeof(longline));
	longline[sizeof(longline) - 1] = '\0';
	assert_int_equal(poolfile_parse(longline, &r), -1);
}

static void
test_format(void **state)
{
	struct poolfile_rec r = {{198, 51, 100, 130},
				 {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x10},
				 1700000123},
			    back;
	char buf[256];

	(void)state;
	poolfile_format(buf, sizeof(buf), &r);
	assert_string_equal(buf,
			    "198.51.100.130\t2001:db8:1::10\t1700000123\n");
	assert_int_equal(poolfile_parse(buf, &back), 1);
	assert_memory_equal(back.v4, r.v4, 4);
	assert_memory_equal(back.v6, r.v6, 16);
	assert_int_equal(back.last_use, r.last_use);
	poolfile_header(buf, sizeof(buf), 0);
	assert_string_equal(buf,
			    "###\n"
			    "### xlat-siit dynamic pool: IPV4 IPV6 LAST-USE "
			    "(Unix time)\n"
			    "### in TAYGA's format; stop xlat-siit before "
			    "editing it\n"
			    "### written 1970-01-01 00:00:00 UTC\n"
			    "###\n\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
