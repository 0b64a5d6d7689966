/* SPDX-License-Identifier: BSD-2-Clause */
/* src/xlat/icmp.c: ICMP <-> ICMPv6 types, codes, pointers (RFC 7915 §4.2
 * Figure 3, §5.2 Figure 6) and MTUs, on whole packets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "run.h"

static struct xlat_cfg cfg;
static struct xlat_ctx ctx;
static struct pkt in, out;

static int
setup(void **state)
{
	(void)state;
	run_cfg(&cfg, "2001:db8:64::/96");
	xlat_ctx_init(&ctx, 17);
	return 0;
}

/* An ICMPv4 message from the router 203.0.113.1 to the CLAT 192.0.0.2,
 * about a UDP packet the CLAT sent to 198.51.100.2. inner_len sets the
 * inner Total Length when nonzero (a quote shorter than the packet). */
static void
icmp4(struct pkt *p, uint8_t type, uint8_t code, uint32_t rest,
      uint16_t inner_len)
{
	static struct pkt inner;

	pkt_ipv4(&inner, "192.0.0.2", "198.51.100.2");
	pkt_ttl(&inner, 63);
	pkt_udp(&inner, 40000, 53);
	pkt_fill(&inner, 20, 1);
	pkt_finish(&inner);
	if (inner_len != 0) {
		pkt_put16(inner.b + 2, inner_len);
		pkt_put16(inner.b + 10, 0);
		pkt_put16(inner.b + 10,
			  (uint16_t)~pkt_ipv4_header_sum(inner.b));
	}
	pkt_ipv4(p, "203.0.113.1", "192.0.0.2");
	pkt_icmp(p, type, code, rest);
	pkt_data(p, inner.b, inner.len);
	pkt_finish(p);
}

/* The same from 2001:db8:64::cb00:7101 to 2001:db8:aaaa::2. */
static void
icmp6(struct pkt *p, uint8_t type, uint8_t code, uint32_t rest)
{
	static struct pkt inner;

	pkt_ipv6(&inner, "2001:db8:aaaa::2", "2001:db8:64::c633:6402");
	pkt_ttl(&inner, 63);
	pkt_udp(&inner, 40000, 53);
	pkt_fill(&inner, 20, 1);
	pkt_finish(&inner);
	pkt_ipv6(p, "2001:db8:64::cb00:7101", "2001:db8:aaaa::2");
	pkt_icmp(p, type, code, rest);
	pkt_data(p, inner.b, inner.len);
	pkt_finish(p);
}

struct row {
	uint8_t type, code;
	uint32_t rest; /* bytes 4-7 in */
	bool drop;
	uint8_t out_type, out_code;
	uint32_t out_rest; /* bytes 4-7 out */
};

#define DROP(t, c)                         \
	{                                  \
		(t), (c), 0, true, 0, 0, 0 \
	}

static void
check_row(const struct row *r, int family)
{
	unsigned n;
	size_t l4;

	xlat_ctx_init(&ctx, 1);
	if (family == 4)
		icmp4(&in, r->type, r->code, r->rest, 0);
	else
		icmp6(&in, r->type, r->code, r->rest);
	n = run_xlat(&cfg, &ctx, &in);
	if (r->drop) {
		if (n != 0 || ctx.drop != XLAT_DROP_ICMP_TYPE)
			fail_msg("v%d %u/%u: %u out, drop %s", family, r->type,
				 r->code, n, xlat_drop_name(ctx.drop));
		assert_int_equal(ctx.stats.drops[XLAT_DROP_ICMP_TYPE], 1);
		return;
	}
	if (n != 1)
		fail_msg("v%d %u/%u: dropped (%s)", family, r->type, r->code,
			 xlat_drop_name(ctx.drop));
	run_out(&ctx, 0, &out);
	l4 = family == 4 ? 40 : 20;
	if (out.b[l4] != r->out_type || out.b[l4 + 1] != r->out_code ||
	    pkt_get32(out.b + l4 + 4) != r->out_rest)
		fail_msg("v%d %u/%u: got %u/%u %08x, want %u/%u %08x", family,
			 r->type, r->code, out.b[l4], out.b[l4 + 1],
			 pkt_get32(out.b + l4 + 4), r->out_type, r->out_code,
			 r->out_rest);
	assert_int_equal(out.b[family == 4 ? 6 : 9],
			 family == 4 ? PKT_ICMPV6 : PKT_ICMP);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
}

/* RFC 7915 §4.2: ICMPv4 errors. */
static const struct row errors_4to6[] = {
	{3, 0, 0, false, 1, 0, 0},	 /* net unreachable: no route */
	{3, 1, 0, false, 1, 0, 0},	 /* host unreachable */
	{3, 2, 0, false, 4, 1, 6},	 /* protocol: Next Header */
	{3, 3, 0, false, 1, 4, 0},	 /* port unreachable */
	{3, 4, 1400, false, 2, 0, 1420}, /* fragmentation needed */
	{3, 5, 0, false, 1, 0, 0},	 /* source route failed */
	{3, 6, 0, false, 1, 0, 0},	 /* 6-8: unknown, isolated */
	{3, 7, 0, false, 1, 0, 0},
	{3, 8, 0, false, 1, 0, 0},
	{3, 9, 0, false, 1, 1, 0}, /* 9, 10: prohibited */
	{3, 10, 0, false, 1, 1, 0},
	{3, 11, 0, false, 1, 0, 0}, /* 11, 12: TOS */
	{3, 12, 0, false, 1, 0, 0},
	{3, 13, 0, false, 1, 1, 0}, /* administratively prohibited */
	DROP(3, 14),		    /* host precedence violation */
	{3, 15, 0, false, 1, 1, 0}, /* precedence cutoff */
	DROP(3, 16),
	DROP(3, 255),
	{11, 0, 0, false, 3, 0, 0}, /* time exceeded: code copied */
	{11, 1, 0, false, 3, 1, 0},
	{12, 0, 8u << 24, false, 4, 0, 7}, /* TTL -> Hop Limit */
	DROP(12, 1),			   /* missing a required option */
	{12, 2, 9u << 24, false, 4, 0, 6}, /* bad length: as code 0 */
	DROP(12, 3),
	DROP(4, 0), /* source quench */
	DROP(5, 0), /* redirect */
	DROP(5, 1),
	DROP(6, 0), /* alternate host address */
	DROP(31, 0),
	DROP(40, 0),
};

/* RFC 7915 §4.2: informational messages. */
static const struct row info_4to6[] = {
	{8, 0, 0xd00d0003, false, 128, 0, 0xd00d0003}, /* echo */
	{0, 0, 0xd00d0004, false, 129, 0, 0xd00d0004}, /* echo reply */
	DROP(8, 1),
	DROP(0, 1),
	DROP(9, 0),  /* router advertisement */
	DROP(10, 0), /* router solicitation */
	DROP(13, 0), /* timestamp */
	DROP(14, 0),
	DROP(15, 0), /* information request */
	DROP(16, 0),
	DROP(17, 0), /* address mask */
	DROP(18, 0),
	DROP(255, 0),
};

/* RFC 7915 §5.2: ICMPv6 errors. */
static const struct row errors_6to4[] = {
	{1, 0, 0, false, 3, 1, 0},  /* no route: host unreachable */
	{1, 1, 0, false, 3, 10, 0}, /* prohibited */
	{1, 2, 0, false, 3, 1, 0},  /* beyond scope */
	{1, 3, 0, false, 3, 1, 0},  /* address unreachable */
	{1, 4, 0, false, 3, 3, 0},  /* port unreachable */
	DROP(1, 5),		    /* source address failed policy */
	DROP(1, 6),		    /* reject route */
	DROP(1, 7),
	{2, 0, 1500, false, 3, 4, 1480}, /* packet too big */
	DROP(2, 1),
	{3, 0, 0, false, 11, 0, 0},	   /* hop limit exceeded */
	{3, 1, 0, false, 11, 1, 0},	   /* reassembly time exceeded */
	{4, 0, 7, false, 12, 0, 8u << 24}, /* Hop Limit -> TTL */
	{4, 1, 40, false, 3, 2, 0},	   /* next header: protocol */
	DROP(4, 2),			   /* unrecognized option */
	DROP(4, 3),
	DROP(5, 0), /* unassigned error types */
	DROP(100, 0),
	DROP(127, 0),
};

/* RFC 7915 §5.2: informational messages; MLD and ND are single-hop. */
static const struct row info_6to4[] = {
	{128, 0, 0xd00d0003, false, 8, 0, 0xd00d0003},
	{129, 0, 0xd00d0004, false, 0, 0, 0xd00d0004},
	DROP(128, 1),
	DROP(129, 1),
	DROP(130, 0), /* MLD query, report, done */
	DROP(131, 0),
	DROP(132, 0),
	DROP(133, 0), /* router solicitation, advertisement */
	DROP(134, 0),
	DROP(135, 0), /* neighbour solicitation, advertisement */
	DROP(136, 0),
	DROP(137, 0), /* redirect */
	DROP(143, 0), /* MLDv2 report */
	DROP(200, 0), /* private experimentation */
	DROP(255, 0),
};

#define ROWS(t) (sizeof(t) / sizeof((t)[0]))

static void
test_errors_4to6(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(errors_4to6); i++)
		check_row(&errors_4to6[i], 4);
}

/* Echo keeps its identifier, sequence number and data. */
static void
test_info_4to6(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(info_4to6); i++) {
		const struct row *r = &info_4to6[i];

		xlat_ctx_init(&ctx, 1);
		pkt_ipv4(&in, "192.0.0.2", "198.51.100.2");
		pkt_icmp(&in, r->type, r->code, r->rest);
		pkt_fill(&in, 37, 2);
		pkt_finish(&in);
		if (r->drop) {
			assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
			assert_int_equal(ctx.drop, XLAT_DROP_ICMP_TYPE);
			continue;
		}
		assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
		run_out(&ctx, 0, &out);
		assert_int_equal(out.b[6], PKT_ICMPV6);
		assert_int_equal(out.b[40], r->out_type);
		assert_int_equal(out.b[41], 0);
		assert_int_equal(pkt_get32(out.b + 44), r->out_rest);
		assert_memory_equal(out.b + 48, in.b + 28, 37);
		assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
	}
}

static void
test_errors_6to4(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(errors_6to4); i++)
		check_row(&errors_6to4[i], 6);
}

static void
test_info_6to4(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(info_6to4); i++) {
		const struct row *r = &info_6to4[i];

		xlat_ctx_init(&ctx, 1);
		pkt_ipv6(&in, "2001:db8:64::c633:6402", "2001:db8:aaaa::2");
		pkt_icmp(&in, r->type, r->code, r->rest);
		pkt_fill(&in, 37, 3);
		pkt_finish(&in);
		if (r->drop) {
			assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
			assert_int_equal(ctx.drop, XLAT_DROP_ICMP_TYPE);
			continue;
		}
		assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
		run_out(&ctx, 0, &out);
		assert_int_equal(out.b[9], PKT_ICMP);
		assert_int_equal(out.b[20], r->out_type);
		assert_int_equal(out.b[21], 0);
		assert_int_equal(pkt_get32(out.b + 24), r->out_rest);
		assert_memory_equal(out.b + 28, in.b + 48, 37);
		assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
	}
}

/* Echo checksums are updated incrementally (RFC 1624): a wrong one stays
 * wrong by the same amount, in both directions. */
static void
test_echo_wrong_checksum(void **state)
{
	uint16_t before;

	(void)state;
	pkt_ipv4(&in, "192.0.0.2", "198.51.100.2");
	pkt_icmp(&in, 8, 0, 0x00010002);
	pkt_fill(&in, 21, 4);
	pkt_finish(&in);
	in.b[22] ^= 0x44;
	before = pkt_l4_sum(in.b, in.len);
	assert_int_not_equal(before, 0xffff);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(pkt_l4_sum(out.b, out.len), before);

	pkt_ipv6(&in, "2001:db8:64::c633:6402", "2001:db8:aaaa::2");
	pkt_icmp(&in, 129, 0, 0x00010002);
	pkt_fill(&in, 21, 5);
	pkt_finish(&in);
	in.b[43] ^= 0x11;
	before = pkt_l4_sum(in.b, in.len);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(pkt_l4_sum(out.b, out.len), before);
}

/* RFC 7915 §4.2 Figure 3: IPv4 header pointer -> IPv6 header pointer;
 * -1: no IPv6 counterpart, dropped. */
static const int figure3[20] = {
	0,  1,	4, 4, -1, -1, -1, -1, 7,  6,  /* 0-9 */
	-1, -1, 8, 8, 8,  8,  24, 24, 24, 24, /* 10-19 */
};

static void
test_pointer_4to6(void **state)
{
	static const uint8_t beyond[] = {20, 21, 24, 40, 255};
	unsigned p;

	(void)state;
	for (p = 0; p < 20; p++) {
		struct row r = {12,
				0,
				p << 24,
				figure3[p] < 0,
				4,
				0,
				(uint32_t)figure3[p]};

		check_row(&r, 4);
	}
	for (p = 0; p < sizeof(beyond); p++) {
		struct row r = DROP(12, 0);

		r.rest = (uint32_t)beyond[p] << 24;
		check_row(&r, 4);
	}
}

/* RFC 7915 §5.2 Figure 6: IPv6 header pointer -> IPv4 header pointer. */
static int
figure6(unsigned p)
{
	if (p <= 1)
		return (int)p; /* version, traffic class */
	if (p <= 3)
		return -1; /* flow label */
	if (p <= 5)
		return 2; /* payload length -> total length */
	if (p == 6)
		return 9; /* next header -> protocol */
	if (p == 7)
		return 8; /* hop limit -> TTL */
	if (p <= 23)
		return 12; /* source address */
	if (p <= 39)
		return 16; /* destination address */
	return -1;
}

static void
test_pointer_6to4(void **state)
{
	static const uint32_t beyond[] = {40, 41, 48, 1000, 0x80000000u};
	unsigned p;

	(void)state;
	for (p = 0; p < 40; p++) {
		struct row r = {4,
				0,
				p,
				figure6(p) < 0,
				12,
				0,
				(uint32_t)figure6(p) << 24};

		check_row(&r, 6);
	}
	for (p = 0; p < sizeof(beyond) / sizeof(beyond[0]); p++) {
		struct row r = DROP(4, 0);

		r.rest = beyond[p];
		check_row(&r, 6);
	}
}

static uint32_t
ptb_mtu(uint16_t mtu, uint16_t inner_len)
{
	unsigned n;

	xlat_ctx_init(&ctx, 1);
	icmp4(&in, 3, 4, mtu, inner_len);
	n = run_xlat(&cfg, &ctx, &in);
	if (n != 1)
		fail_msg("MTU %u dropped: %s", mtu, xlat_drop_name(ctx.drop));
	run_out(&ctx, 0, &out);
	assert_int_equal(out.b[40], 2);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
	return pkt_get32(out.b + 44);
}

/* RFC 7915 §4.2: MTU = min(MTU + 20, IPv6 next-hop MTU, IPv4 next-hop MTU
 * + 20), never below 1280 (RFC 8200 §5). */
static void
test_mtu_4to6(void **state)
{
	(void)state;
	assert_int_equal(ptb_mtu(1400, 0), 1420);
	assert_int_equal(ptb_mtu(1480, 0), 1500);
	assert_int_equal(ptb_mtu(1500, 0), 1500); /* mtu_v6 */
	assert_int_equal(ptb_mtu(1260, 0), 1280);
	assert_int_equal(ptb_mtu(576, 0), 1280);
	assert_int_equal(ptb_mtu(68, 0), 1280);
	cfg.mtu_v4 = 1400;
	assert_int_equal(ptb_mtu(1480, 0), 1420); /* mtu_v4 + 20 */
}

/* RFC 7915 §4.2: an MTU of 0 (a pre-RFC 1191 router): the greatest RFC
 * 1191 §7 plateau below the quoted Total Length. */
static void
test_mtu_4to6_plateau(void **state)
{
	(void)state;
	cfg.mtu_v4 = 9000;
	cfg.mtu_v6 = 9000;
	assert_int_equal(ptb_mtu(0, 1500), 1492 + 20);
	assert_int_equal(ptb_mtu(0, 1492), 1280); /* 1006 + 20 < 1280 */
	assert_int_equal(ptb_mtu(0, 9000), 8166 + 20);
	assert_int_equal(ptb_mtu(0, 4400), 4352 + 20);
	assert_int_equal(ptb_mtu(0, 1000), 1280);
	cfg.mtu_v6 = 1500;
	assert_int_equal(ptb_mtu(0, 9000), 1500);
}

static uint16_t
frag_needed_mtu(uint32_t mtu)
{
	xlat_ctx_init(&ctx, 1);
	icmp6(&in, 2, 0, mtu);
	if (run_xlat(&cfg, &ctx, &in) != 1)
		fail_msg("MTU %u dropped: %s", mtu, xlat_drop_name(ctx.drop));
	run_out(&ctx, 0, &out);
	assert_int_equal(out.b[20], 3);
	assert_int_equal(out.b[21], 4);
	assert_int_equal(pkt_get16(out.b + 24), 0);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
	return pkt_get16(out.b + 26);
}

/* RFC 7915 §5.2: MTU = min(MTU - 20, IPv4 next-hop MTU, IPv6 next-hop MTU
 * - 20). */
static void
test_mtu_6to4(void **state)
{
	(void)state;
	assert_int_equal(frag_needed_mtu(1500), 1480);
	assert_int_equal(frag_needed_mtu(1280), 1260);
	assert_int_equal(frag_needed_mtu(9000), 1480); /* mtu_v6 - 20 */
	cfg.mtu_v6 = 9000;
	assert_int_equal(frag_needed_mtu(9000), 1500); /* mtu_v4 */
	cfg.mtu_v4 = 65535;
	cfg.mtu_v6 = 65535;
	assert_int_equal(frag_needed_mtu(100000), 65515);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_errors_4to6),	     T(test_info_4to6),
		T(test_errors_6to4),	     T(test_info_6to4),
		T(test_echo_wrong_checksum), T(test_pointer_4to6),
		T(test_pointer_6to4),	     T(test_mtu_4to6),
		T(test_mtu_4to6_plateau),    T(test_mtu_6to4),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
