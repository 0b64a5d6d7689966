/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The dynamic pool's saved state, data-dir/dynamic.map, in TAYGA's
 * format, so that either program reads what the other wrote: lines of
 * "IPV4 IPV6 LAST-USE" (tab separated, LAST-USE in Unix seconds), lines
 * that start with '#', and blank lines. Pure: strings in, strings out.
 */
#ifndef XLATD_SIIT_POOLFILE_H
#define XLATD_SIIT_POOLFILE_H

#include <stddef.h>
#include <stdint.h>

#define POOLFILE_NAME "dynamic.map"
#define POOLFILE_TMP_NAME "dynamic.map~~"
/* TAYGA reads lines of at most 511 characters. */
#define POOLFILE_LINE_MAX 512

struct poolfile_rec {
	uint8_t v4[4];
	uint8_t v6[16];
	int64_t last_use;
};

/* 1: a record in *rec; 0: a comment or blank line; -1: malformed. */
int poolfile_parse(const char *line, struct poolfile_rec *rec);

/* The comment block at the top, written at Unix time now. */
void poolfile_header(char *buf, size_t size, int64_t now);
/* One record and its newline. */
void poolfile_format(char *buf, size_t size, const struct poolfile_rec *rec);

#endif
