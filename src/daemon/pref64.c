/* SPDX-License-Identifier: BSD-2-Clause */
/* RFC 8781 §4: the PREF64 option, found in a run of ND options. */
#include <string.h>

#include "pref64.h"

#define PREF64_LEN 2	    /* RFC 8781 §4: the Length is 2 (16 octets) */
#define PREF64_PLC_MASK 0x7 /* low 3 bits of octets 2-3 */
#define PREF64_LT_UNIT 8    /* Scaled Lifetime: units of 8 seconds */

/* RFC 8781 §4, Table 1: Prefix Length Code to prefix length. */
static const uint8_t pref64_plc_len[] = {96, 64, 56, 48, 40, 32};

/* One option of PREF64_LEN units. Returns false when it is to be
 * ignored: RFC 8781 §4 "If the PLC field is not set to a valid value,
 * the receiver MUST ignore the PREF64 option." */
static bool
pref64_option(const uint8_t *opt, struct pref64 *out)
{
	uint16_t word = (uint16_t)(opt[2] << 8 | opt[3]);
	unsigned plc = word & PREF64_PLC_MASK, len, i;

	if (plc >= sizeof(pref64_plc_len))
		return false;
	len = pref64_plc_len[plc];
	memset(out, 0, sizeof(*out));
	memcpy(out->prefix.addr.s6_addr, opt + 4, 12);
	/* bits past the prefix length are not part of the prefix */
	for (i = len; i < 96; i++)
		out->prefix.addr.s6_addr[i / 8] &= (uint8_t) ~(0x80 >> (i % 8));
	out->prefix.len = (uint8_t)len;
	out->lifetime = (uint32_t)(word >> 3) * PREF64_LT_UNIT;
	/* RFC 6052 §2.2: a /96 holds bits 64-71, which MUST be zero; with
	 * them set, no address under it is an IPv4-embedded one. */
	return xlat_prefix6_valid(&out->prefix);
}

bool
pref64_parse(const uint8_t *opts, size_t len, struct pref64 *out)
{
	size_t off = 0, olen;

	/* RFC 4861 §4.6: a zero length is invalid; nothing after it can be
	 * trusted, nor can an option that runs past the end. */
	while (len - off >= 2) {
		olen = (size_t)opts[off + 1] * ND_OPT_UNIT;
		if (olen == 0 || olen > len - off)
			return false;
		/* RFC 8781 §4: "The receiver MUST ignore the PREF64 option if
		 * the Length field value is not 2." */
		if (opts[off] == ND_OPT_PREF64 && opts[off + 1] == PREF64_LEN &&
		    pref64_option(opts + off, out))
			return true;
		off += olen;
	}
	return false;
}
