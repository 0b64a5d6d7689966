/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Packet builders for the translation-core tests: IPv4 (RFC 791) and IPv6
 * (RFC 8200) headers, extension headers, UDP (RFC 768), TCP (RFC 9293),
 * ICMP (RFC 792) and ICMPv6 (RFC 4443), with correct checksums.
 *
 * A packet is built front to back: an IP header, then extension headers,
 * then the upper layer and its data; pkt_finish() then writes the lengths
 * and checksums. Each builder fills the previous header's Next Header (or
 * the IPv4 Protocol) field.
 */
#ifndef TESTS_PKT_BUILD_H
#define TESTS_PKT_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xlatd/xlat.h"

#define PKT_MAX XLAT_MAX_PACKET

/* Protocol numbers (IANA) the tests use. */
#define PKT_HOPOPTS 0
#define PKT_ICMP 1
#define PKT_TCP 6
#define PKT_UDP 17
#define PKT_ROUTING 43
#define PKT_FRAGMENT 44
#define PKT_ICMPV6 58
#define PKT_DSTOPTS 60

/* IPv4 flags (RFC 791 §3.1). */
#define PKT_DF 0x4000
#define PKT_MF 0x2000

struct pkt {
	uint8_t b[PKT_MAX];
	size_t len;
	size_t l4;     /* offset of the upper-layer header */
	size_t nh_off; /* field the next header's number goes into */
	uint8_t proto; /* upper-layer protocol */
	int family;    /* 4 or 6 */
};

/* Text addresses and prefixes ("2001:db8::/32"); abort on a typo. */
void pkt_addr4(const char *s, uint8_t out[4]);
void pkt_addr6(const char *s, uint8_t out[16]);
struct xlat_prefix6 pkt_prefix6(const char *s);
struct xlat_prefix4 pkt_prefix4(const char *s);

/* IPv4: IHL 5, TOS 0, ID 0x1234, no flags, TTL 64. IPv6: traffic class 0,
 * flow label 0, hop limit 64. */
void pkt_ipv4(struct pkt *p, const char *src, const char *dst);
void pkt_ipv6(struct pkt *p, const char *src, const char *dst);
/* IPv4 options, appended before the upper layer; len is a multiple of 4. */
void pkt_ipv4_options(struct pkt *p, const uint8_t *opt, size_t len);

/* Header fields; IPv4 header checksums are kept valid. */
void pkt_tos(struct pkt *p, uint8_t tos); /* TOS or Traffic Class */
void pkt_ttl(struct pkt *p, uint8_t ttl); /* TTL or Hop Limit */
void pkt_flow(struct pkt *p, uint32_t label);
void pkt_id(struct pkt *p, uint16_t id);
void pkt_frag4(struct pkt *p, uint16_t flags_offset); /* wire format */

/* IPv6 extension headers (RFC 8200 §4). Option headers hold PadN only;
 * len is their total length, a multiple of 8. The routing header is type
 * 0 style with one address, 24 bytes. */
void pkt_hopopts(struct pkt *p, size_t len);
void pkt_dstopts(struct pkt *p, size_t len);
void pkt_routing(struct pkt *p, uint8_t segments_left);
void pkt_fraghdr(struct pkt *p, uint16_t offset, bool more, uint32_t id);

/* Upper layers. Checksums are written by pkt_finish(). */
void pkt_udp(struct pkt *p, uint16_t sport, uint16_t dport);
void pkt_tcp(struct pkt *p, uint16_t sport, uint16_t dport);
/* ICMP or ICMPv6 by the packet's family; rest is bytes 4-7. */
void pkt_icmp(struct pkt *p, uint8_t type, uint8_t code, uint32_t rest);
void pkt_proto(struct pkt *p, uint8_t proto); /* any other protocol */

void pkt_data(struct pkt *p, const void *data, size_t len);
void pkt_fill(struct pkt *p, size_t len, uint32_t seed);

/* Lengths, the IPv4 header checksum and the upper-layer checksum. */
void pkt_finish(struct pkt *p);
/* Only the lengths and IPv4 header checksum (for a bad L4 checksum). */
void pkt_finish_lengths(struct pkt *p);

/* Fragments of a finished datagram without extension headers: payload
 * bytes [off, off + len) behind a copy of its header (IPv4) or behind its
 * header and a Fragment header with the given id (IPv6). */
void pkt_split4(const struct pkt *whole, size_t off, size_t len, bool more,
		struct pkt *frag);
void pkt_split6(const struct pkt *whole, size_t off, size_t len, bool more,
		uint32_t id, struct pkt *frag);

/* Read-back helpers for either family. */
uint16_t pkt_get16(const uint8_t *p);
uint32_t pkt_get32(const uint8_t *p);
void pkt_put16(uint8_t *p, uint16_t v);
/* Offset and number of the upper layer, walking IPv6 extension headers;
 * 0 when the chain runs past len. */
size_t pkt_l4_offset(const uint8_t *ip, size_t len, uint8_t *proto);
/* Folded one's complement sum over an IPv4 header: 0xffff when valid. */
uint16_t pkt_ipv4_header_sum(const uint8_t *ip);
/* Folded one's complement sum over the upper layer (TCP, UDP, ICMP,
 * ICMPv6) with its pseudo-header, checksum field included: 0xffff when
 * the checksum is right; otherwise it shows by how much it is wrong. */
uint16_t pkt_l4_sum(const uint8_t *ip, size_t len);
/* RFC 1071 sum helper for the tests' own arithmetic. */
uint16_t pkt_sum(uint32_t start, const uint8_t *data, size_t len);

#endif
