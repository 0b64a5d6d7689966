/* SPDX-License-Identifier: BSD-2-Clause */
/* src/xlat/xlat64.c and ipv6.c: IPv6 to IPv4, RFC 7915 §5.1 (header and
 * extension headers), §5.1.1 (fragments), §5.4 (errors the translator
 * sends), §5.5 (TCP/UDP/other protocols). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "run.h"
#include "xlatd/xlat_icmp.h"

static struct xlat_cfg cfg;
static struct xlat_ctx ctx;
static struct pkt in, out;

/* Replies from 198.51.100.2 (2001:db8:64::/96) to the CLAT 192.0.0.2
 * (EAM to 2001:db8:aaaa::2). */
#define SRC6 "2001:db8:64::c633:6402"
#define DST6 "2001:db8:aaaa::2"

static int
setup(void **state)
{
	(void)state;
	run_cfg(&cfg, "2001:db8:64::/96");
	xlat_ctx_init(&ctx, 13);
	return 0;
}

static void
udp6(struct pkt *p, size_t data_len, uint32_t seed)
{
	pkt_ipv6(p, SRC6, DST6);
	pkt_udp(p, 53, 40000);
	pkt_fill(p, data_len, seed);
	pkt_finish(p);
}

static void
assert_ipv4(const struct pkt *o, size_t payload_len, uint8_t proto)
{
	assert_int_equal(o->family, 4);
	assert_int_equal(o->b[0], 0x45);
	assert_int_equal(o->len, 20 + payload_len);
	assert_int_equal(pkt_get16(o->b + 2), o->len);
	assert_int_equal(o->b[9], proto);
	assert_int_equal(pkt_ipv4_header_sum(o->b), 0xffff);
	assert_int_equal(pkt_get32(o->b + 12), 0xc6336402);
	assert_int_equal(pkt_get32(o->b + 16), 0xc0000002);
}

/* One ICMPv6 error from own6 back to the sender, quoting the packet up
 * to 1280 bytes (RFC 4443 §2.4(c)). */
static void
assert_icmp6_error(unsigned n, uint8_t type, uint8_t code, uint32_t param,
		   const struct pkt *orig)
{
	size_t quote = orig->len < 1232 ? orig->len : 1232;
	uint8_t own6[16];

	assert_int_equal(n, 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.family, 6);
	assert_int_equal(out.len, 48 + quote);
	assert_int_equal(pkt_get16(out.b + 4), 8 + quote);
	assert_int_equal(out.b[6], PKT_ICMPV6);
	pkt_addr6("2001:db8:aaaa::1", own6);
	assert_memory_equal(out.b + 8, own6, 16);
	assert_memory_equal(out.b + 24, orig->b + 8, 16);
	assert_int_equal(out.b[40], type);
	assert_int_equal(out.b[41], code);
	assert_int_equal(pkt_get32(out.b + 44), param);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
	assert_memory_equal(out.b + 48, orig->b, quote);
	assert_int_equal(ctx.stats.icmp_generated[XLAT_DIR_64], 1);
}

static void
test_header_fields(void **state)
{
	(void)state;
	udp6(&in, 40, 1);
	pkt_tos(&in, 0xb9);
	pkt_flow(&in, 0x12345);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_ipv4(&out, 48, PKT_UDP);
	assert_int_equal(out.b[1], 0xb9);
	assert_int_not_equal(pkt_get16(out.b + 4), 0); /* generated ID */
	assert_int_equal(pkt_get16(out.b + 6), 0);     /* DF 0, no offset */
	assert_int_equal(out.b[8], 63);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
	assert_memory_equal(out.b + 20, in.b + 40, 6);
	assert_memory_equal(out.b + 28, in.b + 48, 40);
	assert_int_equal(ctx.stats.packets_out[XLAT_DIR_64][XLAT_PROTO_UDP], 1);
}

static void
test_reset_tc_no_decrement(void **state)
{
	(void)state;
	cfg.reset_traffic_class = true;
	cfg.decrement_ttl = false;
	udp6(&in, 10, 2);
	pkt_tos(&in, 0xfc);
	pkt_ttl(&in, 1);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.b[1], 0);
	assert_int_equal(out.b[8], 1);
}

/* RFC 7915 §5.1: up to 1260 bytes of IPv4, DF = 0 with an Identification
 * of our choosing (RFC 6864); above, DF = 1. */
static void
test_df_rule(void **state)
{
	uint16_t id1, id2;

	(void)state;
	udp6(&in, 1260 - 28, 3);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.len, 1260);
	assert_int_equal(pkt_get16(out.b + 6), 0);
	id1 = pkt_get16(out.b + 4);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	id2 = pkt_get16(out.b + 4);
	assert_int_not_equal(id1, 0);
	assert_int_not_equal(id2, 0);
	assert_int_not_equal(id1, id2);

	udp6(&in, 1261 - 28, 3);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.len, 1261);
	assert_int_equal(pkt_get16(out.b + 6), PKT_DF);
}

/* RFC 7915 §5.1.1: Identification from the low 16 bits, MF from M, the
 * offset copied, DF = 0. */
static void
test_fragment_header(void **state)
{
	static struct pkt whole, frag;
	static uint8_t data[1008];
	unsigned i;

	(void)state;
	udp6(&whole, 1000, 4);
	for (i = 0; i < 2; i++) {
		pkt_split6(&whole, i * 504, 504, i == 0, 0x89abcdef, &frag);
		assert_int_equal(run_xlat(&cfg, &ctx, &frag), 1);
		run_out(&ctx, 0, &out);
		assert_ipv4(&out, 504, PKT_UDP);
		assert_int_equal(pkt_get16(out.b + 4), 0xcdef);
		assert_int_equal(pkt_get16(out.b + 6),
				 i == 0 ? PKT_MF : 504 / 8);
		assert_int_equal(out.b[8], 63);
		if (i == 0)
			assert_memory_equal(out.b + 28, whole.b + 48, 496);
		else
			assert_memory_equal(out.b + 20, whole.b + 40 + 504,
					    504);
		memcpy(data + i * 504, out.b + 20, 504);
	}
	/* reassembled, the UDP checksum holds under the IPv4 pseudo-header */
	memcpy(out.b + 20, data, 1008);
	pkt_put16(out.b + 2, 1028);
	assert_int_equal(pkt_l4_sum(out.b, 1028), 0xffff);
}

/* An atomic fragment (offset 0, M = 0) becomes an unfragmented packet
 * that keeps the Identification (RFC 7915 §5.1.1, RFC 8021). */
static void
test_atomic_fragment(void **state)
{
	(void)state;
	pkt_ipv6(&in, SRC6, DST6);
	pkt_fraghdr(&in, 0, false, 0x12345678);
	pkt_udp(&in, 53, 40000);
	pkt_fill(&in, 20, 5);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_ipv4(&out, 28, PKT_UDP);
	assert_int_equal(pkt_get16(out.b + 4), 0x5678);
	assert_int_equal(pkt_get16(out.b + 6), 0);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
	assert_memory_equal(out.b + 28, in.b + 56, 20);
}

/* RFC 7915 §5.1: Hop-by-Hop, Destination Options and a Routing header
 * with Segments Left 0 are not translated: the IPv4 packet has none. */
static void
test_ext_headers_skipped(void **state)
{
	(void)state;
	pkt_ipv6(&in, SRC6, DST6);
	pkt_hopopts(&in, 8);
	pkt_dstopts(&in, 16);
	pkt_routing(&in, 0);
	pkt_udp(&in, 53, 40000);
	pkt_fill(&in, 30, 6);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_ipv4(&out, 38, PKT_UDP);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
	assert_memory_equal(out.b + 28, in.b + 40 + 48 + 8, 30);
}

/* RFC 7915 §5.1: Segments Left != 0: Parameter Problem 4/0 pointing at
 * the Segments Left field (here 40 + 8 + 3). */
static void
test_routing_segments_left(void **state)
{
	(void)state;
	pkt_ipv6(&in, SRC6, DST6);
	pkt_hopopts(&in, 8);
	pkt_routing(&in, 2);
	pkt_udp(&in, 53, 40000);
	pkt_fill(&in, 30, 7);
	pkt_finish(&in);
	assert_icmp6_error(run_xlat(&cfg, &ctx, &in), ICMP6_PARAM_PROBLEM, 0,
			   51, &in);
	assert_int_equal(ctx.drop, XLAT_DROP_ROUTING_HEADER);
	assert_int_equal(ctx.stats.drops[XLAT_DROP_ROUTING_HEADER], 1);
}

/* RFC 7915 §5.4 / RFC 4443 §3.3: hop limit exhausted: 3/0 from own6,
 * within 1280 bytes. */
static void
test_hop_limit_expired(void **state)
{
	(void)state;
	udp6(&in, 30, 8);
	pkt_ttl(&in, 1);
	assert_icmp6_error(run_xlat(&cfg, &ctx, &in), ICMP6_TIME_EXCEEDED, 0, 0,
			   &in);
	assert_int_equal(ctx.drop, XLAT_DROP_TTL_EXPIRED);

	xlat_ctx_init(&ctx, 1);
	udp6(&in, 1400, 8);
	pkt_ttl(&in, 0);
	assert_icmp6_error(run_xlat(&cfg, &ctx, &in), ICMP6_TIME_EXCEEDED, 0, 0,
			   &in);
	assert_int_equal(out.len, 1280);

	xlat_ctx_init(&ctx, 1);
	udp6(&in, 1233 - 48, 8); /* one byte too many */
	pkt_ttl(&in, 1);
	assert_icmp6_error(run_xlat(&cfg, &ctx, &in), ICMP6_TIME_EXCEEDED, 0, 0,
			   &in);
	assert_int_equal(out.len, 1280);
}

/* RFC 4443 §2.4(e): no error about an ICMPv6 error, nor about a fragment
 * other than the first. */
static void
test_no_error_about_error(void **state)
{
	static struct pkt inner, whole;

	(void)state;
	pkt_ipv6(&inner, DST6, SRC6);
	pkt_udp(&inner, 1, 2);
	pkt_finish(&inner);
	pkt_ipv6(&in, SRC6, DST6);
	pkt_ttl(&in, 1);
	pkt_icmp(&in, 1, 4, 0);
	pkt_data(&in, inner.b, inner.len);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_TTL_EXPIRED);

	udp6(&whole, 300, 15);
	pkt_split6(&whole, 160, 148, false, 5, &in);
	pkt_ttl(&in, 1);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_TTL_EXPIRED);
	assert_int_equal(ctx.stats.icmp_generated[XLAT_DIR_64], 0);
}

/* Bytes behind the Payload Length are not part of the packet. */
static void
test_trailing_padding(void **state)
{
	(void)state;
	pkt_ipv6(&in, SRC6, DST6);
	pkt_tcp(&in, 443, 40001);
	pkt_finish(&in);
	memset(in.b + in.len, 0, 6);
	in.len += 6;
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_ipv4(&out, 20, PKT_TCP);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
}

/* RFC 7915 §5.1 and §6: too big for the IPv4 side with DF: Packet Too
 * Big with the MTU an IPv6 packet may have, mtu_v4 + 20. */
static void
test_too_big(void **state)
{
	(void)state;
	cfg.mtu_v4 = 1400;
	udp6(&in, 1421 - 48, 9);
	assert_icmp6_error(run_xlat(&cfg, &ctx, &in), ICMP6_PACKET_TOO_BIG, 0,
			   1420, &in);
	assert_int_equal(ctx.drop, XLAT_DROP_TOO_BIG);
	assert_int_equal(ctx.stats.drops[XLAT_DROP_TOO_BIG], 1);

	udp6(&in, 1420 - 48, 9);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.len, 1400);
	assert_int_equal(pkt_get16(out.b + 6), PKT_DF);
}

/* An IPv6 fragment too big for the IPv4 side: its sender can make it
 * smaller, so it gets Packet Too Big as well. */
static void
test_too_big_fragment(void **state)
{
	static struct pkt whole;

	(void)state;
	cfg.mtu_v4 = 1300;
	udp6(&whole, 3000, 10);
	pkt_split6(&whole, 0, 1352, true, 7, &in); /* 1352 + 20 > 1300 */
	assert_icmp6_error(run_xlat(&cfg, &ctx, &in), ICMP6_PACKET_TOO_BIG, 0,
			   1320, &in);
}

/* RFC 7915 §5.1: addresses that do not map are not translated (and no
 * error is sent for them). */
static void
test_untranslatable(void **state)
{
	(void)state;
	pkt_ipv6(&in, "2001:db8:1::1", DST6);
	pkt_udp(&in, 1, 2);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_SRC_UNTRANSLATABLE);

	pkt_ipv6(&in, SRC6, "2001:db8:1::2");
	pkt_udp(&in, 1, 2);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_DST_UNTRANSLATABLE);
	assert_int_equal(ctx.stats.drops[XLAT_DROP_SRC_UNTRANSLATABLE], 1);
	assert_int_equal(ctx.stats.drops[XLAT_DROP_DST_UNTRANSLATABLE], 1);
	assert_int_equal(ctx.stats.icmp_generated[XLAT_DIR_64], 0);
}

/* RFC 768: a UDP checksum that computes to 0 is sent as ffff. The data
 * is chosen so that the IPv4 checksum comes out as 0. */
static void
test_udp_checksum_ffff(void **state)
{
	static struct pkt v4;
	uint8_t data[32];
	uint16_t sum;

	(void)state;
	memset(data, 0x5a, sizeof(data) - 2); /* the last word is set below */
	data[30] = data[31] = 0;
	pkt_ipv4(&v4, "198.51.100.2", "192.0.0.2");
	pkt_udp(&v4, 53, 40000);
	pkt_data(&v4, data, sizeof(data));
	pkt_finish_lengths(&v4);
	sum = pkt_l4_sum(v4.b, v4.len); /* checksum field is 0 */
	pkt_put16(data + 30, (uint16_t)~sum);

	pkt_ipv6(&in, SRC6, DST6);
	pkt_udp(&in, 53, 40000);
	pkt_data(&in, data, sizeof(data));
	pkt_finish(&in);
	assert_int_equal(pkt_l4_sum(in.b, in.len), 0xffff);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(pkt_get16(out.b + 26), 0xffff);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
}

static void
test_l4_checksums(void **state)
{
	size_t len;
	uint16_t before;

	(void)state;
	for (len = 0; len < 40; len += 7) {
		pkt_ipv6(&in, SRC6, DST6);
		pkt_tcp(&in, 443, 40001);
		pkt_fill(&in, len, (uint32_t)len + 1);
		pkt_finish(&in);
		assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
		run_out(&ctx, 0, &out);
		assert_ipv4(&out, 20 + len, PKT_TCP);
		assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
		assert_memory_equal(out.b + 40, in.b + 60, len);
	}
	/* a wrong checksum stays wrong by the same amount */
	pkt_put16(in.b + 56, (uint16_t)(pkt_get16(in.b + 56) + 0x0101));
	before = pkt_l4_sum(in.b, in.len);
	assert_int_not_equal(before, 0xffff);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(pkt_l4_sum(out.b, out.len), before);
}

static void
test_unknown_protocol(void **state)
{
	(void)state;
	pkt_ipv6(&in, SRC6, DST6);
	pkt_dstopts(&in, 8);
	pkt_proto(&in, 132); /* SCTP */
	pkt_fill(&in, 61, 11);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_ipv4(&out, 61, 132);
	assert_memory_equal(out.b + 20, in.b + 48, 61);
}

/* RFC 7915 §5.3: ICMPv4 (here an echo request) carried in IPv6 is dropped
 * without an error, right behind the header or behind extension headers,
 * even when its hop limit has run out. */
static void
test_icmpv4_in_ipv6(void **state)
{
	static const uint8_t echo[16] = {8, 0, 0xf7, 0xfe, 0, 1};
	unsigned i;

	(void)state;
	for (i = 0; i < 3; i++) {
		pkt_ipv6(&in, SRC6, DST6);
		if (i == 1)
			pkt_hopopts(&in, 8);
		if (i == 2)
			pkt_ttl(&in, 1);
		pkt_proto(&in, PKT_ICMP);
		pkt_data(&in, echo, sizeof(echo));
		pkt_finish_lengths(&in);
		assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
		assert_int_equal(ctx.drop, XLAT_DROP_ICMP_WRONG_FAMILY);
	}
	assert_int_equal(ctx.stats.drops[XLAT_DROP_ICMP_WRONG_FAMILY], 3);
}

/* A fragment whose header chain goes on behind the Fragment header
 * cannot be given IPv4 offsets: 1/1 back. */
static void
test_ext_after_fragment(void **state)
{
	(void)state;
	pkt_ipv6(&in, SRC6, DST6);
	pkt_fraghdr(&in, 0, true, 99);
	pkt_dstopts(&in, 8);
	pkt_udp(&in, 53, 40000);
	pkt_fill(&in, 16, 12);
	pkt_finish_lengths(&in);
	assert_icmp6_error(run_xlat(&cfg, &ctx, &in), ICMP6_DEST_UNREACH, 1, 0,
			   &in);
	assert_int_equal(ctx.drop, XLAT_DROP_FRAG_EXT_HEADER);
}

static void
test_bad_input(void **state)
{
	struct xlat_buf buf;
	static uint8_t b[XLAT_HEADROOM + 200];

	(void)state;
	udp6(&in, 10, 13);
	in.len -= 1; /* Payload Length claims one byte more */
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_TRUNCATED);

	pkt_ipv6(&in, SRC6, DST6);
	pkt_fraghdr(&in, 0, true, 1);
	pkt_fraghdr(&in, 0, true, 1);
	pkt_udp(&in, 53, 40000);
	pkt_finish_lengths(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_BAD_IPV6_HEADER);

	pkt_ipv6(&in, SRC6, DST6);
	pkt_hopopts(&in, 64);
	pkt_finish_lengths(&in);
	pkt_put16(in.b + 4, 16); /* header runs past the payload */
	in.len = 56;
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_TRUNCATED);

	/* not version 6 */
	udp6(&in, 10, 13);
	in.b[0] = 0x70;
	memcpy(b + XLAT_HEADROOM, in.b, in.len);
	buf = (struct xlat_buf){b, sizeof(b), XLAT_HEADROOM, in.len};
	assert_int_equal(xlat_6to4(&cfg, &ctx, &buf), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_BAD_IPV6_HEADER);
}

static void
test_counters(void **state)
{
	(void)state;
	udp6(&in, 10, 14);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	pkt_ipv6(&in, SRC6, DST6);
	pkt_icmp(&in, 129, 0, 1);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	pkt_ipv6(&in, SRC6, DST6);
	pkt_icmp(&in, 135, 0, 0); /* neighbour solicitation: dropped */
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.stats.packets_in[XLAT_DIR_64][XLAT_PROTO_UDP], 1);
	assert_int_equal(ctx.stats.packets_out[XLAT_DIR_64][XLAT_PROTO_UDP], 1);
	assert_int_equal(ctx.stats.packets_in[XLAT_DIR_64][XLAT_PROTO_ICMP], 2);
	assert_int_equal(ctx.stats.packets_out[XLAT_DIR_64][XLAT_PROTO_ICMP],
			 1);
	assert_int_equal(ctx.stats.drops[XLAT_DROP_ICMP_TYPE], 1);
	assert_int_equal(ctx.stats.packets_in[XLAT_DIR_46][XLAT_PROTO_UDP], 0);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_header_fields),
		T(test_reset_tc_no_decrement),
		T(test_df_rule),
		T(test_fragment_header),
		T(test_atomic_fragment),
		T(test_ext_headers_skipped),
		T(test_routing_segments_left),
		T(test_hop_limit_expired),
		T(test_no_error_about_error),
		T(test_trailing_padding),
		T(test_too_big),
		T(test_too_big_fragment),
		T(test_untranslatable),
		T(test_udp_checksum_ffff),
		T(test_l4_checksums),
		T(test_unknown_protocol),
		T(test_icmpv4_in_ipv6),
		T(test_ext_after_fragment),
		T(test_bad_input),
		T(test_counters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
