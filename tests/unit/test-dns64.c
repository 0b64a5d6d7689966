/* SPDX-License-Identifier: BSD-2-Clause */
/* src/daemon/dns64.c: RFC 7050 §3, the NAT64 prefix from the AAAA
 * records of ipv4only.arpa; and, as root in a network namespace of its
 * own, whole lookups against a small DNS responder on ::1. */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
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
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/dns64.h"

/* RFC 6052 §2.2 positions of 192.0.0.170, as in RFC 6052 §2.4. */
static const struct {
	const char *prefix;
	unsigned len;
	const char *wka170, *wka171;
} table[] = {
	{"2001:db8::", 32, "2001:db8:c000:aa::", "2001:db8:c000:ab::"},
	{"2001:db8:100::", 40, "2001:db8:1c0:0:aa::", "2001:db8:1c0:0:ab::"},
	{"2001:db8:122::", 48,
	 "2001:db8:122:c000:0:aa00::", "2001:db8:122:c000:0:ab00::"},
	{"2001:db8:122:300::", 56,
	 "2001:db8:122:3c0:0:aa::", "2001:db8:122:3c0:0:ab::"},
	{"2001:db8:122:344::", 64, "2001:db8:122:344:c0:0:aa00:0",
	 "2001:db8:122:344:c0:0:ab00:0"},
	{"2001:db8:122:344::", 96, "2001:db8:122:344::192.0.0.170",
	 "2001:db8:122:344::192.0.0.171"},
	/* the Well-Known Prefix (RFC 6052 §2.1) */
	{"64:ff9b::", 96, "64:ff9b::c000:aa", "64:ff9b::c000:ab"},
};
#define TABLE_ROWS (sizeof(table) / sizeof(table[0]))

static struct in6_addr
addr6(const char *s)
{
	struct in6_addr a;

	if (inet_pton(AF_INET6, s, &a) != 1)
		fail_msg("bad address %s", s);
	return a;
}

static void
assert_prefix(const struct xlat_prefix6 *got, const char *want, unsigned len)
{
	struct in6_addr w = addr6(want);
	char buf[INET6_ADDRSTRLEN];

	if (memcmp(&got->addr, &w, 16) != 0 || got->len != len) {
		inet_ntop(AF_INET6, &got->addr, buf, sizeof(buf));
		fail_msg("got %s/%u, want %s/%u", buf, got->len, want, len);
	}
}

static void
test_every_length(void **state)
{
	struct xlat_prefix6 p, q;
	struct in6_addr a;
	uint8_t v4[4] = {192, 0, 0, 170};
	size_t i;

	(void)state;
	for (i = 0; i < TABLE_ROWS; i++) {
		a = addr6(table[i].wka170);
		assert_true(dns64_prefix_from_aaaa(a.s6_addr, &p));
		assert_prefix(&p, table[i].prefix, table[i].len);
		assert_true(xlat_prefix6_valid(&p));
		/* the table agrees with the core's RFC 6052 embedding */
		xlat_rfc6052_embed(&p, v4, &a);
		assert_true(dns64_prefix_from_aaaa(a.s6_addr, &q));
		assert_memory_equal(&p, &q, sizeof(p));

		a = addr6(table[i].wka171);
		assert_true(dns64_prefix_from_aaaa(a.s6_addr, &p));
		assert_prefix(&p, table[i].prefix, table[i].len);
	}
}

/* The prefix's bits past its length come back zero. */
static void
test_prefix_bits_zeroed(void **state)
{
	struct xlat_prefix6 p;
	struct in6_addr a = addr6("2001:db8:c000:aa:0:0:0:0");

	(void)state;
	assert_true(dns64_prefix_from_aaaa(a.s6_addr, &p));
	assert_prefix(&p, "2001:db8::", 32);
	/* a nonzero suffix is reserved, not part of the prefix */
	a = addr6("2001:db8:122:344:c0:0:aa00:1");
	assert_true(dns64_prefix_from_aaaa(a.s6_addr, &p));
	assert_prefix(&p, "2001:db8:122:344::", 64);
}

static void
test_no_wka(void **state)
{
	static const char *t[] = {
		"::",
		"2001:db8::1",
		"64:ff9b::192.0.2.33",	/* an ordinary synthesized address */
		"64:ff9b::192.0.0.169", /* neither .170 nor .171 */
		"64:ff9b::192.0.0.172",
		"64:ff9b::c000:aa00",		 /* shifted by a byte */
		"2001:db8:122:344:1c0:0:aa00:0", /* u-octet not zero */
		"64:ff9b:0:0:100::c000:aa",	 /* u-octet not zero (/96) */
	};
	struct xlat_prefix6 p;
	struct in6_addr a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		a = addr6(t[i]);
		if (dns64_prefix_from_aaaa(a.s6_addr, &p))
			fail_msg("%s: found a WKA", t[i]);
	}
	assert_false(dns64_prefix_from_addrs(NULL, 0, &p));
	a = addr6("2001:db8::1");
	assert_false(dns64_prefix_from_addrs(&a, 1, &p));
}

/* The prefix itself holds c000:00aa where a /32 would put the WKA:
 * the longest length wins, alone or with the .171 record. */
static void
test_wka_in_prefix(void **state)
{
	struct in6_addr a[2] = {
		addr6("2001:db8:c000:aa::192.0.0.170"),
		addr6("2001:db8:c000:aa::192.0.0.171"),
	};
	struct xlat_prefix6 p;

	(void)state;
	assert_true(dns64_prefix_from_aaaa(a[0].s6_addr, &p));
	assert_prefix(&p, "2001:db8:c000:aa::", 96);
	assert_true(dns64_prefix_from_addrs(a, 2, &p));
	assert_prefix(&p, "2001:db8:c000:aa::", 96);
}

/* RFC 7050 §3: the secondary WKA settles what the primary alone cannot.
 * A DNS64 with the /32 prefix 2001:db8::/32 that (against RFC 6052's
 * SHOULD) puts c000:00ab in the suffix: the .170 record alone also
 * reads as a /96, but only /32 agrees across both records. */
static void
test_secondary_wka_disambiguates(void **state)
{
	struct in6_addr a[2] = {
		addr6("2001:db8:c000:aa::c000:ab"),
		addr6("2001:db8:c000:ab::c000:ab"),
	};
	struct xlat_prefix6 p;

	(void)state;
	assert_true(dns64_prefix_from_aaaa(a[0].s6_addr, &p));
	assert_prefix(&p, "2001:db8:c000:aa::", 96);
	assert_true(dns64_prefix_from_addrs(a, 2, &p));
	assert_prefix(&p, "2001:db8::", 32);
}

/* Several prefixes (RFC 7050 §3 allows them): the first record's. A
 * record without a WKA does not spoil the others. */
static void
test_several_prefixes(void **state)
{
	struct in6_addr a[4] = {
		addr6("2001:db8::1"),
		addr6("2001:db8:64::c000:aa"),
		addr6("64:ff9b::c000:aa"),
		addr6("64:ff9b::c000:ab"),
	};
	struct xlat_prefix6 p;

	(void)state;
	assert_true(dns64_prefix_from_addrs(a, 4, &p));
	assert_prefix(&p, "2001:db8:64::", 96);
	assert_true(dns64_prefix_from_addrs(a + 2, 2, &p));
	assert_prefix(&p, "64:ff9b::", 96);
	a[1] = a[0];
	assert_true(dns64_prefix_from_addrs(a, 4, &p));
	assert_prefix(&p, "64:ff9b::", 96);
}

/*
 * Integration: a DNS responder on [::1]:port in our own namespace.
 * mode: ok (AAAA records from the remaining arguments, hex), nxdomain,
 * servfail, silent.
 */
static const char responder_py[] =
	"import socket, struct, sys\n"
	"mode, port = sys.argv[1], int(sys.argv[2])\n"
	"answers = [bytes.fromhex(h) for h in sys.argv[3:]]\n"
	"s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)\n"
	"s.bind(('::1', port))\n"
	"print('ready', flush=True)\n"
	"while True:\n"
	"    q, peer = s.recvfrom(512)\n"
	"    if mode == 'silent' or len(q) < 17:\n"
	"        continue\n"
	"    i = 12\n"
	"    while q[i] != 0:\n"
	"        i += q[i] + 1\n"
	"    qtype = struct.unpack('!H', q[i + 1:i + 3])[0]\n"
	"    rcode = {'ok': 0, 'nxdomain': 3, 'servfail': 2}[mode]\n"
	"    rrs = b''\n"
	"    if mode == 'ok' and qtype == 28:\n"
	"        for a in answers:\n"
	"            rrs += b'\\xc0\\x0c' + struct.pack('!HHIH', 28, 1, 600,\n"
	"                                              16) + a\n"
	"    n = len(rrs) // 28\n"
	"    hdr = q[:2] + struct.pack('!HHHHH', 0x8180 | rcode, 1, n, 0, 0)\n"
	"    s.sendto(hdr + q[12:i + 5] + rrs, peer)\n";

static bool have_netns;

struct lookup {
	sd_event *event;
	struct dns64 *d;
	unsigned calls;
	bool found;
	struct xlat_prefix6 prefix;
	bool free_in_cb;
};

static void
on_done(bool found, const struct xlat_prefix6 *prefix, void *arg)
{
	struct lookup *l = arg;

	l->calls++;
	l->found = found;
	if (found)
		l->prefix = *prefix;
	else
		assert_null(prefix);
	if (l->free_in_cb) {
		dns64_free(l->d);
		l->d = NULL;
	}
}

/* Run the loop until the callback came (the guard fails the test after
 * 10 s), then for 200 ms more, to see that it comes only once. */
static void
run(struct lookup *l)
{
	while (l->calls == 0)
		assert_true(sd_event_run(l->event, UINT64_MAX) >= 0);
	assert_true(sd_event_run(l->event, 200000) >= 0);
	assert_int_equal(l->calls, 1);
}

static int
on_too_long(sd_event_source *s, uint64_t usec, void *arg)
{
	(void)s;
	(void)usec;
	(void)arg;
	fail_msg("no callback in 10 s");
	return 0;
}

static pid_t
responder(const char *mode, unsigned port, const char *a1, const char *a2)
{
	char portbuf[16], hex[2][33], line[16];
	const char *as[2] = {a1, a2};
	int fds[2], i, j;
	struct in6_addr a;
	pid_t pid;
	FILE *f;

	for (i = 0; i < 2; i++) {
		hex[i][0] = '\0';
		if (as[i] == NULL)
			continue;
		a = addr6(as[i]);
		for (j = 0; j < 16; j++)
			sprintf(hex[i] + 2 * j, "%02x", a.s6_addr[j]);
	}
	snprintf(portbuf, sizeof(portbuf), "%u", port);
	assert_int_equal(pipe(fds), 0);
	if ((pid = fork()) == 0) {
		/* gone with us, even when a test fails half-way */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		execlp("python3", "python3", "-c", responder_py, mode, portbuf,
		       a1 ? hex[0] : NULL, a2 ? hex[1] : NULL, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	f = fdopen(fds[0], "r");
	if (fgets(line, sizeof(line), f) == NULL ||
	    strcmp(line, "ready\n") != 0)
		fail_msg("the DNS responder (python3) did not start");
	fclose(f);
	return pid;
}

static void
stop(pid_t pid)
{
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Run one lookup against servers; twice in a row when restart. */
static uint64_t
lookup(struct lookup *l, const char *servers, bool restart)
{
	sd_event_source *guard = NULL;
	uint64_t t0;

	memset(l, 0, sizeof(*l));
	assert_int_equal(sd_event_new(&l->event), 0);
	assert_int_equal(sd_event_add_time_relative(l->event, &guard,
						    CLOCK_MONOTONIC, 10000000,
						    0, on_too_long, NULL),
			 0);
	l->d = dns64_new(l->event, "up0", servers, on_done, l);
	assert_non_null(l->d);
	t0 = now_ms();
	assert_int_equal(dns64_start(l->d), 0);
	if (restart)
		assert_int_equal(dns64_start(l->d), 0);
	assert_int_equal(l->calls, 0); /* never from inside dns64_start() */
	run(l);
	t0 = now_ms() - t0 - 200;
	dns64_free(l->d);
	sd_event_source_unref(guard);
	sd_event_unref(l->event);
	return t0;
}

static void
need_netns(void)
{
	if (!have_netns) {
		print_message("skipping: needs root (CAP_SYS_ADMIN) for a "
			      "network namespace of its own\n");
		skip();
	}
}

static void
test_lookup_found(void **state)
{
	struct lookup l;
	pid_t pid;

	(void)state;
	need_netns();
	pid = responder("ok", 5301, "2001:db8:64::192.0.0.170",
			"2001:db8:64::192.0.0.171");
	lookup(&l, "[::1]:5301", false);
	assert_true(l.found);
	assert_prefix(&l.prefix, "2001:db8:64::", 96);
	stop(pid);
}

/* A /48 network-specific prefix; the callback frees the lookup. */
static void
test_lookup_found_48_free_in_cb(void **state)
{
	struct lookup l;
	sd_event *e;
	pid_t pid;

	(void)state;
	need_netns();
	pid = responder("ok", 5302, "2001:db8:122:c000:0:aa00::",
			"2001:db8:122:c000:0:ab00::");
	memset(&l, 0, sizeof(l));
	assert_int_equal(sd_event_new(&e), 0);
	l.event = e;
	l.free_in_cb = true;
	l.d = dns64_new(e, "up0", "[::1]:5302", on_done, &l);
	assert_non_null(l.d);
	assert_int_equal(dns64_start(l.d), 0);
	run(&l);
	assert_null(l.d);
	assert_true(l.found);
	assert_prefix(&l.prefix, "2001:db8:122::", 48);
	sd_event_unref(e);
	stop(pid);
}

/* A restarted lookup calls back once. */
static void
test_lookup_restart(void **state)
{
	struct lookup l;
	pid_t pid;

	(void)state;
	need_netns();
	pid = responder("ok", 5303, "64:ff9b::192.0.0.170", NULL);
	lookup(&l, "[::1]:5303", true);
	assert_true(l.found);
	assert_prefix(&l.prefix, "64:ff9b::", 96);
	stop(pid);
}

/* Servers separated by a blank; the first refuses (no listener, ICMPv6
 * port unreachable), c-ares moves on to the second. */
static void
test_lookup_failover(void **state)
{
	struct lookup l;
	pid_t pid;

	(void)state;
	need_netns();
	pid = responder("ok", 5304, "2001:db8:64::192.0.0.170", NULL);
	lookup(&l, "[::1]:5399 [::1]:5304", false);
	assert_true(l.found);
	assert_prefix(&l.prefix, "2001:db8:64::", 96);
	stop(pid);
}

static void
test_lookup_not_found(void **state)
{
	static const struct {
		const char *mode, *a;
	} t[] = {
		{"nxdomain", NULL},
		{"servfail", NULL},
		{"ok", NULL},	       /* NOERROR, no AAAA: no DNS64 */
		{"ok", "2001:db8::1"}, /* an AAAA without a WKA */
	};
	struct lookup l;
	char servers[32];
	uint64_t ms;
	size_t i;
	pid_t pid;

	(void)state;
	need_netns();
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		pid = responder(t[i].mode, 5310 + (unsigned)i, t[i].a, NULL);
		snprintf(servers, sizeof(servers), "[::1]:%u",
			 5310 + (unsigned)i);
		ms = lookup(&l, servers, false);
		if (l.found)
			fail_msg("%s %s: found a prefix", t[i].mode,
				 t[i].a ? t[i].a : "");
		assert_true(ms < 1000);
		stop(pid);
	}
}

/* Two servers that never answer: c-ares alone would take 1+1+2+2 s; the
 * lookup ends at DNS64_TIMEOUT_USEC. */
static void
test_lookup_timeout(void **state)
{
	struct lookup l;
	uint64_t ms;
	pid_t p1, p2;

	(void)state;
	need_netns();
	p1 = responder("silent", 5320, NULL, NULL);
	p2 = responder("silent", 5321, NULL, NULL);
	ms = lookup(&l, "[::1]:5320,[::1]:5321", false);
	assert_false(l.found);
	print_message("timed out after %llu ms\n", (unsigned long long)ms);
	assert_true(ms >= DNS64_TIMEOUT_USEC / 1000 - 50);
	assert_true(ms < DNS64_TIMEOUT_USEC / 1000 + 500);
	stop(p1);
	stop(p2);
}

static void
test_bad_servers(void **state)
{
	sd_event *e;

	(void)state;
	assert_int_equal(sd_event_new(&e), 0);
	assert_null(dns64_new(e, "up0", "not-an-address", on_done, NULL));
	sd_event_unref(e);
}

/* Our own network namespace with lo up, or none (then skip). */
static int
setup_netns(void **state)
{
	struct ifreq ifr;
	int fd;

	(void)state;
	if (geteuid() != 0 || unshare(CLONE_NEWNET) < 0)
		return 0;
	if ((fd = socket(AF_INET6, SOCK_DGRAM, 0)) < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		return -1;
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		return -1;
	close(fd);
	have_netns = true;
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_length),
		cmocka_unit_test(test_prefix_bits_zeroed),
		cmocka_unit_test(test_no_wka),
		cmocka_unit_test(test_wka_in_prefix),
		cmocka_unit_test(test_secondary_wka_disambiguates),
		cmocka_unit_test(test_several_prefixes),
		cmocka_unit_test(test_bad_servers),
		cmocka_unit_test(test_lookup_found),
		cmocka_unit_test(test_lookup_found_48_free_in_cb),
		cmocka_unit_test(test_lookup_restart),
		cmocka_unit_test(test_lookup_failover),
		cmocka_unit_test(test_lookup_not_found),
		cmocka_unit_test(test_lookup_timeout),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup_netns, NULL);
}
