/* SPDX-License-Identifier: BSD-2-Clause */
/* The benchmark's configuration and packets: a CLAT (RFC 6877) with the
 * PLAT prefix 2001:db8:64::/96 and its own 192.0.0.1 <-> 2001:db8:1::c1a7
 * as one EAM entry (RFC 7757). */
#ifndef BENCH_CASES_H
#define BENCH_CASES_H

#include "pkt-build.h"
#include "xlatd/xlat.h"

/* mtu-v6 leaves room for a 1500-byte IPv4 packet with DF translated
 * whole (RFC 7915 §4.1: 20 more bytes of header). */
#define BENCH_MTU_V4 1500
#define BENCH_MTU_V6 1520

struct bench_case {
	const char *name;
	/* Build the packet that goes in, in the given direction. */
	void (*build)(enum xlat_dir dir, struct pkt *p);
};

extern const struct bench_case bench_cases[];
extern const size_t bench_case_count;

/* The CLAT configuration, through src/conf as the daemon reads it. */
void bench_cfg(struct xlat_cfg *cfg);

#endif
