/* SPDX-License-Identifier: BSD-2-Clause */
/* src/common/rtnl.c, src/dp/nexthop.c and src/dp/tun.c. The message
 * parsers run anywhere; the rest runs as root, in a network namespace of
 * its own, against the kernel: a veth pair stands for the uplink. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_ether.h>
#include <linux/neighbour.h>
#include <linux/pkt_sched.h>
#include <linux/if_tun.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/icmp6.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/pref64.h"
#include "common/rtnl.h"
#include "dp/nexthop.h"
#include "dp/tun.h"

#define LINK "xt0"
#define PEER "xt0p"
#define TUN "xtun0"
#define MSG_SIZE 512

static bool in_netns;
static struct rtnl *rtnl;
static unsigned link_ifindex;

/* ---- helpers: requests rtnl.c does not make ---- */

static int
raw_talk(struct nlmsghdr *nlh)
{
	uint8_t buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	ssize_t n;
	int r;

	assert_non_null(nl = mnl_socket_open(NETLINK_ROUTE));
	assert_int_equal(mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID), 0);
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = 1;
	assert_true(mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) >= 0);
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	assert_true(n > 0);
	r = mnl_cb_run(buf, (size_t)n, 1, mnl_socket_get_portid(nl), NULL,
		       NULL);
	r = r < 0 ? -errno : 0;
	mnl_socket_close(nl);
	return r;
}

/* ip link add LINK type veth peer name PEER */
static void
veth_add(void)
{
	uint8_t buf[MSG_SIZE] __attribute__((aligned(4))) = {0};
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlattr *info, *data, *peer;

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, LINK);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, PEER);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	assert_int_equal(raw_talk(nlh), 0);
}

/* A route of someone else's: protocol static. */
/* ip route add|del dst/len [via gw] dev LINK metric metric proto static */
static int
foreign_route(uint16_t type, int family, const char *dst, unsigned len,
	      unsigned metric, const char *gw)
{
	uint8_t buf[MSG_SIZE] __attribute__((aligned(4))) = {0};
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	size_t alen = family == AF_INET ? 4 : 16;
	uint8_t a[16];
	struct rtmsg *rtm;

	assert_int_equal(inet_pton(family, dst, a), 1);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = type == RTM_NEWROUTE ? NLM_F_CREATE | NLM_F_EXCL : 0;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)family;
	rtm->rtm_dst_len = (uint8_t)len;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	/* rtnetlink(7): an IPv4 route without a gateway is of link scope */
	rtm->rtm_scope = family == AF_INET && gw == NULL ? RT_SCOPE_LINK
							 : RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put(nlh, RTA_DST, alen, a);
	mnl_attr_put_u32(nlh, RTA_OIF, link_ifindex);
	mnl_attr_put_u32(nlh, RTA_PRIORITY, metric);
	if (gw != NULL) {
		assert_int_equal(inet_pton(family, gw, a), 1);
		mnl_attr_put(nlh, RTA_GATEWAY, alen, a);
	}
	return raw_talk(nlh);
}

/* ip -6 neigh add|del dst lladdr 02:00:5e:00:53:01 dev LINK nud permanent */
static int
foreign_neigh(uint16_t type, const uint8_t dst[16])
{
	static const uint8_t mac[6] = {0x02, 0x00, 0x5e, 0x00, 0x53, 0x01};
	uint8_t buf[MSG_SIZE] __attribute__((aligned(4))) = {0};
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ndmsg *ndm;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = type == RTM_NEWNEIGH ? NLM_F_CREATE | NLM_F_EXCL : 0;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = AF_INET6;
	ndm->ndm_ifindex = (int)link_ifindex;
	ndm->ndm_state = NUD_PERMANENT;
	mnl_attr_put(nlh, NDA_DST, 16, dst);
	mnl_attr_put(nlh, NDA_LLADDR, sizeof(mac), mac);
	return raw_talk(nlh);
}

/* tc qdisc add|del dev LINK clsact, or tc filter add dev LINK ingress
 * prio P protocol all u32: a classifier without a rule, but there in a
 * dump (matchall and flower may be left out of the kernel). */
static int
tc_talk(uint16_t type, uint32_t parent, uint32_t handle, uint32_t info,
	const char *kind)
{
	uint8_t buf[MSG_SIZE] __attribute__((aligned(4))) = {0};
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct tcmsg *tcm;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = type == RTM_DELQDISC ? 0 : NLM_F_CREATE | NLM_F_EXCL;
	tcm = mnl_nlmsg_put_extra_header(nlh, sizeof(*tcm));
	tcm->tcm_ifindex = (int)link_ifindex;
	tcm->tcm_parent = parent;
	tcm->tcm_handle = handle;
	tcm->tcm_info = info;
	mnl_attr_put_strz(nlh, TCA_KIND, kind);
	return raw_talk(nlh);
}

static void
addr4(const char *s, uint8_t out[4])
{
	assert_int_equal(inet_pton(AF_INET, s, out), 1);
}

static void
addr6(const char *s, uint8_t out[16])
{
	assert_int_equal(inet_pton(AF_INET6, s, out), 1);
}

/* ---- the namespace ---- */

static int
group_setup(void **state)
{
	(void)state;
	if (geteuid() != 0) {
		fprintf(stderr, "test-rtnl: not root: the kernel tests are "
				"skipped (they need a network namespace)\n");
		return 0;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		fprintf(stderr,
			"test-rtnl: unshare(CLONE_NEWNET): %s: the "
			"kernel tests are skipped\n",
			strerror(errno));
		return 0;
	}
	in_netns = true;
	if ((rtnl = rtnl_open(RTNL_FOLLOW_NONE)) == NULL)
		return -1;
	veth_add();
	link_ifindex = if_nametoindex(LINK);
	return link_ifindex == 0 ? -1 : 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	rtnl_close(rtnl);
	return 0;
}

static void
need_netns(void)
{
	if (!in_netns)
		skip();
}

/* ---- links ---- */

struct link_find {
	const char *name;
	struct rtnl_link link;
	unsigned seen;
};

static int
find_link(const struct rtnl_link *l, void *arg)
{
	struct link_find *f = arg;

	f->seen++;
	if (strcmp(l->name, f->name) != 0)
		return 0;
	f->link = *l;
	return 1;
}

static struct rtnl_link
get_link(const char *name)
{
	struct link_find f = {.name = name};

	assert_int_equal(rtnl_dump_links(rtnl, find_link, &f), 0);
	if (f.link.ifindex == 0)
		fail_msg("no link %s", name);
	return f.link;
}

/* Carrier and operstate follow through linkwatch, which the kernel runs
 * later (operstates.rst), up to a second or so when busy. */
static struct rtnl_link
wait_link_up(const char *name)
{
	struct rtnl_link l;
	int i;

	for (i = 0; i < 300; i++) {
		if ((l = get_link(name)).up)
			break;
		usleep(10000);
	}
	return l;
}

static void
test_link(void **state)
{
	struct rtnl_link l;

	(void)state;
	need_netns();
	assert_int_equal(rtnl_link_index(LINK), (int)link_ifindex);
	assert_int_equal(rtnl_link_index("xt-none"), -ENODEV);
	l = get_link(LINK);
	assert_int_equal(l.ifindex, link_ifindex);
	assert_false(l.up);
	assert_true(l.has_lladdr);
	assert_int_equal(l.mtu, 1500);

	/* up, but without carrier until the peer is up */
	assert_int_equal(rtnl_link_set(rtnl, link_ifindex, true, 1400), 0);
	l = get_link(LINK);
	assert_true(l.flags & IFF_UP);
	assert_false(l.up);
	assert_int_equal(l.mtu, 1400);
	assert_int_equal(
		rtnl_link_set(rtnl, (unsigned)rtnl_link_index(PEER), true, 0),
		0);
	l = wait_link_up(LINK);
	assert_true(l.up);
	assert_int_equal(l.mtu, 1400);

	assert_int_equal(rtnl_link_set(rtnl, 999999, true, 0), -ENODEV);
}

/* A nonzero return stops the walk: positive is no error. */
static int
stop_at_first(const struct rtnl_link *l, void *arg)
{
	(void)l;
	(*(unsigned *)arg)++;
	return 1;
}

static int
fail_at_first(const struct rtnl_link *l, void *arg)
{
	(void)l;
	(void)arg;
	return -EIO;
}

static void
test_dump_stop(void **state)
{
	struct link_find f = {.name = "none"};
	unsigned calls = 0;

	(void)state;
	need_netns();
	assert_int_equal(rtnl_dump_links(rtnl, find_link, &f), 0);
	assert_int_equal(f.seen, 3); /* lo and the veth pair */
	assert_int_equal(rtnl_dump_links(rtnl, stop_at_first, &calls), 0);
	assert_int_equal(calls, 1);
	assert_int_equal(rtnl_dump_links(rtnl, fail_at_first, NULL), -EIO);
	/* the socket is still in step */
	assert_int_equal(rtnl_link_index(LINK), (int)get_link(LINK).ifindex);
}

/* ---- addresses ---- */

static int
count_any(const struct rtnl_addr *a, void *arg)
{
	(void)a;
	(*(unsigned *)arg)++;
	return 0;
}

static void
many_addrs(unsigned n, bool add)
{
	uint8_t v4[4] = {10, 1, 0, 0};
	unsigned i;
	int r;

	for (i = 0; i < n; i++) {
		v4[2] = (uint8_t)(i >> 8);
		v4[3] = (uint8_t)i;
		r = add ? rtnl_addr_add(rtnl, link_ifindex, AF_INET, v4, 32,
					false)
			: rtnl_addr_del(rtnl, link_ifindex, AF_INET, v4, 32);
		assert_int_equal(r, 0);
	}
}

/* NLM_F_DUMP_INTR: a dump spread over several datagrams while another
 * process changes addresses. Each dump is whole or -EINTR, and the
 * request socket stays in step (what was left of a dump is drained). */
static void
test_dump_intr(void **state)
{
	const unsigned n = 800;
	struct rtnl *churn;
	unsigned i, seen, whole = 0;
	uint8_t v4[4] = {10, 2, 0, 0};
	pid_t pid;
	int r;

	(void)state;
	need_netns();
	many_addrs(n, true);
	if ((pid = fork()) == 0) {
		/* gone with the test, even when an assertion fails */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if ((churn = rtnl_open(RTNL_FOLLOW_NONE)) == NULL)
			_exit(1);
		for (i = 0;; i++) {
			v4[3] = (uint8_t)i;
			rtnl_addr_add(churn, link_ifindex, AF_INET, v4, 32,
				      false);
			rtnl_addr_del(churn, link_ifindex, AF_INET, v4, 32);
		}
	}
	assert_true(pid > 0);
	for (i = 0; i < 100; i++) {
		seen = 0;
		r = rtnl_dump_addrs(rtnl, AF_INET, count_any, &seen);
		if (r == -EINTR)
			continue;
		assert_int_equal(r, 0);
		assert_true(seen >= n);
		whole++;
		assert_int_equal(rtnl_link_index(LINK), (int)link_ifindex);
		assert_int_equal(rtnl_link_set(rtnl, link_ifindex, true, 0), 0);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	assert_true(whole > 0);
	many_addrs(n, false);
}

struct addr_find {
	int family;
	uint8_t addr[16];
	struct rtnl_addr found;
	unsigned count;
};

static int
find_addr(const struct rtnl_addr *a, void *arg)
{
	struct addr_find *f = arg;
	size_t alen = f->family == AF_INET ? 4 : 16;

	if (a->family != f->family)
		fail_msg("family %d in a dump of %d", a->family, f->family);
	if (memcmp(a->addr, f->addr, alen) == 0) {
		f->found = *a;
		f->count++;
	}
	return 0;
}

static unsigned
count_addr(int family, const uint8_t *addr, struct rtnl_addr *out)
{
	struct addr_find f = {.family = family};

	memcpy(f.addr, addr, family == AF_INET ? 4 : 16);
	assert_int_equal(rtnl_dump_addrs(rtnl, family, find_addr, &f), 0);
	if (out != NULL)
		*out = f.found;
	return f.count;
}

static void
test_addr(void **state)
{
	uint8_t v4[4], v6[16];
	struct rtnl_addr a;

	(void)state;
	need_netns();
	addr4("192.0.0.1", v4);
	addr6("2001:db8:1::1", v6);
	assert_int_equal(
		rtnl_addr_add(rtnl, link_ifindex, AF_INET, v4, 29, false), 0);
	assert_int_equal(
		rtnl_addr_add(rtnl, link_ifindex, AF_INET6, v6, 64, true), 0);
	/* again: updated in place, not doubled */
	assert_int_equal(
		rtnl_addr_add(rtnl, link_ifindex, AF_INET, v4, 29, false), 0);
	assert_int_equal(
		rtnl_addr_add(rtnl, link_ifindex, AF_INET6, v6, 64, true), 0);

	assert_int_equal(count_addr(AF_INET, v4, &a), 1);
	assert_int_equal(a.ifindex, link_ifindex);
	assert_int_equal(a.prefixlen, 29);
	assert_true(a.flags & IFA_F_PERMANENT);
	assert_int_equal(a.valid_lft, 0xffffffffU);
	assert_int_equal(a.preferred_lft, 0xffffffffU);

	assert_int_equal(count_addr(AF_INET6, v6, &a), 1);
	assert_int_equal(a.ifindex, link_ifindex);
	assert_int_equal(a.prefixlen, 64);
	/* IFA_F_NODAD is past the 8 bits of ifa_flags: IFA_FLAGS is read */
	assert_true(a.flags & IFA_F_NODAD);
	assert_false(a.flags & IFA_F_TENTATIVE);
	assert_int_equal(a.valid_lft, 0xffffffffU);

	assert_int_equal(rtnl_addr_del(rtnl, link_ifindex, AF_INET6, v6, 64),
			 0);
	assert_int_equal(count_addr(AF_INET6, v6, NULL), 0);
	assert_true(rtnl_addr_del(rtnl, link_ifindex, AF_INET6, v6, 64) < 0);
	assert_int_equal(
		rtnl_addr_add(rtnl, link_ifindex, AF_INET, v4, 33, false),
		-EINVAL);
	assert_int_equal(
		rtnl_addr_add(rtnl, link_ifindex, AF_UNIX, v4, 8, false),
		-EINVAL);
	/* 192.0.0.1/29 stays for the routes */
}

/* ---- routes ---- */

struct route_find {
	const struct rtnl_route *want;
	struct rtnl_route found;
	unsigned count;
};

static int
find_route(const struct rtnl_route *r, void *arg)
{
	struct route_find *f = arg;
	size_t alen = f->want->family == AF_INET ? 4 : 16;

	if (r->family != f->want->family || r->dst_len != f->want->dst_len ||
	    r->ifindex != f->want->ifindex || r->table != RT_TABLE_MAIN ||
	    memcmp(r->dst, f->want->dst, alen) != 0)
		return 0;
	f->found = *r;
	f->count++;
	return 0;
}

static unsigned
count_route(const struct rtnl_route *want, struct rtnl_route *out)
{
	struct route_find f = {.want = want};

	assert_int_equal(rtnl_dump_routes(rtnl, want->family, find_route, &f),
			 0);
	if (out != NULL)
		*out = f.found;
	return f.count;
}

static void
test_route4(void **state)
{
	struct rtnl_route r =
				  {
					  .family = AF_INET,
					  .dst_len = 0,
					  .has_src = true,
					  .metric = 2048,
					  .mtu = 1260,
					  .advmss = 1220,
				  },
			  got;

	(void)state;
	need_netns();
	r.ifindex = link_ifindex;
	addr4("192.0.0.1", r.src);
	assert_int_equal(rtnl_route_add(rtnl, &r), 0);
	assert_int_equal(count_route(&r, &got), 1);
	assert_int_equal(got.protocol, RTPROT_XLATD);
	assert_int_equal(got.type, RTN_UNICAST);
	assert_int_equal(got.metric, 2048);
	assert_int_equal(got.mtu, 1260);
	assert_int_equal(got.advmss, 1220);
	assert_true(got.has_src);
	assert_memory_equal(got.src, r.src, 4);

	/* adding it again updates it */
	r.mtu = 1240;
	assert_int_equal(rtnl_route_add(rtnl, &r), 0);
	assert_int_equal(count_route(&r, &got), 1);
	assert_int_equal(got.mtu, 1240);
	assert_int_equal(got.advmss, 1220);

	assert_int_equal(rtnl_route_del(rtnl, &r), 0);
	assert_int_equal(count_route(&r, NULL), 0);
	assert_int_equal(rtnl_route_del(rtnl, &r), -ESRCH);
}

static void
test_route6(void **state)
{
	struct rtnl_route r =
				  {
					  .family = AF_INET6,
					  .dst_len = 96,
					  .mtu = 1280,
				  },
			  got;

	(void)state;
	need_netns();
	r.ifindex = link_ifindex;
	addr6("2001:db8:64::", r.dst);
	assert_int_equal(rtnl_route_add(rtnl, &r), 0);
	assert_int_equal(count_route(&r, &got), 1);
	assert_int_equal(got.protocol, RTPROT_XLATD);
	assert_int_equal(got.metric, 1024); /* the kernel's default */
	assert_int_equal(got.mtu, 1280);
	assert_int_equal(got.advmss, 0);
	assert_false(got.has_src);

	/* metric 0 is the same route as 1024: updated, not refused */
	r.advmss = 1220;
	assert_int_equal(rtnl_route_add(rtnl, &r), 0);
	assert_int_equal(count_route(&r, &got), 1);
	assert_int_equal(got.advmss, 1220);

	assert_int_equal(rtnl_route_del(rtnl, &r), 0);
	assert_int_equal(count_route(&r, NULL), 0);
	r.dst_len = 129;
	assert_int_equal(rtnl_route_add(rtnl, &r), -EINVAL);
}

/* Routes of someone else's are neither taken over nor removed. */
static void
test_route_foreign(void **state)
{
	struct rtnl_route r =
				  {
					  .family = AF_INET,
					  .dst_len = 8,
					  .metric = 5,
				  },
			  got;

	(void)state;
	need_netns();
	r.ifindex = link_ifindex;
	addr4("10.0.0.0", r.dst);
	assert_int_equal(
		foreign_route(RTM_NEWROUTE, AF_INET, "10.0.0.0", 8, 5, NULL),
		0);
	assert_int_equal(rtnl_route_add(rtnl, &r), -EEXIST);
	assert_int_equal(rtnl_route_del(rtnl, &r), -ESRCH);
	assert_int_equal(count_route(&r, &got), 1);
	assert_int_equal(got.protocol, RTPROT_STATIC);
	/* another metric is another route */
	r.metric = 6;
	assert_int_equal(rtnl_route_add(rtnl, &r), 0);
	assert_int_equal(count_route(&r, NULL), 2);
	assert_int_equal(rtnl_route_del(rtnl, &r), 0);
	assert_int_equal(
		foreign_route(RTM_DELROUTE, AF_INET, "10.0.0.0", 8, 5, NULL),
		0);
	assert_int_equal(count_route(&r, NULL), 0);
}

/* The kernel's own answer, out of one device, as nexthop.c and dp_bpf.c
 * ask it. */
static void
test_route_get(void **state)
{
	struct rtnl_route got;
	uint8_t dst[16], gw[16];

	(void)state;
	need_netns();
	assert_int_equal(foreign_route(RTM_NEWROUTE, AF_INET6,
				       "2001:db8:64::", 96, 5, "fe80::1"),
			 0);
	addr6("2001:db8:64::c000:201", dst);
	addr6("fe80::1", gw);
	assert_int_equal(
		rtnl_route_get(rtnl, AF_INET6, dst, link_ifindex, &got), 0);
	assert_int_equal(got.family, AF_INET6);
	assert_int_equal(got.dst_len, 128);
	assert_memory_equal(got.dst, dst, 16);
	assert_int_equal(got.ifindex, link_ifindex);
	assert_true(got.has_gateway);
	assert_memory_equal(got.gateway, gw, 16);
	/* and in a dump */
	got.dst_len = 96;
	addr6("2001:db8:64::", got.dst);
	assert_int_equal(count_route(&got, &got), 1);
	assert_true(got.has_gateway);
	assert_memory_equal(got.gateway, gw, 16);
	assert_int_equal(foreign_route(RTM_DELROUTE, AF_INET6,
				       "2001:db8:64::", 96, 5, "fe80::1"),
			 0);

	/* on-link: no gateway (a route of its own: fe80::/64 comes only
	 * with carrier); nowhere to go: the kernel's error */
	assert_int_equal(foreign_route(RTM_NEWROUTE, AF_INET6,
				       "2001:db8:77::", 64, 5, NULL),
			 0);
	addr6("2001:db8:77::2", dst);
	assert_int_equal(
		rtnl_route_get(rtnl, AF_INET6, dst, link_ifindex, &got), 0);
	assert_int_equal(got.ifindex, link_ifindex);
	assert_false(got.has_gateway);
	assert_int_equal(foreign_route(RTM_DELROUTE, AF_INET6,
				       "2001:db8:77::", 64, 5, NULL),
			 0);
	addr6("2001:db8:99::1", dst);
	assert_int_equal(
		rtnl_route_get(rtnl, AF_INET6, dst, link_ifindex, &got),
		-ENETUNREACH);
	assert_int_equal(rtnl_route_get(rtnl, AF_UNSPEC, dst, 0, &got),
			 -EINVAL);
}

static void
test_neigh_get(void **state)
{
	static const uint8_t mac[6] = {0x02, 0x00, 0x5e, 0x00, 0x53, 0x01};
	struct rtnl_neigh n;
	uint8_t dst[16];

	(void)state;
	need_netns();
	addr6("fe80::1", dst);
	assert_int_equal(foreign_neigh(RTM_NEWNEIGH, dst), 0);
	assert_int_equal(rtnl_neigh_get(rtnl, link_ifindex, AF_INET6, dst, &n),
			 0);
	assert_int_equal(n.family, AF_INET6);
	assert_int_equal(n.ifindex, link_ifindex);
	assert_memory_equal(n.dst, dst, 16);
	assert_int_equal(n.state, NUD_PERMANENT);
	assert_true(n.has_lladdr);
	assert_memory_equal(n.lladdr, mac, 6);
	assert_int_equal(foreign_neigh(RTM_DELNEIGH, dst), 0);
	assert_int_equal(rtnl_neigh_get(rtnl, link_ifindex, AF_INET6, dst, &n),
			 -ENOENT);
	assert_int_equal(rtnl_neigh_get(rtnl, link_ifindex, AF_UNSPEC, dst, &n),
			 -EINVAL);
}

/* Read the nexthop's events until none come for 50 ms. */
static void
nexthop_settle(struct nexthop *nh)
{
	struct pollfd p = {.fd = rtnl_event_fd(nh->rtnl), .events = POLLIN};

	while (poll(&p, 1, 50) > 0)
		nexthop_read_events(nh);
}

/* The next hop's MAC for the slow path's super-packets: a miss is looked
 * up afterwards, off the packet path; then the gateway's neighbour entry
 * follows its events, and a route change has it looked up again. */
static void
test_nexthop(void **state)
{
	static const uint8_t mac[6] = {0x02, 0x00, 0x5e, 0x00, 0x53, 0x01};
	struct nexthop nh = {0};
	struct in6_addr dst;
	uint8_t gw[16], got[NEXTHOP_ALEN];

	(void)state;
	need_netns();
	/* all zero, never opened: nothing known, and closing is fine */
	addr6("2001:db8:64::c000:201", dst.s6_addr);
	assert_false(nexthop_mac(&nh, &dst, got));
	nexthop_close(&nh);

	assert_int_equal(nexthop_init(&nh, NULL, link_ifindex), 0);
	assert_int_equal(foreign_route(RTM_NEWROUTE, AF_INET6,
				       "2001:db8:64::", 96, 5, "fe80::1"),
			 0);
	nexthop_settle(&nh);
	/* not known yet; then the gateway is not resolved yet */
	assert_false(nexthop_mac(&nh, &dst, got));
	nexthop_lookup(&nh);
	assert_false(nexthop_mac(&nh, &dst, got));
	addr6("fe80::1", gw);
	assert_int_equal(foreign_neigh(RTM_NEWNEIGH, gw), 0);
	nexthop_settle(&nh);
	assert_true(nexthop_mac(&nh, &dst, got));
	assert_memory_equal(got, mac, 6);
	assert_int_equal(foreign_neigh(RTM_DELNEIGH, gw), 0);
	nexthop_settle(&nh);
	assert_false(nexthop_mac(&nh, &dst, got));
	assert_int_equal(foreign_neigh(RTM_NEWNEIGH, gw), 0);
	nexthop_settle(&nh);
	assert_true(nexthop_mac(&nh, &dst, got));

	/* the route goes: looked up again, and it no longer leaves here */
	assert_int_equal(foreign_route(RTM_DELROUTE, AF_INET6,
				       "2001:db8:64::", 96, 5, "fe80::1"),
			 0);
	nexthop_settle(&nh);
	assert_false(nexthop_mac(&nh, &dst, got));
	nexthop_lookup(&nh);
	assert_false(nexthop_mac(&nh, &dst, got));
	nexthop_close(&nh);

	/* a route out of another device is no next hop of this one's */
	assert_int_equal(foreign_route(RTM_NEWROUTE, AF_INET6,
				       "2001:db8:64::", 96, 5, "fe80::1"),
			 0);
	assert_int_equal(
		nexthop_init(&nh, NULL, (unsigned)rtnl_link_index(PEER)), 0);
	assert_false(nexthop_mac(&nh, &dst, got));
	nexthop_lookup(&nh);
	assert_false(nexthop_mac(&nh, &dst, got));
	assert_int_equal(foreign_neigh(RTM_DELNEIGH, gw), 0);
	assert_int_equal(foreign_route(RTM_DELROUTE, AF_INET6,
				       "2001:db8:64::", 96, 5, "fe80::1"),
			 0);
	nexthop_close(&nh);
}

static void
test_link_get(void **state)
{
	struct rtnl_link l;

	(void)state;
	need_netns();
	assert_int_equal(rtnl_link_get(rtnl, link_ifindex, &l), 0);
	assert_string_equal(l.name, LINK);
	assert_int_equal(l.ifindex, link_ifindex);
	assert_int_equal(l.type, ARPHRD_ETHER);
	assert_true(l.has_lladdr);
	assert_int_equal(rtnl_link_get(rtnl, 1, &l), 0);
	assert_int_equal(l.type, ARPHRD_LOOPBACK);
	assert_int_equal(rtnl_link_get(rtnl, 999999, &l), -ENODEV);
}

static void
test_tc_filter_count(void **state)
{
	const uint32_t in = TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS);
	const uint32_t out = TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS);

	(void)state;
	need_netns();
	/* no qdisc, an empty one, then filters on one hook */
	assert_int_equal(rtnl_tc_filter_count(rtnl, link_ifindex, in), 0);
	assert_int_equal(tc_talk(RTM_NEWQDISC, TC_H_CLSACT,
				 TC_H_MAKE(TC_H_CLSACT, 0), 0, "clsact"),
			 0);
	assert_int_equal(rtnl_tc_filter_count(rtnl, link_ifindex, in), 0);
	assert_int_equal(tc_talk(RTM_NEWTFILTER, in, 0,
				 TC_H_MAKE(1u << 16, htons(ETH_P_ALL)), "u32"),
			 0);
	assert_int_equal(tc_talk(RTM_NEWTFILTER, in, 0,
				 TC_H_MAKE(2u << 16, htons(ETH_P_ALL)), "u32"),
			 0);
	assert_true(rtnl_tc_filter_count(rtnl, link_ifindex, in) >= 2);
	assert_int_equal(rtnl_tc_filter_count(rtnl, link_ifindex, out), 0);
	assert_int_equal(tc_talk(RTM_DELQDISC, TC_H_CLSACT,
				 TC_H_MAKE(TC_H_CLSACT, 0), 0, "clsact"),
			 0);
	assert_int_equal(rtnl_tc_filter_count(rtnl, link_ifindex, in), 0);
}

/* A request that gives up: set and unset, requests go on as before. */
static void
test_timeout(void **state)
{
	struct rtnl_link l;

	(void)state;
	need_netns();
	assert_int_equal(rtnl_set_timeout(rtnl, 100), 0);
	assert_int_equal(rtnl_link_get(rtnl, link_ifindex, &l), 0);
	assert_int_equal(rtnl_set_timeout(rtnl, 0), 0);
	assert_int_equal(rtnl_link_get(rtnl, link_ifindex, &l), 0);
}

/* ---- events ---- */

#define EV_MAX 256

struct ev_log {
	struct rtnl_event ev[EV_MAX];
	unsigned n, overruns;
};

static void
ev_collect(const struct rtnl_event *ev, void *arg)
{
	struct ev_log *log = arg;

	if (ev->type == RTNL_EV_OVERRUN)
		log->overruns++;
	else if (log->n < EV_MAX)
		log->ev[log->n++] = *ev;
}

static bool
ev_has_addr(const struct ev_log *log, enum rtnl_event_type type,
	    const uint8_t v4[4])
{
	unsigned i;

	for (i = 0; i < log->n; i++)
		if (log->ev[i].type == type &&
		    log->ev[i].addr.family == AF_INET &&
		    log->ev[i].addr.ifindex == link_ifindex &&
		    memcmp(log->ev[i].addr.addr, v4, 4) == 0)
			return true;
	return false;
}

static bool
ev_has_link_mtu(const struct ev_log *log, unsigned mtu)
{
	unsigned i;

	for (i = 0; i < log->n; i++)
		if (log->ev[i].type == RTNL_EV_LINK_NEW &&
		    log->ev[i].link.ifindex == link_ifindex &&
		    log->ev[i].link.mtu == mtu)
			return true;
	return false;
}

/* Read events for up to a second, until pred says enough. */
static void
ev_wait(struct rtnl *ev, struct ev_log *log,
	bool (*pred)(const struct ev_log *, const void *), const void *arg)
{
	struct pollfd pfd = {.fd = rtnl_event_fd(ev), .events = POLLIN};
	int i;

	for (i = 0; i < 20 && !pred(log, arg); i++) {
		if (poll(&pfd, 1, 50) > 0)
			assert_int_equal(rtnl_read_events(ev, ev_collect, log),
					 0);
	}
}

static bool
pred_addr_new(const struct ev_log *log, const void *arg)
{
	return ev_has_addr(log, RTNL_EV_ADDR_NEW, arg);
}

static bool
pred_addr_del(const struct ev_log *log, const void *arg)
{
	return ev_has_addr(log, RTNL_EV_ADDR_DEL, arg);
}

static bool
pred_mtu(const struct ev_log *log, const void *arg)
{
	return ev_has_link_mtu(log, *(const unsigned *)arg);
}

static bool
pred_overrun(const struct ev_log *log, const void *arg)
{
	(void)arg;
	return log->overruns > 0;
}

static void
test_events(void **state)
{
	static struct ev_log log;
	const unsigned mtu = 1300;
	struct rtnl *ev;
	uint8_t v4[4];
	int fd;

	(void)state;
	need_netns();
	assert_non_null(ev = rtnl_open(RTNL_FOLLOW_HOST));
	fd = rtnl_event_fd(ev);
	assert_true(fd >= 0);
	assert_true(fcntl(fd, F_GETFL) & O_NONBLOCK);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	/* nothing pending: not an error */
	assert_int_equal(rtnl_read_events(ev, ev_collect, &log), 0);

	addr4("192.0.0.2", v4);
	assert_int_equal(
		rtnl_addr_add(rtnl, link_ifindex, AF_INET, v4, 32, false), 0);
	ev_wait(ev, &log, pred_addr_new, v4);
	assert_true(ev_has_addr(&log, RTNL_EV_ADDR_NEW, v4));

	assert_int_equal(rtnl_addr_del(rtnl, link_ifindex, AF_INET, v4, 32), 0);
	ev_wait(ev, &log, pred_addr_del, v4);
	assert_true(ev_has_addr(&log, RTNL_EV_ADDR_DEL, v4));

	assert_int_equal(rtnl_link_set(rtnl, link_ifindex, true, mtu), 0);
	ev_wait(ev, &log, pred_mtu, &mtu);
	assert_true(ev_has_link_mtu(&log, mtu));
	assert_int_equal(log.overruns, 0);
	rtnl_close(ev);
	assert_int_equal(rtnl_event_fd(rtnl), -1);
}

/* Another process may not unicast to xlatd's sockets: a forged
 * RTM_NEWNDUSEROPT could plant a NAT64 prefix. */
static void
test_events_spoof(void **state)
{
	uint8_t buf[MSG_SIZE] __attribute__((aligned(4))) = {0};
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct sockaddr_nl to = {.nl_family = AF_NETLINK};
	socklen_t len = sizeof(to);
	struct rtnl *ev;
	int s;

	(void)state;
	need_netns();
	assert_non_null(ev = rtnl_open(RTNL_FOLLOW_HOST));
	assert_int_equal(
		getsockname(rtnl_event_fd(ev), (struct sockaddr *)&to, &len),
		0);
	nlh->nlmsg_type = RTM_NEWNDUSEROPT;
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct nduseroptmsg));
	assert_true((s = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)) >= 0);
	assert_int_equal(sendto(s, nlh, nlh->nlmsg_len, 0,
				(struct sockaddr *)&to, sizeof(to)),
			 -1);
	assert_int_equal(errno, ECONNREFUSED);
	close(s);
	rtnl_close(ev);
}

/* ENOBUFS: events were lost, and the daemon is told to dump again. */
static void
test_events_overrun(void **state)
{
	static struct ev_log log;
	uint8_t v4[4];
	struct rtnl *ev;
	int tiny = 1, i;

	(void)state;
	need_netns();
	assert_non_null(ev = rtnl_open(RTNL_FOLLOW_HOST));
	assert_int_equal(setsockopt(rtnl_event_fd(ev), SOL_SOCKET, SO_RCVBUF,
				    &tiny, sizeof(tiny)),
			 0);
	addr4("192.0.0.0", v4);
	for (i = 0; i < 32; i++) {
		v4[3] = (uint8_t)(64 + i);
		assert_int_equal(rtnl_addr_add(rtnl, link_ifindex, AF_INET, v4,
					       32, false),
				 0);
	}
	ev_wait(ev, &log, pred_overrun, NULL);
	assert_true(log.overruns > 0);
	for (i = 0; i < 32; i++) {
		v4[3] = (uint8_t)(64 + i);
		assert_int_equal(
			rtnl_addr_del(rtnl, link_ifindex, AF_INET, v4, 32), 0);
	}
	rtnl_close(ev);
}

/* ---- parsing hand-made messages (no root needed) ---- */

struct one_event {
	struct rtnl_event ev;
	uint8_t opts[64];
	unsigned calls;
};

static void
one_event(const struct rtnl_event *ev, void *arg)
{
	struct one_event *o = arg;

	o->ev = *ev;
	o->calls++;
	if (ev->type == RTNL_EV_ND_USEROPT &&
	    ev->useropt.opts_len <= sizeof(o->opts))
		memcpy(o->opts, ev->useropt.opts, ev->useropt.opts_len);
}

/* RTM_NEWNDUSEROPT as net/ipv6/ndisc.c sends it: nduseroptmsg, one
 * option, NDUSEROPT_SRCADDR. srcaddr_len 0 leaves the attribute out. */
static struct nlmsghdr *
useropt_msg(void *buf, uint8_t family, uint8_t icmp_type, unsigned opts_len,
	    size_t srcaddr_len)
{
	/* PREF64 2001:db8:64::/96, 600 s (RFC 8781 §4) */
	static const uint8_t pref64[16] = {ND_OPT_PREF64, 2,	0x02, 0x58,
					   0x20,	  0x01, 0x0d, 0xb8,
					   0x00,	  0x64};
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nduseroptmsg *nd;
	uint8_t router[16];

	nlh->nlmsg_type = RTM_NEWNDUSEROPT;
	nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd) + sizeof(pref64));
	nd->nduseropt_family = family;
	nd->nduseropt_opts_len = (unsigned short)opts_len;
	nd->nduseropt_ifindex = 7;
	nd->nduseropt_icmp_type = icmp_type;
	memcpy(nd + 1, pref64, sizeof(pref64));
	addr6("fe80::1", router);
	if (srcaddr_len > 0)
		mnl_attr_put(nlh, NDUSEROPT_SRCADDR, srcaddr_len, router);
	return nlh;
}

static void
test_parse_useropt(void **state)
{
	uint8_t buf[MSG_SIZE] __attribute__((aligned(4))) = {0};
	struct one_event o = {.calls = 0};
	struct nlmsghdr *nlh;
	uint8_t router[16];
	struct pref64 p;

	(void)state;
	addr6("fe80::1", router);
	nlh = useropt_msg(buf, AF_INET6, ND_ROUTER_ADVERT, 16, 16);
	assert_int_equal(rtnl_parse_message(nlh, one_event, &o), 1);
	assert_int_equal(o.calls, 1);
	assert_int_equal(o.ev.type, RTNL_EV_ND_USEROPT);
	assert_int_equal(o.ev.useropt.ifindex, 7);
	assert_memory_equal(o.ev.useropt.router, router, 16);
	assert_int_equal(o.ev.useropt.opts_len, 16);
	assert_true(pref64_parse(o.opts, o.ev.useropt.opts_len, &p));
	assert_int_equal(p.prefix.len, 96);
	assert_int_equal(p.lifetime, 600);
	assert_int_equal(p.prefix.addr.s6_addr[5], 0x64);

	/* of no interest: not IPv6, not from a router advertisement */
	o.calls = 0;
	nlh = useropt_msg(buf, AF_INET, ND_ROUTER_ADVERT, 16, 16);
	assert_int_equal(rtnl_parse_message(nlh, one_event, &o), 0);
	nlh = useropt_msg(buf, AF_INET6, ND_REDIRECT, 16, 16);
	assert_int_equal(rtnl_parse_message(nlh, one_event, &o), 0);
	/* malformed: options past the end, no router, a short router */
	nlh = useropt_msg(buf, AF_INET6, ND_ROUTER_ADVERT, 200, 16);
	assert_int_equal(rtnl_parse_message(nlh, one_event, &o), -EBADMSG);
	nlh = useropt_msg(buf, AF_INET6, ND_ROUTER_ADVERT, 16, 0);
	assert_int_equal(rtnl_parse_message(nlh, one_event, &o), -EBADMSG);
	nlh = useropt_msg(buf, AF_INET6, ND_ROUTER_ADVERT, 16, 4);
	assert_int_equal(rtnl_parse_message(nlh, one_event, &o), -EBADMSG);
	/* shorter than its own header */
	nlh = useropt_msg(buf, AF_INET6, ND_ROUTER_ADVERT, 16, 16);
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 8;
	assert_int_equal(rtnl_parse_message(nlh, one_event, &o), -EBADMSG);
	assert_int_equal(o.calls, 0);
}

static void
test_parse_addr(void **state)
{
	uint8_t buf[MSG_SIZE] __attribute__((aligned(4))) = {0};
	struct one_event o = {.calls = 0};
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	struct ifa_cacheinfo ci = {.ifa_prefered = 100, .ifa_valid = 200};
	uint8_t v4[4] = {192, 0, 0, 1}, v4v6[16] = {0};

	(void)state;
	/* an address with lifetimes */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWADDR;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 29;
	ifa->ifa_index = 3;
	mnl_attr_put(nlh, IFA_LOCAL, 4, v4);
	mnl_attr_put(nlh, IFA_CACHEINFO, sizeof(ci), &ci);
	assert_int_equal(rtnl_parse_message(nlh, one_event, &o), 1);
	assert_int_equal(o.ev.type, RTNL_EV_ADDR_NEW);
	assert_int_equal(o.ev.addr.valid_lft, 200);
	assert_int_equal(o.ev.addr.preferred_lft, 100);
	assert_memory_equal(o.ev.addr.addr, v4, 4);
	ifa->ifa_prefixlen = 33;
	assert_int_equal(rtnl_parse_message(nlh, one_event, &o), -EBADMSG);
	/* an IPv6-sized address in an IPv4 message; no address at all */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_DELADDR;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	assert_int_equal(rtnl_parse_message(nlh, one_event, &o), -EBADMSG);
	mnl_attr_put(nlh, IFA_ADDRESS, 16, v4v6);
	assert_int_equal(rtnl_parse_message(nlh, one_event, &o), -EBADMSG);
	ifa->ifa_family = AF_INET6;
	assert_int_equal(rtnl_parse_message(nlh, one_event, &o), 1);
	assert_int_equal(o.ev.type, RTNL_EV_ADDR_DEL);
	assert_int_equal(o.ev.addr.valid_lft, 0xffffffffU);
}

static void
test_parse_link(void **state)
{
	uint8_t buf[MSG_SIZE] __attribute__((aligned(4))) = {0};
	struct one_event o = {.calls = 0};
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	(void)state;
	/* a link whose MTU is 16 bits; an AF_BRIDGE port */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 3;
	mnl_attr_put_u16(nlh, IFLA_MTU, 1500);
	assert_int_equal(rtnl_parse_message(nlh, one_event, &o), -EBADMSG);
	ifi->ifi_family = AF_BRIDGE;
	assert_int_equal(rtnl_parse_message(nlh, one_event, &o), 0);
	/* a name without its NUL, a name too long */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 3;
	mnl_attr_put(nlh, IFLA_IFNAME, 3, "xt0");
	assert_int_equal(rtnl_parse_message(nlh, one_event, &o), -EBADMSG);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 3;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "a-name-much-too-long");
	assert_int_equal(rtnl_parse_message(nlh, one_event, &o), -EBADMSG);
	assert_int_equal(o.calls, 0);
}

static void
test_parse_route(void **state)
{
	uint8_t buf[MSG_SIZE] __attribute__((aligned(4))) = {0};
	struct one_event o = {.calls = 0};
	uint8_t v4[4] = {192, 0, 0, 1};
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;

	(void)state;
	/* a route: a metric nest with a short MTU; a multicast route */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWROUTE;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 8;
	mnl_attr_put(nlh, RTA_DST, 4, v4);
	assert_int_equal(rtnl_parse_message(nlh, one_event, &o), 1);
	assert_int_equal(o.ev.route.dst_len, 8);
	assert_false(o.ev.route.has_gateway);
	mnl_attr_put(nlh, RTA_GATEWAY, 4, v4);
	assert_int_equal(rtnl_parse_message(nlh, one_event, &o), 1);
	assert_true(o.ev.route.has_gateway);
	assert_memory_equal(o.ev.route.gateway, v4, 4);
	/* a PMTU exception is no route of the table's */
	rtm->rtm_flags = RTM_F_CLONED;
	assert_int_equal(rtnl_parse_message(nlh, one_event, &o), 0);
	rtm->rtm_flags = 0;
	{
		struct nlattr *m = mnl_attr_nest_start(nlh, RTA_METRICS);

		mnl_attr_put_u8(nlh, RTAX_MTU, 1);
		mnl_attr_nest_end(nlh, m);
	}
	assert_int_equal(rtnl_parse_message(nlh, one_event, &o), -EBADMSG);
	rtm->rtm_family = RTNL_FAMILY_IPMR;
	assert_int_equal(rtnl_parse_message(nlh, one_event, &o), 0);
	/* RTA_DST missing for a prefix */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWROUTE;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET6;
	rtm->rtm_dst_len = 64;
	assert_int_equal(rtnl_parse_message(nlh, one_event, &o), -EBADMSG);
	/* an IPv4-sized gateway in an IPv6 route */
	rtm->rtm_dst_len = 0;
	mnl_attr_put(nlh, RTA_GATEWAY, 4, v4);
	assert_int_equal(rtnl_parse_message(nlh, one_event, &o), -EBADMSG);

	/* a message type rtnl does not follow */
	nlh->nlmsg_type = RTM_NEWQDISC;
	assert_int_equal(rtnl_parse_message(nlh, one_event, &o), 0);
}

/* Neighbour events, for the slow path's next hop. */
static void
test_parse_neigh(void **state)
{
	static const uint8_t mac[6] = {0x02, 0x00, 0x5e, 0x00, 0x53, 0x01};
	uint8_t buf[MSG_SIZE] __attribute__((aligned(4))) = {0};
	struct one_event o = {.calls = 0};
	struct nlmsghdr *nlh;
	struct ndmsg *ndm;
	uint8_t gw[16];

	(void)state;
	addr6("fe80::1", gw);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWNEIGH;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = AF_INET6;
	ndm->ndm_ifindex = 7;
	ndm->ndm_state = NUD_REACHABLE;
	/* no NDA_DST */
	assert_int_equal(rtnl_parse_message(nlh, one_event, &o), -EBADMSG);
	mnl_attr_put(nlh, NDA_DST, 16, gw);
	mnl_attr_put(nlh, NDA_LLADDR, 6, mac);
	assert_int_equal(rtnl_parse_message(nlh, one_event, &o), 1);
	assert_int_equal(o.ev.type, RTNL_EV_NEIGH_NEW);
	assert_int_equal(o.ev.neigh.ifindex, 7);
	assert_int_equal(o.ev.neigh.state, NUD_REACHABLE);
	assert_memory_equal(o.ev.neigh.dst, gw, 16);
	assert_true(o.ev.neigh.has_lladdr);
	assert_memory_equal(o.ev.neigh.lladdr, mac, 6);
	nlh->nlmsg_type = RTM_DELNEIGH;
	assert_int_equal(rtnl_parse_message(nlh, one_event, &o), 1);
	assert_int_equal(o.ev.type, RTNL_EV_NEIGH_DEL);
	/* an IPv4-sized destination in an IPv6 entry */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWNEIGH;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = AF_INET6;
	mnl_attr_put(nlh, NDA_DST, 4, gw);
	assert_int_equal(rtnl_parse_message(nlh, one_event, &o), -EBADMSG);
}

/* ---- TUN ---- */

static bool
link_gone(const char *name)
{
	int i;

	/* the device is unregistered as the fd closes; allow a moment */
	for (i = 0; i < 100; i++) {
		if (rtnl_link_index(name) == -ENODEV)
			return true;
		usleep(10000);
	}
	return false;
}

static void
test_tun(void **state)
{
	char path[128], v = 0;
	unsigned ifindex = 0;
	int fd, sysctl;

	(void)state;
	need_netns();
	fd = tun_open(TUN, &ifindex);
	assert_true(fd >= 0);
	assert_int_equal(rtnl_link_index(TUN), (int)ifindex);
	assert_true(fcntl(fd, F_GETFL) & O_NONBLOCK);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6",
		 TUN);
	assert_true((sysctl = open(path, O_RDONLY)) >= 0);
	assert_int_equal(read(sysctl, &v, 1), 1);
	assert_int_equal(v, '1');
	close(sysctl);
	/* the link can be brought up and carries the MTU */
	assert_int_equal(rtnl_link_set(rtnl, ifindex, true, 1260), 0);
	assert_int_equal(get_link(TUN).mtu, 1260);
	close(fd);
	assert_true(link_gone(TUN));

	assert_int_equal(tun_open("a-name-much-too-long", &ifindex),
			 -ENAMETOOLONG);
}

/* A persistent device of the same name is taken over, and made to go
 * away with xlatd's fd like one of its own. */
static void
test_tun_persistent(void **state)
{
	struct ifreq ifr = {.ifr_flags = IFF_TUN | IFF_NO_PI};
	unsigned ifindex = 0;
	int fd;

	(void)state;
	need_netns();
	assert_true((fd = open("/dev/net/tun", O_RDWR)) >= 0);
	strcpy(ifr.ifr_name, TUN);
	assert_int_equal(ioctl(fd, TUNSETIFF, &ifr), 0);
	assert_int_equal(ioctl(fd, TUNSETPERSIST, 1), 0);
	close(fd);
	assert_true(rtnl_link_index(TUN) > 0);

	fd = tun_open(TUN, &ifindex);
	assert_true(fd >= 0);
	assert_int_equal(rtnl_link_index(TUN), (int)ifindex);
	close(fd);
	assert_true(link_gone(TUN));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_useropt),
		cmocka_unit_test(test_parse_addr),
		cmocka_unit_test(test_parse_link),
		cmocka_unit_test(test_parse_route),
		cmocka_unit_test(test_parse_neigh),
		cmocka_unit_test(test_link),
		cmocka_unit_test(test_dump_stop),
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_route4),
		cmocka_unit_test(test_route6),
		cmocka_unit_test(test_route_foreign),
		cmocka_unit_test(test_route_get),
		cmocka_unit_test(test_neigh_get),
		cmocka_unit_test(test_nexthop),
		cmocka_unit_test(test_link_get),
		cmocka_unit_test(test_tc_filter_count),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_events_spoof),
		cmocka_unit_test(test_events_overrun),
		cmocka_unit_test(test_tun),
		cmocka_unit_test(test_tun_persistent),
		cmocka_unit_test(test_dump_intr),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
