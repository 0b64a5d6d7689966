/* SPDX-License-Identifier: BSD-2-Clause */
/* IPv4 headers: parsing (RFC 791) and writing (RFC 7915 §5.1). */
#include "core.h"

#define IPOPT_END 0
#define IPOPT_NOP 1
#define IPOPT_LSRR 131
#define IPOPT_SSRR 137

/* Parse an IPv4 header. An inner packet (inside an ICMP error) may be
 * cut short, so only its header has to be complete. */
enum xlat_drop
ipv4_parse(uint8_t *pkt, size_t len, bool inner, struct ipv4_view *v)
{
	uint16_t frag;

	if (len < IPV4_HDR_LEN)
		return XLAT_DROP_TRUNCATED;
	if (pkt[0] >> 4 != 4)
		return XLAT_DROP_BAD_IPV4_HEADER;
	v->hdr = pkt;
	v->ihl = (size_t)(pkt[0] & 0x0f) * 4;
	v->tot_len = get16(pkt + 2);
	if (v->ihl < IPV4_HDR_LEN || v->tot_len < v->ihl)
		return XLAT_DROP_BAD_IPV4_HEADER;
	if (v->ihl > len)
		return XLAT_DROP_TRUNCATED;
	if (!inner && v->tot_len > len)
		return XLAT_DROP_TRUNCATED;
	if (!inner && xlat_csum_fold(xlat_csum_add(0, pkt, v->ihl)) != 0xffff)
		return XLAT_DROP_BAD_IPV4_CHECKSUM;
	v->avail = v->tot_len < len ? v->tot_len : len;
	v->proto = pkt[9];
	v->tos = pkt[1];
	v->id = get16(pkt + 4);
	frag = get16(pkt + 6);
	v->df = frag & IPV4_DF;
	v->mf = frag & IPV4_MF;
	v->frag_off = (uint16_t)((frag & IPV4_OFFSET_MASK) * 8);
	return XLAT_DROP_NONE;
}

/* RFC 7915 §4.1: options are ignored, but an unexpired source route
 * (pointer not past the end) means the packet must be dropped. */
bool
ipv4_has_source_route(const struct ipv4_view *v)
{
	const uint8_t *o = v->hdr + IPV4_HDR_LEN;
	size_t left = v->ihl - IPV4_HDR_LEN;

	while (left > 0) {
		size_t olen;

		if (o[0] == IPOPT_END)
			break;
		if (o[0] == IPOPT_NOP) {
			o++;
			left--;
			continue;
		}
		if (left < 2 || o[1] < 2 || o[1] > left)
			break;
		olen = o[1];
		if ((o[0] == IPOPT_LSRR || o[0] == IPOPT_SSRR) && olen >= 3 &&
		    o[2] <= olen)
			return true;
		o += olen;
		left -= olen;
	}
	return false;
}

/* RFC 7915 §5.1: build the IPv4 header. frag_field holds DF, MF and the
 * offset in 8-byte units, as on the wire. */
void
ipv4_write(uint8_t *hdr, const struct ipv6_view *v6, size_t payload_len,
	   const uint8_t src[4], const uint8_t dst[4], uint8_t proto,
	   uint8_t ttl, uint16_t id, uint16_t frag_field,
	   const struct xlat_cfg *cfg)
{
	hdr[0] = 0x45;
	/* Type of Service: copied from the Traffic Class. */
	hdr[1] = cfg->reset_traffic_class ? 0 : v6->traffic_class;
	put16(hdr + 2, (uint16_t)(IPV4_HDR_LEN + payload_len));
	put16(hdr + 4, id);
	put16(hdr + 6, frag_field);
	hdr[8] = ttl;
	hdr[9] = proto;
	memcpy(hdr + 12, src, 4);
	memcpy(hdr + 16, dst, 4);
	put16(hdr + 10, 0);
	put16(hdr + 10, csum_ipv4_header(hdr, IPV4_HDR_LEN));
}
