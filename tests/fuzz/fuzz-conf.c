/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz target: configuration text through the src/conf parser, one
 * conf_parse_line() a line, then conf_finish(). A configuration the
 * parser accepts must be one the core can use: it is checked, and two
 * UDP packets (RFC 768) go through it in each direction, one small and
 * one past the IPv6 minimum MTU, under the invariants of check.c.
 */
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "fuzz-cfg.h"
#include "fuzz.h"

#define ERR_MAX 512

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct conf conf;
	char err[ERR_MAX];
	char *text, *line, *next;
	unsigned lineno = 0;
	int r;

	if ((text = malloc(size + 1)) == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	conf_init(&conf);
	for (line = text; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		err[0] = '\0';
		lineno++;
		/* Both forms of the error prefix: with and without a file. */
		r = conf_parse_line(&conf, line, lineno,
				    lineno & 1 ? "fuzz.conf" : NULL, err,
				    sizeof(err));
		fuzz_cfg_check_err(r, err, sizeof(err));
	}
	free(text);
	err[0] = '\0';
	r = conf_finish(&conf, err, sizeof(err));
	fuzz_cfg_check_err(r, err, sizeof(err));
	if (r == 0) {
		fuzz_cfg_check(&conf.xlat);
		fuzz_cfg_translate(&conf.xlat);
	}
	return 0;
}
