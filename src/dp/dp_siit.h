/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Loader of xlat-siit's fast path (bpf/siit_tc.bpf.c) on the egress of
 * its TUN device: the program, its configuration (the prefix, the RFC
 * 7757 entries, the translator's addresses and the pool), and the host
 * table, which the loader keeps in step with src/siit/hosts.h and reads
 * back (times of last use, answers seen) for the pool's aging.
 */
#ifndef XLATD_DP_SIIT_H
#define XLATD_DP_SIIT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "xlatd/xlat.h"
#include "xlatd/xlat_maps.h"

struct dp_siit;

/* What the program needs besides the core's settings. */
struct dp_siit_addrs {
	struct in_addr own4;
	struct in6_addr own6;
	bool has_pool;
	struct xlat_prefix4 pool;
};

/* Load the program with room for max_hosts host entries and attach it
 * (tchook.h; flags TCHOOK_F_*). It passes everything to the slow path
 * until dp_siit_set_cfg. NULL, logged, on failure. */
struct dp_siit *dp_siit_open(unsigned tun_ifindex, uint32_t max_hosts,
			     unsigned flags);

/* Translate with x (its prefix, RFC 7757 entries, options) and a. The
 * MTUs are the kernel's business here (src/siit). Returns 0 or -errno. */
int dp_siit_set_cfg(struct dp_siit *b, const struct xlat_cfg *x,
		    const struct dp_siit_addrs *a);

/* One host entry, both ways; statics never age. Returns 0 or -errno. */
int dp_siit_host_put(struct dp_siit *b, const uint8_t v6[16],
		     const uint8_t v4[4], bool is_static, bool confirmed);
int dp_siit_host_del(struct dp_siit *b, const uint8_t v6[16],
		     const uint8_t v4[4]);

/* What the program saw of an entry: how long ago its last packet went
 * through the fast path (seconds; -1: none yet), and whether the IPv4
 * side answered. Returns 0, or -ENOENT. */
int dp_siit_host_seen(struct dp_siit *b, const uint8_t v6[16],
		      const uint8_t v4[4], int64_t *ago, bool *confirmed);

/* Packets translated in the kernel, per direction (XLAT_DIR_*). */
int dp_siit_counters(struct dp_siit *b, uint64_t fast[XLAT_DIR_MAX]);

/* The parts, for tests that load the program themselves: the map
 * configuration for x and a (pure), the RFC 7757 entries into the LPM
 * trie fd, and one host entry into the two hash maps. */
void dp_siit_map_cfg(struct siit_maps_cfg *c, const struct xlat_cfg *x,
		     const struct dp_siit_addrs *a);
int dp_siit_eam_fill(int fd, const struct xlat_cfg *x);
int dp_siit_hosts_write(int fd6, int fd4, const uint8_t v6[16],
			const uint8_t v4[4], bool is_static, bool confirmed);

/* "tcx" or "clsact". */
const char *dp_siit_mode(const struct dp_siit *b);

void dp_siit_close(struct dp_siit *b);

#endif
