/* SPDX-License-Identifier: BSD-2-Clause */
/* Invariants of a translation. The checks parse the packets themselves and
 * sum with their own RFC 1071 code, so they do not trust the core's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "xlatd/xlat_icmp.h"

#define IPV4_HDR_LEN 20
#define IPV6_HDR_LEN 40
#define IPV4_MF_OFFSET 0x3fff

#define PROTO_HOPOPTS 0
#define PROTO_ICMP 1
#define PROTO_TCP 6
#define PROTO_UDP 17
#define PROTO_ROUTING 43
#define PROTO_FRAGMENT 44
#define PROTO_ICMPV6 58
#define PROTO_DSTOPTS 60

/* One output, its two iovecs joined. */
static uint8_t flat[XLAT_MAX_PACKET];

static void
fail(unsigned i, const char *what)
{
	fprintf(stderr, "fuzz: output %u: %s\n", i, what);
	abort();
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* RFC 1071 §4.1: big-endian 16-bit words, an odd byte padded. */
static uint64_t
sum16(uint64_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (len & 1)
		sum += (uint64_t)p[len - 1] << 8;
	return sum;
}

static uint16_t
fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static enum xlat_proto
proto_class(uint8_t proto)
{
	switch (proto) {
	case PROTO_TCP:
		return XLAT_PROTO_TCP;
	case PROTO_UDP:
		return XLAT_PROTO_UDP;
	case PROTO_ICMP:
	case PROTO_ICMPV6:
		return XLAT_PROTO_ICMP;
	default:
		return XLAT_PROTO_OTHER;
	}
}

/* Shortest upper layer whose checksum the translator can reach. */
static size_t
l4_min(enum xlat_proto c)
{
	return c == XLAT_PROTO_TCP ? 20 : 8;
}

/* RFC 768, RFC 9293 §3.1, RFC 4443 §2.3: pseudo-header, then the upper
 * layer. ICMPv4 (RFC 792) has no pseudo-header. */
static bool
l4_sum_ok(int family, const uint8_t *ip, const uint8_t *l4, size_t len,
	  uint8_t proto)
{
	uint64_t sum = 0;

	if (proto != PROTO_ICMP) {
		if (family == 4)
			sum = sum16(sum, ip + 12, 8);
		else
			sum = sum16(sum, ip + 8, 32);
		sum += len + proto;
	}
	return fold(sum16(sum, l4, len)) == 0xffff;
}

static void
input4(const uint8_t *p, size_t len, struct check_in *in)
{
	size_t ihl, tot;

	if (len < IPV4_HDR_LEN || p[0] >> 4 != 4)
		return;
	ihl = (size_t)(p[0] & 0x0f) * 4;
	tot = get16(p + 2);
	if (ihl < IPV4_HDR_LEN || tot < ihl || tot > len ||
	    (get16(p + 6) & IPV4_MF_OFFSET) != 0)
		return;
	in->foreign_icmp = p[9] == PROTO_ICMPV6;
	in->l4_class = proto_class(p[9]);
	if (in->l4_class == XLAT_PROTO_OTHER || in->foreign_icmp ||
	    tot - ihl < l4_min(in->l4_class))
		return;
	/* RFC 768: zero is "no checksum"; the translator computes one. */
	if (p[9] == PROTO_UDP && get16(p + ihl + 6) == 0)
		in->l4_ok = true;
	else
		in->l4_ok = l4_sum_ok(4, p, p + ihl, tot - ihl, p[9]);
}

/* RFC 8200 §4: the upper-layer protocol behind the extension headers
 * the translator steps over (RFC 7915 §5.1). */
static uint8_t
last_next_header(const uint8_t *p, size_t len)
{
	size_t off = IPV6_HDR_LEN;
	uint8_t nh = p[6];

	while (nh == PROTO_HOPOPTS || nh == PROTO_ROUTING ||
	       nh == PROTO_DSTOPTS || nh == PROTO_FRAGMENT) {
		const uint8_t *h = p + off;

		if (off + 8 > len)
			break;
		if (nh == PROTO_FRAGMENT) {
			off += 8;
			/* Behind a later fragment there is only data. */
			if (get16(h + 2) >> 3 != 0)
				return h[0];
		} else {
			off += ((size_t)h[1] + 1) * 8;
		}
		nh = h[0];
	}
	return nh;
}

/* Only an upper layer right behind the IPv6 header is summed. */
static void
input6(const uint8_t *p, size_t len, struct check_in *in)
{
	size_t plen;

	if (len < IPV6_HDR_LEN || p[0] >> 4 != 6)
		return;
	plen = get16(p + 4);
	if (IPV6_HDR_LEN + plen > len)
		return;
	in->foreign_icmp =
		last_next_header(p, IPV6_HDR_LEN + plen) == PROTO_ICMP;
	in->l4_class = proto_class(p[6]);
	if (in->l4_class == XLAT_PROTO_OTHER || p[6] == PROTO_ICMP ||
	    plen < l4_min(in->l4_class))
		return;
	in->l4_ok = l4_sum_ok(6, p, p + IPV6_HDR_LEN, plen, p[6]);
}

void
check_input(enum xlat_dir dir, const uint8_t *pkt, size_t len,
	    struct check_in *in)
{
	in->dir = dir;
	in->l4_ok = false;
	in->l4_class = XLAT_PROTO_OTHER;
	in->foreign_icmp = false;
	if (dir == XLAT_DIR_46)
		input4(pkt, len, in);
	else
		input6(pkt, len, in);
}

/* An ICMP error is summed afresh by the translator, so it is always
 * right; anything else is right when it was right on the way in. */
static void
check_l4(unsigned i, int family, const uint8_t *ip, const uint8_t *l4,
	 size_t len, uint8_t proto, bool is_error, const struct check_in *in)
{
	enum xlat_proto c = proto_class(proto);

	if (is_error) {
		if (!l4_sum_ok(family, ip, l4, len, proto))
			fail(i, "ICMP error with a wrong checksum");
		return;
	}
	if (in->l4_ok && c == in->l4_class && len >= l4_min(c) &&
	    !l4_sum_ok(family, ip, l4, len, proto))
		fail(i, "upper-layer checksum broken by the translation");
}

static bool
icmp4_is_error(uint8_t type)
{
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

static void
output4(const struct xlat_cfg *cfg, unsigned i, const uint8_t *p, size_t len,
	const struct check_in *in)
{
	size_t ihl;
	bool is_error;

	if (len < IPV4_HDR_LEN || p[0] >> 4 != 4)
		fail(i, "IPv4 output without an IPv4 header");
	ihl = (size_t)(p[0] & 0x0f) * 4;
	if (ihl < IPV4_HDR_LEN || ihl > len)
		fail(i, "IPv4 header length out of range");
	if (get16(p + 2) != len)
		fail(i, "IPv4 total length is not the output length");
	if (fold(sum16(0, p, ihl)) != 0xffff)
		fail(i, "IPv4 header checksum wrong");
	is_error = p[9] == PROTO_ICMP && len > ihl && icmp4_is_error(p[ihl]);
	if (is_error && len > ICMP4_ERROR_MAX)
		fail(i, "ICMPv4 error longer than 576 bytes");
	if (!is_error && len > cfg->mtu_v4)
		fail(i, "IPv4 output longer than mtu-v4");
	if ((get16(p + 6) & IPV4_MF_OFFSET) == 0)
		check_l4(i, 4, p, p + ihl, len - ihl, p[9], is_error, in);
}

static void
output6(const struct xlat_cfg *cfg, unsigned i, const uint8_t *p, size_t len,
	const struct check_in *in)
{
	bool is_error;

	if (len < IPV6_HDR_LEN || p[0] >> 4 != 6)
		fail(i, "IPv6 output without an IPv6 header");
	if (IPV6_HDR_LEN + (size_t)get16(p + 4) != len)
		fail(i, "IPv6 payload length is not the output length - 40");
	if (len > cfg->mtu_v6)
		fail(i, "IPv6 output longer than mtu-v6");
	is_error = p[6] == PROTO_ICMPV6 && len > IPV6_HDR_LEN &&
		   p[IPV6_HDR_LEN] < 128;
	if (is_error && len > ICMP6_ERROR_MAX)
		fail(i, "ICMPv6 error longer than 1280 bytes");
	if (p[6] != PROTO_FRAGMENT)
		check_l4(i, 6, p, p + IPV6_HDR_LEN, len - IPV6_HDR_LEN, p[6],
			 is_error, in);
}

static bool
inside(const void *p, size_t len, const void *base, size_t size)
{
	uintptr_t a = (uintptr_t)p, b = (uintptr_t)base;

	return a >= b && a - b <= size && len <= size - (a - b);
}

static void
output(const struct xlat_cfg *cfg, const struct xlat_ctx *ctx,
       const struct xlat_buf *buf, unsigned i, const struct check_in *in)
{
	const struct xlat_out *o = &ctx->out[i];
	size_t done = 0;
	unsigned k;

	if (o->len != o->iov[0].iov_len + o->iov[1].iov_len)
		fail(i, "length is not the sum of the iovecs");
	if (o->len > XLAT_MAX_PACKET)
		fail(i, "longer than 65535 + 40 bytes");
	for (k = 0; k < 2; k++) {
		const struct iovec *v = &o->iov[k];

		if (v->iov_len == 0)
			continue;
		if (!inside(v->iov_base, v->iov_len, buf->data, buf->size) &&
		    !inside(v->iov_base, v->iov_len, ctx->scratch,
			    sizeof(ctx->scratch)))
			fail(i, "iovec outside the buffer and the scratch");
		memcpy(flat + done, v->iov_base, v->iov_len);
		done += v->iov_len;
	}
	if (o->family == XLAT_FAMILY_V4)
		output4(cfg, i, flat, o->len, in);
	else if (o->family == XLAT_FAMILY_V6)
		output6(cfg, i, flat, o->len, in);
	else
		fail(i, "family is neither 4 nor 6");
}

void
check_output(const struct xlat_cfg *cfg, const struct xlat_ctx *ctx, unsigned n,
	     const struct xlat_buf *buf, const struct check_in *in)
{
	unsigned i;

	if (n != ctx->out_count || n > XLAT_OUT_MAX)
		fail(n, "return value is not ctx->out_count");
	if ((unsigned)ctx->drop >= XLAT_DROP_MAX)
		fail(n, "drop reason out of range");
	if (n == 0 && ctx->drop == XLAT_DROP_NONE)
		fail(0, "no output and no drop reason");
	if (in->foreign_icmp && n != 0)
		fail(0, "ICMP of the other family not dropped");
	if (ctx->scratch_used > sizeof(ctx->scratch))
		fail(n, "scratch space overrun");
	for (i = 0; i < n; i++)
		output(cfg, ctx, buf, i, in);
}
