/* SPDX-License-Identifier: BSD-2-Clause */
/* Router mode's plan (src/daemon/router_plan.c): the policy rules and
 * the nftables table's contents from the router keys, the interfaces'
 * IPv4 addresses and the running CLAT; and the stateless mapping's EAM
 * entries in the translator's configuration (src/daemon/dpcfg.c). */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <linux/rtnetlink.h>

#include "daemon/config.h"
#include "daemon/dpcfg.h"
#include "daemon/router_plan.h"

static struct config cfg;
static struct router_plan plan;
static const struct router_clat clat = {.dev = "clat", .route_mtu = 1472};

static void
configure(const char *lan, const char *mode, const char *v6_prefix)
{
	char err[512] = "";

	config_init(&cfg);
	assert_int_equal(
		config_set(&cfg, "router-lan", lan, "test", err, sizeof(err)),
		0);
	assert_int_equal(config_set(&cfg, "router-table", "100", "test", err,
				    sizeof(err)),
			 0);
	if (mode != NULL)
		assert_int_equal(config_set(&cfg, "router-mode", mode, "test",
					    err, sizeof(err)),
				 0);
	if (v6_prefix != NULL)
		assert_int_equal(config_set(&cfg, "router-v6-prefix", v6_prefix,
					    "test", err, sizeof(err)),
				 0);
	assert_int_equal(config_finish(&cfg, err, sizeof(err)), 0);
}

static struct router_ifaddr
ifaddr(const char *ifname, const char *addr, unsigned len)
{
	struct router_ifaddr a = {.len = len};

	strcpy(a.ifname, ifname);
	assert_int_equal(inet_pton(AF_INET, addr, &a.addr), 1);
	return a;
}

/* Served prefix i: its two rules, main without its defaults first, then
 * router-table; and the source check allows the same. */
static void
assert_rule(unsigned i, const char *src, unsigned len, const char *iif)
{
	const struct rtnl_rule *r = &plan.rule[2 * i];
	char s[INET_ADDRSTRLEN];

	assert_true(2 * i + 1 < plan.rule_count);
	for (unsigned k = 0; k < 2; k++) {
		inet_ntop(AF_INET, &r[k].src, s, sizeof(s));
		assert_string_equal(s, src);
		assert_int_equal(r[k].src_len, len);
		assert_string_equal(r[k].iif, iif);
		assert_int_equal(r[k].priority, ROUTER_RULE_PRIO + k);
	}
	assert_int_equal(r[0].table, RT_TABLE_MAIN);
	assert_true(r[0].suppress_default);
	assert_int_equal(r[1].table, 100);
	assert_false(r[1].suppress_default);
	assert_string_equal(plan.nat.src[i].ifname, iif);
	assert_int_equal(plan.nat.src[i].prefix.addr.s_addr, r[0].src.s_addr);
}

/* Interface items: each address's prefix, once, on that interface only;
 * addresses of other interfaces are not served. */
static void
test_interfaces(void **state)
{
	const struct router_ifaddr a[] = {
		ifaddr("hood1", "192.168.0.1", 23),
		ifaddr("hood1", "192.168.1.7", 23), /* the same /23 */
		ifaddr("hood2", "192.168.2.1", 23),
		ifaddr("hood2", "10.9.8.1", 24),
		ifaddr("up0", "192.0.2.2", 24),
	};

	(void)state;
	configure("hood1 hood2", NULL, NULL);
	router_plan_make(&cfg.router, a, 5, &clat, &plan);
	assert_int_equal(plan.rule_count, 6);
	assert_rule(0, "192.168.0.0", 23, "hood1");
	assert_rule(1, "192.168.2.0", 23, "hood2");
	assert_rule(2, "10.9.8.0", 24, "hood2");
	assert_true(plan.nat.snat);
	assert_true(plan.nat.check_src);
	assert_int_equal(plan.nat.src_count, 3);
	assert_int_equal(plan.nat.ifname_count, 2);
	assert_string_equal(plan.nat.ifname[1], "hood2");
	assert_int_equal(plan.nat.prefix_count, 0);
	assert_string_equal(plan.nat.clat_dev, "clat");
	/* RFC 9293 §3.7.1: the route MTU less the IPv4 and TCP headers */
	assert_int_equal(plan.nat.clamp_mss, 1432);
	assert_int_equal(plan.dropped, 0);
}

/* An interface without an address yet gets no rule, but its SNAT rule
 * by name; a prefix item no interface has an address in is served from
 * any interface. */
static void
test_prefixes(void **state)
{
	(void)state;
	configure("172.17.0.0/16, virbr0", NULL, NULL);
	router_plan_make(&cfg.router, NULL, 0, &clat, &plan);
	assert_int_equal(plan.rule_count, 2);
	assert_rule(0, "172.17.0.0", 16, "");
	assert_int_equal(plan.nat.prefix_count, 1);
	assert_int_equal(plan.nat.ifname_count, 1);
	assert_string_equal(plan.nat.ifname[0], "virbr0");
}

/* A prefix item is served on the interfaces with an address in it, its
 * LAN's: another LAN cannot send from it. */
static void
test_prefix_on_lan(void **state)
{
	const struct router_ifaddr a[] = {
		ifaddr("docker0", "172.17.0.1", 16),
		ifaddr("hood1", "192.168.0.1", 24),
		ifaddr("hood1b", "192.168.1.1", 24),
		ifaddr("up0", "192.0.2.2", 24),
	};

	(void)state;
	configure("172.17.0.0/16 192.168.0.0/23", NULL, NULL);
	router_plan_make(&cfg.router, a, 4, &clat, &plan);
	assert_int_equal(plan.rule_count, 6);
	assert_rule(0, "172.17.0.0", 16, "docker0");
	assert_rule(1, "192.168.0.0", 23, "hood1");
	assert_rule(2, "192.168.0.0", 23, "hood1b");
	assert_int_equal(plan.nat.prefix_count, 2);
}

/* More addresses than rules: the first are served, the rest counted. */
static void
test_too_many(void **state)
{
	struct router_ifaddr a[NAT44_SRC_MAX + 3];
	char addr[INET_ADDRSTRLEN];
	unsigned i;

	(void)state;
	for (i = 0; i < NAT44_SRC_MAX + 3; i++) {
		snprintf(addr, sizeof(addr), "10.0.%u.1", i);
		a[i] = ifaddr("lan0", addr, 24);
	}
	configure("lan0", NULL, NULL);
	router_plan_make(&cfg.router, a, NAT44_SRC_MAX + 3, &clat, &plan);
	assert_int_equal(plan.rule_count, ROUTER_RULES_MAX);
	assert_int_equal(plan.nat.src_count, NAT44_SRC_MAX);
	assert_int_equal(plan.dropped, 3);
	assert_rule(NAT44_SRC_MAX - 1, "10.0.31.0", 24, "lan0");
}

/* router-table main: one rule a prefix, the main table whole. */
static void
test_table_main(void **state)
{
	(void)state;
	configure("10.1.0.0/16", NULL, NULL);
	cfg.router.table = RT_TABLE_MAIN;
	router_plan_make(&cfg.router, NULL, 0, &clat, &plan);
	assert_int_equal(plan.rule_count, 1);
	assert_int_equal(plan.rule[0].table, RT_TABLE_MAIN);
	assert_false(plan.rule[0].suppress_default);
}

/* Stateless: no SNAT, MSS clamping and the source check stay. */
static void
test_stateless(void **state)
{
	(void)state;
	configure("192.168.0.0/23 192.168.2.0/23", "stateless",
		  "2001:db8:5::/64");
	router_plan_make(&cfg.router, NULL, 0, &clat, &plan);
	assert_false(plan.nat.snat);
	assert_true(plan.nat.check_src);
	assert_int_equal(plan.rule_count, 4);
	assert_rule(1, "192.168.2.0", 23, "");
}

static bool
same_rule(void)
{
	return router_plan_same_rule(&plan.rule[0], &plan.rule[1]);
}

static void
test_same_rule(void **state)
{
	(void)state;
	configure("10.1.0.0/16", NULL, NULL);
	router_plan_make(&cfg.router, NULL, 0, &clat, &plan);
	plan.rule[1] = plan.rule[0];
	assert_true(same_rule());
	strcpy(plan.rule[1].iif, "lan0");
	assert_false(same_rule());
	plan.rule[1] = plan.rule[0];
	plan.rule[1].table = 101;
	assert_false(same_rule());
	plan.rule[1] = plan.rule[0];
	plan.rule[1].src_len = 17;
	assert_false(same_rule());
	plan.rule[1] = plan.rule[0];
	plan.rule[1].suppress_default = !plan.rule[0].suppress_default;
	assert_false(same_rule());
}

/* RFC 7757: the stateless mapping's entries follow the CLAT's own in the
 * translator; with NAT44 there are none. */
static void
test_eam(void **state)
{
	struct dp_params p = {.cfg = &cfg, .uplink_mtu = 1500};
	struct xlat_cfg x;
	char s[INET6_ADDRSTRLEN];

	(void)state;
	configure("192.168.0.0/23 192.168.2.0/23", "stateless",
		  "2001:db8:5::/64");
	inet_pton(AF_INET, "192.0.0.1", &p.v4);
	inet_pton(AF_INET6, "fd00::42", &p.v6);
	dpcfg_xlat(&p, &x);
	assert_int_equal(x.eam_count, 3);
	inet_ntop(AF_INET6, &x.eam[2].p6.addr, s, sizeof(s));
	assert_string_equal(s, "2001:db8:5::c0a8:200");
	assert_int_equal(x.eam[2].p6.len, 96 + 23);
	assert_int_equal(x.eam[2].p4.len, 23);
	configure("192.168.0.0/23", NULL, NULL);
	dpcfg_xlat(&p, &x);
	assert_int_equal(x.eam_count, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interfaces),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_prefix_on_lan),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_table_main),
		cmocka_unit_test(test_stateless),
		cmocka_unit_test(test_same_rule),
		cmocka_unit_test(test_eam),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
