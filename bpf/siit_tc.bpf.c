/* SPDX-License-Identifier: (BSD-2-Clause OR GPL-2.0-only) */
/*
 * xlat-siit's fast path: one tc program, siit_egress, on the egress of
 * its TUN device. The kernel routes the NAT64 prefix, the dynamic pool
 * and the maps into that device, as for TAYGA; what the program
 * translates (TCP, UDP, ICMP echo and TCP and UDP fragments, between the
 * prefix and the host table) it redirects into the same device's
 * ingress, as if xlat-siit had written it there. The kernel then routes
 * it on with PREROUTING and POSTROUTING: conntrack and the masquerade of
 * the pool apply to fast-path packets both ways, as to the slow path's.
 * Everything else goes on to the TUN fd (TC_ACT_OK): xlat-siit's slow
 * path, which also gives new IPv6 hosts their pool addresses.
 *
 * Address mapping follows the core (src/xlat/addr.c): RFC 7757 entries,
 * then the host table, then the RFC 6052 prefix. An address under an RFC
 * 7757 entry goes slow, as does a packet for the translator's own
 * addresses, a pool address no host holds and a source no map covers.
 * The checks and the rewrite are xlat_tc.bpf.h's, the CLAT's too; the
 * same vectors give the same bytes (tests/bpf/test-siit-fast-path.c).
 */
#include "xlat_tc.bpf.h"

/* Nanoseconds between writes of an entry's time of last use. */
#define TOUCH_NS 1000000000ULL
/* ::ffff:0:0/96, in front of IPv4 addresses in siit_eam. */
#define LPM_V4_BASE 96

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct siit_maps_cfg);
} siit_cfg SEC(".maps");

/* The loader sets max_entries to the size of the host table. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct in6_addr);
	__type(value, struct siit_maps_host);
} siit_hosts6 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __be32);
	__type(value, struct siit_maps_host);
} siit_hosts4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 256);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct siit_maps_lpm);
	__type(value, __u8);
} siit_eam SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SIIT_MAPS_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} siit_counters SEC(".maps");

static __always_inline void
count(__u32 idx)
{
	__u64 *c = bpf_map_lookup_elem(&siit_counters, &idx);

	if (c != NULL)
		*c += 1;
}

static __always_inline int
slow(void)
{
	count(SIIT_MAPS_CNT_SLOW);
	return TC_ACT_OK;
}

static __always_inline int
under_eam6(const __be32 *a)
{
	struct siit_maps_lpm key = {.prefixlen = 128};

	__builtin_memcpy(key.addr, a, 16);
	return bpf_map_lookup_elem(&siit_eam, &key) != NULL;
}

static __always_inline int
under_eam4(__be32 a)
{
	struct siit_maps_lpm key = {.prefixlen = 128};

	key.addr[10] = 0xff;
	key.addr[11] = 0xff;
	__builtin_memcpy(key.addr + 12, &a, 4);
	return bpf_map_lookup_elem(&siit_eam, &key) != NULL;
}

/* A packet through dynamic entry h; reply: it came from the IPv4 side,
 * and is no ICMP error (the fast path takes none). */
static __always_inline void
touch(struct siit_maps_host *h, int reply)
{
	__u64 now;

	if (h->flags & SIIT_MAPS_HOST_STATIC)
		return;
	now = bpf_ktime_get_coarse_ns();
	if (now - h->last_ns >= TOUCH_NS)
		h->last_ns = now;
	if (reply && !(h->flags & SIIT_MAPS_HOST_CONFIRMED))
		h->flags |= SIIT_MAPS_HOST_CONFIRMED;
}

static __always_inline int
same6(const __be32 *a, const __be32 *b)
{
	return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3];
}

/* RFC 7915 §5.1 address mapping of one IPv6 address, as the core does
 * it: the host table, then the prefix; 0 to go slow. */
static __always_inline int
map6(const struct siit_maps_cfg *cfg, const __be32 *a6, __be32 *v4)
{
	struct siit_maps_host *h;

	if (under_eam6(a6))
		return 0;
	if ((h = bpf_map_lookup_elem(&siit_hosts6, a6)) != NULL) {
		touch(h, 0);
		*v4 = h->v4;
		return 1;
	}
	return rfc6052_extract(cfg->prefix, cfg->prefix_len, cfg->flags, a6,
			       v4);
}

static __always_inline int
handle6(struct __sk_buff *skb, const struct siit_maps_cfg *cfg, __u32 l3)
{
	struct ipv6hdr ip6;
	struct pkt64 k;

	if (bpf_skb_load_bytes(skb, l3, &ip6, sizeof(ip6)) < 0 ||
	    ip6.version != 6 || same6(ip6.daddr.in6_u.u6_addr32, cfg->own6))
		return slow();
	/* No IPv4 MTU: the kernel routes what comes out (src/siit). */
	if (decide64(skb, cfg->flags, 0xffff, l3, &ip6, &k) < 0 ||
	    !map6(cfg, ip6.daddr.in6_u.u6_addr32, &k.ip4.daddr) ||
	    !map6(cfg, ip6.saddr.in6_u.u6_addr32, &k.ip4.saddr))
		return slow();
	/* RFC 7757 App. B: through the prefix onto an RFC 7757 entry, the
	 * core hairpins; that is the slow path's. */
	if (under_eam4(k.ip4.daddr))
		return slow();
	decide64_done(&k);
	if (rewrite64(skb, l3, &ip6, &k) < 0) {
		count(SIIT_MAPS_CNT_FAST_ERROR);
		return TC_ACT_SHOT;
	}
	count(SIIT_MAPS_CNT_FAST_64);
	return bpf_redirect(cfg->tun_ifindex, BPF_F_INGRESS);
}

/* RFC 7915 §4.1 address mapping of one IPv4 address; dst: it is the
 * destination, which a pool address must be held for. 0 to go slow. */
static __always_inline int
map4(const struct siit_maps_cfg *cfg, __be32 v4, int dst, __be32 *a6)
{
	struct siit_maps_host *h;

	if (under_eam4(v4))
		return 0;
	if ((h = bpf_map_lookup_elem(&siit_hosts4, &v4)) != NULL) {
		touch(h, dst);
		__builtin_memcpy(a6, h->v6, 16);
		return 1;
	}
	if (dst && cfg->pool4_mask && (v4 & cfg->pool4_mask) == cfg->pool4)
		return 0;
	return rfc6052_embed(cfg->prefix, cfg->prefix_len, cfg->flags, v4, a6);
}

static __always_inline int
handle4(struct __sk_buff *skb, const struct siit_maps_cfg *cfg, __u32 l3)
{
	struct iphdr ip4;
	struct pkt46 k;

	if (bpf_skb_load_bytes(skb, l3, &ip4, sizeof(ip4)) < 0 ||
	    ip4.daddr == cfg->own4)
		return slow();
	if (decide46(skb, cfg->flags, cfg->lowest_ipv6_mtu, 0xffff, l3, &ip4,
		     &k) < 0 ||
	    !map4(cfg, ip4.daddr, 1, k.ip6.daddr.in6_u.u6_addr32) ||
	    !map4(cfg, ip4.saddr, 0, k.ip6.saddr.in6_u.u6_addr32))
		return slow();
	if (rewrite46(skb, l3, &ip4, &k) < 0) {
		count(SIIT_MAPS_CNT_FAST_ERROR);
		return TC_ACT_SHOT;
	}
	count(SIIT_MAPS_CNT_FAST_46);
	return bpf_redirect(cfg->tun_ifindex, BPF_F_INGRESS);
}

/* l3 is a constant at each call site (0 or ETH_HLEN), so the verifier
 * sees fixed offsets. */
static __always_inline int
handle(struct __sk_buff *skb, const struct siit_maps_cfg *cfg, __u32 l3)
{
	if (skb->protocol == bpf_htons(ETH_P_IPV6))
		return handle6(skb, cfg, l3);
	if (skb->protocol == bpf_htons(ETH_P_IP))
		return handle4(skb, cfg, l3);
	return slow();
}

SEC("tc")
int
siit_egress(struct __sk_buff *skb)
{
	__u32 key = XLAT_MAPS_CFG_KEY;
	struct siit_maps_cfg *cfg;

	cfg = bpf_map_lookup_elem(&siit_cfg, &key);
	if (cfg == NULL || !cfg->enabled || cfg->tun_ifindex == 0)
		return slow();
	if (cfg->tun_has_l2)
		return handle(skb, cfg, ETH_HLEN);
	return handle(skb, cfg, 0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
