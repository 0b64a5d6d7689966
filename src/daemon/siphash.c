/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * SipHash-2-4, written from the algorithm description in Aumasson and
 * Bernstein, "SipHash: a fast short-input PRF" (2012), §2: a 256-bit
 * state of four 64-bit words v0..v3, two SipRounds per 8-byte message
 * word (compression) and four after the last one (finalization).
 */
#include <string.h>

#include "siphash.h"

#define ROTL(x, b) (((x) << (b)) | ((x) >> (64 - (b))))

/* §2.1: little-endian 64-bit words throughout. */
static uint64_t
siphash_le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* §2.2, Figure 2: one SipRound, an add-rotate-xor network. */
static void
siphash_round(uint64_t v[4])
{
	v[0] += v[1];
	v[1] = ROTL(v[1], 13);
	v[1] ^= v[0];
	v[0] = ROTL(v[0], 32);
	v[2] += v[3];
	v[3] = ROTL(v[3], 16);
	v[3] ^= v[2];
	v[0] += v[3];
	v[3] = ROTL(v[3], 21);
	v[3] ^= v[0];
	v[2] += v[1];
	v[1] = ROTL(v[1], 17);
	v[1] ^= v[2];
	v[2] = ROTL(v[2], 32);
}

static void
siphash_compress(uint64_t v[4], uint64_t m)
{
	v[3] ^= m;
	siphash_round(v);
	siphash_round(v);
	v[0] ^= m;
}

uint64_t
siphash_2_4(const uint8_t key[SIPHASH_KEY_LEN], const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t k0 = siphash_le64(key), k1 = siphash_le64(key + 8);
	/* §2.1 initialization: "somepseudorandomlygeneratedbytes" */
	uint64_t v[4] = {
		k0 ^ 0x736f6d6570736575ULL,
		k1 ^ 0x646f72616e646f6dULL,
		k0 ^ 0x6c7967656e657261ULL,
		k1 ^ 0x7465646279746573ULL,
	};
	uint8_t last[8] = {0};
	size_t left = len;

	for (; left >= 8; p += 8, left -= 8)
		siphash_compress(v, siphash_le64(p));
	/* The last word: the remaining bytes, zero padding, and the
	 * message length modulo 256 in its most significant byte. */
	memcpy(last, p, left);
	last[7] = (uint8_t)len;
	siphash_compress(v, siphash_le64(last));

	v[2] ^= 0xff; /* §2.3 finalization */
	siphash_round(v);
	siphash_round(v);
	siphash_round(v);
	siphash_round(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}
