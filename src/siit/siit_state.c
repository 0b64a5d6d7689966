/* SPDX-License-Identifier: BSD-2-Clause */
/* dynamic.map in and out (siit_state.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "poolfile.h"
#include "siit_state.h"

int
siit_state_load(struct pool *p, const char *dir, int64_t now)
{
	char path[PATH_MAX], line[POOLFILE_LINE_MAX];
	struct poolfile_rec rec;
	const char *why;
	unsigned lineno = 0;
	int n = 0, r;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, POOLFILE_NAME);
	if ((f = fopen(path, "re")) == NULL) {
		if (errno == ENOENT)
			return 0;
		r = -errno;
		log_warn("%s", path);
		return r;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			log_warnx("%s:%u: line too long, skipped", path,
				  lineno);
			while (fgets(line, sizeof(line), f) != NULL &&
			       strchr(line, '\n') == NULL)
				;
			continue;
		}
		if ((r = poolfile_parse(line, &rec)) == 0)
			continue;
		if (r < 0)
			log_warnx("%s:%u: not IPV4 IPV6 LAST-USE, skipped",
				  path, lineno);
		else if (!pool_restore(p, rec.v6, rec.v4, rec.last_use, now,
				       &why))
			log_warnx("%s:%u: skipped: %s", path, lineno, why);
		else
			n++;
	}
	fclose(f);
	return n;
}

static int
write_entries(const struct pool *p, FILE *f, int64_t now)
{
	char line[POOLFILE_LINE_MAX];
	struct poolfile_rec rec;
	const struct hosts *h = p->hosts;
	uint32_t i;
	int n = 0;

	poolfile_header(line, sizeof(line), now);
	fputs(line, f);
	for (i = 0; i < h->cap; i++) {
		const struct hosts_entry *e = &h->e[i];

		if ((e->flags &
		     (HOSTS_F_USED | HOSTS_F_STATIC | HOSTS_F_CONFIRMED)) !=
		    (HOSTS_F_USED | HOSTS_F_CONFIRMED))
			continue;
		memcpy(rec.v4, e->v4, 4);
		memcpy(rec.v6, e->v6, 16);
		rec.last_use = e->last_use > 0 ? e->last_use : now;
		poolfile_format(line, sizeof(line), &rec);
		fputs(line, f);
		n++;
	}
	return n;
}

int
siit_state_save(const struct pool *p, const char *dir, int64_t now)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	int n, r;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, POOLFILE_NAME);
	snprintf(tmp, sizeof(tmp), "%s/%s", dir, POOLFILE_TMP_NAME);
	if ((f = fopen(tmp, "we")) == NULL)
		goto fail;
	n = write_entries(p, f, now);
	if (fflush(f) != 0 || fsync(fileno(f)) < 0) {
		fclose(f);
		goto fail_tmp;
	}
	if (fclose(f) != 0 || rename(tmp, path) < 0)
		goto fail_tmp;
	return n;
fail_tmp:
	r = -errno;
	unlink(tmp);
	errno = -r;
fail:
	r = -errno;
	log_warn("%s", tmp);
	return r;
}
