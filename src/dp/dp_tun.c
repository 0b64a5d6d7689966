/* SPDX-License-Identifier: BSD-2-Clause */
/* Slow path: TUN read -> translation core -> raw IPv6 socket or TUN.
 *
 * The TUN has offloads on (tun.c, gso.h), so the host hands over TCP and
 * UDP super-packets of up to 64 KiB, each translated once:
 * - IPv6 -> IPv4 (into the host): the translated super-packet is written
 *   back to the TUN with its virtio header translated, and the host's
 *   stack takes it whole, as it takes one GRO made.
 * - IPv4 -> IPv6 (out the uplink): a raw socket takes no super-packet
 *   (rawv6_send_hdrinc wants one datagram of at most the MTU). So the
 *   translated super-packet goes to the uplink through an AF_PACKET
 *   socket with PACKET_VNET_HDR, behind an Ethernet header to the next
 *   hop that the kernel's neighbour table names (nexthop.h); veth and
 *   most NICs carry it whole, others segment it in the kernel. Like the
 *   eBPF fast path, it passes by the host's ip6tables OUTPUT chain. When
 *   the next hop is not resolved, the super-packet is cut into segments
 *   here, each with a full checksum, and each goes out the raw socket,
 *   which resolves it. That is several times slower: the router and the
 *   server then handle every segment (docs/performance.md).
 * The packets go through the core as tunxlat.h describes. */
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "common/log.h"
#include "dp_tun.h"
#include "gso.h"
#include "ifname.h"
#include "nexthop.h"
#include "tunxlat.h"

struct dp_tun {
	int tun_fd;
	int raw_fd; /* AF_INET6 SOCK_RAW IPPROTO_RAW: header included */
	int pkt_fd; /* AF_PACKET SOCK_RAW, PACKET_VNET_HDR, or -1 */
	unsigned uplink;
	char name[IFNAME_LABEL_LEN]; /* the uplink's, for the log */
	size_t l2_len;		     /* ETH_HLEN, or 0 on a raw-IP uplink */
	uint8_t l2[ETH_HLEN];	     /* to the next hop, from the uplink */
	struct nexthop nh;
	struct tunxlat *xlat;
	uint8_t *seg; /* one segment of a super-packet */
};

/* The kernel routes the packet by its destination and resolves the next
 * hop itself; the source is the CLAT address, which the raw socket may
 * use although it is no address of the host (IPV6_HDRINCL). */
static void
send6(struct dp_tun *dp, const struct xlat_out *o)
{
	struct sockaddr_in6 to = {.sin6_family = AF_INET6};
	struct msghdr msg = {
		.msg_name = &to,
		.msg_namelen = sizeof(to),
		.msg_iov = (struct iovec *)o->iov,
		.msg_iovlen = o->iov[1].iov_len ? 2 : 1,
	};

	memcpy(&to.sin6_addr, (const uint8_t *)o->iov[0].iov_base + 24, 16);
	if (sendmsg(dp->raw_fd, &msg, MSG_DONTWAIT) < 0)
		log_debug("%s: %s: sendmsg: %s", dp->name, __func__,
			  strerror(errno));
}

/* Into the host, behind virtio header vh. */
static void
send4(struct dp_tun *dp, const struct xlat_out *o,
      const struct virtio_net_hdr *vh)
{
	struct iovec iov[3] = {
		{(void *)vh, sizeof(*vh)},
		o->iov[0],
		o->iov[1],
	};

	if (writev(dp->tun_fd, iov, o->iov[1].iov_len ? 3 : 2) < 0)
		log_debug("%s: %s: writev: %s", dp->name, __func__,
			  strerror(errno));
}

/* The translated IPv6 super-packet pkt whole to the uplink, with its
 * virtio header vhp; false if it cannot go that way. */
static bool
send6_gso(struct dp_tun *dp, uint8_t *pkt, size_t len,
	  const struct virtio_net_hdr *vhp)
{
	struct virtio_net_hdr vh = *vhp;
	struct sockaddr_ll to = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_IPV6),
		.sll_ifindex = (int)dp->uplink,
	};
	struct iovec iov[3] = {
		{&vh, sizeof(vh)},
		{dp->l2, dp->l2_len},
		{pkt, len},
	};
	struct msghdr msg = {
		.msg_name = &to,
		.msg_namelen = sizeof(to),
		.msg_iov = iov,
		.msg_iovlen = 3,
	};

	if (dp->pkt_fd < 0)
		return false;
	if (dp->l2_len &&
	    !nexthop_mac(&dp->nh, (const struct in6_addr *)(pkt + 24), dp->l2))
		return false;
	vh.csum_start = (uint16_t)(vh.csum_start + dp->l2_len);
	vh.hdr_len = (uint16_t)(vh.hdr_len + dp->l2_len);
	if (sendmsg(dp->pkt_fd, &msg, MSG_DONTWAIT) < 0) {
		log_debug("%s: %s: sendmsg: %s", dp->name, __func__,
			  strerror(errno));
		return false;
	}
	return true;
}

/* The translated IPv6 packet pkt, its checksum partial, out the raw
 * socket: with the checksum finished, or cut into segments. */
static void
send6_segments(struct dp_tun *dp, uint8_t *pkt, size_t len,
	       const struct gso_info *gi, const struct virtio_net_hdr *vh)
{
	struct xlat_out o = {.family = XLAT_FAMILY_V6};
	unsigned i, n = gso_count(len, gi);

	if (gi->size == 0) {
		gso_csum_complete(pkt, len, gi->l4_off, vh->csum_offset);
		o.iov[0] = (struct iovec){pkt, len};
		send6(dp, &o);
		return;
	}
	for (i = 0; i < n; i++) {
		o.iov[0].iov_base = dp->seg;
		o.iov[0].iov_len = gso_segment(pkt, len, gi, i, dp->seg);
		send6(dp, &o);
	}
}

/* One packet of the core's: IPv6 out of the uplink (whole, or cut into
 * segments), IPv4 into the host. */
static void
emit(void *arg, const struct xlat_out *o, const struct virtio_net_hdr *vh,
     const struct gso_info *gi, bool made)
{
	static const struct virtio_net_hdr plain;
	struct dp_tun *dp = arg;
	uint8_t *hdr = o->iov[0].iov_base;

	(void)made;
	if (o->family == XLAT_FAMILY_V4)
		send4(dp, o, vh != NULL ? vh : &plain);
	else if (vh == NULL)
		send6(dp, o);
	else if (!gi->size || !send6_gso(dp, hdr, o->len, vh))
		send6_segments(dp, hdr, o->len, gi, vh);
}

static const struct tunxlat_ops dp_tun_ops = {.emit = emit};

/* The uplink's link-layer header for the packet socket, and its next
 * hop (src/dp/nexthop.h). On uplinks of other link types, or without a
 * packet socket, super-packets are cut into segments. */
static int
packet_l2(struct dp_tun *dp, sd_event *event)
{
	struct ifreq ifr = {0};

	if (dp->pkt_fd < 0)
		return 0;
	if (if_indextoname(dp->uplink, ifr.ifr_name) == NULL ||
	    ioctl(dp->raw_fd, SIOCGIFHWADDR, &ifr) < 0)
		return -errno;
	if (ifr.ifr_hwaddr.sa_family == ARPHRD_ETHER) {
		dp->l2_len = ETH_HLEN;
		memcpy(dp->l2 + ETH_ALEN, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
		dp->l2[12] = ETH_P_IPV6 >> 8;
		dp->l2[13] = ETH_P_IPV6 & 0xff;
	}
	return nexthop_init(&dp->nh, event, dp->uplink);
}

struct dp_tun *
dp_tun_new(sd_event *event, int tun_fd, int raw_fd, int pkt_fd,
	   unsigned uplink_ifindex)
{
	struct dp_tun *dp;
	int r;

	if ((dp = calloc(1, sizeof(*dp))) == NULL) {
		close(tun_fd);
		close(raw_fd);
		if (pkt_fd >= 0)
			close(pkt_fd);
		return NULL;
	}
	dp->tun_fd = tun_fd;
	dp->raw_fd = raw_fd;
	dp->pkt_fd = pkt_fd;
	dp->uplink = uplink_ifindex;
	ifname_label(uplink_ifindex, dp->name);
	dp->seg = malloc(XLAT_MAX_PACKET);
	dp->xlat = tunxlat_new(&dp_tun_ops, dp,
			       (uint32_t)getpid() ^ (uint32_t)tun_fd << 16,
			       dp->name);
	if (dp->seg == NULL || dp->xlat == NULL)
		goto fail;
	if ((r = packet_l2(dp, event)) < 0) {
		/* not fatal: super-packets are then cut into segments */
		errno = -r;
		log_warn("%s: %s: packet socket", dp->name, __func__);
		close(dp->pkt_fd);
		dp->pkt_fd = -1;
	}
	if ((r = tunxlat_watch(dp->xlat, event, tun_fd)) < 0) {
		errno = -r;
		log_warn("%s: %s: sd_event_add_io", dp->name, __func__);
		goto fail;
	}
	return dp;
fail:
	dp_tun_free(dp);
	return NULL;
}

void
dp_tun_set_cfg(struct dp_tun *dp, const struct xlat_cfg *cfg)
{
	tunxlat_set_cfg(dp->xlat, cfg);
}

const struct xlat_stats *
dp_tun_stats(const struct dp_tun *dp)
{
	return tunxlat_stats(dp->xlat);
}

void
dp_tun_free(struct dp_tun *dp)
{
	if (dp == NULL)
		return;
	/* first: it stops watching tun_fd */
	tunxlat_free(dp->xlat);
	if (dp->raw_fd >= 0)
		close(dp->raw_fd);
	if (dp->pkt_fd >= 0)
		close(dp->pkt_fd);
	nexthop_close(&dp->nh);
	if (dp->tun_fd >= 0)
		close(dp->tun_fd);
	free(dp->seg);
	free(dp);
}
