/* SPDX-License-Identifier: BSD-2-Clause */
/* Packets the caller's host table cannot map (include/xlatd/xlat.h,
 * xlat_refuse): counted, and answered with an ICMP error. */
#include "core.h"

#define ICMP6_UNREACH 1
#define ICMP6_UNREACH_ADMIN 1 /* RFC 4443 §3.1 */
#define ICMP4_UNREACH 3
#define ICMP4_UNREACH_HOST 1 /* RFC 792 */

unsigned
xlat_refuse(const struct xlat_cfg *cfg, struct xlat_ctx *ctx,
	    struct xlat_buf *buf, enum xlat_drop why)
{
	uint8_t *pkt = buf->data + buf->off;
	bool inside = buf->off <= buf->size && buf->len <= buf->size - buf->off;
	bool v6 = inside && buf->len > 0 && pkt[0] >> 4 == 6;
	enum xlat_dir dir = v6 ? XLAT_DIR_64 : XLAT_DIR_46;
	struct ipv6_view v6v;
	struct ipv4_view v4v;
	enum xlat_drop d;

	ctx->out_count = 0;
	ctx->scratch_used = 0;
	ctx->proto = XLAT_PROTO_OTHER;
	if (!inside)
		d = XLAT_DROP_TRUNCATED;
	else
		d = v6 ? ipv6_parse(pkt, buf->len, false, &v6v)
		       : ipv4_parse(pkt, buf->len, false, &v4v);
	if (d == XLAT_DROP_NONE)
		ctx->proto = l4_proto_class(v6 ? v6v.proto : v4v.proto);
	ctx->stats.packets_in[dir][ctx->proto]++;
	if (d != XLAT_DROP_NONE)
		return out_drop(ctx, d);
	/* RFC 7915 §4.3, §5.3: as translation does, silently. */
	if ((v6 && v6v.proto == PROTO_ICMP) ||
	    (!v6 && v4v.proto == PROTO_ICMPV6))
		return out_drop(ctx, XLAT_DROP_ICMP_WRONG_FAMILY);
	if (v6)
		gen_icmp6_error(cfg, ctx, pkt, v6v.tot_len, &v6v, ICMP6_UNREACH,
				ICMP6_UNREACH_ADMIN, 0);
	else
		gen_icmp4_error(cfg, ctx, pkt, v4v.tot_len, ICMP4_UNREACH,
				ICMP4_UNREACH_HOST, 0);
	return out_drop(ctx, why);
}
