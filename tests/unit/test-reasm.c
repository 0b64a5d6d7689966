/* SPDX-License-Identifier: BSD-2-Clause */
/* Reassembly of ICMP fragments ahead of translation (xlat_reasm.h),
 * RFC 791 §3.2, RFC 8200 §4.5, RFC 5722. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pkt-build.h"
#include "run.h"
#include "xlatd/xlat_reasm.h"

static struct xlat_reasm reasm;
static struct pkt whole, frag[4];

static void
echo4(size_t data_len)
{
	pkt_ipv4(&whole, "192.0.0.2", "198.51.100.7");
	pkt_icmp(&whole, 8, 0, 0xd00d0001);
	pkt_fill(&whole, data_len, 7);
	pkt_finish(&whole);
}

static void
echo6(size_t data_len)
{
	pkt_ipv6(&whole, "2001:db8:64::c633:6407", "2001:db8:aaaa::2");
	pkt_icmp(&whole, 129, 0, 0xd00d0001);
	pkt_fill(&whole, data_len, 9);
	pkt_finish(&whole);
}

static bool
add(const struct pkt *p, uint64_t now, struct xlat_buf *out)
{
	return xlat_reasm_add(&reasm, p->b, p->len, now, out);
}

/* Fragments in any order give back the datagram, byte for byte. */
static void
test_ipv4_out_of_order(void **state)
{
	struct xlat_buf out;

	(void)state;
	xlat_reasm_init(&reasm);
	echo4(2992); /* 3000 bytes of ICMP */
	pkt_split4(&whole, 0, 1480, true, &frag[0]);
	pkt_split4(&whole, 1480, 1480, true, &frag[1]);
	pkt_split4(&whole, 2960, 40, false, &frag[2]);
	assert_true(xlat_reasm_wanted(frag[0].b, frag[0].len));
	assert_false(add(&frag[2], 0, &out));
	assert_false(add(&frag[0], 1, &out));
	assert_true(add(&frag[1], 2, &out));
	assert_int_equal(out.len, whole.len);
	assert_true(out.off >= XLAT_HEADROOM);
	assert_memory_equal(out.data + out.off, whole.b, whole.len);
	assert_int_equal(reasm.completed, 1);
}

/* The reassembled echo translates, and leaves as IPv6 fragments of at
 * most lowest-ipv6-mtu (RFC 7915 §4.1) whose ICMPv6 checksum is right. */
static void
test_ipv4_then_translated(void **state)
{
	struct xlat_cfg cfg;
	struct xlat_ctx *ctx = malloc(sizeof(*ctx));
	struct xlat_buf out;
	struct pkt v6;
	unsigned n, i;

	(void)state;
	xlat_reasm_init(&reasm);
	run_cfg(&cfg, "2001:db8:64::/96");
	xlat_ctx_init(ctx, 1);
	echo4(2992);
	pkt_split4(&whole, 0, 1480, true, &frag[0]);
	pkt_split4(&whole, 1480, 1520, false, &frag[1]);
	assert_false(add(&frag[0], 0, &out));
	assert_true(add(&frag[1], 0, &out));
	n = xlat_translate(&cfg, ctx, &out);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++)
		assert_true(ctx->out[i].len <= 1280);
	run_reassemble6(ctx, 0, n, &v6);
	assert_int_equal(v6.b[40], 128); /* echo request */
	assert_int_equal(pkt_l4_sum(v6.b, v6.len), 0xffff);
	free(ctx);
}

/* The IPv6 datagram keeps its Fragment header, as an atomic fragment
 * (offset 0, M 0) with the sender's Identification: the translator then
 * applies RFC 7915 §5.1.1 to it. */
static void
test_ipv6(void **state)
{
	static struct pkt atomic;
	struct xlat_buf out;

	(void)state;
	xlat_reasm_init(&reasm);
	echo6(2992);
	pkt_split6(&whole, 0, 1232, true, 0xabcd, &frag[0]);
	pkt_split6(&whole, 1232, 1232, true, 0xabcd, &frag[1]);
	pkt_split6(&whole, 2464, 536, false, 0xabcd, &frag[2]);
	pkt_split6(&whole, 0, 3000, false, 0xabcd, &atomic);
	assert_true(xlat_reasm_wanted(frag[1].b, frag[1].len));
	assert_false(add(&frag[1], 0, &out));
	assert_false(add(&frag[2], 0, &out));
	assert_true(add(&frag[0], 0, &out));
	assert_int_equal(out.len, atomic.len);
	assert_memory_equal(out.data + out.off, atomic.b, atomic.len);
}

/* RFC 7915 §5.1.1: the reassembled echo reply leaves with DF 0 and the
 * low 16 bits of the sender's Identification, so that an IPv4 router
 * behind the translator (xlatd as a router) may fragment it. Too big for
 * mtu-v4, it is fragmented here under that Identification, rather than
 * refused with a Packet Too Big its sender could do nothing about. */
static void
test_ipv6_then_translated(void **state)
{
	static struct pkt v4, back;
	struct xlat_cfg cfg;
	struct xlat_ctx *ctx = malloc(sizeof(*ctx));
	struct xlat_buf out;
	unsigned n, i;

	(void)state;
	run_cfg(&cfg, "2001:db8:64::/96");
	cfg.mtu_v4 = 65535; /* into the host stack, as the daemon has it */
	xlat_ctx_init(ctx, 1);
	echo6(2992);
	pkt_split6(&whole, 0, 1232, true, 0x5eed1234, &frag[0]);
	pkt_split6(&whole, 1232, 1768, false, 0x5eed1234, &frag[1]);
	xlat_reasm_init(&reasm);
	assert_false(add(&frag[0], 0, &out));
	assert_true(add(&frag[1], 0, &out));
	assert_int_equal(xlat_translate(&cfg, ctx, &out), 1);
	run_out(ctx, 0, &v4);
	assert_int_equal(v4.len, 20 + 3000);
	assert_int_equal(pkt_get16(v4.b + 4), 0x1234);
	assert_int_equal(pkt_get16(v4.b + 6), 0); /* DF 0, MF 0 */
	assert_int_equal(pkt_ipv4_header_sum(v4.b), 0xffff);
	assert_int_equal(v4.b[20], 0); /* echo reply */
	assert_int_equal(pkt_l4_sum(v4.b, v4.len), 0xffff);

	cfg.mtu_v4 = 1500;
	xlat_reasm_init(&reasm);
	assert_false(add(&frag[1], 0, &out));
	assert_true(add(&frag[0], 0, &out));
	n = xlat_translate(&cfg, ctx, &out);
	assert_int_equal(n, 3); /* 1480 + 1480 + 40 */
	for (i = 0; i < n; i++) {
		run_out(ctx, i, &v4);
		assert_true(v4.len <= 1500);
		assert_int_equal(pkt_get16(v4.b + 4), 0x1234);
		assert_int_equal(pkt_get16(v4.b + 6) & PKT_DF, 0);
	}
	run_reassemble4(ctx, 0, n, &back);
	assert_int_equal(back.len, 20 + 3000);
	assert_int_equal(pkt_l4_sum(back.b, back.len), 0xffff);
	assert_memory_equal(back.b + 28, whole.b + 48, 2992);
	free(ctx);
}

static bool
all_zero(const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] != 0)
			return false;
	return true;
}

/* The largest datagram, 65535 bytes of IPv6 payload with the Fragment
 * header it keeps, fits its slot: its last byte does not land in the next
 * slot. One byte more does not fit its Payload Length, and is dropped. */
static void
test_ipv6_largest(void **state)
{
	static struct pkt atomic;
	struct xlat_buf out;
	size_t data = 65535 - 8;

	(void)state;
	memset(&reasm, 0, sizeof(reasm));
	xlat_reasm_init(&reasm);
	echo6(data - 8);
	pkt_split6(&whole, 0, 32768, true, 0xabcd, &frag[0]);
	pkt_split6(&whole, 32768, data - 32768, false, 0xabcd, &frag[1]);
	pkt_split6(&whole, 0, data, false, 0xabcd, &atomic);
	assert_false(add(&frag[1], 0, &out));
	assert_true(all_zero(&reasm.slot[1], sizeof(reasm.slot[1])));
	assert_true(add(&frag[0], 0, &out));
	assert_int_equal(out.len, atomic.len);
	assert_true(out.off >= XLAT_HEADROOM);
	assert_true(out.off + out.len <= out.size);
	assert_memory_equal(out.data + out.off, atomic.b, atomic.len);

	echo6(data + 1 - 8);
	pkt_split6(&whole, 0, 32768, true, 0xabce, &frag[0]);
	pkt_split6(&whole, 32768, data + 1 - 32768, false, 0xabce, &frag[1]);
	assert_false(add(&frag[0], 0, &out));
	assert_false(add(&frag[1], 0, &out));
	assert_int_equal(reasm.dropped, 1);
}

/* RFC 5722: an overlapping fragment drops the whole datagram. */
static void
test_overlap_drops(void **state)
{
	struct xlat_buf out;

	(void)state;
	xlat_reasm_init(&reasm);
	echo4(2992);
	pkt_split4(&whole, 0, 1480, true, &frag[0]);
	pkt_split4(&whole, 1472, 1528, false, &frag[1]);
	assert_false(add(&frag[0], 0, &out));
	assert_false(add(&frag[1], 0, &out));
	assert_int_equal(reasm.dropped, 1);
	/* nothing is left half-done: the first fragment alone completes
	 * nothing */
	pkt_split4(&whole, 1480, 1520, false, &frag[2]);
	assert_false(add(&frag[2], 0, &out));
}

/* Fragments older than the timeout are forgotten. */
static void
test_timeout(void **state)
{
	struct xlat_buf out;

	(void)state;
	xlat_reasm_init(&reasm);
	echo4(2992);
	pkt_split4(&whole, 0, 1480, true, &frag[0]);
	pkt_split4(&whole, 1480, 1520, false, &frag[1]);
	assert_false(add(&frag[0], 0, &out));
	assert_false(add(&frag[1], XLAT_REASM_TIMEOUT_MS + 1, &out));
	assert_int_equal(reasm.timed_out, 1);
}

/* TCP and UDP fragments and whole ICMP messages are not for the table. */
static void
test_not_wanted(void **state)
{
	(void)state;
	echo4(100);
	assert_false(xlat_reasm_wanted(whole.b, whole.len));
	pkt_ipv4(&whole, "192.0.0.2", "198.51.100.7");
	pkt_udp(&whole, 1, 2);
	pkt_fill(&whole, 2000, 1);
	pkt_finish(&whole);
	pkt_split4(&whole, 0, 1480, true, &frag[0]);
	assert_false(xlat_reasm_wanted(frag[0].b, frag[0].len));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4_out_of_order),
		cmocka_unit_test(test_ipv4_then_translated),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_ipv6_then_translated),
		cmocka_unit_test(test_ipv6_largest),
		cmocka_unit_test(test_overlap_drops),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_not_wanted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
