/* SPDX-License-Identifier: BSD-2-Clause */
/* RFC 8781: the PREF64 router advertisement option. Pure parsing. */
#ifndef XLATD_PREF64_H
#define XLATD_PREF64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xlatd/xlat.h"
#include "xlatd/xlat_icmp.h"

struct pref64 {
	struct xlat_prefix6 prefix;
	uint32_t lifetime; /* seconds; 0 = withdrawn */
};

/* Find the PREF64 option in a run of ND options (8-byte units, as they
 * come in RTM_NEWNDUSEROPT). Returns true when one valid option was
 * found (the first), with the prefix bits past its length cleared; an
 * invalid one (length != 2, PLC > 5, a /96 with bits 64-71 set) is
 * skipped. A zero length, or an
 * option running past the end, ends the walk (RFC 4861 §4.6). */
bool pref64_parse(const uint8_t *opts, size_t len, struct pref64 *out);

#endif
