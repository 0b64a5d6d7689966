/* SPDX-License-Identifier: BSD-2-Clause */
/* "<command> [<param>]\n": one line, one or two words. */
#include <string.h>

#include "request.h"

static bool
request_is_word(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((s[i] < 'a' || s[i] > 'z') && s[i] != '-')
			return false;
	return len > 0;
}

int
request_parse(const char *buf, size_t len, struct request *req)
{
	const char *nl = memchr(buf, '\n', len), *space;
	size_t line, word;

	if (nl == NULL)
		return len < CONTROL_REQUEST_MAX ? 0 : -1;
	line = (size_t)(nl - buf);
	if (line + 1 > CONTROL_REQUEST_MAX)
		return -1;
	space = memchr(buf, ' ', line);
	word = space != NULL ? (size_t)(space - buf) : line;
	if (!request_is_word(buf, word))
		return -1;
	req->param[0] = '\0';
	if (space != NULL) {
		size_t rest = line - word - 1;

		if (!request_is_word(space + 1, rest))
			return -1;
		memcpy(req->param, space + 1, rest);
		req->param[rest] = '\0';
	}
	memcpy(req->command, buf, word);
	req->command[word] = '\0';
	return 1;
}
