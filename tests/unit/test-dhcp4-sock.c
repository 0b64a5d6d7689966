/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * src/dhcp/dhcp4_sock.c with src/dhcp/dhcp4.c on real peers: a veth pair
 * between two network namespaces of this process (root only), dnsmasq
 * as the DHCPv4 server in the peer's and dhcpcd as the host's client in
 * ours, in test mode (-T: it configures nothing and writes no lease). The
 * watch must see the client's DISCOVER and the server's OFFER, with or
 * without option 108 as configured, and nothing but DHCP. Skips without
 * root, dnsmasq or dhcpcd. The namespaces vanish with the process; the
 * servers are stopped by PID and their files removed.
 */
#include <arpa/inet.h>
#include <errno.h>
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
#include <unistd.h>

#include <cmocka.h>

#include "dhcp/dhcp4.h"
#include "dhcp/dhcp4_sock.h"
#include "netns.h"

#define DEADLINE_MS 10000

static int own_ns = -1, peer_ns = -1;
static char dir[] = "/tmp/xlatd-test-dhcp4-XXXXXX";
static const struct dhcp4_host host = {.hwaddr = {2, 0, 0, 0, 1, 2}, .len = 6};

static pid_t
start_server(bool v6only)
{
	char range[] = "--dhcp-range=192.0.2.100,192.0.2.150,2m";
	char leases[128];
	char *argv[] = {"dnsmasq",
			"--keep-in-foreground",
			"--no-daemon",
			"--port=0",
			"--interface=dhcB",
			"--bind-interfaces",
			"--no-ping",
			range,
			leases,
			"--dhcp-option=108,1800",
			NULL};

	snprintf(leases, sizeof(leases), "--dhcp-leasefile=%s/leases", dir);
	if (!v6only)
		argv[9] = NULL;
	return netns_spawn(peer_ns, dir, "dnsmasq", argv);
}

static pid_t
start_client(bool v6only)
{
	char conf[128];
	/* -c /bin/true: no hook scripts, which would leave state. */
	char *argv[] = {"dhcpcd",    "-f", conf, "-c",
			"/bin/true", "-4", "-T", "--nobackground",
			"dhcA",	     NULL};
	FILE *f;

	snprintf(conf, sizeof(conf), "%s/dhcpcd.conf", dir);
	assert_non_null(f = fopen(conf, "w"));
	/* dhcpcd.conf(5): option asks the server for it. */
	fprintf(f, "%s", v6only ? "option ipv6_only_preferred\n" : "");
	assert_int_equal(fclose(f), 0);
	return netns_spawn(own_ns, dir, "dhcpcd", argv);
}

struct seen_all {
	bool client, offer;
	struct dhcp4_seen first_client, first_offer;
	unsigned packets;
};

/* Read the watch until the client's message and an offer were seen. */
static void
watch(int fd, struct seen_all *all)
{
	uint8_t buf[DHCP4_SOCK_BUF];
	struct pollfd p = {.fd = fd, .events = POLLIN};
	uint64_t end = netns_now_ms() + DEADLINE_MS;
	struct dhcp4_seen s;
	ssize_t n;
	unsigned sport, dport;

	memset(all, 0, sizeof(*all));
	while (!(all->client && all->offer) && netns_now_ms() < end) {
		if (poll(&p, 1, 100) <= 0)
			continue;
		assert_true((n = dhcp4_sock_read(fd, buf, sizeof(buf))) >= 0);
		if (n == 0)
			continue;
		all->packets++;
		/* the filter passes DHCP ports only */
		assert_true(n >= 28);
		sport = (unsigned)(buf[20] << 8 | buf[21]);
		dport = (unsigned)(buf[22] << 8 | buf[23]);
		assert_true(sport == 67 || sport == 68);
		assert_true(dport == 67 || dport == 68);
		switch (dhcp4_classify(buf, (size_t)n, &host, &s)) {
		case DHCP4_CLIENT:
			if (!all->client)
				all->first_client = s;
			all->client = true;
			break;
		case DHCP4_OFFER:
			if (!all->offer)
				all->first_offer = s;
			all->offer = true;
			break;
		default:
			break;
		}
	}
}

static void
need(void)
{
	if (own_ns < 0) {
		print_message("skipping: needs root for network namespaces\n");
		skip();
	}
	if (system("command -v dnsmasq >/dev/null && "
		   "command -v dhcpcd >/dev/null") != 0) {
		print_message("skipping: needs dnsmasq and dhcpcd "
			      "(apt-get install dnsmasq-base dhcpcd-base)\n");
		skip();
	}
}

static int
open_watch(void)
{
	int fd = dhcp4_sock_open(if_nametoindex("dhcA"));

	assert_true(fd >= 0);
	return fd;
}

static void
run(bool v6only)
{
	struct seen_all all;
	pid_t server, client;
	int fd;

	need();
	fd = open_watch();
	server = start_server(v6only);
	usleep(300000); /* dnsmasq binds */
	client = start_client(v6only);
	watch(fd, &all);
	netns_stop(client);
	netns_stop(server);
	close(fd);
	print_message("%u DHCP packets seen\n", all.packets);
	assert_true(all.client);
	assert_int_equal(all.first_client.asks_v6only, v6only);
	assert_true(all.offer);
	assert_int_equal(all.first_offer.v6only, v6only);
	assert_int_equal(all.first_offer.v6only_wait, v6only ? 1800 : 0);
	assert_int_equal(all.first_offer.xid, all.first_client.xid);
}

static void
test_offer_v6only(void **state)
{
	(void)state;
	run(true);
}

/* RFC 8925 §3.3: a client that does not ask gets no option 108. */
static void
test_offer_plain(void **state)
{
	(void)state;
	run(false);
}

/* Other IPv4 UDP on the link is filtered out in the kernel. */
static void
test_only_dhcp(void **state)
{
	struct sockaddr_in to = {.sin_family = AF_INET,
				 .sin_port = htons(9999)};
	uint8_t buf[DHCP4_SOCK_BUF];
	int fd, s, i;

	(void)state;
	need();
	fd = open_watch();
	inet_pton(AF_INET, "192.0.2.1", &to.sin_addr);
	assert_true((s = socket(AF_INET, SOCK_DGRAM, 0)) >= 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(sendto(s, "x", 1, 0, (struct sockaddr *)&to,
					sizeof(to)),
				 1);
	to.sin_port = htons(67); /* from an ephemeral port: not DHCP */
	assert_int_equal(
		sendto(s, "x", 1, 0, (struct sockaddr *)&to, sizeof(to)), 1);
	usleep(200000);
	assert_int_equal(dhcp4_sock_read(fd, buf, sizeof(buf)), 0);
	close(s);
	close(fd);
}

static int
setup(void **state)
{
	(void)state;
	if (netns_pair(&own_ns, &peer_ns) < 0 || mkdtemp(dir) == NULL) {
		own_ns = -1; /* the tests skip */
		return 0;
	}
	netns_enter(peer_ns);
	netns_sh("ip link add dhcB type veth peer name dhcA");
	netns_sh("ip link set dhcA netns /proc/%d/fd/%d address "
		 "02:00:00:00:01:02",
		 getpid(), own_ns);
	netns_sh("ip addr add 192.0.2.1/24 dev dhcB && ip link set dhcB up");
	netns_enter(own_ns);
	netns_sh("ip link set dhcA up");
	netns_sh("ip addr add 192.0.2.2/24 dev dhcA");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
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
		cmocka_unit_test(test_offer_v6only),
		cmocka_unit_test(test_offer_plain),
		cmocka_unit_test(test_only_dhcp),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
