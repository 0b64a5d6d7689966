/* SPDX-License-Identifier: BSD-2-Clause */
/* src/daemon/config.c: clat-v6-prefix, a prefix routed to the host. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/config.h"

static void
test_clat_v6_prefix(void **state)
{
	struct in6_addr want;
	struct config cfg;
	char err[512];

	(void)state;
	config_init(&cfg);
	assert_false(cfg.has_clat_v6_prefix);
	assert_int_equal(config_parse_line(&cfg,
					   "clat-v6-prefix = 2001:db8:100::/56",
					   3, "xlatd.conf", err, sizeof(err)),
			 0);
	assert_true(cfg.has_clat_v6_prefix);
	assert_int_equal(cfg.clat_v6_prefix.len, 56);
	inet_pton(AF_INET6, "2001:db8:100::", &want);
	assert_memory_equal(&cfg.clat_v6_prefix.addr, &want, 16);
	assert_int_equal(config_parse_line(&cfg, "clat-v6-prefix =", 4,
					   "xlatd.conf", err, sizeof(err)),
			 0);
	assert_false(cfg.has_clat_v6_prefix);
}

static void
test_clat_v6_prefix_errors(void **state)
{
	static const char *const bad[] = {
		"2001:db8:100::",      /* no length */
		"2001:db8:100::/72",   /* longer than a /64 */
		"2001:db8::/16",       /* shorter than a /32 */
		"2001:db8:100::1/56",  /* host bits */
		"192.0.2.0/24",	       /* IPv4 */
		"2001:db8:100::/56 x", /* trailing words */
	};
	char line[128], err[512];
	struct config cfg;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		config_init(&cfg);
		snprintf(line, sizeof(line), "clat-v6-prefix=%s", bad[i]);
		err[0] = '\0';
		assert_int_equal(config_parse_line(&cfg, line, 9, "x.conf", err,
						   sizeof(err)),
				 -1);
		assert_false(cfg.has_clat_v6_prefix);
		/* file, line, key and the allowed values */
		assert_non_null(strstr(err, "x.conf:9"));
		assert_non_null(strstr(err, "clat-v6-prefix"));
		assert_non_null(strstr(err, "32 to 64"));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clat_v6_prefix),
		cmocka_unit_test(test_clat_v6_prefix_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
