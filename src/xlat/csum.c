/* SPDX-License-Identifier: BSD-2-Clause */
/* Internet checksums: RFC 1071 sums, RFC 1624 incremental updates. */
#include "core.h"

/* RFC 1071 §4.1: add 16-bit big-endian words into a 32-bit accumulator.
 * An odd trailing byte is padded with zero. */
uint32_t
csum_add(uint32_t sum, const uint8_t *data, size_t len)
{
	uint64_t acc = sum;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		acc += (uint32_t)(data[i] << 8 | data[i + 1]);
	if (len & 1)
		acc += (uint32_t)data[len - 1] << 8;
	while (acc >> 32)
		acc = (acc & 0xffffffff) + (acc >> 32);
	return (uint32_t)acc;
}

uint16_t
csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

uint16_t
csum_finish(uint32_t sum)
{
	return (uint16_t)~csum_fold(sum);
}

/* RFC 1624 §3, eqn. 3: HC' = ~(~HC + ~m + m'), where m and m' are the
 * folded sums of the old and new data. A wrong checksum stays wrong by
 * the same amount. */
uint16_t
csum_adjust(uint16_t check, uint16_t old_sum, uint16_t new_sum)
{
	uint32_t sum;

	sum = (uint16_t)~check;
	sum += (uint16_t)~old_sum;
	sum += new_sum;
	return (uint16_t)~csum_fold(sum);
}

uint16_t
csum_ipv4_header(const uint8_t *hdr, size_t len)
{
	uint32_t sum;

	sum = csum_add(0, hdr, 10);
	sum = csum_add(sum, hdr + 12, len - 12);
	return csum_finish(sum);
}

/* RFC 8200 §8.1: the IPv6 pseudo-header. */
uint32_t
csum_pseudo6(const uint8_t *src, const uint8_t *dst, uint32_t len,
	     uint8_t proto)
{
	uint32_t sum;

	sum = csum_add(0, src, 16);
	sum = csum_add(sum, dst, 16);
	sum += len >> 16;
	sum += len & 0xffff;
	return sum + proto;
}

/* RFC 793 §3.1 / RFC 768: the IPv4 pseudo-header. */
uint32_t
csum_pseudo4(const uint8_t *src, const uint8_t *dst, uint16_t len,
	     uint8_t proto)
{
	uint32_t sum;

	sum = csum_add(0, src, 4);
	sum = csum_add(sum, dst, 4);
	return sum + len + proto;
}
