/* SPDX-License-Identifier: BSD-2-Clause */
/* Fragmenting translated packets that exceed the next-hop MTU: RFC 7915
 * §4.1 (IPv4 DF = 0 to IPv6 Fragment headers) and §5.1 (IPv6 fragments to
 * IPv4 fragments). Each fragment is a new header in scratch space plus a
 * slice of the original payload: the payload is not copied. */
#include "core.h"

/* ip6 holds a translated IPv6 header followed by a Fragment header whose
 * next-header field is already set. */
bool
frag_emit6(struct xlat_ctx *ctx, const uint8_t *ip6, const uint8_t *payload,
	   size_t payload_len, uint32_t id, uint16_t base_off, bool last_mf,
	   size_t mtu)
{
	size_t max = (mtu - IPV6_HDR_LEN - FRAG_HDR_LEN) & ~(size_t)7;
	size_t done = 0;

	if (mtu < IPV6_HDR_LEN + FRAG_HDR_LEN + 8)
		return false;
	while (done < payload_len) {
		size_t n = payload_len - done;
		bool more = last_mf;
		uint8_t *h;

		if (n > max) {
			n = max;
			more = true;
		}
		h = out_scratch(ctx, IPV6_HDR_LEN + FRAG_HDR_LEN);
		if (h == NULL)
			return false;
		memcpy(h, ip6, IPV6_HDR_LEN + FRAG_HDR_LEN);
		put16(h + 4, (uint16_t)(FRAG_HDR_LEN + n));
		h[IPV6_HDR_LEN + 1] = 0;
		put16(h + IPV6_HDR_LEN + 2,
		      (uint16_t)((base_off + done) | (more ? 1 : 0)));
		put32(h + IPV6_HDR_LEN + 4, id);
		if (!out_push(ctx, XLAT_FAMILY_V6, h,
			      IPV6_HDR_LEN + FRAG_HDR_LEN, payload + done, n))
			return false;
		ctx->stats.fragments_out[XLAT_DIR_46]++;
		done += n;
	}
	return true;
}

/* ip4 holds a translated IPv4 header without options. */
bool
frag_emit4(struct xlat_ctx *ctx, const uint8_t *ip4, const uint8_t *payload,
	   size_t payload_len, uint16_t base_off, bool last_mf, size_t mtu)
{
	size_t max = (mtu - IPV4_HDR_LEN) & ~(size_t)7;
	size_t done = 0;

	if (mtu <= IPV4_HDR_LEN || max == 0)
		return false;
	while (done < payload_len) {
		size_t n = payload_len - done;
		bool more = last_mf;
		uint16_t field;
		uint8_t *h;

		if (n > max) {
			n = max;
			more = true;
		}
		if ((h = out_scratch(ctx, IPV4_HDR_LEN)) == NULL)
			return false;
		memcpy(h, ip4, IPV4_HDR_LEN);
		put16(h + 2, (uint16_t)(IPV4_HDR_LEN + n));
		field = (uint16_t)((base_off + done) / 8) |
			(more ? IPV4_MF : 0);
		put16(h + 6, field);
		put16(h + 10, 0);
		put16(h + 10, csum_ipv4_header(h, IPV4_HDR_LEN));
		if (!out_push(ctx, XLAT_FAMILY_V4, h, IPV4_HDR_LEN,
			      payload + done, n))
			return false;
		ctx->stats.fragments_out[XLAT_DIR_64]++;
		done += n;
	}
	return true;
}
