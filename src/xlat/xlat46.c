/* SPDX-License-Identifier: BSD-2-Clause */
/* IPv4 to IPv6: RFC 7915 §4. Decisions first (drop, answer with an error,
 * fragment), while the packet is intact; then the rewrite, in place. */
#include "core.h"

struct pkt46 {
	struct ipv4_view v;
	uint8_t *payload;
	size_t payload_len;
	uint8_t src[16], dst[16];
	uint8_t proto;
	bool is_error;
	bool udp_zero; /* RFC 7915 §4.5: a UDP checksum to compute */
	struct icmp_map map;
};

static unsigned
reject(const struct xlat_pass *p, const struct pkt46 *k, enum xlat_drop drop,
       uint8_t code, uint16_t mtu)
{
	uint8_t type = drop == XLAT_DROP_TTL_EXPIRED ? ICMP4_TIME_EXCEEDED
						     : ICMP4_DEST_UNREACH;

	gen_icmp4_error(p->cfg, p->ctx, k->v.hdr, k->v.tot_len, type, code,
			mtu);
	return out_drop(p->ctx, drop);
}

/* RFC 7915 §4.1: the addresses. The source of an ICMPv4 error that has no
 * IPv6 form becomes the RFC 6791 address (or our own). */
static enum xlat_drop
map_addresses(const struct xlat_pass *p, struct pkt46 *k)
{
	const struct xlat_cfg *cfg = p->cfg;
	enum addr_role src_role = p->hairpin ? ADDR_POOL6_ONLY : ADDR_ANY;

	if (!addr_map_4to6(cfg, k->v.hdr + 16, ADDR_ANY, k->dst))
		return XLAT_DROP_DST_UNTRANSLATABLE;
	if (addr_map_4to6(cfg, k->v.hdr + 12, src_role, k->src))
		return XLAT_DROP_NONE;
	if (!k->is_error)
		return XLAT_DROP_SRC_UNTRANSLATABLE;
	if (cfg->has_rfc6791_v6)
		memcpy(k->src, cfg->rfc6791_v6.s6_addr, 16);
	else if (cfg->has_own6)
		memcpy(k->src, cfg->own6.s6_addr, 16);
	else
		return XLAT_DROP_SRC_UNTRANSLATABLE;
	return XLAT_DROP_NONE;
}

/* Checks that may end in an ICMPv4 error back to the sender. */
static unsigned
check(const struct xlat_pass *p, struct pkt46 *k)
{
	const struct xlat_cfg *cfg = p->cfg;
	bool first = k->v.frag_off == 0;

	/* RFC 7915 §4.3: ICMPv6 has no business in IPv4; silently dropped. */
	if (k->v.proto == PROTO_ICMPV6)
		return out_drop(p->ctx, XLAT_DROP_ICMP_WRONG_FAMILY);
	if (cfg->decrement_ttl && !p->hairpin && k->v.hdr[8] <= 1)
		return reject(p, k, XLAT_DROP_TTL_EXPIRED, ICMP4_TTL_EXCEEDED,
			      0);
	if (ipv4_has_source_route(&k->v))
		return reject(p, k, XLAT_DROP_SOURCE_ROUTE,
			      ICMP4_SRCROUTE_FAILED, 0);
	if (k->v.proto == PROTO_ICMP) {
		if (ipv4_is_fragment(&k->v))
			return out_drop(p->ctx, XLAT_DROP_FRAGMENTED_ICMP);
		if (k->payload_len < ICMP_HDR_LEN ||
		    !icmp_map_4to6(k->payload[0], k->payload[1], &k->map))
			return out_drop(p->ctx, XLAT_DROP_ICMP_TYPE);
		k->is_error = k->map.is_error;
		if (k->is_error &&
		    xlat_csum_fold(xlat_csum_add(0, k->payload,
						 k->payload_len)) != 0xffff)
			return out_drop(p->ctx, XLAT_DROP_ICMP_CHECKSUM);
	}
	/* RFC 7915 §4.5: zero UDP checksums are computed when the whole
	 * datagram is here and amending is on; otherwise dropped. */
	k->udp_zero = l4_udp_zero_checksum(k->v.proto, k->payload,
					   k->payload_len, first);
	if (k->udp_zero &&
	    (!cfg->amend_udp_checksum_zero || ipv4_is_fragment(&k->v)))
		return reject(p, k, XLAT_DROP_UDP_ZERO_CHECKSUM,
			      ICMP4_ADMIN_PROHIBITED, 0);
	return XLAT_DROP_MAX;
}

static size_t
header_len(bool frag)
{
	return IPV6_HDR_LEN + (frag ? FRAG_HDR_LEN : 0);
}

static unsigned
emit_error(const struct xlat_pass *p, struct pkt46 *k, uint8_t hlim,
	   struct xlat_buf *buf)
{
	struct err_layout l;
	enum xlat_drop d;
	uint8_t *hdr;
	uint32_t sum;
	size_t msg_len;

	d = icmp_err_4to6(p, k->payload, k->payload_len, &k->map, &l);
	if (d != XLAT_DROP_NONE)
		return out_drop(p->ctx, d);
	hdr = l.icmp - IPV6_HDR_LEN;
	if (hdr < buf->data)
		return out_drop(p->ctx, XLAT_DROP_NO_HEADROOM);
	msg_len = ICMP_HDR_LEN + l.region + l.tail_len;
	ipv6_write(hdr, &k->v, msg_len, k->src, k->dst, PROTO_ICMPV6, hlim,
		   false, p->cfg);
	sum = csum_pseudo6(k->src, k->dst, (uint32_t)msg_len, PROTO_ICMPV6);
	sum = xlat_csum_add(sum, l.icmp, ICMP_HDR_LEN + l.region);
	sum = xlat_csum_add(sum, l.tail, l.tail_len);
	put16(l.icmp + 2, xlat_csum_finish(sum));
	out_push(p->ctx, XLAT_FAMILY_V6, hdr,
		 IPV6_HDR_LEN + ICMP_HDR_LEN + l.region, l.tail, l.tail_len);
	p->ctx->stats.packets_out[XLAT_DIR_46][XLAT_PROTO_ICMP]++;
	return p->ctx->out_count;
}

static void
rewrite_l4(const struct xlat_cfg *cfg, struct pkt46 *k)
{
	bool first = k->v.frag_off == 0;

	if (k->v.proto == PROTO_ICMP) {
		icmp_info_4to6(k->payload, k->payload_len, k->payload_len,
			       k->src, k->dst);
		return;
	}
	if (k->udp_zero) {
		l4_portswap(cfg, k->v.proto, k->payload, k->payload_len, first,
			    k->src, 0);
		l4_udp_checksum_6(k->payload, k->payload_len, k->src, k->dst);
		return;
	}
	l4_4to6(k->v.proto, k->payload, k->payload_len, first, k->v.hdr + 12,
		k->src, k->dst);
	l4_portswap(cfg, k->v.proto, k->payload, k->payload_len, first, k->src,
		    0);
}

unsigned
translate_4to6(const struct xlat_pass *p, struct xlat_buf *buf)
{
	const struct xlat_cfg *cfg = p->cfg;
	struct xlat_ctx *ctx = p->ctx;
	struct pkt46 k;
	enum xlat_drop d;
	size_t out_len, limit;
	bool df, frag_in, split;
	uint8_t hlim, *hdr;
	unsigned n;

	d = ipv4_parse(buf->data + buf->off, buf->len, false, &k.v);
	ctx->proto = d == XLAT_DROP_NONE ? l4_proto_class(k.v.proto)
					 : XLAT_PROTO_OTHER;
	ctx->stats.packets_in[XLAT_DIR_46][ctx->proto]++;
	if (d != XLAT_DROP_NONE)
		return out_drop(ctx, d);
	k.payload = k.v.hdr + k.v.ihl;
	k.payload_len = k.v.tot_len - k.v.ihl;
	k.proto = k.v.proto == PROTO_ICMP ? PROTO_ICMPV6 : k.v.proto;
	k.is_error = false;
	if ((n = check(p, &k)) != XLAT_DROP_MAX)
		return n;
	if ((d = map_addresses(p, &k)) != XLAT_DROP_NONE)
		return out_drop(ctx, d);
	hlim = k.v.hdr[8];
	if (cfg->decrement_ttl && !p->hairpin)
		hlim--;
	if (k.is_error)
		return emit_error(p, &k, hlim, buf);

	frag_in = ipv4_is_fragment(&k.v);
	df = k.v.df;
	out_len = header_len(frag_in) + k.payload_len;
	/* RFC 7915 §4.1 / §6: DF set and too big for the IPv6 next hop. */
	if (df && out_len > cfg->mtu_v6)
		return reject(
			p, &k, XLAT_DROP_TOO_BIG, ICMP4_FRAG_NEEDED,
			(uint16_t)(cfg->mtu_v6 - IPV6_HDR_LEN + IPV4_HDR_LEN));
	limit = cfg->lowest_ipv6_mtu < cfg->mtu_v6 ? cfg->lowest_ipv6_mtu
						   : cfg->mtu_v6;
	split = !df && out_len > limit;

	hdr = k.payload - header_len(frag_in || split);
	if (hdr < buf->data)
		return out_drop(ctx, XLAT_DROP_NO_HEADROOM);
	rewrite_l4(cfg, &k);
	ipv6_write(hdr, &k.v, k.payload_len, k.src, k.dst, k.proto, hlim,
		   frag_in || split, cfg);
	if (split) {
		n = ctx->out_count;
		if (!frag_emit6(ctx, hdr, k.payload, k.payload_len, k.v.id,
				k.v.frag_off, k.v.mf, limit)) {
			ctx->out_count = n;
			return out_drop(ctx, XLAT_DROP_NO_SCRATCH);
		}
	} else {
		out_push(ctx, XLAT_FAMILY_V6, hdr, out_len, NULL, 0);
	}
	ctx->stats.packets_out[XLAT_DIR_46][ctx->proto]++;
	return ctx->out_count;
}
