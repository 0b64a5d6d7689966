/* SPDX-License-Identifier: BSD-2-Clause */
/* What an offline translation did: the caller's counts and the core's. */
#include <inttypes.h>

#include "summary.h"

static const char *const dir_names[XLAT_DIR_MAX] = {
	[XLAT_DIR_46] = "4to6",
	[XLAT_DIR_64] = "6to4",
};

static void
print_protos(FILE *f, const char *dir, const char *what,
	     const uint64_t count[XLAT_PROTO_MAX])
{
	fprintf(f, "%s %-4s %8" PRIu64 " %8" PRIu64 " %8" PRIu64 " %8" PRIu64,
		dir, what, count[XLAT_PROTO_TCP], count[XLAT_PROTO_UDP],
		count[XLAT_PROTO_ICMP], count[XLAT_PROTO_OTHER]);
}

static void
print_directions(FILE *f, const struct xlat_stats *stats)
{
	unsigned d;

	fprintf(f, "%-9s %8s %8s %8s %8s %10s %12s\n", "", "tcp", "udp", "icmp",
		"other", "fragments", "icmp-errors");
	for (d = 0; d < XLAT_DIR_MAX; d++) {
		print_protos(f, dir_names[d], "in", stats->packets_in[d]);
		fputc('\n', f);
		print_protos(f, dir_names[d], "out", stats->packets_out[d]);
		fprintf(f, " %10" PRIu64 " %12" PRIu64 "\n",
			stats->fragments_out[d], stats->icmp_generated[d]);
	}
	for (d = 0; d < XLAT_DIR_MAX; d++)
		if (stats->icmp_suppressed[d] != 0)
			fprintf(f,
				"%s ICMP errors held back by icmp-error-rate: "
				"%" PRIu64 "\n",
				dir_names[d], stats->icmp_suppressed[d]);
}

static void
print_drops(FILE *f, const struct xlat_stats *stats)
{
	uint64_t total = 0;
	unsigned i;

	for (i = XLAT_DROP_NONE + 1; i < XLAT_DROP_MAX; i++)
		total += stats->drops[i];
	fprintf(f, "dropped: %" PRIu64 " packets\n", total);
	for (i = XLAT_DROP_NONE + 1; i < XLAT_DROP_MAX; i++)
		if (stats->drops[i] != 0)
			fprintf(f, "  %-28s %8" PRIu64 "\n",
				xlat_drop_name((enum xlat_drop)i),
				stats->drops[i]);
}

void
summary_print(FILE *f, const struct summary *sum,
	      const struct xlat_stats *stats)
{
	fprintf(f, "read:    %" PRIu64 " packets", sum->read);
	if (sum->not_ip != 0 || sum->oversized != 0)
		fprintf(f,
			" (skipped %" PRIu64 " not IP, %" PRIu64 " oversized)",
			sum->not_ip, sum->oversized);
	fprintf(f, "\nwritten: %" PRIu64 " packets\n", sum->written);
	print_directions(f, stats);
	print_drops(f, stats);
}
