/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * src/daemon/dad.c: RFC 4862 §5.4 DAD on a veth pair between two network
 * namespaces of this process's own (root only): ours holds dadA, the
 * peer's dadB, which has 2001:db8:d::10. Both namespaces, the veth pair
 * pairs vanish with the process.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/ip6.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/dad.h"
#include "netns.h"

#define PEER_ADDR "2001:db8:d::10"
#define RETRANS_MS 200
#define TRANSMITS 2

static int own_ns = -1, peer_ns = -1;

struct run {
	unsigned calls;
	enum dad_result result;
	unsigned *pending;
	sd_event *event;
	uint64_t ms; /* from start to verdict */
	uint64_t t0;
};

static struct in6_addr
addr6(const char *s)
{
	struct in6_addr a;

	assert_int_equal(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

static void
sysctl(const char *path, unsigned v)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fprintf(f, "%u\n", v);
	assert_int_equal(fclose(f), 0);
}

static bool
running(const char *ifname)
{
	struct ifreq ifr;
	int fd = socket(AF_INET6, SOCK_DGRAM, 0);
	bool r;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	r = ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 && (ifr.ifr_flags & IFF_RUNNING);
	close(fd);
	return r;
}

/* IFF_RUNNING comes with linkwatch, which also turns the qdisc on. */
static void
wait_running(int ns, const char *ifname)
{
	int i;

	netns_enter(ns);
	for (i = 0; i < 300 && !running(ifname); i++)
		usleep(10000);
	if (!running(ifname))
		fail_msg("%s never came up", ifname);
	netns_enter(own_ns);
}

static void
on_done(enum dad_result result, void *arg)
{
	struct run *r = arg;

	r->calls++;
	r->result = result;
	r->ms = netns_now_ms() - r->t0;
	if (--*r->pending == 0)
		sd_event_exit(r->event, 0);
}

static int
on_too_long(sd_event_source *s, uint64_t usec, void *arg)
{
	(void)s;
	(void)usec;
	(void)arg;
	fail_msg("no verdict in 5 s");
	return 0;
}

/* Start DAD for addr on ifname in namespace ns, optimistic or not. */
static struct dad *
start_mode(sd_event *e, int ns, const char *ifname, const char *addr,
	   bool optimistic, struct run *r, unsigned *pending)
{
	struct in6_addr a = addr6(addr);
	struct dad *d;

	memset(r, 0, sizeof(*r));
	r->event = e;
	r->pending = pending;
	r->t0 = netns_now_ms();
	netns_enter(ns);
	d = (optimistic ? dad_start_optimistic
			: dad_start)(e, if_nametoindex(ifname), &a, on_done, r);
	netns_enter(own_ns);
	assert_non_null(d);
	(*pending)++;
	return d;
}

static struct dad *
start(sd_event *e, int ns, const char *ifname, const char *addr, struct run *r,
      unsigned *pending)
{
	return start_mode(e, ns, ifname, addr, false, r, pending);
}

static void
loop(sd_event *e)
{
	sd_event_source *guard;

	assert_int_equal(sd_event_add_time_relative(e, &guard, CLOCK_MONOTONIC,
						    5000000, 0, on_too_long,
						    NULL),
			 0);
	assert_int_equal(sd_event_loop(e), 0);
	sd_event_source_disable_unref(guard);
}

static void
need_root(void)
{
	if (own_ns < 0) {
		print_message("skipping: needs root (CAP_SYS_ADMIN, "
			      "CAP_NET_RAW) for network namespaces\n");
		skip();
	}
}

static uint16_t
sum16(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	while (sum > 0xffff)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* One NS as RFC 4862 §5.4.2 and RFC 4861 §4.3 want it; its nonce out. */
static void
check_ns(const uint8_t *f, size_t len, const struct in6_addr *target,
	 uint8_t nonce[6])
{
	static const uint8_t mac[6] = {0x33, 0x33, 0xff, 0x00, 0x00, 0x20};
	struct in6_addr group = addr6("ff02::1:ff00:20");
	const uint8_t *ip = f + 14, *icmp = ip + 40;
	uint8_t zero[16] = {0};
	uint32_t sum;

	assert_int_equal(len, 14 + 40 + 24 + 8);
	assert_memory_equal(f, mac, 6); /* RFC 2464 §7 */
	assert_int_equal(f[12] << 8 | f[13], ETH_P_IPV6);
	assert_int_equal(ip[0] >> 4, 6);
	assert_int_equal(ip[4] << 8 | ip[5], 32); /* payload length */
	assert_int_equal(ip[6], IPPROTO_ICMPV6);
	assert_int_equal(ip[7], 255);		  /* hop limit */
	assert_memory_equal(ip + 8, zero, 16);	  /* from :: */
	assert_memory_equal(ip + 24, &group, 16); /* solicited-node */
	assert_int_equal(icmp[0], ND_NEIGHBOR_SOLICIT);
	assert_int_equal(icmp[1], 0);
	assert_memory_equal(icmp + 8, target, 16);
	assert_int_equal(icmp[24], 14); /* Nonce, RFC 7527; no SLLAO */
	assert_int_equal(icmp[25], 1);
	memcpy(nonce, icmp + 26, 6);
	/* RFC 4443 §2.3 over the pseudo-header */
	sum = sum16(0, ip + 8, 32);
	sum += 32 + IPPROTO_ICMPV6;
	assert_int_equal(sum16(sum, icmp, 32), 0xffff);
}

/* A free address: TRANSMITS probes RETRANS_MS apart, then OK one
 * RetransTimer after the last; the probes as seen by the peer. */
static void
test_free_address(void **state)
{
	struct in6_addr target = addr6("2001:db8:d::20");
	uint8_t f[1514], nonce[6], first[6];
	unsigned pending = 0, seen = 0;
	struct run r;
	struct dad *d;
	sd_event *e;
	ssize_t n;
	int cap;

	(void)state;
	need_root();
	cap = netns_capture6(peer_ns, "dadB", own_ns);
	assert_int_equal(sd_event_new(&e), 0);
	d = start(e, own_ns, "dadA", "2001:db8:d::20", &r, &pending);
	loop(e);
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.result, DAD_OK);
	print_message("DAD_OK after %llu ms\n", (unsigned long long)r.ms);
	assert_true(r.ms >= TRANSMITS * RETRANS_MS - 5);
	assert_true(r.ms < TRANSMITS * RETRANS_MS + 300);
	dad_free(d);

	while ((n = recv(cap, f, sizeof(f), 0)) > 0) {
		if (n < 14 + 40 + 24 || f[14 + 6] != IPPROTO_ICMPV6 ||
		    f[14 + 40] != ND_NEIGHBOR_SOLICIT ||
		    memcmp(f + 14 + 40 + 8, &target, 16) != 0)
			continue;
		check_ns(f, (size_t)n, &target, nonce);
		if (seen++ == 0)
			memcpy(first, nonce, 6);
		else
			assert_memory_equal(first, nonce, 6);
	}
	assert_int_equal(seen, TRANSMITS);
	close(cap);
	sd_event_unref(e);
}

/* RFC 7527 §4.2: the peer sends our own first probe back (a looped-back
 * link): ignored for its nonce. With another nonce, it is someone else's
 * probe: a duplicate. */
struct echo {
	struct in6_addr target;
	bool alter, done;
};

static int
on_capture(sd_event_source *s, int fd, uint32_t revents, void *arg)
{
	struct echo *e = arg;
	uint8_t f[1514], *ip = f + 14, *icmp = ip + 40;
	uint32_t sum;
	ssize_t n;

	(void)s;
	(void)revents;
	if ((n = recv(fd, f, sizeof(f), 0)) < 14 + 40 + 24 + 8 || e->done ||
	    ip[6] != IPPROTO_ICMPV6 || icmp[0] != ND_NEIGHBOR_SOLICIT ||
	    memcmp(icmp + 8, &e->target, 16) != 0)
		return 0;
	if (e->alter) {
		icmp[26] ^= 0x5a; /* the nonce */
		icmp[2] = icmp[3] = 0;
		sum = sum16(0, ip + 8, 32) + 32 + IPPROTO_ICMPV6;
		sum = (uint16_t)~sum16(sum, icmp, 32);
		icmp[2] = (uint8_t)(sum >> 8);
		icmp[3] = (uint8_t)sum;
	}
	assert_int_equal(send(fd, f, (size_t)n, 0), n);
	e->done = true;
	return 0;
}

static void
looped_back(bool alter, enum dad_result want)
{
	struct echo echo = {.target = addr6("2001:db8:d::50"), .alter = alter};
	sd_event_source *src;
	unsigned pending = 0;
	struct run r;
	struct dad *d;
	sd_event *e;
	int cap;

	cap = netns_capture6(peer_ns, "dadB", own_ns);
	assert_int_equal(sd_event_new(&e), 0);
	assert_int_equal(
		sd_event_add_io(e, &src, cap, EPOLLIN, on_capture, &echo), 0);
	d = start(e, own_ns, "dadA", "2001:db8:d::50", &r, &pending);
	loop(e);
	assert_true(echo.done);
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.result, want);
	dad_free(d);
	sd_event_source_disable_unref(src);
	close(cap);
	sd_event_unref(e);
}

static void
test_looped_back(void **state)
{
	(void)state;
	need_root();
	looped_back(false, DAD_OK);
	looped_back(true, DAD_DUPLICATE);
}

/* The peer has the address: it answers with an NA (RFC 4861 §7.2.4, to
 * all-nodes), and that is a duplicate at once. */
static void
test_duplicate(void **state)
{
	unsigned pending = 0;
	struct run r;
	struct dad *d;
	sd_event *e;

	(void)state;
	need_root();
	assert_int_equal(sd_event_new(&e), 0);
	d = start(e, own_ns, "dadA", PEER_ADDR, &r, &pending);
	loop(e);
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.result, DAD_DUPLICATE);
	print_message("DAD_DUPLICATE after %llu ms\n",
		      (unsigned long long)r.ms);
	assert_true(r.ms < RETRANS_MS);
	dad_free(d);
	sd_event_unref(e);
}

/* RFC 4862 §5.4.3: another node probing for the same address (NS from
 * ::, with a nonce not ours) makes it a duplicate. The peer starts
 * after us, so it hears nothing of ours: OK there. */
static void
test_competing(void **state)
{
	unsigned pending = 0;
	struct run a, b;
	struct dad *da, *db;
	sd_event *e;

	(void)state;
	need_root();
	assert_int_equal(sd_event_new(&e), 0);
	da = start(e, own_ns, "dadA", "2001:db8:d::30", &a, &pending);
	db = start(e, peer_ns, "dadB", "2001:db8:d::30", &b, &pending);
	loop(e);
	assert_int_equal(a.calls, 1);
	assert_int_equal(a.result, DAD_DUPLICATE);
	assert_int_equal(b.calls, 1);
	assert_int_equal(b.result, DAD_OK);
	dad_free(da);
	dad_free(db);
	sd_event_unref(e);
}

/* No Neighbor Discovery on IFF_NOARP links (veth with arp off): OK from
 * the event loop, without probes. */
static void
test_noarp(void **state)
{
	unsigned pending = 0;
	struct run r;
	struct dad *d;
	sd_event *e;

	(void)state;
	need_root();
	assert_int_equal(sd_event_new(&e), 0);
	d = start(e, own_ns, "dadN", "2001:db8:e::1", &r, &pending);
	assert_int_equal(r.calls, 0);
	loop(e);
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.result, DAD_OK);
	assert_true(r.ms < 100);
	dad_free(d);
	sd_event_unref(e);
}

/* Stopped before the verdict: no callback, nothing left behind. */
static void
test_stop_early(void **state)
{
	unsigned pending = 0;
	struct run r;
	struct dad *d;
	sd_event *e;

	(void)state;
	need_root();
	assert_int_equal(sd_event_new(&e), 0);
	d = start(e, own_ns, "dadA", PEER_ADDR, &r, &pending);
	dad_free(d);
	assert_int_equal(sd_event_run(e, 300000), 0);
	assert_int_equal(r.calls, 0);
	sd_event_unref(e);
}

static void
hwaddr(int ns, const char *ifname, uint8_t mac[6])
{
	struct ifreq ifr;
	int fd;

	netns_enter(ns);
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	assert_int_equal(ioctl(fd, SIOCGIFHWADDR, &ifr), 0);
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(fd);
	netns_enter(own_ns);
}

/* The NAs for target that the peer saw, each checked against RFC 4429
 * §3.3 (from the address, Solicited, never Override, our TLLAO). */
static unsigned
optimistic_nas(int cap, const struct in6_addr *target, const uint8_t mac[6])
{
	uint8_t f[1514], *ip = f + 14, *icmp = ip + 40;
	unsigned seen = 0;
	ssize_t n;

	while ((n = recv(cap, f, sizeof(f), 0)) > 0) {
		if (n < 14 + 40 + 24 || ip[6] != IPPROTO_ICMPV6 ||
		    icmp[0] != ND_NEIGHBOR_ADVERT ||
		    memcmp(icmp + 8, target, 16) != 0)
			continue;
		assert_int_equal(n, 14 + 40 + 32);
		assert_memory_equal(f + 6, mac, 6);
		assert_memory_equal(ip + 8, target, 16);
		assert_int_equal(ip[7], 255);
		assert_int_equal(icmp[4], 0x40); /* S; not R, not O */
		assert_int_equal(icmp[24], ND_OPT_TARGET_LINKADDR);
		assert_memory_equal(icmp + 26, mac, 6);
		seen++;
	}
	return seen;
}

/* RFC 4429 §3.3: while optimistic, address resolution for the address
 * is answered, with Override clear, so that traffic can flow at once:
 * the peer's neighbour entry for it gets our link-layer address. The
 * verdict comes at the usual time. */
static void
test_optimistic_answers(void **state)
{
	const char *target_s = "2001:db8:d::60";
	struct in6_addr target = addr6(target_s);
	char cmd[256];
	uint8_t mac[6];
	unsigned pending = 0;
	struct run r;
	struct dad *d;
	sd_event *e;
	pid_t ping;
	int cap;

	(void)state;
	need_root();
	hwaddr(own_ns, "dadA", mac);
	cap = netns_capture6(peer_ns, "dadB", own_ns);
	assert_int_equal(sd_event_new(&e), 0);
	d = start_mode(e, own_ns, "dadA", target_s, true, &r, &pending);
	/* the peer resolves the address: a ping from its namespace */
	if ((ping = fork()) == 0) {
		if (setns(peer_ns, CLONE_NEWNET) < 0)
			_exit(127);
		execlp("ping", "ping", "-6", "-c", "1", "-W", "1", target_s,
		       (char *)NULL);
		_exit(127);
	}
	assert_true(ping > 0);
	loop(e);
	waitpid(ping, NULL, 0);
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.result, DAD_OK);
	assert_true(r.ms >= TRANSMITS * RETRANS_MS - 5);
	assert_true(optimistic_nas(cap, &target, mac) >= 1);
	netns_enter(peer_ns);
	snprintf(cmd, sizeof(cmd),
		 "ip -6 neigh show %s dev dadB | "
		 "grep -q 'lladdr %02x:%02x:%02x:%02x:%02x:%02x'",
		 target_s, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	netns_sh("%s", cmd);
	netns_enter(own_ns);
	dad_free(d);
	close(cap);
	sd_event_unref(e);
}

/* RFC 4429 §3.3: another node's DAD probe for the optimistic address is
 * not answered (the peer keeps the address), and it is a duplicate for
 * us. */
static void
test_optimistic_competing(void **state)
{
	struct in6_addr target = addr6("2001:db8:d::70");
	unsigned pending = 0;
	struct run a, b;
	struct dad *da, *db;
	uint8_t mac[6];
	sd_event *e;
	int cap;

	(void)state;
	need_root();
	hwaddr(own_ns, "dadA", mac);
	cap = netns_capture6(peer_ns, "dadB", own_ns);
	assert_int_equal(sd_event_new(&e), 0);
	da = start_mode(e, own_ns, "dadA", "2001:db8:d::70", true, &a,
			&pending);
	db = start(e, peer_ns, "dadB", "2001:db8:d::70", &b, &pending);
	loop(e);
	assert_int_equal(a.result, DAD_DUPLICATE);
	assert_int_equal(b.result, DAD_OK);
	assert_int_equal(optimistic_nas(cap, &target, mac), 0);
	dad_free(da);
	dad_free(db);
	close(cap);
	sd_event_unref(e);
}

static void
test_no_such_interface(void **state)
{
	struct in6_addr a = addr6("2001:db8:d::40");
	sd_event *e;

	(void)state;
	assert_int_equal(sd_event_new(&e), 0);
	errno = 0;
	assert_null(dad_start(e, 0x7ffffff0, &a, on_done, NULL));
	assert_int_not_equal(errno, 0);
	sd_event_unref(e);
}

static int
setup(void **state)
{
	(void)state;
	if (netns_pair(&own_ns, &peer_ns) < 0) {
		own_ns = -1; /* the tests that need it skip */
		return 0;
	}
	netns_sh("ip link add dadA type veth peer name dadB");
	netns_sh("ip link set dadB netns /proc/%d/fd/%d", getpid(), peer_ns);
	netns_sh("ip link add dadN type veth peer name dadM");
	netns_sh("ip link set dadN arp off"); /* IFF_NOARP */
	/* what dad_start() reads: the interface's own values */
	sysctl("/proc/sys/net/ipv6/conf/dadA/dad_transmits", TRANSMITS);
	sysctl("/proc/sys/net/ipv6/neigh/dadA/retrans_time_ms", RETRANS_MS);
	netns_sh(
		"ip link set dadA up && ip link set dadN up && ip link set dadM up");
	netns_enter(peer_ns);
	sysctl("/proc/sys/net/ipv6/conf/dadB/dad_transmits", 1);
	sysctl("/proc/sys/net/ipv6/neigh/dadB/retrans_time_ms", RETRANS_MS);
	netns_sh("ip link set dadB up");
	netns_sh("ip -6 addr add %s/64 dev dadB nodad", PEER_ADDR);
	netns_enter(own_ns);
	wait_running(own_ns, "dadA");
	wait_running(peer_ns, "dadB");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	if (peer_ns >= 0)
		close(peer_ns);
	if (own_ns >= 0)
		close(own_ns);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_such_interface),
		cmocka_unit_test(test_free_address),
		cmocka_unit_test(test_duplicate),
		cmocka_unit_test(test_looped_back),
		cmocka_unit_test(test_competing),
		cmocka_unit_test(test_optimistic_answers),
		cmocka_unit_test(test_optimistic_competing),
		cmocka_unit_test(test_noarp),
		cmocka_unit_test(test_stop_early),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
