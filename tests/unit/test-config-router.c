/* SPDX-License-Identifier: BSD-2-Clause */
/* xlatd.conf's router keys (src/daemon/config_router.c) through the
 * daemon's parser (src/daemon/config.c): values, defaults, and errors
 * that name the file, the line, the key and the allowed values. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/config.h"

static struct config cfg;
static char err[1024];

/* Parse the lines (one string each, line numbers from 1) of file
 * "xlatd.conf", then the cross-key checks. Returns 0 or -1. */
static int
parse(const char *const *lines, unsigned n)
{
	unsigned i;

	config_init(&cfg);
	err[0] = '\0';
	for (i = 0; i < n; i++)
		if (config_parse_line(&cfg, lines[i], i + 1, "xlatd.conf", err,
				      sizeof(err)) < 0)
			return -1;
	return config_finish(&cfg, err, sizeof(err));
}

#define PARSE(...)                                         \
	parse((const char *const[]){__VA_ARGS__},          \
	      sizeof((const char *const[]){__VA_ARGS__}) / \
		      sizeof(const char *))

static void
assert_err(const char *want)
{
	if (strstr(err, want) == NULL)
		fail_msg("error \"%s\" lacks \"%s\"", err, want);
}

static void
assert_prefix6(const struct xlat_prefix6 *p, const char *addr, unsigned len)
{
	char s[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, &p->addr, s, sizeof(s));
	assert_string_equal(s, addr);
	assert_int_equal(p->len, len);
}

static void
test_defaults(void **state)
{
	(void)state;
	assert_int_equal(PARSE("# nothing"), 0);
	assert_int_equal(cfg.router.lan_count, 0);
	assert_int_equal(cfg.router.table, ROUTER_TABLE_DEFAULT);
	assert_int_equal(cfg.router.mode, ROUTER_MODE_NAT44);
	assert_int_equal(cfg.router.fallback, ROUTER_FALLBACK_UNREACHABLE);
	assert_false(cfg.router.has_v6_prefix);
}

/* Prefixes and interface names, commas or blanks between them. */
static void
test_lan(void **state)
{
	char a[INET_ADDRSTRLEN];

	(void)state;
	assert_int_equal(PARSE("router-lan = 192.168.0.0/23, br-hood2 "
			       "10.0.0.0/8,docker0"),
			 0);
	assert_int_equal(cfg.router.lan_count, 4);
	assert_false(cfg.router.lan[0].is_ifname);
	inet_ntop(AF_INET, &cfg.router.lan[0].prefix.addr, a, sizeof(a));
	assert_string_equal(a, "192.168.0.0");
	assert_int_equal(cfg.router.lan[0].prefix.len, 23);
	assert_true(cfg.router.lan[1].is_ifname);
	assert_string_equal(cfg.router.lan[1].ifname, "br-hood2");
	assert_int_equal(cfg.router.lan[2].prefix.len, 8);
	assert_string_equal(cfg.router.lan[3].ifname, "docker0");

	/* empty: off again */
	assert_int_equal(PARSE("router-lan = docker0", "router-lan ="), 0);
	assert_int_equal(cfg.router.lan_count, 0);
}

static void
test_lan_errors(void **state)
{
	(void)state;
	assert_int_equal(PARSE("# x", "router-lan = 192.168.1.0/24, "
				      "192.168.1.1/24"),
			 -1);
	assert_err("xlatd.conf:2: router-lan: '192.168.1.1/24' is not an "
		   "IPv4 prefix (A.B.C.D/LEN, host bits zero)");
	assert_int_equal(PARSE("router-lan = 192.168.1.0"), -1);
	assert_err("xlatd.conf:1: router-lan: '192.168.1.0' has no prefix "
		   "length");
	assert_int_equal(PARSE("router-lan = 192.168.0.0/16 192.168.1.0/24"),
			 -1);
	assert_err("router-lan: '192.168.1.0/24' repeats or overlaps");
	assert_int_equal(PARSE("router-lan = br0, br0"), -1);
	assert_err("router-lan: 'br0' repeats");
	assert_int_equal(PARSE("router-lan = a-very-long-bridge-name"), -1);
	assert_err("'a-very-long-bridge-name' is neither an IPv4 prefix "
		   "(A.B.C.D/LEN) nor an interface name");
	assert_int_equal(PARSE("router-lan = 10.0.0.0/33"), -1);
	assert_err("'10.0.0.0/33' is not an IPv4 prefix");
	assert_int_equal(PARSE("router-lan = a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,"
			       "p,q"),
			 -1);
	assert_err("router-lan: more than 16 prefixes and interfaces");
}

/* The CLAT's own IPv4 address is not a LAN's. */
static void
test_lan_clat_v4(void **state)
{
	(void)state;
	assert_int_equal(PARSE("router-lan = 192.0.0.0/24"), -1);
	assert_err("xlatd.conf:1: router-lan: item 1 overlaps the CLAT's "
		   "IPv4 address (192.0.0.0/29)");
	assert_int_equal(PARSE("clat-v4-addr = 10.1.2.3",
			       "router-lan = 192.0.0.0/24, 10.1.0.0/16"),
			 -1);
	assert_err("xlatd.conf:2: router-lan: item 2 overlaps the CLAT's "
		   "IPv4 address (clat-v4-addr)");
	assert_int_equal(
		PARSE("clat-v4-addr = 10.1.2.3", "router-lan = 192.0.0.0/24"),
		0);
}

static void
test_table(void **state)
{
	(void)state;
	assert_int_equal(PARSE("router-table = 100"), 0);
	assert_int_equal(cfg.router.table, 100);
	assert_int_equal(PARSE("router-table = main"), 0);
	assert_int_equal(cfg.router.table, 254);
	assert_int_equal(PARSE("router-table = 4294967295"), 0);
	assert_int_equal(cfg.router.table, 4294967295u);
	assert_int_equal(PARSE("router-table = 255"), -1);
	assert_err("xlatd.conf:1: router-table: '255' is not a routing table "
		   "for xlatd (a number from 1 to 4294967295 but 253 and 255, "
		   "main, or a name from rt_tables)");
	assert_int_equal(PARSE("router-table = 0"), -1);
	assert_int_equal(PARSE("router-table = 253"), -1);
	assert_int_equal(PARSE("router-table = 4294967296"), -1);
	assert_int_equal(PARSE("router-table = 12x"), -1);
	assert_int_equal(PARSE("router-table = no-such-table-here"), -1);
	assert_err("router-table: 'no-such-table-here' is not a table number "
		   "or a table name in /etc/iproute2/rt_tables");
}

/* iproute2's rt_tables format: "ID NAME", decimal or hex, comments. */
static void
test_rt_tables(void **state)
{
	static const char text[] = "#\n# reserved values\n#\n255\tlocal\n"
				   "254\tmain\n  42 fff # mesh\n0x1f\thex\n"
				   "#7 commented\nbogus line\n";
	uint32_t id = 0;
	FILE *f;

	(void)state;
	f = fmemopen((void *)text, sizeof(text) - 1, "r");
	assert_true(config_router_rt_tables(f, "fff", &id));
	assert_int_equal(id, 42);
	rewind(f);
	assert_true(config_router_rt_tables(f, "hex", &id));
	assert_int_equal(id, 31);
	rewind(f);
	assert_false(config_router_rt_tables(f, "commented", &id));
	rewind(f);
	assert_false(config_router_rt_tables(f, "line", &id));
	fclose(f);
}

static void
test_mode_fallback(void **state)
{
	(void)state;
	assert_int_equal(PARSE("router-fallback = native"), 0);
	assert_int_equal(cfg.router.fallback, ROUTER_FALLBACK_NATIVE);
	assert_int_equal(PARSE("router-fallback = drop"), -1);
	assert_err("xlatd.conf:1: router-fallback: 'drop' is not unreachable "
		   "or native");
	assert_int_equal(PARSE("router-mode = nat64"), -1);
	assert_err("xlatd.conf:1: router-mode: 'nat64' is not nat44 or "
		   "stateless");
}

/* The LAN-side fast path skips the host's IPv4 forward rules: off unless
 * asked for. */
static void
test_lan_fast_path(void **state)
{
	(void)state;
	assert_int_equal(PARSE("router-lan = 192.168.1.0/24"), 0);
	assert_false(cfg.router.lan_fast_path);
	assert_int_equal(PARSE("router-lan = 192.168.1.0/24",
			       "router-lan-fast-path = yes"),
			 0);
	assert_true(cfg.router.lan_fast_path);
	assert_int_equal(PARSE("router-lan-fast-path = sometimes"), -1);
	assert_err("xlatd.conf:1: router-lan-fast-path: 'sometimes' is not a "
		   "boolean (yes/no, true/false, on/off, 1/0)");
}

/* The stateless entry of LAN prefix i of cfg: IPv6 prefix addr/len. */
static void
assert_eam(unsigned i, const char *addr, unsigned len)
{
	struct xlat_eam e;

	assert_true(config_router_eam(&cfg.router.v6_prefix,
				      &cfg.router.lan[i].prefix, &e));
	assert_prefix6(&e.p6, addr, len);
	assert_int_equal(e.p4.addr.s_addr,
			 cfg.router.lan[i].prefix.addr.s_addr);
	assert_int_equal(e.p4.len, cfg.router.lan[i].prefix.len);
}

/* RFC 7757 entries: a /64 holds the whole IPv4 address in its low 32
 * bits; a /120 holds the last byte of a /24. */
static void
test_stateless(void **state)
{
	(void)state;
	assert_int_equal(PARSE("router-lan = 192.168.1.0/24, 10.0.0.0/23",
			       "router-mode = stateless",
			       "router-v6-prefix = 2001:db8:1:1::/64"),
			 0);
	assert_int_equal(cfg.router.mode, ROUTER_MODE_STATELESS);
	assert_eam(0, "2001:db8:1:1::c0a8:100", 120);
	assert_eam(1, "2001:db8:1:1::a00:0", 119);

	assert_int_equal(PARSE("router-lan = 192.168.1.0/24",
			       "router-mode = stateless",
			       "router-v6-prefix = 2001:db8:1:1:ff::/120"),
			 0);
	assert_eam(0, "2001:db8:1:1:ff::", 120);

	/* a /112 keeps the low 16 bits: 192.168.2.0/23 and 10.0.2.0/23
	 * would share addresses */
	assert_int_equal(PARSE("router-lan = 192.168.2.0/23",
			       "router-mode = stateless",
			       "router-v6-prefix = 2001:db8::/112"),
			 0);
	assert_eam(0, "2001:db8::200", 119);
	assert_int_equal(PARSE("router-lan = 192.168.2.0/23, 10.0.2.0/23",
			       "router-mode = stateless",
			       "router-v6-prefix = 2001:db8::/112"),
			 -1);
	assert_err("xlatd.conf:3: router-v6-prefix: two router-lan prefixes "
		   "map onto the same IPv6 addresses");
}

static void
test_stateless_errors(void **state)
{
	(void)state;
	assert_int_equal(
		PARSE("router-lan = 192.168.1.0/24", "router-mode = stateless"),
		-1);
	assert_err("xlatd.conf:2: router-mode: stateless needs "
		   "router-v6-prefix");
	assert_int_equal(PARSE("router-v6-prefix = 2001:db8::/64",
			       "router-lan = 192.168.1.0/24"),
			 -1);
	assert_err("xlatd.conf:1: router-v6-prefix: only with "
		   "router-mode=stateless");
	assert_int_equal(PARSE("router-mode = stateless", "router-lan = br0",
			       "router-v6-prefix = 2001:db8::/64"),
			 -1);
	assert_err("xlatd.conf:2: router-lan: stateless maps fixed prefixes");
	assert_int_equal(PARSE("router-lan = 192.168.0.0/16",
			       "router-mode = stateless",
			       "router-v6-prefix = 2001:db8::/120"),
			 -1);
	assert_err("xlatd.conf:3: router-v6-prefix: too long for the LAN "
		   "prefixes");
	assert_int_equal(PARSE("router-mode = stateless"), -1);
	assert_err("xlatd.conf:1: router-mode: needs router-lan");
	assert_int_equal(PARSE("router-v6-prefix = 2001:db8::1/64"), -1);
	assert_err("xlatd.conf:1: router-v6-prefix: '2001:db8::1/64' is not "
		   "an IPv6 prefix (IPv6/LEN with LEN 32 to 128, host bits "
		   "zero), or empty");
	assert_int_equal(PARSE("router-v6-prefix = 2001:db8::/16"), -1);
}

/* On the command line, the place is "command line". */
static void
test_command_line(void **state)
{
	(void)state;
	config_init(&cfg);
	assert_int_equal(config_set(&cfg, "router-mode", "stateless",
				    "command line", err, sizeof(err)),
			 0);
	assert_int_equal(config_set(&cfg, "router-lan", "192.168.1.0/24",
				    "command line", err, sizeof(err)),
			 0);
	assert_int_equal(config_finish(&cfg, err, sizeof(err)), -1);
	assert_err("command line: router-mode: stateless needs "
		   "router-v6-prefix");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_lan),
		cmocka_unit_test(test_lan_errors),
		cmocka_unit_test(test_lan_clat_v4),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_rt_tables),
		cmocka_unit_test(test_mode_fallback),
		cmocka_unit_test(test_lan_fast_path),
		cmocka_unit_test(test_stateless),
		cmocka_unit_test(test_stateless_errors),
		cmocka_unit_test(test_command_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
