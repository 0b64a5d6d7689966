/* SPDX-License-Identifier: BSD-2-Clause */
/* script-up and script-down, run as clatd runs them, but without waiting
 * for them: the event loop goes on while they run. */
#ifndef XLATD_SCRIPT_H
#define XLATD_SCRIPT_H

#include <systemd/sd-event.h>

/* A script that has not ended this long after it started is killed, with
 * every process it started in its process group. */
#define SCRIPT_TIMEOUT_SEC 10

/* Start command with /bin/sh -c in a process group of its own, its
 * environment the current one plus env (NAME=value strings, count n).
 * what names it in the log: an exit status other than 0 is logged, and
 * so is the kill at the timeout. Returns 0 or -errno. */
int script_start(sd_event *event, const char *what, const char *command,
		 char (*env)[320], unsigned n);

/* At exit: wait for the scripts still running, each until its timeout,
 * then kill what is left. */
void script_wait_all(void);

#endif
