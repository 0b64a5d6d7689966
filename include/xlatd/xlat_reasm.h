/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reassembly of fragmented ICMP messages ahead of translation.
 *
 * A stateless translator cannot translate a fragmented ICMP message: the
 * ICMPv6 checksum covers a pseudo-header with the length of the whole
 * message (RFC 4443 §2.3), which no single fragment carries, and ICMPv4
 * has no pseudo-header to take out. So a data path hands ICMP fragments
 * (and only those: TCP and UDP fragments translate one by one) to this
 * table, and translates the datagram once it is whole; the core then
 * fragments the result again where it is too big (RFC 7915 §4.1, §5.1).
 *
 * Pure: the caller owns the memory and passes the time in.
 */
#ifndef XLATD_XLAT_REASM_H
#define XLATD_XLAT_REASM_H

#include <stdbool.h>
#include <stdint.h>

#include "xlatd/xlat.h"

#define XLAT_REASM_SLOTS 4
/* Room for the headers in front of the data: the IPv4 header, or the IPv6
 * headers up to and with the Fragment header. */
#define XLAT_REASM_HDR_ROOM 256
/* RFC 8200 §4.5: 60 s for IPv6; RFC 791 allows up to that for IPv4. */
#define XLAT_REASM_TIMEOUT_MS 30000

struct xlat_reasm_slot {
	bool used;
	uint8_t version;
	uint8_t proto;
	uint32_t id;
	uint8_t src[16], dst[16];
	uint64_t started_ms;
	size_t unfrag_len; /* IPv4 header; IPv6 headers, Fragment included */
	size_t total;	   /* payload bytes, once the last fragment came */
	size_t received;   /* payload bytes in hand */
	uint8_t have[XLAT_MAX_PACKET / 64 + 1]; /* one bit per 8 bytes */
	/* Headroom, headers, then up to 65535 bytes of data (RFC 8200 §4.5:
	 * an IPv6 datagram without extension headers). Aligned, so that
	 * the packet at data + XLAT_HEADROOM is in every slot, as the core
	 * wants its IP headers (struct in6_addr is 4-byte aligned). */
	uint8_t data[XLAT_HEADROOM + XLAT_REASM_HDR_ROOM + 65535]
		__attribute__((aligned(8)));
};

struct xlat_reasm {
	struct xlat_reasm_slot slot[XLAT_REASM_SLOTS];
	uint64_t completed, timed_out, dropped;
};

void xlat_reasm_init(struct xlat_reasm *r);

/* Whether a packet is an ICMP fragment that must go through the table. */
bool xlat_reasm_wanted(const uint8_t *pkt, size_t len);

/* Add a fragment. Returns true with *out set to the whole datagram (with
 * XLAT_HEADROOM in front of it, inside the table: valid until the next
 * call) when this fragment completed it; false otherwise. Overlapping
 * fragments drop the datagram (RFC 5722). An IPv6 datagram keeps its
 * Fragment header with offset 0 and M 0 (an atomic fragment) and the
 * sender's Identification, which the translator carries into IPv4 with
 * DF 0 (RFC 7915 §5.1.1); an IPv4 one keeps its Identification. */
bool xlat_reasm_add(struct xlat_reasm *r, const uint8_t *pkt, size_t len,
		    uint64_t now_ms, struct xlat_buf *out);

#endif
