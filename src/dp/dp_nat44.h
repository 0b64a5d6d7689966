/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Router mode with NAT44: clat_nat44_ingress (bpf/clat_nat44.bpf.c), the
 * LAN side's fast path for established UDP flows, loaded on the CLAT
 * programs' maps. It needs the conntrack kfuncs: on a kernel without
 * them it does not load, and the LANs keep the kernel's path.
 */
#ifndef XLATD_DP_NAT44_H
#define XLATD_DP_NAT44_H

#include <stdint.h>

#include "clat_nat44.skel.h"
#include "clat_tc.skel.h"

/* The conntrack timeout of an established UDP flow when the namespace's
 * cannot be read: the kernel's default. */
#define DP_NAT44_UDP_TIMEOUT_MS 120000u

/* net.netfilter.nf_conntrack_udp_timeout_stream of the caller's network
 * namespace in milliseconds, or DP_NAT44_UDP_TIMEOUT_MS. */
uint32_t dp_nat44_udp_timeout_ms(void);

/* The program loaded with tc's maps (config, EAM, counters, LAN
 * sources); it refreshes a flow's conntrack entry to udp_timeout_ms.
 * Returns NULL with errno set when the kernel refuses it. */
struct clat_nat44 *dp_nat44_load(struct clat_tc *tc, uint32_t udp_timeout_ms);

#endif
