/* SPDX-License-Identifier: BSD-2-Clause */
/* The control socket, xlatctl side (include/xlatd/control.h). */
#ifndef XLATD_CTL_CLIENT_H
#define XLATD_CTL_CLIENT_H

#include <stdbool.h>

/* Send "command [json]" to the daemon at path and copy the body of the
 * answer to stdout. Returns the exit code: 0 done, 1 the daemon refused
 * (its reason on stderr), 2 the daemon could not be reached. */
int client_request(const char *path, const char *command, bool json);

/* Parse [-s PATH] [--json] [-j] for status/stats/reload; returns the
 * exit code of the request, or 2 on bad usage. */
int client_main(int argc, char *argv[], const char *command, bool json_allowed);

/* The same, with one word of a NULL-ended list after the options, sent
 * after the command ("log verbose"). */
int client_main_word(int argc, char *argv[], const char *command,
		     bool json_allowed, const char *const *words);

#endif
