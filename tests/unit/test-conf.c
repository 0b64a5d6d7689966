/* SPDX-License-Identifier: BSD-2-Clause */
/* src/conf: every translator key, good and bad values, and line errors. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "conf/conf.h"
#include "run.h"

static struct conf conf;
static char err[512];

static int
setup(void **state)
{
	(void)state;
	conf_init(&conf);
	memset(err, 0, sizeof(err));
	return 0;
}

static void
set_ok(const char *key, const char *value)
{
	if (conf_set(&conf, key, value, err, sizeof(err)) != 0)
		fail_msg("%s=%s: %s", key, value, err);
}

/* The error must be exactly want. */
static void
set_fails(const char *key, const char *value, const char *want)
{
	assert_int_equal(conf_set(&conf, key, value, err, sizeof(err)), -1);
	assert_string_equal(err, want);
}

static void
line_ok(const char *line)
{
	if (conf_parse_line(&conf, line, 1, "t.conf", err, sizeof(err)) != 0)
		fail_msg("'%s': %s", line, err);
}

/* Index of the EAM entry for this IPv6 prefix, or -1. */
static int
eam_index(const char *p6, unsigned len6)
{
	struct in6_addr a;
	unsigned i;

	assert_int_equal(inet_pton(AF_INET6, p6, &a), 1);
	for (i = 0; i < conf.xlat.eam_count; i++)
		if (conf.xlat.eam[i].p6.len == len6 &&
		    memcmp(&conf.xlat.eam[i].p6.addr, &a, sizeof(a)) == 0)
			return (int)i;
	return -1;
}

static void
test_defaults(void **state)
{
	struct xlat_cfg want;

	(void)state;
	xlat_cfg_init(&want);
	/* the key's default: the core's own is no limit */
	assert_int_equal(want.icmp_error_rate, 0);
	want.icmp_error_rate = CONF_ICMP_ERROR_RATE;
	assert_memory_equal(&conf.xlat, &want, sizeof(want));
	assert_false(conf.has_clat_v4);
	assert_false(conf.has_clat_v6);
	assert_int_equal(conf_finish(&conf, err, sizeof(err)), 0);
	assert_int_equal(conf.xlat.eam_count, 0);
}

static void
test_plat_prefix_lengths(void **state)
{
	static const struct {
		const char *value, *addr;
		unsigned len;
	} good[] = {
		{"2001:db8::/32", "2001:db8::", 32},
		{"2001:db8:100::/40", "2001:db8:100::", 40},
		{"2001:db8:122::/48", "2001:db8:122::", 48},
		{"2001:db8:122:300::/56", "2001:db8:122:300::", 56},
		{"2001:db8:122:344::/64", "2001:db8:122:344::", 64},
		{"2001:db8:64::/96", "2001:db8:64::", 96},
		{"64:ff9b::/96", "64:ff9b::", 96},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		set_ok("plat-prefix", good[i].value);
		assert_true(conf.xlat.has_pool6);
		assert_int_equal(conf.xlat.pool6.len, good[i].len);
		run_assert_addr6(&conf.xlat.pool6.addr, good[i].addr);
	}
}

static void
test_plat_prefix_empty_unsets(void **state)
{
	(void)state;
	set_ok("plat-prefix", "64:ff9b::/96");
	set_ok("plat-prefix", "");
	assert_false(conf.xlat.has_pool6);
}

static void
test_plat_prefix_bad(void **state)
{
	(void)state;
	set_ok("plat-prefix", "2001:db8:64::/96");
	set_fails("plat-prefix", "2001:db8::/33",
		  "plat-prefix: length 33 of '2001:db8::/33' is not one of 32, "
		  "40, 48, 56, 64, 96 (RFC 6052 §2.2)");
	set_fails("plat-prefix", "2001:db8::/128",
		  "plat-prefix: length 128 of '2001:db8::/128' is not one of "
		  "32, 40, 48, 56, 64, 96 (RFC 6052 §2.2)");
	set_fails("plat-prefix", "2001:db8::1/96",
		  "plat-prefix: '2001:db8::1/96' has bits set after /96");
	set_fails("plat-prefix", "2001:db8:0:0:100::/64",
		  "plat-prefix: '2001:db8:0:0:100::/64' has bits set after "
		  "/64");
	set_fails("plat-prefix", "2001:db8:0:0:ff00::/96",
		  "plat-prefix: '2001:db8:0:0:ff00::/96' has bits 64-71 (the "
		  "u-octet) set (RFC 6052 §2.2)");
	set_fails("plat-prefix", "2001:db8::",
		  "plat-prefix: '2001:db8::' is not an IPv6 prefix "
		  "ADDRESS/LENGTH (or empty to unset)");
	set_fails("plat-prefix", "2001:db8::/129",
		  "plat-prefix: '2001:db8::/129' is not an IPv6 prefix "
		  "ADDRESS/LENGTH (or empty to unset)");
	set_fails("plat-prefix", "192.0.2.0/24",
		  "plat-prefix: '192.0.2.0/24' is not an IPv6 prefix "
		  "ADDRESS/LENGTH (or empty to unset)");
	set_fails("plat-prefix", "2001:db8::/",
		  "plat-prefix: '2001:db8::/' is not an IPv6 prefix "
		  "ADDRESS/LENGTH (or empty to unset)");
	set_fails("plat-prefix", "2001:db8::/+96",
		  "plat-prefix: '2001:db8::/+96' is not an IPv6 prefix "
		  "ADDRESS/LENGTH (or empty to unset)");
	set_fails("plat-prefix", "/96",
		  "plat-prefix: '/96' is not an IPv6 prefix ADDRESS/LENGTH (or "
		  "empty to unset)");
	/* A rejected value leaves the previous one in place. */
	assert_true(conf.xlat.has_pool6);
	run_assert_addr6(&conf.xlat.pool6.addr, "2001:db8:64::");
	assert_int_equal(conf.xlat.pool6.len, 96);
}

static void
test_eam_good(void **state)
{
	int i;

	(void)state;
	set_ok("eam", "2001:db8:1::c1a7,192.0.0.1");
	set_ok("eam", "2001:db8:2::/120,198.51.100.0/24");
	set_ok("eam", "2001:db8:3::/96,0.0.0.0/0");
	/* RFC 7757 §3.2: the IPv6 suffix may be longer than the IPv4 one. */
	set_ok("eam", "2001:db8:4::/64,203.0.113.0/24");
	assert_int_equal(conf.xlat.eam_count, 4);

	i = eam_index("2001:db8:1::c1a7", 128);
	assert_true(i >= 0);
	assert_int_equal(conf.xlat.eam[i].p4.len, 32);
	run_assert_addr4(&conf.xlat.eam[i].p4.addr, "192.0.0.1");

	i = eam_index("2001:db8:2::", 120);
	assert_true(i >= 0);
	assert_int_equal(conf.xlat.eam[i].p4.len, 24);
	run_assert_addr4(&conf.xlat.eam[i].p4.addr, "198.51.100.0");

	assert_true(eam_index("2001:db8:3::", 96) >= 0);
	i = eam_index("2001:db8:4::", 64);
	assert_true(i >= 0);
	assert_int_equal(conf.xlat.eam[i].p4.len, 24);
	run_assert_addr4(&conf.xlat.eam[i].p4.addr, "203.0.113.0");
}

static void
test_eam_empty_clears(void **state)
{
	(void)state;
	set_ok("eam", "2001:db8:1::c1a7,192.0.0.1");
	set_ok("eam", "2001:db8:2::/120,198.51.100.0/24");
	set_ok("eam", "");
	assert_int_equal(conf.xlat.eam_count, 0);
	set_ok("eam", "2001:db8:2::/120,198.51.100.0/24");
	assert_int_equal(conf.xlat.eam_count, 1);
}

static void
test_eam_bad(void **state)
{
	(void)state;
	set_fails(
		"eam", "2001:db8::/121,192.0.2.0/24",
		"eam: '2001:db8::/121,192.0.2.0/24': /121 and /24 leave 7 and "
		"8 suffix bits; the IPv6 suffix must be at least as long");
	set_fails(
		"eam", "2001:db8::1",
		"eam: '2001:db8::1' is not IPV6PREFIX,IPV4PREFIX (or empty to "
		"clear all entries)");
	set_fails("eam", "2001:db8::x/120,192.0.2.0/24",
		  "eam: '2001:db8::x/120' is not an IPv6 prefix");
	set_fails("eam", "2001:db8::/120,192.0.2.0/33",
		  "eam: '192.0.2.0/33' is not an IPv4 prefix");
	set_fails("eam", "2001:db8::/120,", "eam: '' is not an IPv4 prefix");
	set_fails("eam", "2001:db8::/120,192.0.2.0/24,1",
		  "eam: '192.0.2.0/24,1' is not an IPv4 prefix");
	set_fails("eam", "2001:db8::1/120,192.0.2.0/24",
		  "eam: '2001:db8::1/120,192.0.2.0/24' has bits set after a "
		  "prefix");
	set_fails("eam", "2001:db8::/120,192.0.2.1/24",
		  "eam: '2001:db8::/120,192.0.2.1/24' has bits set after a "
		  "prefix");
	assert_int_equal(conf.xlat.eam_count, 0);

	set_ok("eam", "2001:db8::/120,192.0.2.0/24");
	set_fails("eam", "2001:db8::/120,198.51.100.0/24",
		  "eam: '2001:db8::/120,198.51.100.0/24' repeats a prefix "
		  "already mapped");
	set_fails("eam", "2001:db8:1::/120,192.0.2.0/24",
		  "eam: '2001:db8:1::/120,192.0.2.0/24' repeats a prefix "
		  "already mapped");
	assert_int_equal(conf.xlat.eam_count, 1);
}

static void
test_eam_full(void **state)
{
	char v[64];
	unsigned i;

	(void)state;
	for (i = 0; i < XLAT_EAM_MAX; i++) {
		snprintf(v, sizeof(v), "2001:db8::%x,192.0.2.%u", i, i);
		set_ok("eam", v);
	}
	snprintf(err, sizeof(err), "eam: table is full (at most %d entries)",
		 XLAT_EAM_MAX);
	set_fails("eam", "2001:db8:1::,198.51.100.1", err);
}

static void
test_clat_pair(void **state)
{
	int i;

	(void)state;
	set_ok("clat-v4-addr", "192.0.0.1");
	set_ok("clat-v6-addr", "2001:db8:1::c1a7");
	assert_true(conf.has_clat_v4);
	assert_true(conf.has_clat_v6);
	assert_int_equal(conf.xlat.eam_count, 0);
	assert_int_equal(conf_finish(&conf, err, sizeof(err)), 0);
	assert_int_equal(conf.xlat.eam_count, 1);
	i = eam_index("2001:db8:1::c1a7", 128);
	assert_true(i >= 0);
	assert_int_equal(conf.xlat.eam[i].p4.len, 32);
	run_assert_addr4(&conf.xlat.eam[i].p4.addr, "192.0.0.1");
}

static void
test_clat_only_one(void **state)
{
	(void)state;
	set_ok("clat-v4-addr", "192.0.0.1");
	assert_int_equal(conf_finish(&conf, err, sizeof(err)), -1);
	assert_string_equal(err, "clat-v4-addr is set but clat-v6-addr is "
				 "not: set both or neither");

	conf_init(&conf);
	set_ok("clat-v6-addr", "2001:db8:1::c1a7");
	assert_int_equal(conf_finish(&conf, err, sizeof(err)), -1);
	assert_string_equal(err, "clat-v6-addr is set but clat-v4-addr is "
				 "not: set both or neither");

	/* An empty value unsets, so the pair is whole again: neither. */
	set_ok("clat-v6-addr", "");
	assert_int_equal(conf_finish(&conf, err, sizeof(err)), 0);
	assert_int_equal(conf.xlat.eam_count, 0);
}

static void
test_clat_inside_plat_prefix(void **state)
{
	(void)state;
	set_ok("plat-prefix", "2001:db8:64::/96");
	set_ok("clat-v4-addr", "192.0.0.1");
	set_ok("clat-v6-addr", "2001:db8:64::c000:1");
	assert_int_equal(conf_finish(&conf, err, sizeof(err)), -1);
	assert_string_equal(err, "clat-v6-addr: 2001:db8:64::c000:1 is inside "
				 "plat-prefix; it must be an address of the "
				 "CLAT's own");
}

static void
test_clat_bad(void **state)
{
	(void)state;
	set_fails("clat-v4-addr", "192.0.0",
		  "clat-v4-addr: '192.0.0' is not an IPv4 address (or empty to "
		  "unset)");
	set_fails("clat-v4-addr", "2001:db8::1",
		  "clat-v4-addr: '2001:db8::1' is not an IPv4 address (or "
		  "empty to unset)");
	set_fails("clat-v6-addr", "192.0.0.1",
		  "clat-v6-addr: '192.0.0.1' is not an IPv6 address (or empty "
		  "to unset)");
	set_fails("clat-v6-addr", "2001:db8::/64",
		  "clat-v6-addr: '2001:db8::/64' is not an IPv6 address (or "
		  "empty to unset)");
	assert_false(conf.has_clat_v4);
	assert_false(conf.has_clat_v6);
}

static void
test_own_addresses(void **state)
{
	(void)state;
	set_ok("xlat-v4-addr", "192.0.0.2");
	set_ok("xlat-v6-addr", "2001:db8:1::1");
	assert_true(conf.xlat.has_own4);
	assert_true(conf.xlat.has_own6);
	run_assert_addr4(&conf.xlat.own4, "192.0.0.2");
	run_assert_addr6(&conf.xlat.own6, "2001:db8:1::1");

	set_fails("xlat-v4-addr", "192.0.0.256",
		  "xlat-v4-addr: '192.0.0.256' is not an IPv4 address (or "
		  "empty to unset)");
	set_fails("xlat-v6-addr", "2001:db8:::1",
		  "xlat-v6-addr: '2001:db8:::1' is not an IPv6 address (or "
		  "empty to unset)");
	run_assert_addr4(&conf.xlat.own4, "192.0.0.2");

	set_ok("xlat-v4-addr", "");
	set_ok("xlat-v6-addr", "");
	assert_false(conf.xlat.has_own4);
	assert_false(conf.xlat.has_own6);
}

static void
test_rfc6791(void **state)
{
	(void)state;
	/* Default from the core: 192.0.0.8, RFC 7335. */
	assert_true(conf.xlat.has_rfc6791_v4);
	run_assert_addr4(&conf.xlat.rfc6791_v4, "192.0.0.8");
	set_ok("rfc6791-v4", "198.51.100.1");
	run_assert_addr4(&conf.xlat.rfc6791_v4, "198.51.100.1");
	set_ok("rfc6791-v4", "");
	assert_false(conf.xlat.has_rfc6791_v4);

	set_ok("rfc6791-v6", "2001:db8::6791");
	assert_true(conf.xlat.has_rfc6791_v6);
	run_assert_addr6(&conf.xlat.rfc6791_v6, "2001:db8::6791");
	set_ok("rfc6791-v6", "");
	assert_false(conf.xlat.has_rfc6791_v6);

	set_fails("rfc6791-v4", "x",
		  "rfc6791-v4: 'x' is not an IPv4 address (or empty to unset)");
	set_fails("rfc6791-v6", "x",
		  "rfc6791-v6: 'x' is not an IPv6 address (or empty to unset)");
}

static void
test_mtus(void **state)
{
	(void)state;
	set_ok("lowest-ipv6-mtu", "1280");
	assert_int_equal(conf.xlat.lowest_ipv6_mtu, 1280);
	set_ok("lowest-ipv6-mtu", "65535");
	assert_int_equal(conf.xlat.lowest_ipv6_mtu, 65535);
	set_ok("mtu-v4", "68");
	assert_int_equal(conf.xlat.mtu_v4, 68);
	set_ok("mtu-v4", "9000");
	assert_int_equal(conf.xlat.mtu_v4, 9000);
	set_ok("mtu-v6", "1280");
	assert_int_equal(conf.xlat.mtu_v6, 1280);
	set_ok("mtu-v6", "01500");
	assert_int_equal(conf.xlat.mtu_v6, 1500);
}

static void
test_mtus_bad(void **state)
{
	static const char *const bad[] = {
		"12x", "",	"1279",	 "65536", "4294967296",
		"-1",  "+1280", " 1280", "0x500", "1e4",
	};
	char want[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(want, sizeof(want),
			 "lowest-ipv6-mtu: '%s' is not a number between 1280 "
			 "and 65535",
			 bad[i]);
		set_fails("lowest-ipv6-mtu", bad[i], want);
	}
	set_fails("mtu-v4", "67",
		  "mtu-v4: '67' is not a number between 68 and 65535");
	set_fails("mtu-v6", "1279",
		  "mtu-v6: '1279' is not a number between 1280 and 65535");
	assert_int_equal(conf.xlat.lowest_ipv6_mtu, 1280);
	assert_int_equal(conf.xlat.mtu_v4, 1500);
	assert_int_equal(conf.xlat.mtu_v6, 1500);
}

/* RFC 4443 §2.4(f): the rate of the errors the translator sends. */
static void
test_icmp_error_rate(void **state)
{
	(void)state;
	set_ok("icmp-error-rate", "0");
	assert_int_equal(conf.xlat.icmp_error_rate, 0);
	set_ok("icmp-error-rate", "65535");
	assert_int_equal(conf.xlat.icmp_error_rate, 65535);
	set_fails("icmp-error-rate", "-1",
		  "icmp-error-rate: '-1' is not a number between 0 and 65535");
	set_fails("icmp-error-rate", "fast",
		  "icmp-error-rate: 'fast' is not a number between 0 and "
		  "65535");
	assert_int_equal(conf.xlat.icmp_error_rate, 65535);
}

static bool *
bool_field(const char *key)
{
	if (strcmp(key, "amend-udp-checksum-zero") == 0)
		return &conf.xlat.amend_udp_checksum_zero;
	if (strcmp(key, "decrement-ttl") == 0)
		return &conf.xlat.decrement_ttl;
	if (strcmp(key, "wkp-strict") == 0)
		return &conf.xlat.wkp_strict;
	return &conf.xlat.reset_traffic_class;
}

static void
test_booleans(void **state)
{
	static const char *const keys[] = {
		"amend-udp-checksum-zero",
		"decrement-ttl",
		"wkp-strict",
		"reset-traffic-class",
	};
	static const struct {
		const char *value;
		bool want;
	} values[] = {
		{"yes", true}, {"no", false},  {"true", true}, {"false", false},
		{"on", true},  {"off", false}, {"1", true},    {"0", false},
		{"YES", true}, {"Off", false},
	};
	static const char *const bad[] = {"maybe", "", "2", "y", "yes "};
	char want[160];
	size_t k, v;

	(void)state;
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		for (v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
			set_ok(keys[k], values[v].value);
			assert_int_equal(*bool_field(keys[k]), values[v].want);
		}
		for (v = 0; v < sizeof(bad) / sizeof(bad[0]); v++) {
			snprintf(want, sizeof(want),
				 "%s: '%s' is not a boolean (yes/no, "
				 "true/false, on/off, 1/0)",
				 keys[k], bad[v]);
			set_fails(keys[k], bad[v], want);
		}
		assert_false(*bool_field(keys[k]));
	}
}

static void
test_unknown_key(void **state)
{
	const struct conf_key *k;

	(void)state;
	set_fails("plat_prefix", "64:ff9b::/96", "unknown key 'plat_prefix'");
	set_fails("", "1", "unknown key ''");
	assert_false(conf_key_known("plat_prefix"));
	assert_false(conf_key_known("Plat-Prefix"));
	for (k = conf_keys; k->name != NULL; k++) {
		assert_true(conf_key_known(k->name));
		assert_non_null(k->help);
	}
}

static void
test_lines(void **state)
{
	(void)state;
	line_ok("");
	line_ok("\n");
	line_ok("   \t \r\n");
	line_ok("# a comment = with an equals sign");
	line_ok("   # indented comment");
	line_ok("plat-prefix=2001:db8:64::/96\n");
	assert_true(conf.xlat.has_pool6);
	line_ok("  mtu-v4 \t=\t 1400  # trailing comment\r\n");
	assert_int_equal(conf.xlat.mtu_v4, 1400);
	line_ok("xlat-v4-addr = 192.0.0.2");
	assert_true(conf.xlat.has_own4);
	line_ok("xlat-v4-addr =   # empty: unset");
	assert_false(conf.xlat.has_own4);
}

static void
test_line_errors(void **state)
{
	(void)state;
	assert_int_equal(conf_parse_line(&conf, "lowest-ipv6-mtu = 12x\n", 7,
					 "xlatd.conf", err, sizeof(err)),
			 -1);
	assert_string_equal(err, "xlatd.conf:7: lowest-ipv6-mtu: '12x' is not "
				 "a number between 1280 and 65535");

	assert_int_equal(conf_parse_line(&conf, "plat-prefix 64:ff9b::/96", 3,
					 "xlatd.conf", err, sizeof(err)),
			 -1);
	assert_string_equal(err, "xlatd.conf:3: expected key=value");

	assert_int_equal(conf_parse_line(&conf, " = yes", 4, "xlatd.conf", err,
					 sizeof(err)),
			 -1);
	assert_string_equal(err,
			    "xlatd.conf:4: expected key=value, found no key");

	assert_int_equal(conf_parse_line(&conf, "frobnicate = yes", 12,
					 "/etc/xlatd.conf", err, sizeof(err)),
			 -1);
	assert_string_equal(err,
			    "/etc/xlatd.conf:12: unknown key 'frobnicate'");

	assert_int_equal(
		conf_parse_line(&conf, "mtu-v4=1", 2, NULL, err, sizeof(err)),
		-1);
	assert_string_equal(
		err,
		"line 2: mtu-v4: '1' is not a number between 68 and 65535");

	/* The '#' ends the value, which is then empty. */
	assert_int_equal(conf_parse_line(&conf, "decrement-ttl=#yes", 5,
					 "xlatd.conf", err, sizeof(err)),
			 -1);
	assert_string_equal(err, "xlatd.conf:5: decrement-ttl: '' is not a "
				 "boolean (yes/no, true/false, on/off, 1/0)");
}

static void
test_line_too_long(void **state)
{
	char line[CONF_KEY_MAX + CONF_VALUE_MAX + 16];

	(void)state;
	memset(line, 'k', CONF_KEY_MAX);
	strcpy(line + CONF_KEY_MAX, "=1");
	assert_int_equal(conf_parse_line(&conf, line, 1, "f", err, sizeof(err)),
			 -1);
	assert_string_equal(err, "f:1: key is longer than 63 characters");

	strcpy(line, "eam=");
	memset(line + 4, '1', CONF_VALUE_MAX);
	line[4 + CONF_VALUE_MAX] = '\0';
	assert_int_equal(conf_parse_line(&conf, line, 2, "f", err, sizeof(err)),
			 -1);
	assert_string_equal(err,
			    "f:2: eam: value is longer than 255 characters");
}

static void
test_long_value_quoted_short(void **state)
{
	char value[200], want[256];

	(void)state;
	memset(value, 'x', sizeof(value) - 1);
	value[sizeof(value) - 1] = '\0';
	snprintf(want, sizeof(want),
		 "mtu-v6: '%.64s' is not a number between 1280 and 65535",
		 value);
	set_fails("mtu-v6", value, want);
}

static void
test_small_error_buffer(void **state)
{
	char small[8];

	(void)state;
	assert_int_equal(conf_set(&conf, "mtu-v4", "x", small, sizeof(small)),
			 -1);
	assert_string_equal(small, "mtu-v4:");
	assert_int_equal(conf_set(&conf, "mtu-v4", "x", NULL, 0), -1);
	assert_int_equal(conf_parse_line(&conf, "x", 1, "f", NULL, 0), -1);
	assert_int_equal(conf_finish(&conf, NULL, 0), 0);
}

/* A program with keys of its own layers them over the translator's. */
struct daemon_conf {
	struct conf conf;
	char interface[16];
};

static int
set_interface(void *obj, const char *value, char *why, size_t whylen)
{
	struct daemon_conf *d = obj;

	if (*value == '\0' || strlen(value) >= sizeof(d->interface)) {
		snprintf(why, whylen, "'%s' is not an interface name", value);
		return -1;
	}
	strcpy(d->interface, value);
	return 0;
}

static const struct conf_key daemon_keys[] = {
	{"interface", set_interface, "interface name"},
	{NULL, NULL, NULL},
};

static int
daemon_line(struct daemon_conf *d, const char *line)
{
	struct conf_line l;
	const struct conf_key *k;
	int r = conf_line_split(line, &l, err, sizeof(err));

	if (r <= 0)
		return r;
	k = conf_key_find(daemon_keys, l.key);
	if (k != NULL)
		return conf_key_set(k, d, l.value, err, sizeof(err));
	return conf_set(&d->conf, l.key, l.value, err, sizeof(err));
}

static void
test_layered_keys(void **state)
{
	struct daemon_conf d;

	(void)state;
	memset(&d, 0, sizeof(d));
	conf_init(&d.conf);
	assert_int_equal(daemon_line(&d, "# daemon"), 0);
	assert_int_equal(daemon_line(&d, "interface = clat0"), 0);
	assert_string_equal(d.interface, "clat0");
	assert_int_equal(daemon_line(&d, "mtu-v4 = 1400"), 0);
	assert_int_equal(d.conf.xlat.mtu_v4, 1400);
	assert_int_equal(daemon_line(&d, "interface ="), -1);
	assert_string_equal(err, "interface: '' is not an interface name");
	assert_int_equal(daemon_line(&d, "nope = 1"), -1);
	assert_string_equal(err, "unknown key 'nope'");
	assert_false(conf_key_known("interface"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_defaults, setup),
		cmocka_unit_test_setup(test_plat_prefix_lengths, setup),
		cmocka_unit_test_setup(test_plat_prefix_empty_unsets, setup),
		cmocka_unit_test_setup(test_plat_prefix_bad, setup),
		cmocka_unit_test_setup(test_eam_good, setup),
		cmocka_unit_test_setup(test_eam_empty_clears, setup),
		cmocka_unit_test_setup(test_eam_bad, setup),
		cmocka_unit_test_setup(test_eam_full, setup),
		cmocka_unit_test_setup(test_clat_pair, setup),
		cmocka_unit_test_setup(test_clat_only_one, setup),
		cmocka_unit_test_setup(test_clat_inside_plat_prefix, setup),
		cmocka_unit_test_setup(test_clat_bad, setup),
		cmocka_unit_test_setup(test_own_addresses, setup),
		cmocka_unit_test_setup(test_rfc6791, setup),
		cmocka_unit_test_setup(test_mtus, setup),
		cmocka_unit_test_setup(test_mtus_bad, setup),
		cmocka_unit_test_setup(test_icmp_error_rate, setup),
		cmocka_unit_test_setup(test_booleans, setup),
		cmocka_unit_test_setup(test_unknown_key, setup),
		cmocka_unit_test_setup(test_lines, setup),
		cmocka_unit_test_setup(test_line_errors, setup),
		cmocka_unit_test_setup(test_line_too_long, setup),
		cmocka_unit_test_setup(test_long_value_quoted_short, setup),
		cmocka_unit_test_setup(test_small_error_buffer, setup),
		cmocka_unit_test_setup(test_layered_keys, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
