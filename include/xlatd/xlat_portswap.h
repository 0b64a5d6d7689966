/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared mode (the CLAT uses the host's own IPv6 address): the kernel picks
 * the ephemeral ports of IPv4 and of IPv6 sockets from the same range
 * (net.ipv4.ip_local_port_range), so a translated flow could get the
 * 5-tuple of a native IPv6 flow of the host. The translator swaps that
 * block of ports with the equally large block just below it, on the
 * CLAT's side of every translated TCP and UDP header: a port the kernel
 * picked for an IPv4 socket leaves in the low block, where the kernel
 * picks none for IPv6 sockets. The swap is its own inverse.
 *
 * The one place this is written down, for the core (src/xlat/portswap.c)
 * and the eBPF programs (bpf/clat_tc.bpf.c): kernel types and inline
 * functions only, so that it builds for -target bpf as well. Ports are in
 * host byte order.
 */
#ifndef XLATD_XLAT_PORTSWAP_H
#define XLATD_XLAT_PORTSWAP_H

#include <linux/types.h>

#define XLAT_PORTSWAP_INLINE static inline __attribute__((always_inline))

/* The ports below this are left alone: the low block starts at or above. */
#define XLAT_PORTSWAP_LOWEST 1024

/* The ephemeral block is [first, first + size); the low block is
 * [first - size, first). size 0: no swap. */
struct xlat_portswap {
	__u16 first;
	__u16 size;
};

/* The swap for the ephemeral range [lo, hi]; -1 when the range is not one,
 * or no block of its size fits between XLAT_PORTSWAP_LOWEST and lo. */
XLAT_PORTSWAP_INLINE int
xlat_portswap_init(struct xlat_portswap *s, unsigned lo, unsigned hi)
{
	if (lo > hi || hi > 65535 || lo < XLAT_PORTSWAP_LOWEST + (hi - lo + 1))
		return -1;
	s->first = (__u16)lo;
	s->size = (__u16)(hi - lo + 1);
	return 0;
}

/* Whether p is in the low block, where the ephemeral ports go. */
XLAT_PORTSWAP_INLINE int
xlat_portswap_low(const struct xlat_portswap *s, __u16 p)
{
	return p < s->first && s->first - p <= s->size;
}

/* The port p becomes on the other side of the translator. */
XLAT_PORTSWAP_INLINE __u16
xlat_portswap_port(const struct xlat_portswap *s, __u16 p)
{
	if (p >= s->first && p - s->first < s->size)
		return (__u16)(p - s->size);
	if (xlat_portswap_low(s, p))
		return (__u16)(p + s->size);
	return p;
}

#endif
