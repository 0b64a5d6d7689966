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
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/dad.h"
#include "dhcp/dhcp6_client.h"
#include "dhcp/dhcp6_sock.h"
#include "netns.h"

static int own_ns = -1, peer_ns = -1;
static pid_t kea = -1;
static char dir[] = "/tmp/xlatd-test-dhcp6-XXXXXX";

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
	uint64_t end = netns_now_ms() + ms, now, until;
	ssize_t n;

	while (!done(d) && (now = netns_now_ms()) < end) {
		until = d->a.wake_ms < end ? d->a.wake_ms : end;
		if (poll(&p, 1, until > now ? (int)(until - now) : 0) > 0) {
			n = dhcp6_sock_recv(d->fd, buf, sizeof(buf));
			assert_true(n >= 0);
			if (n == 0)
				continue;
			dhcp6c_receive(&d->c, netns_now_ms(),
				       (uint64_t)random(), buf + 8, (size_t)n,
				       &d->a);
			act(d);
		} else if (netns_now_ms() >= d->a.wake_ms) {
			dhcp6c_timer(&d->c, netns_now_ms(), (uint64_t)random(),
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
	dhcp6c_start(&d->c, netns_now_ms(), (uint64_t)random(), &d->a);
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
	cap = netns_capture6(peer_ns, "d6B", own_ns);
	drv_start(&d, 0xc1a70001);
	assert_true(run(&d, is_bound, 10000));
	assert_true(in_pool(&d.addr));
	assert_true(d.sent[DHCP6_SOLICIT] >= 1);
	assert_true(d.sent[DHCP6_REQUEST] >= 1);
	assert_true(run(&d, renewed, 10000));
	assert_int_equal(d.lost, 0);
	dhcp6c_release(&d.c, netns_now_ms(), 1, &d.a);
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
	uint64_t end = netns_now_ms() + 5000;

	assert_int_equal(sd_event_new(&e), 0);
	dad = dad_start(e, if_nametoindex("d6A"), a, on_dad, &w);
	assert_non_null(dad);
	while (!w.done && netns_now_ms() < end)
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
	netns_enter(peer_ns);
	netns_sh("ip -6 addr add %s/128 dev d6B nodad", a);
	/* the kernel joins the address's solicited-node group from a work
	 * queue, after the address is there: wait for it */
	netns_sh("for i in $(seq 50); do ip -6 maddr show dev d6B | "
		 "grep -q 'ff02::1:ff%02x:%x$' && exit 0; sleep 0.1; "
		 "done; exit 1",
		 first.s6_addr[13], first.s6_addr[14] << 8 | first.s6_addr[15]);
	netns_enter(own_ns);
	assert_int_equal(dad_check(&first), DAD_DUPLICATE);
	dhcp6c_decline(&d.c, netns_now_ms(), 2, &d.a);
	act(&d);
	assert_int_equal(d.lost, 1);
	assert_int_equal(d.sent[DHCP6_DECLINE], 1);
	assert_true(run(&d, rebound, 15000));
	assert_true(in_pool(&d.addr));
	assert_memory_not_equal(&d.addr, &first, 16);
	assert_int_equal(dad_check(&d.addr), DAD_OK);
	netns_enter(peer_ns);
	netns_sh("ip -6 addr del %s/128 dev d6B", a);
	netns_enter(own_ns);
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
	pid = netns_spawn(own_ns, dir, "dhcpcd", argv);
	usleep(500000);
	drv_start(&d, 0xc1a70003);
	assert_true(run(&d, is_bound, 10000));
	/* dhcpcd's own address: another /128 of the pool on the link */
	inet_ntop(AF_INET6, &d.addr, out, sizeof(out));
	netns_sh("for i in $(seq 50); do ip -6 addr show dev d6A | "
		 "grep -v '%s/' | grep -q '2001:db8:1::1.*/128' && exit 0; "
		 "sleep 0.2; done; exit 1",
		 out);
	netns_sh("ss -Hulpn 'sport = :546' | grep -q dhcpcd");
	netns_stop(pid);
	netns_sh("rm -f /var/lib/dhcpcd/d6A.lease6");
	if (!had_duid)
		netns_sh("rm -f /var/lib/dhcpcd/duid");
	if (!had_rundir)
		netns_sh("rmdir /run/dhcpcd");
	close(d.fd);
}

static int
setup(void **state)
{
	char conf[128], pid_dir[160], lock_dir[160];
	char *argv[] = {"env", pid_dir, lock_dir, "kea-dhcp6",
			"-c",  conf,	NULL};
	FILE *f;

	(void)state;
	if (netns_pair(&own_ns, &peer_ns) < 0 || mkdtemp(dir) == NULL) {
		own_ns = -1; /* the tests skip */
		return 0;
	}
	netns_enter(peer_ns);
	netns_sh("sysctl -qw net.ipv6.conf.default.accept_dad=0");
	netns_sh("ip link add d6B type veth peer name d6A");
	netns_sh(
		"ip link set d6A netns /proc/%d/fd/%d address 02:00:00:00:01:02",
		getpid(), own_ns);
	netns_sh(
		"ip -6 addr add 2001:db8:1::1/64 dev d6B && ip link set d6B up");
	netns_enter(own_ns);
	netns_sh("sysctl -qw net.ipv6.conf.d6A.accept_dad=0");
	netns_sh("ip link set d6A up");
	if (system("command -v kea-dhcp6 >/dev/null") != 0)
		return 0;
	snprintf(conf, sizeof(conf), "%s/kea.json", dir);
	snprintf(pid_dir, sizeof(pid_dir), "KEA_PIDFILE_DIR=%s", dir);
	snprintf(lock_dir, sizeof(lock_dir), "KEA_LOCKFILE_DIR=%s", dir);
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
	kea = netns_spawn(peer_ns, dir, "kea", argv);
	usleep(1500000); /* it binds */
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	if (kea > 0)
		netns_stop(kea);
	if (own_ns >= 0) {
		netns_sh("rm -rf %s", dir);
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
