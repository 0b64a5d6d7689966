/* SPDX-License-Identifier: BSD-2-Clause */
/* Internet checksums: RFC 1624 incremental updates, the IPv4 header and
 * the pseudo-headers (the RFC 1071 sums are inline, in core.h). */
#include "core.h"

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
	return (uint16_t)~xlat_csum_fold(sum);
}

uint16_t
csum_ipv4_header(const uint8_t *hdr, size_t len)
{
	uint64_t acc = xlat_csum_native(xlat_csum_native(0, hdr, 10), hdr + 12,
					len - 12);

	return (uint16_t)~xlat_csum_native_fold(acc);
}

/* RFC 8200 §8.1: the IPv6 pseudo-header. */
uint32_t
csum_pseudo6(const uint8_t *src, const uint8_t *dst, uint32_t len,
	     uint8_t proto)
{
	uint32_t sum = xlat_csum_native_fold(
		xlat_csum_native(xlat_csum_native(0, src, 16), dst, 16));

	sum += len >> 16;
	sum += len & 0xffff;
	return sum + proto;
}

/* RFC 793 §3.1 / RFC 768: the IPv4 pseudo-header. */
uint32_t
csum_pseudo4(const uint8_t *src, const uint8_t *dst, uint16_t len,
	     uint8_t proto)
{
	uint32_t sum = xlat_csum_native_fold(
		xlat_csum_native(xlat_csum_native(0, src, 4), dst, 4));

	return sum + len + proto;
}
