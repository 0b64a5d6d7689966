/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * src/dp/dp_bpf.c end to end, in two network namespaces of its own: the
 * "host" runs xlatd's side (a veth uplink, the CLAT TUN, the program),
 * the "peer" stands for the router. Packets for the CLAT address must
 * come out of the TUN fd, byte for byte, without the host stack seeing
 * them (docs/kernel.md: it answered with port unreachable); nothing may
 * stay attached after dp_bpf_close or after a crash. Needs root and
 * iproute2; skipped otherwise. Documentation addresses only (RFC 3849).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/if_tun.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "common/log.h"
#include "dp/dp_bpf.h"
#include "fault.h"
#include "pkt-build.h"
#include "shell.h"

#define VETH_HOST "xbv0"
#define VETH_PEER "xbv1"
#define TUN_CLAT "xbclat0"
#define TUN_UPLINK "xbup0" /* a raw-IP uplink: no Ethernet header */
#define VETH_LAN "xblan0"  /* router mode's LAN */
#define VETH_LAN_PEER "xblan1"
#define HOST6 "2001:db8:1::1"
#define PEER6 "2001:db8:1::2"
#define CLAT6 "2001:db8:1::c"
#define CLAT6_B "2001:db8:1::d"
#define SPORT 40000
#define DPORT 9 /* discard: nothing listens in the host */

/* include/uapi/linux/bpf.h since 6.6 (see src/dp/dp_bpf.c) */
#define TCX_INGRESS ((enum bpf_attach_type)46)

static struct {
	char host[32], peer[32]; /* namespace names */
	int orig_ns, host_ns, peer_ns;
	unsigned veth; /* VETH_HOST's ifindex in the host */
	int tun_fd;
	unsigned tun; /* TUN_CLAT's ifindex */
	bool up;      /* namespaces exist */
	/* what a failed test leaves behind, for teardown */
	struct dp_bpf *open[4];
	int fds[8];
	pid_t child;
} env = {.orig_ns = -1, .host_ns = -1, .peer_ns = -1, .tun_fd = -1};

static struct pkt want; /* 64 KiB: not on the stack */

/* Whether the output of a command contains needle. */
static bool
sh_says(const char *cmd, const char *needle)
{
	static char buf[16384];

	return strstr(sh_out(cmd, buf, sizeof(buf)), needle) != NULL;
}

static struct in6_addr
addr6(const char *s)
{
	struct in6_addr a;

	pkt_addr6(s, a.s6_addr);
	return a;
}

static struct sockaddr_in6
sin6(const char *s, uint16_t port)
{
	struct sockaddr_in6 sa = {
		.sin6_family = AF_INET6,
		.sin6_port = htons(port),
		.sin6_addr = addr6(s),
	};

	return sa;
}

/* A TUN device in the current namespace, up, with IPv6 off so the
 * kernel sends nothing of its own into it. */
static int
tun_create(const char *name, unsigned *ifindex, bool v6)
{
	struct ifreq ifr = {.ifr_flags = IFF_TUN | IFF_NO_PI};
	char path[128];
	int fd, f;

	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	assert_true(fd >= 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	assert_int_equal(ioctl(fd, TUNSETIFF, &ifr), 0);
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6",
		 name);
	assert_true((f = open(path, O_WRONLY | O_CLOEXEC)) >= 0);
	assert_int_equal(write(f, v6 ? "0" : "1", 1), 1);
	close(f);
	assert_int_equal(sh("ip -n %s link set %s up", env.host, name), 0);
	assert_true((*ifindex = if_nametoindex(name)) != 0);
	return fd;
}

/* The next packet from a TUN fd within timeout_ms; -1 if none came. */
static ssize_t
tun_read(int fd, uint8_t *buf, size_t size, int timeout_ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	if (poll(&p, 1, timeout_ms) <= 0)
		return -1;
	return read(fd, buf, size);
}

/* A counter of the host namespace's /proc/net/snmp6. */
static uint64_t
snmp6(const char *name)
{
	char key[64];
	unsigned long long v;
	FILE *f;

	assert_non_null(f = fopen("/proc/net/snmp6", "r"));
	while (fscanf(f, "%63s %llu", key, &v) == 2) {
		if (strcmp(key, name) == 0) {
			fclose(f);
			return v;
		}
	}
	fclose(f);
	fail_msg("no %s in /proc/net/snmp6", name);
	return 0;
}

static bool
snmp6_reaches(const char *name, uint64_t v, int timeout_ms)
{
	for (; timeout_ms > 0; timeout_ms -= 10) {
		if (snmp6(name) >= v)
			return true;
		usleep(10000);
	}
	return false;
}

/* Remember fd for teardown; returns it. */
static int
keep_fd(int fd)
{
	size_t i;

	for (i = 0; i < sizeof(env.fds) / sizeof(env.fds[0]); i++) {
		if (env.fds[i] < 0) {
			env.fds[i] = fd;
			return fd;
		}
	}
	fail_msg("too many fds kept");
	return -1;
}

static void
drop_fd(int fd)
{
	size_t i;

	for (i = 0; i < sizeof(env.fds) / sizeof(env.fds[0]); i++)
		if (env.fds[i] == fd)
			env.fds[i] = -1;
	close(fd);
}

/* The host joins addr as anycast on the uplink, as the daemon does, so
 * that it answers neighbour solicitations for it. */
static int
anycast_join(const char *addr)
{
	struct ipv6_mreq mr = {.ipv6mr_multiaddr = addr6(addr),
			       .ipv6mr_interface = env.veth};
	int fd;

	assert_true((fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0)) >= 0);
	keep_fd(fd);
	assert_int_equal(setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_ANYCAST, &mr,
				    sizeof(mr)),
			 0);
	return fd;
}

static int
peer_socket(int type, int proto, int hops)
{
	struct sockaddr_in6 src = sin6(PEER6, type == SOCK_DGRAM ? SPORT : 0);
	int fd, off = 0;

	enter(env.peer_ns);
	fd = socket(AF_INET6, type | SOCK_CLOEXEC, proto);
	enter(env.host_ns);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&src, sizeof(src)), 0);
	assert_int_equal(setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops,
				    sizeof(hops)),
			 0);
	/* flow label 0, as pkt_ipv6 builds it */
	assert_int_equal(setsockopt(fd, IPPROTO_IPV6, IPV6_AUTOFLOWLABEL, &off,
				    sizeof(off)),
			 0);
	return fd;
}

/* The peer sends one UDP datagram, [PEER6]:SPORT -> [dst]:DPORT. */
static void
peer_send_udp(const char *dst, const char *data)
{
	struct sockaddr_in6 to = sin6(dst, DPORT);
	int fd = peer_socket(SOCK_DGRAM, 0, 64);

	assert_int_equal(sendto(fd, data, strlen(data), 0,
				(struct sockaddr *)&to, sizeof(to)),
			 (ssize_t)strlen(data));
	close(fd);
}

/* The TUN fd must yield exactly the packet in want. */
static void
expect_want(int tun_fd)
{
	uint8_t got[2048];
	ssize_t n;

	/* the first packet waits for neighbour discovery; an anycast
	 * answer is delayed by up to proxy_delay (0.8 s) */
	if ((n = tun_read(tun_fd, got, sizeof(got), 5000)) < 0)
		fail_msg("nothing came out of the TUN");
	assert_int_equal(n, want.len);
	assert_memory_equal(got, want.b, want.len);
}

/* want: a UDP datagram [PEER6]:SPORT -> [dst]:DPORT. pkt_finish leaves
 * the UDP Length (RFC 768) as pkt_udp wrote it, 0. */
static void
want_udp(const char *dst, const void *data, size_t len)
{
	pkt_ipv6(&want, PEER6, dst);
	pkt_udp(&want, SPORT, DPORT);
	pkt_data(&want, data, len);
	pkt_put16(want.b + want.l4 + 4, (uint16_t)(want.len - want.l4));
	pkt_finish(&want);
}

/* The TUN fd must yield exactly the datagram peer_send_udp sent. */
static void
expect_udp(int tun_fd, const char *dst, const char *data)
{
	want_udp(dst, data, strlen(data));
	expect_want(tun_fd);
}

static void
expect_silence(int tun_fd)
{
	uint8_t got[2048];

	assert_int_equal(tun_read(tun_fd, got, sizeof(got), 200), -1);
}

/* The peer sends a unicast neighbour solicitation for target to target
 * itself (a NUD probe, RFC 4861 §7.3.3): whether an advertisement for it
 * came back. */
static bool
peer_nud_probe(const char *target)
{
	struct nd_neighbor_solicit ns = {.nd_ns_type = ND_NEIGHBOR_SOLICIT};
	struct sockaddr_in6 to = sin6(target, 0);
	struct nd_neighbor_advert *na;
	struct icmp6_filter filt;
	uint8_t buf[1500];
	int fd, tries;
	ssize_t n;

	fd = peer_socket(SOCK_RAW, IPPROTO_ICMPV6, 255);
	ICMP6_FILTER_SETBLOCKALL(&filt);
	ICMP6_FILTER_SETPASS(ND_NEIGHBOR_ADVERT, &filt);
	assert_int_equal(setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filt,
				    sizeof(filt)),
			 0);
	ns.nd_ns_target = to.sin6_addr;
	assert_int_equal(sendto(fd, &ns, sizeof(ns), 0, (struct sockaddr *)&to,
				sizeof(to)),
			 sizeof(ns));
	for (tries = 0; tries < 10; tries++) {
		n = tun_read(fd, buf, sizeof(buf), 3000);
		na = (struct nd_neighbor_advert *)buf;
		if (n >= (ssize_t)sizeof(*na) &&
		    memcmp(&na->nd_na_target, &to.sin6_addr, 16) == 0)
			break;
		if (n < 0)
			tries = 10;
	}
	close(fd);
	return tries < 10;
}

static unsigned
tcx_count(unsigned ifindex)
{
	DECLARE_LIBBPF_OPTS(bpf_prog_query_opts, q);

	assert_int_equal(bpf_prog_query_opts(ifindex, TCX_INGRESS, &q), 0);
	return q.prog_cnt;
}

/* The name of the one program at ifindex's tcx ingress, in *name. */
static void
tcx_name(unsigned ifindex, char name[BPF_OBJ_NAME_LEN])
{
	DECLARE_LIBBPF_OPTS(bpf_prog_query_opts, q);
	struct bpf_prog_info info = {0};
	__u32 id = 0, len = sizeof(info);
	int fd;

	q.prog_ids = &id;
	q.prog_cnt = 1;
	assert_int_equal(bpf_prog_query_opts(ifindex, TCX_INGRESS, &q), 0);
	assert_int_equal(q.prog_cnt, 1);
	assert_true((fd = bpf_prog_get_fd_by_id(id)) >= 0);
	assert_int_equal(bpf_obj_get_info_by_fd(fd, &info, &len), 0);
	close(fd);
	memcpy(name, info.name, BPF_OBJ_NAME_LEN);
}

/* The prog id of the ingress filter at handle/prio, 0 if none. */
static __u32
tc_filter(unsigned ifindex, __u32 handle, __u32 prio)
{
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
			    .attach_point = BPF_TC_INGRESS);
	DECLARE_LIBBPF_OPTS(bpf_tc_opts, o, .handle = handle, .priority = prio);

	return bpf_tc_query(&hook, &o) == 0 ? o.prog_id : 0;
}

static bool
has_clsact(const char *dev)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "tc -n %s qdisc show dev %s", env.host, dev);
	return sh_says(cmd, "clsact");
}

/* bpftool 7.1 lists clsact filters but knows nothing of tcx. */
static bool
bpftool_shows_ours(const char *dev)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "bpftool net show dev %s", dev);
	return sh_says(cmd, DP_BPF_PROG_NAME);
}

/* A program "r0 = -1 (TC_ACT_UNSPEC); exit" called name. */
static int
named_prog(const char *name)
{
	const struct bpf_insn insns[] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .imm = -1},
		{.code = BPF_JMP | BPF_EXIT},
	};
	int fd;

	fd = bpf_prog_load(BPF_PROG_TYPE_SCHED_CLS, name, "BSD", insns, 2,
			   NULL);
	assert_true(fd >= 0);
	return keep_fd(fd);
}

/* A program of someone else's. */
static int
foreign_prog(void)
{
	return named_prog("foreign");
}

static void
foreign_attach(int prog_fd, __u32 handle, __u32 prio)
{
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = env.veth,
			    .attach_point = BPF_TC_INGRESS);
	DECLARE_LIBBPF_OPTS(bpf_tc_opts, o, .prog_fd = prog_fd,
			    .handle = handle, .priority = prio);

	assert_int_equal(bpf_tc_attach(&hook, &o), 0);
}

static struct dp_bpf *
open_clat(unsigned uplink, unsigned flags, const char *clat)
{
	struct in6_addr a = addr6(clat);
	struct dp_bpf *b;
	size_t i;

	assert_non_null(b = dp_bpf_open_flags(uplink, env.tun, flags));
	for (i = 0; env.open[i] != NULL; i++)
		assert_true(i + 1 < sizeof(env.open) / sizeof(env.open[0]));
	env.open[i] = b;
	assert_int_equal(dp_bpf_set_clat(b, &a), 0);
	return b;
}

static void
close_clat(struct dp_bpf *b)
{
	size_t i;

	for (i = 0; i < sizeof(env.open) / sizeof(env.open[0]); i++)
		if (env.open[i] == b)
			env.open[i] = NULL;
	dp_bpf_close(b);
}

/* One datagram to the CLAT address: out of the TUN, and the host stack
 * neither counted it nor answered it. */
static void
assert_taken(const char *clat, const char *data)
{
	uint64_t noports = snmp6("Udp6NoPorts");
	uint64_t unreach = snmp6("Icmp6OutDestUnreachs");

	peer_send_udp(clat, data);
	expect_udp(env.tun_fd, clat, data);
	usleep(100000);
	assert_int_equal(snmp6("Udp6NoPorts"), noports);
	assert_int_equal(snmp6("Icmp6OutDestUnreachs"), unreach);
}

static void
test_tcx(void **state)
{
	uint64_t noports, unreach, red, pas;
	struct dp_bpf *b;
	int ac;

	(void)state;
	if (!dp_bpf_have_tcx())
		skip();
	ac = anycast_join(CLAT6);
	/* control: without the program the host stack eats the packet */
	noports = snmp6("Udp6NoPorts");
	unreach = snmp6("Icmp6OutDestUnreachs");
	peer_send_udp(CLAT6, "control");
	assert_true(snmp6_reaches("Udp6NoPorts", noports + 1, 3000));
	assert_true(snmp6_reaches("Icmp6OutDestUnreachs", unreach + 1, 1000));

	b = open_clat(env.veth, 0, CLAT6);
	assert_string_equal(dp_bpf_mode(b), "tcx");
	assert_int_equal(tcx_count(env.veth), 1);
	assert_taken(CLAT6, "to the clat over tcx");
	assert_int_equal(dp_bpf_read_counters(b, &red, &pas), 0);
	assert_int_equal(red, 1);

	/* NUD for the CLAT address is the host's to answer, not the TUN's */
	assert_true(peer_nud_probe(CLAT6));
	expect_silence(env.tun_fd);
	assert_int_equal(dp_bpf_read_counters(b, &red, &pas), 0);
	assert_int_equal(red, 1);
	assert_true(pas >= 1);

	close_clat(b);
	assert_int_equal(tcx_count(env.veth), 0);
	assert_false(bpftool_shows_ours(VETH_HOST));
	assert_false(has_clsact(VETH_HOST));
	drop_fd(ac);
}

/* A tcx link lives in the fd table: killing its owner detaches it. */
static void
test_tcx_crash(void **state)
{
	int c2p[2], p2c[2], st, i;
	char c = 0;

	(void)state;
	if (!dp_bpf_have_tcx())
		skip();
	assert_int_equal(tcx_count(env.veth), 0);
	assert_int_equal(pipe2(c2p, O_CLOEXEC), 0);
	assert_int_equal(pipe2(p2c, O_CLOEXEC), 0);
	if ((env.child = fork()) == 0) {
		close(c2p[0]);
		close(p2c[1]);
		c = dp_bpf_open(env.veth, env.tun) != NULL;
		(void)!write(c2p[1], &c, 1);
		(void)!read(p2c[0], &c, 1);
		raise(SIGKILL);
		_exit(1);
	}
	assert_true(env.child > 0);
	close(c2p[1]);
	close(p2c[0]);
	keep_fd(c2p[0]);
	keep_fd(p2c[1]);
	assert_int_equal(read(c2p[0], &c, 1), 1);
	assert_int_equal(c, 1);
	assert_int_equal(tcx_count(env.veth), 1);
	assert_int_equal(write(p2c[1], &c, 1), 1);
	assert_int_equal(waitpid(env.child, &st, 0), env.child);
	env.child = 0;
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	for (i = 0; i < 100 && tcx_count(env.veth) != 0; i++)
		usleep(10000);
	assert_int_equal(tcx_count(env.veth), 0);
	drop_fd(c2p[0]);
	drop_fd(p2c[1]);
}

static void
test_clsact(void **state)
{
	struct dp_bpf *b;
	int ac;

	(void)state;
	assert_false(has_clsact(VETH_HOST));
	ac = anycast_join(CLAT6);
	b = open_clat(env.veth, DP_BPF_F_CLSACT, CLAT6);
	assert_string_equal(dp_bpf_mode(b), "clsact");
	assert_int_equal(tcx_count(env.veth), 0);
	assert_true(tc_filter(env.veth, DP_BPF_TC_HANDLE, DP_BPF_TC_PRIO) != 0);
	assert_true(bpftool_shows_ours(VETH_HOST));
	assert_taken(CLAT6, "to the clat over clsact");
	close_clat(b);
	/* the filter is gone, and so is the qdisc it created */
	assert_int_equal(tc_filter(env.veth, DP_BPF_TC_HANDLE, DP_BPF_TC_PRIO),
			 0);
	assert_false(bpftool_shows_ours(VETH_HOST));
	assert_false(has_clsact(VETH_HOST));
	drop_fd(ac);
}

/* A clsact qdisc that xlatd did not create, or that holds filters of
 * others by the time xlatd closes, stays. */
static void
test_clsact_not_ours(void **state)
{
	struct dp_bpf *b;
	int prog;

	(void)state;
	assert_int_equal(
		sh("tc -n %s qdisc add dev %s clsact", env.host, VETH_HOST), 0);
	b = open_clat(env.veth, DP_BPF_F_CLSACT, CLAT6);
	close_clat(b);
	assert_true(has_clsact(VETH_HOST));
	assert_int_equal(
		sh("tc -n %s qdisc del dev %s clsact", env.host, VETH_HOST), 0);

	b = open_clat(env.veth, DP_BPF_F_CLSACT, CLAT6);
	prog = foreign_prog();
	foreign_attach(prog, 1, 1);
	close_clat(b);
	assert_true(has_clsact(VETH_HOST));
	assert_true(tc_filter(env.veth, 1, 1) != 0);
	assert_int_equal(tc_filter(env.veth, DP_BPF_TC_HANDLE, DP_BPF_TC_PRIO),
			 0);
	assert_int_equal(
		sh("tc -n %s qdisc del dev %s clsact", env.host, VETH_HOST), 0);
	drop_fd(prog);
}

/* A run that crashed on clsact leaves its filter: the next run removes
 * exactly that one. */
static void
test_cleanup_stale(void **state)
{
	__u32 stale;
	int prog, st;

	(void)state;
	prog = foreign_prog();
	assert_int_equal(dp_bpf_cleanup_stale(env.veth), 0); /* no qdisc */
	/* the "crash": _exit, without dp_bpf_close */
	if ((env.child = fork()) == 0)
		_exit(dp_bpf_open_flags(env.veth, env.tun, DP_BPF_F_CLSACT) ==
		      NULL);
	assert_int_equal(waitpid(env.child, &st, 0), env.child);
	env.child = 0;
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	stale = tc_filter(env.veth, DP_BPF_TC_HANDLE, DP_BPF_TC_PRIO);
	assert_true(stale != 0);
	foreign_attach(prog, 1, 1);

	assert_int_equal(dp_bpf_cleanup_stale(env.veth), 1);
	assert_int_equal(tc_filter(env.veth, DP_BPF_TC_HANDLE, DP_BPF_TC_PRIO),
			 0);
	assert_true(tc_filter(env.veth, 1, 1) != 0);
	assert_int_equal(dp_bpf_cleanup_stale(env.veth), 0);

	/* someone else's program at xlatd's handle and priority stays */
	foreign_attach(prog, DP_BPF_TC_HANDLE, DP_BPF_TC_PRIO);
	assert_int_equal(dp_bpf_cleanup_stale(env.veth), 0);
	assert_true(tc_filter(env.veth, DP_BPF_TC_HANDLE, DP_BPF_TC_PRIO) != 0);
	assert_true(tc_filter(env.veth, 1, 1) != 0);

	assert_int_equal(
		sh("tc -n %s qdisc del dev %s clsact", env.host, VETH_HOST), 0);
	drop_fd(prog);
}

/* What the tcx program passes still reaches the clsact filters behind
 * it: a second instance on clsact takes its own CLAT address. */
static void
test_chain(void **state)
{
	uint64_t red_a, pas_a, red_b, pas_b;
	struct dp_bpf *a, *b;
	int ac_a, ac_b;

	(void)state;
	if (!dp_bpf_have_tcx())
		skip();
	ac_a = anycast_join(CLAT6);
	ac_b = anycast_join(CLAT6_B);
	a = open_clat(env.veth, 0, CLAT6);
	b = open_clat(env.veth, DP_BPF_F_CLSACT, CLAT6_B);
	assert_string_equal(dp_bpf_mode(a), "tcx");
	assert_taken(CLAT6_B, "past tcx to clsact");
	assert_taken(CLAT6, "taken at tcx");
	assert_int_equal(dp_bpf_read_counters(a, &red_a, &pas_a), 0);
	assert_int_equal(dp_bpf_read_counters(b, &red_b, &pas_b), 0);
	assert_int_equal(red_a, 1);
	assert_int_equal(red_b, 1);
	assert_true(pas_a >= 1);
	close_clat(b);
	close_clat(a);
	assert_int_equal(tcx_count(env.veth), 0);
	assert_false(has_clsact(VETH_HOST));
	drop_fd(ac_a);
	drop_fd(ac_b);
}

/* A raw-IP uplink (ARPHRD_NONE): IPv6 starts at the first byte. Written
 * into the uplink's own TUN fd, a packet arrives at its tc ingress. */
static void
test_raw_ip_uplink(void **state)
{
	const char data[] = "over a raw-IP uplink";
	uint64_t red, pas;
	struct dp_bpf *b;
	unsigned up;
	int up_fd;

	(void)state;
	up_fd = keep_fd(tun_create(TUN_UPLINK, &up, true));
	b = open_clat(up, 0, CLAT6);
	want_udp(CLAT6, data, strlen(data));
	assert_int_equal(write(up_fd, want.b, want.len), want.len);
	expect_want(env.tun_fd);

	/* cut inside the IPv6 header: passed (the stack drops it) */
	assert_int_equal(write(up_fd, want.b, 39), 39);
	expect_silence(env.tun_fd);
	want_udp(HOST6, data, strlen(data));
	assert_int_equal(write(up_fd, want.b, want.len), want.len);
	expect_silence(env.tun_fd);

	assert_int_equal(dp_bpf_read_counters(b, &red, &pas), 0);
	assert_int_equal(red, 1);
	assert_int_equal(pas, 2);
	close_clat(b);
	drop_fd(up_fd);
}

/* dp_bpf_open with each of its allocations failing in turn
 * (tests/unit/fault.h), until it succeeds: a failure leaves nothing
 * attached, no descriptor open and nothing closed twice. */
static void
alloc_failures(unsigned flags)
{
	unsigned fds = fault_open_fds(), bad = fault_bad_closes(), n;
	uint64_t sum[XLAT_MAPS_CNT_MAX];
	struct dp_bpf *b = NULL;

	for (n = 1; n <= 32 && b == NULL; n++) {
		fault_fail_alloc(n);
		b = dp_bpf_open_flags(env.veth, env.tun, flags);
		fault_fail_alloc(0);
		if (b == NULL) {
			assert_true(fault_alloc_failed());
			assert_int_equal(tcx_count(env.veth), 0);
			assert_false(has_clsact(VETH_HOST));
			assert_int_equal(fault_open_fds(), fds);
		}
	}
	assert_non_null(b);
	assert_false(fault_alloc_failed());
	/* its state and its netlink socket, at least */
	assert_true(n > 2);
	fault_fail_alloc(1);
	assert_int_equal(dp_bpf_read_all(b, sum), -ENOMEM);
	fault_fail_alloc(0);
	assert_int_equal(dp_bpf_read_all(b, sum), 0);
	dp_bpf_close(b);
	assert_int_equal(tcx_count(env.veth), 0);
	assert_false(has_clsact(VETH_HOST));
	assert_int_equal(fault_open_fds(), fds);
	assert_int_equal(fault_bad_closes(), bad);
}

static void
test_alloc_failures(void **state)
{
	(void)state;
	if (dp_bpf_have_tcx())
		alloc_failures(0);
	alloc_failures(DP_BPF_F_CLSACT);
}

static void
env_down(void)
{
	if (env.tun_fd >= 0)
		close(env.tun_fd);
	env.tun_fd = -1;
	if (env.orig_ns >= 0)
		setns(env.orig_ns, CLONE_NEWNET);
	if (env.up) {
		sh("ip netns del %s", env.host);
		sh("ip netns del %s", env.peer);
	}
	env.up = false;
}

/* The namespaces and the veth; a reason to skip, or NULL. */
static const char *
env_up(void)
{
	char path[64];

	if (geteuid() != 0)
		return "needs root";
	if (sh("ip -V >/dev/null 2>&1") != 0 || sh("tc -V >/dev/null 2>&1"))
		return "needs iproute2 (ip, tc)";
	snprintf(env.host, sizeof(env.host), "xlatd-bpf-h-%d", (int)getpid());
	snprintf(env.peer, sizeof(env.peer), "xlatd-bpf-p-%d", (int)getpid());
	if (sh("ip netns add %s", env.host) != 0)
		return "cannot create network namespaces";
	env.up = true;
	atexit(env_down);
	if (sh("ip netns add %s", env.peer) != 0 ||
	    sh("ip -n %s link add %s type veth peer name %s netns %s", env.host,
	       VETH_HOST, VETH_PEER, env.peer) != 0 ||
	    sh("ip -n %s addr add %s/64 dev %s nodad", env.host, HOST6,
	       VETH_HOST) != 0 ||
	    sh("ip -n %s addr add %s/64 dev %s nodad", env.peer, PEER6,
	       VETH_PEER) != 0 ||
	    sh("ip -n %s link set %s up", env.host, VETH_HOST) != 0 ||
	    sh("ip -n %s link set %s up", env.peer, VETH_PEER) != 0)
		return "cannot set up the veth pair";
	env.orig_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/run/netns/%s", env.host);
	env.host_ns = open(path, O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/run/netns/%s", env.peer);
	env.peer_ns = open(path, O_RDONLY | O_CLOEXEC);
	if (env.orig_ns < 0 || env.host_ns < 0 || env.peer_ns < 0 ||
	    setns(env.host_ns, CLONE_NEWNET) < 0)
		return "cannot enter the namespaces";
	env.veth = if_nametoindex(VETH_HOST);
	return NULL;
}

/* Whatever a failed test left: its child, its programs, its fds, its
 * filters and qdisc, and packets in the TUN. */
static int
teardown(void **state)
{
	uint8_t buf[2048];
	size_t i;

	(void)state;
	if (env.child > 0) {
		kill(env.child, SIGKILL);
		waitpid(env.child, NULL, 0);
		env.child = 0;
	}
	for (i = 0; i < sizeof(env.open) / sizeof(env.open[0]); i++) {
		dp_bpf_close(env.open[i]);
		env.open[i] = NULL;
	}
	for (i = 0; i < sizeof(env.fds) / sizeof(env.fds[0]); i++) {
		if (env.fds[i] >= 0)
			close(env.fds[i]);
		env.fds[i] = -1;
	}
	if (has_clsact(VETH_HOST))
		sh("tc -n %s qdisc del dev %s clsact", env.host, VETH_HOST);
	while (read(env.tun_fd, buf, sizeof(buf)) > 0)
		;
	return 0;
}

/* The keys in an LPM map. */
static unsigned
map_count(int fd, size_t key_size)
{
	uint8_t a[32], b[32];
	void *prev = NULL;
	unsigned n = 0;

	assert_true(key_size <= sizeof(a));
	while (bpf_map_get_next_key(fd, prev, n % 2 ? b : a) == 0) {
		prev = n % 2 ? b : a;
		n++;
	}
	return n;
}

static void
eam_add(struct xlat_cfg *x, const char *p6, const char *p4)
{
	struct xlat_prefix6 a = pkt_prefix6(p6);
	struct xlat_prefix4 b = pkt_prefix4(p4);

	assert_true(xlat_eam_add(x, &a, &b));
}

static const struct xlat_maps_eam *
find4(int fd, const char *addr)
{
	static struct xlat_maps_eam v;
	struct xlat_maps_eam4_key k = {.prefixlen = 32};

	pkt_addr4(addr, (uint8_t *)&k.addr);
	return bpf_map_lookup_elem(fd, &k, &v) == 0 ? &v : NULL;
}

static const struct xlat_maps_eam *
find6(int fd, const char *addr)
{
	static struct xlat_maps_eam v;
	struct xlat_maps_eam6_key k = {.prefixlen = 128};

	pkt_addr6(addr, (uint8_t *)k.addr);
	return bpf_map_lookup_elem(fd, &k, &v) == 0 ? &v : NULL;
}

/* dp_bpf_eam_sync: the maps hold the translator's EAM table, each entry
 * under both prefixes, the low-bits ones marked for the fast path; a
 * second table replaces the first, stale keys gone; of two entries with
 * the same IPv4 prefix the first (longest IPv6 prefix) is kept, as the
 * core picks it (RFC 7757 §3.2). */
static void
test_eam_sync(void **state)
{
	LIBBPF_OPTS(bpf_map_create_opts, o, .map_flags = BPF_F_NO_PREALLOC);
	const struct xlat_maps_eam *e;
	struct xlat_cfg x;
	uint8_t v4[4];
	int fd4, fd6;

	(void)state;
	fd4 = env.fds[0] = bpf_map_create(BPF_MAP_TYPE_LPM_TRIE, "eam4",
					  sizeof(struct xlat_maps_eam4_key),
					  sizeof(struct xlat_maps_eam),
					  XLAT_MAPS_EAM_MAX, &o);
	fd6 = env.fds[1] = bpf_map_create(BPF_MAP_TYPE_LPM_TRIE, "eam6",
					  sizeof(struct xlat_maps_eam6_key),
					  sizeof(struct xlat_maps_eam),
					  XLAT_MAPS_EAM_MAX, &o);
	assert_true(fd4 >= 0 && fd6 >= 0);

	xlat_cfg_init(&x);
	eam_add(&x, CLAT6 "/128", "192.0.0.1/32");
	eam_add(&x, "2001:db8:1:1::c0a8:100/120", "192.168.1.0/24");
	eam_add(&x, "2001:db8:e::/64", "198.18.0.0/24");
	assert_int_equal(dp_bpf_eam_sync(fd4, fd6, &x), 0);
	assert_int_equal(map_count(fd4, sizeof(struct xlat_maps_eam4_key)), 3);
	assert_int_equal(map_count(fd6, sizeof(struct xlat_maps_eam6_key)), 3);
	assert_non_null(e = find4(fd4, "192.168.1.7"));
	assert_int_equal(e->fast, 1);
	pkt_addr4("192.168.1.0", v4);
	assert_memory_equal(&e->v4, v4, 4);
	assert_int_equal(ntohl(e->host4), 0xff);
	assert_non_null(e = find6(fd6, "2001:db8:1:1::c0a8:1fe"));
	assert_memory_equal(&e->v4, v4, 4);
	assert_non_null(e = find4(fd4, "192.0.0.1"));
	assert_int_equal(e->fast, 1);
	assert_int_equal(e->host4, 0);
	assert_null(find4(fd4, "192.0.0.2"));
	assert_non_null(e = find4(fd4, "198.18.0.5"));
	assert_int_equal(e->fast, 0);

	xlat_cfg_init(&x);
	eam_add(&x, CLAT6 "/128", "192.0.0.1/32");
	eam_add(&x, "2001:db8:1:1::c0a8:300/120", "192.168.3.0/24");
	eam_add(&x, "2001:db8:f::/64", "192.168.3.0/24");
	assert_int_equal(dp_bpf_eam_sync(fd4, fd6, &x), 0);
	assert_int_equal(map_count(fd4, sizeof(struct xlat_maps_eam4_key)), 2);
	assert_int_equal(map_count(fd6, sizeof(struct xlat_maps_eam6_key)), 3);
	assert_null(find4(fd4, "192.168.1.7"));
	assert_null(find6(fd6, "2001:db8:1:1::c0a8:107"));
	assert_null(find4(fd4, "198.18.0.5"));
	assert_non_null(e = find4(fd4, "192.168.3.9"));
	assert_int_equal(e->fast, 1); /* the /120, not the /64 */
	assert_non_null(find6(fd6, "2001:db8:f::1"));
}

/* A LAN interface, VETH_LAN, in the host namespace: its ifindex. */
static unsigned
lan_veth_add(void)
{
	unsigned lan;

	assert_int_equal(sh("ip -n %s link add %s type veth peer name %s",
			    env.host, VETH_LAN, VETH_LAN_PEER),
			 0);
	assert_true((lan = if_nametoindex(VETH_LAN)) != 0);
	return lan;
}

/* dp_lan_set: one program per LAN interface, whatever the number of
 * prefixes served there; the map holds exactly the prefixes served, each
 * on its interface; an interface no longer served loses its program;
 * none served, none left; the same with clsact. */
static void
test_lan_set(void **state)
{
	LIBBPF_OPTS(bpf_map_create_opts, o, .map_flags = BPF_F_NO_PREALLOC);
	struct xlat_maps_lan_key k = {.prefixlen = 64};
	struct dp_lan_src src[3];
	struct xlat_maps_lan v;
	struct rtnl *rtnl;
	struct dp_lan l;
	unsigned lan;
	int fd, prog;

	(void)state;
	if (!dp_bpf_have_tcx())
		skip();
	lan = lan_veth_add();
	fd = env.fds[0] = bpf_map_create(
		BPF_MAP_TYPE_LPM_TRIE, "lan4", sizeof(struct xlat_maps_lan_key),
		sizeof(struct xlat_maps_lan), XLAT_MAPS_LAN_MAX, &o);
	assert_true(fd >= 0);
	prog = foreign_prog();
	assert_non_null(rtnl = rtnl_open(RTNL_FOLLOW_NONE));
	src[0] = (struct dp_lan_src){lan, pkt_prefix4("192.168.1.0/24")};
	src[1] = (struct dp_lan_src){lan, pkt_prefix4("10.0.0.0/24")};
	src[2] = (struct dp_lan_src){env.veth, pkt_prefix4("172.16.0.0/12")};
	dp_lan_init(&l, "test");

	assert_int_equal(dp_lan_set(&l, rtnl, prog, fd, src, 3, 0), 0);
	assert_int_equal(tcx_count(lan), 1);
	assert_int_equal(tcx_count(env.veth), 1);
	assert_int_equal(map_count(fd, sizeof(k)), 3);
	k.ifindex = lan;
	pkt_addr4("192.168.1.7", (uint8_t *)&k.addr);
	assert_int_equal(bpf_map_lookup_elem(fd, &k, &v), 0);
	assert_int_equal(v.has_l2, 1);
	k.ifindex = env.veth; /* served on the LAN, not here */
	assert_int_not_equal(bpf_map_lookup_elem(fd, &k, &v), 0);

	assert_int_equal(dp_lan_set(&l, rtnl, prog, fd, src, 1, 0), 0);
	assert_int_equal(tcx_count(lan), 1);
	assert_int_equal(tcx_count(env.veth), 0);
	assert_int_equal(map_count(fd, sizeof(k)), 1);

	assert_int_equal(dp_lan_set(&l, rtnl, prog, fd, NULL, 0, 0), 0);
	assert_int_equal(tcx_count(lan), 0);
	assert_int_equal(map_count(fd, sizeof(k)), 0);

	assert_int_equal(
		dp_lan_set(&l, rtnl, prog, fd, src, 1, TCHOOK_F_CLSACT), 0);
	assert_int_equal(tcx_count(lan), 0);
	assert_true(tc_filter(lan, DP_BPF_TC_HANDLE, DP_BPF_TC_PRIO) != 0);
	dp_lan_close(&l, rtnl);
	assert_int_equal(tc_filter(lan, DP_BPF_TC_HANDLE, DP_BPF_TC_PRIO), 0);
	assert_false(has_clsact(VETH_LAN));

	rtnl_close(rtnl);
	drop_fd(prog);
	assert_int_equal(sh("ip -n %s link del %s", env.host, VETH_LAN), 0);
}

/* With clsact, the LAN program's filter (prog_name's) that a crashed
 * run left is replaced by the next run's (which else could not attach),
 * and goes with it. */
static void
lan_stale(const char *prog_name)
{
	LIBBPF_OPTS(bpf_map_create_opts, o, .map_flags = BPF_F_NO_PREALLOC);
	struct dp_lan_src src;
	struct rtnl *rtnl;
	struct dp_lan l;
	unsigned lan;
	int fd, prog, st;

	lan = lan_veth_add();
	fd = env.fds[0] = bpf_map_create(
		BPF_MAP_TYPE_LPM_TRIE, "lan4", sizeof(struct xlat_maps_lan_key),
		sizeof(struct xlat_maps_lan), XLAT_MAPS_LAN_MAX, &o);
	assert_true(fd >= 0);
	prog = named_prog(prog_name);
	src = (struct dp_lan_src){lan, pkt_prefix4("192.168.1.0/24")};
	/* the "crash": _exit, without dp_lan_close */
	if ((env.child = fork()) == 0) {
		dp_lan_init(&l, "test");
		rtnl = rtnl_open(RTNL_FOLLOW_NONE);
		_exit(rtnl == NULL || dp_lan_set(&l, rtnl, prog, fd, &src, 1,
						 TCHOOK_F_CLSACT) != 0);
	}
	assert_int_equal(waitpid(env.child, &st, 0), env.child);
	env.child = 0;
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_true(tc_filter(lan, DP_BPF_TC_HANDLE, DP_BPF_TC_PRIO) != 0);

	assert_non_null(rtnl = rtnl_open(RTNL_FOLLOW_NONE));
	dp_lan_init(&l, "test");
	assert_int_equal(
		dp_lan_set(&l, rtnl, prog, fd, &src, 1, TCHOOK_F_CLSACT), 0);
	assert_true(tc_filter(lan, DP_BPF_TC_HANDLE, DP_BPF_TC_PRIO) != 0);
	dp_lan_close(&l, rtnl);
	assert_int_equal(tc_filter(lan, DP_BPF_TC_HANDLE, DP_BPF_TC_PRIO), 0);

	rtnl_close(rtnl);
	drop_fd(prog);
	assert_int_equal(sh("ip -n %s link del %s", env.host, VETH_LAN), 0);
}

static void
test_lan_stale(void **state)
{
	(void)state;
	lan_stale("clat_lan_ingress");
}

static void
test_nat44_lan_stale(void **state)
{
	(void)state;
	lan_stale("clat_nat44_ingress");
}

/* The LANs' program follows router mode's: clat_lan_ingress for the
 * stateless mapping, clat_nat44_ingress for NAT44, one at a time on each
 * interface, none after dp_bpf_close. */
static void
test_lan_switch(void **state)
{
	char name[BPF_OBJ_NAME_LEN];
	struct dp_lan_src src;
	struct dp_bpf *b;
	unsigned lan;

	(void)state;
	if (!dp_bpf_have_tcx())
		skip();
	lan = lan_veth_add();
	src = (struct dp_lan_src){lan, pkt_prefix4("192.168.1.0/24")};
	b = open_clat(env.veth, 0, CLAT6);

	assert_int_equal(dp_bpf_set_lans(b, &src, 1), 0);
	tcx_name(lan, name);
	assert_string_equal(name, DP_BPF_LAN_PROG_NAME);
	assert_int_equal(dp_bpf_set_nat44_lans(b, &src, 1), 0);
	tcx_name(lan, name);
	assert_string_equal(name, DP_BPF_NAT44_PROG_NAME);
	assert_int_equal(dp_bpf_set_nat44_lans(b, &src, 1), 0);
	assert_int_equal(tcx_count(lan), 1);
	assert_int_equal(dp_bpf_set_lans(b, &src, 1), 0);
	tcx_name(lan, name);
	assert_string_equal(name, DP_BPF_LAN_PROG_NAME);
	assert_int_equal(dp_bpf_set_nat44_lans(b, &src, 1), 0);
	close_clat(b);
	assert_int_equal(tcx_count(lan), 0);
	assert_int_equal(sh("ip -n %s link del %s", env.host, VETH_LAN), 0);
}

static int
group_setup(void **state)
{
	(void)state;
	env.tun_fd = tun_create(TUN_CLAT, &env.tun, false);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_tcx, teardown),
		cmocka_unit_test_teardown(test_tcx_crash, teardown),
		cmocka_unit_test_teardown(test_clsact, teardown),
		cmocka_unit_test_teardown(test_clsact_not_ours, teardown),
		cmocka_unit_test_teardown(test_cleanup_stale, teardown),
		cmocka_unit_test_teardown(test_chain, teardown),
		cmocka_unit_test_teardown(test_raw_ip_uplink, teardown),
		cmocka_unit_test_teardown(test_alloc_failures, teardown),
		cmocka_unit_test_teardown(test_eam_sync, teardown),
		cmocka_unit_test_teardown(test_lan_set, teardown),
		cmocka_unit_test_teardown(test_lan_stale, teardown),
		cmocka_unit_test_teardown(test_nat44_lan_stale, teardown),
		cmocka_unit_test_teardown(test_lan_switch, teardown),
	};
	const char *why;
	size_t i;
	int r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < sizeof(env.fds) / sizeof(env.fds[0]); i++)
		env.fds[i] = -1;
	log_init(1, getenv("XLATD_TEST_VERBOSE") != NULL, "test-dp-bpf");
	if ((why = env_up()) != NULL) {
		printf("SKIP: %s\n", why);
		env_down();
		return 77;
	}
	r = cmocka_run_group_tests_name("dp_bpf", tests, group_setup, NULL);
	env_down();
	return r;
}
