/* SPDX-License-Identifier: BSD-2-Clause */
/* Input packets of the conformance vectors (see fast-vectors.h). */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "conformance.h"
#include "fast-vectors.h"

/* Where each table keeps the columns this test reads (run-conformance.c
 * has the full layout). */
struct table {
	const char *set;     /* prefix of case names, NULL for none */
	const char *tsv;     /* relative to the vector directory */
	const char *pktdir;  /* packet paths are relative to this */
	const char *profile; /* fixed profile, or NULL: profile column */
	unsigned col_id, col_profile, col_input;
};

static const struct table tables[] = {
	{NULL, "jool/tests.tsv", "jool/siit", NULL, 0, 3, 5},
	{"android", "android/vectors.tsv", "android", "android", 0, 0, 2},
};

static int
one_case(const char *root, const struct table *t, const struct tsv_row *row,
	 vectors_fn fn, void *arg)
{
	char name[96], path[PATH_MAX], err[512];
	const char *profile;
	struct xlat_cfg cfg;
	struct pkt p;

	snprintf(name, sizeof(name), "%s%s%s", t->set ? t->set : "",
		 t->set ? "/" : "", row->field[t->col_id]);
	if (row->nfields <= t->col_input || row->nfields <= t->col_profile) {
		printf("FAIL %s: %u fields\n", name, row->nfields);
		return -1;
	}
	profile = t->profile ? t->profile : row->field[t->col_profile];
	snprintf(path, sizeof(path), "%s/%s/%s", root, t->pktdir,
		 row->field[t->col_input]);
	if (profile_build(profile, &cfg, err, sizeof(err)) == -1 ||
	    pkt_load(path, &p, err, sizeof(err)) == -1) {
		printf("FAIL %s: %s\n", name, err);
		return -1;
	}
	fn(arg, name, &cfg, p.data, p.len);
	pkt_free(&p);
	return 0;
}

int
vectors_each(const char *root, vectors_fn fn, void *arg, unsigned *bad)
{
	char path[PATH_MAX], err[512];
	struct stat st;
	struct tsv tsv;
	unsigned i, t;
	int n = 0;

	if (stat(root, &st) == -1 || !S_ISDIR(st.st_mode))
		return -1;
	for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		snprintf(path, sizeof(path), "%s/%s", root, tables[t].tsv);
		if (tsv_load(path, &tsv, err, sizeof(err)) == -1) {
			printf("FAIL %s: %s\n", tables[t].tsv, err);
			(*bad)++;
			continue;
		}
		for (i = 0; i < tsv.nrows; i++, n++)
			if (one_case(root, &tables[t], &tsv.rows[i], fn, arg) <
			    0)
				(*bad)++;
		tsv_free(&tsv);
	}
	return n;
}
