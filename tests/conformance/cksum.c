/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Checksum validation of output packets. A masked compare skips the
 * checksum bytes, so a wrong checksum there would go unnoticed: every
 * checksum whose field is masked must be valid. Checksums outside the mask
 * are left to the byte compare (some vectors carry wrong L4 checksums on
 * purpose, and a translator must keep them wrong).
 */
#include <netinet/in.h>
#include <string.h>

#include "conformance.h"
#include "xlatd/xlat_icmp.h"

#define IPV4_HDR_LEN 20
#define IPV6_HDR_LEN 40
#define TCP_HDR_LEN 20
#define UDP_HDR_LEN 8

/* offsets of the checksum fields in their headers */
#define IPV4_CSUM_OFF 10
#define TCP_CSUM_OFF 16
#define UDP_CSUM_OFF 6

struct cksum_judge {
	const struct mask *mask;
	char *why;
	size_t whylen;
	int bad;
};

/* RFC 1071 ones' complement sum, not yet folded. */
static uint32_t
cksum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static bool
cksum_ok(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum == 0xffff;
}

static void
cksum_judge(struct cksum_judge *j, const char *what, size_t off, bool ok)
{
	if (ok || !(mask_has(j->mask, off) || mask_has(j->mask, off + 1)))
		return;
	appendf(j->why, j->whylen, "%sbad %s checksum at %zu (masked)",
		j->bad ? ", " : "", what, off);
	j->bad = 1;
}

static bool
cksum_icmp4_error(uint8_t type)
{
	/* RFC 792: unreachable, source quench, redirect, time exceeded,
	 * parameter problem */
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

/* The IPv4 header quoted in an ICMPv4 error is complete and checksummed. */
static void
cksum_inner4(struct cksum_judge *j, const uint8_t *p, size_t len, size_t base)
{
	size_t ihl;

	if (len < IPV4_HDR_LEN || p[0] >> 4 != 4)
		return;
	ihl = (p[0] & 0xf) * 4;
	if (ihl < IPV4_HDR_LEN || ihl > len)
		return;
	cksum_judge(j, "inner IPv4 header", base + IPV4_CSUM_OFF,
		    cksum_ok(cksum_add(0, p, ihl)));
}

/* p is a complete, unfragmented transport payload at offset base. */
static void
cksum_l4(struct cksum_judge *j, uint8_t proto, const uint8_t *p, size_t len,
	 uint32_t pseudo, bool v6, size_t base)
{
	bool zero;

	switch (proto) {
	case IPPROTO_TCP:
		if (len >= TCP_HDR_LEN)
			cksum_judge(j, "TCP", base + TCP_CSUM_OFF,
				    cksum_ok(cksum_add(pseudo, p, len)));
		break;
	case IPPROTO_UDP:
		if (len < UDP_HDR_LEN)
			break;
		/* RFC 768: zero means "no checksum", over IPv4 only */
		zero = p[UDP_CSUM_OFF] == 0 && p[UDP_CSUM_OFF + 1] == 0;
		cksum_judge(j, "UDP", base + UDP_CSUM_OFF,
			    (!v6 && zero) ||
				    cksum_ok(cksum_add(pseudo, p, len)));
		break;
	case IPPROTO_ICMP:
		if (v6 || len < ICMP_HDR_LEN)
			break;
		cksum_judge(j, "ICMPv4", base + ICMP_CSUM_OFF,
			    cksum_ok(cksum_add(0, p, len)));
		if (cksum_icmp4_error(p[0]))
			cksum_inner4(j, p + ICMP_HDR_LEN, len - ICMP_HDR_LEN,
				     base + ICMP_HDR_LEN);
		break;
	case IPPROTO_ICMPV6:
		if (v6 && len >= ICMP_HDR_LEN)
			cksum_judge(j, "ICMPv6", base + ICMP_CSUM_OFF,
				    cksum_ok(cksum_add(pseudo, p, len)));
		break;
	}
}

static void
cksum_ipv4(struct cksum_judge *j, const uint8_t *p, size_t len)
{
	size_t ihl;
	uint32_t pseudo;

	if (len < IPV4_HDR_LEN)
		return;
	ihl = (p[0] & 0xf) * 4;
	if (ihl < IPV4_HDR_LEN || ihl > len)
		return;
	cksum_judge(j, "IPv4 header", IPV4_CSUM_OFF,
		    cksum_ok(cksum_add(0, p, ihl)));
	/* only complete packets that are not fragments: MF, offset */
	if ((size_t)(p[2] << 8 | p[3]) != len || (p[6] & 0x3f) != 0 ||
	    p[7] != 0)
		return;
	pseudo = cksum_add(0, p + 12, 8) + p[9] + (uint32_t)(len - ihl);
	cksum_l4(j, p[9], p + ihl, len - ihl, pseudo, false, ihl);
}

static bool
cksum_exthdr(uint8_t nh)
{
	return nh == IPPROTO_HOPOPTS || nh == IPPROTO_ROUTING ||
	       nh == IPPROTO_DSTOPTS || nh == IPPROTO_AH ||
	       nh == IPPROTO_FRAGMENT;
}

static void
cksum_ipv6(struct cksum_judge *j, const uint8_t *p, size_t len)
{
	size_t off = IPV6_HDR_LEN, hlen = 0;
	uint32_t pseudo;
	uint8_t nh;

	if (len < IPV6_HDR_LEN || (size_t)(p[4] << 8 | p[5]) + 40 != len)
		return;
	for (nh = p[6]; cksum_exthdr(nh); nh = p[off], off += hlen) {
		if (off + 8 > len)
			return;
		/* a real fragment (offset or M set) has no full payload */
		if (nh == IPPROTO_FRAGMENT &&
		    ((p[off + 2] << 8 | p[off + 3]) & 0xfff9) != 0)
			return;
		if (nh == IPPROTO_FRAGMENT)
			hlen = 8;
		else if (nh == IPPROTO_AH)
			hlen = (p[off + 1] + 2) * 4; /* RFC 4302 */
		else
			hlen = (p[off + 1] + 1) * 8; /* RFC 8200 */
	}
	if (off > len)
		return;
	pseudo = cksum_add(0, p + 8, 32) + nh + (uint32_t)(len - off);
	cksum_l4(j, nh, p + off, len - off, pseudo, true, off);
}

/* Returns 0 if every masked checksum is valid, else -1 and a reason. */
int
cksum_verify(const uint8_t *p, size_t len, const struct mask *m, char *why,
	     size_t whylen)
{
	struct cksum_judge j = {m, why, whylen, 0};

	why[0] = '\0';
	if (len > 0 && p[0] >> 4 == 4)
		cksum_ipv4(&j, p, len);
	else if (len > 0 && p[0] >> 4 == 6)
		cksum_ipv6(&j, p, len);
	return j.bad ? -1 : 0;
}
