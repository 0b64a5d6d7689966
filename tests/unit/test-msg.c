/* SPDX-License-Identifier: BSD-2-Clause */
/* src/daemon/msg.c: the messages between the parent and the engine, on
 * a real socketpair: what goes through, with descriptors, and what the
 * receiver refuses. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/msg.h"

static int sv[2];

static int
setup(void **state)
{
	(void)state;
	return socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv);
}

static int
teardown(void **state)
{
	(void)state;
	close(sv[0]);
	close(sv[1]);
	return 0;
}

static void
good_dp(struct msg_dp *d)
{
	memset(d, 0, sizeof(*d));
	d->id = 7;
	d->uplink = 2;
	strcpy(d->clat_dev, "clat-up0");
	inet_pton(AF_INET6, "2001:db8:64::", &d->prefix);
	d->prefix_len = 96;
	inet_pton(AF_INET, "192.0.0.1", &d->v4);
	inet_pton(AF_INET6, "2001:db8:1::c1a7", &d->v6);
	d->uplink_mtu = 1500;
	d->metric = 2048;
}

/* A request through, and a reply with two descriptors that work. */
static void
test_round_trip(void **state)
{
	struct msg_dp d, got;
	struct msg_reply r = {.route_mtu = 1472}, rgot;
	struct msg_hdr hdr;
	struct stat a, b;
	const char *why;
	int fds[2] = {sv[0], STDIN_FILENO}, in[MSG_FDS_MAX];

	(void)state;
	good_dp(&d);
	assert_int_equal(msg_send(sv[1], MSG_DP_CREATE, &d, sizeof(d), NULL, 0),
			 0);
	assert_int_equal(msg_recv(sv[0], &hdr, &got, sizeof(got), NULL),
			 (int)sizeof(d));
	assert_int_equal(hdr.type, MSG_DP_CREATE);
	assert_memory_equal(&got, &d, sizeof(d));
	assert_int_equal(msg_check_request(&hdr, &got, &why), 0);

	assert_int_equal(msg_send(sv[0], MSG_REPLY, &r, sizeof(r), fds, 2), 0);
	assert_int_equal(msg_recv(sv[1], &hdr, &rgot, sizeof(rgot), in),
			 (int)sizeof(r));
	assert_int_equal(hdr.nfds, 2);
	assert_int_equal(rgot.route_mtu, 1472);
	/* the same open files, as new descriptors, close-on-exec */
	fstat(sv[0], &a);
	fstat(in[0], &b);
	assert_int_equal(a.st_ino, b.st_ino);
	assert_true(fcntl(in[0], F_GETFD) & FD_CLOEXEC);
	close(in[0]);
	close(in[1]);
}

/* Malformed on the wire: the receiver says so and keeps nothing. */
static void
test_malformed(void **state)
{
	uint8_t raw[64] = {0};
	struct msg_hdr hdr = {MSG_DP_DESTROY, 0, 4};
	struct msg_dp_id id = {1};
	union {
		struct msg_dp dp;
		char pad[512];
	} buf;
	int fd = STDIN_FILENO, in[MSG_FDS_MAX];
	const char *why;

	(void)state;
	/* too short for a header */
	assert_int_equal(send(sv[1], raw, 3, 0), 3);
	assert_int_equal(msg_recv(sv[0], &hdr, &buf, sizeof(buf), NULL),
			 -EBADMSG);
	/* the header says more than came */
	hdr.len = 8;
	memcpy(raw, &hdr, sizeof(hdr));
	assert_int_equal(send(sv[1], raw, sizeof(hdr) + 4, 0),
			 (ssize_t)sizeof(hdr) + 4);
	assert_int_equal(msg_recv(sv[0], &hdr, &buf, sizeof(buf), NULL),
			 -EBADMSG);
	/* an unknown type */
	assert_int_equal(msg_send(sv[1], 99, &id, sizeof(id), NULL, 0), 0);
	assert_int_equal(msg_recv(sv[0], &hdr, &buf, sizeof(buf), NULL),
			 -EBADMSG);
	/* the wrong size for its type */
	assert_int_equal(
		msg_send(sv[1], MSG_DP_CREATE, &id, sizeof(id), NULL, 0), 0);
	assert_int_equal(msg_recv(sv[0], &hdr, &buf, sizeof(buf), NULL),
			 -EBADMSG);
	/* a request with a descriptor: the transport takes it, the parent's
	 * check refuses it */
	assert_int_equal(
		msg_send(sv[1], MSG_DP_DESTROY, &id, sizeof(id), &fd, 1), 0);
	assert_int_equal(msg_recv(sv[0], &hdr, &buf, sizeof(buf), in),
			 (int)sizeof(id));
	assert_int_equal(hdr.nfds, 1);
	close(in[0]);
	assert_int_equal(msg_check_request(&hdr, &buf, &why), -EBADMSG);
	/* a peer gone */
	close(sv[1]);
	assert_int_equal(msg_recv(sv[0], &hdr, &buf, sizeof(buf), NULL),
			 -EPIPE);
	sv[1] = dup(sv[0]); /* for the teardown */
}

/* What the parent refuses in the fields of a request. */
static void
test_check_request(void **state)
{
	struct msg_hdr hdr = {MSG_DP_CREATE, 0, sizeof(struct msg_dp)};
	struct msg_dp d;
	struct msg_notify n;
	struct msg_socket s = {MSG_SOCK_UDP6 + 1};
	struct msg_log l = {5};
	const char *why;

	(void)state;
	good_dp(&d);
	assert_int_equal(msg_check_request(&hdr, &d, &why), 0);
	d.clat_dev[0] = '\0';
	assert_int_equal(msg_check_request(&hdr, &d, &why), -EBADMSG);
	assert_string_equal(why, "bad device name");
	good_dp(&d);
	memset(d.clat_dev, 'x', sizeof(d.clat_dev)); /* no NUL */
	assert_int_equal(msg_check_request(&hdr, &d, &why), -EBADMSG);
	good_dp(&d);
	strcpy(d.clat_dev, "../x");
	assert_int_equal(msg_check_request(&hdr, &d, &why), -EBADMSG);
	good_dp(&d);
	d.prefix_len = 80;
	assert_int_equal(msg_check_request(&hdr, &d, &why), -EBADMSG);
	assert_string_equal(why, "bad prefix length");
	good_dp(&d);
	d.flags = MSG_DP_F_ALL + 1;
	assert_int_equal(msg_check_request(&hdr, &d, &why), -EBADMSG);
	good_dp(&d);
	d.pad[1] = 1;
	assert_int_equal(msg_check_request(&hdr, &d, &why), -EBADMSG);
	/* shared mode's port swap: a block with room below it, or none */
	good_dp(&d);
	d.swap_first = 32768;
	d.swap_size = 28232;
	assert_int_equal(msg_check_request(&hdr, &d, &why), 0);
	d.swap_first = 1024;
	assert_int_equal(msg_check_request(&hdr, &d, &why), -EBADMSG);
	assert_string_equal(why, "bad port swap");
	good_dp(&d);
	d.uplink = 0;
	assert_int_equal(msg_check_request(&hdr, &d, &why), -EBADMSG);
	good_dp(&d);
	d.uplink_mtu = 70000;
	assert_int_equal(msg_check_request(&hdr, &d, &why), -EBADMSG);
	/* a request with descriptors, or a reply the engine has no right to
	 * send */
	good_dp(&d);
	hdr.nfds = 1;
	assert_int_equal(msg_check_request(&hdr, &d, &why), -EBADMSG);
	hdr = (struct msg_hdr){MSG_REPLY, 0, sizeof(struct msg_reply)};
	assert_int_equal(msg_check_request(&hdr, &d, &why), -EBADMSG);
	hdr = (struct msg_hdr){MSG_SOCKET, 0, sizeof(s)};
	assert_int_equal(msg_check_request(&hdr, &s, &why), -EBADMSG);
	hdr = (struct msg_hdr){MSG_LOG, 0, sizeof(l)};
	assert_int_equal(msg_check_request(&hdr, &l, &why), -EBADMSG);
	/* a notify line must end, and hold no newline: it could add a
	 * line of its own for systemd */
	hdr = (struct msg_hdr){MSG_NOTIFY, 0, sizeof(n)};
	memset(&n, 0, sizeof(n));
	strcpy(n.text, "STATUS=ok\nMAINPID=1");
	assert_int_equal(msg_check_request(&hdr, &n, &why), -EBADMSG);
	strcpy(n.text, "STATUS=ok");
	assert_int_equal(msg_check_request(&hdr, &n, &why), 0);
	memset(n.text, 'a', sizeof(n.text));
	assert_int_equal(msg_check_request(&hdr, &n, &why), -EBADMSG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup,
						teardown),
		cmocka_unit_test(test_check_request),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
