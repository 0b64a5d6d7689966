/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz target: rtnetlink messages as the kernel sends them
 * (src/common/rtnl.c). The input is what one read of a netlink socket
 * returns: it goes through rtnl_parse_events(), as the event socket's
 * reads do, with the ND options of every router advertisement through
 * pref64_parse(); then each message through every parser of replies to
 * requests and dumps. What comes out must be consistent: names
 * terminated, lengths within their family, options inside the input.
 */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "check-prefix.h"
#include "common/rtnl.h"
#include "fuzz.h"

#define BUF_MAX 65536

static uint8_t buf[BUF_MAX] __attribute__((aligned(8)));
static size_t buf_len;

static unsigned
family_bits(int family)
{
	return family == AF_INET ? 32 : family == AF_INET6 ? 128 : 0;
}

static void
check_link(const struct rtnl_link *l)
{
	if (memchr(l->name, '\0', sizeof(l->name)) == NULL || l->ifindex == 0)
		abort();
}

static void
check_route(const struct rtnl_route *r)
{
	if (family_bits(r->family) == 0 || r->dst_len > family_bits(r->family))
		abort();
}

static void
on_event(const struct rtnl_event *ev, void *arg)
{
	struct pref64 p;

	(void)arg;
	switch (ev->type) {
	case RTNL_EV_LINK_NEW:
	case RTNL_EV_LINK_DEL:
		check_link(&ev->link);
		break;
	case RTNL_EV_ADDR_NEW:
	case RTNL_EV_ADDR_DEL:
		if (family_bits(ev->addr.family) == 0 ||
		    ev->addr.prefixlen > family_bits(ev->addr.family))
			abort();
		break;
	case RTNL_EV_ROUTE_NEW:
	case RTNL_EV_ROUTE_DEL:
		check_route(&ev->route);
		break;
	case RTNL_EV_ND_USEROPT:
		/* the options lie in what was read */
		if (ev->useropt.ifindex == 0 || ev->useropt.opts < buf ||
		    ev->useropt.opts + ev->useropt.opts_len > buf + buf_len)
			abort();
		if (pref64_parse(ev->useropt.opts, ev->useropt.opts_len, &p))
			check_pref64(&p);
		break;
	case RTNL_EV_NEIGH_NEW:
	case RTNL_EV_NEIGH_DEL:
		if (family_bits(ev->neigh.family) == 0)
			abort();
		break;
	case RTNL_EV_OVERRUN:
		abort(); /* only a socket error says that */
	}
}

/* Every parser of replies on one message. */
static void
parse_replies(const struct nlmsghdr *nlh)
{
	union {
		struct rtnl_link link;
		struct rtnl_addr addr;
		struct rtnl_route route;
		struct rtnl_rule rule;
		struct rtnl_neigh neigh;
		struct tcmsg tc;
	} obj;
	unsigned k;
	int r;

	for (k = 0; k < RTNL_REPLY_MAX; k++) {
		r = rtnl_parse_reply((enum rtnl_reply)k, nlh, &obj);
		if (r != 1 && r != 0 && r != -EBADMSG)
			abort();
		if (r != 1)
			continue;
		if (k == RTNL_REPLY_LINK)
			check_link(&obj.link);
		else if (k == RTNL_REPLY_ROUTE || k == RTNL_REPLY_ROUTE_TABLE)
			check_route(&obj.route);
		else if (k == RTNL_REPLY_RULE && obj.rule.src_len > 32)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct nlmsghdr *nlh;
	size_t off = 0;

	buf_len = size < BUF_MAX ? size : BUF_MAX;
	memcpy(buf, data, buf_len);
	rtnl_parse_events(buf, buf_len, on_event, NULL);
	/* each whole message, as a reply would bring it */
	while (buf_len - off >= sizeof(*nlh)) {
		nlh = (const struct nlmsghdr *)(buf + off);
		if (nlh->nlmsg_len < sizeof(*nlh) ||
		    nlh->nlmsg_len > buf_len - off)
			break;
		parse_replies(nlh);
		off += NLMSG_ALIGN((size_t)nlh->nlmsg_len);
		if (off > buf_len)
			break;
	}
	return 0;
}
