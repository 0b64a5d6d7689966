/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The layout of the maps shared by the eBPF programs (bpf/) and their
 * loader (src/dp/dp_bpf.c). Both sides include this file, so it uses only
 * the kernel's fixed-width types (<linux/types.h>): glibc's <stdint.h>
 * does not build for -target bpf. Every struct has explicit padding and a
 * size check, so a change that moves a field fails to compile on both
 * sides at once.
 */
#ifndef XLATD_XLAT_MAPS_H
#define XLATD_XLAT_MAPS_H

#include <linux/types.h>

/* clat_cfg: a BPF_MAP_TYPE_ARRAY with one entry, key 0. The loader writes
 * it before it attaches the program and again whenever the CLAT address
 * changes; the program reads it for every packet. */
#define XLAT_MAPS_CFG_KEY 0

struct xlat_maps_cfg {
	__be32 clat_v6[4]; /* the CLAT IPv6 address, network byte order */
	__u32 tun_ifindex; /* where packets for clat_v6 are redirected */
	__u8 enabled;	   /* 0: the program passes every packet */
	__u8 has_l2;	   /* 1: the uplink has a 14-byte Ethernet header */
	__u8 pad[2];	   /* zero */
};
_Static_assert(sizeof(struct xlat_maps_cfg) == 24,
	       "struct xlat_maps_cfg is part of the BPF ABI");

/* clat_counters: a BPF_MAP_TYPE_PERCPU_ARRAY of __u64, one entry per
 * counter; the loader sums the CPUs. New counters go at the end. */
enum xlat_maps_counter {
	XLAT_MAPS_CNT_REDIRECTED = 0, /* sent to the TUN for the daemon */
	XLAT_MAPS_CNT_PASSED = 1,     /* left to the next program or stack */
	XLAT_MAPS_CNT_MAX
};

#endif
