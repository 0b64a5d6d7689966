/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz target: fragments through the ICMP reassembly table
 * (xlatd/xlat_reasm.h), then each whole datagram through the translator.
 *
 * The input is a list of records: a 2-byte big-endian length, a byte of
 * elapsed time in 256 ms steps (so that the 30 s timeout is reachable),
 * then that many bytes of fragment, IPv4 or IPv6. A finished datagram
 * must be a well-formed IP packet with headroom in front of it, an IPv6
 * one with its Fragment header at offset 0 and M clear; it is
 * then translated under the CLAT configuration and checked like any
 * other input (check.c).
 */
#include <stdlib.h>

#include "check.h"
#include "fuzz-xlat.h"
#include "fuzz.h"
#include "xlatd/xlat_reasm.h"

#define RECORD_HDR 3
#define TIME_STEP_MS 256

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* RFC 1071 sum of an IPv4 header: 0xffff when right. */
static uint16_t
header_sum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* The Fragment header of an IPv6 packet, behind its extension headers,
 * says offset 0 and no more fragments. */
static bool
atomic_fragment(const uint8_t *p, size_t len)
{
	size_t off = 40;
	uint8_t nh = p[6];

	while (nh == 0 || nh == 43 || nh == 60) { /* RFC 8200 §4 */
		if (off + 8 > len)
			return false;
		nh = p[off];
		off += ((size_t)p[off + 1] + 1) * 8;
	}
	return nh == 44 && off + 8 <= len && get16(p + off + 2) == 0;
}

static void
check_datagram(const struct xlat_reasm *r, const struct xlat_buf *b)
{
	const uint8_t *p = b->data + b->off;
	const struct xlat_reasm_slot *s;
	bool inside = false;
	unsigned i;

	for (i = 0; i < XLAT_REASM_SLOTS; i++) {
		s = &r->slot[i];
		if (b->data == s->data && b->size == sizeof(s->data))
			inside = true;
	}
	if (!inside || b->off < XLAT_HEADROOM || b->off > b->size ||
	    b->len > b->size - b->off || b->len > XLAT_MAX_PACKET)
		abort(); /* not within one slot, or no headroom */
	if (b->len >= 20 && p[0] >> 4 == 4) {
		if (get16(p + 2) != b->len || (get16(p + 6) & 0x3fff) != 0 ||
		    header_sum(p, (size_t)(p[0] & 0x0f) * 4) != 0xffff)
			abort(); /* length, fragment fields or checksum */
	} else if (b->len >= 40 && p[0] >> 4 == 6) {
		if (40 + (size_t)get16(p + 4) != b->len)
			abort();
		if (!atomic_fragment(p, b->len))
			abort(); /* no Fragment header, or not offset 0, M 0 */
	} else {
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct xlat_reasm r; /* large: one per process */
	struct xlat_cfg cfg;
	struct xlat_buf whole;
	uint64_t now = 0;
	size_t len;

	xlat_reasm_init(&r);
	fuzz_xlat_cfg(0, &cfg);
	while (size >= RECORD_HDR) {
		len = get16(data);
		now += (uint64_t)data[2] * TIME_STEP_MS;
		data += RECORD_HDR;
		size -= RECORD_HDR;
		if (len > size)
			len = size;
		if (xlat_reasm_wanted(data, len) &&
		    xlat_reasm_add(&r, data, len, now, &whole)) {
			check_datagram(&r, &whole);
			fuzz_xlat_packet(&cfg,
					 whole.data[whole.off] >> 4 == 4
						 ? XLAT_DIR_46
						 : XLAT_DIR_64,
					 whole.data + whole.off, whole.len, 0);
		}
		data += len;
		size -= len;
	}
	return 0;
}
