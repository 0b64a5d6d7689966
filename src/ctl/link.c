/* SPDX-License-Identifier: BSD-2-Clause */
/* Link-layer headers of captured frames: find the IP packet inside. */
#include <pcap/dlt.h>

#include "link.h"
#include "xlatd/xlat_bytes.h"

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_VLAN 0x8100 /* IEEE 802.1Q */
#define ETHERTYPE_QINQ 0x88a8 /* IEEE 802.1ad */

#define ETH_HLEN 14
#define VLAN_HLEN 4
/* Linux "cooked" captures: header length, offset of the ethertype. */
#define SLL_HLEN 16
#define SLL_PROTO 14
#define SLL2_HLEN 20
#define SLL2_PROTO 0

#define IPV4_HLEN 20
#define IPV6_HLEN 40

bool
link_supported(int dlt)
{
	switch (dlt) {
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
	case DLT_EN10MB:
	case DLT_LINUX_SLL:
	case DLT_LINUX_SLL2:
		return true;
	default:
		return false;
	}
}

/* IP version the link layer announces: 4, 6, or 0 for anything else. */
static unsigned
ethertype_version(unsigned type)
{
	switch (type) {
	case ETHERTYPE_IPV4:
		return 4;
	case ETHERTYPE_IPV6:
		return 6;
	default:
		return 0;
	}
}

/* Ethernet, skipping any 802.1Q or 802.1ad tags. */
static unsigned
ether_version(const uint8_t *frame, size_t caplen, size_t *off)
{
	unsigned type;

	if (caplen < ETH_HLEN)
		return 0;
	type = get16(frame + ETH_HLEN - 2);
	*off = ETH_HLEN;
	while ((type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ) &&
	       caplen >= *off + VLAN_HLEN) {
		type = get16(frame + *off + 2);
		*off += VLAN_HLEN;
	}
	return ethertype_version(type);
}

/* Where the IP header starts and which version it must have; 0 if the
 * frame holds no IP packet. */
static unsigned
ip_version(int dlt, const uint8_t *frame, size_t caplen, size_t *off)
{
	*off = 0;
	switch (dlt) {
	case DLT_RAW:
		if (caplen == 0 || (frame[0] >> 4 != 4 && frame[0] >> 4 != 6))
			return 0;
		return frame[0] >> 4;
	case DLT_IPV4:
		return 4;
	case DLT_IPV6:
		return 6;
	case DLT_EN10MB:
		return ether_version(frame, caplen, off);
	case DLT_LINUX_SLL:
		*off = SLL_HLEN;
		return caplen >= SLL_HLEN
			       ? ethertype_version(get16(frame + SLL_PROTO))
			       : 0;
	case DLT_LINUX_SLL2:
		*off = SLL2_HLEN;
		return caplen >= SLL2_HLEN
			       ? ethertype_version(get16(frame + SLL2_PROTO))
			       : 0;
	default:
		return 0;
	}
}

/* Returns the IP packet in frame and its length in *len, or NULL if the
 * frame holds none. Link-layer padding after the packet (Ethernet pads
 * frames to 60 bytes) is cut off; a packet cut short by the capture is
 * left for the translator to count as truncated. */
const uint8_t *
link_ip_packet(int dlt, const uint8_t *frame, size_t caplen, size_t *len)
{
	size_t off, n, iplen;
	const uint8_t *ip;
	unsigned version = ip_version(dlt, frame, caplen, &off);

	if (version == 0 || off >= caplen)
		return NULL;
	ip = frame + off;
	n = caplen - off;
	if (ip[0] >> 4 != version)
		return NULL;
	*len = n;
	if (version == 4 && n >= IPV4_HLEN)
		iplen = get16(ip + 2); /* total length */
	else if (version == 6 && n >= IPV6_HLEN && get16(ip + 4) != 0)
		iplen = IPV6_HLEN + get16(ip + 4); /* payload length */
	else
		return ip;
	if (iplen >= IPV4_HLEN && iplen < n)
		*len = iplen;
	return ip;
}
