/* SPDX-License-Identifier: BSD-2-Clause */
/* The eBPF part of the data path: a program at the uplink's tc ingress
 * that takes IPv6 packets for the CLAT address before the host stack sees
 * them (KERNEL-NOTES 1, 2) and hands them to the CLAT TUN device. */
#ifndef XLATD_DP_BPF_H
#define XLATD_DP_BPF_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

/* The clsact fallback's cls_bpf filter: xlatd's own handle and priority
 * on the ingress hook ('X' and "XA"), so a later run can find a filter
 * that a crashed run left behind. */
#define DP_BPF_TC_HANDLE 0x58
#define DP_BPF_TC_PRIO 0x5841

/* The program's name as the kernel reports it (bpf_prog_info.name). */
#define DP_BPF_PROG_NAME "clat_ingress"

/* dp_bpf_open_flags: skip tcx and attach with clsact + cls_bpf. */
#define DP_BPF_F_CLSACT 0x1

struct dp_bpf;

/* Load the program and attach it to the ingress of uplink_ifindex: a tcx
 * link when the kernel has tcx (it detaches by itself when xlatd exits,
 * even on a crash), else clsact + cls_bpf with xlatd's own handle and
 * priority. Packets for the CLAT address go to tun_ifindex's egress, so
 * the daemon reads them from the TUN fd. Nothing is taken until
 * dp_bpf_set_clat. The link fd is close-on-exec but survives fork: a
 * child forked after this keeps the program attached until it exits.
 * Returns NULL and logs why. */
struct dp_bpf *dp_bpf_open(unsigned uplink_ifindex, unsigned tun_ifindex);
struct dp_bpf *dp_bpf_open_flags(unsigned uplink_ifindex, unsigned tun_ifindex,
				 unsigned flags);

/* Set (or change, in place) the CLAT IPv6 address the program takes;
 * NULL stops taking packets. Returns 0 or -errno. */
int dp_bpf_set_clat(struct dp_bpf *b, const struct in6_addr *clat_v6);

/* Packets redirected to the TUN and packets passed on, summed over the
 * CPUs since dp_bpf_open. Returns 0 or -errno. */
int dp_bpf_read_counters(struct dp_bpf *b, uint64_t *redirected,
			 uint64_t *passed);

/* "tcx" or "clsact". */
const char *dp_bpf_mode(const struct dp_bpf *b);

/* Detach and unload. A clsact qdisc is removed only if xlatd created it
 * and no filter is left on it. NULL is fine. */
void dp_bpf_close(struct dp_bpf *b);

/* Remove the cls_bpf filter xlatd left on ifindex's clsact ingress in a
 * run that crashed, recognised by handle, priority and program name.
 * Call it before dp_bpf_open, never while another xlatd uses ifindex.
 * Returns the number removed (0 or 1), or -errno. */
int dp_bpf_cleanup_stale(unsigned ifindex);

/* Whether tcx links are available on this kernel. */
bool dp_bpf_have_tcx(void);

#endif
