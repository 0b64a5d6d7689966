/* SPDX-License-Identifier: BSD-2-Clause */
/* What a PLAT prefix learnt from the network must be, whichever parser
 * found it: one the translator can use (RFC 6052 §2.2). abort()s if not. */
#ifndef TESTS_FUZZ_CHECK_PREFIX_H
#define TESTS_FUZZ_CHECK_PREFIX_H

#include "daemon/pref64.h"
#include "xlatd/xlat.h"

/* A valid RFC 6052 prefix: a length that carries IPv4, no bits after it,
 * the u-octet zero. */
void check_prefix6(const struct xlat_prefix6 *p);
/* That, and a lifetime a 13-bit count of 8 seconds can say (RFC 8781). */
void check_pref64(const struct pref64 *p);

#endif
