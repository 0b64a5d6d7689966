/* SPDX-License-Identifier: BSD-2-Clause */
/* Entry points of the translation core. */
#include "core.h"

static const char *const drop_names[XLAT_DROP_MAX] = {
	[XLAT_DROP_NONE] = "none",
	[XLAT_DROP_TRUNCATED] = "truncated",
	[XLAT_DROP_BAD_IPV4_HEADER] = "bad-ipv4-header",
	[XLAT_DROP_BAD_IPV4_CHECKSUM] = "bad-ipv4-checksum",
	[XLAT_DROP_BAD_IPV6_HEADER] = "bad-ipv6-header",
	[XLAT_DROP_SRC_UNTRANSLATABLE] = "src-untranslatable",
	[XLAT_DROP_DST_UNTRANSLATABLE] = "dst-untranslatable",
	[XLAT_DROP_TTL_EXPIRED] = "ttl-expired",
	[XLAT_DROP_SOURCE_ROUTE] = "ipv4-source-route",
	[XLAT_DROP_ROUTING_HEADER] = "ipv6-routing-header",
	[XLAT_DROP_FRAG_EXT_HEADER] = "ext-header-after-fragment",
	[XLAT_DROP_FRAGMENTED_ICMP] = "fragmented-icmp",
	[XLAT_DROP_UDP_ZERO_CHECKSUM] = "udp-zero-checksum",
	[XLAT_DROP_ICMP_TYPE] = "icmp-untranslatable-type",
	[XLAT_DROP_ICMP_CHECKSUM] = "icmp-error-bad-checksum",
	[XLAT_DROP_ICMP_INNER] = "icmp-error-bad-inner-packet",
	[XLAT_DROP_ICMP_NESTED_ERROR] = "icmp-error-about-error",
	[XLAT_DROP_ICMP_WRONG_FAMILY] = "icmp-wrong-family",
	[XLAT_DROP_TOO_BIG] = "too-big",
	[XLAT_DROP_NO_HEADROOM] = "no-headroom",
	[XLAT_DROP_NO_SCRATCH] = "no-scratch-space",
	[XLAT_DROP_HAIRPIN_LOOP] = "hairpin-loop",
	[XLAT_DROP_POOL_EXHAUSTED] = "pool-exhausted",
	[XLAT_DROP_DST_UNMAPPED] = "dst-unmapped",
};

const char *
xlat_drop_name(enum xlat_drop drop)
{
	if ((unsigned)drop >= XLAT_DROP_MAX || drop_names[drop] == NULL)
		return "unknown";
	return drop_names[drop];
}

/* Defaults: RFC 7915 §4 lowest IPv6 MTU 1280, RFC 7915 §4.5 amend zero
 * UDP checksums, RFC 7335 / RFC 6791 source 192.0.0.8. */
void
xlat_cfg_init(struct xlat_cfg *cfg)
{
	static const uint8_t dummy4[4] = {192, 0, 0, 8};

	memset(cfg, 0, sizeof(*cfg));
	cfg->lowest_ipv6_mtu = XLAT_IPV6_MIN_MTU;
	cfg->mtu_v4 = 1500;
	cfg->mtu_v6 = 1500;
	cfg->amend_udp_checksum_zero = true;
	cfg->decrement_ttl = true;
	cfg->has_rfc6791_v4 = true;
	memcpy(&cfg->rfc6791_v4, dummy4, 4);
}

void
xlat_ctx_init(struct xlat_ctx *ctx, uint32_t seed)
{
	memset(ctx, 0, offsetof(struct xlat_ctx, scratch));
	ctx->id_state = seed ? seed : 0x9e3779b9u;
}

static unsigned
run(const struct xlat_cfg *cfg, struct xlat_ctx *ctx, struct xlat_buf *buf,
    enum xlat_dir dir)
{
	const struct xlat_pass pass = {.cfg = cfg, .ctx = ctx};

	ctx->out_count = 0;
	ctx->scratch_used = 0;
	ctx->drop = XLAT_DROP_NONE;
	ctx->proto = XLAT_PROTO_OTHER;
	if (buf->off > buf->size || buf->len > buf->size - buf->off) {
		ctx->stats.packets_in[dir][XLAT_PROTO_OTHER]++;
		return out_drop(ctx, XLAT_DROP_TRUNCATED);
	}
	if (buf->off < XLAT_HEADROOM) {
		ctx->stats.packets_in[dir][XLAT_PROTO_OTHER]++;
		return out_drop(ctx, XLAT_DROP_NO_HEADROOM);
	}
	return dir == XLAT_DIR_46 ? translate_4to6(&pass, buf)
				  : translate_6to4(&pass, buf);
}

unsigned
xlat_4to6(const struct xlat_cfg *cfg, struct xlat_ctx *ctx,
	  struct xlat_buf *buf)
{
	return run(cfg, ctx, buf, XLAT_DIR_46);
}

unsigned
xlat_6to4(const struct xlat_cfg *cfg, struct xlat_ctx *ctx,
	  struct xlat_buf *buf)
{
	return run(cfg, ctx, buf, XLAT_DIR_64);
}

unsigned
xlat_translate(const struct xlat_cfg *cfg, struct xlat_ctx *ctx,
	       struct xlat_buf *buf)
{
	uint8_t version = buf->len > 0 ? buf->data[buf->off] >> 4 : 0;

	if (version == 6)
		return xlat_6to4(cfg, ctx, buf);
	return xlat_4to6(cfg, ctx, buf);
}
