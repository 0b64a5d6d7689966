/* SPDX-License-Identifier: BSD-2-Clause */
/* Choosing the CLAT's IPv6 address (draft-ietf-v6ops-claton): a dedicated
 * address in one of the uplink's SLAAC /64s, with an interface identifier
 * that is stable per secret, prefix and interface (RFC 7217 §5) and
 * adjusted to be checksum-neutral with respect to the CLAT IPv4 address
 * and the PLAT prefix. Pure functions. */
#ifndef XLATD_CLAT_ADDR_H
#define XLATD_CLAT_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "xlatd/xlat.h"

#define CLAT_SECRET_LEN 16

/* RFC 6724 rules 6 and 8 against the PLAT prefix: pick the best of n
 * candidate /64 prefixes (index), or -1 if none is usable (n == 0, or
 * only link-local, multicast, loopback or unspecified ones). Rule 6 is
 * simplified to "global unicast and ULA have different labels"; see
 * clat_addr.c. Ties go to the lower index. */
int clat_addr_pick_prefix(const struct in6_addr *candidates, unsigned n,
			  const struct xlat_prefix6 *plat);

/* RFC 7217 §5: IID = F(prefix, ifname, dad_counter, secret) with
 * SipHash-2-4 as F, then the last 16-bit word adjusted so that the
 * address plus the PLAT prefix sum (ones' complement) to the same as the
 * CLAT IPv4 address. Never returns an IID that is reserved (RFC 5453) or
 * equal to the IID of one of the n_avoid addresses in avoid[] (those in
 * use on the interface); on a clash an internal counter is bumped and F
 * evaluated again. Only the first 64 bits of prefix64 are used. */
void clat_addr_make(const uint8_t secret[CLAT_SECRET_LEN],
		    const struct in6_addr *prefix64, const char *ifname,
		    unsigned dad_counter, const struct in_addr *clat_v4,
		    const struct xlat_prefix6 *plat,
		    const struct in6_addr *avoid, unsigned n_avoid,
		    struct in6_addr *out);

/* RFC 5453: the address's interface identifier (bits 64-127) is one of
 * the reserved IIDs (subnet-router anycast, the IANA Ethernet block,
 * reserved subnet anycast). */
bool clat_addr_iid_reserved(const struct in6_addr *addr);

/* True when the pair (address, PLAT prefix) is checksum-neutral with
 * respect to the IPv4 address: exact for every destination with a /32
 * or /96 PLAT prefix, for some destinations only with other lengths. */
bool clat_addr_is_neutral(const struct in6_addr *addr,
			  const struct in_addr *clat_v4,
			  const struct xlat_prefix6 *plat);

#endif
