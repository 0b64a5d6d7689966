/* SPDX-License-Identifier: BSD-2-Clause */
/* xlat-siit's answers to xlatctl status and stats: a table, or JSON with
 * the stable keys documented in xlat-siit(8). */
#ifndef XLATD_SIIT_REPORT_H
#define XLATD_SIIT_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "pool.h"
#include "siit_dp.h"
#include "tayga_conf.h"

/* What the reports show, gathered by the caller. */
struct siit_info {
	const struct tayga_conf *conf;
	unsigned tun_ifindex;
	uint16_t mtu;
	const struct hosts *hosts;
	const struct pool *pool; /* NULL: no dynamic-pool */
	int64_t now;		 /* Unix time */
	const struct xlat_stats *stats;
	const struct siit_dp_counters *cnt;
	const char *fast_path; /* "off", or where the eBPF program is */
	uint64_t fast_packets[XLAT_DIR_MAX];
};

void siit_report_status(const struct siit_info *i, bool json, FILE *out);
void siit_report_stats(const struct siit_info *i, bool json, FILE *out);

#endif
