/* SPDX-License-Identifier: BSD-2-Clause */
/* Commands and network namespaces for the root-only tests (shell.h). */
#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "shell.h"

int
sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int r;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	r = system(cmd);
	return WIFEXITED(r) ? WEXITSTATUS(r) : -1;
}

const char *
sh_out(const char *cmd, char *buf, size_t size)
{
	size_t n;
	FILE *f;

	assert_non_null(f = popen(cmd, "r"));
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	pclose(f);
	return buf;
}

void
enter(int ns)
{
	if (setns(ns, CLONE_NEWNET) < 0)
		fail_msg("setns: %s", strerror(errno));
}
