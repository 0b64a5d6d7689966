/* SPDX-License-Identifier: BSD-2-Clause */
/* Capabilities given up, no_new_privs, and the engine's system calls
 * (libseccomp). */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/sockios.h>
#include <seccomp.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include "sandbox.h"

/* Capabilities a kernel may have; dropping one it lacks fails, and is
 * not counted. */
#define SANDBOX_CAPS_MAX 64
/* open flags that would write or create */
#define SANDBOX_RDONLY (O_ACCMODE | O_CREAT | O_TRUNC)

#ifndef __has_feature
#define __has_feature(x) 0
#endif
#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer)
#define SANDBOX_ASAN 1
#endif

/* What the engine does: its event loop and memory, reading files (the
 * resolver's configuration, /proc/sys), packets on the sockets it holds,
 * DNS, netlink, the control socket, the log. */
static const char *const sandbox_calls[] = {
	"read",
	"write",
	"readv",
	"writev",
	"pread64",
	"close",
	"dup",
	"fstat",
	"newfstatat",
	"statx",
	"lseek",
	"fcntl",
	"access",
	"faccessat",
	"faccessat2",
	"brk",
	"mmap",
	"munmap",
	"mremap",
	"madvise",
	"mprotect",
	"epoll_create1",
	"epoll_ctl",
	"epoll_wait",
	"epoll_pwait",
	"epoll_pwait2",
	"timerfd_create",
	"timerfd_settime",
	"timerfd_gettime",
	"signalfd4",
	"eventfd2",
	"rt_sigprocmask",
	"rt_sigreturn",
	"rt_sigaction",
	"sigaltstack",
	"clock_gettime",
	"clock_getres",
	"gettimeofday",
	"nanosleep",
	"clock_nanosleep",
	"getpid",
	"gettid",
	"getuid",
	"geteuid",
	"getgid",
	"getegid",
	"getppid",
	"uname",
	"getrandom",
	"sysinfo",
	"getrlimit",
	"recvmsg",
	"recvfrom",
	"recvmmsg",
	"sendmsg",
	"sendto",
	"sendmmsg",
	"accept4",
	"connect",
	"bind",
	"getsockname",
	"getpeername",
	"setsockopt",
	"getsockopt",
	"shutdown",
	"poll",
	"ppoll",
	"futex",
	"exit",
	"exit_group",
	"restart_syscall",
	"tgkill",
#ifdef SANDBOX_ASAN
	/* LeakSanitizer stops the process with a tracer at exit */
	"clone",
	"clone3",
	"ptrace",
	"wait4",
	"waitid",
	"sched_yield",
	"prctl",
	"readlink",
	"readlinkat",
	"getdents",
	"getdents64",
	"sched_getaffinity",
	"prlimit64",
	"mincore",
	"kill",
#endif
};

/* socket(2): the families the engine opens itself; raw and packet
 * sockets come from the parent. */
static const int sandbox_families[] = {AF_UNIX, AF_INET, AF_INET6, AF_NETLINK};

/* ioctl(2): interface names and indexes, link-layer addresses and
 * flags, and what stdio and the sockets ask. */
static const unsigned long sandbox_ioctls[] = {
	SIOCGIFNAME, SIOCGIFINDEX, SIOCGIFHWADDR, SIOCGIFFLAGS,
	FIONREAD,    FIONBIO,	   TCGETS,
};

static int
sandbox_caps(void)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3] = {{0}};
	int cap;

	/* the bounding set takes CAP_SETPCAP, which a root run has; under
	 * systemd the unit's bounds the parent's already */
	for (cap = 0; cap < SANDBOX_CAPS_MAX; cap++)
		prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 &&
	    errno != EINVAL)
		return -errno;
	if (syscall(SYS_capset, &h, d) < 0)
		return -errno;
	return 0;
}

/* Allow syscall nr when its argument arg, masked, equals value. */
static int
sandbox_allow_arg(scmp_filter_ctx ctx, int nr, unsigned arg, unsigned long mask,
		  unsigned long value)
{
	struct scmp_arg_cmp cmp = {
		.arg = arg,
		.op = SCMP_CMP_MASKED_EQ,
		.datum_a = mask,
		.datum_b = value,
	};

	return seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, 1, &cmp);
}

static int
sandbox_rules(scmp_filter_ctx ctx)
{
	const unsigned long all = ~0UL;
	size_t i;
	int nr, r;

	for (i = 0; i < sizeof(sandbox_calls) / sizeof(sandbox_calls[0]); i++) {
		/* some do not exist on every architecture */
		if ((nr = seccomp_syscall_resolve_name(sandbox_calls[i])) < 0)
			continue;
		if ((r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0)) < 0)
			return r;
	}
	for (i = 0; i < sizeof(sandbox_families) / sizeof(sandbox_families[0]);
	     i++)
		if ((r = sandbox_allow_arg(ctx, SCMP_SYS(socket), 0, all,
					   (unsigned)sandbox_families[i])) < 0)
			return r;
	for (i = 0; i < sizeof(sandbox_ioctls) / sizeof(sandbox_ioctls[0]); i++)
		if ((r = sandbox_allow_arg(ctx, SCMP_SYS(ioctl), 1, all,
					   sandbox_ioctls[i])) < 0)
			return r;
			/* files: read only */
#ifdef SANDBOX_ASAN
	/* the sanitizers' runtime opens /proc files with open(2) */
	if ((r = sandbox_allow_arg(ctx, SCMP_SYS(open), 1, SANDBOX_RDONLY,
				   O_RDONLY)) < 0)
		return r;
#endif
	return sandbox_allow_arg(ctx, SCMP_SYS(openat), 2, SANDBOX_RDONLY,
				 O_RDONLY);
}

static int
sandbox_seccomp(void)
{
	scmp_filter_ctx ctx;
	int r;

	if ((ctx = seccomp_init(SCMP_ACT_KILL_PROCESS)) == NULL)
		return -ENOMEM;
	r = sandbox_rules(ctx);
	if (r == 0)
		r = seccomp_load(ctx);
	seccomp_release(ctx);
	return r;
}

int
sandbox_enter(void)
{
	int r;

	if ((r = sandbox_caps()) < 0)
		return r;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	return sandbox_seccomp();
}
