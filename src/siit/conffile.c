/* SPDX-License-Identifier: BSD-2-Clause */
/* tayga.conf and the map-file from disk (conffile.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "conffile.h"

typedef int (*line_fn)(struct tayga_conf *c, const char *line, unsigned lineno,
		       const char *file, char *err, size_t errlen);

static int
read_lines(const char *path, struct tayga_conf *c, line_fn fn, char *err,
	   size_t errlen)
{
	/* one more than a line may hold, to see a line that is too long */
	char line[TAYGA_LINE_MAX + 1];
	unsigned lineno = 0;
	int r = 0;
	FILE *f;

	if ((f = fopen(path, "re")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (r == 0 && fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		r = fn(c, line, lineno, path, err, errlen);
		/* the rest of a line that was too long */
		while (strchr(line, '\n') == NULL &&
		       fgets(line, sizeof(line), f) != NULL)
			;
	}
	if (r == 0 && ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		r = -1;
	}
	fclose(f);
	return r;
}

int
conffile_read(const char *path, const char *state_dirs, struct tayga_conf *c,
	      char *err, size_t errlen)
{
	if (read_lines(path, c, tayga_conf_line, err, errlen) < 0)
		return -1;
	if ((state_dirs != NULL &&
	     tayga_conf_state_directory(c, state_dirs, err, errlen) < 0) ||
	    tayga_conf_finish(c, path, err, errlen) < 0)
		return -1;
	if (c->map_file[0] == '\0')
		return 0;
	return conffile_read_maps(c, err, errlen);
}

int
conffile_read_maps(struct tayga_conf *c, char *err, size_t errlen)
{
	tayga_conf_maps_reset(c);
	if (read_lines(c->map_file, c, tayga_conf_map_line, err, errlen) < 0)
		return -1;
	return tayga_conf_maps_finish(c, c->map_file, err, errlen);
}
