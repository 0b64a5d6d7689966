/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * src/dp/dp_tun.c's error paths: dp_tun_new with each of its allocations
 * failing in turn (tests/unit/fault.h), until it succeeds. Whatever
 * fails, it must close the descriptors it was given (the TUN device's
 * and the uplink's raw and packet sockets) exactly once, close nothing
 * else, and leave no descriptor or memory behind (valgrind and ASan see
 * the memory). Needs root for a network namespace with a veth uplink
 * and its sockets; skipped otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "dp/dp_tun.h"
#include "fault.h"

#define UPLINK "dptA"
/* More than dp_tun_new and what it calls allocate. */
#define ALLOCS_MAX 64

static bool have_ns;

static bool
fd_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0 || errno != EBADF;
}

static void
need_ns(void)
{
	if (!have_ns) {
		print_message("skipping: needs root (CAP_SYS_ADMIN) for a "
			      "network namespace\n");
		skip();
	}
}

/* dp_tun_new with its nth allocation failing: NULL or not, the given
 * descriptors are gone or kept as they must be, and nothing else
 * changed. Returns whether no allocation failed (the last round). */
static bool
round_fails_at(sd_event *e, unsigned uplink, unsigned n)
{
	unsigned before = fault_open_fds(), bad = fault_bad_closes();
	struct dp_tun *dp;
	int sv[2], raw, pkt;

	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	assert_true((raw = socket(AF_INET6, SOCK_RAW, IPPROTO_RAW)) >= 0);
	assert_true((pkt = socket(AF_PACKET, SOCK_DGRAM, 0)) >= 0);
	fault_fail_alloc(n);
	dp = dp_tun_new(e, sv[0], raw, pkt, uplink);
	fault_fail_alloc(0);
	if (dp == NULL) {
		/* only the injected failure may make it fail */
		assert_true(fault_alloc_failed());
		assert_false(fd_open(sv[0]));
		assert_false(fd_open(raw));
		assert_false(fd_open(pkt));
	} else {
		assert_true(fd_open(sv[0]));
		assert_true(fd_open(raw));
		dp_tun_free(dp);
	}
	close(sv[1]);
	assert_int_equal(fault_open_fds(), before);
	assert_int_equal(fault_bad_closes(), bad);
	return dp != NULL && !fault_alloc_failed();
}

static void
test_alloc_failures(void **state)
{
	unsigned uplink, n;
	sd_event *e;

	(void)state;
	need_ns();
	assert_int_not_equal(uplink = if_nametoindex(UPLINK), 0);
	assert_int_equal(sd_event_new(&e), 0);
	for (n = 1; n <= ALLOCS_MAX; n++)
		if (round_fails_at(e, uplink, n))
			break;
	/* it allocates its state, buffers, the core's context and the
	 * netlink socket for next hops: each failure was tried */
	assert_in_range(n, 6, ALLOCS_MAX);
	sd_event_unref(e);
}

static int
setup(void **state)
{
	(void)state;
	if (geteuid() != 0 || unshare(CLONE_NEWNET) < 0)
		return 0; /* the test that needs it skips */
	if (system("ip link set lo up && ip link add " UPLINK
		   " type veth peer name dptB && ip link set " UPLINK
		   " up") != 0)
		return -1;
	have_ns = true;
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_failures),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
