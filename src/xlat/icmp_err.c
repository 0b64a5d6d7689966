/* SPDX-License-Identifier: BSD-2-Clause */
/* ICMP error messages: the inner packet (RFC 7915 §4.3, §5.3), the MTU and
 * pointer fields (§4.2, §5.2) and RFC 4884 extensions. The new headers are
 * written in place in front of the inner payload, which is not moved. */
#include "core.h"

/* RFC 4884 §4: an extension needs at least 128 bytes of original datagram
 * in front of it. */
#define RFC4884_MIN_ORIGINAL 128

/* Where the original datagram and the extension structure lie. */
struct err_parts {
	uint8_t *orig;
	size_t orig_len;
	const uint8_t *ext;
	size_t ext_len;
};

static bool
rfc4884_type4(uint8_t type)
{
	return type == 3 || type == 11 || type == 12;
}

static bool
rfc4884_type6(uint8_t type)
{
	return type == 1 || type == 3;
}

/* RFC 4884 §5.1, §5.2: a length attribute beyond the message is read as no
 * extension. A short one (below the 128 bytes a sender must pad to) is
 * still honoured, and the translation pads it. */
static void
split_parts(uint8_t *icmp, size_t len, size_t length_attr, struct err_parts *e)
{
	e->orig = icmp + ICMP_HDR_LEN;
	e->orig_len = len - ICMP_HDR_LEN;
	e->ext = NULL;
	e->ext_len = 0;
	if (length_attr == 0 || length_attr > e->orig_len)
		return;
	e->ext = e->orig + length_attr;
	e->ext_len = e->orig_len - length_attr;
	e->orig_len = length_attr;
}

/* Fit the translated original datagram (region bytes, in place) and the
 * extension into room bytes. RFC 4884 §5: the datagram is padded to 128
 * bytes and to the unit of the length attribute; when the extension does
 * not fit beside 128 bytes of datagram it is left out. */
static enum xlat_drop
fit(struct xlat_ctx *ctx, const struct err_parts *e, bool keep_ext, size_t room,
    size_t unit, struct err_layout *l)
{
	size_t pad = 0;
	uint8_t *tail;

	l->length_attr = 0;
	l->tail = NULL;
	l->tail_len = 0;
	if (!keep_ext || e->ext_len == 0 ||
	    room < e->ext_len + RFC4884_MIN_ORIGINAL) {
		if (l->region > room)
			l->region = room;
		return XLAT_DROP_NONE;
	}
	l->region -= l->region % unit;
	if (l->region > room - e->ext_len)
		l->region = (room - e->ext_len) / unit * unit;
	if (l->region < RFC4884_MIN_ORIGINAL)
		pad = RFC4884_MIN_ORIGINAL - l->region;
	l->length_attr = (uint8_t)((l->region + pad) / unit);
	if (pad == 0 && l->icmp + ICMP_HDR_LEN + l->region == e->ext) {
		l->region += e->ext_len; /* extension already follows */
		return XLAT_DROP_NONE;
	}
	if ((tail = out_scratch(ctx, pad + e->ext_len)) == NULL)
		return XLAT_DROP_NO_SCRATCH;
	memset(tail, 0, pad);
	memcpy(tail + pad, e->ext, e->ext_len);
	l->tail = tail;
	l->tail_len = pad + e->ext_len;
	return XLAT_DROP_NONE;
}

/* The inner packet of an ICMPv4 error, as IPv6 (RFC 7915 §4.3): no TTL
 * decrement, addresses mapped as for the outer packet but in reverse. */
static enum xlat_drop
inner_4to6(const struct xlat_pass *p, struct err_parts *e, uint8_t **start)
{
	struct ipv4_view iv;
	uint8_t src[16], dst[16], proto;
	enum xlat_drop d;
	bool first;
	size_t hlen, avail;

	if ((d = ipv4_parse(e->orig, e->orig_len, true, &iv)) != XLAT_DROP_NONE)
		return XLAT_DROP_ICMP_INNER;
	first = iv.frag_off == 0;
	avail = iv.avail - iv.ihl;
	if (iv.proto == PROTO_ICMP && first && avail > 0 &&
	    icmp4_is_error(e->orig[iv.ihl]))
		return XLAT_DROP_ICMP_NESTED_ERROR;
	if (!addr_map_4to6(p->cfg, iv.hdr + 12, ADDR_ANY, src) ||
	    !addr_map_4to6(p->cfg, iv.hdr + 16,
			   p->hairpin ? ADDR_POOL6_ONLY : ADDR_ANY, dst))
		return XLAT_DROP_ICMP_INNER;
	proto = iv.proto;
	if (proto == PROTO_ICMP) {
		proto = PROTO_ICMPV6;
		if (first)
			icmp_info_4to6(e->orig + iv.ihl, avail,
				       iv.tot_len - iv.ihl, src, dst);
	} else {
		l4_4to6(proto, e->orig + iv.ihl, avail, first, iv.hdr + 12, src,
			dst);
		/* the original went to the CLAT: its destination port */
		l4_portswap(p->cfg, proto, e->orig + iv.ihl, avail, first, dst,
			    2);
	}
	hlen = IPV6_HDR_LEN + (ipv4_is_fragment(&iv) ? FRAG_HDR_LEN : 0);
	*start = e->orig + iv.ihl - hlen;
	ipv6_write(*start, &iv, iv.tot_len - iv.ihl, src, dst, proto, iv.hdr[8],
		   ipv4_is_fragment(&iv), p->cfg);
	return XLAT_DROP_NONE;
}

enum xlat_drop
icmp_err_4to6(const struct xlat_pass *p, uint8_t *icmp, size_t len,
	      const struct icmp_map *map, struct err_layout *l)
{
	uint8_t old[ICMP_HDR_LEN], ptr, *inner;
	struct err_parts e;
	uint32_t param = 0;
	enum xlat_drop d;

	memcpy(old, icmp, sizeof(old));
	split_parts(icmp, len, rfc4884_type4(old[0]) ? (size_t)old[5] * 4 : 0,
		    &e);
	if (map->mtu) {
		struct ipv4_view iv;

		if (ipv4_parse(e.orig, e.orig_len, true, &iv) != XLAT_DROP_NONE)
			return XLAT_DROP_ICMP_INNER;
		param = icmp_mtu_4to6(p->cfg, get16(old + 6), iv.tot_len);
	} else if (map->pointer) {
		if (!icmp_pointer_4to6(old[4], &ptr))
			return XLAT_DROP_ICMP_TYPE;
		param = ptr;
	} else if (map->type == 4) {
		param = 6; /* §4.2: protocol unreachable points at Next Header
			    */
	}
	if ((d = inner_4to6(p, &e, &inner)) != XLAT_DROP_NONE)
		return d;
	l->icmp = inner - ICMP_HDR_LEN;
	l->region = (size_t)(e.orig + e.orig_len - inner);
	d = fit(p->ctx, &e, rfc4884_type6(map->type),
		ICMP6_ERROR_MAX - IPV6_HDR_LEN - ICMP_HDR_LEN, 8, l);
	if (d != XLAT_DROP_NONE)
		return d;
	l->icmp[0] = map->type;
	l->icmp[1] = map->code;
	put16(l->icmp + 2, 0);
	put32(l->icmp + 4, param);
	if (l->length_attr)
		l->icmp[4] = l->length_attr;
	return XLAT_DROP_NONE;
}

/* The inner packet of an ICMPv6 error, as IPv4 (RFC 7915 §5.3). */
static enum xlat_drop
inner_6to4(const struct xlat_pass *p, struct err_parts *e, uint8_t **start)
{
	struct ipv6_view iv;
	uint8_t src[4], dst[4], proto, *l4;
	uint16_t frag_field = 0, id = 0;
	size_t avail, claimed;
	bool first, via_pool6;

	if (ipv6_parse(e->orig, e->orig_len, true, &iv) != XLAT_DROP_NONE)
		return XLAT_DROP_ICMP_INNER;
	first = iv.frag_off == 0;
	l4 = iv.hdr + iv.l4_off;
	avail = iv.avail > iv.l4_off ? iv.avail - iv.l4_off : 0;
	claimed = iv.tot_len > iv.l4_off ? iv.tot_len - iv.l4_off : 0;
	if (iv.proto == PROTO_ICMPV6 && first && avail > 0 &&
	    icmp6_is_error(l4[0]))
		return XLAT_DROP_ICMP_NESTED_ERROR;
	if (!addr_map_6to4(p->cfg, iv.hdr + 8, src, &via_pool6) ||
	    !addr_map_6to4(p->cfg, iv.hdr + 24, dst, &via_pool6))
		return XLAT_DROP_ICMP_INNER;
	proto = iv.proto;
	if (proto == PROTO_ICMPV6) {
		proto = PROTO_ICMP;
		if (first)
			icmp_info_6to4(l4, avail, claimed, iv.hdr + 8,
				       iv.hdr + 24);
	} else {
		l4_6to4(proto, l4, avail, first, iv.hdr + 8, src, dst);
		/* the original came from the CLAT: its source port */
		l4_portswap(p->cfg, proto, l4, avail, first, iv.hdr + 8, 0);
	}
	if (iv.has_frag) {
		id = (uint16_t)iv.frag_id;
		frag_field =
			(uint16_t)(iv.frag_off / 8) | (iv.mf ? IPV4_MF : 0);
	} else if (IPV4_HDR_LEN + claimed > XLAT_DF_THRESHOLD) {
		frag_field = IPV4_DF;
	}
	*start = l4 - IPV4_HDR_LEN;
	ipv4_write(*start, &iv, claimed, src, dst, proto, iv.hdr[7], id,
		   frag_field, p->cfg);
	return XLAT_DROP_NONE;
}

enum xlat_drop
icmp_err_6to4(const struct xlat_pass *p, uint8_t *icmp, size_t len,
	      const struct icmp_map *map, struct err_layout *l)
{
	uint8_t old[ICMP_HDR_LEN], ptr = 0, *inner;
	struct err_parts e;
	uint16_t mtu = 0;
	enum xlat_drop d;

	memcpy(old, icmp, sizeof(old));
	split_parts(icmp, len, rfc4884_type6(old[0]) ? (size_t)old[4] * 8 : 0,
		    &e);
	if (map->mtu)
		mtu = icmp_mtu_6to4(p->cfg, get32(old + 4));
	else if (map->pointer && !icmp_pointer_6to4(get32(old + 4), &ptr))
		return XLAT_DROP_ICMP_TYPE;
	if ((d = inner_6to4(p, &e, &inner)) != XLAT_DROP_NONE)
		return d;
	l->icmp = inner - ICMP_HDR_LEN;
	l->region = (size_t)(e.orig + e.orig_len - inner);
	d = fit(p->ctx, &e, rfc4884_type4(map->type),
		ICMP4_ERROR_MAX - IPV4_HDR_LEN - ICMP_HDR_LEN, 4, l);
	if (d != XLAT_DROP_NONE)
		return d;
	l->icmp[0] = map->type;
	l->icmp[1] = map->code;
	put16(l->icmp + 2, 0);
	put32(l->icmp + 4, 0);
	l->icmp[4] = ptr;
	l->icmp[5] = l->length_attr;
	put16(l->icmp + 6, mtu);
	return XLAT_DROP_NONE;
}
