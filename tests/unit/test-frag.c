/* SPDX-License-Identifier: BSD-2-Clause */
/* src/xlat/frag.c: fragments the translator emits, RFC 7915 §4.1 (IPv4
 * DF = 0 to IPv6 fragments) and §5.1 (IPv6 to IPv4 fragments that fit
 * the IPv4 side). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "run.h"

static struct xlat_cfg cfg;
static struct xlat_ctx ctx;
static struct pkt in, out, whole, back;

#define SRC6 "2001:db8:64::c633:6402"
#define DST6 "2001:db8:aaaa::2"

static int
setup(void **state)
{
	(void)state;
	run_cfg(&cfg, "2001:db8:64::/96");
	xlat_ctx_init(&ctx, 23);
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
udp4(struct pkt *p, size_t data_len, uint32_t seed)
{
	pkt_ipv4(p, "192.0.0.2", "198.51.100.2");
	pkt_udp(p, 40000, 53);
	pkt_fill(p, data_len, seed);
	pkt_finish(p);
}

/* Check IPv4 fragment i: data size, offset in bytes, MF, ID, DF = 0. */
static void
assert_frag4(unsigned i, size_t data, size_t offset, bool more, uint16_t id)
{
	uint16_t field;

	run_out(&ctx, i, &out);
	assert_int_equal(out.family, 4);
	assert_int_equal(out.len, 20 + data);
	assert_int_equal(pkt_get16(out.b + 2), out.len);
	assert_int_equal(pkt_get16(out.b + 4), id);
	field = pkt_get16(out.b + 6);
	assert_int_equal(field & PKT_DF, 0);
	assert_int_equal(!!(field & PKT_MF), more);
	assert_int_equal((size_t)(field & 0x1fff) * 8, offset);
	assert_int_equal(pkt_ipv4_header_sum(out.b), 0xffff);
	assert_int_equal(out.b[9], PKT_UDP);
	assert_int_equal(out.b[8], 63);
}

static void
assert_frag6(unsigned i, size_t data, size_t offset, bool more, uint32_t id)
{
	run_out(&ctx, i, &out);
	assert_int_equal(out.family, 6);
	assert_int_equal(out.len, 48 + data);
	assert_int_equal(pkt_get16(out.b + 4), 8 + data);
	assert_int_equal(out.b[6], PKT_FRAGMENT);
	assert_int_equal(out.b[40], PKT_UDP);
	assert_int_equal(pkt_get16(out.b + 42), offset | (more ? 1 : 0));
	assert_int_equal(pkt_get32(out.b + 44), id);
}

/* An IPv6 fragment bigger than a small IPv4 MTU (whose Packet Too Big
 * would fall below 1280) is cut again: (576 - 20) & ~7 = 552 bytes per
 * piece, MF kept on the last piece of a non-last fragment. */
static void
test_ipv6_fragment_refragmented(void **state)
{
	(void)state;
	cfg.mtu_v4 = 576;
	udp6(&whole, 3000, 1);
	pkt_split6(&whole, 0, 1000, true, 0x11112222, &in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 2);
	assert_frag4(0, 552, 0, true, 0x2222);
	/* all but the UDP checksum, which now covers the IPv4 addresses */
	assert_memory_equal(out.b + 20, whole.b + 40, 6);
	assert_memory_equal(out.b + 28, whole.b + 48, 544);
	assert_frag4(1, 448, 552, true, 0x2222);
	assert_memory_equal(out.b + 20, whole.b + 40 + 552, 448);

	pkt_split6(&whole, 2000, 1008, false, 0x11112222, &in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 2);
	assert_frag4(0, 552, 2000, true, 0x2222);
	assert_memory_equal(out.b + 20, whole.b + 40 + 2000, 552);
	assert_frag4(1, 456, 2552, false, 0x2222);
	assert_memory_equal(out.b + 20, whole.b + 40 + 2552, 456);
	assert_int_equal(ctx.stats.fragments_out[XLAT_DIR_64], 4);
}

/* An unfragmented IPv6 packet of up to 1260 IPv4 bytes leaves with DF = 0
 * (RFC 7915 §5.1), so it may be fragmented: all pieces carry the same
 * generated Identification and reassemble into a valid datagram. */
static void
test_ipv6_packet_fragmented(void **state)
{
	unsigned n;
	uint16_t id;

	(void)state;
	cfg.mtu_v4 = 576;
	udp6(&in, 1000, 2);
	n = run_xlat(&cfg, &ctx, &in);
	assert_int_equal(n, 2); /* 1008 = 552 + 456 */
	run_out(&ctx, 0, &out);
	id = pkt_get16(out.b + 4);
	assert_int_not_equal(id, 0);
	assert_frag4(0, 552, 0, true, id);
	assert_frag4(1, 456, 552, false, id);
	run_reassemble4(&ctx, 0, n, &back);
	assert_int_equal(back.len, 20 + 1008);
	assert_int_equal(pkt_l4_sum(back.b, back.len), 0xffff);
	assert_memory_equal(back.b + 28, in.b + 48, 1000);
}

/* Above 1260 bytes an unfragmented IPv6 packet would leave with DF = 1
 * and Identification 0 (RFC 6864 §4.1: atomic), but when mtu-v4 is too
 * small for a Packet Too Big it is fragmented instead: the fragments need
 * a generated Identification like any other (RFC 791 §3.2). */
static void
test_ipv6_packet_over_1260_fragmented(void **state)
{
	unsigned n;
	uint16_t id;

	(void)state;
	cfg.mtu_v4 = 576;
	udp6(&in, 1400, 6); /* 1408 = 552 + 552 + 304 */
	n = run_xlat(&cfg, &ctx, &in);
	assert_int_equal(n, 3);
	run_out(&ctx, 0, &out);
	id = pkt_get16(out.b + 4);
	assert_int_not_equal(id, 0);
	assert_frag4(0, 552, 0, true, id);
	assert_frag4(1, 552, 552, true, id);
	assert_frag4(2, 304, 1104, false, id);
	run_reassemble4(&ctx, 0, n, &back);
	assert_int_equal(pkt_l4_sum(back.b, back.len), 0xffff);
	assert_memory_equal(back.b + 28, in.b + 48, 1400);

	/* the next datagram gets another one */
	udp6(&in, 1400, 6);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 3);
	run_out(&ctx, 0, &out);
	assert_int_not_equal(pkt_get16(out.b + 4), 0);
	assert_int_not_equal(pkt_get16(out.b + 4), id);
}

/* An atomic fragment (offset 0, M 0, as a reassembled datagram comes
 * from xlat_reasm) too big for mtu-v4 leaves with DF 0 (RFC 7915
 * §5.1.1), so it is fragmented under the sender's Identification, not
 * refused with a Packet Too Big. */
static void
test_atomic_fragment_fragmented(void **state)
{
	unsigned n;

	(void)state;
	cfg.mtu_v4 = 1500;
	udp6(&whole, 2992, 8);
	pkt_split6(&whole, 0, 3000, false, 0xfeed4321, &in);
	n = run_xlat(&cfg, &ctx, &in);
	assert_int_equal(n, 3); /* 3000 = 1480 + 1480 + 40 */
	assert_frag4(0, 1480, 0, true, 0x4321);
	assert_frag4(1, 1480, 1480, true, 0x4321);
	assert_frag4(2, 40, 2960, false, 0x4321);
	run_reassemble4(&ctx, 0, n, &back);
	assert_int_equal(pkt_l4_sum(back.b, back.len), 0xffff);
	assert_memory_equal(back.b + 28, whole.b + 48, 2992);
}

/* The smallest IPv4 MTU (RFC 791: 68): 48 bytes per fragment. */
static void
test_ipv6_packet_mtu_68(void **state)
{
	unsigned n, i;

	(void)state;
	cfg.mtu_v4 = 68;
	udp6(&in, 452, 3); /* 460 bytes = 9 * 48 + 28 */
	n = run_xlat(&cfg, &ctx, &in);
	assert_int_equal(n, 10);
	for (i = 0; i < n; i++) {
		run_out(&ctx, i, &out);
		assert_true(out.len <= 68);
	}
	run_reassemble4(&ctx, 0, n, &back);
	assert_int_equal(pkt_l4_sum(back.b, back.len), 0xffff);
	assert_memory_equal(back.b + 28, in.b + 48, 452);
}

/* A datagram that would need more fragments than one call can emit is
 * dropped whole: never half a datagram. */
static void
test_too_many_fragments(void **state)
{
	(void)state;
	cfg.mtu_v4 = 68;
	udp6(&in, 48 * XLAT_OUT_MAX, 4);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.out_count, 0);
	assert_int_not_equal(ctx.drop, XLAT_DROP_NONE);
	assert_int_equal(ctx.stats.drops[ctx.drop], 1);
}

/* RFC 7915 §4.1: an IPv4 fragment too big for the IPv6 side is cut at
 * 1232 bytes; the pieces keep its offset, ID, and MF on the last. */
static void
test_ipv4_fragment_split(void **state)
{
	static struct pkt big;

	(void)state;
	udp4(&big, 4000, 5);
	pkt_id(&big, 0x7777);
	pkt_split4(&big, 0, 2000, true, &in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 2);
	assert_frag6(0, 1232, 0, true, 0x7777);
	assert_frag6(1, 768, 1232, true, 0x7777);
	assert_memory_equal(out.b + 48, big.b + 20 + 1232, 768);

	pkt_split4(&big, 1480, 4008 - 1480, false, &in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 3);
	assert_frag6(0, 1232, 1480, true, 0x7777);
	assert_memory_equal(out.b + 48, big.b + 20 + 1480, 1232);
	assert_frag6(1, 1232, 2712, true, 0x7777);
	assert_frag6(2, 64, 3944, false, 0x7777);
	assert_memory_equal(out.b + 48, big.b + 20 + 3944, 64);
}

/* The fragment size follows min(lowest-ipv6-mtu, mtu-v6). */
static void
test_lowest_ipv6_mtu(void **state)
{
	static struct pkt re;
	unsigned n;

	(void)state;
	cfg.lowest_ipv6_mtu = 1400;
	udp4(&in, 1450 - 28, 6);
	n = run_xlat(&cfg, &ctx, &in);
	assert_int_equal(n, 2); /* 1430 = 1352 + 78 */
	assert_frag6(0, 1352, 0, true, 0x1234);
	assert_frag6(1, 78, 1352, false, 0x1234);
	run_reassemble6(&ctx, 0, n, &re);
	assert_int_equal(pkt_l4_sum(re.b, re.len), 0xffff);

	cfg.lowest_ipv6_mtu = 1500;
	cfg.mtu_v6 = 1400;
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 2);
	assert_frag6(0, 1352, 0, true, 0x1234);

	cfg.mtu_v6 = 1500; /* 1450 + 20 fits now */
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.b[6], PKT_UDP);
}

/* An echo request is fragmented after its ICMPv6 checksum is set over
 * the whole message (RFC 4443 §2.3). */
static void
test_echo_fragmented(void **state)
{
	static struct pkt re;
	unsigned n;

	(void)state;
	pkt_ipv4(&in, "192.0.0.2", "198.51.100.2");
	pkt_icmp(&in, 8, 0, 0x00420001);
	pkt_fill(&in, 2000, 8);
	pkt_finish(&in);
	n = run_xlat(&cfg, &ctx, &in);
	assert_int_equal(n, 2);
	run_reassemble6(&ctx, 0, n, &re);
	assert_int_equal(re.b[6], PKT_ICMPV6);
	assert_int_equal(re.b[40], 128);
	assert_int_equal(pkt_l4_sum(re.b, re.len), 0xffff);
	assert_memory_equal(re.b + 44, in.b + 24, 2004);
}

/* RFC 7915 §4.5: a zero UDP checksum is computed over the whole
 * datagram before it is cut into fragments. */
static void
test_zero_udp_checksum_fragmented(void **state)
{
	static struct pkt re;
	unsigned n;

	(void)state;
	udp4(&in, 2000, 9);
	pkt_put16(in.b + 26, 0);
	n = run_xlat(&cfg, &ctx, &in);
	assert_int_equal(n, 2);
	run_reassemble6(&ctx, 0, n, &re);
	assert_int_not_equal(pkt_get16(re.b + 46), 0);
	assert_int_equal(pkt_l4_sum(re.b, re.len), 0xffff);
}

/* IPv4 -> IPv6 fragments -> IPv4 again: the IPv6 fragments map one to one
 * onto IPv4 fragments with the original ID, which reassemble into the
 * original datagram. */
static void
test_round_trip(void **state)
{
	static struct pkt frags[3];
	unsigned n, i;

	(void)state;
	udp4(&in, 3000 - 28, 7);
	pkt_id(&in, 0xbeef);
	n = run_xlat(&cfg, &ctx, &in);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++)
		run_out(&ctx, i, &frags[i]);
	for (i = 0; i < n; i++) {
		assert_int_equal(run_xlat(&cfg, &ctx, &frags[i]), 1);
		run_out(&ctx, 0, &out);
		assert_int_equal(pkt_get16(out.b + 4), 0xbeef);
		assert_int_equal(pkt_get16(out.b + 6),
				 i * 1232 / 8 | (i < 2 ? PKT_MF : 0));
		memcpy(whole.b + 20 + i * 1232, out.b + 20, out.len - 20);
	}
	assert_memory_equal(whole.b + 20, in.b + 20, 2980);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ipv6_fragment_refragmented),
		T(test_ipv6_packet_fragmented),
		T(test_ipv6_packet_over_1260_fragmented),
		T(test_atomic_fragment_fragmented),
		T(test_ipv6_packet_mtu_68),
		T(test_too_many_fragments),
		T(test_ipv4_fragment_split),
		T(test_lowest_ipv6_mtu),
		T(test_echo_fragmented),
		T(test_zero_udp_checksum_fragmented),
		T(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
