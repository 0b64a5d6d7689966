/* SPDX-License-Identifier: BSD-2-Clause */
/* The counters a user reads: the core's (the slow path) and the eBPF
 * programs' (the fast path) in one struct xlat_stats. */
#ifndef XLATD_DP_STATS_H
#define XLATD_DP_STATS_H

#include <stdint.h>

#include "xlatd/xlat.h"
#include "xlatd/xlat_maps.h"

/* Pure: add the fast path's packets, per direction and protocol, from
 * the summed counters of clat_counters, to both the packets in and the
 * packets out of s: each is one packet translated. */
void dp_stats_add_fast(const uint64_t counters[XLAT_MAPS_CNT_MAX],
		       struct xlat_stats *s);

#endif
