/* SPDX-License-Identifier: BSD-2-Clause */
/* RFC 7757 Explicit Address Mapping table. */
#include "core.h"

/* RFC 7757 §3.2: the longest matching prefix wins. The table is sorted
 * by IPv6 prefix length, so every entry is looked at; of equal IPv4
 * prefixes the first (longest IPv6 prefix) is kept. */
const struct xlat_eam *
eam_find4(const struct xlat_cfg *cfg, const uint8_t v4[4])
{
	const struct xlat_eam *best = NULL;
	unsigned i;

	for (i = 0; i < cfg->eam_count; i++) {
		const struct xlat_eam *e = &cfg->eam[i];

		if ((best == NULL || e->p4.len > best->p4.len) &&
		    prefix4_match(v4, (const uint8_t *)&e->p4.addr, e->p4.len))
			best = e;
	}
	return best;
}

/* The table is sorted longest IPv6 prefix first: the first match wins. */
const struct xlat_eam *
eam_find6(const struct xlat_cfg *cfg, const uint8_t v6[16])
{
	unsigned i;

	for (i = 0; i < cfg->eam_count; i++) {
		const struct xlat_eam *e = &cfg->eam[i];

		if (prefix6_match(v6, e->p6.addr.s6_addr, e->p6.len))
			return e;
	}
	return NULL;
}

static void
mask_host_bits(uint8_t *a, unsigned size, unsigned len)
{
	unsigned i;

	for (i = 0; i < size; i++) {
		if (len >= 8 * (i + 1))
			continue;
		a[i] &= len > 8 * i ? (uint8_t)(0xff00 >> (len - 8 * i)) : 0;
	}
}

bool
xlat_eam_add(struct xlat_cfg *cfg, const struct xlat_prefix6 *p6,
	     const struct xlat_prefix4 *p4)
{
	unsigned i;

	/* RFC 7757 §3.2: the IPv4 suffix must fit in the IPv6 suffix. */
	if (p6->len > 128 || p4->len > 32 || 128u - p6->len < 32u - p4->len)
		return false;
	if (cfg->eam_count == XLAT_EAM_MAX)
		return false;
	for (i = cfg->eam_count; i > 0 && cfg->eam[i - 1].p6.len < p6->len; i--)
		cfg->eam[i] = cfg->eam[i - 1];
	cfg->eam[i].p6 = *p6;
	cfg->eam[i].p4 = *p4;
	mask_host_bits(cfg->eam[i].p6.addr.s6_addr, 16, p6->len);
	mask_host_bits((uint8_t *)&cfg->eam[i].p4.addr, 4, p4->len);
	cfg->eam_count++;
	return true;
}
