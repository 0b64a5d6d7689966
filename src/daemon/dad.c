/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Duplicate Address Detection (RFC 4862 §5.4) for an address that is
 * never assigned to the interface.
 *
 * Out: Neighbor Solicitations from :: through an AF_PACKET SOCK_DGRAM
 * socket, IPv6 header and all built here. A raw ICMPv6 socket cannot do
 * it: with IPV6_PKTINFO ipi6_addr = :: the kernel puts the link-local
 * address in the source, and with neither it nor IPPROTO_RAW can it send
 * at all (EADDRNOTAVAIL) while the interface has no usable address
 * (measured on Linux 6.18). The kernel fills in the link-layer header
 * from the sockaddr_ll. The stack does not see these frames, so it
 * neither answers nor loops them back.
 *
 * In: a raw ICMPv6 socket that passes only NS and NA, a member of the
 * address's solicited-node group on the interface (RFC 4862 §5.4.2), so
 * that another node's DAD probes for the same address reach us too, and
 * so do the address-resolution NS that an optimistic address answers
 * (RFC 4429 §3.3, through the same packet socket as the probes).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/icmp6.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dad.h"
#include "dad_nd.h"
#include "common/log.h"
#include "priv.h"
#include "xlatd/xlat_csum.h"
#include "xlatd/xlat_icmp.h"

#define USEC_PER_MSEC 1000ULL
/* sd-event's default timer slack, 250 ms, is a quarter of RetransTimer. */
#define DAD_ACCURACY_USEC USEC_PER_MSEC

/* RFC 4861 §10: RETRANS_TIMER; RFC 4862 §5.1: DupAddrDetectTransmits. */
#define DAD_RETRANS_MS_DEFAULT 1000
#define DAD_TRANSMITS_DEFAULT 1

struct dad {
	sd_event *event;
	dad_done_cb cb;
	void *arg;
	unsigned ifindex;
	char ifname[IF_NAMESIZE]; /* the uplink's, for the log */
	struct dad_nd nd;	  /* the address, its group, our nonce */
	bool optimistic;	  /* RFC 4429 */
	bool keep;		  /* after DAD_OK, answer NS for the address */
	bool answering;		  /* DAD_OK given, answering only */
	int rx, tx;
	sd_event_source *io, *timer;
	unsigned transmits, sent;
	uint64_t retrans_usec;
	struct sockaddr_ll ll;		   /* where the NS goes, link layer */
	uint8_t hwaddr[DAD_ND_HWADDR_LEN]; /* ours, for NAs (Ethernet) */
	bool has_hwaddr;
};

static long
dad_sysctl(const char *fmt, const char *ifname, long def)
{
	char path[128];
	FILE *f;
	long v;

	snprintf(path, sizeof(path), fmt, ifname);
	if ((f = fopen(path, "re")) == NULL)
		return def;
	if (fscanf(f, "%ld", &v) != 1)
		v = def;
	fclose(f);
	return v;
}

static int
dad_send_to(struct dad *d, const uint8_t *p, size_t len,
	    const struct sockaddr_ll *ll)
{
	if (sendto(d->tx, p, len, 0, (const struct sockaddr *)ll, sizeof(*ll)) <
	    0)
		return -errno;
	return 0;
}

static int
dad_send(struct dad *d)
{
	uint8_t p[DAD_ND_NS_LEN];
	int r;

	dad_nd_build_ns(&d->nd, p);
	if ((r = dad_send_to(d, p, sizeof(p), &d->ll)) < 0)
		return r;
	d->sent++;
	return 0;
}

/* RFC 4429 §3.3: address resolution for an optimistic address gets an
 * answer, to the solicitor's own link-layer address. */
static void
dad_answer(struct dad *d, const struct dad_nd_rx *rx)
{
	struct sockaddr_ll ll = d->ll;
	uint8_t p[DAD_ND_NA_LEN];
	int r;

	if (!d->has_hwaddr)
		return;
	memcpy(ll.sll_addr, rx->sllao, DAD_ND_HWADDR_LEN);
	dad_nd_build_na(&d->nd, &rx->src, d->hwaddr, p);
	if ((r = dad_send_to(d, p, sizeof(p), &ll)) < 0)
		log_debug("%s: dad: NA: %s", d->ifname, strerror(-r));
}

static void
dad_finish(struct dad *d, enum dad_result result)
{
	if (result == DAD_OK && d->keep) {
		d->answering = true;
		sd_event_source_set_enabled(d->timer, SD_EVENT_OFF);
		d->cb(result, d->arg); /* last: it may free d */
		return;
	}
	sd_event_source_set_enabled(d->io, SD_EVENT_OFF);
	sd_event_source_set_enabled(d->timer, SD_EVENT_OFF);
	d->cb(result, d->arg); /* last: it may free d */
}

static int
dad_on_timer(sd_event_source *s, uint64_t usec, void *arg)
{
	struct dad *d = arg;
	int r;

	/* RFC 4862 §5.4.2: probes RetransTimer apart; §5.4: the address
	 * is unique if nothing was heard RetransTimer after the last. */
	if (d->sent >= d->transmits) {
		dad_finish(d, DAD_OK);
		return 0;
	}
	if ((r = dad_send(d)) < 0) {
		log_warnx("%s: dad: NS: %s", d->ifname, strerror(-r));
		dad_finish(d, DAD_ERROR);
		return 0;
	}
	sd_event_source_set_time(s, usec + d->retrans_usec);
	sd_event_source_set_enabled(s, SD_EVENT_ONESHOT);
	return 0;
}

static int
dad_on_io(sd_event_source *s, int fd, uint32_t revents, void *arg)
{
	struct dad *d = arg;
	uint8_t buf[1280], cbuf[CMSG_SPACE(sizeof(struct in6_pktinfo)) +
				CMSG_SPACE(sizeof(int))];
	struct sockaddr_in6 from;
	struct iovec iov = {buf, sizeof(buf)};
	struct msghdr msg = {
		.msg_name = &from,
		.msg_namelen = sizeof(from),
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf,
		.msg_controllen = sizeof(cbuf),
	};
	struct in6_pktinfo pi = {0};
	struct dad_nd_rx rx;
	struct cmsghdr *c;
	int hlim = -1;
	ssize_t n;

	(void)s;
	(void)revents;
	if ((n = recvmsg(fd, &msg, MSG_DONTWAIT)) < 0)
		return 0; /* EAGAIN; a real error shows again on the next */
	for (c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != IPPROTO_IPV6)
			continue;
		if (c->cmsg_type == IPV6_PKTINFO)
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
		else if (c->cmsg_type == IPV6_HOPLIMIT)
			memcpy(&hlim, CMSG_DATA(c), sizeof(hlim));
	}
	/* RFC 4861 §7.1.1, §7.1.2: hop limit 255, i.e. on-link. */
	if (pi.ipi6_ifindex != d->ifindex || hlim != ND_HOP_LIMIT ||
	    (msg.msg_flags & MSG_TRUNC))
		return 0;
	rx.msg = buf;
	rx.len = (size_t)n;
	rx.src = from.sin6_addr;
	rx.dst = pi.ipi6_addr;
	switch (dad_nd_classify(&d->nd, &rx, d->optimistic)) {
	case DAD_ND_DUPLICATE:
		/* after the verdict: the address is ours, not tentative */
		if (!d->answering)
			dad_finish(d, DAD_DUPLICATE);
		break;
	case DAD_ND_ANSWER:
		dad_answer(d, &rx);
		break;
	case DAD_ND_IGNORE:
		break;
	}
	return 0;
}

static int
dad_open_rx(struct dad *d)
{
	struct icmp6_filter filt;
	struct ipv6_mreq mreq = {.ipv6mr_interface = (int)d->ifindex};
	int one = 1;

	if ((d->rx = priv_socket(MSG_SOCK_ICMP6)) < 0) {
		int e = d->rx;

		d->rx = -1;
		return e;
	}
	ICMP6_FILTER_SETBLOCKALL(&filt);
	ICMP6_FILTER_SETPASS(ND_NEIGHBOR_SOLICIT, &filt);
	ICMP6_FILTER_SETPASS(ND_NEIGHBOR_ADVERT, &filt);
	mreq.ipv6mr_multiaddr = d->nd.group;
	if (setsockopt(d->rx, IPPROTO_ICMPV6, ICMP6_FILTER, &filt,
		       sizeof(filt)) < 0 ||
	    setsockopt(d->rx, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one,
		       sizeof(one)) < 0 ||
	    setsockopt(d->rx, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one,
		       sizeof(one)) < 0 ||
	    setsockopt(d->rx, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mreq,
		       sizeof(mreq)) < 0)
		return -errno;
	return 0;
}

/* The link-layer destination: RFC 2464 §7 on Ethernet, 33:33 and the
 * group's last 32 bits; none on links without a link-layer header. */
static int
dad_open_tx(struct dad *d, const char *ifname)
{
	struct ifreq ifr;

	if ((d->tx = priv_socket(MSG_SOCK_PACKET)) < 0) {
		int e = d->tx;

		d->tx = -1;
		return e;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(d->tx, SIOCGIFHWADDR, &ifr) < 0)
		return -errno;
	d->ll.sll_family = AF_PACKET;
	d->ll.sll_protocol = htons(ETH_P_IPV6);
	d->ll.sll_ifindex = (int)d->ifindex;
	switch (ifr.ifr_hwaddr.sa_family) {
	case ARPHRD_ETHER:
		d->ll.sll_halen = ETH_ALEN;
		d->ll.sll_addr[0] = 0x33;
		d->ll.sll_addr[1] = 0x33;
		memcpy(d->ll.sll_addr + 2, d->nd.group.s6_addr + 12, 4);
		memcpy(d->hwaddr, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
		d->has_hwaddr = true;
		return 0;
	case ARPHRD_NONE:
	case ARPHRD_RAWIP:
	case ARPHRD_PPP:
		return 0;
	default:
		return -EAFNOSUPPORT;
	}
}

static int
dad_setup(struct dad *d, const char *ifname)
{
	uint64_t now;
	int r;

	if ((r = dad_open_rx(d)) < 0 || (r = dad_open_tx(d, ifname)) < 0)
		return r;
	if ((r = sd_event_add_io(d->event, &d->io, d->rx, EPOLLIN, dad_on_io,
				 d)) < 0)
		return r;
	/* RFC 4862 §5.4.2: the random delay before the first NS is for
	 * interface initialization; the CLAT address comes later. */
	if ((r = dad_send(d)) < 0)
		return r;
	if ((r = sd_event_now(d->event, CLOCK_MONOTONIC, &now)) < 0)
		return r;
	return sd_event_add_time(d->event, &d->timer, CLOCK_MONOTONIC,
				 now + d->retrans_usec, DAD_ACCURACY_USEC,
				 dad_on_timer, d);
}

/* The kernel skips DAD on IFF_NOARP and loopback devices (no Neighbor
 * Discovery there); so do we, with the verdict from the event loop. */
static int
dad_skip(struct dad *d, const char *ifname, bool *skip)
{
	struct ifreq ifr;
	int fd, r = 0;

	*skip = false;
	if ((fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		r = -errno;
	else if (ifr.ifr_flags & (IFF_NOARP | IFF_LOOPBACK))
		*skip = true;
	close(fd);
	if (r < 0 || !*skip)
		return r;
	d->transmits = 0;
	return sd_event_add_time(d->event, &d->timer, CLOCK_MONOTONIC, 0, 0,
				 dad_on_timer, d);
}

static struct dad *
dad_begin(sd_event *event, unsigned ifindex, const struct in6_addr *addr,
	  bool optimistic, bool keep, dad_done_cb cb, void *arg)
{
	uint8_t nonce[DAD_ND_NONCE_LEN];
	char ifname[IF_NAMESIZE];
	struct dad *d;
	bool skip;
	long v;
	int r;

	if (if_indextoname(ifindex, ifname) == NULL)
		return NULL;
	if (getrandom(nonce, sizeof(nonce), 0) != sizeof(nonce)) {
		errno = EIO;
		return NULL;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->event = sd_event_ref(event);
	d->cb = cb;
	d->arg = arg;
	d->ifindex = ifindex;
	memcpy(d->ifname, ifname, sizeof(d->ifname));
	d->optimistic = optimistic;
	d->keep = keep;
	d->rx = d->tx = -1;
	dad_nd_init(&d->nd, addr, nonce);
	v = dad_sysctl("/proc/sys/net/ipv6/conf/%s/dad_transmits", ifname,
		       DAD_TRANSMITS_DEFAULT);
	d->transmits = v < 1 ? 1 : (unsigned)v;
	v = dad_sysctl("/proc/sys/net/ipv6/neigh/%s/retrans_time_ms", ifname,
		       DAD_RETRANS_MS_DEFAULT);
	d->retrans_usec =
		(uint64_t)(v < 1 ? DAD_RETRANS_MS_DEFAULT : v) * USEC_PER_MSEC;
	if ((r = dad_skip(d, ifname, &skip)) < 0 ||
	    (!skip && (r = dad_setup(d, ifname)) < 0)) {
		dad_free(d);
		errno = -r;
		return NULL;
	}
	return d;
}

struct dad *
dad_start(sd_event *event, unsigned ifindex, const struct in6_addr *addr,
	  dad_done_cb cb, void *arg)
{
	return dad_begin(event, ifindex, addr, false, false, cb, arg);
}

struct dad *
dad_start_optimistic(sd_event *event, unsigned ifindex,
		     const struct in6_addr *addr, dad_done_cb cb, void *arg)
{
	return dad_begin(event, ifindex, addr, true, false, cb, arg);
}

struct dad *
dad_start_answering(sd_event *event, unsigned ifindex,
		    const struct in6_addr *addr, dad_done_cb cb, void *arg)
{
	return dad_begin(event, ifindex, addr, true, true, cb, arg);
}

void
dad_free(struct dad *d)
{
	if (d == NULL)
		return;
	sd_event_source_disable_unref(d->io);
	sd_event_source_disable_unref(d->timer);
	if (d->rx >= 0)
		close(d->rx);
	if (d->tx >= 0)
		close(d->tx);
	sd_event_unref(d->event);
	free(d);
}
