/* SPDX-License-Identifier: (BSD-2-Clause OR GPL-2.0-only) */
/*
 * The CLAT's tc programs: the fast path of RFC 7915 translation, with the
 * userspace daemon as the slow path for everything it does not cover.
 *
 * clat_ingress, on the uplink's ingress, takes IPv6 packets for the CLAT
 * address before the host stack sees them (the CLAT address is not a host
 * address: the stack would answer them with ICMPv6 port-unreachable,
 * KERNEL-NOTES 1, 2). TCP, UDP, ICMPv6 echo and fragments of TCP and UDP
 * are translated to IPv4 here (RFC 7915 §5) and redirected into the TUN
 * device's ingress, as if the host had received them there. The rest is
 * redirected unchanged to the TUN's egress, where the daemon reads it.
 *
 * clat_egress, on the TUN device's egress, translates IPv4 TCP, UDP and
 * ICMP echo from the host to IPv6 (RFC 7915 §4) and sends it out of the
 * uplink; the kernel routes it and resolves the next hop. The rest goes
 * on to the TUN fd, to the daemon (TC_ACT_OK).
 *
 * The fast path never half-translates: every check comes before the first
 * write, and a packet it declines reaches the slow path byte for byte
 * (STYLE.md, habit 8). The checks and the rewrite are xlat_tc.bpf.h's,
 * shared with xlat-siit's programs; what is the CLAT's here is which
 * packets it takes, its addresses, and where the results go.
 *
 * Every other packet on the uplink is passed untouched, with
 * TC_ACT_UNSPEC: that is TCX_NEXT for a tcx link and "no match, try the
 * next filter" for cls_bpf in direct-action mode (net/sched/cls_bpf.c,
 * cls_bpf_exec_opcode). TC_ACT_OK would end the walk: under tcx it skips
 * every later tcx program and all clsact filters of the device
 * (net/core/dev.c, sch_handle_ingress), which would silently disable
 * other tools' ingress filters on the uplink.
 */
#include "xlat_tc.bpf.h"

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
is_clat_addr(const __be32 *a, const struct xlat_maps_cfg *cfg)
{
	return a[0] == cfg->clat_v6[0] && a[1] == cfg->clat_v6[1] &&
	       a[2] == cfg->clat_v6[2] && a[3] == cfg->clat_v6[3];
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

/* RFC 7915 §5.1 for the CLAT: the source through the prefix (one that is
 * the CLAT address itself is the EAM's, and odd), the destination the
 * CLAT's IPv4 address (RFC 6877 §6.3). Returns 0, or -1 for the daemon. */
static __always_inline int
decide_clat64(struct __sk_buff *skb, const struct xlat_maps_cfg *cfg, __u32 l3,
	      const struct ipv6hdr *ip6, struct pkt64 *k)
{
	if (decide64(skb, cfg->flags, cfg->mtu_v4, l3, ip6, k) < 0 ||
	    is_clat_addr(ip6->saddr.in6_u.u6_addr32, cfg) ||
	    !rfc6052_extract(cfg->prefix, cfg->prefix_len, cfg->flags,
			     ip6->saddr.in6_u.u6_addr32, &k->ip4.saddr))
		return -1;
	k->ip4.daddr = cfg->clat_v4;
	decide64_done(k);
	return 0;
}

/* l3 is a constant at each call site (0 or ETH_HLEN), so the verifier
 * sees fixed offsets. */
static __always_inline int
handle_ingress(struct __sk_buff *skb, const struct xlat_maps_cfg *cfg, __u32 l3)
{
	struct ipv6hdr ip6;
	struct pkt64 k;
	__be16 proto;

	if (l3 == ETH_HLEN) {
		if (bpf_skb_load_bytes(skb, offsetof(struct ethhdr, h_proto),
				       &proto, sizeof(proto)) < 0 ||
		    proto != bpf_htons(ETH_P_IPV6))
			return pass();
	}
	if (bpf_skb_load_bytes(skb, l3, &ip6, sizeof(ip6)) < 0)
		return pass();
	if (ip6.version != 6 || !is_clat_addr(ip6.daddr.in6_u.u6_addr32, cfg))
		return pass();
	if (is_ndisc(skb, &ip6, l3))
		return pass();
	if (cfg->fast && decide_clat64(skb, cfg, l3, &ip6, &k) == 0) {
		if (rewrite64(skb, l3, &ip6, &k) < 0) {
			count(XLAT_MAPS_CNT_FAST_ERROR);
			return TC_ACT_SHOT;
		}
		count(XLAT_MAPS_CNT_FAST_64);
		/* Into the TUN's ingress, as if received there; the kernel
		 * drops the Ethernet header for an L3 device (net/core/
		 * filter.c, __bpf_redirect_no_mac). */
		return bpf_redirect(cfg->tun_ifindex, BPF_F_INGRESS);
	}
	count(XLAT_MAPS_CNT_REDIRECTED);
	/* To the TUN's egress, where the daemon reads it. */
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
		return handle_ingress(skb, cfg, ETH_HLEN);
	return handle_ingress(skb, cfg, 0);
}

/* Out of the uplink. An Ethernet uplink needs a MAC header: an empty one
 * goes in front, for bpf_redirect_neigh, which fills in the addresses of
 * the next hop. It drops packets that come without one (net/core/
 * filter.c, __bpf_redirect_neigh), which is what KERNEL-NOTES 4 saw; a
 * FIB lookup would need forwarding (note 5). The next hop is the one the
 * loader found for the prefix on this uplink: the helper's own route
 * lookup would not keep to the uplink when another one is preferred. */
static __always_inline int
send46(struct __sk_buff *skb, const struct xlat_maps_cfg *cfg, __u32 l3)
{
	struct bpf_redir_neigh nh = {.nh_family = AF_INET6};
	__be16 type = bpf_htons(ETH_P_IPV6);

	if (!cfg->has_l2)
		return bpf_redirect(cfg->uplink_ifindex, 0);
	if (l3 == 0 && bpf_skb_change_head(skb, ETH_HLEN, 0) < 0)
		return -1;
	if (bpf_skb_store_bytes(skb, offsetof(struct ethhdr, h_proto), &type,
				sizeof(type), 0) < 0)
		return -1;
	if (!(cfg->flags & XLAT_MAPS_F_GATEWAY))
		return bpf_redirect_neigh(cfg->uplink_ifindex, NULL, 0, 0);
	__builtin_memcpy(nh.ipv6_nh, cfg->gateway6, sizeof(nh.ipv6_nh));
	return bpf_redirect_neigh(cfg->uplink_ifindex, &nh, sizeof(nh), 0);
}

/* RFC 7915 §4.1 for the CLAT: only from its own IPv4 address, which maps
 * through the EAM, and the destination through the prefix (RFC 6877
 * §6.3). Returns 0, or -1 for the daemon. */
static __always_inline int
decide_clat46(struct __sk_buff *skb, const struct xlat_maps_cfg *cfg, __u32 l3,
	      const struct iphdr *ip4, struct pkt46 *k)
{
	if (ip4->saddr != cfg->clat_v4 || ip4->daddr == cfg->clat_v4 ||
	    decide46(skb, cfg->flags, cfg->lowest_ipv6_mtu, cfg->mtu_v6, l3,
		     ip4, k) < 0 ||
	    !rfc6052_embed(cfg->prefix, cfg->prefix_len, cfg->flags, ip4->daddr,
			   k->ip6.daddr.in6_u.u6_addr32))
		return -1;
	__builtin_memcpy(k->ip6.saddr.in6_u.u6_addr32, cfg->clat_v6, 16);
	return 0;
}

static __always_inline int
handle_egress(struct __sk_buff *skb, const struct xlat_maps_cfg *cfg, __u32 l3)
{
	struct iphdr ip4;
	struct pkt46 k;
	int verdict;

	if (bpf_skb_load_bytes(skb, l3, &ip4, sizeof(ip4)) < 0 ||
	    decide_clat46(skb, cfg, l3, &ip4, &k) < 0) {
		count(XLAT_MAPS_CNT_SLOW_46);
		return TC_ACT_OK;
	}
	if (rewrite46(skb, l3, &ip4, &k) < 0 ||
	    (verdict = send46(skb, cfg, l3)) < 0) {
		count(XLAT_MAPS_CNT_FAST_ERROR);
		return TC_ACT_SHOT;
	}
	count(XLAT_MAPS_CNT_FAST_46);
	return verdict;
}

SEC("tc")
int
clat_egress(struct __sk_buff *skb)
{
	__u32 key = XLAT_MAPS_CFG_KEY;
	struct xlat_maps_cfg *cfg;

	cfg = bpf_map_lookup_elem(&clat_cfg, &key);
	if (cfg == NULL || !cfg->enabled || !cfg->fast ||
	    cfg->uplink_ifindex == 0 || skb->protocol != bpf_htons(ETH_P_IP)) {
		count(XLAT_MAPS_CNT_SLOW_46);
		return TC_ACT_OK;
	}
	if (cfg->tun_has_l2)
		return handle_egress(skb, cfg, ETH_HLEN);
	return handle_egress(skb, cfg, 0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
