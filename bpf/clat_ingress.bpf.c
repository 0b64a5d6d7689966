/* SPDX-License-Identifier: (BSD-2-Clause OR GPL-2.0-only) */
/*
 * The uplink's tc ingress: IPv6 packets for the CLAT address are taken
 * before the host stack sees them and redirected to the egress of the
 * CLAT TUN device, where the daemon reads them from the TUN fd and
 * translates them. The CLAT address is not a host address, so the stack
 * would answer them with ICMPv6 port-unreachable (KERNEL-NOTES 1, 2).
 *
 * Every other packet is passed untouched, with TC_ACT_UNSPEC: that is
 * TCX_NEXT for a tcx link and "no match, try the next filter" for
 * cls_bpf in direct-action mode (net/sched/cls_bpf.c,
 * cls_bpf_exec_opcode). TC_ACT_OK would end the walk: under tcx it
 * skips every later tcx program and all clsact filters of the device
 * (net/core/dev.c, sch_handle_ingress), which would silently disable
 * other tools' ingress filters on the uplink.
 *
 * Headers are read with bpf_skb_load_bytes rather than direct packet
 * access: it also works when a header is not in the linear part of the
 * skb, and it never changes the skb (bpf_skb_pull_data would).
 */
#include <stddef.h>

#include <linux/bpf.h>
#include <linux/icmpv6.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/in.h>
#include <linux/ipv6.h>
#include <linux/pkt_cls.h>

#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "xlatd/xlat_maps.h"

/* RFC 4861 §4: router solicitation (133) to redirect (137). */
#define NDISC_FIRST 133
#define NDISC_LAST 137

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xlat_maps_cfg);
} clat_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XLAT_MAPS_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} clat_counters SEC(".maps");

static __always_inline void
count(__u32 idx)
{
	__u64 *c = bpf_map_lookup_elem(&clat_counters, &idx);

	if (c != NULL)
		*c += 1;
}

static __always_inline int
pass(void)
{
	count(XLAT_MAPS_CNT_PASSED);
	return TC_ACT_UNSPEC;
}

static __always_inline int
is_clat_addr(const struct ipv6hdr *ip6, const struct xlat_maps_cfg *cfg)
{
	const __be32 *d = ip6->daddr.in6_u.u6_addr32;

	return d[0] == cfg->clat_v6[0] && d[1] == cfg->clat_v6[1] &&
	       d[2] == cfg->clat_v6[2] && d[3] == cfg->clat_v6[3];
}

/* Neighbour discovery for the CLAT address belongs to the host stack,
 * which answers it because the daemon joined the address as anycast:
 * the first solicitation is multicast, but NUD probes (RFC 4861 §7.3.3)
 * are unicast to the CLAT address itself. Only an ICMPv6 header right
 * after the IPv6 header is recognised. */
static __always_inline int
is_ndisc(struct __sk_buff *skb, const struct ipv6hdr *ip6, __u32 l3)
{
	__u8 type;

	if (ip6->nexthdr != IPPROTO_ICMPV6)
		return 0;
	if (bpf_skb_load_bytes(skb, l3 + sizeof(*ip6), &type, 1) < 0)
		return 0;
	return type >= NDISC_FIRST && type <= NDISC_LAST;
}

/* l3 is a constant at each call site (0 or ETH_HLEN), so the verifier
 * and the fast path to come see fixed offsets. */
static __always_inline int
handle(struct __sk_buff *skb, const struct xlat_maps_cfg *cfg, __u32 l3)
{
	struct ipv6hdr ip6;
	__be16 proto;

	if (l3 == ETH_HLEN) {
		if (bpf_skb_load_bytes(skb, offsetof(struct ethhdr, h_proto),
				       &proto, sizeof(proto)) < 0 ||
		    proto != bpf_htons(ETH_P_IPV6))
			return pass();
	}
	if (bpf_skb_load_bytes(skb, l3, &ip6, sizeof(ip6)) < 0)
		return pass();
	if (ip6.version != 6 || !is_clat_addr(&ip6, cfg))
		return pass();
	if (is_ndisc(skb, &ip6, l3))
		return pass();
	count(XLAT_MAPS_CNT_REDIRECTED);
	/* To the TUN's egress: the kernel drops the Ethernet header for an
	 * L3 device (net/core/filter.c, __bpf_redirect_no_mac). */
	return bpf_redirect(cfg->tun_ifindex, 0);
}

SEC("tc")
int
clat_ingress(struct __sk_buff *skb)
{
	__u32 key = XLAT_MAPS_CFG_KEY;
	struct xlat_maps_cfg *cfg;

	cfg = bpf_map_lookup_elem(&clat_cfg, &key);
	if (cfg == NULL || !cfg->enabled || cfg->tun_ifindex == 0)
		return pass();
	/* A tag the kernel has already taken off (skb_vlan_untag runs
	 * before tc ingress) means the packet belongs to a VLAN device;
	 * a frame addressed to another MAC (promiscuous mode) is not ours. */
	if (skb->protocol != bpf_htons(ETH_P_IPV6) || skb->vlan_present ||
	    skb->pkt_type != PACKET_HOST)
		return pass();
	if (cfg->has_l2)
		return handle(skb, cfg, ETH_HLEN);
	return handle(skb, cfg, 0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
