/* SPDX-License-Identifier: BSD-2-Clause */
/* What an offline translation did, for people to read. */
#ifndef XLATD_SUMMARY_H
#define XLATD_SUMMARY_H

#include <stdint.h>
#include <stdio.h>

#include "xlatd/xlat.h"

struct summary {
	uint64_t read;	    /* frames in the input */
	uint64_t not_ip;    /* frames that held no IPv4 or IPv6 packet */
	uint64_t oversized; /* IP packets larger than XLAT_MAX_PACKET */
	uint64_t written;   /* packets in the output */
};

void summary_print(FILE *f, const struct summary *sum,
		   const struct xlat_stats *stats);

#endif
