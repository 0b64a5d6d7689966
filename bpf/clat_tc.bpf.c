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
#include "xlatd/xlat_portswap.h"
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
#define AF_INET6 10

#define TCP_HDR_LEN 20

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

#include "clat_shared.bpf.h"

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
pass(void)
{
	count(XLAT_MAPS_CNT_PASSED);
	return TC_ACT_UNSPEC;
}

static __always_inline __u16
csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

static __always_inline int
is_clat_addr(const __be32 *a, const struct xlat_maps_cfg *cfg)
{
	return a[0] == cfg->clat_v6[0] && a[1] == cfg->clat_v6[1] &&
	       a[2] == cfg->clat_v6[2] && a[3] == cfg->clat_v6[3];
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

static __always_inline __be32
eam_extract(const struct xlat_maps_eam *e, const __be32 *a6)
{
	return e->v4 | (a6[3] & e->host4);
}

/* RFC 6052 §3.1: with wkp-strict, only global IPv4 addresses. */
static __always_inline int
v4_allowed(const struct xlat_maps_cfg *cfg, const __u8 v4[4])
{
	return !(cfg->flags & XLAT_MAPS_F_WKP_STRICT) ||
	       xlat_rfc6052_v4_global(v4);
}

/* RFC 6052 §2.2: the IPv4 address behind the prefix; the suffix is
 * ignored, the u-octet must be zero. 0: not an address of the prefix. */
static __always_inline int
rfc6052_extract(const struct xlat_maps_cfg *cfg, const __be32 *a6, __be32 *v4)
{
	const __u8 *a = (const __u8 *)a6, *p = (const __u8 *)cfg->prefix;
	__u8 b[4];
	unsigned i;

	if (!xlat_rfc6052_len_valid(cfg->prefix_len))
		return 0;
	for (i = 0; i < 12; i++)
		if (i < cfg->prefix_len / 8 && a[i] != p[i])
			return 0;
	if (!xlat_rfc6052_get(a, cfg->prefix_len, b))
		return 0;
	__builtin_memcpy(v4, b, 4);
	return v4_allowed(cfg, b);
}

/* RFC 6052 §2.2: prefix, IPv4 address, zero suffix (the prefix in the
 * map has its bits past prefix_len zero). */
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

/* The swap at off, and the checksum at csum (RFC 1624), after the
 * addresses' change as the core does it. The checksum's change makes up
 * for the port's: the sum of the packet stays. */
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

static __always_inline int
rfc6052_embed(const struct xlat_maps_cfg *cfg, __be32 v4, __be32 *a6)
{
	const __u8 *b = (const __u8 *)&v4;
	unsigned i;

	if (!xlat_rfc6052_len_valid(cfg->prefix_len) || !v4_allowed(cfg, b))
		return 0;
	for (i = 0; i < 4; i++)
		a6[i] = cfg->prefix[i];
	xlat_rfc6052_put((__u8 *)a6, cfg->prefix_len, b);
	return 1;
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

/* RFC 7915 §5.1: the IPv4 header, and whether the fast path may send it;
 * dst is the EAM entry of the destination. Returns 0, or -1 to leave the
 * packet to the daemon. */
static __always_inline int
decide64(struct __sk_buff *skb, const struct xlat_maps_cfg *cfg, __u32 l3,
	 const struct ipv6hdr *ip6, const struct xlat_maps_eam *dst,
	 struct pkt64 *k)
{
	__u32 plen = bpf_ntohs(ip6->payload_len), out_len;
	int dec = !!(cfg->flags & XLAT_MAPS_F_DECREMENT_TTL);

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
	if (decide_l4_64(skb, l3, k) < 0 ||
	    (k->first && swap_decide(skb, cfg, l3 + k->l4 + 2, k->proto,
				     ip6->daddr.in6_u.u6_addr32, &k->port,
				     &k->swapped) < 0))
		return -1;
	/* The source comes through the prefix; one that an EAM entry
	 * holds (the CLAT's own address, a LAN's) is the core's to map. */
	if (eam6_find(ip6->saddr.in6_u.u6_addr32) != NULL ||
	    !rfc6052_extract(cfg, ip6->saddr.in6_u.u6_addr32, &k->ip4.saddr))
		return -1;
	/* RFC 7915 §5.1 / §6: too big for the IPv4 side: the daemon sends
	 * Packet Too Big or fragments. */
	out_len = sizeof(struct iphdr) + k->len;
	if (out_len > cfg->mtu_v4 || out_len > 0xffff)
		return -1;
	if (!k->frag) {
		if (out_len > DF_THRESHOLD)
			k->ip4.frag_off = bpf_htons(IP4_DF);
		else
			k->ip4.id = (__be16)bpf_get_prandom_u32();
	}
	k->ip4.version = 4;
	k->ip4.ihl = 5;
	if (!(cfg->flags & XLAT_MAPS_F_RESET_TC))
		k->ip4.tos = (__u8)(ip6->priority << 4 | ip6->flow_lbl[0] >> 4);
	k->ip4.tot_len = bpf_htons((__u16)out_len);
	k->ip4.ttl = ip6->hop_limit - dec;
	k->ip4.protocol = k->proto == IPPROTO_ICMPV6 ? IPPROTO_ICMP : k->proto;
	k->ip4.daddr = eam_extract(dst, ip6->daddr.in6_u.u6_addr32);
	k->ip4.check = csum_fold((__u32)bpf_csum_diff(
		NULL, 0, (__be32 *)&k->ip4, sizeof(k->ip4), 0));
	return 0;
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
	return bpf_skb_store_bytes(skb, off, type, 1, BPF_F_RECOMPUTE_CSUM);
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

/* The fast path for an IPv6 packet to the CLAT at l3 whose destination
 * is in EAM entry dst: translated, and redirected into the TUN's ingress
 * as if received there (the kernel drops the Ethernet header for an L3
 * device: net/core/filter.c, __bpf_redirect_no_mac). Returns the verdict,
 * or -1 when the packet is the daemon's, untouched. */
static __always_inline int
translate64(struct __sk_buff *skb, const struct xlat_maps_cfg *cfg, __u32 l3,
	    const struct ipv6hdr *ip6, const struct xlat_maps_eam *dst)
{
	struct pkt64 k;

	if (!cfg->fast || dst == NULL || !dst->fast ||
	    decide64(skb, cfg, l3, ip6, dst, &k) < 0)
		return -1;
	if (rewrite64(skb, l3, ip6, &k) < 0) {
		count(XLAT_MAPS_CNT_FAST_ERROR);
		return TC_ACT_SHOT;
	}
	count(XLAT_MAPS_CNT_FAST_64);
	count_proto(XLAT_MAPS_CNT_64_PROTO, k.proto);
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
decide_size46(struct __sk_buff *skb, const struct xlat_maps_cfg *cfg, __u32 l3,
	      const struct iphdr *ip4, __u32 out_len)
{
	__u32 limit = cfg->lowest_ipv6_mtu < cfg->mtu_v6 ? cfg->lowest_ipv6_mtu
							 : cfg->mtu_v6;
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
		return out_len <= cfg->mtu_v6 ? 0 : -1;
	return out_len <= limit ? 0 : -1;
}

/* Checks, and the IPv6 header. Returns 0, or -1 for the daemon. */
static __always_inline int
decide46(struct __sk_buff *skb, const struct xlat_maps_cfg *cfg, __u32 l3,
	 const struct iphdr *ip4, struct pkt46 *k)
{
	__u32 tot = bpf_ntohs(ip4->tot_len);
	int dec = !!(cfg->flags & XLAT_MAPS_F_DECREMENT_TTL);
	const struct xlat_maps_eam *src;
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
	/* The source maps through an EAM entry (the CLAT's own address, RFC
	 * 6877 §6.3, or a stateless LAN's), the destination through the
	 * prefix: one in an EAM entry is the core's to map. */
	src = eam4_find(ip4->saddr);
	if (src == NULL || !src->fast || eam4_find(ip4->daddr) != NULL)
		return -1;
	__builtin_memset(k, 0, sizeof(*k));
	k->len = tot - sizeof(*ip4);
	if (decide_l4_46(skb, l3, ip4, k) < 0 ||
	    decide_size46(skb, cfg, l3, ip4, sizeof(k->ip6) + k->len) < 0)
		return -1;
	if (!rfc6052_embed(cfg, ip4->daddr, k->ip6.daddr.in6_u.u6_addr32))
		return -1;
	eam_embed(src, ip4->saddr, k->ip6.saddr.in6_u.u6_addr32);
	if (swap_decide(skb, cfg, l3 + sizeof(*ip4), ip4->protocol,
			k->ip6.saddr.in6_u.u6_addr32, &k->port,
			&k->swapped) < 0)
		return -1;
	/* RFC 7915 §4.1: Traffic Class from TOS, Flow Label 0. */
	k->ip6.version = 6;
	if (!(cfg->flags & XLAT_MAPS_F_RESET_TC)) {
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

static __always_inline int
handle_egress(struct __sk_buff *skb, const struct xlat_maps_cfg *cfg, __u32 l3)
{
	struct iphdr ip4;
	struct pkt46 k;
	int verdict;

	if (bpf_skb_load_bytes(skb, l3, &ip4, sizeof(ip4)) < 0 ||
	    decide46(skb, cfg, l3, &ip4, &k) < 0) {
		count(XLAT_MAPS_CNT_SLOW_46);
		return TC_ACT_OK;
	}
	if (rewrite_l4_46(skb, l3, &ip4, &k) < 0 ||
	    bpf_skb_change_proto(skb, bpf_htons(ETH_P_IPV6), 0) < 0 ||
	    bpf_skb_store_bytes(skb, l3, &k.ip6, sizeof(k.ip6),
				BPF_F_RECOMPUTE_CSUM) < 0 ||
	    (verdict = send46(skb, cfg, l3)) < 0) {
		count(XLAT_MAPS_CNT_FAST_ERROR);
		return TC_ACT_SHOT;
	}
	count(XLAT_MAPS_CNT_FAST_46);
	count_proto(XLAT_MAPS_CNT_46_PROTO, ip4.protocol);
	return verdict;
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

char LICENSE[] SEC("license") = "Dual BSD/GPL";
