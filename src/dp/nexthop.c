/* SPDX-License-Identifier: BSD-2-Clause */
/* Next-hop link-layer addresses from rtnetlink, synchronously. */
#include <errno.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "nexthop.h"

#define NEXTHOP_TTL_MS 1000
#define NL_BUF 4096

/* Neighbour states with a usable link-layer address. */
#define NUD_USABLE \
	(NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT)

int
nexthop_init(struct nexthop *nh, unsigned ifindex)
{
	struct timeval tv = {.tv_usec = 100000};

	memset(nh, 0, sizeof(*nh));
	nh->ifindex = ifindex;
	nh->nl_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (nh->nl_fd < 0)
		return -errno;
	/* a request is answered at once; never stall the data path long */
	if (setsockopt(nh->nl_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) <
	    0) {
		int e = -errno;

		close(nh->nl_fd);
		nh->nl_fd = -1;
		return e;
	}
	return 0;
}

void
nexthop_close(struct nexthop *nh)
{
	if (nh->nl_fd >= 0)
		close(nh->nl_fd);
	nh->nl_fd = -1;
}

static void
add_attr(struct nlmsghdr *n, unsigned short type, const void *data,
	 unsigned short len)
{
	struct rtattr *a =
		(struct rtattr *)((uint8_t *)n + NLMSG_ALIGN(n->nlmsg_len));

	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	n->nlmsg_len = NLMSG_ALIGN(n->nlmsg_len) + RTA_ALIGN(a->rta_len);
}

/* Send request n and return the attributes of the answer of type want:
 * their start in *attrs, length as the result, 0 if there is none. */
static int
request(struct nexthop *nh, struct nlmsghdr *n, uint16_t want, uint8_t *buf,
	size_t hdr, struct rtattr **attrs)
{
	struct nlmsghdr *r = (struct nlmsghdr *)buf;
	ssize_t len;

	n->nlmsg_flags = NLM_F_REQUEST;
	n->nlmsg_seq = ++nh->seq;
	if (send(nh->nl_fd, n, n->nlmsg_len, 0) < 0)
		return -errno;
	do {
		len = recv(nh->nl_fd, buf, NL_BUF, 0);
		if (len < 0)
			return -errno;
	} while (!NLMSG_OK(r, (size_t)len) || r->nlmsg_seq != nh->seq);
	if (r->nlmsg_type != want ||
	    r->nlmsg_len < NLMSG_LENGTH(hdr) + sizeof(struct rtattr))
		return 0;
	*attrs = (struct rtattr *)((uint8_t *)NLMSG_DATA(r) + NLMSG_ALIGN(hdr));
	return (int)(r->nlmsg_len - NLMSG_LENGTH(NLMSG_ALIGN(hdr)));
}

/* The gateway of the route to dst, or dst when it is on-link; false if
 * the route does not leave by the uplink. */
static bool
gateway(struct nexthop *nh, const struct in6_addr *dst, struct in6_addr *gw)
{
	uint8_t buf[NL_BUF] __attribute__((aligned(4)));
	struct {
		struct nlmsghdr n;
		struct rtmsg r;
		uint8_t attrs[64];
	} q = {0};
	struct rtattr *a;
	unsigned oif = 0;
	int len;

	q.n.nlmsg_len = NLMSG_LENGTH(sizeof(q.r));
	q.n.nlmsg_type = RTM_GETROUTE;
	q.r.rtm_family = AF_INET6;
	q.r.rtm_dst_len = 128;
	add_attr(&q.n, RTA_DST, dst, 16);
	add_attr(&q.n, RTA_OIF, &nh->ifindex, 4);
	len = request(nh, &q.n, RTM_NEWROUTE, buf, sizeof(struct rtmsg), &a);
	*gw = *dst;
	for (; len > 0 && RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == RTA_OIF && RTA_PAYLOAD(a) == 4)
			memcpy(&oif, RTA_DATA(a), 4);
		else if (a->rta_type == RTA_GATEWAY && RTA_PAYLOAD(a) == 16)
			memcpy(gw, RTA_DATA(a), 16);
	}
	return oif == nh->ifindex;
}

static bool
neighbour(struct nexthop *nh, const struct in6_addr *addr,
	  uint8_t mac[NEXTHOP_ALEN])
{
	uint8_t buf[NL_BUF] __attribute__((aligned(4)));
	struct {
		struct nlmsghdr n;
		struct ndmsg nd;
		uint8_t attrs[64];
	} q = {0};
	const struct ndmsg *ans;
	struct rtattr *a;
	bool found = false;
	int len;

	q.n.nlmsg_len = NLMSG_LENGTH(sizeof(q.nd));
	q.n.nlmsg_type = RTM_GETNEIGH;
	q.nd.ndm_family = AF_INET6;
	q.nd.ndm_ifindex = (int)nh->ifindex;
	add_attr(&q.n, NDA_DST, addr, 16);
	len = request(nh, &q.n, RTM_NEWNEIGH, buf, sizeof(struct ndmsg), &a);
	if (len <= 0)
		return false;
	ans = NLMSG_DATA((struct nlmsghdr *)buf);
	if (!(ans->ndm_state & NUD_USABLE))
		return false;
	for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == NDA_LLADDR &&
		    RTA_PAYLOAD(a) == NEXTHOP_ALEN) {
			memcpy(mac, RTA_DATA(a), NEXTHOP_ALEN);
			found = true;
		}
	}
	return found;
}

bool
nexthop_mac(struct nexthop *nh, const struct in6_addr *dst, uint64_t now_ms,
	    uint8_t mac[NEXTHOP_ALEN])
{
	struct nexthop_entry *e;
	struct in6_addr gw;
	unsigned h;

	h = (unsigned)(dst->s6_addr[15] ^ dst->s6_addr[13] ^ dst->s6_addr[11]);
	e = &nh->cache[h % NEXTHOP_CACHE];
	if (now_ms >= e->expires_ms || memcmp(&e->dst, dst, 16) != 0) {
		e->dst = *dst;
		e->expires_ms = now_ms + NEXTHOP_TTL_MS;
		e->ok = nh->nl_fd >= 0 && gateway(nh, dst, &gw) &&
			neighbour(nh, &gw, e->mac);
	}
	if (e->ok)
		memcpy(mac, e->mac, NEXTHOP_ALEN);
	return e->ok;
}
