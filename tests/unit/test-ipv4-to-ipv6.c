/* SPDX-License-Identifier: BSD-2-Clause */
/* src/xlat/xlat46.c and ipv4.c: IPv4 to IPv6, RFC 7915 §4.1 (header),
 * §4.4 (errors the translator sends), §4.5 (TCP/UDP/other protocols). */
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

/* 192.0.0.2 is the CLAT (EAM to 2001:db8:aaaa::2); IPv4 destinations go
 * into 2001:db8:64::/96. */
static int
setup(void **state)
{
	(void)state;
	run_cfg(&cfg, "2001:db8:64::/96");
	xlat_ctx_init(&ctx, 11);
	return 0;
}

static void
udp4(struct pkt *p, size_t data_len, uint32_t seed)
{
	pkt_ipv4(p, "192.0.0.2", "198.51.100.2");
	pkt_udp(p, 40000, 53);
	pkt_fill(p, data_len, seed);
	pkt_finish(p);
}

static void
assert_addrs6(const struct pkt *o)
{
	uint8_t a[16];

	pkt_addr6("2001:db8:aaaa::2", a);
	assert_memory_equal(o->b + 8, a, 16);
	pkt_addr6("2001:db8:64::c633:6402", a);
	assert_memory_equal(o->b + 24, a, 16);
}

/* One packet back to the IPv4 sender: an ICMPv4 error from own4 (RFC
 * 7915 §4.4) quoting the packet up to 576 bytes (RFC 1812 §4.3.2.3). */
static void
assert_icmp4_error(unsigned n, uint8_t type, uint8_t code,
		   const struct pkt *orig)
{
	size_t quote = orig->len < 548 ? orig->len : 548;

	assert_int_equal(n, 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.family, 4);
	assert_int_equal(out.len, 28 + quote);
	assert_int_equal(pkt_get16(out.b + 2), out.len);
	assert_int_equal(pkt_ipv4_header_sum(out.b), 0xffff);
	assert_int_equal(out.b[9], PKT_ICMP);
	assert_int_equal(pkt_get32(out.b + 12), 0xc0000001); /* own4 */
	assert_memory_equal(out.b + 16, orig->b + 12, 4);
	assert_int_equal(out.b[20], type);
	assert_int_equal(out.b[21], code);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
	assert_memory_equal(out.b + 28, orig->b, quote);
	assert_int_equal(ctx.stats.icmp_generated[XLAT_DIR_46], 1);
}

static void
test_header_fields(void **state)
{
	(void)state;
	udp4(&in, 40, 1);
	pkt_tos(&in, 0xb9);
	pkt_frag4(&in, PKT_DF);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.family, 6);
	assert_int_equal(out.len, in.len + 20);
	/* version 6, traffic class b9, flow label 0 */
	assert_int_equal(pkt_get32(out.b), 0x6b900000);
	assert_int_equal(pkt_get16(out.b + 4), 48);
	assert_int_equal(out.b[6], PKT_UDP); /* no Fragment header: DF */
	assert_int_equal(out.b[7], 63);
	assert_addrs6(&out);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
	assert_memory_equal(out.b + 40, in.b + 20, 6);
	assert_memory_equal(out.b + 48, in.b + 28, 40);
	assert_int_equal(ctx.drop, XLAT_DROP_NONE);
}

static void
test_reset_traffic_class(void **state)
{
	(void)state;
	cfg.reset_traffic_class = true;
	udp4(&in, 10, 2);
	pkt_tos(&in, 0xff);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(pkt_get32(out.b), 0x60000000);
}

/* Without decrement_ttl the translator is not a hop: Hop Limit = TTL, and
 * TTL 1 goes through. */
static void
test_no_ttl_decrement(void **state)
{
	(void)state;
	cfg.decrement_ttl = false;
	udp4(&in, 10, 3);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.b[7], 64);
	pkt_ttl(&in, 1);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.b[7], 1);
}

/* RFC 7915 §4.1: "If any IPv4 options are present in the IPv4 packet,
 * they MUST be ignored": same output as without them. */
static void
test_options_ignored(void **state)
{
	static const uint8_t nops[4] = {1, 1, 1, 0};
	static const uint8_t record_route[8] = {7, 7, 4, 0, 0, 0, 0, 0};
	static struct pkt plain, want;
	const uint8_t *opts[2] = {nops, record_route};
	size_t lens[2] = {sizeof(nops), sizeof(record_route)};
	int i;

	(void)state;
	udp4(&plain, 33, 4);
	assert_int_equal(run_xlat(&cfg, &ctx, &plain), 1);
	run_out(&ctx, 0, &want);
	for (i = 0; i < 2; i++) {
		pkt_ipv4(&in, "192.0.0.2", "198.51.100.2");
		pkt_ipv4_options(&in, opts[i], lens[i]);
		pkt_udp(&in, 40000, 53);
		pkt_fill(&in, 33, 4);
		pkt_finish(&in);
		assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
		run_out(&ctx, 0, &out);
		assert_int_equal(out.len, want.len);
		assert_memory_equal(out.b, want.b, want.len);
	}
}

static void
with_option(struct pkt *p, uint8_t type, uint8_t pointer)
{
	uint8_t opt[8] = {type, 7, pointer, 192, 0, 2, 1, 0};

	pkt_ipv4(p, "192.0.0.2", "198.51.100.2");
	pkt_ipv4_options(p, opt, sizeof(opt));
	pkt_udp(p, 40000, 53);
	pkt_fill(p, 20, 5);
	pkt_finish(p);
}

/* RFC 7915 §4.1: an unexpired source route means discard and send
 * Destination Unreachable, Source Route Failed (3/5). */
static void
test_source_route(void **state)
{
	static const uint8_t types[2] = {131, 137}; /* LSRR, SSRR */
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		xlat_ctx_init(&ctx, 1);
		with_option(&in, types[i], 4);
		assert_icmp4_error(run_xlat(&cfg, &ctx, &in),
				   ICMP4_DEST_UNREACH, ICMP4_SRCROUTE_FAILED,
				   &in);
		assert_int_equal(ctx.drop, XLAT_DROP_SOURCE_ROUTE);
		assert_int_equal(ctx.stats.drops[XLAT_DROP_SOURCE_ROUTE], 1);
		assert_int_equal(
			ctx.stats.packets_out[XLAT_DIR_46][XLAT_PROTO_UDP], 0);
	}
	/* expired: the pointer is past the option */
	with_option(&in, 131, 8);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.family, 6);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
}

/* No own IPv4 address: still dropped, nothing sent. */
static void
test_source_route_no_own4(void **state)
{
	(void)state;
	cfg.has_own4 = false;
	with_option(&in, 131, 4);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_SOURCE_ROUTE);
	assert_int_equal(ctx.stats.icmp_generated[XLAT_DIR_46], 0);
}

/* RFC 7915 §4.4 / RFC 792: TTL would reach 0: Time Exceeded 11/0. */
static void
test_ttl_expired(void **state)
{
	(void)state;
	udp4(&in, 30, 6);
	pkt_ttl(&in, 1);
	assert_icmp4_error(run_xlat(&cfg, &ctx, &in), ICMP4_TIME_EXCEEDED, 0,
			   &in);
	assert_int_equal(ctx.drop, XLAT_DROP_TTL_EXPIRED);
	assert_int_equal(ctx.stats.drops[XLAT_DROP_TTL_EXPIRED], 1);

	xlat_ctx_init(&ctx, 1);
	pkt_ttl(&in, 0);
	assert_icmp4_error(run_xlat(&cfg, &ctx, &in), ICMP4_TIME_EXCEEDED, 0,
			   &in);
}

/* RFC 1812 §4.3.2.3: the error is at most 576 bytes. */
static void
test_ttl_expired_big_packet(void **state)
{
	size_t sizes[2] = {1000, 549 - 28}, i;

	(void)state;
	for (i = 0; i < 2; i++) {
		xlat_ctx_init(&ctx, 1);
		udp4(&in, sizes[i], 7);
		pkt_ttl(&in, 1);
		assert_icmp4_error(run_xlat(&cfg, &ctx, &in),
				   ICMP4_TIME_EXCEEDED, 0, &in);
		assert_int_equal(out.len, 576);
	}
}

/* RFC 1812 §4.3.2.7: no error about an ICMP error, nor about a fragment
 * other than the first. */
static void
test_no_error_about_error(void **state)
{
	static struct pkt inner, whole;

	(void)state;
	udp4(&inner, 20, 30);
	pkt_ipv4(&in, "192.0.0.2", "198.51.100.2");
	pkt_ttl(&in, 1);
	pkt_icmp(&in, 3, 3, 0);
	pkt_data(&in, inner.b, inner.len);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_TTL_EXPIRED);

	udp4(&whole, 200, 31);
	pkt_ttl(&whole, 1);
	pkt_split4(&whole, 104, 104, false, &in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_TTL_EXPIRED);
	assert_int_equal(ctx.stats.icmp_generated[XLAT_DIR_46], 0);
}

static void
zero_udp_checksum(struct pkt *p)
{
	pkt_put16(p->b + p->l4 + 6, 0);
}

/* RFC 7915 §4.5: a zero IPv4 UDP checksum is computed when the whole
 * datagram is at hand. */
static void
test_udp_zero_checksum_amended(void **state)
{
	(void)state;
	udp4(&in, 51, 8);
	zero_udp_checksum(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_not_equal(pkt_get16(out.b + 46), 0);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
	assert_memory_equal(out.b + 48, in.b + 28, 51);
}

/* ...and dropped with 3/13 when it is a fragment or amending is off. */
static void
test_udp_zero_checksum_fragment(void **state)
{
	static struct pkt whole;

	(void)state;
	udp4(&whole, 200, 9);
	zero_udp_checksum(&whole);
	pkt_split4(&whole, 0, 104, true, &in);
	assert_icmp4_error(run_xlat(&cfg, &ctx, &in), ICMP4_DEST_UNREACH,
			   ICMP4_ADMIN_PROHIBITED, &in);
	assert_int_equal(ctx.drop, XLAT_DROP_UDP_ZERO_CHECKSUM);
	assert_int_equal(ctx.stats.drops[XLAT_DROP_UDP_ZERO_CHECKSUM], 1);
	/* the later fragment carries no checksum and is translated */
	pkt_split4(&whole, 104, 104, false, &in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.family, 6);
	assert_memory_equal(out.b + 48, in.b + 20, 104);
}

static void
test_udp_zero_checksum_amend_off(void **state)
{
	(void)state;
	cfg.amend_udp_checksum_zero = false;
	udp4(&in, 20, 10);
	zero_udp_checksum(&in);
	assert_icmp4_error(run_xlat(&cfg, &ctx, &in), ICMP4_DEST_UNREACH,
			   ICMP4_ADMIN_PROHIBITED, &in);
	assert_int_equal(ctx.drop, XLAT_DROP_UDP_ZERO_CHECKSUM);
}

/* RFC 7915 §4.5: TCP and UDP checksums cover the new pseudo-header. */
static void
test_l4_checksums(void **state)
{
	size_t len;

	(void)state;
	for (len = 0; len < 40; len += 7) {
		pkt_ipv4(&in, "192.0.0.2", "198.51.100.2");
		pkt_tcp(&in, 40001, 443);
		pkt_fill(&in, len, (uint32_t)len + 1);
		pkt_finish(&in);
		assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
		run_out(&ctx, 0, &out);
		assert_int_equal(out.b[6], PKT_TCP);
		assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
		assert_memory_equal(out.b + 40, in.b + 20, 16);
		assert_memory_equal(out.b + 58, in.b + 38, 2 + len);

		udp4(&in, len, (uint32_t)len + 2);
		assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
		run_out(&ctx, 0, &out);
		assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
	}
}

/* The update is incremental: a wrong checksum stays wrong by the same
 * amount, so the receiver still sees the damage. */
static void
test_wrong_checksum_stays_wrong(void **state)
{
	uint16_t before;

	(void)state;
	pkt_ipv4(&in, "192.0.0.2", "198.51.100.2");
	pkt_tcp(&in, 40001, 443);
	pkt_fill(&in, 25, 12);
	pkt_finish(&in);
	pkt_put16(in.b + 36, (uint16_t)(pkt_get16(in.b + 36) + 0x0101));
	before = pkt_l4_sum(in.b, in.len);
	assert_int_not_equal(before, 0xffff);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(pkt_l4_sum(out.b, out.len), before);

	udp4(&in, 25, 13);
	pkt_put16(in.b + 26, (uint16_t)(pkt_get16(in.b + 26) ^ 0x8000));
	before = pkt_l4_sum(in.b, in.len);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(pkt_l4_sum(out.b, out.len), before);
}

/* RFC 7915 §4.1: Next Header is the Protocol; other payloads are copied
 * unchanged. */
static void
test_unknown_protocol(void **state)
{
	static const uint8_t protos[3] = {47, 132, 253}; /* GRE, SCTP, test */
	int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		pkt_ipv4(&in, "192.0.0.2", "198.51.100.2");
		pkt_proto(&in, protos[i]);
		pkt_fill(&in, 77, 14);
		pkt_finish(&in);
		assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
		run_out(&ctx, 0, &out);
		assert_int_equal(out.b[6], protos[i]);
		assert_int_equal(pkt_get16(out.b + 4), 77);
		assert_memory_equal(out.b + 40, in.b + 20, 77);
	}
	assert_int_equal(ctx.stats.packets_out[XLAT_DIR_46][XLAT_PROTO_OTHER],
			 3);
}

/* RFC 7915 §4.3: ICMPv6 (here a Router Advertisement) carried in IPv4 is
 * dropped without an error, even when its TTL has run out. */
static void
test_icmpv6_in_ipv4(void **state)
{
	static const uint8_t ra[16] = {134, 0, 0, 0, 64};
	unsigned ttl;

	(void)state;
	for (ttl = 1; ttl <= 64; ttl += 63) {
		pkt_ipv4(&in, "192.0.0.2", "198.51.100.2");
		pkt_ttl(&in, (uint8_t)ttl);
		pkt_proto(&in, PKT_ICMPV6);
		pkt_data(&in, ra, sizeof(ra));
		pkt_finish_lengths(&in);
		assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
		assert_int_equal(ctx.drop, XLAT_DROP_ICMP_WRONG_FAMILY);
	}
	assert_int_equal(ctx.stats.drops[XLAT_DROP_ICMP_WRONG_FAMILY], 2);
	assert_string_equal(xlat_drop_name(XLAT_DROP_ICMP_WRONG_FAMILY),
			    "icmp-wrong-family");
}

/* RFC 7915 §4.1 and §6: DF set and too big for the IPv6 side: Fragmentation
 * Needed with the MTU an IPv4 packet may have, mtu_v6 - 20. */
static void
test_df_too_big(void **state)
{
	(void)state;
	cfg.mtu_v6 = 1400;
	udp4(&in, 1381 - 28, 15);
	pkt_frag4(&in, PKT_DF);
	assert_icmp4_error(run_xlat(&cfg, &ctx, &in), ICMP4_DEST_UNREACH,
			   ICMP4_FRAG_NEEDED, &in);
	assert_int_equal(pkt_get16(out.b + 26), 1380);
	assert_int_equal(ctx.drop, XLAT_DROP_TOO_BIG);
	assert_int_equal(ctx.stats.drops[XLAT_DROP_TOO_BIG], 1);

	/* 1380 + 20 = 1400 fits */
	udp4(&in, 1380 - 28, 15);
	pkt_frag4(&in, PKT_DF);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.len, 1400);
	assert_int_equal(out.b[6], PKT_UDP);
}

/* RFC 7915 §4.1: DF clear and bigger than the lowest IPv6 MTU: fragments
 * of at most 1280 bytes, Identification zero-extended. */
static void
test_df0_fragmented(void **state)
{
	static struct pkt whole;
	unsigned i, n;

	(void)state;
	udp4(&in, 3000 - 28, 16);
	pkt_id(&in, 0xbeef);
	n = run_xlat(&cfg, &ctx, &in);
	assert_int_equal(n, 3); /* 2980 = 1232 + 1232 + 516 */
	for (i = 0; i < n; i++) {
		run_out(&ctx, i, &out);
		assert_true(out.len <= 1280);
		assert_int_equal(out.b[6], PKT_FRAGMENT);
		assert_int_equal(out.b[7], 63);
		assert_int_equal(out.b[40], PKT_UDP);
		assert_int_equal(pkt_get16(out.b + 42) & 0xfff8, i * 1232);
		assert_int_equal(pkt_get16(out.b + 42) & 1, i < 2);
		assert_int_equal(pkt_get32(out.b + 44), 0xbeef);
		assert_addrs6(&out);
	}
	run_reassemble6(&ctx, 0, n, &whole);
	assert_int_equal(whole.len, 40 + 2980);
	assert_int_equal(whole.b[6], PKT_UDP);
	assert_int_equal(pkt_l4_sum(whole.b, whole.len), 0xffff);
	assert_memory_equal(whole.b + 48, in.b + 28, 2972);
	assert_int_equal(ctx.stats.fragments_out[XLAT_DIR_46], 3);
	assert_int_equal(ctx.stats.packets_out[XLAT_DIR_46][XLAT_PROTO_UDP], 1);
}

/* Exactly the lowest IPv6 MTU: no Fragment header (RFC 8021). */
static void
test_df0_at_limit(void **state)
{
	(void)state;
	udp4(&in, 1260 - 28, 17);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.len, 1280);
	assert_int_equal(out.b[6], PKT_UDP);
}

/* RFC 7915 §4.1: an IPv4 fragment gets a Fragment header with its offset,
 * MF and Identification; reassembled, the datagram is whole and valid. */
static void
test_ipv4_fragments(void **state)
{
	static struct pkt whole, frag, f6[2];
	static const uint16_t field[2] = {0 | 1, 504}; /* offset, M */
	unsigned i;

	(void)state;
	udp4(&whole, 1000, 18);
	pkt_id(&whole, 0xabcd);
	for (i = 0; i < 2; i++) {
		pkt_split4(&whole, i * 504, 504, i == 0, &frag);
		assert_int_equal(run_xlat(&cfg, &ctx, &frag), 1);
		run_out(&ctx, 0, &f6[i]);
		assert_int_equal(f6[i].b[6], PKT_FRAGMENT);
		assert_int_equal(pkt_get16(f6[i].b + 4), 8 + 504);
		assert_int_equal(f6[i].b[40], PKT_UDP);
		assert_int_equal(f6[i].b[41], 0);
		assert_int_equal(pkt_get16(f6[i].b + 42), field[i]);
		assert_int_equal(pkt_get32(f6[i].b + 44), 0xabcd);
		assert_addrs6(&f6[i]);
	}
	assert_memory_equal(f6[0].b + 56, whole.b + 28, 496);
	assert_memory_equal(f6[1].b + 48, whole.b + 20 + 504, 504);
	/* reassembled, the UDP checksum holds under the IPv6 pseudo-header */
	memcpy(out.b, f6[0].b, 40);
	out.b[6] = PKT_UDP;
	pkt_put16(out.b + 4, 1008);
	memcpy(out.b + 40, f6[0].b + 48, 504);
	memcpy(out.b + 40 + 504, f6[1].b + 48, 504);
	assert_int_equal(pkt_l4_sum(out.b, 40 + 1008), 0xffff);
}

/* RFC 7915 §4.1 (ICMPv6 checksum needs the whole message): fragmented
 * ICMP is dropped. */
static void
test_fragmented_icmp(void **state)
{
	static struct pkt whole;

	(void)state;
	pkt_ipv4(&whole, "192.0.0.2", "198.51.100.2");
	pkt_icmp(&whole, 8, 0, 0x12340001);
	pkt_fill(&whole, 200, 19);
	pkt_finish(&whole);
	pkt_split4(&whole, 0, 104, true, &in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_FRAGMENTED_ICMP);
	pkt_split4(&whole, 104, 104, false, &in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_FRAGMENTED_ICMP);
	assert_int_equal(ctx.stats.drops[XLAT_DROP_FRAGMENTED_ICMP], 2);
	assert_int_equal(ctx.stats.packets_in[XLAT_DIR_46][XLAT_PROTO_ICMP], 2);
	assert_int_equal(ctx.stats.packets_out[XLAT_DIR_46][XLAT_PROTO_ICMP],
			 0);
}

static void
test_counters(void **state)
{
	(void)state;
	udp4(&in, 10, 20);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	pkt_ipv4(&in, "192.0.0.2", "198.51.100.2");
	pkt_tcp(&in, 1, 2);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	pkt_ipv4(&in, "192.0.0.2", "198.51.100.2");
	pkt_icmp(&in, 8, 0, 1);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	pkt_ttl(&in, 1);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1); /* the error */

	assert_int_equal(ctx.stats.packets_in[XLAT_DIR_46][XLAT_PROTO_UDP], 2);
	assert_int_equal(ctx.stats.packets_out[XLAT_DIR_46][XLAT_PROTO_UDP], 2);
	assert_int_equal(ctx.stats.packets_in[XLAT_DIR_46][XLAT_PROTO_TCP], 1);
	assert_int_equal(ctx.stats.packets_out[XLAT_DIR_46][XLAT_PROTO_TCP], 1);
	assert_int_equal(ctx.stats.packets_in[XLAT_DIR_46][XLAT_PROTO_ICMP], 2);
	assert_int_equal(ctx.stats.packets_out[XLAT_DIR_46][XLAT_PROTO_ICMP],
			 1);
	assert_int_equal(ctx.stats.drops[XLAT_DROP_TTL_EXPIRED], 1);
	assert_int_equal(ctx.stats.icmp_generated[XLAT_DIR_46], 1);
	assert_int_equal(ctx.stats.packets_in[XLAT_DIR_64][XLAT_PROTO_UDP], 0);
}

/* Bytes behind Total Length (Ethernet padding) are not part of the
 * packet. */
static void
test_trailing_padding(void **state)
{
	(void)state;
	pkt_ipv4(&in, "192.0.0.2", "198.51.100.2");
	pkt_tcp(&in, 40001, 443);
	pkt_finish(&in);
	memset(in.b + in.len, 0, 6);
	in.len += 6;
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.len, 60);
	assert_int_equal(pkt_get16(out.b + 4), 20);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
}

/* Malformed input is counted under the reason a user can act on. */
static void
test_bad_input(void **state)
{
	struct xlat_buf buf;

	(void)state;
	udp4(&in, 10, 21);
	in.len -= 1; /* Total Length claims one byte more */
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_TRUNCATED);

	udp4(&in, 10, 21);
	in.b[10] ^= 1;
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_BAD_IPV4_CHECKSUM);

	udp4(&in, 10, 21);
	in.b[0] = 0x44; /* IHL 4 */
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_BAD_IPV4_HEADER);

	in.len = 19;
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_TRUNCATED);

	/* the caller must leave XLAT_HEADROOM in front */
	udp4(&in, 10, 21);
	buf = (struct xlat_buf){in.b, sizeof(in.b), 0, in.len};
	assert_int_equal(xlat_4to6(&cfg, &ctx, &buf), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_NO_HEADROOM);
	assert_int_equal(ctx.stats.drops[XLAT_DROP_NO_HEADROOM], 1);
}

static void
test_untranslatable(void **state)
{
	(void)state;
	run_cfg(&cfg, ""); /* the CLAT's EAM entry only */
	udp4(&in, 10, 22);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_DST_UNTRANSLATABLE);

	pkt_ipv4(&in, "192.0.0.3", "192.0.0.2");
	pkt_udp(&in, 1, 2);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_SRC_UNTRANSLATABLE);
	assert_int_equal(ctx.stats.drops[XLAT_DROP_DST_UNTRANSLATABLE], 1);
	assert_int_equal(ctx.stats.drops[XLAT_DROP_SRC_UNTRANSLATABLE], 1);
	assert_int_equal(ctx.stats.icmp_generated[XLAT_DIR_46], 0);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_header_fields),
		T(test_reset_traffic_class),
		T(test_no_ttl_decrement),
		T(test_options_ignored),
		T(test_source_route),
		T(test_source_route_no_own4),
		T(test_ttl_expired),
		T(test_ttl_expired_big_packet),
		T(test_no_error_about_error),
		T(test_udp_zero_checksum_amended),
		T(test_udp_zero_checksum_fragment),
		T(test_udp_zero_checksum_amend_off),
		T(test_l4_checksums),
		T(test_wrong_checksum_stays_wrong),
		T(test_unknown_protocol),
		T(test_icmpv6_in_ipv4),
		T(test_df_too_big),
		T(test_df0_fragmented),
		T(test_df0_at_limit),
		T(test_ipv4_fragments),
		T(test_fragmented_icmp),
		T(test_counters),
		T(test_trailing_padding),
		T(test_bad_input),
		T(test_untranslatable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
