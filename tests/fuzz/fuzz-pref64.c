/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz target: the ND options of a router advertisement, as the kernel
 * hands them up in RTM_NEWNDUSEROPT, through pref64_parse() (RFC 8781).
 * A PREF64 it returns must be one the translator can use
 * (check-prefix.h).
 */
#include "check-prefix.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pref64 p;

	if (pref64_parse(data, size, &p))
		check_pref64(&p);
	return 0;
}
