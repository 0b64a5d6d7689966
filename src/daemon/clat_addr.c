/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The CLAT's IPv6 address: which /64 to take it from (RFC 6724 §5, rules
 * 6 and 8), a stable interface identifier (RFC 7217 §5) and the
 * checksum-neutral adjustment of its last word. Pure functions.
 */
#include <string.h>

#include "clat_addr.h"
#include "siphash.h"
#include "xlatd/xlat_csum.h"

#define IID_OFF 8      /* the interface identifier is bytes 8-15 */
#define ADJ_OFF 14     /* the word made checksum-neutral */
#define MAKE_TRIES 256 /* F evaluations before giving up on avoid[] */

/* The PLAT prefix's contribution: its first len/8 bytes, the IPv4 bits
 * and everything after them taken as zero. */
static uint32_t
clat_addr_prefix_sum(const struct xlat_prefix6 *plat)
{
	uint8_t p[16] = {0};

	memcpy(p, plat->addr.s6_addr, plat->len <= 128 ? plat->len / 8 : 16);
	return xlat_csum_add(0, p, sizeof(p));
}

/*
 * Why this is neutral. A TCP or UDP checksum covers a pseudo-header with
 * both addresses (RFC 768, RFC 9293 §3.1, RFC 8200 §8.1), so translating
 * 192.0.0.1 -> CLAT6 and D -> PLAT6(D) leaves it unchanged exactly when
 *	sum(CLAT6) + sum(PLAT6(D)) == sum(192.0.0.1) + sum(D)
 * in ones'-complement arithmetic (mod 0xffff). With a /96 prefix D fills
 * bytes 12-15 and with a /32 bytes 4-7 (RFC 6052 §2.2); both are whole,
 * aligned 16-bit words, the other bytes are the prefix or zero, so
 * sum(PLAT6(D)) = sum(prefix) + sum(D) for every D and the condition
 * becomes sum(CLAT6) + sum(prefix) == sum(192.0.0.1), which the last IID
 * word can always be chosen to meet. With /40, /56 and /64 the IPv4
 * bytes start at an odd offset (and /48 splits them around the u-octet),
 * so some of D's bytes land in the other half of a word and D's sum
 * arrives byte-rotated: the condition then holds only for those D whose
 * rotated sum happens to match, and the translator adjusts the checksum
 * as usual (RFC 7915 §4.5, RFC 1624) for the rest.
 */
static void
clat_addr_neutralize(uint8_t a[16], const struct in_addr *clat_v4,
		     const struct xlat_prefix6 *plat)
{
	uint32_t rest;
	uint16_t v4, w;

	v4 = xlat_csum_fold(
		xlat_csum_add(0, (const uint8_t *)&clat_v4->s_addr, 4));
	rest = xlat_csum_add(clat_addr_prefix_sum(plat), a, ADJ_OFF);
	/* w = v4 - rest, ones' complement: add the complement */
	w = xlat_csum_fold((uint32_t)v4 + (uint16_t)~xlat_csum_fold(rest));
	a[ADJ_OFF] = w >> 8;
	a[ADJ_OFF + 1] = w & 0xff;
}

bool
clat_addr_is_neutral(const struct in6_addr *addr, const struct in_addr *clat_v4,
		     const struct xlat_prefix6 *plat)
{
	uint16_t l, r;

	l = xlat_csum_fold(
		xlat_csum_add(clat_addr_prefix_sum(plat), addr->s6_addr, 16));
	r = xlat_csum_fold(
		xlat_csum_add(0, (const uint8_t *)&clat_v4->s_addr, 4));
	/* 0x0000 and 0xffff are both zero in ones' complement */
	return l % 0xffff == r % 0xffff;
}

/* RFC 5453 §3 and the IANA "Reserved IPv6 Interface Identifiers"
 * registry: the Subnet-Router anycast IID (RFC 4291 §2.6.1), the IIDs
 * of the IANA Ethernet block 0200:5eff:fe00:0-0200:5eff:feff:ffff (RFC
 * 4291, RFC 6543) and the reserved subnet anycast IIDs
 * fdff:ffff:ffff:ff80-fdff:ffff:ffff:ffff (RFC 2526 §2). */
static bool
clat_addr_reserved(const uint8_t iid[8])
{
	static const uint8_t zero[8],
		eth[5] = {0x02, 0x00, 0x5e, 0xff, 0xfe},
		any[7] = {0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

	if (memcmp(iid, zero, 8) == 0)
		return true;
	if (memcmp(iid, eth, sizeof(eth)) == 0)
		return true;
	return memcmp(iid, any, sizeof(any)) == 0 && iid[7] >= 0x80;
}

bool
clat_addr_iid_reserved(const struct in6_addr *addr)
{
	return clat_addr_reserved(addr->s6_addr + IID_OFF);
}

static bool
clat_addr_iid_in_use(const uint8_t iid[8], const struct in6_addr *avoid,
		     unsigned n_avoid)
{
	unsigned i;

	for (i = 0; i < n_avoid; i++)
		if (memcmp(avoid[i].s6_addr + IID_OFF, iid, 8) == 0)
			return true;
	return false;
}

static void
clat_addr_put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

/* RFC 7217 §5: RID = F(Prefix, Net_Iface, Network_ID, DAD_Counter,
 * secret_key), with Network_ID left out (it is optional) and, after
 * DAD_Counter, our own counter for clashes with reserved or used IIDs.
 * Net_Iface goes in with its length, so that no two inputs run together.
 * The IID is the RID's 64 bits, most significant byte first. */
static void
clat_addr_rid(const uint8_t secret[CLAT_SECRET_LEN],
	      const struct in6_addr *prefix64, const char *ifname,
	      unsigned dad_counter, unsigned tries, uint8_t iid[8])
{
	uint8_t msg[8 + 1 + 255 + 4 + 4], *p = msg;
	size_t n = strnlen(ifname, 255);
	uint64_t rid;
	int i;

	memcpy(p, prefix64->s6_addr, 8);
	p += 8;
	*p++ = (uint8_t)n;
	memcpy(p, ifname, n);
	p += n;
	clat_addr_put32(p, dad_counter);
	p += 4;
	clat_addr_put32(p, tries);
	p += 4;
	rid = siphash_2_4(secret, msg, (size_t)(p - msg));
	for (i = 7; i >= 0; i--, rid >>= 8)
		iid[i] = rid & 0xff;
}

void
clat_addr_make(const uint8_t secret[CLAT_SECRET_LEN],
	       const struct in6_addr *prefix64, const char *ifname,
	       unsigned dad_counter, const struct in_addr *clat_v4,
	       const struct xlat_prefix6 *plat, const struct in6_addr *avoid,
	       unsigned n_avoid, struct in6_addr *out)
{
	uint8_t a[16];
	unsigned tries;

	memcpy(a, prefix64->s6_addr, IID_OFF);
	for (tries = 0; tries < MAKE_TRIES; tries++) {
		clat_addr_rid(secret, prefix64, ifname, dad_counter, tries,
			      a + IID_OFF);
		clat_addr_neutralize(a, clat_v4, plat);
		if (!clat_addr_reserved(a + IID_OFF) &&
		    !clat_addr_iid_in_use(a + IID_OFF, avoid, n_avoid))
			break;
	}
	/* After MAKE_TRIES clashes (avoid[] would need hundreds of
	 * entries) the last candidate stands and DAD has the final say. */
	memcpy(out->s6_addr, a, 16);
}

/*
 * RFC 6724 §5 compares source addresses for one destination; here the
 * "destination" is the PLAT prefix and the candidates are the /64s the
 * CLAT address could come from. Simplifications:
 * - Rule 6 (prefer matching label) with the default policy table (§2.1)
 *   reduces to: ULA (fc00::/7, label 13) and the rest of global unicast
 *   (::/0, label 1; 64:ff9b::/96 included) differ. The 6to4, Teredo and
 *   deprecated-prefix labels are not told apart.
 * - Rule 8 (longest matching prefix, §2.2 CommonPrefixLen) counts at
 *   most the 64 bits of the candidate's prefix.
 * - Rules 1-5 and 7 concern addresses, not prefixes, and do not apply.
 *   Link-local, multicast, loopback and unspecified candidates are
 *   unusable: the PLAT is never on-link.
 */
enum clat_addr_label {
	LABEL_UNUSABLE,
	LABEL_ULA,
	LABEL_GLOBAL,
};

static enum clat_addr_label
clat_addr_label(const struct in6_addr *a)
{
	if (IN6_IS_ADDR_UNSPECIFIED(a) || IN6_IS_ADDR_LOOPBACK(a) ||
	    IN6_IS_ADDR_MULTICAST(a) || IN6_IS_ADDR_LINKLOCAL(a))
		return LABEL_UNUSABLE;
	if ((a->s6_addr[0] & 0xfe) == 0xfc)
		return LABEL_ULA;
	return LABEL_GLOBAL;
}

static unsigned
clat_addr_common_len(const struct in6_addr *a, const struct in6_addr *b)
{
	unsigned i, bits = 0;
	uint8_t x;

	for (i = 0; i < 8; i++) {
		x = a->s6_addr[i] ^ b->s6_addr[i];
		if (x != 0)
			return bits + (unsigned)__builtin_clz(x) - 24;
		bits += 8;
	}
	return bits;
}

int
clat_addr_pick_prefix(const struct in6_addr *candidates, unsigned n,
		      const struct xlat_prefix6 *plat)
{
	enum clat_addr_label want = clat_addr_label(&plat->addr), l;
	unsigned i, rank, best_rank = 0;
	int best = -1;

	for (i = 0; i < n; i++) {
		if ((l = clat_addr_label(&candidates[i])) == LABEL_UNUSABLE)
			continue;
		/* rule 6 outranks rule 8: 1 << 7 exceeds any length */
		rank = (l == want ? 1u << 7 : 0) + 1 +
		       clat_addr_common_len(&candidates[i], &plat->addr);
		if (rank > best_rank) {
			best_rank = rank;
			best = (int)i;
		}
	}
	return best;
}
