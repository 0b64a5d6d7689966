/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Tab-separated vector tables: '#' starts a comment line, blank lines are
 * skipped, every other line is one row.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conformance.h"

static char *
tsv_slurp(const char *path, char *err, size_t errlen)
{
	FILE *f;
	char *text = NULL;
	size_t len = 0, cap = 0, n;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	do {
		if (cap - len < 4096) {
			char *t;

			cap = cap ? cap * 2 : 65536;
			if ((t = realloc(text, cap + 1)) == NULL) {
				snprintf(err, errlen, "%s: out of memory",
					 path);
				goto fail;
			}
			text = t;
		}
		n = fread(text + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		goto fail;
	}
	fclose(f);
	text[len] = '\0';
	return text;
fail:
	fclose(f);
	free(text);
	return NULL;
}

/* Split s in place at sep; returns the number of parts (at most max). */
unsigned
tsv_split(char *s, char sep, char **part, unsigned max)
{
	unsigned n = 0;

	while (n < max) {
		part[n++] = s;
		if ((s = strchr(s, sep)) == NULL)
			break;
		*s++ = '\0';
	}
	return n;
}

static int
tsv_add(struct tsv *t, char *line, unsigned lineno, char *err, size_t errlen)
{
	struct tsv_row *rows, *r;
	size_t n;

	if ((n = strlen(line)) > 0 && line[n - 1] == '\r')
		line[n - 1] = '\0';
	if (line[0] == '#' || line[strspn(line, " \t")] == '\0')
		return 0;
	rows = realloc(t->rows, (t->nrows + 1) * sizeof(*rows));
	if (rows == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	t->rows = rows;
	r = &t->rows[t->nrows++];
	r->line = lineno;
	r->nfields = tsv_split(line, '\t', r->field, TSV_FIELDS_MAX);
	return 0;
}

int
tsv_load(const char *path, struct tsv *t, char *err, size_t errlen)
{
	char *line, *next;
	unsigned lineno = 0;

	memset(t, 0, sizeof(*t));
	if ((t->text = tsv_slurp(path, err, errlen)) == NULL)
		return -1;
	for (line = t->text; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (tsv_add(t, line, ++lineno, err, errlen) == -1) {
			tsv_free(t);
			return -1;
		}
	}
	return 0;
}

void
tsv_free(struct tsv *t)
{
	free(t->rows);
	free(t->text);
	memset(t, 0, sizeof(*t));
}

/* "-" or "" is the empty set, otherwise comma-separated decimal offsets. */
int
tsv_mask(const char *s, struct mask *m)
{
	unsigned long v;
	char *end;

	m->count = 0;
	if (strcmp(s, "-") == 0 || *s == '\0')
		return 0;
	for (;;) {
		errno = 0;
		v = strtoul(s, &end, 10);
		if (end == s || errno != 0 || v > 0x1ffff ||
		    m->count == MASK_MAX)
			return -1;
		m->off[m->count++] = v;
		if (*end == '\0')
			return 0;
		if (*end != ',')
			return -1;
		s = end + 1;
	}
}
