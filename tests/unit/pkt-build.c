/* SPDX-License-Identifier: BSD-2-Clause */
/* Packet builders for the translation-core tests (see pkt-build.h). This
 * file does its own checksum arithmetic so that the tests do not check the
 * core against itself. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkt-build.h"
#include "xlatd/xlat_icmp.h"

#define IPV4_HDR 20
#define IPV6_HDR 40
#define FRAG_HDR 8
#define UDP_HDR 8
#define TCP_HDR 20
#define IPOPT_PADN 1 /* RFC 8200 §4.2 */

static void
die(const char *what, const char *s)
{
	fprintf(stderr, "pkt-build: bad %s '%s'\n", what, s);
	abort();
}

void
pkt_addr4(const char *s, uint8_t out[4])
{
	if (inet_pton(AF_INET, s, out) != 1)
		die("IPv4 address", s);
}

void
pkt_addr6(const char *s, uint8_t out[16])
{
	if (inet_pton(AF_INET6, s, out) != 1)
		die("IPv6 address", s);
}

/* Split "addr/len" into buf and the length. */
static unsigned
split_prefix(const char *s, char *buf, size_t size)
{
	const char *slash = strchr(s, '/');

	if (slash == NULL || (size_t)(slash - s) >= size)
		die("prefix", s);
	memcpy(buf, s, (size_t)(slash - s));
	buf[slash - s] = '\0';
	return (unsigned)atoi(slash + 1);
}

struct xlat_prefix6
pkt_prefix6(const char *s)
{
	struct xlat_prefix6 p;
	char buf[INET6_ADDRSTRLEN];

	memset(&p, 0, sizeof(p));
	p.len = (uint8_t)split_prefix(s, buf, sizeof(buf));
	pkt_addr6(buf, p.addr.s6_addr);
	return p;
}

struct xlat_prefix4
pkt_prefix4(const char *s)
{
	struct xlat_prefix4 p;
	char buf[INET_ADDRSTRLEN];

	memset(&p, 0, sizeof(p));
	p.len = (uint8_t)split_prefix(s, buf, sizeof(buf));
	pkt_addr4(buf, (uint8_t *)&p.addr);
	return p;
}

uint16_t
pkt_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

uint32_t
pkt_get32(const uint8_t *p)
{
	return (uint32_t)pkt_get16(p) << 16 | pkt_get16(p + 2);
}

void
pkt_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	pkt_put16(p, (uint16_t)(v >> 16));
	pkt_put16(p + 2, (uint16_t)v);
}

/* RFC 1071: 16-bit one's complement sum, folded. */
uint16_t
pkt_sum(uint32_t start, const uint8_t *data, size_t len)
{
	uint64_t sum = start;
	size_t i;

	for (i = 0; i < len; i++)
		sum += i % 2 ? data[i] : (uint32_t)data[i] << 8;
	while (sum > 0xffff)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static size_t
ipv4_ihl(const uint8_t *ip)
{
	return (size_t)(ip[0] & 0x0f) * 4;
}

uint16_t
pkt_ipv4_header_sum(const uint8_t *ip)
{
	return pkt_sum(0, ip, ipv4_ihl(ip));
}

static void
ipv4_fix_checksum(uint8_t *ip)
{
	pkt_put16(ip + 10, 0);
	pkt_put16(ip + 10, (uint16_t)~pkt_ipv4_header_sum(ip));
}

static void
start(struct pkt *p, int family)
{
	memset(p->b, 0, IPV6_HDR);
	p->family = family;
	p->l4 = 0;
	p->proto = 0;
}

void
pkt_ipv4(struct pkt *p, const char *src, const char *dst)
{
	start(p, 4);
	p->b[0] = 0x45;
	pkt_put16(p->b + 4, 0x1234);
	p->b[8] = 64;
	pkt_addr4(src, p->b + 12);
	pkt_addr4(dst, p->b + 16);
	p->len = IPV4_HDR;
	p->nh_off = 9;
}

void
pkt_ipv6(struct pkt *p, const char *src, const char *dst)
{
	start(p, 6);
	p->b[0] = 0x60;
	p->b[7] = 64;
	pkt_addr6(src, p->b + 8);
	pkt_addr6(dst, p->b + 24);
	p->len = IPV6_HDR;
	p->nh_off = 6;
}

void
pkt_ipv4_options(struct pkt *p, const uint8_t *opt, size_t len)
{
	if (len % 4 != 0 || p->len + len > 60)
		die("IPv4 options", "length");
	memcpy(p->b + p->len, opt, len);
	p->len += len;
	p->b[0] = (uint8_t)(0x40 | p->len / 4);
}

static void
fix(struct pkt *p)
{
	if (p->family == 4)
		ipv4_fix_checksum(p->b);
}

void
pkt_tos(struct pkt *p, uint8_t tos)
{
	if (p->family == 4) {
		p->b[1] = tos;
	} else {
		p->b[0] = (uint8_t)(0x60 | tos >> 4);
		p->b[1] = (uint8_t)((tos << 4) | (p->b[1] & 0x0f));
	}
	fix(p);
}

void
pkt_ttl(struct pkt *p, uint8_t ttl)
{
	p->b[p->family == 4 ? 8 : 7] = ttl;
	fix(p);
}

void
pkt_flow(struct pkt *p, uint32_t label)
{
	p->b[1] = (uint8_t)((p->b[1] & 0xf0) | ((label >> 16) & 0x0f));
	pkt_put16(p->b + 2, (uint16_t)label);
}

void
pkt_id(struct pkt *p, uint16_t id)
{
	pkt_put16(p->b + 4, id);
	fix(p);
}

void
pkt_frag4(struct pkt *p, uint16_t flags_offset)
{
	pkt_put16(p->b + 6, flags_offset);
	fix(p);
}

/* Append a header of len bytes whose first byte is the next header. */
static uint8_t *
chain(struct pkt *p, uint8_t type, size_t len)
{
	uint8_t *h = p->b + p->len;

	p->b[p->nh_off] = type;
	memset(h, 0, len);
	p->nh_off = p->len;
	p->len += len;
	return h;
}

static void
options_header(struct pkt *p, uint8_t type, size_t len)
{
	uint8_t *h;

	if (len < 8 || len % 8 != 0)
		die("options header", "length");
	h = chain(p, type, len);
	h[1] = (uint8_t)(len / 8 - 1);
	h[2] = IPOPT_PADN;
	h[3] = (uint8_t)(len - 4);
}

void
pkt_hopopts(struct pkt *p, size_t len)
{
	options_header(p, PKT_HOPOPTS, len);
}

void
pkt_dstopts(struct pkt *p, size_t len)
{
	options_header(p, PKT_DSTOPTS, len);
}

void
pkt_routing(struct pkt *p, uint8_t segments_left)
{
	uint8_t *h = chain(p, PKT_ROUTING, 24);

	h[1] = 2; /* 24 bytes */
	h[2] = 0; /* type 0: one address follows */
	h[3] = segments_left;
	pkt_addr6("2001:db8:7::1", h + 8);
}

void
pkt_fraghdr(struct pkt *p, uint16_t offset, bool more, uint32_t id)
{
	uint8_t *h = chain(p, PKT_FRAGMENT, FRAG_HDR);

	pkt_put16(h + 2, (uint16_t)((offset & 0xfff8) | (more ? 1 : 0)));
	put32(h + 4, id);
}

static uint8_t *
upper(struct pkt *p, uint8_t proto, size_t len)
{
	uint8_t *h = p->b + p->len;

	p->b[p->nh_off] = proto;
	memset(h, 0, len);
	p->l4 = p->len;
	p->proto = proto;
	p->len += len;
	return h;
}

void
pkt_udp(struct pkt *p, uint16_t sport, uint16_t dport)
{
	uint8_t *h = upper(p, PKT_UDP, UDP_HDR);

	pkt_put16(h, sport);
	pkt_put16(h + 2, dport);
}

void
pkt_tcp(struct pkt *p, uint16_t sport, uint16_t dport)
{
	uint8_t *h = upper(p, PKT_TCP, TCP_HDR);

	pkt_put16(h, sport);
	pkt_put16(h + 2, dport);
	put32(h + 4, 0x01020304); /* sequence */
	put32(h + 8, 0x0a0b0c0d); /* acknowledgment */
	h[12] = 5 << 4;		  /* data offset */
	h[13] = 0x18;		  /* PSH, ACK */
	pkt_put16(h + 14, 29200); /* window */
}

void
pkt_icmp(struct pkt *p, uint8_t type, uint8_t code, uint32_t rest)
{
	uint8_t *h =
		upper(p, p->family == 4 ? PKT_ICMP : PKT_ICMPV6, ICMP_HDR_LEN);

	h[0] = type;
	h[1] = code;
	put32(h + 4, rest);
}

void
pkt_proto(struct pkt *p, uint8_t proto)
{
	upper(p, proto, 0);
}

void
pkt_data(struct pkt *p, const void *data, size_t len)
{
	if (len == 0)
		return;
	if (p->len + len > PKT_MAX)
		die("data", "length");
	memcpy(p->b + p->len, data, len);
	p->len += len;
}

void
pkt_fill(struct pkt *p, size_t len, uint32_t seed)
{
	uint32_t x = seed ? seed : 1;
	size_t i;

	if (p->len + len > PKT_MAX)
		die("fill", "length");
	for (i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p->b[p->len + i] = (uint8_t)x;
	}
	p->len += len;
}

void
pkt_finish_lengths(struct pkt *p)
{
	if (p->family == 4) {
		pkt_put16(p->b + 2, (uint16_t)p->len);
		ipv4_fix_checksum(p->b);
	} else {
		pkt_put16(p->b + 4, (uint16_t)(p->len - IPV6_HDR));
	}
}

static size_t
csum_field(uint8_t proto)
{
	switch (proto) {
	case PKT_TCP:
		return 16;
	case PKT_UDP:
		return 6;
	case PKT_ICMP:
	case PKT_ICMPV6:
		return 2;
	default:
		return 0;
	}
}

/* The pseudo-header sum (RFC 768, RFC 9293 §3.1, RFC 8200 §8.1); ICMPv4
 * has none. */
static uint32_t
pseudo_sum(const uint8_t *ip, uint8_t proto, size_t l4_len)
{
	uint32_t sum;

	if (proto == PKT_ICMP)
		return 0;
	if ((ip[0] >> 4) == 4)
		sum = pkt_sum(0, ip + 12, 8);
	else
		sum = pkt_sum(0, ip + 8, 32);
	return sum + (uint32_t)(l4_len >> 16) + (uint32_t)(l4_len & 0xffff) +
	       proto;
}

void
pkt_finish(struct pkt *p)
{
	size_t off = csum_field(p->proto), l4_len = p->len - p->l4;
	uint16_t check;

	pkt_finish_lengths(p);
	if (p->l4 == 0 || off == 0 || l4_len < off + 2)
		return;
	pkt_put16(p->b + p->l4 + off, 0);
	check = (uint16_t)~pkt_sum(pseudo_sum(p->b, p->proto, l4_len),
				   p->b + p->l4, l4_len);
	if (p->proto == PKT_UDP && check == 0)
		check = 0xffff; /* RFC 768 */
	pkt_put16(p->b + p->l4 + off, check);
}

void
pkt_split4(const struct pkt *whole, size_t off, size_t len, bool more,
	   struct pkt *frag)
{
	size_t ihl = ipv4_ihl(whole->b);
	uint16_t field = pkt_get16(whole->b + 6) & PKT_DF;

	if (off % 8 != 0 || ihl + off + len > whole->len)
		die("IPv4 fragment", "bounds");
	*frag = *whole;
	memcpy(frag->b + ihl, whole->b + ihl + off, len);
	frag->len = ihl + len;
	frag->l4 = off == 0 ? whole->l4 : 0;
	field |= (uint16_t)(off / 8) | (more ? PKT_MF : 0);
	pkt_put16(frag->b + 6, field);
	pkt_finish_lengths(frag);
}

void
pkt_split6(const struct pkt *whole, size_t off, size_t len, bool more,
	   uint32_t id, struct pkt *frag)
{
	if (off % 8 != 0 || IPV6_HDR + off + len > whole->len)
		die("IPv6 fragment", "bounds");
	memcpy(frag->b, whole->b, IPV6_HDR);
	frag->family = 6;
	frag->len = IPV6_HDR;
	frag->nh_off = 6;
	pkt_fraghdr(frag, (uint16_t)off, more, id);
	frag->b[frag->nh_off] = whole->b[6];
	memcpy(frag->b + frag->len, whole->b + IPV6_HDR + off, len);
	frag->len += len;
	frag->l4 = 0;
	frag->proto = whole->proto;
	pkt_finish_lengths(frag);
}

size_t
pkt_l4_offset(const uint8_t *ip, size_t len, uint8_t *proto)
{
	size_t off = IPV6_HDR;
	uint8_t nh;

	if ((ip[0] >> 4) == 4) {
		*proto = ip[9];
		return ipv4_ihl(ip);
	}
	nh = ip[6];
	for (;;) {
		if (nh == PKT_HOPOPTS || nh == PKT_ROUTING ||
		    nh == PKT_DSTOPTS) {
			if (off + 8 > len)
				return 0;
			nh = ip[off];
			off += ((size_t)ip[off + 1] + 1) * 8;
		} else if (nh == PKT_FRAGMENT) {
			if (off + FRAG_HDR > len)
				return 0;
			nh = ip[off];
			off += FRAG_HDR;
		} else {
			break;
		}
	}
	*proto = nh;
	return off <= len ? off : 0;
}

uint16_t
pkt_l4_sum(const uint8_t *ip, size_t len)
{
	uint8_t proto;
	size_t off = pkt_l4_offset(ip, len, &proto), l4_len;

	if (off == 0)
		return 0;
	if ((ip[0] >> 4) == 4)
		l4_len = pkt_get16(ip + 2) - off;
	else
		l4_len = IPV6_HDR + pkt_get16(ip + 4) - off;
	if (off + l4_len > len)
		return 0;
	return pkt_sum(pseudo_sum(ip, proto, l4_len), ip + off, l4_len);
}
