/* SPDX-License-Identifier: BSD-2-Clause */
/* src/xlat/addr.c: RFC 6052 §2.2 address format, §2.4 examples, §3.1
 * (no non-global IPv4 addresses behind the Well-Known Prefix). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "run.h"
#include "xlat/core.h"
#include "xlatd/xlat_rfc6052.h"

#define RFC6052_TSV XLAT_CONFORMANCE_DIR "/rfc/rfc6052-address-examples.tsv"

/* RFC 6052 §2.4, Table 1 and Table 2: 192.0.2.33 behind each length. */
static const struct {
	const char *prefix;
	const char *embedded;
} rfc6052_table[] = {
	{"2001:db8::/32", "2001:db8:c000:221::"},
	{"2001:db8:100::/40", "2001:db8:1c0:2:21::"},
	{"2001:db8:122::/48", "2001:db8:122:c000:2:2100::"},
	{"2001:db8:122:300::/56", "2001:db8:122:3c0:0:221::"},
	{"2001:db8:122:344::/64", "2001:db8:122:344:c0:2:2100::"},
	{"2001:db8:122:344::/96", "2001:db8:122:344::192.0.2.33"},
	{"64:ff9b::/96", "64:ff9b::192.0.2.33"},
};
#define TABLE_ROWS (sizeof(rfc6052_table) / sizeof(rfc6052_table[0]))

static const uint8_t v4_example[4] = {192, 0, 2, 33};

static void
assert_embeds(const char *prefix, const char *v4, const char *want)
{
	struct xlat_prefix6 p = pkt_prefix6(prefix);
	struct in6_addr got;
	uint8_t a4[4], w[16], back[4];

	pkt_addr4(v4, a4);
	pkt_addr6(want, w);
	assert_true(xlat_prefix6_valid(&p));
	xlat_rfc6052_embed(&p, a4, &got);
	if (memcmp(got.s6_addr, w, 16) != 0)
		fail_msg("%s + %s is not %s", prefix, v4, want);
	assert_true(xlat_rfc6052_extract(&p, &got, back));
	assert_memory_equal(back, a4, 4);
}

static void
test_rfc6052_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TABLE_ROWS; i++)
		assert_embeds(rfc6052_table[i].prefix, "192.0.2.33",
			      rfc6052_table[i].embedded);
}

/* The same table, as kept in the shared conformance data. */
static void
test_rfc6052_tsv(void **state)
{
	char line[256], prefix[64], v4[32], v6[64];
	unsigned rows = 0;
	FILE *f;

	(void)state;
	if ((f = fopen(RFC6052_TSV, "r")) == NULL) {
		print_message("skipping: %s not found\n", RFC6052_TSV);
		skip();
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if (line[0] == '#' ||
		    sscanf(line, "%63s %31s %63s", prefix, v4, v6) != 3)
			continue;
		assert_embeds(prefix, v4, v6);
		rows++;
	}
	fclose(f);
	assert_int_equal(rows, TABLE_ROWS);
}

/* RFC 6052 §2.2: bits 64-71 are zero and the suffix is zero, whatever
 * the IPv4 address, and the prefix is kept. */
static void
test_embed_u_octet_and_suffix_zero(void **state)
{
	static const uint8_t all_ones[4] = {255, 255, 255, 255};
	size_t i;

	(void)state;
	for (i = 0; i < TABLE_ROWS; i++) {
		struct xlat_prefix6 p = pkt_prefix6(rfc6052_table[i].prefix);
		struct in6_addr a;
		unsigned ones = 0, b;

		xlat_rfc6052_embed(&p, all_ones, &a);
		assert_memory_equal(a.s6_addr, p.addr.s6_addr, p.len / 8);
		assert_int_equal(a.s6_addr[XLAT_RFC6052_U_OCTET], 0);
		for (b = p.len / 8; b < 16; b++)
			ones += a.s6_addr[b] == 0xff;
		assert_int_equal(ones, 4);
		/* the four bytes are the last ones written */
		b = p.len == 96 ? 16 : p.len / 8 + 4 + (p.len <= 64);
		for (; b < 16; b++)
			assert_int_equal(a.s6_addr[b], 0);
	}
}

/* RFC 6052 §2.2: an address with the u-octet set is not one of ours. */
static void
test_extract_refuses_u_octet(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TABLE_ROWS; i++) {
		struct xlat_prefix6 p = pkt_prefix6(rfc6052_table[i].prefix);
		struct in6_addr a;
		uint8_t v4[4];

		pkt_addr6(rfc6052_table[i].embedded, a.s6_addr);
		a.s6_addr[XLAT_RFC6052_U_OCTET] = 0x01;
		assert_false(xlat_rfc6052_extract(&p, &a, v4));
	}
}

/* RFC 6052 §2.2: the suffix "SHOULD be set to zero" and is ignored on
 * input. */
static void
test_extract_ignores_suffix(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TABLE_ROWS; i++) {
		struct xlat_prefix6 p = pkt_prefix6(rfc6052_table[i].prefix);
		unsigned suffix = p.len == 96 ? 16 : p.len / 8 + 5;
		struct in6_addr a;
		uint8_t v4[4];

		pkt_addr6(rfc6052_table[i].embedded, a.s6_addr);
		memset(a.s6_addr + suffix, 0xa5, 16 - suffix);
		assert_true(xlat_rfc6052_extract(&p, &a, v4));
		assert_memory_equal(v4, v4_example, 4);
	}
}

static void
test_extract_other_prefix(void **state)
{
	struct xlat_prefix6 p = pkt_prefix6("2001:db8:122::/48");
	struct in6_addr a;
	uint8_t v4[4];

	(void)state;
	pkt_addr6("2001:db8:123:c000:2:2100::", a.s6_addr);
	assert_false(xlat_rfc6052_extract(&p, &a, v4));
	pkt_addr6("64:ff9b:1::c000:221", a.s6_addr);
	p = pkt_prefix6("64:ff9b::/96");
	assert_false(xlat_rfc6052_extract(&p, &a, v4));
}

static bool
valid(const char *prefix)
{
	struct xlat_prefix6 p = pkt_prefix6(prefix);

	return xlat_prefix6_valid(&p);
}

/* RFC 6052 §2.2: 32, 40, 48, 56, 64 or 96 bits. */
static void
test_prefix6_lengths(void **state)
{
	static const char *const bad[] = {
		"::/0",		  "2000::/8",	    "2001:d00::/24",
		"2001:db8::/31",  "2001:db8::/33",  "2001:db8::/72",
		"2001:db8::/80",  "2001:db8::/88",  "2001:db8::/95",
		"2001:db8::/97",  "2001:db8::/104", "2001:db8::/112",
		"2001:db8::/120", "2001:db8::/128",
	};
	size_t i;

	(void)state;
	for (i = 0; i < TABLE_ROWS; i++)
		assert_true(valid(rfc6052_table[i].prefix));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (valid(bad[i]))
			fail_msg("%s accepted", bad[i]);
}

/* RFC 6052 §2.2: a /96 prefix has the u-octet inside it; it must be 0. */
static void
test_prefix6_u_octet(void **state)
{
	(void)state;
	assert_false(valid("2001:db8:0:0:100::/96"));
	assert_false(valid("2001:db8:0:0:ff00::/96"));
	/* bits 72-79 are ordinary prefix bits */
	assert_true(valid("2001:db8:0:0:1::/96"));
	assert_true(valid("2001:db8:0:0:ff:ffff::/96"));
}

static void
test_prefix6_host_bits(void **state)
{
	(void)state;
	assert_false(valid("2001:db8::1/32"));
	assert_false(valid("2001:db8:100::/32"));
	assert_false(valid("2001:db8:122:344::/56"));
	assert_false(valid("2001:db8:0:1::/48"));
	assert_false(valid("64:ff9b::1/96"));
	assert_false(valid("64:ff9b::1:0/96"));
	assert_false(valid("2001:db8:122:344:0:1::/64"));
}

/* RFC 6052 §3.1 with RFC 5735 §3 / RFC 6890 and RFC 6598 (100.64/10). */
static const char *const non_global[] = {
	"0.1.2.3",     "10.0.0.1",	  "100.64.0.1",	  "100.127.255.254",
	"127.0.0.1",   "169.254.1.1",	  "172.16.0.1",	  "172.31.255.255",
	"192.0.0.170", "192.0.2.33",	  "192.88.99.1",  "192.168.1.1",
	"198.18.0.1",  "198.19.255.255",  "198.51.100.7", "203.0.113.9",
	"224.0.0.251", "239.255.255.250", "240.0.0.1",	  "255.255.255.255",
};

static const char *const global[] = {
	"8.8.8.8",	   "1.1.1.1",	      "9.255.255.255",
	"11.0.0.1",	   "100.63.255.255",  "100.128.0.1",
	"126.255.255.255", "128.0.0.1",	      "169.253.255.255",
	"172.15.255.255",  "172.32.0.1",      "192.0.1.1",
	"192.0.3.1",	   "192.88.98.1",     "192.169.0.1",
	"198.17.255.255",  "198.20.0.1",      "198.51.99.1",
	"203.0.112.1",	   "223.255.255.255",
};

static bool
maps_4to6(const struct xlat_cfg *cfg, const char *s)
{
	uint8_t v4[4], v6[16];

	pkt_addr4(s, v4);
	return addr_map_4to6(cfg, v4, ADDR_ANY, v6);
}

static bool
maps_6to4(const struct xlat_cfg *cfg, const char *s)
{
	struct in6_addr a;
	uint8_t v4[4];
	bool via_pool6;

	pkt_addr4(s, v4);
	xlat_rfc6052_embed(&cfg->pool6, v4, &a);
	return addr_map_6to4(cfg, a.s6_addr, v4, &via_pool6);
}

static void
test_wkp_strict(void **state)
{
	struct xlat_cfg cfg;
	size_t i;

	(void)state;
	xlat_cfg_init(&cfg);
	cfg.has_pool6 = true;
	cfg.pool6 = pkt_prefix6("64:ff9b::/96");
	cfg.wkp_strict = true;
	for (i = 0; i < sizeof(non_global) / sizeof(non_global[0]); i++)
		if (maps_4to6(&cfg, non_global[i]) ||
		    maps_6to4(&cfg, non_global[i]))
			fail_msg("%s mapped under wkp-strict", non_global[i]);
	for (i = 0; i < sizeof(global) / sizeof(global[0]); i++)
		if (!maps_4to6(&cfg, global[i]) || !maps_6to4(&cfg, global[i]))
			fail_msg("%s refused under wkp-strict", global[i]);
	cfg.wkp_strict = false;
	for (i = 0; i < sizeof(non_global) / sizeof(non_global[0]); i++)
		if (!maps_4to6(&cfg, non_global[i]) ||
		    !maps_6to4(&cfg, non_global[i]))
			fail_msg("%s refused without wkp-strict",
				 non_global[i]);
}

/* §3.1 is about the Well-Known Prefix only: a network-specific prefix may
 * hold any address. */
static void
test_wkp_strict_nsp(void **state)
{
	struct xlat_cfg cfg;

	(void)state;
	xlat_cfg_init(&cfg);
	cfg.has_pool6 = true;
	cfg.pool6 = pkt_prefix6("2001:db8:64::/96");
	cfg.wkp_strict = true;
	assert_true(maps_4to6(&cfg, "10.0.0.1"));
	assert_true(maps_6to4(&cfg, "10.0.0.1"));
	cfg.pool6 = pkt_prefix6("64:ff9b:1::/48"); /* RFC 8215 local-use */
	assert_true(maps_4to6(&cfg, "10.0.0.1"));
}

static struct xlat_ctx ctx;

static int
setup(void **state)
{
	(void)state;
	xlat_ctx_init(&ctx, 1);
	return 0;
}

/* What a user sees: packets to or from 64:ff9b::10.0.0.1 are dropped as
 * untranslatable and counted; 8.8.8.8 goes through. */
static void
test_wkp_strict_packets(void **state)
{
	static struct pkt in, out;
	struct xlat_cfg cfg;
	uint8_t want[16];

	(void)state;
	run_cfg(&cfg, "64:ff9b::/96");
	cfg.wkp_strict = true;

	pkt_ipv4(&in, "192.0.0.2", "10.0.0.1");
	pkt_udp(&in, 1000, 53);
	pkt_fill(&in, 20, 1);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_DST_UNTRANSLATABLE);
	assert_int_equal(ctx.stats.drops[XLAT_DROP_DST_UNTRANSLATABLE], 1);

	pkt_ipv6(&in, "64:ff9b::a00:1", "2001:db8:aaaa::2");
	pkt_udp(&in, 53, 1000);
	pkt_fill(&in, 20, 1);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_SRC_UNTRANSLATABLE);
	assert_int_equal(ctx.stats.drops[XLAT_DROP_SRC_UNTRANSLATABLE], 1);

	cfg.wkp_strict = false;
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.family, 4);
	assert_int_equal(pkt_get32(out.b + 12), 0x0a000001);

	cfg.wkp_strict = true;
	pkt_ipv4(&in, "192.0.0.2", "8.8.8.8");
	pkt_udp(&in, 1000, 53);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	pkt_addr6("64:ff9b::808:808", want);
	assert_memory_equal(out.b + 24, want, 16);
}

/* An IPv6 source with the u-octet set is not under the prefix at all. */
static void
test_u_octet_packet(void **state)
{
	static struct pkt in, out;
	struct xlat_cfg cfg;

	(void)state;
	run_cfg(&cfg, "2001:db8::/32");
	pkt_ipv6(&in, "2001:db8:c000:221:100::", "2001:db8:aaaa::2");
	pkt_udp(&in, 53, 1000);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_SRC_UNTRANSLATABLE);

	pkt_ipv6(&in, "2001:db8:c000:221:ff:ffff:ffff:ffff",
		 "2001:db8:aaaa::2");
	pkt_udp(&in, 53, 1000);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_memory_equal(out.b + 12, v4_example, 4);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc6052_table),
		cmocka_unit_test(test_rfc6052_tsv),
		cmocka_unit_test(test_embed_u_octet_and_suffix_zero),
		cmocka_unit_test(test_extract_refuses_u_octet),
		cmocka_unit_test(test_extract_ignores_suffix),
		cmocka_unit_test(test_extract_other_prefix),
		cmocka_unit_test(test_prefix6_lengths),
		cmocka_unit_test(test_prefix6_u_octet),
		cmocka_unit_test(test_prefix6_host_bits),
		cmocka_unit_test(test_wkp_strict),
		cmocka_unit_test(test_wkp_strict_nsp),
		cmocka_unit_test_setup(test_wkp_strict_packets, setup),
		cmocka_unit_test_setup(test_u_octet_packet, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
