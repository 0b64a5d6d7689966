/* SPDX-License-Identifier: BSD-2-Clause */
/* Address mapping: RFC 6052 prefixes, RFC 7757 EAM, RFC 6052 §3.1. */
#include "core.h"

/* RFC 6052 §2.2: the u-octet, bits 64-71, is never used for IPv4 bits. */
#define U_OCTET 8

bool
xlat_prefix6_valid(const struct xlat_prefix6 *prefix)
{
	const uint8_t *a = prefix->addr.s6_addr;
	unsigned i;

	switch (prefix->len) {
	case 32:
	case 40:
	case 48:
	case 56:
	case 64:
	case 96:
		break;
	default:
		return false;
	}
	if (prefix->len == 96 && a[U_OCTET] != 0)
		return false;
	for (i = prefix->len / 8; i < 16; i++)
		if (a[i] != 0)
			return false;
	return true;
}

/* RFC 6052 §2.2, Figure 1: the IPv4 bytes follow the prefix, skipping
 * the u-octet; the suffix is zero. */
void
xlat_rfc6052_embed(const struct xlat_prefix6 *prefix, const uint8_t v4[4],
		   struct in6_addr *out)
{
	unsigned pos = prefix->len / 8, i;

	if (pos == 12) { /* /96: the last four bytes */
		memcpy(out->s6_addr, prefix->addr.s6_addr, 12);
		memcpy(out->s6_addr + 12, v4, 4);
		return;
	}
	memset(out->s6_addr, 0, 16);
	memcpy(out->s6_addr, prefix->addr.s6_addr, pos);
	for (i = 0; i < 4; i++) {
		if (pos == U_OCTET)
			pos++;
		out->s6_addr[pos++] = v4[i];
	}
}

/* RFC 6052 §2.2: the suffix is reserved and ignored on input; the
 * u-octet MUST be zero, so an address with it set is not ours. */
bool
xlat_rfc6052_extract(const struct xlat_prefix6 *prefix,
		     const struct in6_addr *in, uint8_t v4[4])
{
	unsigned pos = prefix->len / 8, i;

	if (!prefix6_match(in->s6_addr, prefix->addr.s6_addr, pos * 8) ||
	    in->s6_addr[U_OCTET] != 0)
		return false;
	if (pos == 12) { /* /96: the last four bytes */
		memcpy(v4, in->s6_addr + 12, 4);
		return true;
	}
	for (i = 0; i < 4; i++) {
		if (pos == U_OCTET)
			pos++;
		v4[i] = in->s6_addr[pos++];
	}
	return true;
}

bool
xlat_prefix6_is_wkp(const struct xlat_prefix6 *prefix)
{
	static const uint8_t wkp[12] = {0x00, 0x64, 0xff, 0x9b};

	return prefix->len == 96 && memcmp(prefix->addr.s6_addr, wkp, 12) == 0;
}

/* RFC 6052 §3.1 with RFC 6890: IPv4 ranges that are not global. */
static bool
ipv4_is_global(const uint8_t a[4])
{
	static const struct {
		uint8_t net[4];
		uint8_t len;
	} special[] = {
		{{0, 0, 0, 0}, 8},	{{10, 0, 0, 0}, 8},
		{{100, 64, 0, 0}, 10},	{{127, 0, 0, 0}, 8},
		{{169, 254, 0, 0}, 16}, {{172, 16, 0, 0}, 12},
		{{192, 0, 0, 0}, 24},	{{192, 0, 2, 0}, 24},
		{{192, 88, 99, 0}, 24}, {{192, 168, 0, 0}, 16},
		{{198, 18, 0, 0}, 15},	{{198, 51, 100, 0}, 24},
		{{203, 0, 113, 0}, 24}, {{224, 0, 0, 0}, 4},
		{{240, 0, 0, 0}, 4},
	};
	uint32_t addr = get32(a);
	size_t i;

	for (i = 0; i < sizeof(special) / sizeof(special[0]); i++) {
		uint32_t mask = 0xffffffffu << (32 - special[i].len);

		if ((addr & mask) == get32(special[i].net))
			return false;
	}
	return true;
}

/* RFC 7757 §3.2: the IPv4 suffix (the bits after the IPv4 prefix) is
 * copied right behind the IPv6 prefix; any IPv6 bits after it are zero. */
static void
eam_embed(const struct xlat_eam *e, const uint8_t v4[4], uint8_t v6[16])
{
	unsigned bits = 32 - e->p4.len, i;
	uint32_t suffix = get32(v4);

	memcpy(v6, e->p6.addr.s6_addr, 16);
	for (i = 0; i < bits; i++) {
		unsigned pos = e->p6.len + i;

		if (suffix >> (bits - 1 - i) & 1)
			v6[pos / 8] |= (uint8_t)(0x80 >> (pos % 8));
	}
}

static void
eam_extract(const struct xlat_eam *e, const uint8_t v6[16], uint8_t v4[4])
{
	unsigned bits = 32 - e->p4.len, i;
	uint32_t suffix = 0;

	for (i = 0; i < bits; i++) {
		unsigned pos = e->p6.len + i;

		suffix = suffix << 1 | (v6[pos / 8] >> (7 - pos % 8) & 1);
	}
	put32(v4, get32((const uint8_t *)&e->p4.addr) | suffix);
}

/* RFC 7757 §3.3: EAM first, then the caller's hosts, then the RFC 6052
 * prefix. */
bool
addr_map_4to6(const struct xlat_cfg *cfg, const uint8_t v4[4],
	      enum addr_role role, uint8_t v6[16])
{
	const struct xlat_eam *e;

	if (role == ADDR_ANY && (e = eam_find4(cfg, v4)) != NULL) {
		eam_embed(e, v4, v6);
		return true;
	}
	if (role == ADDR_ANY && cfg->hosts != NULL &&
	    cfg->hosts->find4(cfg->hosts, v4, v6))
		return true;
	if (!cfg->has_pool6)
		return false;
	if (cfg->wkp_strict && xlat_prefix6_is_wkp(&cfg->pool6) &&
	    !ipv4_is_global(v4))
		return false;
	xlat_rfc6052_embed(&cfg->pool6, v4, (struct in6_addr *)v6);
	return true;
}

bool
addr_map_6to4(const struct xlat_cfg *cfg, const uint8_t v6[16], uint8_t v4[4],
	      bool *via_pool6)
{
	const struct xlat_eam *e;

	*via_pool6 = false;
	if ((e = eam_find6(cfg, v6)) != NULL) {
		eam_extract(e, v6, v4);
		return true;
	}
	if (cfg->hosts != NULL && cfg->hosts->find6(cfg->hosts, v6, v4))
		return true;
	if (!cfg->has_pool6 ||
	    !xlat_rfc6052_extract(&cfg->pool6, (const struct in6_addr *)v6, v4))
		return false;
	if (cfg->wkp_strict && xlat_prefix6_is_wkp(&cfg->pool6) &&
	    !ipv4_is_global(v4))
		return false;
	*via_pool6 = true;
	return true;
}

bool
xlat_map_6to4(const struct xlat_cfg *cfg, const uint8_t v6[16], uint8_t v4[4])
{
	bool via_pool6;

	return addr_map_6to4(cfg, v6, v4, &via_pool6);
}
