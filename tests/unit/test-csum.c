/* SPDX-License-Identifier: BSD-2-Clause */
/* src/xlat/csum.c: RFC 1071 sums, RFC 1624 incremental updates, and the
 * AOSP clatd AdjustChecksum table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pkt-build.h"
#include "xlat/core.h"

#define ANDROID_TSV XLAT_CONFORMANCE_DIR "/android/checksum-vectors.tsv"

/* RFC 1071 §3, "Numerical Examples": the folded sum of these bytes is
 * ddf2, so the checksum is 220d. */
static const uint8_t rfc1071_bytes[8] = {0x00, 0x01, 0xf2, 0x03,
					 0xf4, 0xf5, 0xf6, 0xf7};

static void
test_rfc1071_example(void **state)
{
	uint32_t sum;

	(void)state;
	assert_int_equal(xlat_csum_fold(xlat_csum_add(0, rfc1071_bytes, 8)),
			 0xddf2);
	assert_int_equal(xlat_csum_finish(xlat_csum_add(0, rfc1071_bytes, 8)),
			 0x220d);
	/* RFC 1071 §2(B): the sum may be taken in pieces. */
	sum = xlat_csum_add(0, rfc1071_bytes, 4);
	sum = xlat_csum_add(sum, rfc1071_bytes + 4, 4);
	assert_int_equal(xlat_csum_fold(sum), 0xddf2);
}

/* RFC 1071 §4.1: an odd trailing byte counts as the high byte of a word. */
static void
test_odd_length(void **state)
{
	static const uint8_t three[3] = {0x12, 0x34, 0x56};

	(void)state;
	assert_int_equal(xlat_csum_fold(xlat_csum_add(0, three, 3)), 0x6834);
	assert_int_equal(xlat_csum_fold(xlat_csum_add(0, three + 2, 1)),
			 0x5600);
	assert_int_equal(xlat_csum_fold(xlat_csum_add(0, three, 0)), 0);
}

/* RFC 1071 §2(C): carries wrap around, however many there are. */
static void
test_end_around_carry(void **state)
{
	static uint8_t ones[XLAT_MAX_PACKET - 1]; /* an even length */
	static const uint8_t one[2] = {0x00, 0x01};
	static const uint8_t words[4] = {0xff, 0xff, 0x00, 0x02};

	(void)state;
	memset(ones, 0xff, sizeof(ones));
	assert_int_equal(xlat_csum_fold(xlat_csum_add(0, ones, sizeof(ones))),
			 0xffff);
	assert_int_equal(xlat_csum_finish(xlat_csum_add(0, ones, sizeof(ones))),
			 0);
	/* one more byte: ff00 is added */
	assert_int_equal(
		xlat_csum_fold(xlat_csum_add(0, ones, sizeof(ones) - 1)),
		0xff00);
	/* ffff + 0002 = 1 0001 -> 0002 */
	assert_int_equal(xlat_csum_fold(xlat_csum_add(0, words, 4)), 0x0002);
	/* A full 32-bit accumulator carries into bit 0 as well. */
	assert_int_equal(xlat_csum_fold(xlat_csum_add(0xffffffffu, one, 2)),
			 0x0001);
	assert_int_equal(xlat_csum_fold(0x0001fffeu), 0xffff);
	assert_int_equal(xlat_csum_fold(0xffffffffu), 0xffff);
}

/* RFC 791 §3.1: the header checksum skips its own field. */
static void
test_ipv4_header(void **state)
{
	uint8_t hdr[24] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40,
			   0x00, 0x40, 0x11, 0xde, 0xad, 0xc0, 0xa8,
			   0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};

	(void)state;
	assert_int_equal(csum_ipv4_header(hdr, 20), 0xb861);
	/* With four bytes of options (NOP NOP NOP EOL): IHL 6. */
	hdr[0] = 0x46;
	hdr[20] = 1;
	hdr[21] = 1;
	hdr[22] = 1;
	hdr[23] = 0;
	/* the sum grows by 0100 (IHL) + 0101 + 0100: 479e -> 4a9f */
	assert_int_equal(csum_ipv4_header(hdr, 24), 0xb560);
}

/* RFC 768 / RFC 9293 §3.1 pseudo-header: 0a00 + 0001 + 0a00 + 0002 +
 * length 0008 + protocol 0011 = 141c. */
static void
test_pseudo4(void **state)
{
	uint8_t src[4], dst[4];

	(void)state;
	pkt_addr4("10.0.0.1", src);
	pkt_addr4("10.0.0.2", dst);
	assert_int_equal(xlat_csum_fold(csum_pseudo4(src, dst, 8, PKT_UDP)),
			 0x141c);
}

/* RFC 8200 §8.1: the upper-layer length is 32 bits. 2001 + 0db8 + 0001 +
 * 2001 + 0db8 + 0002 + 0001 0008 + 003a = 5bb8. */
static void
test_pseudo6(void **state)
{
	uint8_t src[16], dst[16];

	(void)state;
	pkt_addr6("2001:db8::1", src);
	pkt_addr6("2001:db8::2", dst);
	assert_int_equal(
		xlat_csum_fold(csum_pseudo6(src, dst, 0x10008, PKT_ICMPV6)),
		0x5bb8);
}

/* RFC 1624 §4 (and §3, eqn. 3): a field m = 5555 becomes m' = 3285 in a
 * header whose other words sum to cd7a. HC = dd2f; eqn. 2 would give ffff
 * (-0), eqn. 3 gives 0000, as a full recomputation does. */
static void
test_rfc1624_eqn3(void **state)
{
	(void)state;
	assert_int_equal(csum_adjust(0xdd2f, 0x5555, 0x3285), 0x0000);
	/* and back again */
	assert_int_equal(csum_adjust(0x0000, 0x3285, 0x5555), 0xdd2f);
	/* no change, no effect, even from 0000 */
	assert_int_equal(csum_adjust(0x0000, 0x1234, 0x1234), 0x0000);
	assert_int_equal(csum_adjust(0xdd2f, 0xffff, 0x0000), 0xdd2f);
}

static uint32_t
rnd(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

static void
random_bytes(uint32_t *x, uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)rnd(x);
}

/* RFC 1624 §3: an incremental update over a changed region (a word, or 32
 * bytes of addresses as in translation) equals recomputing the sum. */
static void
test_incremental_equals_recompute(void **state)
{
	uint8_t data[64];
	uint32_t x = 0x12345678;
	int i;

	(void)state;
	for (i = 0; i < 2000; i++) {
		size_t at = (rnd(&x) % 16) * 2, n = i % 2 ? 2 : 32;
		uint16_t check, old_sum, new_sum, want;

		random_bytes(&x, data, sizeof(data));
		data[0] |= 1; /* keep the sum away from the all-zero case */
		pkt_put16(data + 62, 0);
		check = (uint16_t)~pkt_sum(0, data, sizeof(data));
		pkt_put16(data + 62, check);
		old_sum = pkt_sum(0, data + at, n);
		random_bytes(&x, data + at, n);
		new_sum = pkt_sum(0, data + at, n);
		pkt_put16(data + 62, 0);
		want = (uint16_t)~pkt_sum(0, data, sizeof(data));
		assert_int_equal(csum_adjust(check, old_sum, new_sum), want);
	}
}

/* A wrong checksum stays wrong by the same amount: the receiver's sum
 * over the data is the same before and after the update. */
static void
test_wrong_stays_wrong(void **state)
{
	uint8_t data[40];
	uint32_t x = 0xcafef00d;
	int i;

	(void)state;
	for (i = 0; i < 2000; i++) {
		uint16_t check, bad, old_sum, new_sum, before;

		random_bytes(&x, data, sizeof(data));
		data[0] |= 1;
		pkt_put16(data + 38, 0);
		check = (uint16_t)~pkt_sum(0, data, sizeof(data));
		bad = (uint16_t)(check + 1 + rnd(&x) % 0xfff0);
		if (bad == check || bad == (uint16_t)~0 || bad == 0)
			continue;
		pkt_put16(data + 38, bad);
		before = pkt_sum(0, data, sizeof(data));
		assert_int_not_equal(before, 0xffff);
		old_sum = pkt_sum(0, data + 4, 16);
		random_bytes(&x, data + 4, 16);
		new_sum = pkt_sum(0, data + 4, 16);
		pkt_put16(data + 38, csum_adjust(bad, old_sum, new_sum));
		assert_int_equal(pkt_sum(0, data, sizeof(data)), before);
	}
}

static uint16_t
swap16(uint16_t v)
{
	return (uint16_t)(v << 8 | v >> 8);
}

static uint16_t
fold(unsigned long v)
{
	while (v > 0xffff)
		v = (v & 0xffff) + (v >> 16);
	return (uint16_t)v;
}

/* AOSP clatd_test.cpp AdjustChecksum: ip_checksum_adjust(checksum,
 * old_hdr_sum, new_hdr_sum). The table holds host-order values read from
 * wire-order memory on a little-endian host; one's complement sums commute
 * with byte swapping, so each value is swapped into wire order here. */
static void
test_android_adjust_table(void **state)
{
	char line[256];
	unsigned rows = 0;
	FILE *f;

	(void)state;
	if ((f = fopen(ANDROID_TSV, "r")) == NULL) {
		print_message("skipping: %s not found (the shared conformance "
			      "data is not next to the source tree)\n",
			      ANDROID_TSV);
		skip();
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned long check, old_sum, new_sum, result;

		if (line[0] == '#' || sscanf(line, "%lx %lx %lx %lx", &check,
					     &old_sum, &new_sum, &result) != 4)
			continue;
		assert_int_equal(csum_adjust(swap16((uint16_t)check),
					     swap16(fold(old_sum)),
					     swap16(fold(new_sum))),
				 swap16((uint16_t)result));
		rows++;
	}
	fclose(f);
	assert_int_equal(rows, 5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc1071_example),
		cmocka_unit_test(test_odd_length),
		cmocka_unit_test(test_end_around_carry),
		cmocka_unit_test(test_ipv4_header),
		cmocka_unit_test(test_pseudo4),
		cmocka_unit_test(test_pseudo6),
		cmocka_unit_test(test_rfc1624_eqn3),
		cmocka_unit_test(test_incremental_equals_recompute),
		cmocka_unit_test(test_wrong_stays_wrong),
		cmocka_unit_test(test_android_adjust_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
