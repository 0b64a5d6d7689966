/* SPDX-License-Identifier: BSD-2-Clause */
/* src/daemon/config.c: clat-v6-prefix, a prefix routed to the host;
 * clat-v6-addr's modes; one CLAT or one per uplink. */
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

/* clat-v6-addr: shared is its own mode (the host's address as the last
 * resort), seen by scripts as "shared"; derived means auto; the last
 * line wins. */
static void
test_clat_v6_modes(void **state)
{
	static const struct {
		const char *value;
		enum clat_v6_mode mode;
	} cases[] = {
		{"auto", CLAT_V6_AUTO},	    {"derived", CLAT_V6_AUTO},
		{"shared", CLAT_V6_SHARED}, {"2001:db8::c1a7", CLAT_V6_STATIC},
		{"", CLAT_V6_AUTO},
	};
	char line[64], env[40][320], err[512];
	struct config cfg;
	unsigned i, n, k;
	bool seen;

	(void)state;
	config_init(&cfg);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(line, sizeof(line), "clat-v6-addr=%s", cases[i].value);
		assert_int_equal(config_parse_line(&cfg, line, 1, "x.conf", err,
						   sizeof(err)),
				 0);
		assert_int_equal(cfg.clat_v6_mode, cases[i].mode);
	}
	assert_int_equal(config_parse_line(&cfg, "clat-v6-addr=shared", 1,
					   "x.conf", err, sizeof(err)),
			 0);
	n = config_environment(&cfg, env, 40);
	for (k = 0, seen = false; k < n; k++)
		seen |= strcmp(env[k], "clat_v6_addr=shared") == 0;
	assert_true(seen);
}

/* As clatd: plat-dev or a fixed clat-v6-addr makes one CLAT; auto (or
 * clatd's derived, which means auto, and shared) one per uplink. */
static void
test_one_clat(void **state)
{
	static const struct {
		const char *lines[2];
		bool one;
	} cases[] = {
		{{NULL}, false},
		{{"clat-v6-addr=auto"}, false},
		{{"clat-v6-addr=shared"}, false},
		{{"plat-dev=eth0"}, true},
		{{"clat-v6-addr=fd43:5602:29bd:ffff::42"}, true},
		{{"clat-v6-addr=fd43::42", "clat-v6-addr=auto"}, false},
	};
	struct config cfg;
	char err[512];
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		config_init(&cfg);
		for (k = 0; k < 2 && cases[i].lines[k] != NULL; k++)
			assert_int_equal(
				config_parse_line(&cfg, cases[i].lines[k], 1,
						  "x.conf", err, sizeof(err)),
				0);
		assert_int_equal(config_one_clat(&cfg), cases[i].one);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clat_v6_prefix),
		cmocka_unit_test(test_clat_v6_prefix_errors),
		cmocka_unit_test(test_clat_v6_modes),
		cmocka_unit_test(test_one_clat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
