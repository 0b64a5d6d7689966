/* SPDX-License-Identifier: BSD-2-Clause */
/* A request on the control socket (include/xlatd/control.h), parsed from
 * the bytes a client sent: pure, for the daemon and the fuzzer. */
#ifndef XLATD_REQUEST_H
#define XLATD_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include "xlatd/control.h"

struct request {
	char command[CONTROL_REQUEST_MAX]; /* one word of [a-z-] */
	char param[CONTROL_REQUEST_MAX];   /* "" or one word of [a-z-] */
};

/* The bytes received so far, buf[0..len). Returns 1 with *req filled
 * when they hold a whole request line, 0 when the line has not ended
 * yet, and -1 when they are no request: longer than CONTROL_REQUEST_MAX
 * with the newline, a command that is empty or not of [a-z-], or
 * anything but one more such word after it, behind one space. Which
 * words a command takes ("json", "verbose" ...) is the handler's
 * business. Bytes after the newline are ignored. */
int request_parse(const char *buf, size_t len, struct request *req);

#endif
