/* SPDX-License-Identifier: BSD-2-Clause */
/* IPv6 to IPv4: RFC 7915 §5. Decisions first, rewrite in place after. */
#include "core.h"

struct pkt64 {
	struct ipv6_view v;
	uint8_t *payload;
	size_t payload_len;
	uint8_t src[4], dst[4];
	uint8_t proto;
	bool is_error, hairpin;
	struct icmp_map map;
};

static unsigned
reject(const struct xlat_pass *p, const struct pkt64 *k, enum xlat_drop drop,
       uint8_t type, uint8_t code, uint32_t param)
{
	gen_icmp6_error(p->cfg, p->ctx, k->v.hdr, k->v.tot_len, &k->v, type,
			code, param);
	return out_drop(p->ctx, drop);
}

/* RFC 7915 §5.1: the addresses; RFC 6791 for the source of an ICMPv6
 * error that has no IPv4 form. RFC 7757 App. B: a destination that maps
 * through the prefix onto an EAM address is hairpinned. */
static enum xlat_drop
map_addresses(const struct xlat_pass *p, struct pkt64 *k)
{
	const struct xlat_cfg *cfg = p->cfg;
	bool via_pool6;

	if (!addr_map_6to4(cfg, k->v.hdr + 24, k->dst, &via_pool6))
		return XLAT_DROP_DST_UNTRANSLATABLE;
	k->hairpin = via_pool6 && eam_find4(cfg, k->dst) != NULL;
	if (addr_map_6to4(cfg, k->v.hdr + 8, k->src, &via_pool6))
		return XLAT_DROP_NONE;
	if (!k->is_error)
		return XLAT_DROP_SRC_UNTRANSLATABLE;
	if (cfg->has_rfc6791_v4)
		memcpy(k->src, &cfg->rfc6791_v4, 4);
	else if (cfg->has_own4)
		memcpy(k->src, &cfg->own4, 4);
	else
		return XLAT_DROP_SRC_UNTRANSLATABLE;
	return XLAT_DROP_NONE;
}

static bool
icmp6_checksum_ok(const struct pkt64 *k)
{
	uint32_t sum = csum_pseudo6(k->v.hdr + 8, k->v.hdr + 24,
				    (uint32_t)k->payload_len, PROTO_ICMPV6);

	return xlat_csum_fold(xlat_csum_add(sum, k->payload, k->payload_len)) ==
	       0xffff;
}

/* Checks that may end in an ICMPv6 error back to the sender. */
static unsigned
check(const struct xlat_pass *p, struct pkt64 *k)
{
	const struct ipv6_view *v = &k->v;

	/* RFC 7915 §5.3: ICMPv4 has no business in IPv6; silently dropped. */
	if (v->proto == PROTO_ICMP)
		return out_drop(p->ctx, XLAT_DROP_ICMP_WRONG_FAMILY);
	if (p->cfg->decrement_ttl && v->hdr[7] <= 1)
		return reject(p, k, XLAT_DROP_TTL_EXPIRED, ICMP6_TIME_EXCEEDED,
			      ICMP6_HLIM_EXCEEDED, 0);
	/* A fragment whose chain goes on behind the Fragment header cannot
	 * be renumbered into IPv4 offsets. */
	if (ipv6_is_fragment(v) && v->ext_after_frag)
		return reject(p, k, XLAT_DROP_FRAG_EXT_HEADER,
			      ICMP6_DEST_UNREACH, ICMP6_ADMIN_PROHIBITED, 0);
	/* RFC 7915 §5.1: a Routing header with Segments Left != 0 gets a
	 * Parameter Problem pointing at that field (RFC 8200 §4.4). */
	if (v->routing_segleft_off != 0)
		return reject(p, k, XLAT_DROP_ROUTING_HEADER,
			      ICMP6_PARAM_PROBLEM, ICMP6_PARAM_HEADER,
			      (uint32_t)v->routing_segleft_off);
	if (v->proto == PROTO_ICMPV6) {
		if (ipv6_is_fragment(v))
			return out_drop(p->ctx, XLAT_DROP_FRAGMENTED_ICMP);
		if (k->payload_len < ICMP_HDR_LEN ||
		    !icmp_map_6to4(k->payload[0], k->payload[1], &k->map))
			return out_drop(p->ctx, XLAT_DROP_ICMP_TYPE);
		k->is_error = k->map.is_error;
		if (k->is_error && !icmp6_checksum_ok(k))
			return out_drop(p->ctx, XLAT_DROP_ICMP_CHECKSUM);
	}
	return XLAT_DROP_MAX;
}

/* RFC 7915 §5.1: DF, MF, offset and Identification. Above 1260 bytes DF
 * is set and the ID is 0 (RFC 6864 §4.1: atomic), unless the packet is
 * to be split here after all (split), when its fragments need one. With
 * a Fragment header (§5.1.1), DF is 0 and the Identification is the low
 * 16 bits of the sender's: for a datagram the data path reassembled too
 * (xlat_reasm.h), which IPv4 routers may then fragment again. */
static uint16_t
frag_field(const struct xlat_pass *p, const struct pkt64 *k, size_t out_len,
	   bool split, uint16_t *id)
{
	const struct ipv6_view *v = &k->v;

	if (v->has_frag) {
		*id = (uint16_t)v->frag_id;
		return (uint16_t)(v->frag_off / 8) | (v->mf ? IPV4_MF : 0);
	}
	if (out_len > XLAT_DF_THRESHOLD) {
		*id = split ? out_next_id(p->ctx) : 0;
		return IPV4_DF;
	}
	*id = out_next_id(p->ctx);
	return 0;
}

static unsigned
emit_error(const struct xlat_pass *p, struct pkt64 *k, uint8_t ttl)
{
	struct err_layout l;
	enum xlat_drop d;
	uint8_t *hdr;
	uint32_t sum;
	size_t msg_len;
	uint16_t id, field;

	d = icmp_err_6to4(p, k->payload, k->payload_len, &k->map, &l);
	if (d != XLAT_DROP_NONE)
		return out_drop(p->ctx, d);
	msg_len = ICMP_HDR_LEN + l.region + l.tail_len;
	field = frag_field(p, k, IPV4_HDR_LEN + msg_len, false, &id);
	hdr = l.icmp - IPV4_HDR_LEN;
	ipv4_write(hdr, &k->v, msg_len, k->src, k->dst, PROTO_ICMP, ttl, id,
		   field, p->cfg);
	sum = xlat_csum_add(0, l.icmp, ICMP_HDR_LEN + l.region);
	sum = xlat_csum_add(sum, l.tail, l.tail_len);
	put16(l.icmp + 2, xlat_csum_finish(sum));
	out_push(p->ctx, XLAT_FAMILY_V4, hdr,
		 IPV4_HDR_LEN + ICMP_HDR_LEN + l.region, l.tail, l.tail_len);
	p->ctx->stats.packets_out[XLAT_DIR_64][XLAT_PROTO_ICMP]++;
	return p->ctx->out_count;
}

static void
rewrite_l4(const struct xlat_cfg *cfg, struct pkt64 *k)
{
	bool first = k->v.frag_off == 0;

	if (k->v.proto == PROTO_ICMPV6) {
		icmp_info_6to4(k->payload, k->payload_len, k->payload_len,
			       k->v.hdr + 8, k->v.hdr + 24);
		return;
	}
	l4_6to4(k->v.proto, k->payload, k->payload_len, first, k->v.hdr + 8,
		k->src, k->dst);
	l4_portswap(cfg, k->v.proto, k->payload, k->payload_len, first,
		    k->v.hdr + 24, 2);
}

/* RFC 7757 App. B: the IPv4 packet goes straight back out as IPv6. An
 * RFC 4884 tail in scratch space is joined to the packet first. */
static unsigned
hairpin(const struct xlat_pass *p, struct xlat_buf *buf)
{
	struct xlat_pass again = *p;
	struct xlat_out *o;
	uint8_t *head;

	if (p->hairpin)
		return out_drop(p->ctx, XLAT_DROP_HAIRPIN_LOOP);
	o = &p->ctx->out[--p->ctx->out_count];
	head = o->iov[0].iov_base;
	if (o->iov[1].iov_len > 0) {
		uint8_t *end = head + o->iov[0].iov_len;

		if (o->iov[1].iov_len > (size_t)(buf->data + buf->size - end))
			return out_drop(p->ctx, XLAT_DROP_NO_SCRATCH);
		memmove(end, o->iov[1].iov_base, o->iov[1].iov_len);
	}
	again.hairpin = true;
	buf->off = (size_t)(head - buf->data);
	buf->len = o->len;
	return translate_4to6(&again, buf);
}

unsigned
translate_6to4(const struct xlat_pass *p, struct xlat_buf *buf)
{
	const struct xlat_cfg *cfg = p->cfg;
	struct xlat_ctx *ctx = p->ctx;
	struct pkt64 k;
	enum xlat_drop d;
	size_t out_len;
	uint16_t id, field;
	uint8_t ttl, *hdr;
	unsigned n;
	bool split;

	d = ipv6_parse(buf->data + buf->off, buf->len, false, &k.v);
	ctx->proto = d == XLAT_DROP_NONE ? l4_proto_class(k.v.proto)
					 : XLAT_PROTO_OTHER;
	ctx->stats.packets_in[XLAT_DIR_64][ctx->proto]++;
	if (d != XLAT_DROP_NONE)
		return out_drop(ctx, d);
	k.payload = k.v.hdr + k.v.l4_off;
	k.payload_len = k.v.tot_len - k.v.l4_off;
	k.proto = k.v.proto == PROTO_ICMPV6 ? PROTO_ICMP : k.v.proto;
	k.is_error = false;
	if ((n = check(p, &k)) != XLAT_DROP_MAX)
		return n;
	if ((d = map_addresses(p, &k)) != XLAT_DROP_NONE)
		return out_drop(ctx, d);
	ttl = k.v.hdr[7];
	if (cfg->decrement_ttl)
		ttl--;
	if (k.is_error) {
		n = emit_error(p, &k, ttl);
		if (n == 0 || !k.hairpin)
			return n;
		return hairpin(p, buf);
	}

	out_len = IPV4_HDR_LEN + k.payload_len;
	/* RFC 7757 App. B: a hairpinned packet goes back out as IPv6, so the
	 * IPv4 MTU is not its concern; the second pass checks mtu-v6. */
	split = !k.hairpin && out_len > cfg->mtu_v4;
	field = frag_field(p, &k, out_len, split, &id);
	/* RFC 7915 §5.1 / §6: too big for the IPv4 next hop. Packets with
	 * DF, IPv6 fragments (their sender can make them smaller) and what
	 * no IPv4 datagram can hold get a Packet Too Big unless its MTU would
	 * fall below 1280; the rest are fragmented, atomic fragments (a
	 * datagram reassembled here, RFC 7915 §5.1.1: DF 0) among them. */
	if (split && ((field & IPV4_DF) || ipv6_is_fragment(&k.v) ||
		      out_len > IPV4_MAX_LEN)) {
		if (cfg->mtu_v4 + IPV6_HDR_LEN - IPV4_HDR_LEN >=
		    XLAT_IPV6_MIN_MTU)
			return reject(p, &k, XLAT_DROP_TOO_BIG,
				      ICMP6_PACKET_TOO_BIG, 0,
				      (uint32_t)cfg->mtu_v4 + IPV6_HDR_LEN -
					      IPV4_HDR_LEN);
		if (out_len > IPV4_MAX_LEN)
			return out_drop(ctx, XLAT_DROP_TOO_BIG);
	}
	rewrite_l4(p->cfg, &k);
	hdr = k.payload - IPV4_HDR_LEN;
	ipv4_write(hdr, &k.v, k.payload_len, k.src, k.dst, k.proto, ttl, id,
		   field, cfg);
	if (split) {
		n = ctx->out_count;
		if (!frag_emit4(ctx, hdr, k.payload, k.payload_len,
				k.v.frag_off, k.v.mf, cfg->mtu_v4)) {
			ctx->out_count = n;
			return out_drop(ctx, XLAT_DROP_NO_SCRATCH);
		}
	} else {
		out_push(ctx, XLAT_FAMILY_V4, hdr, out_len, NULL, 0);
		if (k.hairpin)
			return hairpin(p, buf);
	}
	ctx->stats.packets_out[XLAT_DIR_64][ctx->proto]++;
	return ctx->out_count;
}
