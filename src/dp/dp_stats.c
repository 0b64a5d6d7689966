/* SPDX-License-Identifier: BSD-2-Clause */
/* Fast-path counters into the core's statistics. */
#include "dp_stats.h"

static const enum xlat_proto dp_stats_protos[XLAT_MAPS_PROTO_MAX] = {
	[XLAT_MAPS_PROTO_TCP] = XLAT_PROTO_TCP,
	[XLAT_MAPS_PROTO_UDP] = XLAT_PROTO_UDP,
	[XLAT_MAPS_PROTO_ICMP] = XLAT_PROTO_ICMP,
};

void
dp_stats_add_fast(const uint64_t counters[XLAT_MAPS_CNT_MAX],
		  struct xlat_stats *s)
{
	unsigned p;

	for (p = 0; p < XLAT_MAPS_PROTO_MAX; p++) {
		uint64_t n64 = counters[XLAT_MAPS_CNT_64_PROTO + p];
		uint64_t n46 = counters[XLAT_MAPS_CNT_46_PROTO + p];
		enum xlat_proto x = dp_stats_protos[p];

		s->packets_in[XLAT_DIR_64][x] += n64;
		s->packets_out[XLAT_DIR_64][x] += n64;
		s->packets_in[XLAT_DIR_46][x] += n46;
		s->packets_out[XLAT_DIR_46][x] += n46;
	}
}
