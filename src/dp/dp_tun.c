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
 * A super-packet whose segments the core would treat differently from
 * the whole (too big for the IPv6 MTU, or to be fragmented) is cut into
 * segments before translation instead, so a packet is translated the
 * same whether or not the host sent it as a super-packet. */
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "dp_tun.h"
#include "gso.h"
#include "nexthop.h"
#include "xlatd/xlat_reasm.h"

/* Packets handled per wake-up before yielding to the event loop. */
#define DP_TUN_BATCH 64

struct dp_tun {
	sd_event_source *source;
	int tun_fd;
	int raw_fd; /* AF_INET6 SOCK_RAW IPPROTO_RAW: header included */
	int pkt_fd; /* AF_PACKET SOCK_RAW, PACKET_VNET_HDR, or -1 */
	unsigned uplink;
	size_t l2_len;	      /* ETH_HLEN, or 0 on a raw-IP uplink */
	uint8_t l2[ETH_HLEN]; /* to the next hop, from the uplink */
	struct nexthop nh;
	struct xlat_cfg cfg;
	struct xlat_cfg gso_cfg; /* cfg without MTU limits: super-packets */
	bool has_cfg;
	struct xlat_ctx *ctx;
	struct xlat_reasm *reasm; /* fragmented ICMP, both directions */
	struct virtio_net_hdr vh; /* of the packet in buf */
	uint8_t *buf;
	size_t buf_size;
	uint8_t *seg; /* one segment of a super-packet, with headroom */
};

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

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
		log_debug("%s: sendmsg: %s", __func__, strerror(errno));
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
		log_debug("%s: writev: %s", __func__, strerror(errno));
}

/* What the core made of a packet, plain: no offloads. */
static void
send_out(struct dp_tun *dp)
{
	static const struct virtio_net_hdr plain;
	unsigned i;

	for (i = 0; i < dp->ctx->out_count; i++) {
		const struct xlat_out *o = &dp->ctx->out[i];

		if (o->family == XLAT_FAMILY_V6)
			send6(dp, o);
		else
			send4(dp, o, &plain);
	}
}

/* A packet with complete checksums, one at a time through the core. */
static void
handle_plain(struct dp_tun *dp, uint8_t *data, size_t size, size_t len)
{
	struct xlat_buf b = {
		.data = data,
		.size = size,
		.off = XLAT_HEADROOM,
		.len = len,
	};

	/* ICMP fragments are translated once the message is whole. */
	if (xlat_reasm_wanted(b.data + b.off, len) &&
	    !xlat_reasm_add(dp->reasm, b.data + b.off, len, now_ms(), &b))
		return;
	xlat_translate(&dp->cfg, dp->ctx, &b);
	send_out(dp);
}

/* The translated IPv6 super-packet pkt whole to the uplink, with its
 * virtio header dp->vh; false if it cannot go that way. */
static bool
send6_gso(struct dp_tun *dp, uint8_t *pkt, size_t len)
{
	struct virtio_net_hdr vh = dp->vh;
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
		log_debug("%s: sendmsg: %s", __func__, strerror(errno));
		return false;
	}
	return true;
}

/* The translated IPv6 packet pkt, its checksum partial, out the raw
 * socket: with the checksum finished, or cut into segments. */
static void
send6_segments(struct dp_tun *dp, uint8_t *pkt, size_t len,
	       const struct gso_info *gi)
{
	struct xlat_out o = {.family = XLAT_FAMILY_V6};
	unsigned i, n = gso_count(len, gi);

	if (gi->size == 0) {
		gso_csum_complete(pkt, len, gi->l4_off, dp->vh.csum_offset);
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

/* Cut pkt into the segments the kernel would have sent and translate
 * each on its own. */
static void
handle_segments(struct dp_tun *dp, const uint8_t *pkt, size_t len,
		const struct gso_info *gi)
{
	unsigned i, n = gso_count(len, gi);

	for (i = 0; i < n; i++) {
		size_t sl =
			gso_segment(pkt, len, gi, i, dp->seg + XLAT_HEADROOM);

		handle_plain(dp, dp->seg, dp->buf_size, sl);
	}
}

/* Whether every segment of super-packet pkt translates to a packet the
 * core would send whole and alone: within the MTU of the other side, not
 * to be fragmented (RFC 7915 §4.1, lowest-ipv6-mtu), and the translated
 * super-packet's length fits its IP header. */
static bool
segments_fit(const struct xlat_cfg *cfg, const uint8_t *pkt, size_t len,
	     const struct gso_info *gi)
{
	size_t seg = gi->l4_hdr + gi->size, limit;

	if (gi->v6)
		return len - gi->l4_off + 20 <= 65535 &&
		       20 + seg <= cfg->mtu_v4;
	limit = cfg->mtu_v6;
	if (!(pkt[6] & 0x40) && cfg->lowest_ipv6_mtu < limit) /* DF */
		limit = cfg->lowest_ipv6_mtu;
	return len - gi->l4_off + 40 <= 65535 && 40 + seg <= limit;
}

/* A packet with a partial checksum (gso.h), maybe a super-packet,
 * translated once; the checksum stays partial where the host takes it. */
static void
handle_partial(struct dp_tun *dp, size_t len, const struct gso_info *gi)
{
	uint8_t *pkt = dp->buf + XLAT_HEADROOM;
	size_t csum = dp->vh.csum_offset, l4;
	struct xlat_buf b = {dp->buf, dp->buf_size, XLAT_HEADROOM, len};
	const struct xlat_out *o = &dp->ctx->out[0];
	struct gso_info out = *gi;
	uint8_t *hdr;

	if (gi->size && !segments_fit(&dp->cfg, pkt, len, gi)) {
		handle_segments(dp, pkt, len, gi);
		return;
	}
	gso_csum_flip(pkt + gi->l4_off + csum);
	xlat_translate(&dp->gso_cfg, dp->ctx, &b);
	/* The packet itself, translated? Anything else (an ICMP error in
	 * its place) goes out plain. */
	hdr = o->iov[0].iov_base;
	if (dp->ctx->out_count != 1 || o->iov[1].iov_len != 0 ||
	    (o->family == XLAT_FAMILY_V6) == gi->v6 ||
	    (gi->v6 ? hdr[9] : hdr[6]) != gi->proto) {
		send_out(dp);
		return;
	}
	l4 = gi->v6 ? (size_t)(hdr[0] & 0xf) * 4 : 40;
	gso_csum_flip(hdr + l4 + csum);
	out.v6 = !gi->v6;
	out.l4_off = l4;
	gso_vnet_translate(&dp->vh, gi, l4);
	if (gi->v6)
		send4(dp, o, &dp->vh);
	else if (!gi->size || !send6_gso(dp, hdr, o->len))
		send6_segments(dp, hdr, o->len, &out);
}

static void
handle(struct dp_tun *dp, size_t len)
{
	uint8_t *pkt = dp->buf + XLAT_HEADROOM;
	struct gso_info gi;

	if (!(dp->vh.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)) {
		handle_plain(dp, dp->buf, dp->buf_size, len);
	} else if (gso_parse(pkt, len, &dp->vh, &gi)) {
		handle_partial(dp, len, &gi);
	} else if (dp->vh.gso_type == VIRTIO_NET_HDR_GSO_NONE &&
		   gso_csum_complete(pkt, len, dp->vh.csum_start,
				     dp->vh.csum_offset)) {
		/* an odd one (ICMP, extension headers): as before */
		handle_plain(dp, dp->buf, dp->buf_size, len);
	} else {
		log_debug("%s: super-packet of GSO type %u not taken", __func__,
			  dp->vh.gso_type);
	}
}

static int
on_tun(sd_event_source *s, int fd, uint32_t revents, void *arg)
{
	struct dp_tun *dp = arg;
	unsigned i;
	ssize_t n;

	(void)s;
	(void)revents;
	dp->ctx->now_ms = now_ms(); /* for the ICMP error rate */
	for (i = 0; i < DP_TUN_BATCH; i++) {
		struct iovec iov[2] = {
			{&dp->vh, sizeof(dp->vh)},
			{dp->buf + XLAT_HEADROOM, dp->buf_size - XLAT_HEADROOM},
		};

		n = readv(fd, iov, 2);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("%s: read", __func__);
			break;
		}
		if (dp->has_cfg && (size_t)n > sizeof(dp->vh))
			handle(dp, (size_t)n - sizeof(dp->vh));
	}
	return 0;
}

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
	dp->buf_size = XLAT_HEADROOM + XLAT_MAX_PACKET;
	dp->buf = malloc(dp->buf_size);
	dp->seg = malloc(dp->buf_size);
	dp->ctx = malloc(sizeof(*dp->ctx));
	dp->reasm = malloc(sizeof(*dp->reasm));
	if (dp->buf == NULL || dp->seg == NULL || dp->ctx == NULL ||
	    dp->reasm == NULL)
		goto fail;
	xlat_reasm_init(dp->reasm);
	xlat_ctx_init(dp->ctx, (uint32_t)getpid() ^ (uint32_t)tun_fd << 16);
	if ((r = packet_l2(dp, event)) < 0) {
		/* not fatal: super-packets are then cut into segments */
		errno = -r;
		log_warn("%s: packet socket", __func__);
		close(dp->pkt_fd);
		dp->pkt_fd = -1;
	}
	r = sd_event_add_io(event, &dp->source, tun_fd, EPOLLIN, on_tun, dp);
	if (r < 0) {
		errno = -r;
		log_warn("%s: sd_event_add_io", __func__);
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
	dp->cfg = *cfg;
	/* for super-packets that segments_fit() let through */
	dp->gso_cfg = *cfg;
	dp->gso_cfg.mtu_v4 = UINT16_MAX;
	dp->gso_cfg.mtu_v6 = UINT16_MAX;
	dp->gso_cfg.lowest_ipv6_mtu = UINT16_MAX;
	dp->has_cfg = true;
}

const struct xlat_stats *
dp_tun_stats(const struct dp_tun *dp)
{
	return &dp->ctx->stats;
}

void
dp_tun_free(struct dp_tun *dp)
{
	if (dp == NULL)
		return;
	sd_event_source_disable_unref(dp->source);
	if (dp->raw_fd >= 0)
		close(dp->raw_fd);
	if (dp->pkt_fd >= 0)
		close(dp->pkt_fd);
	nexthop_close(&dp->nh);
	if (dp->tun_fd >= 0)
		close(dp->tun_fd);
	free(dp->buf);
	free(dp->seg);
	free(dp->ctx);
	free(dp->reasm);
	free(dp);
}
