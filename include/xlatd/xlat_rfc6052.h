/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * RFC 6052: IPv4 addresses embedded in IPv6 addresses, and the IPv4
 * ranges the well-known prefix must not carry. The one place this is
 * written down, for the core (src/xlat/addr.c), the DNS64 discovery
 * (src/daemon/dns64.c), the configuration (src/conf) and the eBPF
 * programs (bpf/clat_tc.bpf.c, bpf/xlat_tc.bpf.h): kernel types and
 * inline functions only, so that it builds for -target bpf as well.
 * Addresses are byte arrays in network order; a prefix is given by its
 * length in bits.
 */
#ifndef XLATD_XLAT_RFC6052_H
#define XLATD_XLAT_RFC6052_H

#include <linux/types.h>

#define XLAT_RFC6052_INLINE static inline __attribute__((always_inline))

/* RFC 6052 §2.2: bits 64-71, the u-octet, never carry IPv4 bits and
 * MUST be zero. */
#define XLAT_RFC6052_U_OCTET 8

/* RFC 6052 §2.2: the prefix lengths that may carry an IPv4 address. */
XLAT_RFC6052_INLINE int
xlat_rfc6052_len_valid(unsigned len)
{
	return len == 32 || len == 40 || len == 48 || len == 56 || len == 64 ||
	       len == 96;
}

/* RFC 6052 §2.2, Figure 1: the byte of the IPv6 address that holds
 * byte i (0-3) of the IPv4 address behind a prefix of len bits: they
 * follow the prefix, stepping over the u-octet. */
XLAT_RFC6052_INLINE unsigned
xlat_rfc6052_pos(unsigned len, unsigned i)
{
	unsigned pos = len / 8 + i;

	return pos >= XLAT_RFC6052_U_OCTET && len < 96 ? pos + 1 : pos;
}

/* Write the IPv4 address v4 behind the prefix of len bits already in a.
 * The caller has zeroed the rest of a: the suffix is zero (§2.2). */
XLAT_RFC6052_INLINE void
xlat_rfc6052_put(__u8 a[16], unsigned len, const __u8 v4[4])
{
	unsigned i;

	for (i = 0; i < 4; i++)
		a[xlat_rfc6052_pos(len, i) & 15] = v4[i];
}

/* Read the IPv4 address behind the prefix of len bits in a, whatever
 * the prefix itself is. The suffix is ignored (§2.2); 0 if the u-octet
 * is set, which makes the address no IPv4-embedded one. */
XLAT_RFC6052_INLINE int
xlat_rfc6052_get(const __u8 a[16], unsigned len, __u8 v4[4])
{
	unsigned i;

	if (a[XLAT_RFC6052_U_OCTET] != 0)
		return 0;
	for (i = 0; i < 4; i++)
		v4[i] = a[xlat_rfc6052_pos(len, i) & 15];
	return 1;
}

/* RFC 6052 §3.1: behind the well-known prefix 64:ff9b::/96 only global
 * IPv4 addresses may be used. These are the ranges of RFC 6890's
 * special-purpose registry that are not global: this network, private
 * use, shared space, loopback, link local, IETF protocol assignments,
 * the three TEST-NETs, 6to4 relay anycast, benchmarking, multicast and
 * reserved. */
XLAT_RFC6052_INLINE int
xlat_rfc6052_v4_global(const __u8 v4[4])
{
	static const struct {
		__u32 net;
		__u8 len;
	} special[] = {
		{0x00000000, 8},  /* 0.0.0.0/8 */
		{0x0a000000, 8},  /* 10.0.0.0/8 */
		{0x64400000, 10}, /* 100.64.0.0/10 */
		{0x7f000000, 8},  /* 127.0.0.0/8 */
		{0xa9fe0000, 16}, /* 169.254.0.0/16 */
		{0xac100000, 12}, /* 172.16.0.0/12 */
		{0xc0000000, 24}, /* 192.0.0.0/24 */
		{0xc0000200, 24}, /* 192.0.2.0/24 */
		{0xc0586300, 24}, /* 192.88.99.0/24 */
		{0xc0a80000, 16}, /* 192.168.0.0/16 */
		{0xc6120000, 15}, /* 198.18.0.0/15 */
		{0xc6336400, 24}, /* 198.51.100.0/24 */
		{0xcb007100, 24}, /* 203.0.113.0/24 */
		{0xe0000000, 4},  /* 224.0.0.0/4 */
		{0xf0000000, 4},  /* 240.0.0.0/4 */
	};
	__u32 a = (__u32)v4[0] << 24 | (__u32)v4[1] << 16 | (__u32)v4[2] << 8 |
		  v4[3];
	unsigned i;

	for (i = 0; i < sizeof(special) / sizeof(special[0]); i++)
		if (a >> (32 - special[i].len) ==
		    special[i].net >> (32 - special[i].len))
			return 0;
	return 1;
}

#endif
