/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Harness for the translation-core tests: runs a built packet through
 * xlat_translate() from a buffer with XLAT_HEADROOM in front, and reads
 * the emitted packets back as flat bytes.
 */
#ifndef TESTS_RUN_H
#define TESTS_RUN_H

#include "pkt-build.h"
#include "xlatd/xlat.h"

/* Translate in (either family); returns the number of packets emitted.
 * They stay valid until the next call. */
unsigned run_xlat(const struct xlat_cfg *cfg, struct xlat_ctx *ctx,
		  const struct pkt *in);

/* Copy emitted packet i into out (family from its first nibble). */
void run_out(const struct xlat_ctx *ctx, unsigned i, struct pkt *out);

/* Reassemble IPv6 fragments out[first..first+n) (RFC 8200 §4.5) into an
 * unfragmented packet; fails the test on gaps, overlaps or mixed IDs. */
void run_reassemble6(const struct xlat_ctx *ctx, unsigned first, unsigned n,
		     struct pkt *whole);
/* The same for IPv4 fragments (RFC 791 §3.2). */
void run_reassemble4(const struct xlat_ctx *ctx, unsigned first, unsigned n,
		     struct pkt *whole);

/* The address at got (4 or 16 bytes) is want, written as text; a
 * failure shows both as text. */
void run_assert_addr4(const void *got, const char *want);
void run_assert_addr6(const void *got, const char *want);

/* A configuration most tests start from: RFC 6052 prefix pool6 ("" for
 * none), the CLAT's EAM 192.0.0.2/32 <-> 2001:db8:aaaa::2/128, own
 * addresses 192.0.0.1 and 2001:db8:aaaa::1, everything else default. */
void run_cfg(struct xlat_cfg *cfg, const char *pool6);

#endif
