/* SPDX-License-Identifier: (BSD-2-Clause OR GPL-2.0-only) */
/*
 * What the CLAT's tc programs share: their maps (xlatd/xlat_maps.h) and
 * the IPv4-to-IPv6 steps of a packet sent out of the uplink, for
 * bpf/clat_tc.bpf.c and bpf/clat_nat44.bpf.c. Each object file that
 * includes it gets maps of its own; the loader makes the second one use
 * the first one's (src/dp/dp_nat44.c).
 */
#ifndef XLATD_CLAT_TC_BPF_H
#define XLATD_CLAT_TC_BPF_H

#include "xlat_tc.bpf.h"

#include "xlatd/xlat_portswap.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xlat_maps_cfg);
} clat_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, XLAT_MAPS_EAM_MAX);
	__type(key, struct xlat_maps_eam4_key);
	__type(value, struct xlat_maps_eam);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} clat_eam4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, XLAT_MAPS_EAM_MAX);
	__type(key, struct xlat_maps_eam6_key);
	__type(value, struct xlat_maps_eam);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} clat_eam6 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XLAT_MAPS_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} clat_counters SEC(".maps");

/* Router mode, stateless: the LAN sources served on each interface. */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, XLAT_MAPS_LAN_MAX);
	__type(key, struct xlat_maps_lan_key);
	__type(value, struct xlat_maps_lan);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} clat_lan4 SEC(".maps");

/* RFC 1812 §5.3.1: the TTL one lower, as forwarding leaves it, and the
 * header checksum updated for it (RFC 1624: the TTL is the high byte of
 * its 16-bit word). */
static __always_inline void
ttl_forward(struct iphdr *ip4)
{
	__u32 sum = (__u32)ip4->check + bpf_htons(0x0100);

	ip4->check = (__sum16)(sum + (sum >= 0xffff));
	ip4->ttl--;
}

static __always_inline void
count(__u32 idx)
{
	__u64 *c = bpf_map_lookup_elem(&clat_counters, &idx);

	if (c != NULL)
		*c += 1;
}

/* One more packet the fast path translated, of IP protocol proto (either
 * family's numbering), in the direction whose counters start at base. */
static __always_inline void
count_proto(__u32 base, __u8 proto)
{
	if (proto == IPPROTO_TCP)
		count(base + XLAT_MAPS_PROTO_TCP);
	else if (proto == IPPROTO_UDP)
		count(base + XLAT_MAPS_PROTO_UDP);
	else
		count(base + XLAT_MAPS_PROTO_ICMP);
}

static __always_inline int
is_clat_addr(const __be32 *a, const struct xlat_maps_cfg *cfg)
{
	return a[0] == cfg->clat_v6[0] && a[1] == cfg->clat_v6[1] &&
	       a[2] == cfg->clat_v6[2] && a[3] == cfg->clat_v6[3];
}

/* Shared mode: the CLAT's port at off of a TCP or UDP header, and what
 * it becomes (xlatd/xlat_portswap.h); both equal when nothing changes.
 * Returns 0, or -1 for the daemon. */
static __always_inline int
swap_decide(struct __sk_buff *skb, const struct xlat_maps_cfg *cfg, __u32 off,
	    __u8 proto, const __be32 *clat_side, __be16 *old, __be16 *new)
{
	struct xlat_portswap s = {cfg->swap_first, cfg->swap_size};

	*old = 0;
	*new = 0;
	if (s.size == 0 || (proto != IPPROTO_TCP && proto != IPPROTO_UDP) ||
	    !is_clat_addr(clat_side, cfg))
		return 0;
	if (bpf_skb_load_bytes(skb, off, old, sizeof(*old)) < 0)
		return -1;
	*new = bpf_htons(xlat_portswap_port(&s, bpf_ntohs(*old)));
	return 0;
}

/* RFC 7757 §3.2: the EAM entry with the longest prefix holding a. */
static __always_inline const struct xlat_maps_eam *
eam4_find(__be32 a)
{
	struct xlat_maps_eam4_key k = {.prefixlen = 32, .addr = a};

	return bpf_map_lookup_elem(&clat_eam4, &k);
}

static __always_inline const struct xlat_maps_eam *
eam6_find(const __be32 *a)
{
	struct xlat_maps_eam6_key k = {.prefixlen = 128};

	__builtin_memcpy(k.addr, a, sizeof(k.addr));
	return bpf_map_lookup_elem(&clat_eam6, &k);
}

/* RFC 7757 §3.2 for an entry whose suffix is the low bits: the suffix
 * goes across unchanged. */
static __always_inline void
eam_embed(const struct xlat_maps_eam *e, __be32 v4, __be32 *a6)
{
	a6[0] = e->v6[0];
	a6[1] = e->v6[1];
	a6[2] = e->v6[2];
	a6[3] = e->v6[3] | (v4 & e->host4);
}

/* The checks, and the IPv6 header: the source maps through an EAM entry
 * (the CLAT's own address, RFC 6877 §6.3, or a stateless LAN's), the
 * destination through the prefix; one in an EAM entry is the core's to
 * map. src4 is the source: the packet's, or the address a NAT44 LAN's
 * source is translated to (bpf/clat_nat44.bpf.c). Returns 0, or -1 for
 * the daemon. */
static __always_inline int
decide46_clat(struct __sk_buff *skb, const struct xlat_maps_cfg *cfg, __u32 l3,
	      const struct iphdr *ip4, __be32 src4, struct pkt46 *k)
{
	const struct xlat_maps_eam *src = eam4_find(src4);

	if (src == NULL || !src->fast || eam4_find(ip4->daddr) != NULL ||
	    decide46(skb, cfg->flags, cfg->lowest_ipv6_mtu, cfg->mtu_v6, l3,
		     ip4, k) < 0 ||
	    !rfc6052_embed(cfg->prefix, cfg->prefix_len, cfg->flags, ip4->daddr,
			   k->ip6.daddr.in6_u.u6_addr32))
		return -1;
	eam_embed(src, src4, k->ip6.saddr.in6_u.u6_addr32);
	return swap_decide(skb, cfg, l3 + sizeof(*ip4), ip4->protocol,
			   k->ip6.saddr.in6_u.u6_addr32, &k->port, &k->swapped);
}

/* Out of the uplink. An Ethernet uplink needs a MAC header: an empty one
 * goes in front, for bpf_redirect_neigh, which fills in the addresses of
 * the next hop. It drops packets that come without one (net/core/
 * filter.c, __bpf_redirect_neigh); a FIB lookup would need forwarding
 * (docs/kernel.md). The next hop is the one the loader found for the
 * prefix on this uplink: the helper's own route lookup would not keep to
 * the uplink when another one is preferred. */
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

/* Whether the kernel would forward ip4, received on the LAN, into the
 * CLAT device: the route lookup of a received packet (no DIRECT flag, so
 * the policy rules with iif apply; with forwarding off on the LAN it
 * fails), and the MTU (tot_len): what does not fit is the kernel's,
 * which fragments it or answers Fragmentation Needed. The lookup checks
 * the device's MTU, not the route's (net/ipv4/route.c,
 * ip_mtu_from_fib_result, unless ip_forward_use_pmtu): the daemon sets
 * both the same. */
static __always_inline int
lan_routed_to_clat(struct __sk_buff *skb, const struct xlat_maps_cfg *cfg,
		   __u32 l3, const struct iphdr *ip4)
{
	struct bpf_fib_lookup fib = {
		.family = AF_INET,
		.l4_protocol = ip4->protocol,
		.tot_len = bpf_ntohs(ip4->tot_len),
		.ifindex = skb->ingress_ifindex,
		.tos = ip4->tos,
		.ipv4_src = ip4->saddr,
		.ipv4_dst = ip4->daddr,
	};

	/* Rules may match the ports; decide46 has checked the header. */
	if ((ip4->protocol == IPPROTO_TCP || ip4->protocol == IPPROTO_UDP) &&
	    bpf_skb_load_bytes(skb, l3 + sizeof(*ip4), &fib.sport, 4) < 0)
		return 0;
	return bpf_fib_lookup(skb, &fib, sizeof(fib),
			      BPF_FIB_LOOKUP_SKIP_NEIGH) ==
		       BPF_FIB_LKUP_RET_SUCCESS &&
	       fib.ifindex == cfg->tun_ifindex;
}

/* The packet at l3 (ip4: its IPv4 header as it came) rewritten as k
 * says and sent out of the uplink, counted. Returns the verdict. */
static __always_inline int
send46_fast(struct __sk_buff *skb, const struct xlat_maps_cfg *cfg, __u32 l3,
	    const struct iphdr *ip4, const struct pkt46 *k)
{
	int verdict;

	if (rewrite46(skb, l3, ip4, k) < 0 ||
	    (verdict = send46(skb, cfg, l3)) < 0) {
		count(XLAT_MAPS_CNT_FAST_ERROR);
		return TC_ACT_SHOT;
	}
	count(XLAT_MAPS_CNT_FAST_46);
	count_proto(XLAT_MAPS_CNT_46_PROTO, ip4->protocol);
	return verdict;
}

/* An IPv4 packet at a LAN interface's ingress, read into ip4, that the
 * fast path may take: as ip_forward takes them, addressed to this host's
 * MAC (a mark may select other policy rules than a lookup here sees),
 * from a source served on this interface (*lan; the nftables table's
 * source check). Returns the configuration, or NULL: the kernel's. */
static __always_inline const struct xlat_maps_cfg *
lan_ingress_take(struct __sk_buff *skb, struct iphdr *ip4,
		 const struct xlat_maps_lan **lan)
{
	struct xlat_maps_lan_key key = {.prefixlen = 64};
	__u32 cfg_key = XLAT_MAPS_CFG_KEY;
	const struct xlat_maps_cfg *cfg;

	cfg = bpf_map_lookup_elem(&clat_cfg, &cfg_key);
	if (cfg == NULL || !cfg->enabled || !cfg->fast ||
	    cfg->uplink_ifindex == 0 || cfg->tun_ifindex == 0)
		return NULL;
	if (skb->protocol != bpf_htons(ETH_P_IP) || skb->vlan_present ||
	    skb->pkt_type != PACKET_HOST || skb->mark != 0 ||
	    skb->gso_size != 0)
		return NULL;
	if (bpf_skb_load_bytes_relative(skb, 0, ip4, sizeof(*ip4),
					BPF_HDR_START_NET) < 0)
		return NULL;
	key.ifindex = skb->ingress_ifindex;
	key.addr = ip4->saddr;
	*lan = bpf_map_lookup_elem(&clat_lan4, &key);
	return *lan != NULL ? cfg : NULL;
}

#endif
