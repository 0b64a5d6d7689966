/* SPDX-License-Identifier: BSD-2-Clause */
/* IPv6 headers: parsing the extension chain (RFC 8200 §4) and writing
 * (RFC 7915 §4.1). */
#include "core.h"

/* RFC 7915 §5.1: Hop-by-Hop, Destination Options and Routing headers are
 * skipped; a Fragment header is translated; anything else is the upper
 * layer. Returns true for the headers this walk steps over. */
static bool
is_skipped_ext(uint8_t nh)
{
	return nh == PROTO_HOPOPTS || nh == PROTO_DSTOPTS ||
	       nh == PROTO_ROUTING;
}

static enum xlat_drop
parse_fragment(const uint8_t *p, size_t off, struct ipv6_view *v)
{
	uint16_t field = get16(p + 2);

	if (v->has_frag)
		return XLAT_DROP_BAD_IPV6_HEADER;
	v->has_frag = true;
	v->frag_hdr_off = off;
	v->frag_off = field & IPV6_FRAG_OFFSET_MASK;
	v->mf = field & IPV6_FRAG_MF;
	v->frag_id = get32(p + 4);
	return XLAT_DROP_NONE;
}

enum xlat_drop
ipv6_parse(uint8_t *pkt, size_t len, bool inner, struct ipv6_view *v)
{
	size_t off = IPV6_HDR_LEN;
	uint8_t nh;

	if (len < IPV6_HDR_LEN)
		return XLAT_DROP_TRUNCATED;
	if (pkt[0] >> 4 != 6)
		return XLAT_DROP_BAD_IPV6_HEADER;
	memset(v, 0, sizeof(*v));
	v->hdr = pkt;
	v->tot_len = IPV6_HDR_LEN + (size_t)get16(pkt + 4);
	if (!inner && v->tot_len > len)
		return XLAT_DROP_TRUNCATED;
	v->avail = v->tot_len < len ? v->tot_len : len;
	v->traffic_class = (uint8_t)((pkt[0] & 0x0f) << 4 | pkt[1] >> 4);
	nh = pkt[6];
	while (is_skipped_ext(nh) || nh == PROTO_FRAGMENT) {
		const uint8_t *p = pkt + off;
		size_t hlen;

		/* RFC 8200 §4: each of these headers is 8 bytes or more. */
		if (off + 8 > v->avail)
			return XLAT_DROP_TRUNCATED;
		hlen = nh == PROTO_FRAGMENT ? FRAG_HDR_LEN
					    : ((size_t)p[1] + 1) * 8;
		if (off + hlen > v->avail)
			return XLAT_DROP_TRUNCATED;
		if (v->has_frag)
			v->ext_after_frag = true;
		if (nh == PROTO_FRAGMENT) {
			enum xlat_drop d = parse_fragment(p, off, v);

			if (d != XLAT_DROP_NONE)
				return d;
			/* Behind a non-first fragment there is only data. */
			if (v->frag_off != 0) {
				nh = p[0];
				off += hlen;
				break;
			}
		} else if (nh == PROTO_ROUTING && p[3] != 0 &&
			   v->routing_segleft_off == 0) {
			v->routing_segleft_off = off + 3;
		}
		nh = p[0];
		off += hlen;
	}
	v->proto = nh;
	v->l4_off = off;
	return XLAT_DROP_NONE;
}

/* RFC 7915 §4.1: build the IPv6 header, plus a Fragment header when the
 * IPv4 packet was a fragment (RFC 8021: never for unfragmented ones).
 * Returns the header length written. */
size_t
ipv6_write(uint8_t *hdr, const struct ipv4_view *v4, size_t payload_len,
	   const uint8_t src[16], const uint8_t dst[16], uint8_t proto,
	   uint8_t hlim, bool frag_hdr, const struct xlat_cfg *cfg)
{
	uint8_t tc = cfg->reset_traffic_class ? 0 : v4->tos;
	size_t hlen = IPV6_HDR_LEN + (frag_hdr ? FRAG_HDR_LEN : 0);

	/* Version 6, Traffic Class from TOS, Flow Label 0. */
	hdr[0] = (uint8_t)(0x60 | tc >> 4);
	hdr[1] = (uint8_t)(tc << 4);
	hdr[2] = 0;
	hdr[3] = 0;
	put16(hdr + 4, (uint16_t)(hlen - IPV6_HDR_LEN + payload_len));
	hdr[6] = frag_hdr ? PROTO_FRAGMENT : proto;
	hdr[7] = hlim;
	memcpy(hdr + 8, src, 16);
	memcpy(hdr + 24, dst, 16);
	if (frag_hdr) {
		uint8_t *f = hdr + IPV6_HDR_LEN;

		f[0] = proto;
		f[1] = 0;
		put16(f + 2, (uint16_t)(v4->frag_off | (v4->mf ? 1 : 0)));
		/* RFC 7915 §4.1: Identification zero-extended. */
		put32(f + 4, v4->id);
	}
	return hlen;
}
