/* SPDX-License-Identifier: BSD-2-Clause */
/* src/dp/gso.c: super-packets and partial checksums on the CLAT TUN. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dp/gso.h"

#define PAYLOAD 3000
#define MSS 1000

static uint8_t pkt[60 + PAYLOAD];
static uint8_t seg[60 + MSS];

/* Straightforward RFC 1071 sum over big-endian 16-bit words. */
static uint32_t
sum16(uint32_t s, const uint8_t *p, size_t n)
{
	for (; n >= 2; p += 2, n -= 2)
		s += (uint32_t)(p[0] << 8 | p[1]);
	if (n)
		s += (uint32_t)(p[0] << 8);
	return s;
}

static uint16_t
fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* The L4 checksum of packet p (l4 at off) is right. */
static bool
l4_ok(const uint8_t *p, size_t len, size_t off, bool v6)
{
	uint32_t s = v6 ? sum16(0, p + 8, 32) : sum16(0, p + 12, 8);

	s += (uint32_t)(len - off) + (v6 ? p[6] : p[9]);
	return fold(sum16(s, p + off, len - off)) == 0xffff;
}

/* IPv4 or IPv6 TCP with PAYLOAD bytes and the flags given. */
static size_t
build_tcp(bool v6, uint8_t flags)
{
	size_t l3 = v6 ? 40 : 20, len = l3 + 20 + PAYLOAD, i;
	uint8_t *t = pkt + l3;

	memset(pkt, 0, sizeof(pkt));
	if (v6) {
		pkt[0] = 0x60;
		pkt[4] = (uint8_t)((len - 40) >> 8);
		pkt[5] = (uint8_t)(len - 40);
		pkt[6] = 6;
		pkt[7] = 64;
		for (i = 8; i < 40; i++)
			pkt[i] = (uint8_t)(i * 7);
	} else {
		pkt[0] = 0x45;
		pkt[2] = (uint8_t)(len >> 8);
		pkt[3] = (uint8_t)len;
		pkt[4] = 0x12;
		pkt[5] = 0x34;
		pkt[6] = 0x40; /* DF */
		pkt[8] = 64;
		pkt[9] = 6;
		memcpy(pkt + 12, "\xc0\x00\x00\x01\xcb\x00\x71\x0a", 8);
	}
	t[0] = 0x30; /* ports 12345 -> 80 */
	t[1] = 0x39;
	t[3] = 80;
	t[4] = 0xff; /* sequence number wraps within the super-packet */
	t[5] = 0xff;
	t[6] = 0xfc;
	t[7] = 0x00;
	t[12] = 5 << 4;
	t[13] = flags;
	for (i = 0; i < PAYLOAD; i++)
		t[20 + i] = (uint8_t)(i * 13 + 1);
	return len;
}

static struct virtio_net_hdr
vnet(bool v6, uint8_t gso, uint16_t size)
{
	struct virtio_net_hdr vh = {
		.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
		.gso_type = gso,
		.hdr_len = (uint16_t)((v6 ? 40 : 20) + 20),
		.gso_size = size,
		.csum_start = v6 ? 40 : 20,
		.csum_offset = 16,
	};

	return vh;
}

static void
test_parse(void **state)
{
	struct virtio_net_hdr vh;
	struct gso_info gi;
	size_t len;

	(void)state;
	len = build_tcp(false, 0x10);
	vh = vnet(false, VIRTIO_NET_HDR_GSO_TCPV4, MSS);
	assert_true(gso_parse(pkt, len, &vh, &gi));
	assert_false(gi.v6);
	assert_int_equal(gi.l4_off, 20);
	assert_int_equal(gi.l4_hdr, 20);
	assert_int_equal(gi.size, MSS);
	assert_int_equal(gso_count(len, &gi), 3);
	/* the wrong family's GSO type, a wrong offset, a short packet */
	vh.gso_type = VIRTIO_NET_HDR_GSO_TCPV6;
	assert_false(gso_parse(pkt, len, &vh, &gi));
	vh = vnet(false, VIRTIO_NET_HDR_GSO_TCPV4, MSS);
	vh.csum_offset = 6;
	assert_false(gso_parse(pkt, len, &vh, &gi));
	vh = vnet(false, VIRTIO_NET_HDR_GSO_TCPV4, MSS);
	assert_false(gso_parse(pkt, len - 1, &vh, &gi));
	vh.flags = 0;
	assert_false(gso_parse(pkt, len, &vh, &gi));
	/* no GSO, partial checksum only */
	vh = vnet(false, VIRTIO_NET_HDR_GSO_NONE, 0);
	assert_true(gso_parse(pkt, len, &vh, &gi));
	assert_int_equal(gi.size, 0);
	assert_int_equal(gso_count(len, &gi), 1);
}

/* Segments as tcp_gso_segment makes them. */
static void
check_segments(bool v6)
{
	struct virtio_net_hdr vh;
	struct gso_info gi;
	size_t len, n, l3 = v6 ? 40 : 20;
	unsigned i;

	len = build_tcp(v6, 0x80 | 0x10 | 0x08 | 0x01); /* CWR ACK PSH FIN */
	vh = vnet(v6, v6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4,
		  MSS);
	assert_true(gso_parse(pkt, len, &vh, &gi));
	for (i = 0; i < 3; i++) {
		uint32_t seq;

		memset(seg, 0xee, sizeof(seg));
		n = gso_segment(pkt, len, &gi, i, seg);
		assert_int_equal(n, l3 + 20 + MSS);
		assert_true(l4_ok(seg, n, l3, v6));
		assert_memory_equal(seg + l3 + 20, pkt + l3 + 20 + i * MSS,
				    MSS);
		seq = (uint32_t)seg[l3 + 4] << 24 | seg[l3 + 5] << 16 |
		      seg[l3 + 6] << 8 | seg[l3 + 7];
		assert_int_equal(seq, (uint32_t)(0xfffffc00u + i * MSS));
		assert_int_equal(seg[l3 + 13], i == 0	? 0x80 | 0x10
					       : i == 2 ? 0x10 | 0x08 | 0x01
							: 0x10);
		if (v6) {
			assert_int_equal(seg[4] << 8 | seg[5], 20 + MSS);
		} else {
			assert_int_equal(seg[2] << 8 | seg[3], n);
			assert_int_equal(seg[4] << 8 | seg[5], 0x1234 + i);
			assert_int_equal(fold(sum16(0, seg, 20)), 0xffff);
		}
	}
}

static void
test_segment_tcp4(void **state)
{
	(void)state;
	check_segments(false);
}

static void
test_segment_tcp6(void **state)
{
	(void)state;
	check_segments(true);
}

/* A partial checksum holds the pseudo-header sum; finished, the packet
 * checks out. Flipped twice, it is what it was. */
static void
test_partial(void **state)
{
	size_t len = build_tcp(true, 0x10);
	uint32_t s = sum16(0, pkt + 8, 32) + (uint32_t)(len - 40) + 6;
	uint8_t *field = pkt + 40 + 16;
	uint16_t p = fold(s);

	(void)state;
	field[0] = (uint8_t)(p >> 8);
	field[1] = (uint8_t)p;
	gso_csum_flip(field);
	assert_int_equal(field[0] << 8 | field[1], (uint16_t)~p);
	gso_csum_flip(field);
	assert_int_equal(field[0] << 8 | field[1], p);
	assert_true(gso_csum_complete(pkt, len, 40, 16));
	assert_true(l4_ok(pkt, len, 40, true));
	assert_false(gso_csum_complete(pkt, len, len - 1, 0));
	/* never zero: the core reads a zero UDP checksum as none */
	field[0] = field[1] = 0xff;
	gso_csum_flip(field);
	assert_int_equal(field[0] << 8 | field[1], 0xffff);
}

static void
test_vnet_translate(void **state)
{
	struct virtio_net_hdr vh;
	struct gso_info gi;
	size_t len = build_tcp(false, 0x10);

	(void)state;
	vh = vnet(false, VIRTIO_NET_HDR_GSO_TCPV4 | VIRTIO_NET_HDR_GSO_ECN,
		  MSS);
	assert_true(gso_parse(pkt, len, &vh, &gi));
	gso_vnet_translate(&vh, &gi, 40);
	assert_int_equal(vh.gso_type,
			 VIRTIO_NET_HDR_GSO_TCPV6 | VIRTIO_NET_HDR_GSO_ECN);
	assert_int_equal(vh.csum_start, 40);
	assert_int_equal(vh.csum_offset, 16);
	assert_int_equal(vh.hdr_len, 60);
	assert_int_equal(vh.gso_size, MSS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_segment_tcp4),
		cmocka_unit_test(test_segment_tcp6),
		cmocka_unit_test(test_partial),
		cmocka_unit_test(test_vnet_translate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
