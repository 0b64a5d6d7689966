/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The layout of the maps shared by the eBPF programs (bpf/) and their
 * loaders (src/dp/dp_bpf.c for the CLAT's, src/dp/dp_siit.c for
 * xlat-siit's). Both sides include this file, so it uses only
 * the kernel's fixed-width types (<linux/types.h>): glibc's <stdint.h>
 * does not build for -target bpf. Every struct has explicit padding and a
 * size check, so a change that moves a field fails to compile on both
 * sides at once.
 */
#ifndef XLATD_XLAT_MAPS_H
#define XLATD_XLAT_MAPS_H

#include <linux/types.h>

/* clat_cfg: a BPF_MAP_TYPE_ARRAY with one entry, key 0. The loader writes
 * it before it attaches the programs and again whenever the CLAT address,
 * the prefix or an MTU changes; the programs read it for every packet.
 * The address mappings themselves are in clat_eam4 and clat_eam6. */
#define XLAT_MAPS_CFG_KEY 0

/* xlat_maps_cfg.flags: the translator options of struct xlat_cfg that the
 * fast path follows. */
#define XLAT_MAPS_F_DECREMENT_TTL 0x01 /* TTL and hop limit - 1 */
#define XLAT_MAPS_F_RESET_TC 0x02      /* TOS and traffic class written 0 */
#define XLAT_MAPS_F_WKP_STRICT 0x04    /* RFC 6052 §3.1 for 64:ff9b::/96 */
#define XLAT_MAPS_F_GATEWAY 0x08       /* gateway6 is the uplink's next hop */

struct xlat_maps_cfg {
	__be32 clat_v6[4];    /* the CLAT IPv6 address, network byte order */
	__be32 prefix[4];     /* RFC 6052 prefix, bits past prefix_len zero */
	__be32 gateway6[4];   /* next hop towards the prefix on the uplink */
	__u32 tun_ifindex;    /* where packets for the CLAT are redirected */
	__u32 uplink_ifindex; /* where translated IPv6 packets leave */
	__u16 mtu_v4;	      /* struct xlat_cfg's mtu_v4, mtu_v6 and */
	__u16 mtu_v6;	      /* lowest_ipv6_mtu (RFC 7915 §4, §5) */
	__u16 lowest_ipv6_mtu;
	__u8 prefix_len; /* 32, 40, 48, 56, 64 or 96; 0: no fast path */
	__u8 flags;	 /* XLAT_MAPS_F_* */
	__u8 enabled;	 /* 0: the ingress program passes every packet */
	__u8 has_l2;	 /* 1: the uplink has a 14-byte Ethernet header */
	__u8 fast;	 /* 1: translate what the fast path covers */
	__u8 tun_has_l2; /* 1: TUN packets carry one too (tests only) */
	/* shared mode, clat_v6 is the host's own address: the port swap
	 * (struct xlat_portswap); swap_size 0: not shared */
	__u16 swap_first;
	__u16 swap_size;
};
_Static_assert(sizeof(struct xlat_maps_cfg) == 72,
	       "struct xlat_maps_cfg is part of the BPF ABI");

/* clat_eam4 and clat_eam6: BPF_MAP_TYPE_LPM_TRIE maps of the translator's
 * RFC 7757 EAM entries (struct xlat_cfg's eam[]: the CLAT's own /128 to
 * /32, router mode's stateless LAN prefixes, the admin's), keyed by the
 * IPv4 and the IPv6 prefix, at most XLAT_MAPS_EAM_MAX each. A longest
 * match is the entry the core picks. The loader keeps them equal to the
 * table (dp_bpf_eam_sync). */
#define XLAT_MAPS_EAM_MAX 64

struct xlat_maps_eam4_key {
	__u32 prefixlen;
	__be32 addr;
};
_Static_assert(sizeof(struct xlat_maps_eam4_key) == 8,
	       "struct xlat_maps_eam4_key is part of the BPF ABI");

struct xlat_maps_eam6_key {
	__u32 prefixlen;
	__be32 addr[4];
};
_Static_assert(sizeof(struct xlat_maps_eam6_key) == 20,
	       "struct xlat_maps_eam6_key is part of the BPF ABI");

/* One entry, the same in both maps. The fast path maps only entries whose
 * IPv4 suffix is the low bits of the IPv6 address (an IPv6 prefix 96 bits
 * longer than the IPv4 one): there the suffix bits (host4) are copied
 * across as they are. Addresses that match another entry are the slow
 * path's. */
struct xlat_maps_eam {
	__be32 v6[4]; /* IPv6 prefix, host bits zero */
	__be32 v4;    /* IPv4 prefix, host bits zero */
	__be32 host4; /* the IPv4 suffix bits, network order */
	__u8 fast;    /* 1: of the shape the fast path maps */
	__u8 pad[3];
};
_Static_assert(sizeof(struct xlat_maps_eam) == 28,
	       "struct xlat_maps_eam is part of the BPF ABI");

/* clat_lan4: a BPF_MAP_TYPE_LPM_TRIE of the sources router mode serves,
 * each on the LAN interface it arrives on (the policy rules' `from PREFIX
 * iif LAN`), for clat_lan_ingress (stateless) or clat_nat44_ingress
 * (NAT44) on that interface's ingress. The key is the interface and the IPv4
 * address: a prefix of prefixlen = 32 + the IPv4 prefix length. */
#define XLAT_MAPS_LAN_MAX 64

struct xlat_maps_lan_key {
	__u32 prefixlen;
	__u32 ifindex;
	__be32 addr;
};
_Static_assert(sizeof(struct xlat_maps_lan_key) == 12,
	       "struct xlat_maps_lan_key is part of the BPF ABI");

struct xlat_maps_lan {
	__u8 has_l2; /* 1: the interface has a 14-byte Ethernet header */
	__u8 pad[3];
};
_Static_assert(sizeof(struct xlat_maps_lan) == 4,
	       "struct xlat_maps_lan is part of the BPF ABI");

/* clat_counters: a BPF_MAP_TYPE_PERCPU_ARRAY of __u64, one entry per
 * counter; the loader sums the CPUs. New counters go at the end. */
enum xlat_maps_counter {
	XLAT_MAPS_CNT_REDIRECTED = 0, /* IPv6 sent to the TUN for the daemon */
	XLAT_MAPS_CNT_PASSED = 1,     /* left to the next program or stack */
	XLAT_MAPS_CNT_FAST_64 = 2,    /* translated to IPv4 in the kernel */
	XLAT_MAPS_CNT_FAST_46 = 3,    /* translated to IPv6 in the kernel */
	XLAT_MAPS_CNT_SLOW_46 = 4,    /* IPv4 left to the daemon */
	XLAT_MAPS_CNT_FAST_ERROR = 5, /* a helper failed mid-way: dropped */
	XLAT_MAPS_CNT_SLOW_64 = 6, /* IPv6 routed into the TUN, to the daemon */
	/* FAST_64 and FAST_46 by protocol, in the order of
	 * xlat_maps_proto: the first of each direction. */
	XLAT_MAPS_CNT_64_PROTO = 7,
	XLAT_MAPS_CNT_46_PROTO = 10,
	XLAT_MAPS_CNT_MAX = 13
};

/* The protocols the fast path translates, as counted above. */
enum xlat_maps_proto {
	XLAT_MAPS_PROTO_TCP = 0,
	XLAT_MAPS_PROTO_UDP = 1,
	XLAT_MAPS_PROTO_ICMP = 2, /* echo, ICMP or ICMPv6 */
	XLAT_MAPS_PROTO_MAX = 3
};
_Static_assert(XLAT_MAPS_CNT_46_PROTO ==
			       XLAT_MAPS_CNT_64_PROTO + XLAT_MAPS_PROTO_MAX &&
		       XLAT_MAPS_CNT_MAX ==
			       XLAT_MAPS_CNT_46_PROTO + XLAT_MAPS_PROTO_MAX,
	       "one counter per direction and protocol");
/* ---- xlat-siit's program (bpf/siit_tc.bpf.c), on its TUN device ---- */

/* siit_cfg: a BPF_MAP_TYPE_ARRAY with one entry, key XLAT_MAPS_CFG_KEY. */
struct siit_maps_cfg {
	__be32 prefix[4];      /* RFC 6052 prefix, bits past prefix_len zero */
	__be32 own6[4];	       /* ipv6-addr: the slow path answers it */
	__be32 own4;	       /* ipv4-addr: the same */
	__be32 pool4;	       /* dynamic-pool, network byte order */
	__be32 pool4_mask;     /* 0: no dynamic pool */
	__u32 tun_ifindex;     /* where translated packets are received */
	__u16 lowest_ipv6_mtu; /* RFC 7915 §4: offlink-mtu */
	__u8 prefix_len;       /* 32, 40, 48, 56, 64 or 96; 0: no prefix */
	__u8 flags;	       /* XLAT_MAPS_F_* */
	__u8 enabled;	       /* 0: every packet goes to the slow path */
	__u8 tun_has_l2;       /* 1: packets carry an Ethernet header (tests) */
	__u8 pad[2];
};
_Static_assert(sizeof(struct siit_maps_cfg) == 56,
	       "struct siit_maps_cfg is part of the BPF ABI");

/* siit_hosts6 (key: the IPv6 address, 16 bytes) and siit_hosts4 (key:
 * the IPv4 address, 4 bytes), BPF_MAP_TYPE_HASH: the host table of
 * src/siit/hosts.h, both ways. The program writes last_ns (of dynamic
 * entries) and SIIT_MAPS_HOST_CONFIRMED; the loader reads them back. */
#define SIIT_MAPS_HOST_STATIC 0x1    /* a map of tayga.conf or map-file */
#define SIIT_MAPS_HOST_CONFIRMED 0x2 /* the IPv4 side answered */

struct siit_maps_host {
	__be32 v6[4];
	__be32 v4;
	__u32 flags;   /* SIIT_MAPS_HOST_* */
	__u64 last_ns; /* bpf_ktime_get_coarse_ns() of the last packet */
};
_Static_assert(sizeof(struct siit_maps_host) == 32,
	       "struct siit_maps_host is part of the BPF ABI");

/* siit_eam: a BPF_MAP_TYPE_LPM_TRIE of the RFC 7757 entries' prefixes,
 * IPv6 ones as they are and IPv4 ones as ::ffff:0:0/96 + the prefix. A
 * packet with an address under one goes to the slow path. */
struct siit_maps_lpm {
	__u32 prefixlen;
	__u8 addr[16];
};
_Static_assert(sizeof(struct siit_maps_lpm) == 20,
	       "struct siit_maps_lpm is part of the BPF ABI");

/* siit_counters: a BPF_MAP_TYPE_PERCPU_ARRAY of __u64. */
enum siit_maps_counter {
	SIIT_MAPS_CNT_FAST_64 = 0,    /* IPv6 translated in the kernel */
	SIIT_MAPS_CNT_FAST_46 = 1,    /* IPv4 translated in the kernel */
	SIIT_MAPS_CNT_SLOW = 2,	      /* left to the slow path */
	SIIT_MAPS_CNT_FAST_ERROR = 3, /* a helper failed mid-way: dropped */
	SIIT_MAPS_CNT_MAX
};

#endif
