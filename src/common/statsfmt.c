/* SPDX-License-Identifier: BSD-2-Clause */
/* The core's counters for xlatctl (statsfmt.h). */
#include "statsfmt.h"

static const char *const dir_names[XLAT_DIR_MAX] = {"ipv4_to_ipv6",
						    "ipv6_to_ipv4"};
static const char *const proto_names[XLAT_PROTO_MAX] = {"tcp", "udp", "icmp",
							"other"};

void
statsfmt_json_field(FILE *out, const char *key, const char *value)
{
	const unsigned char *c;

	fprintf(out, "\"%s\":", key);
	if (value == NULL) {
		fputs("null", out);
		return;
	}
	fputc('"', out);
	for (c = (const unsigned char *)value; *c != '\0'; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(out, "\\%c", *c);
		else if (*c < 0x20)
			fprintf(out, "\\u%04x", *c);
		else
			fputc(*c, out);
	}
	fputc('"', out);
}

void
statsfmt_json_dirs(FILE *out, const struct xlat_stats *s)
{
	unsigned d, p;

	for (d = 0; d < XLAT_DIR_MAX; d++) {
		fprintf(out, ",\"%s\":{", dir_names[d]);
		for (p = 0; p < XLAT_PROTO_MAX; p++)
			fprintf(out, "%s\"%s\":{\"in\":%llu,\"out\":%llu}",
				p ? "," : "", proto_names[p],
				(unsigned long long)s->packets_in[d][p],
				(unsigned long long)s->packets_out[d][p]);
		fprintf(out,
			",\"fragments_out\":%llu,\"icmp_errors_sent\":%llu,"
			"\"icmp_errors_suppressed\":%llu}",
			(unsigned long long)s->fragments_out[d],
			(unsigned long long)s->icmp_generated[d],
			(unsigned long long)s->icmp_suppressed[d]);
	}
}

void
statsfmt_json_drops(FILE *out, const struct xlat_stats *s)
{
	unsigned r;

	fprintf(out, ",\"drops\":{");
	for (r = 1; r < XLAT_DROP_MAX; r++)
		fprintf(out, "%s\"%s\":%llu", r > 1 ? "," : "",
			xlat_drop_name(r), (unsigned long long)s->drops[r]);
	fputc('}', out);
}

void
statsfmt_text_dirs(FILE *out, const struct xlat_stats *s)
{
	unsigned d, p;

	fprintf(out, "  %-14s %-6s %12s %12s\n", "direction", "proto", "in",
		"out");
	for (d = 0; d < XLAT_DIR_MAX; d++)
		for (p = 0; p < XLAT_PROTO_MAX; p++)
			fprintf(out, "  %-14s %-6s %12llu %12llu\n",
				dir_names[d], proto_names[p],
				(unsigned long long)s->packets_in[d][p],
				(unsigned long long)s->packets_out[d][p]);
}

void
statsfmt_text_drops(FILE *out, const struct xlat_stats *s)
{
	unsigned d, r;

	for (d = 0; d < XLAT_DIR_MAX; d++)
		fprintf(out,
			"  %-14s ICMP errors sent %llu, held back by the rate "
			"%llu\n",
			dir_names[d], (unsigned long long)s->icmp_generated[d],
			(unsigned long long)s->icmp_suppressed[d]);
	for (r = 1; r < XLAT_DROP_MAX; r++)
		if (s->drops[r] != 0)
			fprintf(out, "  drop %-28s %12llu\n", xlat_drop_name(r),
				(unsigned long long)s->drops[r]);
}
