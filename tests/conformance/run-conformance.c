/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * run-conformance: runs the external vector sets (Jool graybox SIIT suite,
 * AOSP clatd unit-test packets) through the translation core.
 *
 * usage: run-conformance [-v] [-w DIR] VECTOR_DIR [FILTER]
 *
 * Prints "PASS name" or "FAIL name: reason" per case and a closing
 * "N passed, M failed". Exits 0 if nothing failed, 1 otherwise, and 77
 * (meson's "skipped") when VECTOR_DIR does not exist.
 */
#include <sys/stat.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlatd/xlat.h>

#include "conformance.h"

#define EXIT_SKIP 77

/* Where a table keeps each field; -1: not in the table. */
struct table {
	const char *set;     /* prefix of case names, NULL for none */
	const char *tsv;     /* relative to the vector directory */
	const char *pktdir;  /* packet paths are relative to this */
	const char *profile; /* fixed profile, or NULL: profile column */
	int col_id, col_dir, col_profile, col_input, col_expect, col_mask;
};

static const struct table tables[] = {
	/* jool/tests.tsv: id group dir profile needs input expected
	 * ignore_offsets note */
	{NULL, "jool/tests.tsv", "jool/siit", NULL, 0, 2, 3, 5, 6, 7},
	/* android/vectors.tsv: id dir input expected
	 * ignore_offsets_strict_rfc7915 note */
	{"android", "android/vectors.tsv", "android", "android", 0, 1, -1, 2, 3,
	 4},
};

static void
usage(void)
{
	fprintf(stderr, "usage: run-conformance [-v] [-w dir] vector-dir "
			"[filter]\n");
	exit(2);
}

static int
table_minfields(const struct table *t)
{
	int n = t->col_id;

	n = t->col_dir > n ? t->col_dir : n;
	n = t->col_profile > n ? t->col_profile : n;
	n = t->col_input > n ? t->col_input : n;
	n = t->col_expect > n ? t->col_expect : n;
	n = t->col_mask > n ? t->col_mask : n;
	return n + 1;
}

/* Fills c from one row; returns -1 and a reason if the row is bad. */
static int
table_case(const struct table *t, struct tsv_row *row, struct vcase *c,
	   char *why, size_t whylen)
{
	char **f = row->field;

	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s%s%s", t->set ? t->set : "",
		 t->set ? "/" : "", f[t->col_id]);
	if ((int)row->nfields < table_minfields(t)) {
		snprintf(why, whylen, "%s line %u: %u fields", t->tsv,
			 row->line, row->nfields);
		return -1;
	}
	c->profile = t->profile ? t->profile : f[t->col_profile];
	c->dir = f[t->col_dir];
	c->pktdir = t->pktdir;
	c->input = f[t->col_input];
	c->nexpect =
		tsv_split(f[t->col_expect], ';', c->expect, CASE_EXPECT_MAX);
	if (strcmp(c->dir, "46") != 0 && strcmp(c->dir, "64") != 0 &&
	    strcmp(c->dir, "44") != 0 && strcmp(c->dir, "66") != 0) {
		snprintf(why, whylen, "%s line %u: bad dir %s", t->tsv,
			 row->line, c->dir);
		return -1;
	}
	if (tsv_mask(f[t->col_mask], &c->mask) == -1) {
		snprintf(why, whylen, "%s line %u: bad ignore offsets", t->tsv,
			 row->line);
		return -1;
	}
	return 0;
}

static void
table_run(struct runner *r, const struct table *t)
{
	char path[PATH_MAX], why[512];
	struct vcase c;
	struct tsv tsv;
	unsigned i;

	snprintf(path, sizeof(path), "%s/%s", r->root, t->tsv);
	if (tsv_load(path, &tsv, why, sizeof(why)) == -1) {
		case_report(r, t->tsv, why);
		return;
	}
	for (i = 0; i < tsv.nrows; i++) {
		if (table_case(t, &tsv.rows[i], &c, why, sizeof(why)) == -1) {
			if (r->filter == NULL || strstr(c.name, r->filter))
				case_report(r, c.name, why);
			continue;
		}
		if (r->filter != NULL && strstr(c.name, r->filter) == NULL)
			continue;
		case_run(r, &c);
	}
	tsv_free(&tsv);
}

int
main(int argc, char *argv[])
{
	struct runner r = {0};
	struct stat st;
	size_t i;
	int ch;

	while ((ch = getopt(argc, argv, "vw:")) != -1) {
		switch (ch) {
		case 'v':
			r.verbose = true;
			break;
		case 'w':
			r.dump = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || argc > 2)
		usage();
	r.root = argv[0];
	r.filter = argc > 1 ? argv[1] : NULL;

	if (stat(r.root, &st) == -1 || !S_ISDIR(st.st_mode)) {
		printf("conformance vectors not found at %s: skipping\n",
		       r.root);
		return EXIT_SKIP;
	}
	r.flatsize = 2 * XLAT_MAX_PACKET;
	r.ctx = malloc(sizeof(*r.ctx));
	r.buf = malloc(XLAT_HEADROOM + XLAT_MAX_PACKET);
	r.flat = malloc(r.flatsize);
	if (r.ctx == NULL || r.buf == NULL || r.flat == NULL) {
		fprintf(stderr, "run-conformance: out of memory\n");
		return 1;
	}

	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		table_run(&r, &tables[i]);

	free(r.flat);
	free(r.buf);
	free(r.ctx);

	printf("%u passed, %u failed\n", r.pass, r.fail);
	if (r.pass + r.fail == 0) {
		fprintf(stderr, "run-conformance: no case matches %s\n",
			r.filter ? r.filter : "");
		return 1;
	}
	return r.fail == 0 ? 0 : 1;
}
