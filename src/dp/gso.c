/* SPDX-License-Identifier: BSD-2-Clause */
/* Super-packets (GSO) and partial checksums on the CLAT TUN. */
#include <netinet/in.h>
#include <string.h>

#include "gso.h"
#include "xlatd/xlat_bytes.h"
#include "xlatd/xlat_csum.h"

#define IPV4_HDR_MIN 20
#define IPV6_HDR_LEN 40
#define TCP_HDR_MIN 20
#define UDP_HDR_LEN 8
#define TCP_CSUM_OFF 16
#define UDP_CSUM_OFF 6
#define TCP_FIN 0x01
#define TCP_PSH 0x08
#define TCP_CWR 0x80

/* The checksum of a native accumulator (xlat_csum_native), stored. */
static void
store_csum(uint8_t *field, uint64_t s, bool udp)
{
	uint16_t c = (uint16_t)~xlat_csum_native_fold(s);

	if (udp && c == 0)
		c = 0xffff; /* RFC 768 */
	put16(field, c);
}

bool
gso_parse(const uint8_t *pkt, size_t len, const struct virtio_net_hdr *vh,
	  struct gso_info *gi)
{
	uint8_t gso = vh->gso_type & (uint8_t)~VIRTIO_NET_HDR_GSO_ECN;

	if (!(vh->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) || len < IPV4_HDR_MIN)
		return false;
	gi->v6 = pkt[0] >> 4 == 6;
	if (gi->v6) {
		if (len < IPV6_HDR_LEN ||
		    (size_t)get16(pkt + 4) + IPV6_HDR_LEN != len)
			return false;
		gi->proto = pkt[6];
		gi->l4_off = IPV6_HDR_LEN;
	} else {
		if (pkt[0] >> 4 != 4 || get16(pkt + 2) != len ||
		    (get16(pkt + 6) & 0x3fff) != 0) /* MF, offset */
			return false;
		gi->proto = pkt[9];
		gi->l4_off = (size_t)(pkt[0] & 0xf) * 4;
		if (gi->l4_off < IPV4_HDR_MIN)
			return false;
	}
	if (gi->proto == IPPROTO_TCP) {
		if (len < gi->l4_off + TCP_HDR_MIN)
			return false;
		gi->l4_hdr = (size_t)(pkt[gi->l4_off + 12] >> 4) * 4;
		if (gi->l4_hdr < TCP_HDR_MIN || vh->csum_offset != TCP_CSUM_OFF)
			return false;
	} else if (gi->proto == IPPROTO_UDP) {
		gi->l4_hdr = UDP_HDR_LEN;
		if (vh->csum_offset != UDP_CSUM_OFF)
			return false;
	} else {
		return false;
	}
	if (vh->csum_start != gi->l4_off || len < gi->l4_off + gi->l4_hdr)
		return false;
	gi->size = 0;
	if (gso == VIRTIO_NET_HDR_GSO_NONE)
		return true;
	if (!(gso == VIRTIO_NET_HDR_GSO_TCPV4 && !gi->v6 &&
	      gi->proto == IPPROTO_TCP) &&
	    !(gso == VIRTIO_NET_HDR_GSO_TCPV6 && gi->v6 &&
	      gi->proto == IPPROTO_TCP) &&
	    !(gso == VIRTIO_NET_HDR_GSO_UDP_L4 && gi->proto == IPPROTO_UDP))
		return false;
	gi->size = vh->gso_size;
	return gi->size != 0;
}

bool
gso_csum_complete(uint8_t *pkt, size_t len, size_t start, size_t off)
{
	uint64_t s;

	if (start > len || off + 2 > len - start)
		return false;
	s = xlat_csum_native(0, pkt + start, len - start);
	store_csum(pkt + start + off, s, false);
	return true;
}

void
gso_csum_flip(uint8_t *field)
{
	uint16_t v = (uint16_t)~get16(field);

	/* 0xffff and 0 are the same sum; the core takes 0 in UDP for "no
	 * checksum", so never hand it that. */
	put16(field, v ? v : 0xffff);
}

void
gso_vnet_translate(struct virtio_net_hdr *vh, const struct gso_info *gi,
		   size_t new_l4_off)
{
	uint8_t ecn = vh->gso_type & VIRTIO_NET_HDR_GSO_ECN;

	switch (vh->gso_type & (uint8_t)~VIRTIO_NET_HDR_GSO_ECN) {
	case VIRTIO_NET_HDR_GSO_TCPV4:
		vh->gso_type = VIRTIO_NET_HDR_GSO_TCPV6 | ecn;
		break;
	case VIRTIO_NET_HDR_GSO_TCPV6:
		vh->gso_type = VIRTIO_NET_HDR_GSO_TCPV4 | ecn;
		break;
	default: /* NONE and UDP_L4 are the same in both families */
		break;
	}
	vh->csum_start = (uint16_t)new_l4_off;
	vh->hdr_len = (uint16_t)(new_l4_off + gi->l4_hdr);
}

unsigned
gso_count(size_t len, const struct gso_info *gi)
{
	size_t payload = len - gi->l4_off - gi->l4_hdr;

	if (gi->size == 0 || payload == 0)
		return 1;
	return (unsigned)((payload + gi->size - 1) / gi->size);
}

size_t
gso_segment(const uint8_t *pkt, size_t len, const struct gso_info *gi,
	    unsigned i, uint8_t *out)
{
	size_t hl = gi->l4_off + gi->l4_hdr, payload = len - hl;
	size_t off = (size_t)i * gi->size, plen = payload - off;
	size_t l4len, n;
	uint8_t *l4 = out + gi->l4_off;
	unsigned last = gso_count(len, gi) - 1;
	uint64_t s;
	uint32_t seq;

	if (plen > gi->size)
		plen = gi->size;
	n = hl + plen;
	l4len = n - gi->l4_off;
	memcpy(out, pkt, hl);
	memcpy(out + hl, pkt + hl + off, plen);
	if (gi->v6) {
		put16(out + 4, (uint16_t)l4len);
		s = xlat_csum_native(0, out + 8, 32);
	} else {
		put16(out + 2, (uint16_t)n);
		put16(out + 4, (uint16_t)(get16(pkt + 4) + i));
		put16(out + 10, 0);
		store_csum(out + 10, xlat_csum_native(0, out, gi->l4_off),
			   false);
		s = xlat_csum_native(0, out + 12, 8);
	}
	/* the rest of the pseudo-header: length and protocol */
	s += htons((uint16_t)l4len) + htons(gi->proto);
	if (gi->proto == IPPROTO_TCP) {
		memcpy(&seq, l4 + 4, 4);
		seq = htonl(ntohl(seq) + (uint32_t)off);
		memcpy(l4 + 4, &seq, 4);
		if (i != last)
			l4[13] &= (uint8_t) ~(TCP_FIN | TCP_PSH);
		if (i != 0)
			l4[13] &= (uint8_t)~TCP_CWR;
		put16(l4 + TCP_CSUM_OFF, 0);
		store_csum(l4 + TCP_CSUM_OFF, xlat_csum_native(s, l4, l4len),
			   false);
	} else {
		put16(l4 + 4, (uint16_t)l4len);
		put16(l4 + UDP_CSUM_OFF, 0);
		store_csum(l4 + UDP_CSUM_OFF, xlat_csum_native(s, l4, l4len),
			   true);
	}
	return n;
}
