/* SPDX-License-Identifier: BSD-2-Clause */
/* ICMP <-> ICMPv6 type, code, pointer and MTU rules: RFC 7915 §4.2, §5.2. */
#include "core.h"

static void
set(struct icmp_map *m, uint8_t type, uint8_t code, bool is_error)
{
	m->type = type;
	m->code = code;
	m->is_error = is_error;
	m->pointer = false;
	m->mtu = false;
}

bool
icmp4_is_error(uint8_t type)
{
	return type == ICMP4_DEST_UNREACH || type == ICMP4_SOURCE_QUENCH ||
	       type == ICMP4_REDIRECT || type == ICMP4_TIME_EXCEEDED ||
	       type == ICMP4_PARAM_PROBLEM;
}

bool
icmp6_is_error(uint8_t type)
{
	return type < ICMP6_INFO_MIN;
}

/* RFC 7915 §4.2, "ICMPv4 error messages", Destination Unreachable. */
static bool
unreach_4to6(uint8_t code, struct icmp_map *m)
{
	switch (code) {
	case ICMP4_NET_UNREACH:
	case ICMP4_HOST_UNREACH:
	case ICMP4_SRCROUTE_FAILED:
	case ICMP4_NET_UNKNOWN:
	case ICMP4_HOST_UNKNOWN:
	case ICMP4_HOST_ISOLATED:
	case ICMP4_NET_TOS:
	case ICMP4_HOST_TOS:
		set(m, ICMP6_DEST_UNREACH, ICMP6_NO_ROUTE, true);
		return true;
	case ICMP4_PROTO_UNREACH: /* Parameter Problem, pointer 6 */
		set(m, ICMP6_PARAM_PROBLEM, ICMP6_PARAM_NEXT_HEADER, true);
		return true;
	case ICMP4_PORT_UNREACH:
		set(m, ICMP6_DEST_UNREACH, ICMP6_PORT_UNREACH, true);
		return true;
	case ICMP4_FRAG_NEEDED:
		set(m, ICMP6_PACKET_TOO_BIG, 0, true);
		m->mtu = true;
		return true;
	case ICMP4_NET_PROHIBITED:
	case ICMP4_HOST_PROHIBITED:
	case ICMP4_ADMIN_PROHIBITED:
	case ICMP4_PRECEDENCE_CUTOFF:
		set(m, ICMP6_DEST_UNREACH, ICMP6_ADMIN_PROHIBITED, true);
		return true;
	default: /* host precedence violation and unknown codes */
		return false;
	}
}

bool
icmp_map_4to6(uint8_t type, uint8_t code, struct icmp_map *m)
{
	switch (type) {
	case ICMP4_ECHO:
		set(m, ICMP6_ECHO_REQUEST, 0, false);
		return code == 0;
	case ICMP4_ECHO_REPLY:
		set(m, ICMP6_ECHO_REPLY, 0, false);
		return code == 0;
	case ICMP4_DEST_UNREACH:
		return unreach_4to6(code, m);
	case ICMP4_TIME_EXCEEDED:
		set(m, ICMP6_TIME_EXCEEDED, code, true);
		return true;
	case ICMP4_PARAM_PROBLEM:
		/* A missing option has no equivalent: drop. */
		if (code != ICMP4_PARAM_POINTER &&
		    code != ICMP4_PARAM_BAD_LENGTH)
			return false;
		set(m, ICMP6_PARAM_PROBLEM, ICMP6_PARAM_HEADER, true);
		m->pointer = true;
		return true;
	default: /* source quench, redirect, obsolete and unknown types */
		return false;
	}
}

static bool
unreach_6to4(uint8_t code, struct icmp_map *m)
{
	switch (code) {
	case ICMP6_NO_ROUTE:
	case ICMP6_BEYOND_SCOPE:
	case ICMP6_ADDR_UNREACH:
		set(m, ICMP4_DEST_UNREACH, ICMP4_HOST_UNREACH, true);
		return true;
	case ICMP6_ADMIN_PROHIBITED:
		set(m, ICMP4_DEST_UNREACH, ICMP4_HOST_PROHIBITED, true);
		return true;
	case ICMP6_PORT_UNREACH:
		set(m, ICMP4_DEST_UNREACH, ICMP4_PORT_UNREACH, true);
		return true;
	default:
		return false;
	}
}

bool
icmp_map_6to4(uint8_t type, uint8_t code, struct icmp_map *m)
{
	switch (type) {
	case ICMP6_ECHO_REQUEST:
		set(m, ICMP4_ECHO, 0, false);
		return code == 0;
	case ICMP6_ECHO_REPLY:
		set(m, ICMP4_ECHO_REPLY, 0, false);
		return code == 0;
	case ICMP6_DEST_UNREACH:
		return unreach_6to4(code, m);
	case ICMP6_PACKET_TOO_BIG:
		set(m, ICMP4_DEST_UNREACH, ICMP4_FRAG_NEEDED, true);
		m->mtu = true;
		return code == 0;
	case ICMP6_TIME_EXCEEDED:
		set(m, ICMP4_TIME_EXCEEDED, code, true);
		return code <= ICMP6_REASM_EXCEEDED;
	case ICMP6_PARAM_PROBLEM:
		if (code == ICMP6_PARAM_HEADER) {
			set(m, ICMP4_PARAM_PROBLEM, ICMP4_PARAM_POINTER, true);
			m->pointer = true;
			return true;
		}
		if (code == ICMP6_PARAM_NEXT_HEADER) {
			set(m, ICMP4_DEST_UNREACH, ICMP4_PROTO_UNREACH, true);
			return true;
		}
		return false;
	default: /* MLD, ND and unknown informational messages */
		return false;
	}
}

/* RFC 7915 §4.2, Figure 3: IPv4 header offsets to IPv6 header offsets. */
bool
icmp_pointer_4to6(uint8_t ptr, uint8_t *out)
{
	static const int8_t map[20] = {
		0,  1,	4, 4, -1, -1, -1, -1, 7,  6,
		-1, -1, 8, 8, 8,  8,  24, 24, 24, 24,
	};

	if (ptr >= sizeof(map) || map[ptr] < 0)
		return false;
	*out = (uint8_t)map[ptr];
	return true;
}

/* RFC 7915 §5.2, Figure 6: IPv6 header offsets to IPv4 header offsets. */
bool
icmp_pointer_6to4(uint32_t ptr, uint8_t *out)
{
	if (ptr <= 1)
		*out = (uint8_t)ptr;
	else if (ptr == 4 || ptr == 5)
		*out = 2;
	else if (ptr == 6)
		*out = 9;
	else if (ptr == 7)
		*out = 8;
	else if (ptr >= 8 && ptr < 24)
		*out = 12;
	else if (ptr >= 24 && ptr < 40)
		*out = 16;
	else
		return false;
	return true;
}

/* RFC 1191 §7: plateau MTUs, for routers that report an MTU of zero. */
static uint16_t
plateau_below(size_t tot_len)
{
	static const uint16_t plateaus[] = {65535, 32000, 17914, 8166,
					    4352,  2002,  1492,	 1006,
					    508,   296,	  68};
	size_t i;

	for (i = 0; i < sizeof(plateaus) / sizeof(plateaus[0]); i++)
		if (plateaus[i] < tot_len)
			return plateaus[i];
	return 68;
}

/* RFC 7915 §4.2: MTU = min(MTU + 20, IPv6 next-hop MTU, IPv4 next-hop
 * MTU + 20), and never below the IPv6 minimum of 1280 (RFC 8200 §5). */
uint16_t
icmp_mtu_4to6(const struct xlat_cfg *cfg, uint16_t mtu, size_t inner_tot_len)
{
	uint32_t v;

	if (mtu == 0)
		mtu = plateau_below(inner_tot_len);
	v = (uint32_t)mtu + 20;
	if (v > cfg->mtu_v6)
		v = cfg->mtu_v6;
	if (v > (uint32_t)cfg->mtu_v4 + 20)
		v = (uint32_t)cfg->mtu_v4 + 20;
	if (v < XLAT_IPV6_MIN_MTU)
		v = XLAT_IPV6_MIN_MTU;
	return (uint16_t)v;
}

/* RFC 7915 §5.2: MTU = min(MTU - 20, IPv4 next-hop MTU, IPv6 next-hop
 * MTU - 20). */
uint16_t
icmp_mtu_6to4(const struct xlat_cfg *cfg, uint32_t mtu)
{
	uint32_t v = mtu > 20 ? mtu - 20 : 0;

	if (v > cfg->mtu_v4)
		v = cfg->mtu_v4;
	if (v > (uint32_t)cfg->mtu_v6 - 20)
		v = (uint32_t)cfg->mtu_v6 - 20;
	if (v > 0xffff)
		v = 0xffff;
	return (uint16_t)v;
}

/* RFC 7915 §4.2 / §5.2: echo messages change type, and the ICMPv6
 * checksum covers a pseudo-header (RFC 4443 §2.3) that ICMPv4 lacks. The
 * update is incremental, so a wrong checksum stays wrong. claimed is the
 * message length the IP header gives, which the pseudo-header uses. */
static bool
info_adjust(uint8_t *icmp, size_t avail, uint8_t new_type, uint32_t add,
	    uint32_t sub)
{
	uint16_t old_word, new_word;

	if (avail < 4)
		return false;
	old_word = get16(icmp);
	icmp[0] = new_type;
	new_word = get16(icmp);
	put16(icmp + 2,
	      csum_adjust(get16(icmp + 2), xlat_csum_fold(old_word + sub),
			  xlat_csum_fold(new_word + add)));
	return true;
}

bool
icmp_info_4to6(uint8_t *icmp, size_t avail, size_t claimed,
	       const uint8_t src[16], const uint8_t dst[16])
{
	struct icmp_map m;

	if (avail < 2 || !icmp_map_4to6(icmp[0], icmp[1], &m) || m.is_error)
		return false;
	return info_adjust(
		icmp, avail, m.type,
		csum_pseudo6(src, dst, (uint32_t)claimed, PROTO_ICMPV6), 0);
}

bool
icmp_info_6to4(uint8_t *icmp, size_t avail, size_t claimed,
	       const uint8_t src[16], const uint8_t dst[16])
{
	struct icmp_map m;

	if (avail < 2 || !icmp_map_6to4(icmp[0], icmp[1], &m) || m.is_error)
		return false;
	return info_adjust(
		icmp, avail, m.type, 0,
		csum_pseudo6(src, dst, (uint32_t)claimed, PROTO_ICMPV6));
}
