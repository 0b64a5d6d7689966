/* SPDX-License-Identifier: BSD-2-Clause */
/* Network namespaces and peers for unit tests (netns.h). */
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "netns.h"

void
netns_sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd) != 0)
		fail_msg("failed: %s", cmd);
}

uint64_t
netns_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void
netns_enter(int ns)
{
	assert_int_equal(setns(ns, CLONE_NEWNET), 0);
}

int
netns_capture6(int ns, const char *ifname, int back)
{
	struct sockaddr_ll ll = {.sll_family = AF_PACKET,
				 .sll_protocol = htons(ETH_P_IPV6)};
	int fd;

	netns_enter(ns);
	ll.sll_ifindex = (int)if_nametoindex(ifname);
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, htons(ETH_P_IPV6));
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&ll, sizeof(ll)), 0);
	netns_enter(back);
	return fd;
}

int
netns_pair(int *own, int *peer)
{
	if (geteuid() != 0 || unshare(CLONE_NEWNET) < 0 ||
	    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		return -1;
	*own = open("/proc/self/ns/net", O_RDONLY);
	if (*own < 0 || unshare(CLONE_NEWNET) < 0)
		return -1;
	*peer = open("/proc/self/ns/net", O_RDONLY);
	netns_sh("ip link set lo up");
	netns_enter(*own);
	netns_sh("ip link set lo up");
	return *peer < 0 ? -1 : 0;
}

pid_t
netns_spawn(int ns, const char *dir, const char *name, char *const argv[])
{
	char log[256];
	pid_t pid;
	int fd;

	snprintf(log, sizeof(log), "%s/%s.log", dir, name);
	if ((pid = fork()) == 0) {
		if (setsid() < 0 || setns(ns, CLONE_NEWNET) < 0 ||
		    (fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0)
			_exit(127);
		dup2(fd, 1);
		dup2(fd, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	assert_true(pid > 0);
	return pid;
}

void
netns_stop(pid_t pid)
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
