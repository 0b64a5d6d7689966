/* SPDX-License-Identifier: (BSD-2-Clause OR GPL-2.0-only) */
/*
 * RFC 7915 translation in tc programs, for the CLAT's (clat_tc.bpf.c)
 * and xlat-siit's (siit_tc.bpf.c): the checks that decide whether the
 * fast path may translate a packet, RFC 6052 address mapping, and the
 * rewrite in place. What each program does about addresses (which ones
 * it takes, how they map: the CLAT's and router mode's EAM entries,
 * xlat-siit's host table) and where the result goes is its own.
 *
 * decide64 and decide46 come before the first write and leave the packet
 * untouched when they say no; the rewrite functions
 * then change it in place, and a failure after their first write drops.
 * The results are the core's (src/xlat) to the byte, but for the IPv4
 * Identification of small unfragmented packets, which RFC 7915 §5.1
 * leaves to the translator (tests/bpf/test-fast-path.c).
 *
 * Headers are read with bpf_skb_load_bytes rather than direct packet
 * access: it also works when a header is not in the linear part of the
 * skb, and it never changes the skb (bpf_skb_pull_data would). Checksums
 * are updated with bpf_l4_csum_replace, which knows whether the skb
 * carries a full checksum or a partial one for offload.
 */
#ifndef XLATD_XLAT_TC_BPF_H
#define XLATD_XLAT_TC_BPF_H

#include <stddef.h>

#include <linux/bpf.h>
#include <linux/icmpv6.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/pkt_cls.h>

#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "xlatd/xlat_icmp.h"
#include "xlatd/xlat_maps.h"
#include "xlatd/xlat_rfc6052.h"

/* RFC 791 §3.1: flags and fragment offset; RFC 8200 §4.5. */
#define IP4_DF 0x4000
#define IP4_MF 0x2000
#define IP4_OFFSET 0x1fff
#define IP6_FRAG_MF 0x0001
#define IP6_FRAG_OFFSET 0xfff8

/* RFC 7915 §5.1: IPv4 packets up to this size leave with DF = 0. */
#define DF_THRESHOLD 1260

#define TCP_CSUM_OFF 16
#define UDP_CSUM_OFF 6
/* <sys/socket.h> does not build for -target bpf. */
#define AF_INET 2
#define AF_INET6 10

#define TCP_HDR_LEN 20
/* RFC 9293 §3.1: the byte of the control bits, and SYN among them. */
#define TCP_FLAGS_OFF 13
#define TCP_SYN 0x02

/* RFC 8200 §4.5. */
struct frag6 {
	__u8 nexthdr;
	__u8 reserved;
	__be16 frag_off;
	__be32 id;
};

/* RFC 8200 §8.1: the IPv6 pseudo-header, as words for bpf_csum_diff. */
struct pseudo6 {
	__be32 src[4];
	__be32 dst[4];
	__be32 len;
	__be32 nexthdr;
};

static __always_inline __u16
csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

/* RFC 6052 §3.1: with wkp-strict, only global IPv4 addresses. */
static __always_inline int
v4_allowed(__u8 flags, __be32 v4)
{
	return !(flags & XLAT_MAPS_F_WKP_STRICT) ||
	       xlat_rfc6052_v4_global((const __u8 *)&v4);
}

/* An IPv6 address as two 64-bit halves in host byte order. The RFC 6052
 * arithmetic below is on them, in registers: the verifier refuses
 * variable offsets into an address that may lie in either of two places
 * (the source or the destination) to a program loaded without
 * CAP_PERFMON, as Spectre v1 hardening. */
static __always_inline __u64
half64(const __be32 *w)
{
	return (__u64)bpf_ntohl(w[0]) << 32 | bpf_ntohl(w[1]);
}

/* RFC 6052 §2.2, Figure 1: the IPv4 address behind a prefix of each
 * length, the u-octet (bits 64-71) skipped. 0: not a valid length. */
static __always_inline int
v4_get(__u64 hi, __u64 lo, __u8 len, __u32 *v4)
{
	switch (len) {
	case 32:
		*v4 = (__u32)hi;
		return 1;
	case 40:
		*v4 = (__u32)((hi & 0xffffff) << 8 | (lo >> 48 & 0xff));
		return 1;
	case 48:
		*v4 = (__u32)((hi & 0xffff) << 16 | (lo >> 40 & 0xffff));
		return 1;
	case 56:
		*v4 = (__u32)((hi & 0xff) << 24 | (lo >> 32 & 0xffffff));
		return 1;
	case 64:
		*v4 = (__u32)(lo >> 24);
		return 1;
	case 96:
		*v4 = (__u32)lo;
		return 1;
	default:
		return 0;
	}
}

/* The reverse: v4 into the halves of a prefix of that length. */
static __always_inline int
v4_put(__u64 *hi, __u64 *lo, __u8 len, __u32 v4)
{
	switch (len) {
	case 32:
		*hi |= v4;
		return 1;
	case 40:
		*hi |= v4 >> 8;
		*lo |= (__u64)(v4 & 0xff) << 48;
		return 1;
	case 48:
		*hi |= v4 >> 16;
		*lo |= (__u64)(v4 & 0xffff) << 40;
		return 1;
	case 56:
		*hi |= v4 >> 24;
		*lo |= (__u64)(v4 & 0xffffff) << 32;
		return 1;
	case 64:
		*lo |= (__u64)v4 << 24;
		return 1;
	case 96:
		*lo |= v4;
		return 1;
	default:
		return 0;
	}
}

/* RFC 6052 §2.2: the IPv4 address behind prefix/len; the suffix is
 * ignored, the u-octet must be zero. 0: not an address of the prefix. */
static __always_inline int
rfc6052_extract(const __be32 *prefix, __u8 len, __u8 flags, const __be32 *a6,
		__be32 *v4)
{
	__u64 hi = half64(a6), lo = half64(a6 + 2);
	__u64 mhi = len >= 64 ? ~0ULL : ~0ULL << (64 - len);
	__u64 mlo = len > 64 ? ~0ULL << (128 - len) : 0;
	__u32 v;

	if ((lo >> 56) != 0 || ((hi ^ half64(prefix)) & mhi) != 0 ||
	    ((lo ^ half64(prefix + 2)) & mlo) != 0 || !v4_get(hi, lo, len, &v))
		return 0;
	*v4 = bpf_htonl(v);
	return v4_allowed(flags, *v4);
}

/* RFC 6052 §2.2: prefix, IPv4 address, zero suffix. */
static __always_inline int
rfc6052_embed(const __be32 *prefix, __u8 len, __u8 flags, __be32 v4, __be32 *a6)
{
	__u64 hi = half64(prefix), lo = half64(prefix + 2);

	if (!v4_allowed(flags, v4) || !v4_put(&hi, &lo, len, bpf_ntohl(v4)))
		return 0;
	a6[0] = bpf_htonl((__u32)(hi >> 32));
	a6[1] = bpf_htonl((__u32)hi);
	a6[2] = bpf_htonl((__u32)(lo >> 32));
	a6[3] = bpf_htonl((__u32)lo);
	return 1;
}

/* The CLAT's port at off becomes new (shared mode; the CLAT's program
 * decides), and the checksum at csum makes up for it (RFC 1624), after
 * the addresses' change as the core does it. Nothing when old == new, as
 * for every packet of xlat-siit's program. */
static __always_inline int
swap_rewrite(struct __sk_buff *skb, __u32 off, __u32 csum, __u64 flags,
	     __be16 old, __be16 new)
{
	if (old == new)
		return 0;
	if (bpf_l4_csum_replace(skb, csum, old, new, sizeof(new) | flags) < 0)
		return -1;
	return bpf_skb_store_bytes(skb, off, &new, sizeof(new), 0);
}

/* ---- IPv6 to IPv4: RFC 7915 §5 ---- */

/* What the decisions found out about an inbound packet. */
struct pkt64 {
	__u32 l4;	/* offset of the upper layer, from the IPv6 header */
	__u32 len;	/* bytes behind the IPv6 headers */
	__u8 proto;	/* upper-layer protocol (IPv6 numbering) */
	__u8 frag;	/* a Fragment header follows the IPv6 header */
	__u8 first;	/* the upper-layer header is in this packet */
	__u8 old_type;	/* ICMPv6 type */
	__u8 type;	/* ICMP type */
	__be16 port;	/* shared mode: the destination port, */
	__be16 swapped; /* and what it becomes */
	struct iphdr ip4;
};

/* RFC 7915 §5.1: the Fragment header becomes the IPv4 fragment fields.
 * Only TCP and UDP behind it: ICMPv6 checksums span the whole message
 * (the daemon reassembles them), and any other header behind a Fragment
 * header is the daemon's to judge. */
static __always_inline int
decide_frag64(struct __sk_buff *skb, __u32 l3, struct pkt64 *k)
{
	struct frag6 fh;
	__u16 off;

	if (bpf_skb_load_bytes(skb, l3 + sizeof(struct ipv6hdr), &fh,
			       sizeof(fh)) < 0)
		return -1;
	if (fh.nexthdr != IPPROTO_TCP && fh.nexthdr != IPPROTO_UDP)
		return -1;
	off = bpf_ntohs(fh.frag_off);
	k->proto = fh.nexthdr;
	k->frag = 1;
	k->l4 += sizeof(fh);
	k->first = (off & IP6_FRAG_OFFSET) == 0;
	/* RFC 7915 §5.1: the low 16 bits of the Identification. */
	k->ip4.id = bpf_htons((__u16)bpf_ntohl(fh.id));
	k->ip4.frag_off =
		bpf_htons((off >> 3) | (off & IP6_FRAG_MF ? IP4_MF : 0));
	return 0;
}

/* The upper-layer header at l4 of protocol proto, len bytes with the
 * payload, in either direction. TCP goes whole. UDP goes unless its
 * checksum is zero: not allowed in IPv6 (RFC 8200 §8.1), computed by the
 * daemon for IPv4 (RFC 7915 §4.5). Returns 0 (the fast path can rewrite
 * it), -1 (the daemon's), or 1 with the 8-byte header of any other
 * protocol in h, for the caller to decide. */
static __always_inline int
decide_l4_hdr(struct __sk_buff *skb, __u32 l4, __u32 len, __u8 proto,
	      __u8 h[ICMP_HDR_LEN])
{
	if (proto == IPPROTO_TCP)
		return len >= TCP_HDR_LEN ? 0 : -1;
	/* UDP and ICMP(v6) headers are all 8 bytes. */
	if (len < ICMP_HDR_LEN ||
	    bpf_skb_load_bytes(skb, l4, h, ICMP_HDR_LEN) < 0)
		return -1;
	if (proto == IPPROTO_UDP)
		return h[UDP_CSUM_OFF] == 0 && h[UDP_CSUM_OFF + 1] == 0 ? -1
									: 0;
	return 1;
}

/* RFC 7915 §4.2 and §5.2: an echo request or reply (type req or reply)
 * maps with code 0 to to_req or to_reply; errors are the daemon's.
 * Returns 0 with *old_type and *type set, or -1. */
static __always_inline int
decide_echo(const __u8 h[ICMP_HDR_LEN], __u8 req, __u8 reply, __u8 to_req,
	    __u8 to_reply, __u8 *old_type, __u8 *type)
{
	if (h[1] != 0)
		return -1;
	*old_type = h[0];
	if (h[0] == req)
		*type = to_req;
	else if (h[0] == reply)
		*type = to_reply;
	else
		return -1;
	return 0;
}

/* The upper layer: what the fast path can rewrite. */
static __always_inline int
decide_l4_64(struct __sk_buff *skb, __u32 l3, struct pkt64 *k)
{
	__u8 h[ICMP_HDR_LEN];
	int r;

	if (!k->first)
		return 0;
	r = decide_l4_hdr(skb, l3 + k->l4, k->len, k->proto, h);
	if (r <= 0)
		return r;
	/* ICMPv6: the only other protocol decide64 lets through. */
	return decide_echo(h, ICMP6_ECHO_REQUEST, ICMP6_ECHO_REPLY, ICMP4_ECHO,
			   ICMP4_ECHO_REPLY, &k->old_type, &k->type);
}

/* RFC 7915 §5.1: the IPv4 header but for its addresses and checksum
 * (the caller's: decide64_done), and whether the fast path may send it;
 * flags are XLAT_MAPS_F_*. Returns 0, or -1 to leave the packet to the
 * daemon. */
static __always_inline int
decide64(struct __sk_buff *skb, __u8 flags, __u16 mtu_v4, __u32 l3,
	 const struct ipv6hdr *ip6, struct pkt64 *k)
{
	__u32 plen = bpf_ntohs(ip6->payload_len), out_len;
	int dec = !!(flags & XLAT_MAPS_F_DECREMENT_TTL);

	/* Jumbograms, trailing bytes and short packets go slow. */
	if (skb->len != l3 + sizeof(*ip6) + plen)
		return -1;
	/* RFC 7915 §5.1: the daemon answers with Time Exceeded. */
	if (dec && ip6->hop_limit <= 1)
		return -1;
	__builtin_memset(k, 0, sizeof(*k));
	k->l4 = sizeof(*ip6);
	k->first = 1;
	k->proto = ip6->nexthdr;
	if (k->proto == IPPROTO_FRAGMENT && decide_frag64(skb, l3, k) < 0)
		return -1;
	if (k->proto != IPPROTO_TCP && k->proto != IPPROTO_UDP &&
	    k->proto != IPPROTO_ICMPV6)
		return -1;
	/* GRO builds TCP super-packets, which bpf_skb_change_proto knows;
	 * others (UDP) go slow. */
	if (skb->gso_size != 0 && k->proto != IPPROTO_TCP)
		return -1;
	if (plen < k->l4 - sizeof(*ip6))
		return -1;
	k->len = plen - (k->l4 - sizeof(*ip6));
	if (decide_l4_64(skb, l3, k) < 0)
		return -1;
	/* RFC 7915 §5.1 / §6: too big for the IPv4 side: the daemon sends
	 * Packet Too Big or fragments. */
	out_len = sizeof(struct iphdr) + k->len;
	if (out_len > mtu_v4 || out_len > 0xffff)
		return -1;
	if (!k->frag) {
		if (out_len > DF_THRESHOLD)
			k->ip4.frag_off = bpf_htons(IP4_DF);
		else
			k->ip4.id = (__be16)bpf_get_prandom_u32();
	}
	k->ip4.version = 4;
	k->ip4.ihl = 5;
	if (!(flags & XLAT_MAPS_F_RESET_TC))
		k->ip4.tos = (__u8)(ip6->priority << 4 | ip6->flow_lbl[0] >> 4);
	k->ip4.tot_len = bpf_htons((__u16)out_len);
	k->ip4.ttl = ip6->hop_limit - dec;
	k->ip4.protocol = k->proto == IPPROTO_ICMPV6 ? IPPROTO_ICMP : k->proto;
	return 0;
}

/* The IPv4 header checksum, once the caller has put the addresses in. */
static __always_inline void
decide64_done(struct pkt64 *k)
{
	k->ip4.check = csum_fold((__u32)bpf_csum_diff(
		NULL, 0, (__be32 *)&k->ip4, sizeof(k->ip4), 0));
}

/* RFC 7915 §4.2 and §5.2: an echo at off changes type (old_type to
 * *type), and its checksum gains (add) or loses the IPv6 pseudo-header
 * of src, dst and len (RFC 4443 §2.3). */
static __always_inline int
rewrite_echo(struct __sk_buff *skb, __u32 off, const struct in6_addr *src,
	     const struct in6_addr *dst, __u32 len, __u8 old_type,
	     const __u8 *type, int add)
{
	struct pseudo6 ps = {
		.len = bpf_htonl(len),
		.nexthdr = bpf_htonl(IPPROTO_ICMPV6),
	};
	__u16 old_word, new_word;
	__s64 diff;

	__builtin_memcpy(ps.src, src->in6_u.u6_addr32, 16);
	__builtin_memcpy(ps.dst, dst->in6_u.u6_addr32, 16);
	if (add)
		diff = bpf_csum_diff(NULL, 0, (__be32 *)&ps, sizeof(ps), 0);
	else
		diff = bpf_csum_diff((__be32 *)&ps, sizeof(ps), NULL, 0, 0);
	old_word = bpf_htons(old_type << 8);
	new_word = bpf_htons(*type << 8);
	if (bpf_l4_csum_replace(skb, off + ICMP_CSUM_OFF, 0, diff,
				BPF_F_PSEUDO_HDR) < 0 ||
	    bpf_l4_csum_replace(skb, off + ICMP_CSUM_OFF, old_word, new_word,
				sizeof(new_word)) < 0)
		return -1;
	/* No BPF_F_RECOMPUTE_CSUM: the checksum field already moved by the
	 * opposite of the type's change, so a CHECKSUM_COMPLETE skb->csum
	 * stays right as it is, as swap_rewrite does for a port. */
	return bpf_skb_store_bytes(skb, off, type, 1, 0);
}

/* RFC 7915 §5.2: echo changes type, and its checksum loses the IPv6
 * pseudo-header. */
static __always_inline int
rewrite_icmp64(struct __sk_buff *skb, __u32 off, const struct ipv6hdr *ip6,
	       const struct pkt64 *k)
{
	return rewrite_echo(skb, off, &ip6->saddr, &ip6->daddr, k->len,
			    k->old_type, &k->type, 0);
}

/* RFC 7915 §5.5: only the addresses of the pseudo-header change. */
static __always_inline int
rewrite_l4_64(struct __sk_buff *skb, __u32 l3, const struct ipv6hdr *ip6,
	      const struct pkt64 *k)
{
	__be32 new[2] = {k->ip4.saddr, k->ip4.daddr};
	__u32 off = l3 + k->l4;
	__u64 flags = BPF_F_PSEUDO_HDR;
	__s64 diff;

	if (k->proto == IPPROTO_ICMPV6)
		return rewrite_icmp64(skb, off, ip6, k);
	if (!k->first)
		return 0;
	if (k->proto == IPPROTO_UDP) {
		off += UDP_CSUM_OFF;
		flags |= BPF_F_MARK_MANGLED_0;
	} else {
		off += TCP_CSUM_OFF;
	}
	diff = bpf_csum_diff((__be32 *)&ip6->saddr, 32, new, sizeof(new), 0);
	if (bpf_l4_csum_replace(skb, off, 0, diff, flags) < 0)
		return -1;
	return swap_rewrite(skb, l3 + k->l4 + 2, off,
			    flags & BPF_F_MARK_MANGLED_0, k->port, k->swapped);
}

/* The rewrite, in place; after its first write a failure drops. */
static __always_inline int
rewrite64(struct __sk_buff *skb, __u32 l3, const struct ipv6hdr *ip6,
	  const struct pkt64 *k)
{
	__be16 type = bpf_htons(ETH_P_IP);

	if (rewrite_l4_64(skb, l3, ip6, k) < 0)
		return -1;
	/* BPF_ADJ_ROOM_NET removes bytes right behind the IPv6 header. */
	if (k->frag && bpf_skb_adjust_room(skb, -(__s32)sizeof(struct frag6),
					   BPF_ADJ_ROOM_NET, 0) < 0)
		return -1;
	if (bpf_skb_change_proto(skb, bpf_htons(ETH_P_IP), 0) < 0 ||
	    bpf_skb_store_bytes(skb, l3, &k->ip4, sizeof(k->ip4),
				BPF_F_RECOMPUTE_CSUM) < 0)
		return -1;
	if (l3 == ETH_HLEN &&
	    bpf_skb_store_bytes(skb, offsetof(struct ethhdr, h_proto), &type,
				sizeof(type), 0) < 0)
		return -1;
	return 0;
}

/* ---- IPv4 to IPv6: RFC 7915 §4 ---- */

struct pkt46 {
	__u32 len;	/* bytes behind the IPv4 header */
	__u8 old_type;	/* ICMP type */
	__u8 type;	/* ICMPv6 type */
	__be16 port;	/* shared mode: the source port, */
	__be16 swapped; /* and what it becomes */
	struct ipv6hdr ip6;
};

/* The upper layer: what the fast path can rewrite. */
static __always_inline int
decide_l4_46(struct __sk_buff *skb, __u32 l3, const struct iphdr *ip4,
	     struct pkt46 *k)
{
	__u8 h[ICMP_HDR_LEN];
	int r;

	r = decide_l4_hdr(skb, l3 + sizeof(*ip4), k->len, ip4->protocol, h);
	if (r <= 0)
		return r;
	if (ip4->protocol != IPPROTO_ICMP)
		return -1;
	return decide_echo(h, ICMP4_ECHO, ICMP4_ECHO_REPLY, ICMP6_ECHO_REQUEST,
			   ICMP6_ECHO_REPLY, &k->old_type, &k->type);
}

/* RFC 7915 §4.1 / §6: whether the IPv6 packet fits without the daemon
 * sending Fragmentation Needed or fragmenting. A GSO packet is cut into
 * segments of gso_size payload bytes after this, each with the headers. */
static __always_inline int
decide_size46(struct __sk_buff *skb, __u16 lowest_ipv6_mtu, __u16 mtu_v6,
	      __u32 l3, const struct iphdr *ip4, __u32 out_len)
{
	__u32 limit = lowest_ipv6_mtu < mtu_v6 ? lowest_ipv6_mtu : mtu_v6;
	__u8 doff;

	if (skb->gso_size != 0) {
		if (ip4->protocol != IPPROTO_TCP ||
		    !(ip4->frag_off & bpf_htons(IP4_DF)) ||
		    bpf_skb_load_bytes(skb, l3 + sizeof(*ip4) + 12, &doff, 1) <
			    0)
			return -1;
		out_len = sizeof(struct ipv6hdr) + (doff >> 4) * 4 +
			  skb->gso_size;
	}
	if (ip4->frag_off & bpf_htons(IP4_DF))
		return out_len <= mtu_v6 ? 0 : -1;
	return out_len <= limit ? 0 : -1;
}

/* Checks, and the IPv6 header but for its addresses (the caller's).
 * Returns 0, or -1 for the daemon. */
static __always_inline int
decide46(struct __sk_buff *skb, __u8 flags, __u16 lowest_ipv6_mtu, __u16 mtu_v6,
	 __u32 l3, const struct iphdr *ip4, struct pkt46 *k)
{
	__u32 tot = bpf_ntohs(ip4->tot_len);
	int dec = !!(flags & XLAT_MAPS_F_DECREMENT_TTL);
	__s64 sum;

	/* Options (the daemon looks for source routes, RFC 7915 §4.1),
	 * trailing bytes and short packets go slow. */
	if (ip4->version != 4 || ip4->ihl != 5 || skb->len != l3 + tot ||
	    tot < sizeof(*ip4))
		return -1;
	sum = bpf_csum_diff(NULL, 0, (__be32 *)ip4, sizeof(*ip4), 0);
	if (csum_fold((__u32)sum) != 0)
		return -1;
	/* RFC 7915 §4.1: fragments need a Fragment header. */
	if (ip4->frag_off & bpf_htons(IP4_MF | IP4_OFFSET))
		return -1;
	if (dec && ip4->ttl <= 1)
		return -1;
	__builtin_memset(k, 0, sizeof(*k));
	k->len = tot - sizeof(*ip4);
	if (decide_l4_46(skb, l3, ip4, k) < 0 ||
	    decide_size46(skb, lowest_ipv6_mtu, mtu_v6, l3, ip4,
			  sizeof(k->ip6) + k->len) < 0)
		return -1;
	/* RFC 7915 §4.1: Traffic Class from TOS, Flow Label 0. */
	k->ip6.version = 6;
	if (!(flags & XLAT_MAPS_F_RESET_TC)) {
		k->ip6.priority = ip4->tos >> 4;
		k->ip6.flow_lbl[0] = (__u8)(ip4->tos << 4);
	}
	k->ip6.payload_len = bpf_htons((__u16)k->len);
	k->ip6.nexthdr =
		ip4->protocol == IPPROTO_ICMP ? IPPROTO_ICMPV6 : ip4->protocol;
	k->ip6.hop_limit = ip4->ttl - dec;
	return 0;
}

/* RFC 7915 §4.2: echo changes type, and its checksum gains the IPv6
 * pseudo-header (RFC 4443 §2.3). */
static __always_inline int
rewrite_icmp46(struct __sk_buff *skb, __u32 off, const struct pkt46 *k)
{
	return rewrite_echo(skb, off, &k->ip6.saddr, &k->ip6.daddr, k->len,
			    k->old_type, &k->type, 1);
}

/* RFC 7915 §4.5: only the addresses of the pseudo-header change. */
static __always_inline int
rewrite_l4_46(struct __sk_buff *skb, __u32 l3, const struct iphdr *ip4,
	      const struct pkt46 *k)
{
	__be32 old[2] = {ip4->saddr, ip4->daddr};
	__u32 off = l3 + sizeof(*ip4);
	__u64 flags = BPF_F_PSEUDO_HDR;
	__s64 diff;

	if (ip4->protocol == IPPROTO_ICMP)
		return rewrite_icmp46(skb, off, k);
	if (ip4->protocol == IPPROTO_UDP) {
		off += UDP_CSUM_OFF;
		flags |= BPF_F_MARK_MANGLED_0;
	} else {
		off += TCP_CSUM_OFF;
	}
	diff = bpf_csum_diff(old, sizeof(old), (__be32 *)&k->ip6.saddr, 32, 0);
	if (bpf_l4_csum_replace(skb, off, 0, diff, flags) < 0)
		return -1;
	return swap_rewrite(skb, l3 + sizeof(*ip4), off,
			    flags & BPF_F_MARK_MANGLED_0, k->port, k->swapped);
}

/* The rewrite of a packet decide46 took, in place; after its first
 * write a failure drops. An Ethernet header, if any, says IPv6 after. */
static __always_inline int
rewrite46(struct __sk_buff *skb, __u32 l3, const struct iphdr *ip4,
	  const struct pkt46 *k)
{
	__be16 type = bpf_htons(ETH_P_IPV6);

	if (rewrite_l4_46(skb, l3, ip4, k) < 0 ||
	    bpf_skb_change_proto(skb, bpf_htons(ETH_P_IPV6), 0) < 0 ||
	    bpf_skb_store_bytes(skb, l3, &k->ip6, sizeof(k->ip6),
				BPF_F_RECOMPUTE_CSUM) < 0)
		return -1;
	if (l3 == ETH_HLEN &&
	    bpf_skb_store_bytes(skb, offsetof(struct ethhdr, h_proto), &type,
				sizeof(type), 0) < 0)
		return -1;
	return 0;
}

#endif
