/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * RFC 1071 Internet checksums, inline and pure: the translation core's,
 * also for the data paths and the daemon (super-packet checksums, DAD
 * probes, checksum-neutral addresses).
 */
#ifndef XLATD_XLAT_CSUM_H
#define XLATD_XLAT_CSUM_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* RFC 1071 sums, inline: most cover a few fixed-size header fields.
 * Two rounds carry any 32-bit sum into 16 bits. */
static inline uint16_t
xlat_csum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)((sum & 0xffff) + (sum >> 16));
}

static inline uint16_t
xlat_csum_finish(uint32_t sum)
{
	return (uint16_t)~xlat_csum_fold(sum);
}

/* RFC 1071 §2(B): the sum comes out the same in either byte order, and a
 * 32-bit word is congruent, modulo 0xffff, to the sum of its halves. So
 * data are added to a 64-bit accumulator as native 32-bit words, and the
 * folded result is read big-endian once (xlat_csum_native_fold). Pieces may
 * share one accumulator when all but the last have an even length. An
 * odd trailing byte is padded with zero (§4.1). */
static inline uint64_t
xlat_csum_native(uint64_t acc, const uint8_t *data, size_t len)
{
	uint8_t tail[2] = {0, 0};
	uint32_t w32;
	uint16_t w16;

	for (; len >= 4; data += 4, len -= 4) {
		memcpy(&w32, data, 4);
		acc += w32;
	}
	if (len >= 2) {
		memcpy(&w16, data, 2);
		acc += w16;
		data += 2;
		len -= 2;
	}
	if (len == 1) {
		tail[0] = data[0];
		memcpy(&w16, tail, 2);
		acc += w16;
	}
	return acc;
}

/* The big-endian 16-bit sum of a native accumulator; 0 only for 0. */
static inline uint16_t
xlat_csum_native_fold(uint64_t acc)
{
	uint8_t b[2];
	uint16_t w16;

	acc = (acc & 0xffffffff) + (acc >> 32);
	acc = (acc & 0xffffffff) + (acc >> 32);
	w16 = xlat_csum_fold((uint32_t)acc);
	memcpy(b, &w16, 2);
	return (uint16_t)(b[0] << 8 | b[1]);
}

/* Adds data to a 32-bit big-endian sum. */
static inline uint32_t
xlat_csum_add(uint32_t sum, const uint8_t *data, size_t len)
{
	uint64_t total = (uint64_t)sum +
			 xlat_csum_native_fold(xlat_csum_native(0, data, len));

	return (uint32_t)total + (uint32_t)(total >> 32);
}

#endif
