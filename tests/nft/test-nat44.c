/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * src/dp/nat44.c in network namespaces of its own: a LAN client, a router
 * (where the table goes) and a far end behind a veth named "clat" that
 * stands for the CLAT's TUN device. The table must appear as nft shows
 * it, SNAT LAN sources to the CLAT address and clamp the MSS both ways,
 * drop and count LAN packets whose source or interface is not allowed,
 * be replaced whole, and go, on removal and when its owner dies; a
 * foreign nftables table and Docker's iptables-nft rules must be
 * byte-identical before and after. Needs root, iproute2, nft and
 * iptables; skipped (77) otherwise. Private and RFC 7335 addresses only.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "dp/nat44.h"
#include "shell.h"

#define CLAT4 "192.0.0.1"
#define FAR4 "192.0.0.2"
#define LAN_GW "192.168.0.1"
#define LAN_HOST "192.168.0.10"
#define CLAT_MTU 1400 /* route MSS 1360 */
#define CLAMP_OUT 1300
#define PORT 5001
#define WAIT_MS 5000

static struct {
	char lan[32], rtr[32], far[32]; /* namespace names */
	int orig_ns, lan_ns, rtr_ns, far_ns;
	bool up;
} env = {.orig_ns = -1, .lan_ns = -1, .rtr_ns = -1, .far_ns = -1};

static struct nat44 *nat;

/* The output of a command run in the router's namespace. */
static const char *
rtr_out(const char *cmd)
{
	static char buf[65536];
	char full[512];

	snprintf(full, sizeof(full), "ip netns exec %s %s 2>&1", env.rtr, cmd);
	return sh_out(full, buf, sizeof(buf));
}

static int
ns_fd(const char *name)
{
	char path[64];

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	return open(path, O_RDONLY | O_CLOEXEC);
}

static void
env_down(void)
{
	nat44_close(nat);
	nat = NULL;
	if (env.orig_ns >= 0)
		setns(env.orig_ns, CLONE_NEWNET);
	if (env.up) {
		sh("ip netns del %s", env.lan);
		sh("ip netns del %s", env.rtr);
		sh("ip netns del %s", env.far);
	}
	env.up = false;
}

static const char *
env_up(void)
{
	if (geteuid() != 0)
		return "needs root";
	if (sh("ip -V >/dev/null 2>&1") != 0 ||
	    sh("nft --version >/dev/null 2>&1") != 0 ||
	    sh("iptables-nft --version >/dev/null 2>&1") != 0)
		return "needs iproute2, nftables and iptables";
	snprintf(env.lan, sizeof(env.lan), "xlatd-nat-l-%d", (int)getpid());
	snprintf(env.rtr, sizeof(env.rtr), "xlatd-nat-r-%d", (int)getpid());
	snprintf(env.far, sizeof(env.far), "xlatd-nat-f-%d", (int)getpid());
	if (sh("ip netns add %s", env.lan) != 0)
		return "cannot create network namespaces";
	env.up = true;
	atexit(env_down);
	if (sh("ip netns add %s && ip netns add %s", env.rtr, env.far) != 0 ||
	    sh("ip -n %s link add hood0 type veth peer name lan0 netns %s",
	       env.rtr, env.lan) != 0 ||
	    sh("ip -n %s link add clat mtu %d type veth peer name far0 "
	       "netns %s",
	       env.rtr, CLAT_MTU, env.far) != 0 ||
	    sh("ip -n %s addr add %s/23 dev hood0 && ip -n %s addr add %s/29 "
	       "dev clat && ip -n %s link set hood0 up && ip -n %s link set "
	       "clat up && ip -n %s route add default via %s",
	       env.rtr, LAN_GW, env.rtr, CLAT4, env.rtr, env.rtr, env.rtr,
	       FAR4) != 0 ||
	    sh("ip netns exec %s sysctl -qw net.ipv4.ip_forward=1", env.rtr) !=
		    0 ||
	    sh("ip -n %s addr add %s/23 dev lan0 && ip -n %s link set lan0 up "
	       "&& ip -n %s route add default via %s",
	       env.lan, LAN_HOST, env.lan, env.lan, LAN_GW) != 0 ||
	    sh("ip -n %s addr add %s/29 dev far0 && ip -n %s link set far0 up",
	       env.far, FAR4, env.far) != 0)
		return "cannot set up the links";
	env.orig_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	env.lan_ns = ns_fd(env.lan);
	env.rtr_ns = ns_fd(env.rtr);
	env.far_ns = ns_fd(env.far);
	if (env.orig_ns < 0 || env.lan_ns < 0 || env.rtr_ns < 0 ||
	    env.far_ns < 0)
		return "cannot open the namespaces";
	return NULL;
}

static void
cfg_default(struct nat44_cfg *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->clat_dev, sizeof(c->clat_dev), "clat");
	inet_pton(AF_INET, CLAT4, &c->clat_v4);
	c->snat = true;
	c->prefix_count = 2;
	inet_pton(AF_INET, "192.168.0.0", &c->prefix[0].addr);
	c->prefix[0].len = 23;
	inet_pton(AF_INET, "10.9.0.0", &c->prefix[1].addr);
	c->prefix[1].len = 16;
	c->ifname_count = 1;
	snprintf(c->ifname[0], sizeof(c->ifname[0]), "hood2");
	c->clamp_mss = CLAMP_OUT;
}

/* The table of cfg_default(), as nft lists it. */
static const char want_table[] =
	"table ip xlatd { # progname test-nat44\n"
	"\tflags owner\n"
	"\n"
	"\tchain postrouting {\n"
	"\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
	"\t\toifname \"clat\" ip saddr 192.168.0.0/23 snat to 192.0.0.1\n"
	"\t\toifname \"clat\" ip saddr 10.9.0.0/16 snat to 192.0.0.1\n"
	"\t\toifname \"clat\" iifname \"hood2\" snat to 192.0.0.1\n"
	"\t}\n"
	"\n"
	"\tchain forward {\n"
	"\t\ttype filter hook forward priority mangle; policy accept;\n"
	"\t\toifname \"clat\" tcp flags syn / syn,rst tcp option maxseg "
	"size set rt mtu\n"
	"\t\tiifname \"clat\" tcp flags syn / syn,rst tcp option maxseg "
	"size > 1300 tcp option maxseg size set 1300\n"
	"\t}\n"
	"}\n";

static void
apply(const struct nat44_cfg *c)
{
	if (nat == NULL) {
		enter(env.rtr_ns);
		assert_non_null(nat = nat44_open());
		enter(env.orig_ns);
	}
	assert_int_equal(nat44_apply(nat, c), 0);
}

static bool
has_table(void)
{
	return strstr(rtr_out("nft list tables"), "table ip xlatd\n") != NULL;
}

/* Docker's rules (scripts/lab/docker-rules.sh) and a table of another
 * tool. */
static void
foreign_rules(void)
{
	assert_int_equal(sh("%s %s", DOCKER_RULES, env.rtr), 0);
	assert_int_equal(sh("printf '%%s\\n' 'table inet other {' "
			    "'chain c { type filter hook forward priority 0; "
			    "policy accept; meta l4proto udp counter; }' '}' "
			    "| ip netns exec %s nft -f -",
			    env.rtr),
			 0);
}

static void
foreign_remove(void)
{
	sh("ip netns exec %s nft flush ruleset 2>/dev/null", env.rtr);
}

/* ---- packets ---- */

/* An AF_PACKET socket for IPv4 on ifname in namespace ns. */
static int
capture(int ns, const char *ifname)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_IP),
	};
	int fd;

	enter(ns);
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_IP));
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sll, sizeof(sll)), 0);
	enter(env.orig_ns);
	return fd;
}

/* The first IPv4 packet on fd of protocol proto with source or
 * destination port PORT (TCP: with SYN): its source address and, for
 * TCP, its MSS option (0 without one). False after WAIT_MS. */
static bool
wait_packet(int fd, uint8_t proto, struct in_addr *src, unsigned *mss)
{
	uint8_t p[2048];
	struct pollfd pfd = {.fd = fd, .events = POLLIN};

	while (poll(&pfd, 1, WAIT_MS) == 1) {
		ssize_t n = recv(fd, p, sizeof(p), 0);
		size_t ihl, l4, o;

		if (n < 20 || p[9] != proto)
			continue;
		ihl = (size_t)(p[0] & 0xf) * 4;
		l4 = ihl;
		if ((size_t)n < l4 + (proto == IPPROTO_TCP ? 20 : 8) ||
		    ((p[l4] << 8 | p[l4 + 1]) != PORT &&
		     (p[l4 + 2] << 8 | p[l4 + 3]) != PORT))
			continue;
		if (proto == IPPROTO_TCP && !(p[l4 + 13] & 0x02))
			continue;
		memcpy(src, p + 12, 4);
		*mss = 0;
		for (o = l4 + 20; proto == IPPROTO_TCP &&
				  o + 1 < l4 + (size_t)(p[l4 + 12] >> 4) * 4 &&
				  o + 1 < (size_t)n;) {
			if (p[o] == 0)
				break;
			if (p[o] == 1) {
				o++;
				continue;
			}
			if (p[o] == 2 && p[o + 1] == 4 && o + 3 < (size_t)n)
				*mss = (unsigned)(p[o + 2] << 8 | p[o + 3]);
			if (p[o + 1] < 2)
				break;
			o += p[o + 1];
		}
		return true;
	}
	return false;
}

/* A UDP datagram from the LAN host to the far end. */
static void
lan_udp(void)
{
	struct sockaddr_in to = {.sin_family = AF_INET,
				 .sin_port = htons(PORT)};
	int fd;

	inet_pton(AF_INET, FAR4, &to.sin_addr);
	enter(env.lan_ns);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	enter(env.orig_ns);
	assert_true(fd >= 0);
	assert_int_equal(
		sendto(fd, "x", 1, 0, (struct sockaddr *)&to, sizeof(to)), 1);
	close(fd);
}

/* ---- tests ---- */

/* The table nft shows is the configuration's, and nothing else changed. */
static void
test_table(void **state)
{
	struct nat44_cfg c;

	(void)state;
	cfg_default(&c);
	apply(&c);
	assert_string_equal(rtr_out("nft list table ip xlatd"), want_table);
}

/* SNAT of LAN sources to the CLAT address, MSS clamped both ways: to the
 * CLAT route's MTU less 40 into it, to clamp_mss out of it. */
static void
test_packets(void **state)
{
	struct sockaddr_in far = {.sin_family = AF_INET,
				  .sin_port = htons(PORT)};
	struct nat44_cfg c;
	struct in_addr src, clat4;
	unsigned mss;
	int cap_far, cap_lan, lfd, cfd, one = 1;

	(void)state;
	cfg_default(&c);
	apply(&c);
	inet_pton(AF_INET, CLAT4, &clat4);
	inet_pton(AF_INET, FAR4, &far.sin_addr);
	cap_far = capture(env.far_ns, "far0");
	cap_lan = capture(env.lan_ns, "lan0");

	lan_udp();
	assert_true(wait_packet(cap_far, IPPROTO_UDP, &src, &mss));
	assert_int_equal(src.s_addr, clat4.s_addr);

	enter(env.far_ns);
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	assert_int_equal(bind(lfd, (struct sockaddr *)&far, sizeof(far)), 0);
	assert_int_equal(listen(lfd, 1), 0);
	enter(env.lan_ns);
	cfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	enter(env.orig_ns);
	connect(cfd, (struct sockaddr *)&far, sizeof(far));
	/* the SYN at the far end: from the CLAT address, MSS 1400 - 40 */
	assert_true(wait_packet(cap_far, IPPROTO_TCP, &src, &mss));
	assert_int_equal(src.s_addr, clat4.s_addr);
	assert_int_equal(mss, CLAT_MTU - 40);
	/* the SYN-ACK on the LAN: far's 1460 clamped */
	assert_true(wait_packet(cap_lan, IPPROTO_TCP, &src, &mss));
	assert_int_equal(mss, CLAMP_OUT);
	close(cfd);
	close(lfd);
	close(cap_far);
	close(cap_lan);
}

/* The source check: a LAN packet from a source not allowed on its
 * interface is counted and dropped; once allowed, it passes. */
static void
test_src_check(void **state)
{
	struct nat44_cfg c;
	struct in_addr src;
	uint64_t n = 99;
	unsigned mss;
	int cap_far;

	(void)state;
	cfg_default(&c);
	c.check_src = true;
	c.src_count = 2;
	/* the LAN host's prefix, but on another interface; and another
	 * prefix on its own */
	snprintf(c.src[0].ifname, sizeof(c.src[0].ifname), "hood2");
	c.src[0].prefix = c.prefix[0];
	snprintf(c.src[1].ifname, sizeof(c.src[1].ifname), "hood0");
	c.src[1].prefix = c.prefix[1];
	apply(&c);
	assert_non_null(
		strstr(rtr_out("nft list table ip xlatd"),
		       "\t\toifname \"clat\" iifname \"hood2\" ip saddr "
		       "192.168.0.0/23 accept\n"
		       "\t\toifname \"clat\" iifname \"hood0\" ip saddr "
		       "10.9.0.0/16 accept\n"
		       "\t\toifname \"clat\" counter name "
		       "\"lan-spoofed\" drop\n"));
	assert_int_equal(nat44_spoofed(nat, &n), 0);
	assert_int_equal(n, 0);
	cap_far = capture(env.far_ns, "far0");
	lan_udp();
	assert_false(wait_packet(cap_far, IPPROTO_UDP, &src, &mss));
	assert_int_equal(nat44_spoofed(nat, &n), 0);
	assert_int_equal(n, 1);

	snprintf(c.src[1].ifname, sizeof(c.src[1].ifname), "%s", "");
	c.src[1].prefix = c.prefix[0];
	apply(&c);
	lan_udp();
	assert_true(wait_packet(cap_far, IPPROTO_UDP, &src, &mss));
	/* the table was made anew, and its counter with it */
	assert_int_equal(nat44_spoofed(nat, &n), 0);
	assert_int_equal(n, 0);
	close(cap_far);
	assert_int_equal(nat44_remove(nat), 0);
	assert_int_equal(nat44_spoofed(nat, &n), -ENOENT);
}

/* Docker's FORWARD policy of drop drops LAN packets whatever xlatd's
 * table says; the two DOCKER-USER rules docs/router.md gives let them
 * through. Foreign rules stay byte for byte as they were. */
static void
test_docker(void **state)
{
	struct nat44_cfg c;
	char before[65536], nft_before[65536];
	struct in_addr src;
	unsigned mss;
	int cap;

	(void)state;
	foreign_rules();
	snprintf(before, sizeof(before), "%s",
		 rtr_out("iptables-nft-save | grep -v '^#' | sed "
			 "'s/\\[[0-9]*:[0-9]*\\]//'"));
	snprintf(nft_before, sizeof(nft_before), "%s",
		 rtr_out("nft list ruleset | grep -v 'counter packets'"));
	cfg_default(&c);
	apply(&c);
	cap = capture(env.far_ns, "far0");
	lan_udp();
	assert_false(wait_packet(cap, IPPROTO_UDP, &src, &mss));
	assert_int_equal(sh("ip netns exec %s iptables-nft -I DOCKER-USER -i "
			    "hood0 -o clat -j ACCEPT && ip netns exec %s "
			    "iptables-nft -I DOCKER-USER -i clat -o hood0 -m "
			    "conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
			    env.rtr, env.rtr),
			 0);
	lan_udp();
	assert_true(wait_packet(cap, IPPROTO_UDP, &src, &mss));
	close(cap);
	assert_int_equal(sh("ip netns exec %s iptables-nft -D DOCKER-USER 1 "
			    "&& ip netns exec %s iptables-nft -D DOCKER-USER 1",
			    env.rtr, env.rtr),
			 0);
	assert_int_equal(nat44_remove(nat), 0);
	assert_false(has_table());
	assert_string_equal(rtr_out("iptables-nft-save | grep -v '^#' | sed "
				    "'s/\\[[0-9]*:[0-9]*\\]//'"),
			    before);
	assert_string_equal(
		rtr_out("nft list ruleset | grep -v 'counter packets'"),
		nft_before);
	foreign_remove();
}

/* While the table is there, the rest of the ruleset is as it was: ours
 * comes after it, whole. */
static void
test_coexist(void **state)
{
	struct nat44_cfg c;
	char before[65536];
	const char *now;

	(void)state;
	foreign_rules();
	snprintf(before, sizeof(before), "%s", rtr_out("nft list ruleset"));
	cfg_default(&c);
	apply(&c);
	now = rtr_out("nft list ruleset");
	assert_int_equal(strncmp(now, before, strlen(before)), 0);
	assert_string_equal(now + strlen(before), want_table);
	assert_int_equal(nat44_remove(nat), 0);
	assert_string_equal(rtr_out("nft list ruleset"), before);
	foreign_remove();
}

/* A second configuration replaces the first whole. */
static void
test_replace(void **state)
{
	struct nat44_cfg c;
	const char *now;

	(void)state;
	cfg_default(&c);
	apply(&c);
	c.prefix_count = 1;
	c.ifname_count = 0;
	c.clamp_mss = 0;
	inet_pton(AF_INET, "172.16.5.0", &c.prefix[0].addr);
	c.prefix[0].len = 24;
	apply(&c);
	now = rtr_out("nft list table ip xlatd");
	assert_non_null(strstr(now, "ip saddr 172.16.5.0/24 snat to "));
	assert_null(strstr(now, "192.168.0.0/23"));
	assert_null(strstr(now, "hood2"));
	assert_null(strstr(now, "> 1300"));
	assert_non_null(strstr(now, "set rt mtu"));
	/* stateless: no SNAT, the clamping stays */
	c.snat = false;
	apply(&c);
	now = rtr_out("nft list table ip xlatd");
	assert_null(strstr(now, "snat"));
	assert_non_null(strstr(now, "set rt mtu"));
}

/* nat44_remove takes the table, and is harmless twice. */
static void
test_remove(void **state)
{
	struct nat44_cfg c;

	(void)state;
	cfg_default(&c);
	apply(&c);
	assert_true(has_table());
	assert_int_equal(nat44_remove(nat), 0);
	assert_false(has_table());
	assert_int_equal(nat44_remove(nat), 0);
}

/* The kernel deletes the table when its owner dies, even by SIGKILL. */
static void
test_owner_dies(void **state)
{
	int pipefd[2], status;
	struct nat44_cfg c;
	char ready;
	pid_t pid;

	(void)state;
	cfg_default(&c);
	assert_int_equal(pipe(pipefd), 0);
	if ((pid = fork()) == 0) {
		struct nat44 *mine;

		close(pipefd[0]);
		if (setns(env.rtr_ns, CLONE_NEWNET) < 0 ||
		    (mine = nat44_open()) == NULL || nat44_apply(mine, &c) < 0)
			_exit(1);
		if (write(pipefd[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(pipefd[1]);
	assert_int_equal(read(pipefd[0], &ready, 1), 1);
	close(pipefd[0]);
	assert_true(has_table());
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	assert_false(has_table());
}

/* A table of the same name that is not ours is left alone. */
static void
test_not_ours(void **state)
{
	struct nat44_cfg c;
	char before[4096];

	(void)state;
	assert_int_equal(sh("ip netns exec %s nft add table ip xlatd", env.rtr),
			 0);
	snprintf(before, sizeof(before), "%s", rtr_out("nft list ruleset"));
	cfg_default(&c);
	enter(env.rtr_ns);
	assert_non_null(nat = nat44_open());
	enter(env.orig_ns);
	assert_int_equal(nat44_apply(nat, &c), -EEXIST);
	assert_int_equal(nat44_remove(nat), 0);
	assert_string_equal(rtr_out("nft list ruleset"), before);
	foreign_remove();
}

/* Each test starts with no table and a fresh socket. */
static int
teardown(void **state)
{
	(void)state;
	enter(env.orig_ns);
	nat44_close(nat);
	nat = NULL;
	foreign_remove();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_table, teardown),
		cmocka_unit_test_teardown(test_packets, teardown),
		cmocka_unit_test_teardown(test_src_check, teardown),
		cmocka_unit_test_teardown(test_docker, teardown),
		cmocka_unit_test_teardown(test_coexist, teardown),
		cmocka_unit_test_teardown(test_replace, teardown),
		cmocka_unit_test_teardown(test_remove, teardown),
		cmocka_unit_test_teardown(test_owner_dies, teardown),
		cmocka_unit_test_teardown(test_not_ours, teardown),
	};
	const char *why;
	int r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if ((why = env_up()) != NULL) {
		printf("SKIP: %s\n", why);
		env_down();
		return 77;
	}
	r = cmocka_run_group_tests_name("nat44", tests, NULL, NULL);
	env_down();
	return r;
}
