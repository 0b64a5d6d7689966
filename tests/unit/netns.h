/* SPDX-License-Identifier: BSD-2-Clause */
/* For the unit tests that need network namespaces of their own (root
 * only) and peers run in them: a pair of namespaces, shell commands,
 * programs in a session of their own, and the clock. Failures end the
 * test (cmocka). */
#ifndef TESTS_UNIT_NETNS_H
#define TESTS_UNIT_NETNS_H

#include <stdint.h>
#include <sys/types.h>

/* Two new network namespaces, *own entered and *peer open, with lo up in
 * both; this process also becomes a subreaper, so that the daemons that
 * netns_spawn() starts are reaped here. 0, or -1 without root (the tests
 * then skip). */
int netns_pair(int *own, int *peer);
void netns_enter(int ns);
/* A non-blocking packet socket that sees the IPv6 frames (Ethernet
 * header included) of ifname in namespace ns, opened from there; back in
 * namespace back after. */
int netns_capture6(int ns, const char *ifname, int back);
/* A shell command, which must succeed. */
void netns_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
uint64_t netns_now_ms(void);
/* argv in namespace ns, in a session of its own, output to
 * dir/name.log; its PID, which is also its session's and group's. */
pid_t netns_spawn(int ns, const char *dir, const char *name,
		  char *const argv[]);
/* The whole group of a netns_spawn(): TERM, KILL a second later, then
 * the reaping of what was reparented to this process. */
void netns_stop(pid_t pid);

#endif
