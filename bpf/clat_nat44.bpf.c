/* SPDX-License-Identifier: (BSD-2-Clause OR GPL-2.0-only) */
/*
 * Router mode with NAT44: the LAN's established UDP flows at the LAN
 * interface's ingress, in an object of its own because it needs the
 * conntrack kfuncs (a kernel without them still loads bpf/clat_tc.bpf.c).
 *
 * clat_nat44_ingress takes a UDP packet from a source served on the
 * interface whose conntrack entry the kernel path has already set up:
 * found in its original direction, confirmed, ASSURED (the forward chain
 * accepted the flow and replies came back) and source-NATed by xlatd's
 * nftables table to the CLAT's IPv4 address. It does what forwarding,
 * the SNAT and clat_egress would do one after the other: the source
 * becomes the reply tuple's destination address and port, the TTL one
 * lower, RFC 7915 §4 translation, out of the uplink. It refreshes the
 * entry's timeout as the kernel would (nat44_udp_timeout_ms, the
 * namespace's nf_conntrack_udp_timeout_stream, set by the loader).
 * Like the kernel's flowtable, an established flow skips the forward
 * chain. The route lookup, the size and the declines are those of
 * clat_lan_ingress; everything else goes on to the kernel untouched.
 *
 * The maps are clat_tc.bpf.c's: the loader (src/dp/dp_nat44.c) gives
 * this object the fds of that one's.
 */
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_conntrack_tuple_common.h>

#include "clat_tc.bpf.h"

/* The fields read of the kernel's struct nf_conn, relocated by CO-RE
 * (libbpf matches them by name in the kernel's BTF); union nf_inet_addr
 * is the uapi one, the same in the kernel. */
struct nf_conntrack_tuple {
	struct {
		union nf_inet_addr u3;
		union {
			__be16 all;
		} u;
	} dst;
} __attribute__((preserve_access_index));

struct nf_conntrack_tuple_hash {
	struct nf_conntrack_tuple tuple;
} __attribute__((preserve_access_index));

struct nf_conn {
	struct nf_conntrack_tuple_hash tuplehash[IP_CT_DIR_MAX];
	unsigned long status;
} __attribute__((preserve_access_index));

/* The kfuncs' options: the first 12 bytes of the kernel's struct
 * bpf_ct_opts, the size every kernel with the kfuncs accepts. */
struct nat44_ct_opts {
	__s32 netns_id;
	__s32 error;
	__u8 l4proto;
	__u8 dir;
	__u8 reserved[2];
};

extern struct nf_conn *bpf_skb_ct_lookup(struct __sk_buff *skb,
					 struct bpf_sock_tuple *tuple,
					 __u32 tuple_size,
					 struct nat44_ct_opts *opts,
					 __u32 opts_size) __ksym;
extern void bpf_ct_release(struct nf_conn *ct) __ksym;
extern int bpf_ct_change_timeout(struct nf_conn *ct, __u32 timeout) __ksym;

/* The conntrack timeout of an established UDP flow, in milliseconds. */
const volatile __u32 nat44_udp_timeout_ms = 120000;

/* An entry the kernel path has finished with: confirmed, assured, its
 * source NAT done. One with a helper, sequence adjustment, destination
 * NAT, a flowtable of its own, or going away stays the kernel's. */
#define NAT44_CT_NEED (IPS_CONFIRMED | IPS_ASSURED | IPS_SRC_NAT_DONE)
#define NAT44_CT_AVOID \
	(IPS_HELPER | IPS_SEQ_ADJUST | IPS_DST_NAT | IPS_DYING | IPS_OFFLOAD)

/* Whether a is the CLAT's IPv4 address: its EAM entry (a /32 for the
 * /128, RFC 6877 §6.3) maps it to the CLAT's IPv6 address. */
static __always_inline int
is_clat_v4(const struct xlat_maps_cfg *cfg, __be32 a)
{
	const struct xlat_maps_eam *e = eam4_find(a);

	return e != NULL && e->host4 == 0 && is_clat_addr(e->v6, cfg);
}

/* The address and port the UDP packet ip4 (ports at l4) is
 * source-NATed to, from its conntrack entry, whose timeout is refreshed:
 * the packet goes on, here or through the kernel, which would refresh it
 * too. Returns 0, or -1 when the entry is not one the fast path takes. */
static __always_inline int
nat44_lookup(struct __sk_buff *skb, const struct xlat_maps_cfg *cfg,
	     const struct iphdr *ip4, __u32 l4, __be32 *addr, __be16 *port)
{
	struct nat44_ct_opts opts = {.netns_id = BPF_F_CURRENT_NETNS,
				     .l4proto = IPPROTO_UDP};
	struct bpf_sock_tuple t = {};
	struct nf_conn *ct;
	unsigned long status;
	int r = -1;

	t.ipv4.saddr = ip4->saddr;
	t.ipv4.daddr = ip4->daddr;
	if (bpf_skb_load_bytes(skb, l4, &t.ipv4.sport, 4) < 0)
		return -1;
	ct = bpf_skb_ct_lookup(skb, &t, sizeof(t.ipv4), &opts, sizeof(opts));
	if (ct == NULL)
		return -1;
	status = ct->status;
	*addr = ct->tuplehash[IP_CT_DIR_REPLY].tuple.dst.u3.ip;
	*port = ct->tuplehash[IP_CT_DIR_REPLY].tuple.dst.u.all;
	if (opts.dir == IP_CT_DIR_ORIGINAL &&
	    (status & NAT44_CT_NEED) == NAT44_CT_NEED &&
	    !(status & NAT44_CT_AVOID) && is_clat_v4(cfg, *addr)) {
		bpf_ct_change_timeout(ct, nat44_udp_timeout_ms);
		r = 0;
	}
	bpf_ct_release(ct);
	return r;
}

/* The UDP packet at l3 as forwarding, the SNAT and clat_egress would
 * send it. Shared mode swaps the CLAT's ports, which the SNAT picked
 * out of another range: such packets stay the kernel's. */
static __always_inline int
handle_nat44(struct __sk_buff *skb, const struct xlat_maps_cfg *cfg, __u32 l3,
	     const struct iphdr *ip4)
{
	struct iphdr fwd = *ip4;
	struct pkt46 k;
	__be32 snat;
	__be16 port;

	/* TTL 1: the kernel answers Time Exceeded (RFC 1812 §5.3.1). The
	 * ports are read for the lookup only where decide46 would find
	 * them: no options, no fragment. */
	if (ip4->protocol != IPPROTO_UDP || ip4->ttl <= 1 || ip4->ihl != 5 ||
	    (ip4->frag_off & bpf_htons(IP4_MF | IP4_OFFSET)) ||
	    cfg->swap_size != 0)
		return TC_ACT_UNSPEC;
	ttl_forward(&fwd);
	if (!lan_routed_to_clat(skb, cfg, l3, ip4) ||
	    nat44_lookup(skb, cfg, ip4, l3 + sizeof(*ip4), &snat, &port) < 0 ||
	    decide46_clat(skb, cfg, l3, &fwd, snat, &k) < 0 ||
	    bpf_skb_load_bytes(skb, l3 + sizeof(*ip4), &k.port,
			       sizeof(k.port)) < 0)
		return TC_ACT_UNSPEC;
	/* The source port as the SNAT leaves it; the checksum goes from
	 * the LAN's source address straight to the CLAT's IPv6 one. */
	k.swapped = port;
	return send46_fast(skb, cfg, l3, &fwd, &k);
}

SEC("tc")
int
clat_nat44_ingress(struct __sk_buff *skb)
{
	const struct xlat_maps_cfg *cfg;
	const struct xlat_maps_lan *lan;
	struct iphdr ip4;

	if ((cfg = lan_ingress_take(skb, &ip4, &lan)) == NULL)
		return TC_ACT_UNSPEC;
	if (lan->has_l2)
		return handle_nat44(skb, cfg, ETH_HLEN, &ip4);
	return handle_nat44(skb, cfg, 0, &ip4);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
