/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Conformance runner: feeds external SIIT / 464XLAT vectors (Jool graybox,
 * AOSP clatd) through the translation core and compares the results.
 */
#ifndef CONFORMANCE_H
#define CONFORMANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct xlat_cfg;
struct xlat_ctx;

#define TSV_FIELDS_MAX 12
#define CASE_EXPECT_MAX 4
#define MASK_MAX 64

/* One data row of a tab-separated table; fields point into tsv.text. */
struct tsv_row {
	unsigned line;
	unsigned nfields;
	char *field[TSV_FIELDS_MAX];
};

struct tsv {
	char *text;
	unsigned nrows;
	struct tsv_row *rows;
};

/* Byte offsets (from the start of the L3 header) left out of a compare. */
struct mask {
	unsigned count;
	size_t off[MASK_MAX];
};

/* A loaded packet. */
struct pkt {
	uint8_t *data;
	size_t len;
};

/* One input -> expected case. */
struct vcase {
	char name[64];	     /* id, prefixed with the set unless Jool */
	const char *profile; /* see profile.c */
	const char *dir;     /* 46, 64, 44 or 66 */
	const char *pktdir;  /* packet paths are relative to this */
	const char *input;
	unsigned nexpect;
	char *expect[CASE_EXPECT_MAX];
	struct mask mask;
};

struct runner {
	const char *root; /* vector directory */
	const char *filter;
	const char *dump; /* -w: write output packets here */
	bool verbose;
	struct xlat_ctx *ctx;
	uint8_t *buf;  /* XLAT_HEADROOM + XLAT_MAX_PACKET */
	uint8_t *flat; /* one output packet, iovecs joined */
	size_t flatsize;
	unsigned pass, fail;
};

/* case.c */
void case_run(struct runner *r, const struct vcase *c);
void case_report(struct runner *r, const char *name, const char *why);

/* tsv.c */
int tsv_load(const char *path, struct tsv *t, char *err, size_t errlen);
void tsv_free(struct tsv *t);
int tsv_mask(const char *s, struct mask *m);
unsigned tsv_split(char *s, char sep, char **part, unsigned max);

/* pkt.c */
int pkt_load(const char *path, struct pkt *p, char *err, size_t errlen);
void pkt_free(struct pkt *p);
int pkt_version(const uint8_t *p, size_t len);

/* profile.c */
int profile_build(const char *name, struct xlat_cfg *cfg, char *err,
		  size_t errlen);

/* compare.c */
void appendf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool mask_has(const struct mask *m, size_t off);
int compare_packet(const uint8_t *got, size_t glen, const uint8_t *want,
		   size_t wlen, const struct mask *m, char *why, size_t whylen);
void compare_hexdiff(FILE *f, const uint8_t *got, size_t glen,
		     const uint8_t *want, size_t wlen, const struct mask *m);
void compare_hexdump(FILE *f, const uint8_t *p, size_t len);

/* cksum.c */
int cksum_verify(const uint8_t *p, size_t len, const struct mask *m, char *why,
		 size_t whylen);

#endif
