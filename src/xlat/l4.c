/* SPDX-License-Identifier: BSD-2-Clause */
/* TCP and UDP checksums across translation: RFC 7915 §4.5 and §5.5. */
#include "core.h"

#define TCP_CSUM_OFF 16
#define UDP_CSUM_OFF 6

static size_t
csum_offset(uint8_t proto)
{
	if (proto == PROTO_TCP)
		return TCP_CSUM_OFF;
	if (proto == PROTO_UDP)
		return UDP_CSUM_OFF;
	return 0;
}

enum xlat_proto
l4_proto_class(uint8_t proto)
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

/* Only the addresses differ between the two pseudo-headers: the length
 * and protocol words are equal, so an incremental update (RFC 1624) on
 * the address sums is exact and keeps a wrong checksum equally wrong. */
static void
adjust(uint8_t *field, uint16_t old_sum, uint16_t new_sum, bool udp)
{
	uint16_t check = csum_adjust(get16(field), old_sum, new_sum);

	/* RFC 768: a computed zero is sent as all ones. */
	if (udp && check == 0)
		check = 0xffff;
	put16(field, check);
}

/* Shared mode (xlat_portswap.h): the port at port_off (0: source, 2:
 * destination) of a TCP or UDP header whose IPv6 address on that side is
 * portswap_addr is swapped, and the checksum follows (RFC 1624). The
 * header of an ICMP error's inner packet may end before its checksum. */
void
l4_portswap(const struct xlat_cfg *cfg, uint8_t proto, uint8_t *l4, size_t len,
	    bool first_frag, const uint8_t addr6[16], size_t port_off)
{
	size_t off = csum_offset(proto);
	uint16_t old, new;

	if (cfg->portswap.size == 0 || off == 0 || !first_frag ||
	    len < port_off + 2 ||
	    memcmp(addr6, cfg->portswap_addr.s6_addr, 16) != 0)
		return;
	old = get16(l4 + port_off);
	new = xlat_portswap_port(&cfg->portswap, old);
	put16(l4 + port_off, new);
	if (cfg->portswap_csum_partial || len < off + 2 ||
	    (proto == PROTO_UDP && get16(l4 + off) == 0))
		return;
	adjust(l4 + off, old, new, proto == PROTO_UDP);
}

/* RFC 7915 §4.5: an IPv4 UDP checksum of zero has no IPv6 equivalent. */
bool
l4_udp_zero_checksum(uint8_t proto, const uint8_t *l4, size_t len,
		     bool first_frag)
{
	return proto == PROTO_UDP && first_frag && len >= UDP_HDR_LEN &&
	       get16(l4 + UDP_CSUM_OFF) == 0;
}

/* RFC 7915 §4.5: compute the checksum of a whole UDP datagram. */
void
l4_udp_checksum_6(uint8_t *udp, size_t len, const uint8_t src[16],
		  const uint8_t dst[16])
{
	uint32_t sum = csum_pseudo6(src, dst, (uint32_t)len, PROTO_UDP);
	uint16_t check;

	put16(udp + UDP_CSUM_OFF, 0);
	check = xlat_csum_finish(xlat_csum_add(sum, udp, len));
	put16(udp + UDP_CSUM_OFF, check ? check : 0xffff);
}

/* A UDP checksum of zero (possible only inside an ICMP error here) is
 * left as it is. */
void
l4_4to6(uint8_t proto, uint8_t *l4, size_t len, bool first_frag,
	const uint8_t old_addrs[8], const uint8_t src[16],
	const uint8_t dst[16])
{
	size_t off = csum_offset(proto);
	uint16_t old_sum, new_sum;

	if (off == 0 || !first_frag || len < off + 2)
		return;
	if (proto == PROTO_UDP && get16(l4 + off) == 0)
		return;
	old_sum = xlat_csum_native_fold(xlat_csum_native(0, old_addrs, 8));
	new_sum = xlat_csum_native_fold(
		xlat_csum_native(xlat_csum_native(0, src, 16), dst, 16));
	adjust(l4 + off, old_sum, new_sum, proto == PROTO_UDP);
}

void
l4_6to4(uint8_t proto, uint8_t *l4, size_t len, bool first_frag,
	const uint8_t old_addrs[32], const uint8_t src[4], const uint8_t dst[4])
{
	size_t off = csum_offset(proto);
	uint16_t old_sum, new_sum;

	if (off == 0 || !first_frag || len < off + 2)
		return;
	old_sum = xlat_csum_native_fold(xlat_csum_native(0, old_addrs, 32));
	new_sum = xlat_csum_native_fold(
		xlat_csum_native(xlat_csum_native(0, src, 4), dst, 4));
	adjust(l4 + off, old_sum, new_sum, proto == PROTO_UDP);
}
