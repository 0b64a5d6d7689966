/* SPDX-License-Identifier: BSD-2-Clause */
/* Before the core: translate, answer or refuse (gate.h). */
#include <string.h>

#include "gate.h"

#define IPV4_HDR_LEN 20
#define IPV6_HDR_LEN 40
#define PROTO_ICMP 1
#define PROTO_ICMPV6 58
#define ICMP6_INFO_MIN 128 /* RFC 4443 §2.1: below are errors */

/* An ICMPv6 error right behind the IPv6 header. */
static bool
icmp6_error(const uint8_t *pkt, size_t len)
{
	return pkt[6] == PROTO_ICMPV6 && len > IPV6_HDR_LEN &&
	       pkt[IPV6_HDR_LEN] < ICMP6_INFO_MIN;
}

/* RFC 4291 §2.4: not unspecified, multicast or link-local. */
static bool
unicast6(const uint8_t a[16])
{
	static const uint8_t any[16];

	return memcmp(a, any, 16) != 0 && a[0] != 0xff &&
	       !(a[0] == 0xfe && (a[1] & 0xc0) == 0x80);
}

/* Whether an RFC 7757 entry holds v4 (a map of a prefix). */
static bool
eam_holds(const struct xlat_cfg *cfg, const uint8_t v4[4])
{
	uint32_t a = (uint32_t)v4[0] << 24 | (uint32_t)v4[1] << 16 |
		     (uint32_t)v4[2] << 8 | v4[3];
	unsigned i;

	for (i = 0; i < cfg->eam_count; i++) {
		const uint8_t *p = (const uint8_t *)&cfg->eam[i].p4.addr;
		uint32_t net = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
			       (uint32_t)p[2] << 8 | p[3];
		unsigned len = cfg->eam[i].p4.len;

		if (len == 0 || ((a ^ net) >> (32 - len)) == 0)
			return true;
	}
	return false;
}

static enum gate_verdict
from6(const struct gate *g, const uint8_t *pkt, size_t len, int64_t now,
      struct gate_change *ch)
{
	const uint8_t *src = pkt + 8;
	struct hosts_entry *e;
	uint8_t v4[4];

	if (memcmp(pkt + 24, &g->own6, 16) == 0)
		return GATE_SELF;
	/* RFC 4291 §2.4: multicast and link-local never leave the link;
	 * the host's router solicitations and MLD reports into the TUN
	 * device are not the translator's. */
	if (pkt[24] == 0xff || (pkt[8] == 0xfe && (pkt[9] & 0xc0) == 0x80))
		return GATE_LINK;
	if (g->pool == NULL)
		return GATE_TRANSLATE;
	if ((e = hosts_find6(g->pool->hosts, src)) != NULL) {
		if (!(e->flags & HOSTS_F_STATIC))
			pool_touch(e, now, false);
		return GATE_TRANSLATE;
	}
	/* tayga.conf(5): a source no map or prefix covers gets a pool
	 * address; the source of an ICMPv6 error is RFC 6791's. */
	if (xlat_map_6to4(g->cfg, src, v4) || icmp6_error(pkt, len))
		return GATE_TRANSLATE;
	/* Only for a packet the core would translate: to an address that
	 * maps, from a unicast one, with hop limit to spare (RFC 7915 §5.1).
	 * The host's own router solicitations and MLD reports into the TUN
	 * device get none. */
	if (!xlat_map_6to4(g->cfg, pkt + 24, v4) || !unicast6(src) ||
	    (g->cfg->decrement_ttl && pkt[7] <= 1))
		return GATE_TRANSLATE;
	ch->result = pool_get(g->pool, src, now, &e, &ch->old);
	if (ch->result == POOL_FULL)
		return GATE_POOL_FULL;
	ch->entry = e;
	return GATE_TRANSLATE;
}

/* RFC 792: destination unreachable, source quench, redirect, time
 * exceeded and parameter problem. */
static bool
icmp4_error(const uint8_t *pkt, size_t len)
{
	size_t ihl = (size_t)(pkt[0] & 0x0f) * 4;

	if (pkt[9] != PROTO_ICMP || len <= ihl)
		return false;
	switch (pkt[ihl]) {
	case 3:
	case 4:
	case 5:
	case 11:
	case 12:
		return true;
	default:
		return false;
	}
}

static enum gate_verdict
from4(const struct gate *g, const uint8_t *pkt, size_t len, int64_t now)
{
	const uint8_t *dst = pkt + 16;
	struct hosts_entry *e;

	if (memcmp(dst, &g->own4, 4) == 0)
		return GATE_SELF;
	if (g->pool == NULL || !pool_contains(g->pool, dst))
		return GATE_TRANSLATE;
	/* An answer confirms the mapping; an ICMP error is no answer. */
	if ((e = hosts_find4(g->pool->hosts, dst)) != NULL) {
		if (!(e->flags & HOSTS_F_STATIC))
			pool_touch(e, now, !icmp4_error(pkt, len));
		return GATE_TRANSLATE;
	}
	/* A pool address that no host holds has no IPv6 side. */
	return eam_holds(g->cfg, dst) ? GATE_TRANSLATE : GATE_DST_UNMAPPED;
}

enum gate_verdict
gate_check(const struct gate *g, const uint8_t *pkt, size_t len, int64_t now,
	   struct gate_change *ch)
{
	ch->result = POOL_FOUND;
	ch->entry = NULL;
	/* Anything malformed is the core's to count and drop. */
	if (len >= IPV6_HDR_LEN && pkt[0] >> 4 == 6)
		return from6(g, pkt, len, now, ch);
	if (len >= IPV4_HDR_LEN && pkt[0] >> 4 == 4)
		return from4(g, pkt, len, now);
	return GATE_TRANSLATE;
}
