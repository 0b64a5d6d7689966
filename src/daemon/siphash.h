/* SPDX-License-Identifier: BSD-2-Clause */
/* SipHash-2-4, a keyed 64-bit pseudorandom function (Aumasson and
 * Bernstein, "SipHash: a fast short-input PRF", 2012). Pure. */
#ifndef XLATD_SIPHASH_H
#define XLATD_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

#define SIPHASH_KEY_LEN 16

/* The 64-bit output as the paper defines it (the little-endian reading
 * of its eight output bytes). */
uint64_t siphash_2_4(const uint8_t key[SIPHASH_KEY_LEN], const void *data,
		     size_t len);

#endif
