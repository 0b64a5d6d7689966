/* SPDX-License-Identifier: BSD-2-Clause */
/* src/xlat/eam.c and its use in addr.c: RFC 7757 explicit address
 * mappings, their lookup order, and hairpinning (RFC 7757 App. B). */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "run.h"
#include "xlat/core.h"

static struct xlat_ctx ctx;
static struct pkt in, out;

static int
setup(void **state)
{
	(void)state;
	xlat_ctx_init(&ctx, 7);
	return 0;
}

static bool
add(struct xlat_cfg *cfg, const char *p6, const char *p4)
{
	struct xlat_prefix6 a = pkt_prefix6(p6);
	struct xlat_prefix4 b = pkt_prefix4(p4);

	return xlat_eam_add(cfg, &a, &b);
}

/* The address v4 maps to through the table and prefix, or "none". */
static const char *
to6(const struct xlat_cfg *cfg, const char *v4)
{
	static char s[INET6_ADDRSTRLEN];
	uint8_t a4[4], a6[16];

	pkt_addr4(v4, a4);
	if (!addr_map_4to6(cfg, a4, ADDR_ANY, a6))
		return "none";
	return inet_ntop(AF_INET6, a6, s, sizeof(s));
}

static const char *
to4(const struct xlat_cfg *cfg, const char *v6)
{
	static char s[INET_ADDRSTRLEN];
	uint8_t a4[4], a6[16];
	bool via_pool6;

	pkt_addr6(v6, a6);
	if (!addr_map_6to4(cfg, a6, a4, &via_pool6))
		return "none";
	return inet_ntop(AF_INET, a4, s, sizeof(s));
}

/* RFC 7757 §3.2: the IPv4 suffix must fit into the IPv6 suffix. */
static void
test_add_suffix_lengths(void **state)
{
	struct xlat_cfg cfg;

	(void)state;
	xlat_cfg_init(&cfg);
	assert_true(add(&cfg, "2001:db8:1c6:3364::/72", "198.51.100.0/24"));
	assert_true(add(&cfg, "2001:db8:1::/112", "10.1.0.0/16"));
	assert_true(add(&cfg, "2001:db8:2::2/128", "10.2.0.2/32"));
	assert_true(add(&cfg, "2001:db8:3::/64", "10.3.0.3/32"));
	assert_int_equal(cfg.eam_count, 4);
	/* IPv4 suffix longer than the IPv6 one: refused, table unchanged */
	assert_false(add(&cfg, "2001:db8:4::/120", "10.4.0.0/16"));
	assert_false(add(&cfg, "2001:db8:5::5/128", "10.5.0.4/31"));
	assert_false(add(&cfg, "::/97", "0.0.0.0/0"));
	assert_int_equal(cfg.eam_count, 4);
	assert_string_equal(to6(&cfg, "10.4.0.1"), "none");
}

static void
test_add_table_full(void **state)
{
	struct xlat_cfg cfg;
	char p6[64], p4[32];
	unsigned i;

	(void)state;
	xlat_cfg_init(&cfg);
	for (i = 0; i < XLAT_EAM_MAX; i++) {
		snprintf(p6, sizeof(p6), "2001:db8::%x/128", i + 1);
		snprintf(p4, sizeof(p4), "10.0.0.%u/32", i + 1);
		assert_true(add(&cfg, p6, p4));
	}
	assert_false(add(&cfg, "2001:db8::ffff/128", "10.0.1.1/32"));
	assert_int_equal(cfg.eam_count, XLAT_EAM_MAX);
	assert_string_equal(to6(&cfg, "10.0.0.64"), "2001:db8::40");
	assert_string_equal(to6(&cfg, "10.0.1.1"), "none");
}

/* Host bits in a configured prefix do not leak into mapped addresses. */
static void
test_add_masks_host_bits(void **state)
{
	struct xlat_cfg cfg;

	(void)state;
	xlat_cfg_init(&cfg);
	assert_true(add(&cfg, "2001:db8::ff/120", "192.0.2.7/24"));
	assert_string_equal(to6(&cfg, "192.0.2.9"), "2001:db8::9");
	assert_string_equal(to4(&cfg, "2001:db8::9"), "192.0.2.9");
}

/* The CLAT's own address: a /32 <-> /128 entry, used for the source of
 * outgoing and the destination of incoming packets. */
static void
test_clat_entry(void **state)
{
	struct xlat_cfg cfg;
	uint8_t a[16];

	(void)state;
	run_cfg(&cfg, "64:ff9b::/96");
	assert_string_equal(to6(&cfg, "192.0.0.2"), "2001:db8:aaaa::2");
	assert_string_equal(to4(&cfg, "2001:db8:aaaa::2"), "192.0.0.2");
	/* its neighbours are not in the entry */
	assert_string_equal(to6(&cfg, "192.0.0.3"), "64:ff9b::c000:3");
	assert_string_equal(to4(&cfg, "2001:db8:aaaa::3"), "none");

	pkt_ipv4(&in, "192.0.0.2", "8.8.8.8");
	pkt_udp(&in, 40000, 53);
	pkt_fill(&in, 30, 3);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	pkt_addr6("2001:db8:aaaa::2", a);
	assert_memory_equal(out.b + 8, a, 16);
	pkt_addr6("64:ff9b::808:808", a);
	assert_memory_equal(out.b + 24, a, 16);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);

	pkt_ipv6(&in, "64:ff9b::808:808", "2001:db8:aaaa::2");
	pkt_udp(&in, 53, 40000);
	pkt_fill(&in, 30, 3);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(pkt_get32(out.b + 12), 0x08080808);
	assert_int_equal(pkt_get32(out.b + 16), 0xc0000002);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
}

/* RFC 7757 §3.2's example: IPv6 suffix (56 bits) longer than the IPv4
 * suffix (8 bits); the IPv4 suffix goes right behind the IPv6 prefix. */
static void
test_unequal_suffixes(void **state)
{
	struct xlat_cfg cfg;

	(void)state;
	xlat_cfg_init(&cfg);
	assert_true(add(&cfg, "2001:db8:1c6:3364::/72", "198.51.100.0/24"));
	assert_string_equal(to6(&cfg, "198.51.100.2"), "2001:db8:1c6:3364:2::");
	assert_string_equal(to6(&cfg, "198.51.100.255"),
			    "2001:db8:1c6:3364:ff::");
	assert_string_equal(to4(&cfg, "2001:db8:1c6:3364:2::"), "198.51.100.2");
	assert_string_equal(to4(&cfg, "2001:db8:1c6:3364:ff::"),
			    "198.51.100.255");
	assert_string_equal(to4(&cfg, "2001:db8:1c6:3365::"), "none");
	assert_string_equal(to6(&cfg, "198.51.101.2"), "none");
}

/* RFC 7757 §3.2: the longest matching IPv6 prefix wins for IPv6 to IPv4,
 * whatever order the entries were added in. */
static void
test_longest_prefix_6to4(void **state)
{
	struct xlat_cfg cfg;
	int order;

	(void)state;
	for (order = 0; order < 2; order++) {
		xlat_cfg_init(&cfg);
		if (order == 0)
			assert_true(
				add(&cfg, "2001:db8:a::/112", "10.1.0.0/16"));
		assert_true(add(&cfg, "2001:db8:a::100/120", "10.2.0.0/24"));
		assert_true(add(&cfg, "2001:db8:a::105/128", "10.3.0.3/32"));
		if (order == 1)
			assert_true(
				add(&cfg, "2001:db8:a::/112", "10.1.0.0/16"));
		assert_string_equal(to4(&cfg, "2001:db8:a::105"), "10.3.0.3");
		assert_string_equal(to4(&cfg, "2001:db8:a::106"), "10.2.0.6");
		assert_string_equal(to4(&cfg, "2001:db8:a::206"), "10.1.2.6");
	}
}

/* The same for IPv4 to IPv6: the longest matching IPv4 prefix wins. */
static void
test_longest_prefix_4to6(void **state)
{
	struct xlat_cfg cfg;
	int order;

	(void)state;
	for (order = 0; order < 2; order++) {
		xlat_cfg_init(&cfg);
		if (order == 0)
			assert_true(
				add(&cfg, "2001:db8:1::/112", "10.0.0.0/16"));
		assert_true(add(&cfg, "2001:db8:2::/120", "10.0.7.0/24"));
		if (order == 1)
			assert_true(
				add(&cfg, "2001:db8:1::/112", "10.0.0.0/16"));
		assert_string_equal(to6(&cfg, "10.0.7.9"), "2001:db8:2::9");
		assert_string_equal(to6(&cfg, "10.0.8.9"), "2001:db8:1::809");
	}
}

/* The table is sorted by IPv6 prefix length only: a longer IPv4 prefix
 * that comes with a shorter IPv6 prefix still wins. */
static void
test_longest_prefix_4to6_unsorted(void **state)
{
	struct xlat_cfg cfg;

	(void)state;
	xlat_cfg_init(&cfg);
	assert_true(add(&cfg, "2001:db8:1::/112", "10.0.0.0/16"));
	assert_true(add(&cfg, "2001:db8:2::/104", "10.0.7.0/24"));
	assert_true(add(&cfg, "2001:db8:3::/96", "10.0.7.9/32"));
	assert_string_equal(to6(&cfg, "10.0.7.9"), "2001:db8:3::");
	assert_string_equal(to6(&cfg, "10.0.7.10"), "2001:db8:2::a:0");
	assert_string_equal(to6(&cfg, "10.0.8.9"), "2001:db8:1::809");
	assert_string_equal(to4(&cfg, "2001:db8:2::a:0"), "10.0.7.10");
}

/* RFC 7757 §3.3: EAM first, then the RFC 6052 prefix. */
static void
test_eam_before_prefix(void **state)
{
	struct xlat_cfg cfg;

	(void)state;
	run_cfg(&cfg, "2001:db8:64::/96");
	assert_true(add(&cfg, "2001:db8:ee::/120", "203.0.113.0/24"));
	assert_string_equal(to6(&cfg, "203.0.113.5"), "2001:db8:ee::5");
	assert_string_equal(to6(&cfg, "203.0.114.5"), "2001:db8:64::cb00:7205");
	assert_string_equal(to4(&cfg, "2001:db8:ee::5"), "203.0.113.5");
	assert_string_equal(to4(&cfg, "2001:db8:64::cb00:7205"), "203.0.114.5");
}

/* RFC 7757 App. B: 2001:db8:6::8 (EAM 198.51.100.8) talks to the pool6
 * address of 198.51.100.9, which is the EAM address of 2001:db8:6::9. */
static void
hairpin_cfg(struct xlat_cfg *cfg)
{
	run_cfg(cfg, "64:ff9b::/96");
	assert_true(add(cfg, "2001:db8:6::/120", "198.51.100.0/24"));
}

static void
assert_hairpinned(const struct pkt *o)
{
	uint8_t a[16];

	assert_int_equal(o->family, 6);
	/* the source is the pool6 form of the EAM IPv4 source */
	pkt_addr6("64:ff9b::198.51.100.8", a);
	assert_memory_equal(o->b + 8, a, 16);
	pkt_addr6("2001:db8:6::9", a);
	assert_memory_equal(o->b + 24, a, 16);
}

static void
test_hairpin_udp(void **state)
{
	struct xlat_cfg cfg;

	(void)state;
	hairpin_cfg(&cfg);
	pkt_ipv6(&in, "2001:db8:6::8", "64:ff9b::198.51.100.9");
	pkt_ttl(&in, 30);
	pkt_udp(&in, 5000, 6000);
	pkt_fill(&in, 100, 4);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_hairpinned(&out);
	assert_int_equal(out.b[6], PKT_UDP);
	assert_int_equal(out.b[7], 29); /* one router hop */
	assert_int_equal(out.len, in.len);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
	assert_memory_equal(out.b + 40, in.b + 40, 4); /* ports */
	assert_memory_equal(out.b + 48, in.b + 48, 100);
	assert_int_equal(ctx.stats.packets_out[XLAT_DIR_46][XLAT_PROTO_UDP], 1);
	assert_int_equal(ctx.drop, XLAT_DROP_NONE);
}

/* A hairpinned packet never takes the IPv4 side, so mtu-v4 does not
 * apply to it: neither a Packet Too Big (mtu-v4 1280) nor IPv4
 * fragments (mtu-v4 576), but the whole packet back as IPv6. */
static void
test_hairpin_ignores_mtu_v4(void **state)
{
	static const uint16_t mtus[] = {1280, 576};
	struct xlat_cfg cfg;
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(mtus) / sizeof(mtus[0]); i++) {
		hairpin_cfg(&cfg);
		cfg.mtu_v4 = mtus[i];
		pkt_ipv6(&in, "2001:db8:6::8", "64:ff9b::198.51.100.9");
		pkt_udp(&in, 5000, 6000);
		pkt_fill(&in, 1400 - 48, 4);
		pkt_finish(&in);
		assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
		run_out(&ctx, 0, &out);
		assert_hairpinned(&out);
		assert_int_equal(out.len, 1400);
		assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
		assert_memory_equal(out.b + 48, in.b + 48, 1400 - 48);
		assert_int_equal(ctx.drop, XLAT_DROP_NONE);
	}
}

static void
test_hairpin_echo(void **state)
{
	struct xlat_cfg cfg;

	(void)state;
	hairpin_cfg(&cfg);
	pkt_ipv6(&in, "2001:db8:6::8", "64:ff9b::198.51.100.9");
	pkt_icmp(&in, 128, 0, 0x4d2a0001);
	pkt_fill(&in, 56, 5);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_hairpinned(&out);
	assert_int_equal(out.b[6], PKT_ICMPV6);
	assert_int_equal(out.b[40], 128);
	assert_int_equal(pkt_get32(out.b + 44), 0x4d2a0001);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
	assert_memory_equal(out.b + 48, in.b + 48, 56);
}

/* A hairpinned ICMPv6 error with an RFC 4884 extension: 2001:db8:6::8
 * reports a hop-limit expiry for a packet 2001:db8:6::9 sent it. */
static void
test_hairpin_error_with_extension(void **state)
{
	static struct pkt inner;
	static const uint8_t ext[12] = {0x20, 0, 0x12, 0x34, 0,	  8,
					1,    1, 'x',  'l',  'a', 't'};
	struct xlat_cfg cfg;
	uint8_t a[16];
	size_t attr;

	(void)state;
	hairpin_cfg(&cfg);
	pkt_ipv6(&inner, "64:ff9b::198.51.100.9", "2001:db8:6::8");
	pkt_ttl(&inner, 1);
	pkt_udp(&inner, 6000, 5000);
	pkt_fill(&inner, 80, 6);
	pkt_finish(&inner); /* 128 bytes: 16 units of 8 */

	pkt_ipv6(&in, "2001:db8:6::8", "64:ff9b::198.51.100.9");
	pkt_icmp(&in, 3, 0, 16u << 24);
	pkt_data(&in, inner.b, inner.len);
	pkt_data(&in, ext, sizeof(ext));
	pkt_finish(&in);

	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_hairpinned(&out);
	assert_int_equal(out.b[40], 3);
	assert_int_equal(out.b[41], 0);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
	/* the quoted packet is the one 2001:db8:6::9 sent */
	pkt_addr6("2001:db8:6::9", a);
	assert_memory_equal(out.b + 48 + 8, a, 16);
	pkt_addr6("64:ff9b::198.51.100.8", a);
	assert_memory_equal(out.b + 48 + 24, a, 16);
	assert_int_equal(out.b[48 + 7], 1);
	assert_memory_equal(out.b + 48 + 48, inner.b + 48, 80);
	/* RFC 4884 §4.6: the length attribute (8-byte units) points at the
	 * extension, which ends the message unchanged */
	attr = (size_t)out.b[44] * 8;
	assert_true(attr >= 128);
	assert_int_equal(out.len, 48 + attr + sizeof(ext));
	assert_memory_equal(out.b + 48 + attr, ext, sizeof(ext));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_suffix_lengths),
		cmocka_unit_test(test_add_table_full),
		cmocka_unit_test(test_add_masks_host_bits),
		cmocka_unit_test_setup(test_clat_entry, setup),
		cmocka_unit_test(test_unequal_suffixes),
		cmocka_unit_test(test_longest_prefix_6to4),
		cmocka_unit_test(test_longest_prefix_4to6),
		cmocka_unit_test(test_longest_prefix_4to6_unsorted),
		cmocka_unit_test(test_eam_before_prefix),
		cmocka_unit_test_setup(test_hairpin_udp, setup),
		cmocka_unit_test_setup(test_hairpin_ignores_mtu_v4, setup),
		cmocka_unit_test_setup(test_hairpin_echo, setup),
		cmocka_unit_test_setup(test_hairpin_error_with_extension,
				       setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
