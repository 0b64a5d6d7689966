/* SPDX-License-Identifier: BSD-2-Clause */
/* The control socket (include/xlatd/control.h), daemon side. */
#ifndef XLATD_DAEMON_CONTROL_H
#define XLATD_DAEMON_CONTROL_H

#include <stdbool.h>
#include <stdio.h>
#include <systemd/sd-event.h>

struct control;

/* Answer one request, "command" or "command param": write the body to
 * out and return 0, or return -1 with why set. */
typedef int (*control_handler)(const char *command, const char *param,
			       FILE *out, char *why, size_t whylen, void *arg);

/* The listening socket at path (root only: the directory 0755, the
 * socket 0600), made anew. Returns the fd or -errno. Whoever made it
 * removes path at the end. */
int control_listen(const char *path);

/* Serve the clients of the listening socket fd, which it takes over. */
struct control *control_open(sd_event *event, int fd, control_handler handler,
			     void *arg);
void control_close(struct control *c);

#endif
