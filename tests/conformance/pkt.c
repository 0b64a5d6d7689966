/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Packet files: ".pkt" is one raw L3 packet, ".hex" is the same as
 * whitespace-separated hex digits.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conformance.h"

/* Larger than any IPv6 packet the core accepts (65535 + 40). */
#define PKT_FILE_MAX (70 * 1024)

static bool
pkt_is_hex(const char *path)
{
	size_t n = strlen(path);

	return n >= 4 && strcmp(path + n - 4, ".hex") == 0;
}

static int
pkt_xdigit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decode hex text in place; returns the byte count or -1. */
static long
pkt_unhex(uint8_t *buf, size_t len)
{
	size_t i, n = 0;
	int hi = -1, v;

	for (i = 0; i < len; i++) {
		if (isspace(buf[i]))
			continue;
		if ((v = pkt_xdigit(buf[i])) == -1)
			return -1;
		if (hi == -1) {
			hi = v;
			continue;
		}
		buf[n++] = hi << 4 | v;
		hi = -1;
	}
	return hi == -1 ? (long)n : -1;
}

int
pkt_load(const char *path, struct pkt *p, char *err, size_t errlen)
{
	FILE *f;
	size_t n;
	long hex;

	p->len = 0;
	if ((p->data = malloc(PKT_FILE_MAX)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if ((f = fopen(path, "rb")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	n = fread(p->data, 1, PKT_FILE_MAX, f);
	if (ferror(f) || n == PKT_FILE_MAX) {
		snprintf(err, errlen, "%s: %s", path,
			 ferror(f) ? "read error" : "too large");
		fclose(f);
		goto fail;
	}
	fclose(f);
	p->len = n;
	if (pkt_is_hex(path)) {
		if ((hex = pkt_unhex(p->data, n)) == -1) {
			snprintf(err, errlen, "%s: bad hex", path);
			goto fail;
		}
		p->len = hex;
	}
	if (p->len == 0) {
		snprintf(err, errlen, "%s: empty", path);
		goto fail;
	}
	return 0;
fail:
	pkt_free(p);
	return -1;
}

void
pkt_free(struct pkt *p)
{
	free(p->data);
	p->data = NULL;
	p->len = 0;
}

/* IP version of a raw L3 packet, 0 if there is none. */
int
pkt_version(const uint8_t *p, size_t len)
{
	return len > 0 ? p[0] >> 4 : 0;
}
