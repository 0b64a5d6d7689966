/* SPDX-License-Identifier: BSD-2-Clause */
/* The eBPF part of the data path: a program at the uplink's tc ingress
 * that takes IPv6 packets for the CLAT address before the host stack sees
 * them (docs/kernel.md), and one at the CLAT TUN device's egress. What
 * they can, they translate themselves (the fast path); the rest they hand
 * to the daemon through the TUN device (bpf/clat_tc.bpf.c). */
#ifndef XLATD_DP_BPF_H
#define XLATD_DP_BPF_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "dp_lan.h"
#include "tchook.h"
#include "xlatd/xlat.h"
#include "xlatd/xlat_maps.h"

/* The clsact fallback's cls_bpf filter: xlatd's own handle and priority
 * on the ingress hook ('X' and "XA"), so a later run can find a filter
 * that a crashed run left behind. */
#define DP_BPF_TC_HANDLE 0x58
#define DP_BPF_TC_PRIO 0x5841

/* The program's name as the kernel reports it (bpf_prog_info.name), and
 * clat_lan_ingress's and clat_nat44_ingress's, which it cuts to 15
 * characters. */
#define DP_BPF_PROG_NAME "clat_ingress"
#define DP_BPF_LAN_PROG_NAME "clat_lan_ingres"
#define DP_BPF_NAT44_PROG_NAME "clat_nat44_ingr"

/* dp_bpf_open_flags: skip tcx and attach with clsact + cls_bpf. */
#define DP_BPF_F_CLSACT TCHOOK_F_CLSACT

struct dp_bpf;

/* Load the programs and attach them to the ingress of uplink_ifindex and
 * the egress of tun_ifindex: tcx links when the kernel has tcx (they
 * detach by themselves when xlatd exits, even on a crash), else clsact +
 * cls_bpf with xlatd's own handle and priority. Packets for the CLAT
 * address go to tun_ifindex's egress, so the daemon reads them from the
 * TUN fd, until dp_bpf_set_xlat turns the fast path on. Nothing is taken
 * until dp_bpf_set_clat. If the egress program cannot be attached, IPv4
 * takes the slow path alone (logged). The link fd is close-on-exec but survives
 * fork: a child forked after this keeps the program attached until it exits.
 * Returns NULL and logs why. */
struct dp_bpf *dp_bpf_open(unsigned uplink_ifindex, unsigned tun_ifindex);
struct dp_bpf *dp_bpf_open_flags(unsigned uplink_ifindex, unsigned tun_ifindex,
				 unsigned flags);

/* Set (or change, in place) the CLAT IPv6 address the program takes;
 * NULL stops taking packets. Returns 0 or -errno. */
int dp_bpf_set_clat(struct dp_bpf *b, const struct in6_addr *clat_v6);

/* The fast path's part of the translator configuration x: the RFC 6052
 * prefix, MTUs and options, into m. Returns false, with m->fast 0, when x
 * needs the slow path for every packet (no prefix). */
bool dp_bpf_map_cfg(struct xlat_maps_cfg *m, const struct xlat_cfg *x);

/* RFC 7757 entry e as the clat_eam4 and clat_eam6 maps keep it. */
void dp_bpf_eam_entry(const struct xlat_eam *e, struct xlat_maps_eam4_key *k4,
		      struct xlat_maps_eam6_key *k6, struct xlat_maps_eam *v);

/* Make the maps fd4 (clat_eam4) and fd6 (clat_eam6) hold x's EAM table:
 * every entry (the CLAT's own among them), keyed by each side's prefix,
 * and nothing else. Entries are added before stale ones go, so a mapping
 * that stays is never missing. Returns 0 or -errno. */
int dp_bpf_eam_sync(int fd4, int fd6, const struct xlat_cfg *x);

/* Set (or change, in place) what the fast path translates with: x's
 * prefix, options and EAM table (whose IPv4 and IPv6 prefixes are the
 * CLAT's to take, translated by the fast path where an entry maps the
 * low bits, RFC 7757). fast false (fast-path=off) sends every packet to
 * the slow path. Returns 0 or -errno. */
int dp_bpf_set_xlat(struct dp_bpf *b, const struct xlat_cfg *x, bool fast);

/* Router mode's stateless LANs: clat_lan_ingress on the ingress of each
 * interface of src[0..n), taking the sources served there (dp_lan.h);
 * n 0 takes it off them all. Returns 0 or -errno (logged). */
int dp_bpf_set_lans(struct dp_bpf *b, const struct dp_lan_src *src, unsigned n);

/* Router mode's NAT44 LANs: clat_nat44_ingress (dp_nat44.h) in the same
 * way, loaded the first time n is not 0. If the kernel refuses it, one
 * log line, and the LANs keep the kernel's path. Returns 0 or -errno. */
int dp_bpf_set_nat44_lans(struct dp_bpf *b, const struct dp_lan_src *src,
			  unsigned n);

/* Whether ifindex has an Ethernet header in front of IP: 1 or 0, or
 * -EOPNOTSUPP for link types the programs do not parse. */
int dp_bpf_link_has_l2(struct rtnl *rtnl, unsigned ifindex);

/* Every counter of enum xlat_maps_counter, summed over the CPUs since
 * dp_bpf_open. Returns 0 or -errno. */
int dp_bpf_read_all(struct dp_bpf *b, uint64_t sum[XLAT_MAPS_CNT_MAX]);

/* Packets redirected to the TUN and packets passed on. */
int dp_bpf_read_counters(struct dp_bpf *b, uint64_t *redirected,
			 uint64_t *passed);

/* "tcx" or "clsact", for the uplink's program. */
const char *dp_bpf_mode(const struct dp_bpf *b);

/* Detach and unload. A clsact qdisc is removed only if xlatd created it
 * and no filter is left on it. NULL is fine. */
void dp_bpf_close(struct dp_bpf *b);

/* Remove the cls_bpf filter xlatd left on ifindex's clsact ingress in a
 * run that crashed, recognised by handle, priority and program name (of
 * either ingress program: the uplink's or a LAN's).
 * Call it before dp_bpf_open, never while another xlatd uses ifindex.
 * Returns the number removed (0 or 1), or -errno. */
int dp_bpf_cleanup_stale(unsigned ifindex);

/* Whether tcx links are available on this kernel. */
bool dp_bpf_have_tcx(void);

#endif
