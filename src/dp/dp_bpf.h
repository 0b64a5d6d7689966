/* SPDX-License-Identifier: BSD-2-Clause */
/* The eBPF part of the data path: a program at the uplink's tc ingress
 * that takes IPv6 packets for the CLAT address before the host stack sees
 * them (KERNEL-NOTES 1, 2) and hands them to the CLAT TUN device. */
#ifndef XLATD_DP_BPF_H
#define XLATD_DP_BPF_H

#include <netinet/in.h>
#include <stdbool.h>

struct dp_bpf;

/* Load the program and attach it to the ingress of uplink_ifindex: a tcx
 * link when the kernel has tcx (it detaches by itself when xlatd exits,
 * even on a crash), else clsact + cls_bpf with xlatd's own handle and
 * priority. Packets for the CLAT address go to tun_ifindex's egress, so
 * the daemon reads them from the TUN fd. Returns NULL and logs why. */
struct dp_bpf *dp_bpf_open(unsigned uplink_ifindex, unsigned tun_ifindex);

/* Set (or change, in place) the CLAT IPv6 address the program takes. */
int dp_bpf_set_clat(struct dp_bpf *b, const struct in6_addr *clat_v6);

/* Detach and unload. */
void dp_bpf_close(struct dp_bpf *b);

/* Remove cls_bpf filters xlatd left on ifindex's clsact ingress in a run
 * that crashed (recognised by handle and priority). Returns the number
 * removed, or -errno. */
int dp_bpf_cleanup_stale(unsigned ifindex);

/* Whether tcx links are available on this kernel. */
bool dp_bpf_have_tcx(void);

#endif
