/* SPDX-License-Identifier: BSD-2-Clause */
/* Reading a translator configuration file, one conf_parse_line() a line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conffile.h"

/* Returns 0, or -1 with err naming the file, and the line if it was one. */
int
conffile_load(struct conf *conf, const char *path, char *err, size_t errlen)
{
	FILE *f;
	char *line = NULL;
	size_t size = 0;
	unsigned lineno = 0;
	int ret = 0;

	f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (getline(&line, &size, f) != -1) {
		ret = conf_parse_line(conf, line, ++lineno, path, err, errlen);
		if (ret == -1)
			goto out;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		ret = -1;
	}
out:
	free(line);
	fclose(f);
	return ret;
}
