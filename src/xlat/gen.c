/* SPDX-License-Identifier: BSD-2-Clause */
/* ICMP errors the translator sends back itself: time exceeded, packet too
 * big, parameter problem and administratively prohibited (RFC 7915 §4.1,
 * §4.4, §5.1, §5.4). They carry as much of the packet as the size limits
 * allow (RFC 1812 §4.3.2.3, RFC 4443 §2.4(c)), never answer an ICMP
 * error (RFC 1812 §4.3.2.7, RFC 4443 §2.4(e)), and keep to a rate
 * (cfg->icmp_error_rate, ratelimit.c). */
#include "core.h"

/* RFC 4443 §2.4(f), RFC 1812 §4.3.2.8: within the rate, or counted. */
static bool
rate_allows(const struct xlat_cfg *cfg, struct xlat_ctx *ctx, enum xlat_dir dir)
{
	if (xlat_bucket_take(&ctx->icmp_bucket, cfg->icmp_error_rate,
			     ctx->now_ms))
		return true;
	ctx->stats.icmp_suppressed[dir]++;
	return false;
}

static bool
answers_error4(const uint8_t *orig, size_t len)
{
	size_t ihl = (size_t)(orig[0] & 0x0f) * 4;

	if (orig[12] >= 224 || (get16(orig + 6) & IPV4_OFFSET_MASK) != 0)
		return true;
	return orig[9] == PROTO_ICMP && len > ihl && icmp4_is_error(orig[ihl]);
}

void
gen_icmp4_error(const struct xlat_cfg *cfg, struct xlat_ctx *ctx,
		const uint8_t *orig, size_t orig_len, uint8_t type,
		uint8_t code, uint16_t mtu)
{
	size_t quote = orig_len, len;
	uint8_t *p, *icmp;

	if (!cfg->has_own4 || answers_error4(orig, orig_len))
		return;
	if (!rate_allows(cfg, ctx, XLAT_DIR_46))
		return;
	if (quote > ICMP4_ERROR_MAX - IPV4_HDR_LEN - ICMP_HDR_LEN)
		quote = ICMP4_ERROR_MAX - IPV4_HDR_LEN - ICMP_HDR_LEN;
	len = IPV4_HDR_LEN + ICMP_HDR_LEN + quote;
	if ((p = out_scratch(ctx, len)) == NULL)
		return;
	memset(p, 0, IPV4_HDR_LEN + ICMP_HDR_LEN);
	p[0] = 0x45;
	put16(p + 2, (uint16_t)len);
	p[8] = GENERATED_TTL;
	p[9] = PROTO_ICMP;
	memcpy(p + 12, &cfg->own4, 4);
	memcpy(p + 16, orig + 12, 4);
	put16(p + 10, csum_ipv4_header(p, IPV4_HDR_LEN));
	icmp = p + IPV4_HDR_LEN;
	icmp[0] = type;
	icmp[1] = code;
	put16(icmp + 6, mtu);
	memcpy(icmp + ICMP_HDR_LEN, orig, quote);
	put16(icmp + 2,
	      xlat_csum_finish(xlat_csum_add(0, icmp, ICMP_HDR_LEN + quote)));
	if (out_push(ctx, XLAT_FAMILY_V4, p, len, NULL, 0))
		ctx->stats.icmp_generated[XLAT_DIR_46]++;
}

static bool
answers_error6(const uint8_t *orig, size_t len, const struct ipv6_view *v)
{
	if (orig[8] == 0xff || v->frag_off != 0)
		return true;
	return v->proto == PROTO_ICMPV6 && len > v->l4_off &&
	       icmp6_is_error(orig[v->l4_off]);
}

void
gen_icmp6_error(const struct xlat_cfg *cfg, struct xlat_ctx *ctx,
		const uint8_t *orig, size_t orig_len, const struct ipv6_view *v,
		uint8_t type, uint8_t code, uint32_t param)
{
	size_t quote = orig_len, len;
	uint8_t *p, *icmp;
	uint32_t sum;

	if (!cfg->has_own6 || answers_error6(orig, orig_len, v))
		return;
	if (!rate_allows(cfg, ctx, XLAT_DIR_64))
		return;
	if (quote > ICMP6_ERROR_MAX - IPV6_HDR_LEN - ICMP_HDR_LEN)
		quote = ICMP6_ERROR_MAX - IPV6_HDR_LEN - ICMP_HDR_LEN;
	len = IPV6_HDR_LEN + ICMP_HDR_LEN + quote;
	if ((p = out_scratch(ctx, len)) == NULL)
		return;
	memset(p, 0, IPV6_HDR_LEN + ICMP_HDR_LEN);
	p[0] = 0x60;
	put16(p + 4, (uint16_t)(ICMP_HDR_LEN + quote));
	p[6] = PROTO_ICMPV6;
	p[7] = GENERATED_TTL;
	memcpy(p + 8, cfg->own6.s6_addr, 16);
	memcpy(p + 24, orig + 8, 16);
	icmp = p + IPV6_HDR_LEN;
	icmp[0] = type;
	icmp[1] = code;
	put32(icmp + 4, param);
	memcpy(icmp + ICMP_HDR_LEN, orig, quote);
	sum = csum_pseudo6(p + 8, p + 24, (uint32_t)(ICMP_HDR_LEN + quote),
			   PROTO_ICMPV6);
	put16(icmp + 2,
	      xlat_csum_finish(xlat_csum_add(sum, icmp, ICMP_HDR_LEN + quote)));
	if (out_push(ctx, XLAT_FAMILY_V6, p, len, NULL, 0))
		ctx->stats.icmp_generated[XLAT_DIR_64]++;
}
