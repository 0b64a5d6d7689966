/* SPDX-License-Identifier: BSD-2-Clause */
/* Running clatd-style scripts with the settings in the environment. Each
 * is watched through a pidfd (pidfd_open(2)), which becomes readable when
 * the process ends, and a timer for the timeout. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "script.h"

#define USEC_PER_SEC 1000000ULL

struct script {
	struct script *next;
	pid_t pid;
	int pidfd;
	sd_event_source *exited, *timeout;
	uint64_t deadline; /* CLOCK_MONOTONIC, microseconds */
	bool killed;
	char what[48]; /* "uplink: script-up" */
	char command[256];
};

/* The scripts that have not ended, for script_wait_all(). */
static struct script *script_list;

static uint64_t
script_now(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)now.tv_sec * USEC_PER_SEC +
	       (uint64_t)now.tv_nsec / 1000;
}

static void
script_free(struct script *s)
{
	struct script **p;

	for (p = &script_list; *p != NULL; p = &(*p)->next)
		if (*p == s) {
			*p = s->next;
			break;
		}
	sd_event_source_disable_unref(s->exited);
	sd_event_source_disable_unref(s->timeout);
	if (s->pidfd >= 0)
		close(s->pidfd);
	free(s);
}

/* The process has ended (its pidfd is readable): reap it, say how. */
static void
script_reap(struct script *s)
{
	int status = 0;

	while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
		;
	if (s->killed)
		log_warnx("%s (%s) did not end within %u s: killed", s->what,
			  s->command, SCRIPT_TIMEOUT_SEC);
	else if (!WIFEXITED(status))
		log_warnx("%s (%s) ended by signal %d", s->what, s->command,
			  WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0)
		log_warnx("%s (%s) exited with status %d", s->what, s->command,
			  WEXITSTATUS(status));
	script_free(s);
}

static void
script_kill(struct script *s)
{
	s->killed = true;
	/* the group first: sh may have started others */
	kill(-s->pid, SIGKILL);
	kill(s->pid, SIGKILL);
}

static int
script_on_exit(sd_event_source *src, int fd, uint32_t revents, void *arg)
{
	(void)src;
	(void)fd;
	(void)revents;
	script_reap(arg);
	return 0;
}

static int
script_on_timeout(sd_event_source *src, uint64_t usec, void *arg)
{
	(void)src;
	(void)usec;
	script_kill(arg);
	return 0;
}

static pid_t
script_fork(const char *command, char (*env)[320], unsigned n)
{
	sigset_t none;
	unsigned i;
	pid_t pid;

	if ((pid = fork()) != 0)
		return pid;
	setpgid(0, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (i = 0; i < n; i++)
		putenv(env[i]);
	execl("/bin/sh", "sh", "-c", command, (char *)NULL);
	_exit(127);
}

int
script_start(sd_event *event, const char *what, const char *command,
	     char (*env)[320], unsigned n)
{
	struct script *s;
	int r;

	if (command == NULL || command[0] == '\0')
		return 0;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return -ENOMEM;
	snprintf(s->what, sizeof(s->what), "%s", what);
	snprintf(s->command, sizeof(s->command), "%s", command);
	s->pidfd = -1;
	if ((s->pid = script_fork(command, env, n)) < 0) {
		r = -errno;
		free(s);
		return r;
	}
	setpgid(s->pid, s->pid); /* whichever of the two runs first */
	s->next = script_list;
	script_list = s;
	if ((s->pidfd = (int)syscall(SYS_pidfd_open, s->pid, 0)) < 0) {
		r = -errno;
		goto fail;
	}
	s->deadline = script_now() + SCRIPT_TIMEOUT_SEC * USEC_PER_SEC;
	r = sd_event_add_io(event, &s->exited, s->pidfd, EPOLLIN,
			    script_on_exit, s);
	if (r >= 0)
		r = sd_event_add_time(event, &s->timeout, CLOCK_MONOTONIC,
				      s->deadline, 0, script_on_timeout, s);
	/* -ESTALE: the loop has ended; script_wait_all() will wait */
	if (r < 0 && r != -ESTALE)
		goto fail;
	return 0;
fail:
	script_kill(s);
	script_reap(s);
	return r;
}

void
script_wait_all(void)
{
	uint64_t t;
	int ms;

	while (script_list != NULL) {
		struct script *s = script_list;
		struct pollfd p = {.fd = s->pidfd, .events = POLLIN};

		t = script_now();
		ms = t >= s->deadline ? 0 : (int)((s->deadline - t) / 1000) + 1;
		if (poll(&p, 1, ms) == 0)
			script_kill(s);
		script_reap(s);
	}
}
