/* SPDX-License-Identifier: BSD-2-Clause */
/* src/xlat/icmp_err.c: the packet inside an ICMP error (RFC 7915 §4.3,
 * §5.3), its size limits, RFC 4884 extensions, RFC 6791 sources. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "run.h"

static struct xlat_cfg cfg;
static struct xlat_ctx ctx;
static struct pkt inner, in, out;

#define ROUTER4 "203.0.113.1"
#define ROUTER6 "2001:db8:64::cb00:7101" /* ROUTER4 under pool6 */
#define CLAT4 "192.0.0.2"
#define CLAT6 "2001:db8:aaaa::2"
#define PEER4 "198.51.100.2"
#define PEER6 "2001:db8:64::c633:6402"

static int
setup(void **state)
{
	(void)state;
	run_cfg(&cfg, "2001:db8:64::/96");
	xlat_ctx_init(&ctx, 19);
	return 0;
}

/* What the CLAT sent, as the error quotes it: TTL 17, TOS 0x28. */
static void
inner4_udp(struct pkt *p, size_t data_len)
{
	pkt_ipv4(p, CLAT4, PEER4);
	pkt_ttl(p, 17);
	pkt_tos(p, 0x28);
	pkt_frag4(p, PKT_DF);
	pkt_udp(p, 40000, 53);
	pkt_fill(p, data_len, 21);
	pkt_finish(p);
}

static void
inner6_udp(struct pkt *p, size_t data_len)
{
	pkt_ipv6(p, CLAT6, PEER6);
	pkt_ttl(p, 17);
	pkt_tos(p, 0x28);
	pkt_udp(p, 40000, 53);
	pkt_fill(p, data_len, 22);
	pkt_finish(p);
}

static void
err4(struct pkt *p, uint8_t type, uint8_t code, uint32_t rest,
     const uint8_t *quote, size_t quote_len, const uint8_t *ext, size_t ext_len)
{
	pkt_ipv4(p, ROUTER4, CLAT4);
	pkt_icmp(p, type, code, rest);
	pkt_data(p, quote, quote_len);
	pkt_data(p, ext, ext_len);
	pkt_finish(p);
}

static void
err6(struct pkt *p, uint8_t type, uint8_t code, uint32_t rest,
     const uint8_t *quote, size_t quote_len, const uint8_t *ext, size_t ext_len)
{
	pkt_ipv6(p, ROUTER6, CLAT6);
	pkt_icmp(p, type, code, rest);
	pkt_data(p, quote, quote_len);
	pkt_data(p, ext, ext_len);
	pkt_finish(p);
}

/* An RFC 4884 §7 extension structure: version 2, checksum, one object
 * (RFC 4950 MPLS stack class) filling len bytes. */
static void
make_ext(uint8_t *e, size_t len)
{
	size_t i;

	memset(e, 0, len);
	e[0] = 0x20;
	pkt_put16(e + 4, (uint16_t)(len - 4));
	e[6] = 1; /* class */
	e[7] = 1; /* C-type */
	for (i = 8; i < len; i++)
		e[i] = (uint8_t)i;
	pkt_put16(e + 2, (uint16_t)~pkt_sum(0, e, len));
}

/* RFC 7915 §4.3: the inner IPv4 header becomes IPv6 with the addresses
 * mapped, its TTL as Hop Limit without decrement; the inner UDP checksum
 * is updated for the inner pseudo-header. */
static void
test_inner_4to6(void **state)
{
	const uint8_t *i6;

	(void)state;
	inner4_udp(&inner, 20);
	err4(&in, 3, 3, 0, inner.b, inner.len, NULL, 0);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.len, 48 + 40 + 28);
	assert_int_equal(pkt_get16(out.b + 4), 8 + 40 + 28);
	assert_int_equal(out.b[6], PKT_ICMPV6);
	assert_int_equal(out.b[7], 63);
	run_assert_addr6(out.b + 8, ROUTER6);
	run_assert_addr6(out.b + 24, CLAT6);
	assert_int_equal(out.b[40], 1);
	assert_int_equal(out.b[41], 4);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);

	i6 = out.b + 48;
	assert_int_equal(pkt_get32(i6), 0x62800000); /* TC 0x28, no flow */
	assert_int_equal(pkt_get16(i6 + 4), 28);
	assert_int_equal(i6[6], PKT_UDP);
	assert_int_equal(i6[7], 17);
	run_assert_addr6(i6 + 8, CLAT6);
	run_assert_addr6(i6 + 24, PEER6);
	assert_int_equal(pkt_l4_sum(i6, 68), 0xffff);
	assert_memory_equal(i6 + 48, inner.b + 28, 20);
}

static void
test_inner_6to4(void **state)
{
	const uint8_t *i4;

	(void)state;
	inner6_udp(&inner, 20);
	err6(&in, 1, 4, 0, inner.b, inner.len, NULL, 0);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.len, 28 + 20 + 28);
	assert_int_equal(out.b[8], 63);
	assert_int_equal(pkt_get32(out.b + 12), 0xcb007101);
	assert_int_equal(pkt_get32(out.b + 16), 0xc0000002);
	assert_int_equal(out.b[20], 3);
	assert_int_equal(out.b[21], 3);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);

	i4 = out.b + 28;
	assert_int_equal(i4[0], 0x45);
	assert_int_equal(i4[1], 0x28);
	assert_int_equal(pkt_get16(i4 + 2), 48);
	assert_int_equal(pkt_get16(i4 + 6), 0); /* 48 bytes: DF = 0 */
	assert_int_equal(i4[8], 17);
	assert_int_equal(i4[9], PKT_UDP);
	assert_int_equal(pkt_ipv4_header_sum(i4), 0xffff);
	assert_int_equal(pkt_get32(i4 + 12), 0xc0000002);
	assert_int_equal(pkt_get32(i4 + 16), 0xc6336402);
	assert_int_equal(pkt_l4_sum(i4, 48), 0xffff);
	assert_memory_equal(i4 + 28, inner.b + 48, 20);
}

/* RFC 7915 §4.3: an inner echo request becomes ICMPv6, with its checksum
 * over the inner IPv6 pseudo-header. */
static void
test_inner_echo(void **state)
{
	(void)state;
	pkt_ipv4(&inner, CLAT4, PEER4);
	pkt_ttl(&inner, 1);
	pkt_icmp(&inner, 8, 0, 0x00070001);
	pkt_fill(&inner, 32, 23);
	pkt_finish(&inner);
	err4(&in, 11, 0, 0, inner.b, inner.len, NULL, 0);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.b[40], 3);
	assert_int_equal(out.b[48 + 6], PKT_ICMPV6);
	assert_int_equal(out.b[88], 128);
	assert_int_equal(pkt_get32(out.b + 92), 0x00070001);
	assert_int_equal(pkt_l4_sum(out.b + 48, out.len - 48), 0xffff);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);

	pkt_ipv6(&inner, CLAT6, PEER6);
	pkt_icmp(&inner, 129, 0, 0x00070002);
	pkt_fill(&inner, 32, 24);
	pkt_finish(&inner);
	err6(&in, 1, 0, 0, inner.b, inner.len, NULL, 0);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.b[28 + 9], PKT_ICMP);
	assert_int_equal(out.b[48], 0);
	assert_int_equal(pkt_get32(out.b + 52), 0x00070002);
	assert_int_equal(pkt_l4_sum(out.b + 28, out.len - 28), 0xffff);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
}

/* The inner packet's own options and extension headers are not carried
 * over, as for any packet (RFC 7915 §4.1, §5.1). */
static void
test_inner_options_and_ext_headers(void **state)
{
	static const uint8_t nops[4] = {1, 1, 1, 0};

	(void)state;
	pkt_ipv4(&inner, CLAT4, PEER4);
	pkt_ipv4_options(&inner, nops, sizeof(nops));
	pkt_udp(&inner, 40000, 53);
	pkt_fill(&inner, 20, 25);
	pkt_finish(&inner);
	err4(&in, 3, 3, 0, inner.b, inner.len, NULL, 0);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.len, 48 + 40 + 28);
	assert_int_equal(pkt_get16(out.b + 48 + 4), 28);
	assert_int_equal(pkt_l4_sum(out.b + 48, 68), 0xffff);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);

	pkt_ipv6(&inner, CLAT6, PEER6);
	pkt_hopopts(&inner, 8);
	pkt_dstopts(&inner, 16);
	pkt_udp(&inner, 40000, 53);
	pkt_fill(&inner, 20, 26);
	pkt_finish(&inner);
	err6(&in, 1, 4, 0, inner.b, inner.len, NULL, 0);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.len, 28 + 20 + 28);
	assert_int_equal(pkt_get16(out.b + 28 + 2), 48);
	assert_int_equal(out.b[28 + 9], PKT_UDP);
	assert_int_equal(pkt_l4_sum(out.b + 28, 48), 0xffff);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
}

/* An inner IPv4 fragment gets a Fragment header (RFC 7915 §4.3 applies
 * §4.1 to it). */
static void
test_inner_fragment_4to6(void **state)
{
	static struct pkt whole;

	(void)state;
	inner4_udp(&whole, 300);
	pkt_frag4(&whole, 0);
	pkt_id(&whole, 0x5a5a);
	pkt_split4(&whole, 160, 148, false, &inner);
	err4(&in, 11, 1, 0, inner.b, inner.len, NULL, 0);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.b[40], 3);
	assert_int_equal(out.b[41], 1);
	assert_int_equal(out.len, 48 + 48 + 148);
	assert_int_equal(out.b[48 + 6], PKT_FRAGMENT);
	assert_int_equal(pkt_get16(out.b + 48 + 4), 8 + 148);
	assert_int_equal(out.b[88], PKT_UDP);
	assert_int_equal(pkt_get16(out.b + 90), 160);
	assert_int_equal(pkt_get32(out.b + 92), 0x5a5a);
	assert_memory_equal(out.b + 96, inner.b + 20, 148);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
}

/* Options on the error's own IPv4 header are dropped like any others. */
static void
test_outer_options(void **state)
{
	static const uint8_t rr[8] = {7, 7, 4, 0, 0, 0, 0, 0};

	(void)state;
	inner4_udp(&inner, 20);
	pkt_ipv4(&in, ROUTER4, CLAT4);
	pkt_ipv4_options(&in, rr, sizeof(rr));
	pkt_icmp(&in, 3, 3, 0);
	pkt_data(&in, inner.b, inner.len);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.len, 48 + 40 + 28);
	run_assert_addr6(out.b + 8, ROUTER6);
	run_assert_addr6(out.b + 48 + 8, CLAT6);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
	assert_memory_equal(out.b + 96, inner.b + 28, 20);
}

/* A quote cut after 8 bytes of UDP (RFC 792's minimum): the Length fields
 * keep the original size, and the checksum is updated as if whole. */
static void
test_inner_truncated(void **state)
{
	uint16_t full_check;

	(void)state;
	inner4_udp(&inner, 200);
	err4(&in, 3, 3, 0, inner.b, inner.len, NULL, 0);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	full_check = pkt_get16(out.b + 48 + 46);

	err4(&in, 3, 3, 0, inner.b, 28, NULL, 0);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.len, 48 + 48);
	assert_int_equal(pkt_get16(out.b + 48 + 4), 208); /* as claimed */
	assert_int_equal(pkt_get16(out.b + 48 + 46), full_check);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
}

/* An inner IPv6 fragment: Identification, MF and offset in the inner
 * IPv4 header (RFC 7915 §5.3 applies §5.1 to it). */
static void
test_inner_fragment_6to4(void **state)
{
	static struct pkt whole;

	(void)state;
	inner6_udp(&whole, 300);
	pkt_split6(&whole, 0, 160, true, 0xa1b2c3d4, &inner);
	err6(&in, 3, 1, 0, inner.b, inner.len, NULL, 0);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.b[20], 11);
	assert_int_equal(out.b[21], 1);
	assert_int_equal(pkt_get16(out.b + 28 + 2), 180);
	assert_int_equal(pkt_get16(out.b + 28 + 4), 0xc3d4);
	assert_int_equal(pkt_get16(out.b + 28 + 6), PKT_MF);
	assert_int_equal(out.b[28 + 9], PKT_UDP);
	assert_int_equal(out.len, 28 + 180);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
}

/* RFC 1812 §4.3.2.3: an ICMPv4 error is at most 576 bytes; the inner
 * Total Length still tells the original size. */
static void
test_limit_576(void **state)
{
	(void)state;
	inner6_udp(&inner, 1200 - 48);
	err6(&in, 1, 4, 0, inner.b, inner.len, NULL, 0);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.len, 576);
	assert_int_equal(pkt_get16(out.b + 2), 576);
	assert_int_equal(pkt_get16(out.b + 28 + 2), 1180);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
	assert_memory_equal(out.b + 56, inner.b + 48, 576 - 56);
}

/* RFC 4443 §2.4(c): an ICMPv6 error is at most 1280 bytes. */
static void
test_limit_1280(void **state)
{
	(void)state;
	inner4_udp(&inner, 1400 - 28);
	err4(&in, 3, 3, 0, inner.b, inner.len, NULL, 0);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.len, 1280);
	assert_int_equal(pkt_get16(out.b + 4), 1240);
	assert_int_equal(pkt_get16(out.b + 48 + 4), 1380);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
	assert_memory_equal(out.b + 96, inner.b + 28, 1280 - 96);
}

/* RFC 4884 §4.1/§4.6 and §5: ICMPv4 Time Exceeded with 128 bytes of
 * original datagram (length 32 words) and an extension: ICMPv6 Time
 * Exceeded whose length (in 8-byte words) points at the same extension. */
static void
test_rfc4884_4to6(void **state)
{
	uint8_t ext[16];
	size_t attr, keep;

	(void)state;
	make_ext(ext, sizeof(ext));
	inner4_udp(&inner, 100); /* 128 bytes */
	err4(&in, 11, 0, 32u << 16, inner.b, inner.len, ext, sizeof(ext));
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.b[40], 3);
	attr = (size_t)out.b[44] * 8;
	assert_true(attr >= 128);
	assert_int_equal(pkt_get16(out.b + 45), 0);
	assert_int_equal(out.len, 48 + attr + sizeof(ext));
	assert_memory_equal(out.b + 48 + attr, ext, sizeof(ext));
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
	/* the translated datagram (148 bytes) up to the extension */
	run_assert_addr6(out.b + 48 + 8, CLAT6);
	keep = attr < 148 ? attr : 148;
	assert_memory_equal(out.b + 96, inner.b + 28, keep - 48);
}

/* ICMPv6 Destination Unreachable with 128 bytes of original datagram (16
 * units) and an extension: ICMPv4 3/1 with the 108-byte datagram padded
 * to 128 bytes (length 32 words) and the extension behind it. */
static void
test_rfc4884_6to4(void **state)
{
	static const uint8_t zero[20];
	uint8_t ext[12];

	(void)state;
	make_ext(ext, sizeof(ext));
	inner6_udp(&inner, 80); /* 128 bytes */
	err6(&in, 1, 0, 16u << 24, inner.b, inner.len, ext, sizeof(ext));
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.b[20], 3);
	assert_int_equal(out.b[21], 1);
	assert_int_equal(out.b[24], 0);
	assert_int_equal(out.b[25], 32);
	assert_int_equal(out.len, 28 + 128 + sizeof(ext));
	assert_int_equal(pkt_get16(out.b + 2), out.len);
	assert_int_equal(pkt_get16(out.b + 28 + 2), 108);
	assert_memory_equal(out.b + 28 + 28, inner.b + 48, 80);
	assert_memory_equal(out.b + 28 + 108, zero, 20);
	assert_memory_equal(out.b + 28 + 128, ext, sizeof(ext));
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
}

/* RFC 4884 §4: Packet Too Big and Parameter Problem have no length
 * attribute in ICMPv6; the extension is left out. */
static void
test_rfc4884_dropped_by_type(void **state)
{
	static const struct {
		uint8_t type, code, out_type;
		uint32_t rest;
	} cases[2] = {
		{3, 4, 2, 32u << 16 | 1400},	  /* frag needed: PTB */
		{12, 0, 4, 8u << 24 | 32u << 16}, /* pointer 8, length 32 */
	};
	uint8_t ext[16];
	int i;

	(void)state;
	make_ext(ext, sizeof(ext));
	inner4_udp(&inner, 100);
	for (i = 0; i < 2; i++) {
		err4(&in, cases[i].type, cases[i].code, cases[i].rest, inner.b,
		     inner.len, ext, sizeof(ext));
		assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
		run_out(&ctx, 0, &out);
		assert_int_equal(out.b[40], cases[i].out_type);
		assert_int_equal(out.len, 48 + 148);
		assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
	}
}

/* RFC 4884 §5.3-style room check: a 500-byte extension does not fit
 * beside 128 bytes of datagram in 576; it is left out. */
static void
test_rfc4884_extension_too_big(void **state)
{
	uint8_t ext[504];

	(void)state;
	make_ext(ext, sizeof(ext));
	inner6_udp(&inner, 80);
	err6(&in, 1, 0, 16u << 24, inner.b, inner.len, ext, sizeof(ext));
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.b[25], 0);
	assert_int_equal(out.len, 28 + 108);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
}

/* RFC 4884 §5.2: a length attribute beyond the message means no
 * extension: everything is original datagram. */
static void
test_rfc4884_length_beyond_message(void **state)
{
	(void)state;
	inner4_udp(&inner, 100);
	err4(&in, 3, 1, 100u << 16, inner.b, inner.len, NULL, 0);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.b[44], 0);
	assert_int_equal(out.len, 48 + 148);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
}

/* RFC 7915 §5.1 / RFC 6791: an ICMPv6 error from a router that has no
 * IPv4 form gets the RFC 6791 address (default 192.0.0.8), else own4,
 * else it is dropped. Other packets from there are dropped. */
static void
test_rfc6791_6to4(void **state)
{
	(void)state;
	inner6_udp(&inner, 20);
	pkt_ipv6(&in, "2001:db8:1::1", CLAT6);
	pkt_icmp(&in, 3, 0, 0);
	pkt_data(&in, inner.b, inner.len);
	pkt_finish(&in);

	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(pkt_get32(out.b + 12), 0xc0000008);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);

	cfg.has_rfc6791_v4 = false;
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(pkt_get32(out.b + 12), 0xc0000001);
	assert_int_equal(pkt_ipv4_header_sum(out.b), 0xffff);

	cfg.has_own4 = false;
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_SRC_UNTRANSLATABLE);

	cfg.has_rfc6791_v4 = true;
	pkt_ipv6(&in, "2001:db8:1::1", CLAT6);
	pkt_icmp(&in, 129, 0, 0);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_SRC_UNTRANSLATABLE);
}

/* The same towards IPv6: with wkp-strict, an error from 10.1.1.1 has no
 * IPv6 form. */
static void
test_rfc6791_4to6(void **state)
{
	(void)state;
	run_cfg(&cfg, "64:ff9b::/96");
	cfg.wkp_strict = true;
	cfg.has_rfc6791_v6 = true;
	pkt_addr6("2001:db8:ffff::6791", cfg.rfc6791_v6.s6_addr);
	pkt_ipv4(&inner, CLAT4, "8.8.8.8");
	pkt_udp(&inner, 40000, 53);
	pkt_finish(&inner);
	pkt_ipv4(&in, "10.1.1.1", CLAT4);
	pkt_icmp(&in, 11, 0, 0);
	pkt_data(&in, inner.b, inner.len);
	pkt_finish(&in);

	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	run_assert_addr6(out.b + 8, "2001:db8:ffff::6791");
	run_assert_addr6(out.b + 48 + 24, "64:ff9b::808:808");
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);

	cfg.has_rfc6791_v6 = false;
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	run_assert_addr6(out.b + 8, "2001:db8:aaaa::1");
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);

	cfg.has_own6 = false;
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_SRC_UNTRANSLATABLE);
}

/* RFC 7915 §4.3, §5.3 ("an ICMP error message within an ICMP error
 * message" is not translated). */
static void
test_nested_errors(void **state)
{
	static struct pkt first;

	(void)state;
	inner4_udp(&inner, 20);
	err4(&first, 3, 3, 0, inner.b, inner.len, NULL, 0);
	pkt_ipv4(&in, ROUTER4, CLAT4);
	pkt_icmp(&in, 3, 1, 0);
	pkt_data(&in, first.b, first.len);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_ICMP_NESTED_ERROR);

	inner6_udp(&inner, 20);
	err6(&first, 1, 4, 0, inner.b, inner.len, NULL, 0);
	pkt_ipv6(&in, ROUTER6, CLAT6);
	pkt_icmp(&in, 1, 0, 0);
	pkt_data(&in, first.b, first.len);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_ICMP_NESTED_ERROR);
	assert_int_equal(ctx.stats.drops[XLAT_DROP_ICMP_NESTED_ERROR], 2);
}

/* An error with a bad checksum is not rewritten into a good one. */
static void
test_bad_checksum(void **state)
{
	(void)state;
	inner4_udp(&inner, 20);
	err4(&in, 3, 3, 0, inner.b, inner.len, NULL, 0);
	in.b[22] ^= 0x10;
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_ICMP_CHECKSUM);

	inner6_udp(&inner, 20);
	err6(&in, 1, 4, 0, inner.b, inner.len, NULL, 0);
	in.b[42] ^= 0x10;
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_ICMP_CHECKSUM);
	assert_int_equal(ctx.stats.drops[XLAT_DROP_ICMP_CHECKSUM], 2);
}

/* An inner packet that cannot be translated spoils the error. */
static void
test_inner_unusable(void **state)
{
	(void)state;
	inner4_udp(&inner, 20);
	err4(&in, 3, 3, 0, inner.b, 19, NULL, 0); /* no whole header */
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_ICMP_INNER);

	pkt_ipv6(&inner, CLAT6, "2001:db8:1::5"); /* not under pool6 */
	pkt_udp(&inner, 1, 2);
	pkt_finish(&inner);
	err6(&in, 1, 4, 0, inner.b, inner.len, NULL, 0);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_ICMP_INNER);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_inner_4to6),
		T(test_inner_6to4),
		T(test_inner_echo),
		T(test_inner_truncated),
		T(test_inner_fragment_6to4),
		T(test_inner_fragment_4to6),
		T(test_inner_options_and_ext_headers),
		T(test_outer_options),
		T(test_limit_576),
		T(test_limit_1280),
		T(test_rfc4884_4to6),
		T(test_rfc4884_6to4),
		T(test_rfc4884_dropped_by_type),
		T(test_rfc4884_extension_too_big),
		T(test_rfc4884_length_beyond_message),
		T(test_rfc6791_6to4),
		T(test_rfc6791_4to6),
		T(test_nested_errors),
		T(test_bad_checksum),
		T(test_inner_unusable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
