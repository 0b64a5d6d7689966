/* SPDX-License-Identifier: BSD-2-Clause */
/* src/siit/tayga_conf: every directive, every class of bad value, the
 * checks across directives, the map-file and the translator settings. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "siit/tayga_conf.h"
#include "run.h"

#define FILE_NAME "t.conf"

static struct tayga_conf conf_storage, *const conf = &conf_storage;
static char err[1024];
static unsigned lineno;

static int
setup(void **state)
{
	(void)state;
	tayga_conf_init(conf);
	memset(err, 0, sizeof(err));
	lineno = 0;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	return 0;
}

static void
line_ok(const char *line)
{
	if (tayga_conf_line(conf, line, ++lineno, FILE_NAME, err,
			    sizeof(err)) != 0)
		fail_msg("'%s': %s", line, err);
}

/* The line fails on line 1 with exactly "t.conf:1: " want. */
static void
line_fails(const char *line, const char *want)
{
	char full[1024];

	tayga_conf_init(conf);
	snprintf(full, sizeof(full), FILE_NAME ":1: %s", want);
	assert_int_equal(
		tayga_conf_line(conf, line, 1, FILE_NAME, err, sizeof(err)),
		-1);
	assert_string_equal(err, full);
}

/* The line is accepted on a fresh configuration. */
static void
fresh_ok(const char *line)
{
	tayga_conf_init(conf);
	lineno = 0;
	line_ok(line);
}

/* The minimum TAYGA needs, then line. */
static void
base(void)
{
	line_ok("tun-device nat64");
	line_ok("ipv4-addr 192.168.255.1");
	line_ok("prefix 2001:db8:64::/96");
}

static int
finish(void)
{
	return tayga_conf_finish(conf, FILE_NAME, err, sizeof(err));
}

static void
finish_fails(const char *want)
{
	assert_int_equal(finish(), -1);
	assert_string_equal(err, want);
}

/* TAYGA's example configuration: the defaults and the derived address. */
static void
test_example(void **state)
{
	(void)state;
	line_ok("# TAYGA's example");
	line_ok("");
	line_ok("   \t  ");
	line_ok("tun-device nat64   # the device");
	line_ok("ipv4-addr 192.168.255.1");
	line_ok("prefix 2001:db8:1:ffff::/96");
	line_ok("dynamic-pool 192.168.255.0/24");
	line_ok("data-dir /var/spool/tayga");
	assert_int_equal(finish(), 0);
	assert_string_equal(conf->tun_device, "nat64");
	run_assert_addr4(&conf->ipv4_addr, "192.168.255.1");
	/* RFC 6052 §2.2: ipv4-addr inside the prefix */
	run_assert_addr6(&conf->ipv6_addr, "2001:db8:1:ffff::c0a8:ff01");
	assert_true(conf->has_pool);
	run_assert_addr4(&conf->pool.addr, "192.168.255.0");
	assert_int_equal(conf->pool.len, 24);
	assert_string_equal(conf->data_dir, "/var/spool/tayga");
	assert_true(conf->wkpf_strict);
	assert_int_equal(conf->udp_cksum, TAYGA_UDP_CKSUM_CALC);
	assert_int_equal(conf->offlink_mtu, 1280);
	assert_int_equal(conf->log, 0);
	assert_int_equal(conf->n_maps, 0);
}

static void
test_case_and_blanks(void **state)
{
	(void)state;
	line_ok("TUN-Device\tnat64\r\n");
	line_ok("  IPv4-Addr   192.168.255.1  ");
	/* '#' starts a comment only at the start of a word */
	line_fails("PREFIX 2001:db8:64::/96#no comment",
		   "prefix: takes one value (an IPv6 prefix), found 2");
	fresh_ok("PREFIX 2001:db8:64::/96 #a comment");
	assert_true(conf->has_prefix);
}

static void
test_line_errors(void **state)
{
	char longline[TAYGA_LINE_MAX + 8];

	(void)state;
	line_fails("frobnicate 1",
		   "unknown directive 'frobnicate' (one of tun-device, "
		   "ipv4-addr, ipv6-addr, prefix, wkpf-strict, dynamic-pool, "
		   "data-dir, map, map-file, strict-frag-hdr, udp-cksum-mode, "
		   "offlink-mtu, log, workers)");
	line_fails("tun-device", "tun-device: takes one value (a device "
				 "name), found 0");
	line_fails("tun-device a b",
		   "tun-device: takes one value (a device name), found 2");
	memset(longline, 'x', sizeof(longline));
	longline[sizeof(longline) - 1] = '\0';
	line_fails(longline, "line is longer than 511 characters");
	memset(longline, 'x', 100);
	longline[100] = '\0';
	line_fails(longline, "a word is too long");
	setup(NULL);
	line_ok("tun-device a");
	assert_int_equal(tayga_conf_line(conf, "tun-device b", 7, FILE_NAME,
					 err, sizeof(err)),
			 -1);
	assert_string_equal(err, "t.conf:7: tun-device: given twice (first "
				 "on line 1); only map may repeat");
	/* without a file name */
	assert_int_equal(
		tayga_conf_line(conf, "bad", 3, NULL, err, sizeof(err)), -1);
	assert_memory_equal(err, "line 3: unknown directive 'bad'", 31);
}

static void
test_tun_device(void **state)
{
	(void)state;
	fresh_ok("tun-device clat-0.1_x");
	assert_string_equal(conf->tun_device, "clat-0.1_x");
	fresh_ok("tun-device 123456789012345");
	line_fails("tun-device 1234567890123456",
		   "tun-device: '1234567890123456' is not a device name (1 "
		   "to 15 characters, no '/' or ':')");
	line_fails("tun-device a/b",
		   "tun-device: 'a/b' is not a device name (1 to 15 "
		   "characters, no '/' or ':')");
	line_fails("tun-device a:1",
		   "tun-device: 'a:1' is not a device name (1 to 15 "
		   "characters, no '/' or ':')");
	line_fails("tun-device ..",
		   "tun-device: '..' is not a device name (1 to 15 "
		   "characters, no '/' or ':')");
}

static void
test_ipv4_addr(void **state)
{
	static const char *const reserved[] = {
		"0.0.0.0",   "0.1.2.3",	  "127.0.0.1",
		"224.0.0.1", "240.0.0.1", "255.255.255.255",
	};
	char line[64], want[256];
	size_t i;

	(void)state;
	fresh_ok("ipv4-addr 192.0.0.2");
	run_assert_addr4(&conf->ipv4_addr, "192.0.0.2");
	line_fails("ipv4-addr 192.0.2",
		   "ipv4-addr: '192.0.2' is not an IPv4 address");
	line_fails("ipv4-addr 2001:db8::1",
		   "ipv4-addr: '2001:db8::1' is not an IPv4 address");
	line_fails("ipv4-addr 192.0.2.1/24",
		   "ipv4-addr: '192.0.2.1/24' is not an IPv4 address");
	line_fails("ipv4-addr 192.0.2.1 192.0.2.2",
		   "ipv4-addr: takes one value (an IPv4 address), found 2");
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
		snprintf(line, sizeof(line), "ipv4-addr %s", reserved[i]);
		snprintf(want, sizeof(want),
			 "ipv4-addr: '%s' is reserved (0.0.0.0/8, "
			 "127.0.0.0/8 and 224.0.0.0/3 are not allowed)",
			 reserved[i]);
		line_fails(line, want);
	}
}

static void
test_ipv6_addr(void **state)
{
	static const char *const reserved[] = {"::", "::1", "fe80::1",
					       "febf::1", "ff02::1"};
	char line[64], want[256];
	size_t i;

	(void)state;
	fresh_ok("ipv6-addr 2001:db8::64");
	assert_true(conf->has_ipv6_addr);
	run_assert_addr6(&conf->ipv6_addr, "2001:db8::64");
	fresh_ok("ipv6-addr fec0::1"); /* site-local: deprecated, allowed */
	line_fails("ipv6-addr 192.0.2.1",
		   "ipv6-addr: '192.0.2.1' is not an IPv6 address");
	line_fails("ipv6-addr 2001:db8::/64",
		   "ipv6-addr: '2001:db8::/64' is not an IPv6 address");
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
		snprintf(line, sizeof(line), "ipv6-addr %s", reserved[i]);
		snprintf(want, sizeof(want),
			 "ipv6-addr: '%s' is reserved (::, ::1, fe80::/10 "
			 "and ff00::/8 are not allowed)",
			 reserved[i]);
		line_fails(line, want);
	}
}

/* RFC 6052 §2.2: the six lengths, and nothing else. */
static void
test_prefix(void **state)
{
	static const char *const good[] = {
		"2001:db8::/32",	 "2001:db8:100::/40",
		"2001:db8:122::/48",	 "2001:db8:122:300::/56",
		"2001:db8:122:344::/64", "64:ff9b::/96",
	};
	char line[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(line, sizeof(line), "prefix %s", good[i]);
		fresh_ok(line);
		assert_true(conf->has_prefix);
	}
	line_fails("prefix 2001:db8::/33",
		   "prefix: length 33 of '2001:db8::/33' is not one of 32, "
		   "40, 48, 56, 64, 96 (RFC 6052 §2.2)");
	line_fails("prefix 2001:db8::1/96",
		   "prefix: '2001:db8::1/96' has bits set after /96");
	line_fails("prefix 2001:db8:0:0:ff00::/96",
		   "prefix: '2001:db8:0:0:ff00::/96' has bits 64-71 (the "
		   "u-octet) set (RFC 6052 §2.2)");
	line_fails("prefix 2001:db8::",
		   "prefix: '2001:db8::' is not an IPv6 prefix "
		   "ADDRESS/LENGTH");
	line_fails("prefix 192.168.0.0/24",
		   "prefix: '192.168.0.0/24' is not an IPv6 prefix "
		   "ADDRESS/LENGTH");
	line_fails("prefix ff00::/32", "prefix: 'ff00::/32' is a reserved "
				       "range");
}

static void
test_booleans(void **state)
{
	static const struct {
		const char *word;
		bool value;
	} words[] = {
		{"yes", true}, {"no", false}, {"on", true},   {"off", false},
		{"1", true},   {"0", false},  {"TRUE", true}, {"False", false},
	};
	char line[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		snprintf(line, sizeof(line), "wkpf-strict %s", words[i].word);
		fresh_ok(line);
		assert_int_equal(conf->wkpf_strict, words[i].value);
		snprintf(line, sizeof(line), "strict-frag-hdr %s",
			 words[i].word);
		fresh_ok(line);
	}
	line_fails("wkpf-strict maybe",
		   "wkpf-strict: 'maybe' is not a boolean (yes/no, "
		   "true/false, on/off, 1/0)");
	line_fails("strict-frag-hdr 2",
		   "strict-frag-hdr: '2' is not a boolean (yes/no, "
		   "true/false, on/off, 1/0)");
	line_fails("wkpf-strict", "wkpf-strict: takes one value (yes or no), "
				  "found 0");
}

static void
test_dynamic_pool(void **state)
{
	(void)state;
	fresh_ok("dynamic-pool 100.64.0.0/10");
	assert_true(conf->has_pool);
	assert_int_equal(conf->pool.len, 10);
	fresh_ok("dynamic-pool 192.0.2.0/31");
	fresh_ok("dynamic-pool 10.0.0.0/8");
	line_fails("dynamic-pool 192.0.2.1/32",
		   "dynamic-pool: '192.0.2.1/32' is not of a length from 8 to "
		   "31 (the lowest address of the pool is never assigned)");
	line_fails("dynamic-pool 10.0.0.0/7",
		   "dynamic-pool: '10.0.0.0/7' is not of a length from 8 to "
		   "31 (the lowest address of the pool is never assigned)");
	line_fails("dynamic-pool 192.0.2.0",
		   "dynamic-pool: '192.0.2.0' is not an IPv4 prefix "
		   "ADDRESS/LENGTH");
	line_fails("dynamic-pool 192.0.2.0/33",
		   "dynamic-pool: '192.0.2.0/33' is not an IPv4 prefix "
		   "ADDRESS/LENGTH");
	line_fails("dynamic-pool 2001:db8::/64",
		   "dynamic-pool: '2001:db8::/64' is not an IPv4 prefix "
		   "ADDRESS/LENGTH");
	line_fails("dynamic-pool 192.0.2.1/24",
		   "dynamic-pool: '192.0.2.1/24' has bits set after /24");
	line_fails("dynamic-pool 127.0.0.0/8",
		   "dynamic-pool: '127.0.0.0/8' is a reserved range");
}

static void
test_paths(void **state)
{
	char line[TAYGA_PATH_MAX + 32];

	(void)state;
	fresh_ok("data-dir /var/lib/tayga");
	assert_string_equal(conf->data_dir, "/var/lib/tayga");
	line_fails("data-dir var/lib/tayga",
		   "data-dir: 'var/lib/tayga' is not an absolute path (one "
		   "that starts with '/')");
	snprintf(line, sizeof(line), "data-dir /%0*d", TAYGA_PATH_MAX, 0);
	line_fails(line, "data-dir: the path is longer than 255 characters");
	fresh_ok("map-file /etc/tayga.maps");
	assert_string_equal(conf->map_file, "/etc/tayga.maps");
	line_fails("map-file a b",
		   "map-file: takes one value (a path), found 2");

	/* relative: in data-dir */
	setup(NULL);
	base();
	line_ok("data-dir /var/lib/tayga");
	line_ok("map-file maps");
	assert_int_equal(finish(), 0);
	assert_string_equal(conf->map_file, "/var/lib/tayga/maps");
	setup(NULL);
	base();
	line_ok("map-file maps");
	finish_fails("t.conf:4: map-file: 'maps' is relative, and no data-dir "
		     "is set to find it in; give an absolute path");
}

/* systemd's STATE_DIRECTORY, when tayga.conf has no data-dir. */
static void
test_state_directory(void **state)
{
	(void)state;
	assert_int_equal(tayga_conf_state_directory(conf,
						    "/var/lib/x:/var/lib/y",
						    err, sizeof(err)),
			 0);
	assert_string_equal(conf->data_dir, "/var/lib/x");
	assert_int_equal(tayga_conf_state_directory(conf, "/var/lib/z", err,
						    sizeof(err)),
			 0);
	assert_string_equal(conf->data_dir, "/var/lib/x"); /* kept */
	setup(NULL);
	assert_int_equal(tayga_conf_state_directory(conf, "", err, sizeof(err)),
			 0);
	assert_string_equal(conf->data_dir, "");
	assert_int_equal(
		tayga_conf_state_directory(conf, "var/lib/x", err, sizeof(err)),
		-1);
	assert_string_equal(err, "STATE_DIRECTORY: 'var/lib/x' is not an "
				 "absolute path of at most 255 characters");
}

static void
test_udp_cksum_mode(void **state)
{
	static const struct {
		const char *word;
		enum tayga_udp_cksum mode;
	} words[] = {
		{"drop", TAYGA_UDP_CKSUM_DROP},
		{"calc", TAYGA_UDP_CKSUM_CALC},
		{"fwd", TAYGA_UDP_CKSUM_FWD},
		{"forward", TAYGA_UDP_CKSUM_FWD},
		{"DROP", TAYGA_UDP_CKSUM_DROP},
	};
	char line[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		snprintf(line, sizeof(line), "udp-cksum-mode %s",
			 words[i].word);
		fresh_ok(line);
		assert_int_equal(conf->udp_cksum, words[i].mode);
	}
	line_fails("udp-cksum-mode compute",
		   "udp-cksum-mode: 'compute' is not one of drop, calc, fwd");
	line_fails("udp-cksum-mode drop calc",
		   "udp-cksum-mode: takes one value (drop, calc or fwd), "
		   "found 2");
}

static void
test_numbers(void **state)
{
	(void)state;
	fresh_ok("offlink-mtu 1280");
	assert_int_equal(conf->offlink_mtu, 1280);
	fresh_ok("offlink-mtu 65535");
	assert_int_equal(conf->offlink_mtu, 65535);
	line_fails("offlink-mtu 1279",
		   "offlink-mtu: '1279' is not a number between 1280 and "
		   "65535");
	line_fails("offlink-mtu 65536",
		   "offlink-mtu: '65536' is not a number between 1280 and "
		   "65535");
	line_fails("offlink-mtu 0x600",
		   "offlink-mtu: '0x600' is not a number between 1280 and "
		   "65535");
	fresh_ok("workers 0");
	fresh_ok("workers 64");
	assert_int_equal(conf->workers, 64);
	line_fails("workers 65",
		   "workers: '65' is not a number between 0 and 64");
	line_fails("workers -1",
		   "workers: '-1' is not a number between 0 and 64");
}

static void
test_log(void **state)
{
	(void)state;
	fresh_ok("log");
	assert_int_equal(conf->log, 0);
	fresh_ok("log drop reject icmp self dyn");
	assert_int_equal(conf->log, TAYGA_LOG_DROP | TAYGA_LOG_REJECT |
					    TAYGA_LOG_ICMP | TAYGA_LOG_SELF |
					    TAYGA_LOG_DYN);
	fresh_ok("log Drop");
	assert_int_equal(conf->log, TAYGA_LOG_DROP);
	line_fails("log drop all",
		   "log: 'all' is not one of drop, reject, icmp, self, dyn");
}

static void
test_map(void **state)
{
	const struct tayga_map *m;

	(void)state;
	setup(NULL);
	line_ok("map 192.0.2.1 2001:db8:1::1");
	line_ok("map 192.0.2.128/25 2001:db8:2::80/121");
	line_ok("map 198.51.100.0/24 2001:db8:3::/64"); /* RFC 7757 */
	assert_int_equal(conf->n_maps, 3);
	m = &conf->maps[0];
	assert_true(tayga_map_is_host(m));
	run_assert_addr4(&m->p4.addr, "192.0.2.1");
	run_assert_addr6(&m->p6.addr, "2001:db8:1::1");
	assert_int_equal(m->line, 1);
	assert_false(m->from_map_file);
	m = &conf->maps[1];
	assert_false(tayga_map_is_host(m));
	assert_int_equal(m->p4.len, 25);
	assert_int_equal(m->p6.len, 121);
	line_fails("map 192.0.2.1",
		   "map: takes two values, IPV4[/LEN] IPV6[/LEN]; found 1");
	line_fails("map 192.0.2.1 2001:db8::1 x",
		   "map: takes two values, IPV4[/LEN] IPV6[/LEN]; found 3");
	line_fails("map 192.0.2 2001:db8::1",
		   "map: '192.0.2' is not an IPv4 address or prefix");
	line_fails("map 192.0.2.1 2001:db8::1/129",
		   "map: '2001:db8::1/129' is not an IPv6 address or prefix");
	line_fails("map 192.0.2.0/24 2001:db8::/126",
		   "map: '192.0.2.0/24 2001:db8::/126': /126 and /24 leave 2 "
		   "and 8 suffix bits; the IPv6 suffix must be at least as "
		   "long");
	line_fails("map 192.0.2.1/24 2001:db8::/120",
		   "map: '192.0.2.1/24 2001:db8::/120' has bits set after a "
		   "prefix");
	line_fails("map 127.0.0.1 2001:db8::1",
		   "map: '127.0.0.1 2001:db8::1' maps a reserved range");
	line_fails("map 192.0.2.1 fe80::1",
		   "map: '192.0.2.1 fe80::1' maps a reserved range");
}

static void
test_map_limits(void **state)
{
	char line[96];
	unsigned i;

	(void)state;
	for (i = 0; i < TAYGA_MAPS_MAX; i++) {
		snprintf(line, sizeof(line), "map 10.%u.%u.1 2001:db8::%x",
			 i >> 8, i & 0xff, i + 1);
		line_ok(line);
	}
	assert_int_equal(tayga_conf_line(conf, "map 11.0.0.1 2001:db9::1", 1,
					 FILE_NAME, err, sizeof(err)),
			 -1);
	assert_string_equal(err, "t.conf:1: map: too many maps (at most 4096, "
				 "with the map-file's)");
	/* prefix maps: the core's RFC 7757 table */
	setup(NULL);
	base();
	for (i = 0; i <= XLAT_EAM_MAX; i++) {
		snprintf(line, sizeof(line),
			 "map 10.%u.0.0/24 2001:db8:%x::/120", i, i + 1);
		line_ok(line);
	}
	finish_fails("t.conf:68: map: 65 maps of prefixes; at most 64 are "
		     "allowed (host maps have no limit but 4096)");
}

static void
test_finish_missing(void **state)
{
	(void)state;
	finish_fails("t.conf: tun-device: missing: the name of the TUN device "
		     "(e.g. nat64)");
	line_ok("tun-device nat64");
	finish_fails("t.conf: ipv4-addr: missing: the IPv4 address of the "
		     "translator");
	line_ok("ipv4-addr 192.0.2.1");
	finish_fails("t.conf: prefix: missing: with neither prefix nor a map "
		     "there is nothing to translate");
	line_ok("map 192.0.2.2 2001:db8::2");
	finish_fails("t.conf: ipv6-addr: missing: without a prefix, give the "
		     "IPv6 address of the translator");
	line_ok("ipv6-addr 2001:db8::1");
	assert_int_equal(finish(), 0);
}

static void
test_finish_ipv6_addr(void **state)
{
	(void)state;
	/* clatd's file: the well-known prefix and 192.0.0.2 (RFC 7335) */
	line_ok("tun-device clat");
	line_ok("prefix 64:ff9b::/96");
	line_ok("ipv4-addr 192.0.0.2");
	line_ok("map 192.0.0.1 2001:db8:aaaa::c1a7");
	assert_int_equal(finish(), 0);
	run_assert_addr6(&conf->ipv6_addr, "64:ff9b::c000:2");
	/* given inside the prefix */
	setup(NULL);
	base();
	line_ok("ipv6-addr 2001:db8:64::1");
	finish_fails("t.conf:4: ipv6-addr: 2001:db8:64::1 lies inside prefix; "
		     "leave ipv6-addr out to have it made from ipv4-addr and "
		     "prefix");
	/* RFC 6052 §2.2 for a /40 prefix */
	setup(NULL);
	line_ok("tun-device nat64");
	line_ok("ipv4-addr 192.0.2.33");
	line_ok("prefix 2001:db8:100::/40");
	assert_int_equal(finish(), 0);
	run_assert_addr6(&conf->ipv6_addr, "2001:db8:1c0:2:21::");
}

static void
test_finish_maps(void **state)
{
	(void)state;
	base();
	line_ok("dynamic-pool 192.168.255.0/24");
	line_ok("map 192.168.255.9 2001:db8:1::9"); /* in the pool: fine */
	line_ok("map 192.0.2.0/24 2001:db8:2::/120");
	assert_int_equal(finish(), 0);
	assert_int_equal(conf->n_conf_maps, 2);

	setup(NULL);
	base();
	line_ok("map 192.0.2.1 2001:db8:64::1");
	finish_fails(
		"t.conf:4: map: '192.0.2.1/32 2001:db8:64::1/128' "
		"overlaps prefix: the IPv6 side must lie outside the NAT64 "
		"prefix");
	setup(NULL);
	base();
	line_ok("map 192.168.255.1 2001:db8::1");
	finish_fails("t.conf:4: map: '192.168.255.1/32 2001:db8::1/128' holds "
		     "ipv4-addr or ipv6-addr, the translator's own addresses");
	setup(NULL);
	base();
	line_ok("map 192.0.2.0/24 2001:db8:2::/120");
	line_ok("map 192.0.2.7 2001:db8:3::7");
	finish_fails("t.conf:5: map: '192.0.2.7/32 2001:db8:3::7/128' "
		     "overlaps the map on line 4");
	setup(NULL);
	base();
	line_ok("map 192.0.2.7 2001:db8:3::7");
	line_ok("map 192.0.2.8 2001:db8:3::7");
	finish_fails("t.conf:5: map: '192.0.2.8/32 2001:db8:3::7/128' "
		     "overlaps the map on line 4");
	setup(NULL);
	base();
	line_ok("dynamic-pool 10.0.0.0/24");
	line_ok("map 10.0.0.0/16 2001:db8:4::/112");
	finish_fails("t.conf:5: map: '10.0.0.0/16 2001:db8:4::/112' holds all "
		     "of dynamic-pool");
}

static int
map_line(const char *line, unsigned n)
{
	return tayga_conf_map_line(conf, line, n, "maps", err, sizeof(err));
}

static void
test_map_file(void **state)
{
	(void)state;
	base();
	line_ok("map 192.0.2.1 2001:db8:1::1");
	assert_int_equal(finish(), 0);
	assert_int_equal(map_line("# static maps", 1), 0);
	assert_int_equal(map_line("map 192.0.2.2 2001:db8:1::2", 2), 0);
	assert_int_equal(map_line("MAP 192.0.2.3 2001:db8:1::3 # c", 3), 0);
	assert_int_equal(tayga_conf_maps_finish(conf, "maps", err, sizeof(err)),
			 0);
	assert_int_equal(conf->n_maps, 3);
	assert_true(conf->maps[1].from_map_file);
	assert_int_equal(conf->maps[2].line, 3);
	assert_int_equal(map_line("prefix 2001:db8::/96", 4), -1);
	assert_string_equal(err, "maps:4: prefix: a map-file holds map lines "
				 "only");
	/* read again: a conflict with tayga.conf */
	tayga_conf_maps_reset(conf);
	assert_int_equal(conf->n_maps, 1);
	assert_int_equal(map_line("map 192.0.2.1 2001:db8:1::9", 1), 0);
	assert_int_equal(tayga_conf_maps_finish(conf, "maps", err, sizeof(err)),
			 -1);
	assert_string_equal(err,
			    "maps:1: map: '192.0.2.1/32 2001:db8:1::9/128' "
			    "overlaps the map on line 4 of tayga.conf");
}

static void
test_xlat(void **state)
{
	struct xlat_cfg x;

	(void)state;
	base();
	line_ok("udp-cksum-mode drop");
	line_ok("offlink-mtu 1400");
	line_ok("wkpf-strict no");
	line_ok("map 192.0.2.1 2001:db8:1::1");
	line_ok("map 198.51.100.0/24 2001:db8:2::/120");
	assert_int_equal(finish(), 0);
	assert_true(tayga_conf_xlat(conf, &x, err, sizeof(err)));
	assert_true(x.has_pool6);
	run_assert_addr6(&x.pool6.addr, "2001:db8:64::");
	assert_int_equal(x.pool6.len, 96);
	assert_false(x.wkp_strict);
	assert_false(x.amend_udp_checksum_zero);
	assert_int_equal(x.lowest_ipv6_mtu, 1400);
	/* the kernel, which forwards the packets, does path MTU */
	assert_int_equal(x.mtu_v4, 65535);
	assert_int_equal(x.mtu_v6, 65535);
	assert_true(x.has_own4 && x.has_own6);
	run_assert_addr4(&x.own4, "192.168.255.1");
	run_assert_addr6(&x.own6, "2001:db8:64::c0a8:ff01");
	/* RFC 6791: untranslatable ICMPv6 sources become 192.0.0.8 */
	assert_true(x.has_rfc6791_v4);
	run_assert_addr4(&x.rfc6791_v4, "192.0.0.8");
	assert_true(x.decrement_ttl);
	/* only the prefix map is an RFC 7757 entry of the core */
	assert_int_equal(x.eam_count, 1);
	run_assert_addr4(&x.eam[0].p4.addr, "198.51.100.0");
	assert_int_equal(x.eam[0].p6.len, 120);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_example, setup, teardown),
		cmocka_unit_test_setup_teardown(test_case_and_blanks, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_line_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tun_device, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ipv4_addr, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ipv6_addr, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_prefix, setup, teardown),
		cmocka_unit_test_setup_teardown(test_booleans, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dynamic_pool, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_state_directory, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_udp_cksum_mode, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_limits, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_finish_missing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_finish_ipv6_addr, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_finish_maps, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_map_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xlat, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
