/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Router mode's LANs at their own ingress: clat_lan_ingress
 * (bpf/clat_tc.bpf.c; stateless) or clat_nat44_ingress
 * (bpf/clat_nat44.bpf.c; NAT44) on each LAN interface that serves a
 * source, and the clat_lan4 map of the sources served on each. dp_bpf.c
 * owns the programs and the map; this keeps the hooks and the map equal
 * to what router mode serves.
 */
#ifndef XLATD_DP_LAN_H
#define XLATD_DP_LAN_H

#include "common/rtnl.h"
#include "tchook.h"
#include "xlatd/xlat.h"
#include "xlatd/xlat_maps.h"

/* A source prefix served on the LAN interface ifindex. */
struct dp_lan_src {
	unsigned ifindex;
	struct xlat_prefix4 prefix;
};

struct dp_lan {
	unsigned count; /* hooks in use, one per interface */
	struct tchook hook[XLAT_MAPS_LAN_MAX];
	char label[IFNAME_LABEL_LEN];
};

/* Nothing attached; log lines start with label (the uplink's). */
void dp_lan_init(struct dp_lan *l, const char *label);

/* Serve src[0..n) (n 0: none): their keys in map_fd (clat_lan4), prog_fd
 * on the ingress of each of their interfaces and on no other. A hook or
 * an entry that cannot be set is logged and left out (those packets take
 * the kernel's way). Returns 0 or the first -errno. */
int dp_lan_set(struct dp_lan *l, struct rtnl *rtnl, int prog_fd, int map_fd,
	       const struct dp_lan_src *src, unsigned n, unsigned flags);

/* Every hook detached. */
void dp_lan_close(struct dp_lan *l, struct rtnl *rtnl);

#endif
