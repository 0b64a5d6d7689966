/* SPDX-License-Identifier: BSD-2-Clause */
/* script-up and script-down, run as clatd runs them. */
#ifndef XLATD_SCRIPT_H
#define XLATD_SCRIPT_H

/* Run command with /bin/sh -c, its environment the current one plus env
 * (NAME=value strings, count n). Waits for it; returns its exit status,
 * or -1 if it could not run. */
int script_run(const char *command, char (*env)[320], unsigned n);

#endif
