/* SPDX-License-Identifier: BSD-2-Clause */
/* Offloads on the CLAT TUN (IFF_VNET_HDR): every packet read from or
 * written to it starts with a struct virtio_net_hdr. With TUNSETOFFLOAD
 * the host hands over TCP and UDP super-packets (GSO, up to 64 KiB) with
 * a partial checksum, and takes them back the same way. The helpers here
 * check such a packet, keep its partial checksum across a translation,
 * and, where a packet must go out whole, cut it into the segments the
 * kernel would have made (tcp_gso_segment, __udp_gso_segment). */
#ifndef XLATD_GSO_H
#define XLATD_GSO_H

#include <linux/virtio_net.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef VIRTIO_NET_HDR_GSO_UDP_L4
#define VIRTIO_NET_HDR_GSO_UDP_L4 5 /* Linux 6.2; Debian 12 headers are 6.1 */
#endif

struct gso_info {
	bool v6;
	uint8_t proto; /* IPPROTO_TCP or IPPROTO_UDP */
	size_t l4_off; /* IP header length (no IPv6 extension headers) */
	size_t l4_hdr; /* TCP header length, or 8 */
	uint16_t size; /* payload bytes per segment; 0 if not GSO */
};

/* Whether pkt (IPv4 or IPv6, len bytes) is a TCP or UDP packet whose
 * partial checksum and GSO type are the ones vh describes, with the L4
 * header right behind a plain IP header (no IPv4 options are fine, no
 * IPv6 extension headers). vh must have VIRTIO_NET_HDR_F_NEEDS_CSUM. */
bool gso_parse(const uint8_t *pkt, size_t len, const struct virtio_net_hdr *vh,
	       struct gso_info *gi);

/* Finish a partial checksum: the one's complement sum of pkt[start..len)
 * stored at pkt[start + off] (skb_checksum_help). False if out of range. */
bool gso_csum_complete(uint8_t *pkt, size_t len, size_t start, size_t off);

/* Turn the pseudo-header sum that a partial checksum field holds into
 * what the translation core takes for a complete checksum (its
 * complement, never zero), or back. The core's incremental update of the
 * addresses (RFC 1624) is then exact for the partial sum too. */
void gso_csum_flip(uint8_t *field);

/* The virtio header of pkt translated into the other family: GSO type
 * TCPV4 <-> TCPV6 (UDP_L4 stays), csum_start and hdr_len moved by the
 * change of IP header length; new_l4_off is the translated header's. */
void gso_vnet_translate(struct virtio_net_hdr *vh, const struct gso_info *gi,
			size_t new_l4_off);

/* Number of segments of the super-packet pkt (len bytes). */
unsigned gso_count(size_t len, const struct gso_info *gi);

/* Write segment i (0 .. gso_count - 1) of pkt into out, with its
 * lengths, IPv4 Identification and header checksum, TCP sequence number
 * and flags (FIN and PSH on the last only, CWR on the first only) and a
 * complete L4 checksum. out needs l4_off + l4_hdr + size bytes. Returns
 * the segment's length. */
size_t gso_segment(const uint8_t *pkt, size_t len, const struct gso_info *gi,
		   unsigned i, uint8_t *out);

#endif
