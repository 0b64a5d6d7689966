/* SPDX-License-Identifier: (BSD-2-Clause OR GPL-2.0-only) */
/*
 * The CLAT's tc programs: the fast path of RFC 7915 translation, with the
 * userspace daemon as the slow path for everything it does not cover.
 *
 * clat_ingress, on the uplink's ingress, takes IPv6 packets for the CLAT
 * address before the host stack sees them (the CLAT address is not a host
 * address: the stack would answer them with ICMPv6 port-unreachable,
 * docs/kernel.md). TCP, UDP, ICMPv6 echo and fragments of TCP and UDP
 * are translated to IPv4 here (RFC 7915 §5) and redirected into the TUN
 * device's ingress, as if the host had received them there. The rest is
 * redirected unchanged to the TUN's egress, where the daemon reads it.
 *
 * clat_egress, on the TUN device's egress, translates IPv4 TCP, UDP and
 * ICMP echo from the host (or from a LAN it routes) to IPv6 (RFC 7915 §4)
 * and sends it out of the uplink; the kernel routes it and resolves the
 * next hop. IPv6 that the kernel routes into the TUN (a router taking
 * packets for the CLAT through a route rather than the uplink's ingress)
 * is translated as clat_ingress does and redirected into the TUN's
 * ingress. The rest goes on to the TUN fd, to the daemon (TC_ACT_OK).
 * In router mode, what either translates for a stateless LAN client goes
 * straight to its LAN interface when the kernel would forward it there.
 *
 * clat_lan_ingress, on the ingress of each LAN interface that router mode
 * serves with the stateless mapping, takes the LAN's IPv4 before IPv4
 * routing: what the kernel would forward into the TUN (a route lookup
 * with the policy rules says so) it translates as clat_egress would
 * after forwarding, and sends out of the uplink. The rest, and what the
 * kernel must see, goes on untouched.
 *
 * Which addresses are the CLAT's comes from the translator's RFC 7757 EAM
 * table (clat_eam4, clat_eam6; xlatd/xlat_maps.h): the CLAT's own /128 to
 * /32, and in router mode one entry per stateless LAN prefix.
 *
 * The fast path never half-translates: every check comes before the first
 * write, and a packet it declines reaches the slow path byte for byte. Results
 * are the core's (src/xlat) to the byte, but for the IPv4 Identification of
 * small unfragmented packets, which RFC 7915 §5.1 leaves to the translator
 * (tests/bpf/test-fast-path.c).
 *
 * Every other packet on the uplink is passed untouched, with
 * TC_ACT_UNSPEC: that is TCX_NEXT for a tcx link and "no match, try the
 * next filter" for cls_bpf in direct-action mode (net/sched/cls_bpf.c,
 * cls_bpf_exec_opcode). TC_ACT_OK would end the walk: under tcx it skips
 * every later tcx program and all clsact filters of the device
 * (net/core/dev.c, sch_handle_ingress), which would silently disable
 * other tools' ingress filters on the uplink.
 *
 * Headers are read with bpf_skb_load_bytes rather than direct packet
 * access: it also works when a header is not in the linear part of the
 * skb, and it never changes the skb (bpf_skb_pull_data would). Checksums
 * are updated with bpf_l4_csum_replace, which knows whether the skb
 * carries a full checksum or a partial one for offload.
 */
#include "clat_tc.bpf.h"

#include "clat_shared.bpf.h"

static __always_inline int
pass(void)
{
	count(XLAT_MAPS_CNT_PASSED);
	return TC_ACT_UNSPEC;
}

static __always_inline __be32
eam_extract(const struct xlat_maps_eam *e, const __be32 *a6)
{
	return e->v4 | (a6[3] & e->host4);
}

/* ---- IPv6 to IPv4: RFC 7915 §5 ---- */

/* The addresses of a packet decide64 took: the source through the prefix
 * (one that an EAM entry holds, the CLAT's own address or a LAN's, is the
 * core's to map), the destination through its EAM entry dst. Returns 0,
 * or -1 to leave the packet to the daemon. */
static __always_inline int
decide64_addrs(const struct xlat_maps_cfg *cfg, const struct ipv6hdr *ip6,
	       const struct xlat_maps_eam *dst, struct pkt64 *k)
{
	if (eam6_find(ip6->saddr.in6_u.u6_addr32) != NULL ||
	    !rfc6052_extract(cfg->prefix, cfg->prefix_len, cfg->flags,
			     ip6->saddr.in6_u.u6_addr32, &k->ip4.saddr))
		return -1;
	k->ip4.daddr = eam_extract(dst, ip6->daddr.in6_u.u6_addr32);
	decide64_done(k);
	return 0;
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
	return type >= ICMP6_ND_FIRST && type <= ICMP6_ND_LAST;
}

/* Router mode, stateless: whether the IPv4 packet k will be, received
 * on the TUN, would be forwarded to a LAN that serves its destination,
 * found by the route lookup of a packet received there (fib: out
 * device, Ethernet addresses). Then it can go there at once. Only
 * Ethernet on both sides, whole packets (no fragments), no SYN (the
 * nftables table clamps its MSS), TTL above 1 (the kernel answers Time
 * Exceeded), within the LAN's MTU, the neighbour known. */
static __always_inline int
lan_out_decide(struct __sk_buff *skb, const struct xlat_maps_cfg *cfg, __u32 l3,
	       const struct ipv6hdr *ip6, const struct pkt64 *k,
	       struct bpf_fib_lookup *fib)
{
	struct xlat_maps_lan_key key = {.prefixlen = 64};
	const struct xlat_maps_lan *lan;
	__u8 flags = 0;

	/* The CLAT's own address is the host's: no route lookup for it. A
	 * mark may select other policy rules than the lookup here sees. */
	if (l3 != ETH_HLEN || is_clat_addr(ip6->daddr.in6_u.u6_addr32, cfg) ||
	    skb->mark != 0 || k->frag || k->ip4.ttl <= 1 ||
	    (k->proto == IPPROTO_TCP &&
	     (bpf_skb_load_bytes(skb, l3 + k->l4 + TCP_FLAGS_OFF, &flags, 1) <
		      0 ||
	      (flags & TCP_SYN))))
		return -1;
	__builtin_memset(fib, 0, sizeof(*fib));
	fib->family = AF_INET;
	fib->l4_protocol = k->ip4.protocol;
	fib->tot_len = bpf_ntohs(k->ip4.tot_len);
	fib->ifindex = cfg->tun_ifindex;
	fib->tos = k->ip4.tos;
	fib->ipv4_src = k->ip4.saddr;
	fib->ipv4_dst = k->ip4.daddr;
	if ((k->proto == IPPROTO_TCP || k->proto == IPPROTO_UDP) &&
	    bpf_skb_load_bytes(skb, l3 + k->l4, &fib->sport, 4) < 0)
		return -1;
	if (bpf_fib_lookup(skb, fib, sizeof(*fib), 0) !=
	    BPF_FIB_LKUP_RET_SUCCESS)
		return -1;
	key.ifindex = fib->ifindex;
	key.addr = k->ip4.daddr;
	lan = bpf_map_lookup_elem(&clat_lan4, &key);
	return lan != NULL && lan->has_l2 ? 0 : -1;
}

/* The Ethernet addresses of the route lookup fib into the header. */
static __always_inline int
set_macs(struct __sk_buff *skb, const struct bpf_fib_lookup *fib)
{
	__u8 macs[2 * ETH_ALEN];

	__builtin_memcpy(macs, fib->dmac, ETH_ALEN);
	__builtin_memcpy(macs + ETH_ALEN, fib->smac, ETH_ALEN);
	return bpf_skb_store_bytes(skb, 0, macs, sizeof(macs), 0);
}

/* The fast path for an IPv6 packet to the CLAT at l3 whose destination
 * is in EAM entry dst: translated, and redirected into the TUN's ingress
 * as if received there (the kernel drops the Ethernet header for an L3
 * device: net/core/filter.c, __bpf_redirect_no_mac), or for a stateless
 * LAN, forwarded to it at once. Returns the verdict, or -1 when the
 * packet is the daemon's, untouched. */
static __always_inline int
translate64(struct __sk_buff *skb, const struct xlat_maps_cfg *cfg, __u32 l3,
	    const struct ipv6hdr *ip6, const struct xlat_maps_eam *dst)
{
	struct bpf_fib_lookup fib;
	struct pkt64 k;
	int to_lan;

	if (!cfg->fast || dst == NULL || !dst->fast ||
	    decide64(skb, cfg->flags, cfg->mtu_v4, l3, ip6, &k) < 0 ||
	    decide64_addrs(cfg, ip6, dst, &k) < 0 ||
	    (k.first &&
	     swap_decide(skb, cfg, l3 + k.l4 + 2, k.proto,
			 ip6->daddr.in6_u.u6_addr32, &k.port, &k.swapped) < 0))
		return -1;
	to_lan = lan_out_decide(skb, cfg, l3, ip6, &k, &fib) == 0;
	if (to_lan)
		ttl_forward(&k.ip4);
	if (rewrite64(skb, l3, ip6, &k) < 0 ||
	    (to_lan && set_macs(skb, &fib) < 0)) {
		count(XLAT_MAPS_CNT_FAST_ERROR);
		return TC_ACT_SHOT;
	}
	count(XLAT_MAPS_CNT_FAST_64);
	count_proto(XLAT_MAPS_CNT_64_PROTO, k.proto);
	if (to_lan)
		return bpf_redirect(fib.ifindex, 0);
	return bpf_redirect(cfg->tun_ifindex, BPF_F_INGRESS);
}

/* l3 is a constant at each call site (0 or ETH_HLEN), so the verifier
 * sees fixed offsets. */
static __always_inline int
handle_ingress(struct __sk_buff *skb, const struct xlat_maps_cfg *cfg, __u32 l3)
{
	const struct xlat_maps_eam *dst;
	enum shared_owner owner;
	struct ipv6hdr ip6;
	__be16 proto;
	int verdict;

	if (l3 == ETH_HLEN) {
		if (bpf_skb_load_bytes(skb, offsetof(struct ethhdr, h_proto),
				       &proto, sizeof(proto)) < 0 ||
		    proto != bpf_htons(ETH_P_IPV6))
			return pass();
	}
	if (bpf_skb_load_bytes(skb, l3, &ip6, sizeof(ip6)) < 0 ||
	    ip6.version != 6)
		return pass();
	dst = eam6_find(ip6.daddr.in6_u.u6_addr32);
	if (dst == NULL && !is_clat_addr(ip6.daddr.in6_u.u6_addr32, cfg))
		return pass();
	if (is_ndisc(skb, &ip6, l3))
		return pass();
	if (cfg->swap_size != 0 &&
	    is_clat_addr(ip6.daddr.in6_u.u6_addr32, cfg)) {
		owner = shared_owner(skb, cfg, l3, &ip6);
		if (owner == SHARED_HOST)
			return pass();
		if (owner == SHARED_BOTH) {
			count(XLAT_MAPS_CNT_REDIRECTED);
			bpf_clone_redirect(skb, cfg->tun_ifindex, 0);
			return pass();
		}
	}
	if ((verdict = translate64(skb, cfg, l3, &ip6, dst)) >= 0)
		return verdict;
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

/* ---- IPv4 to IPv6: RFC 7915 §4 ---- */

static __always_inline int
handle_egress(struct __sk_buff *skb, const struct xlat_maps_cfg *cfg, __u32 l3)
{
	struct iphdr ip4;
	struct pkt46 k;

	if (bpf_skb_load_bytes(skb, l3, &ip4, sizeof(ip4)) < 0 ||
	    decide46_clat(skb, cfg, l3, &ip4, ip4.saddr, &k) < 0) {
		count(XLAT_MAPS_CNT_SLOW_46);
		return TC_ACT_OK;
	}
	return send46_fast(skb, cfg, l3, &ip4, &k);
}

/* IPv6 that the kernel routed into the TUN: for the CLAT (an EAM entry
 * holds its destination), translated like clat_ingress does; the rest, and
 * what the fast path does not cover, goes on to the daemon. */
static __always_inline int
handle_egress64(struct __sk_buff *skb, const struct xlat_maps_cfg *cfg,
		__u32 l3)
{
	struct ipv6hdr ip6;
	int verdict;

	if (bpf_skb_load_bytes(skb, l3, &ip6, sizeof(ip6)) == 0 &&
	    ip6.version == 6 &&
	    (verdict = translate64(skb, cfg, l3, &ip6,
				   eam6_find(ip6.daddr.in6_u.u6_addr32))) >= 0)
		return verdict;
	count(XLAT_MAPS_CNT_SLOW_64);
	return TC_ACT_OK;
}

SEC("tc")
int
clat_egress(struct __sk_buff *skb)
{
	__u32 key = XLAT_MAPS_CFG_KEY;
	struct xlat_maps_cfg *cfg;

	cfg = bpf_map_lookup_elem(&clat_cfg, &key);
	if (cfg != NULL && cfg->enabled &&
	    skb->protocol == bpf_htons(ETH_P_IPV6))
		return cfg->tun_has_l2 ? handle_egress64(skb, cfg, ETH_HLEN)
				       : handle_egress64(skb, cfg, 0);
	if (cfg == NULL || !cfg->enabled || !cfg->fast ||
	    cfg->uplink_ifindex == 0 || skb->protocol != bpf_htons(ETH_P_IP)) {
		count(XLAT_MAPS_CNT_SLOW_46);
		return TC_ACT_OK;
	}
	if (cfg->tun_has_l2)
		return handle_egress(skb, cfg, ETH_HLEN);
	return handle_egress(skb, cfg, 0);
}

/* ---- Router mode: a stateless LAN's IPv4 at the LAN's own ingress ---- */

/* A TCP SYN carries the MSS that router mode's nftables table clamps in
 * the forward chain: the kernel's. Returns 1 for one, -1 if unreadable. */
static __always_inline int
is_syn(struct __sk_buff *skb, __u32 l3, const struct iphdr *ip4)
{
	__u8 flags;

	if (ip4->protocol != IPPROTO_TCP)
		return 0;
	if (bpf_skb_load_bytes(skb, l3 + sizeof(*ip4) + TCP_FLAGS_OFF, &flags,
			       1) < 0)
		return -1;
	return flags & TCP_SYN ? 1 : 0;
}

/* The packet at l3 the kernel would forward into the CLAT device,
 * translated as clat_egress would after forwarding (the hop limit is the
 * forwarded TTL's) and sent out of the uplink. What the kernel must see
 * (TTL 1, too big, a SYN, anything decide46 declines) goes on
 * untouched. */
static __always_inline int
handle_lan(struct __sk_buff *skb, const struct xlat_maps_cfg *cfg, __u32 l3,
	   const struct iphdr *ip4)
{
	struct iphdr fwd = *ip4;
	struct pkt46 k;

	/* The kernel answers Time Exceeded (RFC 1812 §5.3.1). */
	if (ip4->ttl <= 1)
		return TC_ACT_UNSPEC;
	ttl_forward(&fwd);
	if (decide46_clat(skb, cfg, l3, &fwd, fwd.saddr, &k) < 0 ||
	    is_syn(skb, l3, ip4) != 0 || !lan_routed_to_clat(skb, cfg, l3, ip4))
		return TC_ACT_UNSPEC;
	return send46_fast(skb, cfg, l3, &fwd, &k);
}

SEC("tc")
int
clat_lan_ingress(struct __sk_buff *skb)
{
	const struct xlat_maps_cfg *cfg;
	const struct xlat_maps_lan *lan;
	struct iphdr ip4;

	if ((cfg = lan_ingress_take(skb, &ip4, &lan)) == NULL)
		return TC_ACT_UNSPEC;
	if (lan->has_l2)
		return handle_lan(skb, cfg, ETH_HLEN, &ip4);
	return handle_lan(skb, cfg, 0, &ip4);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
