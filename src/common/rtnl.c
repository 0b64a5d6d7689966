/* SPDX-License-Identifier: BSD-2-Clause */
/* rtnetlink through libmnl (rtnetlink(7), netlink(7)): requests with
 * their ACK, dumps read whole before they are handed out, and events. */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <net/if.h>
#include <linux/if.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/icmp6.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include "log.h"
#include "rtnl.h"

/* netlink(7): dumps come in datagrams of up to 32 KiB; a smaller buffer
 * would truncate them. */
#define RTNL_BUFSIZE 32768
/* A request: headers and a few attributes. */
#define RTNL_MSG_SIZE 512
/* Events queued in the kernel before ENOBUFS. */
#define RTNL_EVENT_RCVBUF (4 << 20)
/* Datagrams read per call before going back to the event loop. */
#define RTNL_EVENT_BATCH 64
#define RTNL_DUMP_TRIES 4
/* The kernel gives IPv6 routes without a metric 1024 (IP6_RT_PRIO_USER). */
#define RTNL_IP6_RT_PRIO_USER 1024
#define RTNL_LIFETIME_FOREVER 0xffffffffU

struct rtnl {
	struct mnl_socket *req;
	struct mnl_socket *ev; /* NULL without events */
	unsigned portid;
	unsigned seq;
	/* separate: an event callback may make requests */
	uint8_t req_buf[RTNL_BUFSIZE] __attribute__((aligned(8)));
	uint8_t ev_buf[RTNL_BUFSIZE] __attribute__((aligned(8)));
};

/* A dump's objects, parsed as they come and handed out at the end. */
typedef int (*rtnl_parse_fn)(const struct nlmsghdr *nlh, void *obj);
struct rtnl_dump {
	rtnl_parse_fn parse;
	size_t size;
	uint8_t *v;
	size_t n, cap;
};

/* What rtnl_talk knows while reading replies. */
struct rtnl_talk {
	struct rtnl_dump *dump; /* NULL: an ACK is awaited */
	bool done;		/* NLMSG_DONE or NLMSG_ERROR was read */
};

/* Attributes xlatd reads, and the type each must validate as;
 * MNL_TYPE_UNSPEC (0) ones are not read. */
struct rtnl_policy {
	const enum mnl_attr_data_type *types;
	unsigned max;
	const struct nlattr **tb;
};

static const enum mnl_attr_data_type rtnl_link_policy[IFLA_MAX + 1] = {
	[IFLA_IFNAME] = MNL_TYPE_NUL_STRING, [IFLA_MTU] = MNL_TYPE_U32,
	[IFLA_ADDRESS] = MNL_TYPE_BINARY,    [IFLA_OPERSTATE] = MNL_TYPE_U8,
	[IFLA_CARRIER] = MNL_TYPE_U8,	     [IFLA_AF_SPEC] = MNL_TYPE_NESTED,
};

static const enum mnl_attr_data_type rtnl_inet6_policy[IFLA_INET6_MAX + 1] = {
	[IFLA_INET6_FLAGS] = MNL_TYPE_U32,
};

static const enum mnl_attr_data_type rtnl_addr_policy[IFA_MAX + 1] = {
	[IFA_ADDRESS] = MNL_TYPE_BINARY,
	[IFA_LOCAL] = MNL_TYPE_BINARY,
	[IFA_FLAGS] = MNL_TYPE_U32,
	[IFA_CACHEINFO] = MNL_TYPE_BINARY,
};

static const enum mnl_attr_data_type rtnl_route_policy[RTA_MAX + 1] = {
	[RTA_DST] = MNL_TYPE_BINARY, [RTA_PREFSRC] = MNL_TYPE_BINARY,
	[RTA_OIF] = MNL_TYPE_U32,    [RTA_PRIORITY] = MNL_TYPE_U32,
	[RTA_TABLE] = MNL_TYPE_U32,  [RTA_METRICS] = MNL_TYPE_NESTED,
	[RTA_PREF] = MNL_TYPE_U8,    [RTA_GATEWAY] = MNL_TYPE_BINARY,
};

static const enum mnl_attr_data_type rtnl_neigh_policy[NDA_MAX + 1] = {
	[NDA_DST] = MNL_TYPE_BINARY,
	[NDA_LLADDR] = MNL_TYPE_BINARY,
};

static const enum mnl_attr_data_type rtnl_rule_policy[FRA_MAX + 1] = {
	[FRA_SRC] = MNL_TYPE_BINARY,
	[FRA_TABLE] = MNL_TYPE_U32,
	[FRA_PRIORITY] = MNL_TYPE_U32,
	[FRA_PROTOCOL] = MNL_TYPE_U8,
};

static const enum mnl_attr_data_type rtnl_metrics_policy[RTAX_MAX + 1] = {
	[RTAX_MTU] = MNL_TYPE_U32,
	[RTAX_ADVMSS] = MNL_TYPE_U32,
};

static const enum mnl_attr_data_type rtnl_useropt_policy[NDUSEROPT_MAX + 1] = {
	[NDUSEROPT_SRCADDR] = MNL_TYPE_BINARY,
};

static size_t
rtnl_family_len(int family)
{
	switch (family) {
	case AF_INET:
		return 4;
	case AF_INET6:
		return 16;
	default:
		return 0;
	}
}

static int
rtnl_attr_cb(const struct nlattr *attr, void *data)
{
	struct rtnl_policy *p = data;
	unsigned type = mnl_attr_get_type(attr);

	/* newer attributes, and those xlatd does not read, are skipped */
	if (type > p->max || p->types[type] == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, p->types[type]) < 0)
		return MNL_CB_ERROR;
	p->tb[type] = attr;
	return MNL_CB_OK;
}

/* Validate and index the attributes after a hdrlen-byte family header. */
static int
rtnl_attr_parse(const struct nlmsghdr *nlh, size_t hdrlen,
		const enum mnl_attr_data_type *types, unsigned max,
		const struct nlattr **tb)
{
	struct rtnl_policy p = {types, max, tb};

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_nlmsg_get_payload_len(nlh) < MNL_ALIGN(hdrlen))
		return -EBADMSG;
	if (mnl_attr_parse(nlh, hdrlen, rtnl_attr_cb, &p) != MNL_CB_OK)
		return -EBADMSG;
	return 0;
}

/* Copy an attribute that must be exactly len bytes long. */
static int
rtnl_attr_copy(const struct nlattr *attr, void *dst, size_t len)
{
	if (mnl_attr_get_payload_len(attr) != len)
		return -EBADMSG;
	memcpy(dst, mnl_attr_get_payload(attr), len);
	return 0;
}

/* The kernel's flag for "the last RA had M" (not in its uapi headers). */
#define RTNL_IF_RA_MANAGED 0x40

/* IFLA_AF_SPEC's AF_INET6 part: the RA's M flag (RFC 4861 §4.2) as the
 * kernel last saw it, RTNL_IF_RA_MANAGED in IFLA_INET6_FLAGS. */
static bool
rtnl_ra_managed(const struct nlattr *spec)
{
	const struct nlattr *tb[IFLA_INET6_MAX + 1] = {0};
	struct rtnl_policy p = {rtnl_inet6_policy, IFLA_INET6_MAX, tb};
	const struct nlattr *af;

	mnl_attr_for_each_nested(af, spec)
	{
		if (mnl_attr_get_type(af) != AF_INET6)
			continue;
		if (mnl_attr_parse_nested(af, rtnl_attr_cb, &p) != MNL_CB_OK ||
		    tb[IFLA_INET6_FLAGS] == NULL)
			return false;
		return mnl_attr_get_u32(tb[IFLA_INET6_FLAGS]) &
		       RTNL_IF_RA_MANAGED;
	}
	return false;
}

/* The parsers return 1 with *obj filled, 0 for an object of no interest
 * to xlatd, or -EBADMSG. */
static int
rtnl_parse_link(const struct nlmsghdr *nlh, void *obj)
{
	const struct nlattr *tb[IFLA_MAX + 1];
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct rtnl_link *link = obj;
	const struct nlattr *a;
	uint8_t oper;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi))
		return -EBADMSG;
	/* AF_BRIDGE and the like: port state, not the link itself */
	if (ifi->ifi_family != AF_UNSPEC || ifi->ifi_index <= 0)
		return 0;
	if (rtnl_attr_parse(nlh, sizeof(*ifi), rtnl_link_policy, IFLA_MAX, tb) <
	    0)
		return -EBADMSG;
	memset(link, 0, sizeof(*link));
	link->ifindex = (unsigned)ifi->ifi_index;
	link->type = ifi->ifi_type;
	link->flags = ifi->ifi_flags;
	if ((a = tb[IFLA_IFNAME]) != NULL) {
		if (mnl_attr_get_payload_len(a) > sizeof(link->name))
			return -EBADMSG;
		memcpy(link->name, mnl_attr_get_str(a),
		       mnl_attr_get_payload_len(a));
	}
	if (tb[IFLA_MTU] != NULL)
		link->mtu = mnl_attr_get_u32(tb[IFLA_MTU]);
	if ((a = tb[IFLA_ADDRESS]) != NULL &&
	    rtnl_attr_copy(a, link->lladdr, sizeof(link->lladdr)) == 0)
		link->has_lladdr = true;
	/* operstates.rst: IFF_RUNNING follows the operational state; the
	 * attributes say it directly when present. */
	link->up = (ifi->ifi_flags & IFF_UP) && (ifi->ifi_flags & IFF_RUNNING);
	if (tb[IFLA_OPERSTATE] != NULL) {
		oper = mnl_attr_get_u8(tb[IFLA_OPERSTATE]);
		if (oper != IF_OPER_UP && oper != IF_OPER_UNKNOWN)
			link->up = false;
	}
	if (tb[IFLA_CARRIER] != NULL && mnl_attr_get_u8(tb[IFLA_CARRIER]) == 0)
		link->up = false;
	if (tb[IFLA_AF_SPEC] != NULL)
		link->ra_managed = rtnl_ra_managed(tb[IFLA_AF_SPEC]);
	return 1;
}

static int
rtnl_parse_addr(const struct nlmsghdr *nlh, void *obj)
{
	const struct nlattr *tb[IFA_MAX + 1];
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct rtnl_addr *addr = obj;
	struct ifa_cacheinfo ci;
	const struct nlattr *a;
	size_t alen;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifa))
		return -EBADMSG;
	if ((alen = rtnl_family_len(ifa->ifa_family)) == 0)
		return 0;
	if (ifa->ifa_prefixlen > alen * 8 ||
	    rtnl_attr_parse(nlh, sizeof(*ifa), rtnl_addr_policy, IFA_MAX, tb) <
		    0)
		return -EBADMSG;
	memset(addr, 0, sizeof(*addr));
	addr->family = ifa->ifa_family;
	addr->ifindex = ifa->ifa_index;
	addr->prefixlen = ifa->ifa_prefixlen;
	addr->flags = ifa->ifa_flags;
	if (tb[IFA_FLAGS] != NULL)
		addr->flags = mnl_attr_get_u32(tb[IFA_FLAGS]);
	/* rtnetlink(7): IFA_LOCAL is the local address where it differs from
	 * IFA_ADDRESS, the peer's on a point-to-point link */
	a = tb[IFA_LOCAL] != NULL ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (a == NULL || rtnl_attr_copy(a, addr->addr, alen) < 0)
		return -EBADMSG;
	addr->valid_lft = addr->preferred_lft = RTNL_LIFETIME_FOREVER;
	if (tb[IFA_CACHEINFO] != NULL) {
		if (rtnl_attr_copy(tb[IFA_CACHEINFO], &ci, sizeof(ci)) < 0)
			return -EBADMSG;
		addr->valid_lft = ci.ifa_valid;
		addr->preferred_lft = ci.ifa_prefered;
	}
	return 1;
}

static int
rtnl_parse_metrics(const struct nlattr *nest, struct rtnl_route *route)
{
	const struct nlattr *tb[RTAX_MAX + 1] = {NULL};
	struct rtnl_policy p = {rtnl_metrics_policy, RTAX_MAX, tb};

	if (mnl_attr_parse_nested(nest, rtnl_attr_cb, &p) != MNL_CB_OK)
		return -EBADMSG;
	if (tb[RTAX_MTU] != NULL)
		route->mtu = mnl_attr_get_u32(tb[RTAX_MTU]);
	if (tb[RTAX_ADVMSS] != NULL)
		route->advmss = mnl_attr_get_u32(tb[RTAX_ADVMSS]);
	return 0;
}

/* A route, PMTU exceptions (RTM_F_CLONED) too: RTM_GETROUTE may answer
 * with one. */
static int
rtnl_parse_route_any(const struct nlmsghdr *nlh, void *obj)
{
	const struct nlattr *tb[RTA_MAX + 1];
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct rtnl_route *route = obj;
	size_t alen;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*rtm))
		return -EBADMSG;
	/* multicast routes come as RTNL_FAMILY_IPMR */
	if ((alen = rtnl_family_len(rtm->rtm_family)) == 0)
		return 0;
	if (rtm->rtm_dst_len > alen * 8 ||
	    rtnl_attr_parse(nlh, sizeof(*rtm), rtnl_route_policy, RTA_MAX, tb) <
		    0 ||
	    (rtm->rtm_dst_len > 0 && tb[RTA_DST] == NULL))
		return -EBADMSG;
	memset(route, 0, sizeof(*route));
	route->family = rtm->rtm_family;
	route->dst_len = rtm->rtm_dst_len;
	route->table = rtm->rtm_table;
	route->protocol = rtm->rtm_protocol;
	route->type = rtm->rtm_type;
	if (tb[RTA_DST] != NULL &&
	    rtnl_attr_copy(tb[RTA_DST], route->dst, alen))
		return -EBADMSG;
	if (tb[RTA_PREFSRC] != NULL) {
		if (rtnl_attr_copy(tb[RTA_PREFSRC], route->src, alen) < 0)
			return -EBADMSG;
		route->has_src = true;
	}
	if (tb[RTA_GATEWAY] != NULL) {
		if (rtnl_attr_copy(tb[RTA_GATEWAY], route->gateway, alen) < 0)
			return -EBADMSG;
		route->has_gateway = true;
	}
	if (tb[RTA_OIF] != NULL)
		route->ifindex = mnl_attr_get_u32(tb[RTA_OIF]);
	if (tb[RTA_PRIORITY] != NULL)
		route->metric = mnl_attr_get_u32(tb[RTA_PRIORITY]);
	if (tb[RTA_TABLE] != NULL)
		route->table = mnl_attr_get_u32(tb[RTA_TABLE]);
	if (tb[RTA_PREF] != NULL)
		route->pref = mnl_attr_get_u8(tb[RTA_PREF]);
	if (tb[RTA_METRICS] != NULL &&
	    rtnl_parse_metrics(tb[RTA_METRICS], route) < 0)
		return -EBADMSG;
	return 1;
}

/* The routes of dumps and events: the tables' own, without the PMTU
 * exceptions (RTM_F_CLONED) that the kernel adds as it goes. */
static int
rtnl_parse_route(const struct nlmsghdr *nlh, void *obj)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*rtm))
		return -EBADMSG;
	if (rtm->rtm_flags & RTM_F_CLONED)
		return 0;
	return rtnl_parse_route_any(nlh, obj);
}

static int
rtnl_parse_neigh(const struct nlmsghdr *nlh, void *obj)
{
	const struct nlattr *tb[NDA_MAX + 1];
	const struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);
	struct rtnl_neigh *neigh = obj;
	size_t alen;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ndm))
		return -EBADMSG;
	if ((alen = rtnl_family_len(ndm->ndm_family)) == 0)
		return 0;
	if (rtnl_attr_parse(nlh, sizeof(*ndm), rtnl_neigh_policy, NDA_MAX, tb) <
		    0 ||
	    tb[NDA_DST] == NULL)
		return -EBADMSG;
	memset(neigh, 0, sizeof(*neigh));
	neigh->family = ndm->ndm_family;
	neigh->ifindex = (unsigned)ndm->ndm_ifindex;
	neigh->state = ndm->ndm_state;
	if (rtnl_attr_copy(tb[NDA_DST], neigh->dst, alen) < 0)
		return -EBADMSG;
	if (tb[NDA_LLADDR] != NULL &&
	    rtnl_attr_copy(tb[NDA_LLADDR], neigh->lladdr,
			   sizeof(neigh->lladdr)) == 0)
		neigh->has_lladdr = true;
	return 1;
}

/* RTM_NEWTFILTER: only its header is kept, to count them. */
static int
rtnl_parse_tc(const struct nlmsghdr *nlh, void *obj)
{
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct tcmsg))
		return -EBADMSG;
	if (nlh->nlmsg_type != RTM_NEWTFILTER)
		return 0;
	memcpy(obj, mnl_nlmsg_get_payload(nlh), sizeof(struct tcmsg));
	return 1;
}

/* RTM_NEWNDUSEROPT (net/ipv6/ndisc.c): struct nduseroptmsg, the options
 * of one router advertisement, then NDUSEROPT_SRCADDR, the router. */
static int
rtnl_parse_useropt(const struct nlmsghdr *nlh, struct rtnl_event *ev)
{
	const struct nlattr *tb[NDUSEROPT_MAX + 1];
	const struct nduseroptmsg *nd = mnl_nlmsg_get_payload(nlh);
	size_t plen = mnl_nlmsg_get_payload_len(nlh);

	if (plen < sizeof(*nd) || nd->nduseropt_opts_len > plen - sizeof(*nd))
		return -EBADMSG;
	if (nd->nduseropt_family != AF_INET6 ||
	    nd->nduseropt_icmp_type != ND_ROUTER_ADVERT ||
	    nd->nduseropt_ifindex <= 0)
		return 0;
	if (rtnl_attr_parse(nlh, sizeof(*nd) + nd->nduseropt_opts_len,
			    rtnl_useropt_policy, NDUSEROPT_MAX, tb) < 0)
		return -EBADMSG;
	if (tb[NDUSEROPT_SRCADDR] == NULL ||
	    rtnl_attr_copy(tb[NDUSEROPT_SRCADDR], ev->useropt.router,
			   sizeof(ev->useropt.router)) < 0)
		return -EBADMSG;
	ev->type = RTNL_EV_ND_USEROPT;
	ev->useropt.ifindex = (unsigned)nd->nduseropt_ifindex;
	ev->useropt.opts = (const uint8_t *)(nd + 1);
	ev->useropt.opts_len = nd->nduseropt_opts_len;
	return 1;
}

int
rtnl_parse_message(const struct nlmsghdr *nlh, rtnl_event_cb cb, void *arg)
{
	struct rtnl_event ev;
	int r;

	memset(&ev, 0, sizeof(ev));
	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		ev.type = nlh->nlmsg_type == RTM_NEWLINK ? RTNL_EV_LINK_NEW
							 : RTNL_EV_LINK_DEL;
		r = rtnl_parse_link(nlh, &ev.link);
		break;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		ev.type = nlh->nlmsg_type == RTM_NEWADDR ? RTNL_EV_ADDR_NEW
							 : RTNL_EV_ADDR_DEL;
		r = rtnl_parse_addr(nlh, &ev.addr);
		break;
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
		ev.type = nlh->nlmsg_type == RTM_NEWROUTE ? RTNL_EV_ROUTE_NEW
							  : RTNL_EV_ROUTE_DEL;
		r = rtnl_parse_route(nlh, &ev.route);
		break;
	case RTM_NEWNDUSEROPT:
		r = rtnl_parse_useropt(nlh, &ev);
		break;
	case RTM_NEWRULE:
	case RTM_DELRULE:
		/* only that the rules changed: who follows them looks again */
		ev.type = RTNL_EV_RULE;
		r = 1;
		break;
	case RTM_NEWNEIGH:
	case RTM_DELNEIGH:
		ev.type = nlh->nlmsg_type == RTM_NEWNEIGH ? RTNL_EV_NEIGH_NEW
							  : RTNL_EV_NEIGH_DEL;
		r = rtnl_parse_neigh(nlh, &ev.neigh);
		break;
	default:
		return 0;
	}
	if (r > 0)
		cb(&ev, arg);
	return r;
}

/* The message at *off of buf[0..len) if it is whole, and *off moved
 * past it; NULL at the end or at a length that does not fit. libmnl's
 * own walk (mnl_nlmsg_ok) takes an nlmsg_len of 2 GiB or more for a
 * negative int, and its 4-byte alignment turns 0xffffffff into 0, so it
 * would stay on such a message for ever. */
static const struct nlmsghdr *
rtnl_next(const void *buf, size_t len, size_t *off)
{
	const struct nlmsghdr *nlh;
	size_t step;

	if (*off > len || len - *off < sizeof(*nlh))
		return NULL;
	nlh = (const void *)((const uint8_t *)buf + *off);
	if (nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > len - *off)
		return NULL;
	step = NLMSG_ALIGN((size_t)nlh->nlmsg_len);
	*off = step < len - *off ? *off + step : len;
	return nlh;
}

/* Whether every message of buf[0..len) is whole, for libmnl's walks. */
static bool
rtnl_whole(const void *buf, size_t len)
{
	size_t off = 0;

	while (rtnl_next(buf, len, &off) != NULL)
		;
	return len - off < sizeof(struct nlmsghdr);
}

void
rtnl_parse_events(const void *buf, size_t len, rtnl_event_cb cb, void *arg)
{
	const struct nlmsghdr *nlh;
	size_t off = 0;

	/* multicast: no sequence number or port to check */
	while ((nlh = rtnl_next(buf, len, &off)) != NULL)
		if (rtnl_parse_message(nlh, cb, arg) < 0)
			log_debug("rtnl: malformed message of type %u skipped",
				  nlh->nlmsg_type);
}

int
rtnl_read_events(struct rtnl *rtnl, rtnl_event_cb cb, void *arg)
{
	const struct rtnl_event overrun = {.type = RTNL_EV_OVERRUN};
	ssize_t n;
	int i;

	if (rtnl->ev == NULL)
		return -EBADF;
	for (i = 0; i < RTNL_EVENT_BATCH; i++) {
		n = mnl_socket_recvfrom(rtnl->ev, rtnl->ev_buf,
					sizeof(rtnl->ev_buf));
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n < 0 && errno == EINTR)
			continue;
		/* netlink(7): ENOBUFS, events were lost; ENOSPC is libmnl's
		 * MSG_TRUNC, one was cut. Either way the state is stale. */
		if (n < 0 && (errno == ENOBUFS || errno == ENOSPC)) {
			cb(&overrun, arg);
			continue;
		}
		if (n < 0)
			return -errno;
		rtnl_parse_events(rtnl->ev_buf, (size_t)n, cb, arg);
	}
	return 0;
}

static int
rtnl_extack_cb(const struct nlattr *attr, void *data)
{
	const char **msg = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		*msg = mnl_attr_get_str(attr);
	return MNL_CB_OK;
}

/* NLMSG_ERROR: an ACK when error is 0. netlink(7): with NETLINK_EXT_ACK
 * (NLM_F_ACK_TLVS), attributes follow the request echoed back, which
 * NETLINK_CAP_ACK (NLM_F_CAPPED) cuts to its header. */
static int
rtnl_talk_error(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	size_t plen = mnl_nlmsg_get_payload_len(nlh), off = sizeof(*err);
	struct rtnl_talk *ctx = data;
	const char *msg = NULL;

	ctx->done = true;
	if (plen < sizeof(*err)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (err->error == 0)
		return MNL_CB_STOP;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len >= sizeof(err->msg)
			       ? err->msg.nlmsg_len - sizeof(err->msg)
			       : plen;
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && off < plen)
		mnl_attr_parse(nlh, off, rtnl_extack_cb, &msg);
	if (msg != NULL)
		log_debug("rtnl: request %u: %s", err->msg.nlmsg_type, msg);
	errno = err->error < 0 ? -err->error : EPROTO;
	return MNL_CB_ERROR;
}

/* NLMSG_DONE ends a dump; an int after the header is its status. */
static int
rtnl_talk_done(const struct nlmsghdr *nlh, void *data)
{
	struct rtnl_talk *ctx = data;
	int status;

	ctx->done = true;
	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(status)) {
		memcpy(&status, mnl_nlmsg_get_payload(nlh), sizeof(status));
		if (status < 0) {
			errno = -status;
			return MNL_CB_ERROR;
		}
	}
	return MNL_CB_STOP;
}

static int
rtnl_talk_data(const struct nlmsghdr *nlh, void *data)
{
	struct rtnl_talk *ctx = data;
	struct rtnl_dump *d = ctx->dump;
	size_t cap;
	void *v;
	int r;

	if (d == NULL)
		return MNL_CB_OK;
	if (d->n == d->cap) {
		cap = d->cap != 0 ? d->cap * 2 : 16;
		if ((v = reallocarray(d->v, cap, d->size)) == NULL) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		d->v = v;
		d->cap = cap;
	}
	if ((r = d->parse(nlh, d->v + d->n * d->size)) > 0)
		d->n++;
	else if (r < 0)
		log_debug("rtnl: malformed message of type %u skipped",
			  nlh->nlmsg_type);
	return MNL_CB_OK;
}

/* After an error in the middle of a reply, read to its end (in what is
 * left of the buffer, then on the socket) so the next request starts
 * clean. */
static void
rtnl_drain(struct rtnl *rtnl, unsigned seq, ssize_t n)
{
	const struct nlmsghdr *nlh;
	size_t off;

	for (;;) {
		off = 0;
		while ((nlh = rtnl_next(rtnl->req_buf, (size_t)n, &off)) !=
		       NULL)
			if (nlh->nlmsg_seq == seq &&
			    (nlh->nlmsg_type == NLMSG_DONE ||
			     nlh->nlmsg_type == NLMSG_ERROR))
				return;
		do {
			n = mnl_socket_recvfrom(rtnl->req, rtnl->req_buf,
						sizeof(rtnl->req_buf));
		} while (n < 0 && errno == EINTR);
		if (n < 0)
			return;
	}
}

/* Send a request and read its replies: the ACK, or the dump to its end.
 * libmnl checks the port and sequence number, and turns
 * NLM_F_DUMP_INTR into EINTR. */
static int
rtnl_talk(struct rtnl *rtnl, struct nlmsghdr *nlh, struct rtnl_dump *dump)
{
	/* libmnl takes the table as non-const */
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = rtnl_talk_error,
		[NLMSG_DONE] = rtnl_talk_done,
	};
	struct rtnl_talk ctx = {dump, false};
	unsigned seq = ++rtnl->seq;
	int r = MNL_CB_OK;
	ssize_t n;

	nlh->nlmsg_seq = seq;
	if (mnl_socket_sendto(rtnl->req, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(rtnl->req, rtnl->req_buf,
					sizeof(rtnl->req_buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		/* the late reply to a request that timed out */
		if ((size_t)n >= sizeof(*nlh) &&
		    ((const struct nlmsghdr *)rtnl->req_buf)->nlmsg_seq != seq)
			continue;
		if (!rtnl_whole(rtnl->req_buf, (size_t)n)) {
			errno = EBADMSG;
			r = MNL_CB_ERROR;
			break;
		}
		r = mnl_cb_run2(rtnl->req_buf, (size_t)n, seq, rtnl->portid,
				rtnl_talk_data, &ctx, ctl, NLMSG_MIN_TYPE);
	} while (n < 0 || r == MNL_CB_OK);
	if (r == MNL_CB_STOP)
		return 0;
	r = errno != 0 ? -errno : -EPROTO;
	if (!ctx.done)
		rtnl_drain(rtnl, seq, n);
	return r;
}

static int
rtnl_dump(struct rtnl *rtnl, struct nlmsghdr *nlh, struct rtnl_dump *d)
{
	int r = -EINTR, i;

	/* netlink(7): NLM_F_DUMP_INTR, the objects changed during the dump
	 * and what was read may be inconsistent */
	for (i = 0; i < RTNL_DUMP_TRIES && r == -EINTR; i++) {
		d->n = 0;
		r = rtnl_talk(rtnl, nlh, d);
	}
	return r;
}

static struct nlmsghdr *
rtnl_msg(void *buf, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	return nlh;
}

/* A get request (not a dump): the kernel answers with the object, then,
 * for NLM_F_ACK, the ACK that ends the talk. */
static int
rtnl_get(struct rtnl *rtnl, struct nlmsghdr *nlh, rtnl_parse_fn parse,
	 size_t size, void *obj)
{
	struct rtnl_dump d = {.parse = parse, .size = size};
	int r;

	r = rtnl_talk(rtnl, nlh, &d);
	if (r == 0 && d.n == 0)
		r = -EBADMSG; /* no answer of the kind asked for */
	if (r == 0)
		memcpy(obj, d.v, size);
	free(d.v);
	return r;
}

/* Dump one kind of object (family header of hdrlen bytes, family
 * first), then walk it. */
static int
rtnl_dump_walk(struct rtnl *rtnl, uint16_t type, uint8_t family, size_t hdrlen,
	       struct rtnl_dump *d, int (*cb)(const void *obj, void *arg),
	       void *arg)
{
	uint8_t buf[RTNL_MSG_SIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nlmsghdr *nlh;
	uint8_t *hdr;
	size_t i;
	int r;

	nlh = rtnl_msg(buf, type, NLM_F_DUMP);
	hdr = mnl_nlmsg_put_extra_header(nlh, hdrlen);
	hdr[0] = family;
	r = rtnl_dump(rtnl, nlh, d);
	for (i = 0; r == 0 && i < d->n; i++)
		r = cb(d->v + i * d->size, arg);
	free(d->v);
	return r < 0 ? r : 0;
}

/* The walk's callbacks get the object as void *, the caller's as its own
 * type: these adapt one to the other. */
struct rtnl_walk {
	union {
		rtnl_link_cb link;
		rtnl_addr_cb addr;
		rtnl_route_cb route;
		rtnl_rule_cb rule;
	} cb;
	void *arg;
};

static int
rtnl_walk_link(const void *obj, void *arg)
{
	const struct rtnl_walk *w = arg;

	return w->cb.link(obj, w->arg);
}

static int
rtnl_walk_addr(const void *obj, void *arg)
{
	const struct rtnl_walk *w = arg;

	return w->cb.addr(obj, w->arg);
}

static int
rtnl_walk_route(const void *obj, void *arg)
{
	const struct rtnl_walk *w = arg;

	return w->cb.route(obj, w->arg);
}

int
rtnl_dump_links(struct rtnl *rtnl, rtnl_link_cb cb, void *arg)
{
	struct rtnl_dump d = {.parse = rtnl_parse_link,
			      .size = sizeof(struct rtnl_link)};
	struct rtnl_walk w = {.cb.link = cb, .arg = arg};

	return rtnl_dump_walk(rtnl, RTM_GETLINK, AF_UNSPEC,
			      sizeof(struct ifinfomsg), &d, rtnl_walk_link, &w);
}

int
rtnl_dump_addrs(struct rtnl *rtnl, int family, rtnl_addr_cb cb, void *arg)
{
	struct rtnl_dump d = {.parse = rtnl_parse_addr,
			      .size = sizeof(struct rtnl_addr)};
	struct rtnl_walk w = {.cb.addr = cb, .arg = arg};

	return rtnl_dump_walk(rtnl, RTM_GETADDR, (uint8_t)family,
			      sizeof(struct ifaddrmsg), &d, rtnl_walk_addr, &w);
}

static int
rtnl_walk_rule(const void *obj, void *arg)
{
	const struct rtnl_walk *w = arg;

	return w->cb.rule(obj, w->arg);
}

/* RTM_NEWRULE: struct fib_rule_hdr, then FRA_* attributes. */
static int
rtnl_parse_rule(const struct nlmsghdr *nlh, void *obj)
{
	const struct nlattr *tb[FRA_MAX + 1];
	const struct fib_rule_hdr *frh = mnl_nlmsg_get_payload(nlh);
	struct rtnl_rule *rule = obj;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*frh))
		return -EBADMSG;
	if (frh->family != AF_INET)
		return 0;
	if (frh->src_len > 32 ||
	    rtnl_attr_parse(nlh, sizeof(*frh), rtnl_rule_policy, FRA_MAX, tb) <
		    0 ||
	    (frh->src_len > 0 && tb[FRA_SRC] == NULL))
		return -EBADMSG;
	memset(rule, 0, sizeof(*rule));
	rule->src_len = frh->src_len;
	rule->table = frh->table;
	if (tb[FRA_SRC] != NULL &&
	    rtnl_attr_copy(tb[FRA_SRC], &rule->src, sizeof(rule->src)) < 0)
		return -EBADMSG;
	if (tb[FRA_TABLE] != NULL)
		rule->table = mnl_attr_get_u32(tb[FRA_TABLE]);
	if (tb[FRA_PRIORITY] != NULL)
		rule->priority = mnl_attr_get_u32(tb[FRA_PRIORITY]);
	if (tb[FRA_PROTOCOL] != NULL)
		rule->protocol = mnl_attr_get_u8(tb[FRA_PROTOCOL]);
	return 1;
}

int
rtnl_parse_reply(enum rtnl_reply kind, const struct nlmsghdr *nlh, void *obj)
{
	static const rtnl_parse_fn parsers[RTNL_REPLY_MAX] = {
		[RTNL_REPLY_LINK] = rtnl_parse_link,
		[RTNL_REPLY_ADDR] = rtnl_parse_addr,
		[RTNL_REPLY_ROUTE] = rtnl_parse_route_any,
		[RTNL_REPLY_ROUTE_TABLE] = rtnl_parse_route,
		[RTNL_REPLY_RULE] = rtnl_parse_rule,
		[RTNL_REPLY_NEIGH] = rtnl_parse_neigh,
		[RTNL_REPLY_TC] = rtnl_parse_tc,
	};

	if ((unsigned)kind >= RTNL_REPLY_MAX)
		return -EINVAL;
	return parsers[kind](nlh, obj);
}

int
rtnl_dump_rules4(struct rtnl *rtnl, rtnl_rule_cb cb, void *arg)
{
	struct rtnl_dump d = {.parse = rtnl_parse_rule,
			      .size = sizeof(struct rtnl_rule)};
	struct rtnl_walk w = {.cb.rule = cb, .arg = arg};

	return rtnl_dump_walk(rtnl, RTM_GETRULE, AF_INET,
			      sizeof(struct fib_rule_hdr), &d, rtnl_walk_rule,
			      &w);
}

/* RTM_NEWRULE or RTM_DELRULE for an IPv4 source rule of xlatd's: its
 * protocol (FRA_PROTOCOL, Linux 4.17) marks it as ours after a crash. */
static int
rtnl_rule_msg(struct rtnl *rtnl, const struct rtnl_rule *rule, uint16_t type,
	      uint16_t flags)
{
	uint8_t buf[RTNL_MSG_SIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct fib_rule_hdr *frh;
	struct nlmsghdr *nlh;

	if (rule->src_len > 32)
		return -EINVAL;
	nlh = rtnl_msg(buf, type, NLM_F_ACK | flags);
	frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
	frh->family = AF_INET;
	frh->src_len = (uint8_t)rule->src_len;
	frh->action = FR_ACT_TO_TBL;
	frh->table = rule->table < 256 ? (uint8_t)rule->table : RT_TABLE_UNSPEC;
	if (rule->src_len > 0)
		mnl_attr_put(nlh, FRA_SRC, sizeof(rule->src), &rule->src);
	if (rule->iif[0] != '\0')
		mnl_attr_put_strz(nlh, FRA_IIFNAME, rule->iif);
	if (rule->suppress_default)
		mnl_attr_put_u32(nlh, FRA_SUPPRESS_PREFIXLEN, 0);
	mnl_attr_put_u32(nlh, FRA_TABLE, rule->table);
	mnl_attr_put_u32(nlh, FRA_PRIORITY, rule->priority);
	mnl_attr_put_u8(nlh, FRA_PROTOCOL, RTPROT_XLATD);
	return rtnl_talk(rtnl, nlh, NULL);
}

int
rtnl_rule_add(struct rtnl *rtnl, const struct rtnl_rule *rule)
{
	return rtnl_rule_msg(rtnl, rule, RTM_NEWRULE,
			     NLM_F_CREATE | NLM_F_EXCL);
}

int
rtnl_rule_del(struct rtnl *rtnl, const struct rtnl_rule *rule)
{
	return rtnl_rule_msg(rtnl, rule, RTM_DELRULE, 0);
}

int
rtnl_dump_routes(struct rtnl *rtnl, int family, rtnl_route_cb cb, void *arg)
{
	struct rtnl_dump d = {.parse = rtnl_parse_route,
			      .size = sizeof(struct rtnl_route)};
	struct rtnl_walk w = {.cb.route = cb, .arg = arg};

	return rtnl_dump_walk(rtnl, RTM_GETROUTE, (uint8_t)family,
			      sizeof(struct rtmsg), &d, rtnl_walk_route, &w);
}

int
rtnl_link_set(struct rtnl *rtnl, unsigned ifindex, bool up, unsigned mtu)
{
	uint8_t buf[RTNL_MSG_SIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;

	nlh = rtnl_msg(buf, RTM_SETLINK, NLM_F_ACK);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)ifindex;
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	if (mtu != 0)
		mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	return rtnl_talk(rtnl, nlh, NULL);
}

int
rtnl_link_del(struct rtnl *rtnl, unsigned ifindex)
{
	uint8_t buf[RTNL_MSG_SIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;

	nlh = rtnl_msg(buf, RTM_DELLINK, NLM_F_ACK);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)ifindex;
	return rtnl_talk(rtnl, nlh, NULL);
}

int
rtnl_link_get(struct rtnl *rtnl, unsigned ifindex, struct rtnl_link *out)
{
	uint8_t buf[RTNL_MSG_SIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;

	nlh = rtnl_msg(buf, RTM_GETLINK, NLM_F_ACK);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)ifindex;
	return rtnl_get(rtnl, nlh, rtnl_parse_link, sizeof(*out), out);
}

int
rtnl_link_index(const char *name)
{
	unsigned ifindex = if_nametoindex(name);

	if (ifindex == 0)
		return errno != 0 ? -errno : -ENODEV;
	return (int)ifindex;
}

static int
rtnl_addr_msg(struct rtnl *rtnl, uint16_t type, uint16_t flags,
	      unsigned ifindex, int family, const void *addr,
	      unsigned prefixlen, uint32_t ifa_flags)
{
	uint8_t buf[RTNL_MSG_SIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
	size_t alen = rtnl_family_len(family);
	struct ifaddrmsg *ifa;
	struct nlmsghdr *nlh;

	if (alen == 0 || prefixlen > alen * 8)
		return -EINVAL;
	nlh = rtnl_msg(buf, type, NLM_F_ACK | flags);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)family;
	ifa->ifa_prefixlen = (uint8_t)prefixlen;
	ifa->ifa_index = ifindex;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_flags = (uint8_t)ifa_flags;
	/* rtnetlink(7): IPv4 wants IFA_LOCAL; IFA_ADDRESS alike means no
	 * peer */
	if (family == AF_INET)
		mnl_attr_put(nlh, IFA_LOCAL, alen, addr);
	mnl_attr_put(nlh, IFA_ADDRESS, alen, addr);
	if (ifa_flags != 0)
		mnl_attr_put_u32(nlh, IFA_FLAGS, ifa_flags);
	return rtnl_talk(rtnl, nlh, NULL);
}

int
rtnl_addr_add(struct rtnl *rtnl, unsigned ifindex, int family, const void *addr,
	      unsigned prefixlen, bool nodad)
{
	uint32_t flags = family == AF_INET6 && nodad ? IFA_F_NODAD : 0;

	return rtnl_addr_msg(rtnl, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE,
			     ifindex, family, addr, prefixlen, flags);
}

int
rtnl_addr_del(struct rtnl *rtnl, unsigned ifindex, int family, const void *addr,
	      unsigned prefixlen)
{
	return rtnl_addr_msg(rtnl, RTM_DELADDR, 0, ifindex, family, addr,
			     prefixlen, 0);
}

static void
rtnl_route_metrics(struct nlmsghdr *nlh, const struct rtnl_route *route)
{
	struct nlattr *nest;

	if (route->mtu == 0 && route->advmss == 0)
		return;
	nest = mnl_attr_nest_start(nlh, RTA_METRICS);
	if (route->mtu != 0)
		mnl_attr_put_u32(nlh, RTAX_MTU, route->mtu);
	if (route->advmss != 0)
		mnl_attr_put_u32(nlh, RTAX_ADVMSS, route->advmss);
	mnl_attr_nest_end(nlh, nest);
}

/* RTM_NEWROUTE or RTM_DELROUTE for an on-link route of xlatd's. On
 * delete, what is left out (scope, type, source, metrics) matches any
 * value, but the protocol must be ours. */
static int
rtnl_route_msg(struct rtnl *rtnl, const struct rtnl_route *route, uint16_t type,
	       uint16_t flags)
{
	uint8_t buf[RTNL_MSG_SIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
	size_t alen = rtnl_family_len(route->family);
	unsigned table = route->table != 0 ? route->table : RT_TABLE_MAIN;
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;

	if (alen == 0 || route->dst_len > alen * 8)
		return -EINVAL;
	nlh = rtnl_msg(buf, type, NLM_F_ACK | flags);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)route->family;
	rtm->rtm_dst_len = (uint8_t)route->dst_len;
	rtm->rtm_protocol = RTPROT_XLATD;
	/* RTA_TABLE carries tables past 255 */
	rtm->rtm_table = table < 256 ? (uint8_t)table : RT_TABLE_UNSPEC;
	rtm->rtm_scope = RT_SCOPE_NOWHERE;
	if (type == RTM_NEWROUTE && route->type != 0 &&
	    route->type != RTN_UNICAST) {
		/* unreachable and the like: no device, global scope */
		rtm->rtm_type = (uint8_t)route->type;
		rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	} else if (type == RTM_NEWROUTE) {
		rtm->rtm_type = RTN_UNICAST;
		/* no gateway: IPv4 wants link scope (rtnetlink(7)) */
		rtm->rtm_scope = route->family == AF_INET ? RT_SCOPE_LINK
							  : RT_SCOPE_UNIVERSE;
	}
	mnl_attr_put_u32(nlh, RTA_TABLE, table);
	if (route->dst_len > 0)
		mnl_attr_put(nlh, RTA_DST, alen, route->dst);
	if (route->ifindex != 0)
		mnl_attr_put_u32(nlh, RTA_OIF, route->ifindex);
	if (route->metric != 0)
		mnl_attr_put_u32(nlh, RTA_PRIORITY, route->metric);
	if (type == RTM_NEWROUTE && route->has_src)
		mnl_attr_put(nlh, RTA_PREFSRC, alen, route->src);
	if (type == RTM_NEWROUTE)
		rtnl_route_metrics(nlh, route);
	return rtnl_talk(rtnl, nlh, NULL);
}

struct rtnl_route_key {
	const struct rtnl_route *want;
	bool ours;
};

/* Is this the route an exclusive add collided with, and is it ours? */
static int
rtnl_route_same(const struct rtnl_route *r, void *arg)
{
	struct rtnl_route_key *k = arg;
	const struct rtnl_route *w = k->want;
	unsigned table = w->table != 0 ? w->table : RT_TABLE_MAIN;
	unsigned metric = w->metric;

	if (metric == 0 && w->family == AF_INET6)
		metric = RTNL_IP6_RT_PRIO_USER;
	if (r->dst_len != w->dst_len || r->table != table ||
	    r->metric != metric ||
	    memcmp(r->dst, w->dst, rtnl_family_len(w->family)) != 0)
		return 0;
	k->ours = r->protocol == RTPROT_XLATD;
	return 1;
}

int
rtnl_route_add(struct rtnl *rtnl, const struct rtnl_route *route)
{
	struct rtnl_route_key k = {route, false};
	int r;

	/* NLM_F_REPLACE alone would take over a route of someone else's
	 * with the same destination and metric: look first. */
	r = rtnl_route_msg(rtnl, route, RTM_NEWROUTE,
			   NLM_F_CREATE | NLM_F_EXCL);
	if (r != -EEXIST)
		return r;
	if ((r = rtnl_dump_routes(rtnl, route->family, rtnl_route_same, &k)) <
	    0)
		return r;
	if (!k.ours)
		return -EEXIST;
	return rtnl_route_msg(rtnl, route, RTM_NEWROUTE, NLM_F_REPLACE);
}

int
rtnl_route_del(struct rtnl *rtnl, const struct rtnl_route *route)
{
	return rtnl_route_msg(rtnl, route, RTM_DELROUTE, 0);
}

static int
rtnl_route_lookup(struct rtnl *rtnl, int family, const void *dst,
		  const void *src, unsigned oif, struct rtnl_route *out)
{
	uint8_t buf[RTNL_MSG_SIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
	size_t alen = rtnl_family_len(family);
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;

	if (alen == 0)
		return -EINVAL;
	nlh = rtnl_msg(buf, RTM_GETROUTE, NLM_F_ACK);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)family;
	rtm->rtm_dst_len = (uint8_t)(alen * 8);
	mnl_attr_put(nlh, RTA_DST, alen, dst);
	if (src != NULL) {
		rtm->rtm_src_len = (uint8_t)(alen * 8);
		mnl_attr_put(nlh, RTA_SRC, alen, src);
	}
	if (oif != 0)
		mnl_attr_put_u32(nlh, RTA_OIF, oif);
	return rtnl_get(rtnl, nlh, rtnl_parse_route_any, sizeof(*out), out);
}

int
rtnl_route_get(struct rtnl *rtnl, int family, const void *dst, unsigned oif,
	       struct rtnl_route *out)
{
	return rtnl_route_lookup(rtnl, family, dst, NULL, oif, out);
}

int
rtnl_route_get_from(struct rtnl *rtnl, int family, const void *dst,
		    const void *src, struct rtnl_route *out)
{
	return rtnl_route_lookup(rtnl, family, dst, src, 0, out);
}

int
rtnl_neigh_get(struct rtnl *rtnl, unsigned ifindex, int family, const void *dst,
	       struct rtnl_neigh *out)
{
	uint8_t buf[RTNL_MSG_SIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
	size_t alen = rtnl_family_len(family);
	struct nlmsghdr *nlh;
	struct ndmsg *ndm;

	if (alen == 0)
		return -EINVAL;
	/* net/core/neighbour.c, neigh_valid_get_req: the header's other
	 * fields zero, and NDA_DST the only attribute */
	nlh = rtnl_msg(buf, RTM_GETNEIGH, NLM_F_ACK);
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = (uint8_t)family;
	ndm->ndm_ifindex = (int)ifindex;
	mnl_attr_put(nlh, NDA_DST, alen, dst);
	return rtnl_get(rtnl, nlh, rtnl_parse_neigh, sizeof(*out), out);
}

int
rtnl_tc_filter_count(struct rtnl *rtnl, unsigned ifindex, uint32_t parent)
{
	uint8_t buf[RTNL_MSG_SIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct rtnl_dump d = {.parse = rtnl_parse_tc,
			      .size = sizeof(struct tcmsg)};
	struct nlmsghdr *nlh;
	struct tcmsg *tcm;
	int r;

	nlh = rtnl_msg(buf, RTM_GETTFILTER, NLM_F_DUMP);
	tcm = mnl_nlmsg_put_extra_header(nlh, sizeof(*tcm));
	tcm->tcm_family = AF_UNSPEC;
	tcm->tcm_ifindex = (int)ifindex;
	tcm->tcm_parent = parent;
	r = rtnl_dump(rtnl, nlh, &d);
	free(d.v);
	return r < 0 ? r : (int)d.n;
}

/* Connected to the kernel (port 0), a netlink socket refuses unicast
 * from other processes (netlink_getsockbyportid()): only the kernel
 * speaks to it. */
static int
rtnl_connect(struct mnl_socket *nl)
{
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};

	if (connect(mnl_socket_get_fd(nl), (struct sockaddr *)&kernel,
		    sizeof(kernel)) < 0)
		return -errno;
	return 0;
}

static int
rtnl_open_events(struct rtnl *rtnl, enum rtnl_follow follow)
{
	const unsigned host = RTMGRP_LINK | RTMGRP_IPV4_IFADDR |
			      RTMGRP_IPV6_IFADDR | RTMGRP_IPV4_ROUTE |
			      RTMGRP_IPV6_ROUTE;
	const unsigned nexthop = RTMGRP_IPV6_ROUTE | RTMGRP_NEIGH;
	int joined[] = {RTNLGRP_ND_USEROPT, RTNLGRP_IPV6_RULE};
	int size = RTNL_EVENT_RCVBUF, fd;
	unsigned i;

	rtnl->ev =
		mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (rtnl->ev == NULL)
		return -errno;
	fd = mnl_socket_get_fd(rtnl->ev);
	/* socket(7): SO_RCVBUFFORCE goes past rmem_max with CAP_NET_ADMIN */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) <
		    0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)) < 0)
		return -errno;
	if (mnl_socket_bind(rtnl->ev,
			    follow == RTNL_FOLLOW_HOST ? host : nexthop,
			    MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	/* groups past the 32-bit bind mask are joined one by one
	 * (netlink(7)); ND_USEROPT and the rule groups have no RTMGRP_
	 * bit */
	for (i = 0; follow == RTNL_FOLLOW_HOST && i < 2; i++)
		if (mnl_socket_setsockopt(rtnl->ev, NETLINK_ADD_MEMBERSHIP,
					  &joined[i], sizeof(joined[i])) < 0)
			return -errno;
	return rtnl_connect(rtnl->ev);
}

static int
rtnl_open_requests(struct rtnl *rtnl)
{
	int on = 1;

	rtnl->req = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (rtnl->req == NULL)
		return -errno;
	if (mnl_socket_bind(rtnl->req, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	rtnl->portid = mnl_socket_get_portid(rtnl->req);
	/* best effort: the kernel's reason for an error, and short ACKs */
	mnl_socket_setsockopt(rtnl->req, NETLINK_EXT_ACK, &on, sizeof(on));
	mnl_socket_setsockopt(rtnl->req, NETLINK_CAP_ACK, &on, sizeof(on));
	return rtnl_connect(rtnl->req);
}

struct rtnl *
rtnl_open(enum rtnl_follow follow)
{
	struct rtnl *rtnl;
	int r;

	if ((rtnl = calloc(1, sizeof(*rtnl))) == NULL)
		return NULL;
	rtnl->seq = (unsigned)time(NULL);
	if ((r = rtnl_open_requests(rtnl)) < 0)
		goto fail;
	if (follow != RTNL_FOLLOW_NONE &&
	    (r = rtnl_open_events(rtnl, follow)) < 0)
		goto fail;
	return rtnl;
fail:
	rtnl_close(rtnl);
	errno = -r;
	return NULL;
}

void
rtnl_close(struct rtnl *rtnl)
{
	if (rtnl == NULL)
		return;
	if (rtnl->ev != NULL)
		mnl_socket_close(rtnl->ev);
	if (rtnl->req != NULL)
		mnl_socket_close(rtnl->req);
	free(rtnl);
}

int
rtnl_event_fd(const struct rtnl *rtnl)
{
	return rtnl->ev != NULL ? mnl_socket_get_fd(rtnl->ev) : -1;
}

int
rtnl_set_timeout(struct rtnl *rtnl, unsigned ms)
{
	struct timeval tv = {.tv_sec = ms / 1000,
			     .tv_usec = (suseconds_t)(ms % 1000) * 1000};

	/* not mnl_socket_setsockopt: that one is for SOL_NETLINK */
	if (setsockopt(mnl_socket_get_fd(rtnl->req), SOL_SOCKET, SO_RCVTIMEO,
		       &tv, sizeof(tv)) < 0)
		return -errno;
	return 0;
}
