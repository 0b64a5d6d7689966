/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * src/dhcp/dhcp6_sock.c with the client (src/dhcp/dhcp6_client.c) on a
 * real server: a veth pair between two network namespaces of this process
 * (root only), Kea's DHCPv6 server in the peer's with short timers (T1 2
 * s, T2 4 s, valid 8 s). The client gets an address, renews it, releases
 * it (the Release is seen on the peer's side of the link), declines one
 * that DAD (src/daemon/dad.c) finds taken and gets another, and does all
 * that while the host's own client (dhcpcd) holds port 546 and gets an
 * address of its own. Skips without root, kea-dhcp6 or dhcpcd. The
 * namespaces vanish with the process; the servers are stopped by process
 * group, and their files are removed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/dad.h"
#include "dhcp/dhcp6_client.h"
#include "dhcp/dhcp6_sock.h"

static int own_ns = -1, peer_ns = -1;
static pid_t kea = -1;
static char dir[] = "/tmp/xlatd-test-dhcp6-XXXXXX";

static void
sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd) != 0)
		fail_msg("failed: %s", cmd);
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
enter(int ns)
{
	assert_int_equal(setns(ns, CLONE_NEWNET), 0);
}

/* argv in namespace ns, in a session of its own; output to dir/name. */
static pid_t
spawn(int ns, const char *name, char *const argv[])
{
	char log[128];
	pid_t pid;
	int fd;

	snprintf(log, sizeof(log), "%s/%s.log", dir, name);
	if ((pid = fork()) == 0) {
		if (setsid() < 0 || setns(ns, CLONE_NEWNET) < 0 ||
		    (fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0)
			_exit(127);
		dup2(fd, 1);
		dup2(fd, 2);
		setenv("KEA_PIDFILE_DIR", dir, 1);
		setenv("KEA_LOCKFILE_DIR", dir, 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	assert_true(pid > 0);
	return pid;
}

/* The whole group: TERM, then KILL after a second; then reap what was
 * reparented to us (a subreaper, see setup()). */
static void
stop(pid_t pid)
{
	int i;

	kill(-pid, SIGTERM);
	for (i = 0; i < 100 && waitpid(pid, NULL, WNOHANG) == 0; i++)
		usleep(10000);
	kill(-pid, SIGKILL);
	waitpid(pid, NULL, 0);
	for (i = 0; i < 20; i++) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		usleep(10000);
	}
}

/* The client, its socket and what happened. */
struct drv {
	struct dhcp6c c;
	struct dhcp6c_actions a;
	int fd;
	unsigned ifindex;
	unsigned bound, lost, sent[DHCP6_DECLINE + 1];
	struct in6_addr addr;
};

static void
act(struct drv *d)
{
	if (d->a.len > 0) {
		assert_int_equal(
			dhcp6_sock_send(d->fd, d->ifindex, d->a.msg, d->a.len),
			0);
		if (d->a.msg[0] <= DHCP6_DECLINE)
			d->sent[d->a.msg[0]]++;
	}
	if (d->a.lost)
		d->lost++;
	if (d->a.bound) {
		d->bound++;
		d->addr = d->a.addr;
	}
}

/* Run the client until done() or ms have passed; false on time out. */
static bool
run(struct drv *d, bool (*done)(const struct drv *), uint64_t ms)
{
	uint8_t buf[DHCP6_SOCK_BUF];
	struct pollfd p = {.fd = d->fd, .events = POLLIN};
	uint64_t end = now_ms() + ms, now, until;
	ssize_t n;

	while (!done(d) && (now = now_ms()) < end) {
		until = d->a.wake_ms < end ? d->a.wake_ms : end;
		if (poll(&p, 1, until > now ? (int)(until - now) : 0) > 0) {
			n = dhcp6_sock_recv(d->fd, buf, sizeof(buf));
			assert_true(n >= 0);
			if (n == 0)
				continue;
			dhcp6c_receive(&d->c, now_ms(), (uint64_t)random(),
				       buf + 8, (size_t)n, &d->a);
			act(d);
		} else if (now_ms() >= d->a.wake_ms) {
			dhcp6c_timer(&d->c, now_ms(), (uint64_t)random(),
				     &d->a);
			act(d);
		}
	}
	return done(d);
}

static void
drv_start(struct drv *d, uint32_t iaid)
{
	struct dhcp6c_cfg cfg = {.iaid = iaid};
	uint8_t uuid[16];
	unsigned i;

	memset(d, 0, sizeof(*d));
	for (i = 0; i < sizeof(uuid); i++)
		uuid[i] = (uint8_t)(0xc0 + i);
	dhcp6_duid_uuid(uuid, &cfg.duid);
	d->ifindex = if_nametoindex("d6A");
	d->fd = dhcp6_sock_open(d->ifindex);
	assert_true(d->fd >= 0);
	dhcp6c_init(&d->c, &cfg);
	dhcp6c_start(&d->c, now_ms(), (uint64_t)random(), &d->a);
	act(d);
}

static bool
is_bound(const struct drv *d)
{
	return d->bound > 0 && d->c.state == DHCP6C_BOUND;
}

static bool
renewed(const struct drv *d)
{
	return d->bound >= 2 && d->sent[DHCP6_RENEW] > 0 &&
	       d->c.state == DHCP6C_BOUND;
}

static bool
stopped(const struct drv *d)
{
	return d->c.state == DHCP6C_STOPPED;
}

static bool
rebound(const struct drv *d)
{
	return d->sent[DHCP6_DECLINE] > 0 && d->c.state == DHCP6C_BOUND;
}

static void
need(const char *what)
{
	if (own_ns < 0) {
		print_message("skipping: needs root for network namespaces\n");
		skip();
	}
	if (kea < 0) {
		print_message("skipping: needs kea-dhcp6 "
			      "(apt-get install kea-dhcp6-server)\n");
		skip();
	}
	if (what != NULL && system(what) != 0) {
		print_message("skipping: %s failed\n", what);
		skip();
	}
}

static bool
in_pool(const struct in6_addr *a)
{
	struct in6_addr lo, hi;

	inet_pton(AF_INET6, "2001:db8:1::1000", &lo);
	inet_pton(AF_INET6, "2001:db8:1::1fff", &hi);
	return memcmp(a, &lo, 16) >= 0 && memcmp(a, &hi, 16) <= 0;
}

/* A capture of DHCPv6 client messages on the server's side. */
static int
capture(void)
{
	struct sockaddr_ll ll = {.sll_family = AF_PACKET,
				 .sll_protocol = htons(ETH_P_IPV6)};
	int fd;

	enter(peer_ns);
	ll.sll_ifindex = (int)if_nametoindex("d6B");
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, htons(ETH_P_IPV6));
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&ll, sizeof(ll)), 0);
	enter(own_ns);
	return fd;
}

/* How many captured frames are DHCPv6 messages of type to port 547. */
static unsigned
captured(int fd, uint8_t type)
{
	uint8_t f[1514];
	unsigned n = 0;
	ssize_t len;

	while ((len = recv(fd, f, sizeof(f), 0)) > 0)
		if (len > 14 + 40 + 8 && f[14 + 6] == IPPROTO_UDP &&
		    (f[14 + 40 + 2] << 8 | f[14 + 40 + 3]) == 547 &&
		    f[14 + 40 + 8] == type)
			n++;
	return n;
}

/* Bound, renewed at T1, released: the Release on the wire. */
static void
test_bind_renew_release(void **state)
{
	struct drv d;
	int cap;

	(void)state;
	need(NULL);
	cap = capture();
	drv_start(&d, 0xc1a70001);
	assert_true(run(&d, is_bound, 10000));
	assert_true(in_pool(&d.addr));
	assert_true(d.sent[DHCP6_SOLICIT] >= 1);
	assert_true(d.sent[DHCP6_REQUEST] >= 1);
	assert_true(run(&d, renewed, 10000));
	assert_int_equal(d.lost, 0);
	dhcp6c_release(&d.c, now_ms(), 1, &d.a);
	act(&d);
	assert_int_equal(d.lost, 1);
	assert_true(run(&d, stopped, 6000));
	usleep(100000);
	assert_true(captured(cap, DHCP6_RELEASE) >= 1);
	close(cap);
	close(d.fd);
}

struct dad_wait {
	bool done;
	enum dad_result result;
};

static void
on_dad(enum dad_result result, void *arg)
{
	struct dad_wait *w = arg;

	w->done = true;
	w->result = result;
}

static enum dad_result
dad_check(const struct in6_addr *a)
{
	struct dad_wait w = {0};
	sd_event *e;
	struct dad *dad;
	uint64_t end = now_ms() + 5000;

	assert_int_equal(sd_event_new(&e), 0);
	dad = dad_start(e, if_nametoindex("d6A"), a, on_dad, &w);
	assert_non_null(dad);
	while (!w.done && now_ms() < end)
		assert_true(sd_event_run(e, 100000) >= 0);
	dad_free(dad);
	sd_event_unref(e);
	assert_true(w.done);
	return w.result;
}

/* An address someone else has: DAD says so, Decline, another one. */
static void
test_decline(void **state)
{
	char a[INET6_ADDRSTRLEN];
	struct in6_addr first;
	struct drv d;

	(void)state;
	need(NULL);
	drv_start(&d, 0xc1a70002);
	assert_true(run(&d, is_bound, 10000));
	first = d.addr;
	inet_ntop(AF_INET6, &first, a, sizeof(a));
	enter(peer_ns);
	sh("ip -6 addr add %s/128 dev d6B nodad", a);
	enter(own_ns);
	assert_int_equal(dad_check(&first), DAD_DUPLICATE);
	dhcp6c_decline(&d.c, now_ms(), 2, &d.a);
	act(&d);
	assert_int_equal(d.lost, 1);
	assert_int_equal(d.sent[DHCP6_DECLINE], 1);
	assert_true(run(&d, rebound, 15000));
	assert_true(in_pool(&d.addr));
	assert_memory_not_equal(&d.addr, &first, 16);
	assert_int_equal(dad_check(&d.addr), DAD_OK);
	enter(peer_ns);
	sh("ip -6 addr del %s/128 dev d6B", a);
	enter(own_ns);
	close(d.fd);
}

/* The host's dhcpcd holds port 546 and gets its address; so do we. */
static void
test_beside_dhcpcd(void **state)
{
	char conf[160], out[256];
	char *argv[] = {"dhcpcd",	  "-f",	 conf, "-c", "/bin/true", "-6",
			"--nobackground", "d6A", NULL};
	bool had_duid, had_rundir;
	struct drv d;
	pid_t pid;
	FILE *f;

	(void)state;
	need("command -v dhcpcd >/dev/null");
	had_duid = access("/var/lib/dhcpcd/duid", F_OK) == 0;
	had_rundir = access("/run/dhcpcd", F_OK) == 0;
	snprintf(conf, sizeof(conf), "%s/dhcpcd.conf", dir);
	assert_non_null(f = fopen(conf, "w"));
	/* dhcpcd.conf(5): DHCPv6 at once, without waiting for an RA */
	fprintf(f, "noipv6rs\nipv6only\ninterface d6A\n  ia_na 1\n");
	assert_int_equal(fclose(f), 0);
	pid = spawn(own_ns, "dhcpcd", argv);
	usleep(500000);
	drv_start(&d, 0xc1a70003);
	assert_true(run(&d, is_bound, 10000));
	/* dhcpcd's own address: another /128 of the pool on the link */
	inet_ntop(AF_INET6, &d.addr, out, sizeof(out));
	sh("for i in $(seq 50); do ip -6 addr show dev d6A | "
	   "grep -v '%s/' | grep -q '2001:db8:1::1.*/128' && exit 0; "
	   "sleep 0.2; done; exit 1",
	   out);
	sh("ss -Hulpn 'sport = :546' | grep -q dhcpcd");
	stop(pid);
	sh("rm -f /var/lib/dhcpcd/d6A.lease6");
	if (!had_duid)
		sh("rm -f /var/lib/dhcpcd/duid");
	if (!had_rundir)
		sh("rmdir /run/dhcpcd");
	close(d.fd);
}

static int
setup(void **state)
{
	char conf[128];
	char *argv[] = {"kea-dhcp6", "-c", conf, NULL};
	FILE *f;

	(void)state;
	if (geteuid() != 0 || unshare(CLONE_NEWNET) < 0)
		return 0; /* the tests skip */
	if (mkdtemp(dir) == NULL ||
	    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		return -1;
	own_ns = open("/proc/self/ns/net", O_RDONLY);
	if (own_ns < 0 || unshare(CLONE_NEWNET) < 0)
		return -1;
	peer_ns = open("/proc/self/ns/net", O_RDONLY);
	sh("ip link set lo up");
	sh("sysctl -qw net.ipv6.conf.default.accept_dad=0");
	sh("ip link add d6B type veth peer name d6A");
	sh("ip link set d6A netns /proc/%d/fd/%d address 02:00:00:00:01:02",
	   getpid(), own_ns);
	sh("ip -6 addr add 2001:db8:1::1/64 dev d6B && ip link set d6B up");
	enter(own_ns);
	sh("ip link set lo up");
	sh("sysctl -qw net.ipv6.conf.d6A.accept_dad=0");
	sh("ip link set d6A up");
	if (system("command -v kea-dhcp6 >/dev/null") != 0)
		return 0;
	snprintf(conf, sizeof(conf), "%s/kea.json", dir);
	if ((f = fopen(conf, "w")) == NULL)
		return -1;
	/* Kea 2.2 (kea-dhcp6(8)): short timers; declined addresses wait
	 * 60 s before they are offered again. */
	fprintf(f,
		"{\"Dhcp6\": {\n"
		" \"interfaces-config\": {\"interfaces\": [\"d6B\"]},\n"
		" \"server-id\": {\"type\": \"EN\", \"enterprise-id\": 32473,"
		" \"identifier\": \"0102030405\", \"persist\": false},\n"
		" \"lease-database\": {\"type\": \"memfile\", \"persist\": true,"
		" \"name\": \"%s/leases6.csv\", \"lfc-interval\": 0},\n"
		" \"renew-timer\": 2, \"rebind-timer\": 4,\n"
		" \"preferred-lifetime\": 6, \"valid-lifetime\": 8,\n"
		" \"decline-probation-period\": 60,\n"
		" \"subnet6\": [{\"id\": 1, \"subnet\": \"2001:db8:1::/64\","
		" \"interface\": \"d6B\", \"pools\": [{\"pool\":"
		" \"2001:db8:1::1000-2001:db8:1::1fff\"}]}]\n"
		"}}\n",
		dir);
	fclose(f);
	kea = spawn(peer_ns, "kea", argv);
	usleep(1500000); /* it binds */
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	if (kea > 0)
		stop(kea);
	if (own_ns >= 0) {
		sh("rm -rf %s", dir);
		close(own_ns);
		close(peer_ns);
	}
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bind_renew_release),
		cmocka_unit_test(test_decline),
		cmocka_unit_test(test_beside_dhcpcd),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
