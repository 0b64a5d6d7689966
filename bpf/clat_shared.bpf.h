/* SPDX-License-Identifier: (BSD-2-Clause OR GPL-2.0-only) */
/*
 * Shared mode, for clat_ingress: the CLAT address is the host's own, so a
 * packet to it is the CLAT's only when no IPv6 socket of the host owns its
 * flow. The one place this is decided: the slow path gets only what the
 * ingress program hands over.
 *
 * TCP: a socket of the 4-tuple (established, closing, time-wait, a
 * request) owns the segment. A listener owns a SYN, and any segment to a
 * port outside the block the CLAT's ports are swapped into (the ACK that
 * answers a SYN cookie has no request socket); in that block, where the
 * translated flows are, only a SYN. UDP: a socket the kernel would
 * deliver the datagram to. ICMPv6 errors: the flow of the packet inside,
 * seen from the other end. Echo replies carry no port, and
 * the kernel takes echo identifiers from no range the CLAT could keep
 * apart: both get them, and each side's ping ignores identifiers that are
 * not its own. Echo requests and every other protocol are the host's.
 * Fragments after the first carry no port: both get them; the side that
 * did not get the first fragment never completes the packet (RFC 8200
 * §4.5) and drops it silently.
 */
#ifndef XLATD_CLAT_SHARED_BPF_H
#define XLATD_CLAT_SHARED_BPF_H

enum shared_owner {
	SHARED_CLAT, /* translate, or hand over to the daemon */
	SHARED_HOST, /* the host stack's, untouched */
	SHARED_BOTH, /* a copy to the daemon, the packet to the host */
};

#define TCP_FLAGS_OFF 13
#define TCP_SYN 0x02
#define TCP_ACK 0x10
/* include/net/tcp_states.h */
#define SHARED_TCP_LISTEN 10

/* Whether the local port p (network order) is in the block the CLAT's
 * ports are swapped into, below the ephemeral ones. */
static __always_inline int
shared_low_port(const struct xlat_maps_cfg *cfg, __be16 p)
{
	struct xlat_portswap s = {cfg->swap_first, cfg->swap_size};

	return xlat_portswap_low(&s, bpf_ntohs(p));
}

/* The flow of proto from src:sport to dst:dport (ports in network order,
 * as they are on the wire) toward this host: whether a socket owns it. A
 * listener on a port of the low block owns only a segment with syn (a SYN
 * without ACK). */
static __always_inline int
shared_sock_owns(struct __sk_buff *skb, const struct xlat_maps_cfg *cfg,
		 __u8 proto, const struct in6_addr *src,
		 const struct in6_addr *dst, const __be16 ports[2], int syn)
{
	struct bpf_sock_tuple t;
	struct bpf_sock *sk;
	__u32 state;

	__builtin_memset(&t, 0, sizeof(t));
	__builtin_memcpy(t.ipv6.saddr, src, 16);
	__builtin_memcpy(t.ipv6.daddr, dst, 16);
	t.ipv6.sport = ports[0];
	t.ipv6.dport = ports[1];
	if (proto == IPPROTO_UDP) {
		sk = bpf_sk_lookup_udp(skb, &t, sizeof(t.ipv6),
				       BPF_F_CURRENT_NETNS, 0);
		if (sk == NULL)
			return 0;
		bpf_sk_release(sk);
		return 1;
	}
	sk = bpf_skc_lookup_tcp(skb, &t, sizeof(t.ipv6), BPF_F_CURRENT_NETNS,
				0);
	if (sk == NULL)
		return 0;
	state = sk->state;
	bpf_sk_release(sk);
	return state != SHARED_TCP_LISTEN || syn ||
	       !shared_low_port(cfg, ports[1]);
}

/* TCP or UDP at l4 (the first fragment, or no fragment), to this host. */
static __always_inline enum shared_owner
shared_l4_owner(struct __sk_buff *skb, const struct xlat_maps_cfg *cfg,
		__u32 l4, __u8 proto, const struct ipv6hdr *ip6)
{
	__be16 ports[2];
	__u8 flags = 0;

	if (bpf_skb_load_bytes(skb, l4, ports, sizeof(ports)) < 0 ||
	    (proto == IPPROTO_TCP &&
	     bpf_skb_load_bytes(skb, l4 + TCP_FLAGS_OFF, &flags, 1) < 0))
		return SHARED_HOST;
	return shared_sock_owns(skb, cfg, proto, &ip6->saddr, &ip6->daddr,
				ports, (flags & (TCP_SYN | TCP_ACK)) == TCP_SYN)
		       ? SHARED_HOST
		       : SHARED_CLAT;
}

/* RFC 4443 §2.4: an ICMPv6 error at icmp carries as much of the packet
 * that caused it as fits, which left this host: its flow, reversed. */
static __always_inline enum shared_owner
shared_error_owner(struct __sk_buff *skb, const struct xlat_maps_cfg *cfg,
		   __u32 icmp)
{
	struct ipv6hdr in;
	__be16 ports[2], rev[2];

	if (bpf_skb_load_bytes(skb, icmp + ICMP_HDR_LEN, &in, sizeof(in)) < 0)
		return SHARED_HOST;
	if (in.nexthdr == IPPROTO_ICMPV6 || in.nexthdr == IPPROTO_FRAGMENT)
		return SHARED_BOTH;
	if (in.nexthdr != IPPROTO_TCP && in.nexthdr != IPPROTO_UDP)
		return SHARED_HOST;
	if (bpf_skb_load_bytes(skb, icmp + ICMP_HDR_LEN + sizeof(in), ports,
			       sizeof(ports)) < 0)
		return SHARED_HOST;
	rev[0] = ports[1];
	rev[1] = ports[0];
	return shared_sock_owns(skb, cfg, in.nexthdr, &in.daddr, &in.saddr, rev,
				0)
		       ? SHARED_HOST
		       : SHARED_CLAT;
}

static __always_inline enum shared_owner
shared_icmp_owner(struct __sk_buff *skb, const struct xlat_maps_cfg *cfg,
		  __u32 icmp)
{
	__u8 type;

	if (bpf_skb_load_bytes(skb, icmp, &type, 1) < 0)
		return SHARED_HOST;
	if (type == ICMP6_ECHO_REPLY)
		return SHARED_BOTH;
	if (type < ICMP6_INFO_MIN)
		return shared_error_owner(skb, cfg, icmp);
	return SHARED_HOST;
}

/* The packet at l3, to the shared address. Only a Fragment header is
 * looked behind, as the fast path does. */
static __always_inline enum shared_owner
shared_owner(struct __sk_buff *skb, const struct xlat_maps_cfg *cfg, __u32 l3,
	     const struct ipv6hdr *ip6)
{
	__u32 l4 = l3 + sizeof(*ip6);
	__u8 proto = ip6->nexthdr;
	struct frag6 fh;

	if (proto == IPPROTO_FRAGMENT) {
		if (bpf_skb_load_bytes(skb, l4, &fh, sizeof(fh)) < 0)
			return SHARED_HOST;
		proto = fh.nexthdr;
		l4 += sizeof(fh);
		if (proto != IPPROTO_TCP && proto != IPPROTO_UDP &&
		    proto != IPPROTO_ICMPV6)
			return SHARED_HOST;
		if ((bpf_ntohs(fh.frag_off) & IP6_FRAG_OFFSET) != 0)
			return SHARED_BOTH;
	}
	if (proto == IPPROTO_TCP || proto == IPPROTO_UDP)
		return shared_l4_owner(skb, cfg, l4, proto, ip6);
	if (proto == IPPROTO_ICMPV6)
		return shared_icmp_owner(skb, cfg, l4);
	return SHARED_HOST;
}

#endif
