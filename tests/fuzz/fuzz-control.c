/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz target: the bytes a client sends to the control socket, through
 * request_parse() (include/xlatd/control.h). A request it accepts is one
 * or two words of [a-z-] that ended with a newline within
 * CONTROL_REQUEST_MAX bytes; "not yet" means no newline and room for
 * more.
 */
#include <stdlib.h>
#include <string.h>

#include "daemon/request.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	const char *nl = memchr(buf, '\n', size);
	struct request req;
	size_t n, p, i;
	int r;

	memset(&req, 0xa5, sizeof(req));
	r = request_parse(buf, size, &req);
	if (r == 0 && (nl != NULL || size >= CONTROL_REQUEST_MAX))
		abort();
	if (r != 1 && r != 0 && r != -1)
		abort();
	if (r != 1)
		return 0;
	if (nl == NULL || (size_t)(nl - buf) >= CONTROL_REQUEST_MAX)
		abort();
	n = strnlen(req.command, sizeof(req.command));
	if (n == 0 || n == sizeof(req.command) || memcmp(req.command, buf, n))
		abort();
	for (i = 0; i < n; i++)
		if ((req.command[i] < 'a' || req.command[i] > 'z') &&
		    req.command[i] != '-')
			abort();
	p = strnlen(req.param, sizeof(req.param));
	for (i = 0; i < p; i++)
		if ((req.param[i] < 'a' || req.param[i] > 'z') &&
		    req.param[i] != '-')
			abort();
	/* the line is the command, or the command, a space and the param */
	if ((size_t)(nl - buf) != n + (p ? p + 1 : 0) ||
	    (p && memcmp(req.param, buf + n + 1, p)))
		abort();
	return 0;
}
