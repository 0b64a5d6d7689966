/* SPDX-License-Identifier: BSD-2-Clause */
/* The checks of check-prefix.h. */
#include <stdio.h>
#include <stdlib.h>

#include "check-prefix.h"

void
check_prefix6(const struct xlat_prefix6 *p)
{
	if (!xlat_prefix6_valid(p)) {
		fprintf(stderr, "check: /%u is no valid RFC 6052 prefix\n",
			p->len);
		abort();
	}
}

void
check_pref64(const struct pref64 *p)
{
	check_prefix6(&p->prefix);
	if (p->lifetime > 8191 * 8) {
		fprintf(stderr, "check: PREF64 lifetime %u\n", p->lifetime);
		abort();
	}
}
