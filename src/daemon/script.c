/* SPDX-License-Identifier: BSD-2-Clause */
/* Running clatd-style scripts with the settings in the environment. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/log.h"
#include "script.h"

int
script_run(const char *command, char (*env)[320], unsigned n)
{
	int status;
	unsigned i;
	pid_t pid;

	if (command == NULL || command[0] == '\0')
		return 0;
	pid = fork();
	if (pid < 0) {
		log_warn("%s: fork", __func__);
		return -1;
	}
	if (pid == 0) {
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		for (i = 0; i < n; i++)
			putenv(env[i]);
		execl("/bin/sh", "sh", "-c", command, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
