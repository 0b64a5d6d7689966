/* SPDX-License-Identifier: BSD-2-Clause */
/* Address mapping: RFC 6052 prefixes, RFC 7757 EAM, RFC 6052 §3.1. */
#include "core.h"
#include "xlatd/xlat_rfc6052.h"

bool
xlat_prefix6_valid(const struct xlat_prefix6 *prefix)
{
	const uint8_t *a = prefix->addr.s6_addr;
	unsigned i;

	if (!xlat_rfc6052_len_valid(prefix->len) ||
	    a[XLAT_RFC6052_U_OCTET] != 0)
		return false;
	for (i = prefix->len / 8; i < 16; i++)
		if (a[i] != 0)
			return false;
	return true;
}

/* RFC 6052 §2.2: the prefix, the IPv4 address, a zero suffix. */
void
xlat_rfc6052_embed(const struct xlat_prefix6 *prefix, const uint8_t v4[4],
		   struct in6_addr *out)
{
	unsigned pos = prefix->len / 8;

	memcpy(out->s6_addr, prefix->addr.s6_addr, pos);
	memset(out->s6_addr + pos, 0, 16 - pos);
	xlat_rfc6052_put(out->s6_addr, prefix->len, v4);
}

bool
xlat_rfc6052_extract(const struct xlat_prefix6 *prefix,
		     const struct in6_addr *in, uint8_t v4[4])
{
	return prefix6_match(in->s6_addr, prefix->addr.s6_addr,
			     prefix->len / 8 * 8) &&
	       xlat_rfc6052_get(in->s6_addr, prefix->len, v4);
}

bool
xlat_prefix6_is_wkp(const struct xlat_prefix6 *prefix)
{
	static const uint8_t wkp[12] = {0x00, 0x64, 0xff, 0x9b};

	return prefix->len == 96 && memcmp(prefix->addr.s6_addr, wkp, 12) == 0;
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
	    !xlat_rfc6052_v4_global(v4))
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
	    !xlat_rfc6052_v4_global(v4))
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
