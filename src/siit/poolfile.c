/* SPDX-License-Identifier: BSD-2-Clause */
/* dynamic.map lines (poolfile.h). */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "poolfile.h"

#define BLANKS " \t\r\n\v\f"

/* Decimal digits, greater than zero, no sign: TAYGA's test. */
static int
parse_time(const char *s, int64_t *out)
{
	int64_t v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (v <= 0)
		return -1;
	*out = v;
	return 0;
}

int
poolfile_parse(const char *line, struct poolfile_rec *rec)
{
	char copy[POOLFILE_LINE_MAX], *save, *w[4];
	unsigned n = 0;

	if (strlen(line) >= sizeof(copy))
		return -1;
	memcpy(copy, line, strlen(line) + 1);
	w[0] = strtok_r(copy, BLANKS, &save);
	if (w[0] == NULL || w[0][0] == '#')
		return 0;
	for (n = 1; n < 4; n++)
		w[n] = strtok_r(NULL, BLANKS, &save);
	if (w[1] == NULL || w[2] == NULL || w[3] != NULL)
		return -1;
	if (inet_pton(AF_INET, w[0], rec->v4) != 1 ||
	    inet_pton(AF_INET6, w[1], rec->v6) != 1 ||
	    parse_time(w[2], &rec->last_use) < 0)
		return -1;
	return 1;
}

void
poolfile_header(char *buf, size_t size, int64_t now)
{
	time_t t = (time_t)now;
	struct tm tm;
	char when[64] = "?";

	if (gmtime_r(&t, &tm) != NULL)
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	snprintf(buf, size,
		 "###\n"
		 "### xlat-siit dynamic pool: IPV4 IPV6 LAST-USE (Unix time)\n"
		 "### in TAYGA's format; stop xlat-siit before editing it\n"
		 "### written %s\n"
		 "###\n\n",
		 when);
}

void
poolfile_format(char *buf, size_t size, const struct poolfile_rec *rec)
{
	char a4[INET_ADDRSTRLEN], a6[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET, rec->v4, a4, sizeof(a4));
	inet_ntop(AF_INET6, rec->v6, a6, sizeof(a6));
	snprintf(buf, size, "%s\t%s\t%" PRId64 "\n", a4, a6, rec->last_use);
}
