/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Masked byte comparison, as the Jool graybox expecter does it: lengths
 * must be equal and so must every byte outside the mask.
 */
#include <stdarg.h>
#include <string.h>

#include "conformance.h"

#define COMPARE_LIST_MAX 8
#define COMPARE_ROW 16

bool
mask_has(const struct mask *m, size_t off)
{
	unsigned i;

	for (i = 0; i < m->count; i++)
		if (m->off[i] == off)
			return true;
	return false;
}

/* Append to a NUL-terminated buffer, truncating silently. */
void
appendf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (size == 0 || (n = strlen(buf)) + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, size - n, fmt, ap);
	va_end(ap);
}

/* Describes the first few unmasked differences; returns how many there are. */
static size_t
compare_bytes(const uint8_t *got, const uint8_t *want, size_t len,
	      const struct mask *m, char *why, size_t whylen)
{
	char gotb[3 * COMPARE_LIST_MAX + 1] = "";
	char wantb[3 * COMPARE_LIST_MAX + 1] = "";
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (got[i] == want[i] || mask_has(m, i))
			continue;
		if (n++ >= COMPARE_LIST_MAX)
			continue;
		appendf(why, whylen, n > 1 ? ",%zu" : "differs at offsets %zu",
			i);
		appendf(gotb, sizeof(gotb), n > 1 ? " %02x" : "%02x", got[i]);
		appendf(wantb, sizeof(wantb), n > 1 ? " %02x" : "%02x",
			want[i]);
	}
	if (n > COMPARE_LIST_MAX)
		appendf(why, whylen, ",... (%zu in all)", n);
	if (n > 0)
		appendf(why, whylen, " (got %s want %s)", gotb, wantb);
	return n;
}

/* Returns 0 on a match; otherwise -1 and a reason in why. */
int
compare_packet(const uint8_t *got, size_t glen, const uint8_t *want,
	       size_t wlen, const struct mask *m, char *why, size_t whylen)
{
	size_t n;

	why[0] = '\0';
	if (glen != wlen)
		appendf(why, whylen, "is %zu bytes, expected %zu; ", glen,
			wlen);
	n = compare_bytes(got, want, glen < wlen ? glen : wlen, m, why, whylen);
	if (glen != wlen && n == 0)
		appendf(why, whylen, "common part equal");
	return glen == wlen && n == 0 ? 0 : -1;
}

/* One 16-byte row: "LABEL hh hh ..." with blanks past the end. */
static void
compare_row(FILE *f, const char *label, const uint8_t *p, size_t len,
	    size_t row)
{
	size_t i;

	fprintf(f, "    %-10s", label);
	for (i = row; i < row + COMPARE_ROW && i < len; i++)
		fprintf(f, " %02x", p[i]);
	fputc('\n', f);
}

/* '^' marks a difference that fails, '~' one that the mask hides. */
static bool
compare_marks(const uint8_t *got, size_t glen, const uint8_t *want, size_t wlen,
	      const struct mask *m, size_t row, char *marks)
{
	size_t i, n = 0;
	bool any = false;
	char c;

	for (i = row; i < row + COMPARE_ROW; i++) {
		c = ' ';
		if ((i < glen) != (i < wlen) || (i < glen && got[i] != want[i]))
			c = mask_has(m, i) ? '~' : '^';
		if (c != ' ') {
			any = true;
			n = 3 * (i - row) + 3;
		}
		marks[3 * (i - row)] = ' ';
		marks[3 * (i - row) + 1] = c;
		marks[3 * (i - row) + 2] = c;
	}
	marks[n] = '\0';
	return any;
}

/* Prints the 16-byte rows that differ, got above want. */
void
compare_hexdiff(FILE *f, const uint8_t *got, size_t glen, const uint8_t *want,
		size_t wlen, const struct mask *m)
{
	char marks[3 * COMPARE_ROW + 1], label[32];
	size_t row, len = glen > wlen ? glen : wlen;
	bool any = false;

	fprintf(f, "    got %zu bytes, want %zu ('^' differs, '~' masked)\n",
		glen, wlen);
	for (row = 0; row < len; row += COMPARE_ROW) {
		if (!compare_marks(got, glen, want, wlen, m, row, marks))
			continue;
		snprintf(label, sizeof(label), "%04zx got", row);
		compare_row(f, label, got, glen, row);
		compare_row(f, "     want", want, wlen, row);
		fprintf(f, "    %-10s%s\n", "", marks);
		any = true;
	}
	if (!any)
		fprintf(f, "    identical\n");
}

void
compare_hexdump(FILE *f, const uint8_t *p, size_t len)
{
	char label[32];
	size_t row;

	for (row = 0; row < len; row += COMPARE_ROW) {
		snprintf(label, sizeof(label), "%04zx", row);
		compare_row(f, label, p, len, row);
	}
}
