/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One behaviour whichever path a packet takes: packets go
 * through bpf/clat_tc.bpf.c under BPF_PROG_TEST_RUN and through the core
 * (src/xlat) with the same CLAT configuration. A packet the fast path
 * translates must come out as the core's bytes; one it declines must
 * reach the slow path untouched (redirected to the TUN, or TC_ACT_OK on
 * the TUN's egress), where the core does with it what the last column
 * says.
 *
 * The packets: the input of every conformance vector (jool/, android/),
 * each under a CLAT configuration that fits it, and packets of our own
 * for every RFC 6052 prefix length and for router mode's stateless LAN
 * prefixes (RFC 7757 entries with the IPv4 address in the low bits).
 * IPv6 packets go through both places the fast path meets them: the
 * uplink's ingress, and the TUN's egress, where the kernel of a router
 * routes them (routed). IPv4 from a stateless LAN also goes through
 * clat_lan_ingress, at the LAN's ingress before forwarding, in a
 * namespace whose routes decide what the kernel would forward into the
 * CLAT device. There, too, router mode's NAT44 program
 * (bpf/clat_nat44.bpf.c) meets UDP flows that real conntrack entries,
 * made by packets through an nftables SNAT, describe; the core gets
 * those packets as forwarding and the SNAT leave them. The one
 * difference allowed is the IPv4 Identification of a small unfragmented
 * packet, which RFC 7915 §5.1 leaves to the translator: there the IPv4
 * header checksum is checked instead of compared.
 *
 * usage: test-fast-path [VECTOR_DIR]. Needs root; exits 77 without it,
 * and 77 after our own packets when VECTOR_DIR is missing.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/pkt_cls.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "clat_tc.skel.h"
#include "dp/dp_bpf.h"
#include "dp/dp_nat44.h"
#include "fast-run.h"
#include "fast-vectors.h"
#include "pkt-build.h"
#include "shell.h"
#include "xlatd/xlat_maps.h"

#define TUN_IFINDEX 1000
#define UPLINK_IFINDEX 1001

#define CLAT4 "192.0.0.1"
#define CLAT6 "2001:db8:aaaa::c"
#define REMOTE4 "198.51.100.7"
#define REMOTE4_GLOBAL "93.184.216.34"

static struct clat_tc *skel;
static struct fast_prog prog, prog_routed, prog_lan;
/* clat_cfg's: a made-up one, or a device for the route lookup */
static unsigned tun_ifindex = TUN_IFINDEX;
static struct pkt pk, pk2; /* 64 KiB each: not on the stack */

/* The CLAT configuration: the profile's options, its RFC 6052 prefix,
 * and the CLAT mapping as the only EAM entry (RFC 6877 §6.3). */
static void
clat_config(struct xlat_cfg *x, const struct xlat_cfg *profile,
	    const struct xlat_prefix6 *pool6, const uint8_t v6[16],
	    const uint8_t v4[4])
{
	struct xlat_prefix6 p6 = {.len = 128};
	struct xlat_prefix4 p4 = {.len = 32};

	*x = *profile;
	x->has_pool6 = true;
	x->pool6 = *pool6;
	x->eam_count = 0;
	memcpy(p6.addr.s6_addr, v6, 16);
	memcpy(&p4.addr, v4, 4);
	xlat_eam_add(x, &p6, &p4);
}

static int
map_write(const struct xlat_cfg *x)
{
	struct xlat_maps_cfg m = {
		.tun_ifindex = tun_ifindex,
		.uplink_ifindex = UPLINK_IFINDEX,
		.enabled = 1,
		.has_l2 = 1,
		.tun_has_l2 = 1, /* BPF_PROG_TEST_RUN wants Ethernet frames */
	};
	__u32 key = XLAT_MAPS_CFG_KEY;

	/* the daemon's dp_bpf_set_clat: the CLAT address, in shared mode
	 * the one whose ports are swapped */
	memcpy(m.clat_v6, x->portswap_addr.s6_addr, sizeof(m.clat_v6));
	if (!dp_bpf_map_cfg(&m, x) ||
	    dp_bpf_eam_sync(bpf_map__fd(skel->maps.clat_eam4),
			    bpf_map__fd(skel->maps.clat_eam6), x) < 0)
		return -1;
	return bpf_map__update_elem(skel->maps.clat_cfg, &key, sizeof(key), &m,
				    sizeof(m), BPF_ANY);
}

/* Where a packet meets the fast path: the uplink's ingress (IPv6) or
 * the TUN's egress (IPv4); the TUN's egress for IPv6 the kernel routed
 * into the TUN (a router); a stateless LAN's ingress (IPv4). */
enum hook { HOOK_UPLINK, HOOK_ROUTED, HOOK_LAN };

/* The program for a hook: IPv6 routed into the TUN meets clat_egress,
 * and declined goes on to the TUN fd (TC_ACT_OK). */
static const struct fast_prog *
hook_prog(enum hook hook)
{
	if (hook == HOOK_LAN)
		return &prog_lan;
	return hook == HOOK_ROUTED ? &prog_routed : &prog;
}

/* fast_expect() under x, once the program has x. */
static void
check_expect(const char *name, const struct xlat_cfg *x, const struct pkt *p,
	     enum fast_expect e, enum hook hook)
{
	if (map_write(x) < 0) {
		fast_report(name, "FAIL",
			    "the fast path refused the configuration");
		fast_tally.fail++;
		return;
	}
	fast_expect(hook_prog(hook), name, x, p->b, p->len, e);
}

/* ---- the conformance vectors ---- */

/* The CLAT mapping that makes a vector's input ours: for IPv6, its
 * destination is the CLAT address; for IPv4, its source. The other half
 * is where the profile would have put it, else a made-up one. */
static void
vector_case(void *arg, const char *name, const struct xlat_cfg *profile,
	    const uint8_t *in, size_t len)
{
	uint8_t v6[16], v4[4];
	struct xlat_cfg *x = arg;
	size_t clen;
	int ver = len > 0 ? in[0] >> 4 : 0;

	if (!profile->has_pool6) {
		fast_report(name, "skip", "profile without an RFC 6052 prefix");
		fast_tally.skip++;
		return;
	}
	if ((ver != 4 || len < 20) && (ver != 6 || len < 40)) {
		fast_report(name, "skip", "not an IP packet");
		fast_tally.skip++;
		return;
	}
	pkt_addr6(CLAT6, v6);
	pkt_addr4(CLAT4, v4);
	if (ver == 6) {
		memcpy(v6, in + 24, 16);
		if (fast_core(profile, in, len, &clen) > 0 && clen >= 20 &&
		    fast_core_out[0] >> 4 == 4)
			memcpy(v4, fast_core_out + 16, 4);
	} else {
		memcpy(v4, in + 12, 4);
		if (fast_core(profile, in, len, &clen) > 0 && clen >= 40 &&
		    fast_core_out[0] >> 4 == 6)
			memcpy(v6, fast_core_out + 8, 16);
	}
	clat_config(x, profile, &profile->pool6, v6, v4);
	if (map_write(x) < 0) {
		fast_report(name, "FAIL",
			    "the fast path refused the configuration");
		fast_tally.fail++;
		return;
	}
	fast_check(&prog, name, x, in, len);
	if (ver == 6) {
		char routed[128];

		snprintf(routed, sizeof(routed), "%s/routed", name);
		fast_check(&prog_routed, routed, x, in, len);
	}
}

/* ---- our own packets, for each prefix length ---- */

struct own {
	struct xlat_cfg x;
	struct xlat_prefix6 pool6;
	char prefix[48];
	char remote6[INET6_ADDRSTRLEN];
	const char *remote4;
};

static void
udp_len(struct pkt *p)
{
	pkt_put16(p->b + p->l4 + 4, (uint16_t)(p->len - p->l4));
}

/* A packet to (in) or from (out) local, the CLAT's own address or a
 * LAN client's; "in" packets come from the uplink, or routed into the
 * TUN (routed). */
static void
in_case_to(struct own *s, const char *what, const char *local6, enum hook hook,
	   enum fast_expect e, void (*build)(struct own *s))
{
	char name[96];

	snprintf(name, sizeof(name), "%s/%s-%s", s->prefix,
		 hook == HOOK_ROUTED ? "routed"
		 : hook == HOOK_LAN  ? "to-lan"
				     : "in",
		 what);
	pkt_ipv6(&pk, s->remote6, local6);
	build(s);
	check_expect(name, &s->x, &pk, e, hook);
}

static void
in_case(struct own *s, const char *what, enum fast_expect e,
	void (*build)(struct own *s))
{
	in_case_to(s, what, CLAT6, HOOK_UPLINK, e, build);
}

static void
out_case_from(struct own *s, const char *what, const char *local4,
	      enum fast_expect e, void (*build)(struct own *s))
{
	char name[96];

	snprintf(name, sizeof(name), "%s/out-%s", s->prefix, what);
	pkt_ipv4(&pk, local4, s->remote4);
	build(s);
	check_expect(name, &s->x, &pk, e, HOOK_UPLINK);
}

static void
out_case(struct own *s, const char *what, enum fast_expect e,
	 void (*build)(struct own *s))
{
	out_case_from(s, what, CLAT4, e, build);
}

static void
b_tcp(struct own *s)
{
	(void)s;
	pkt_tcp(&pk, 40000, 80);
	pkt_fill(&pk, 100, 1);
	pkt_finish(&pk);
}

static void
b_udp(struct own *s)
{
	(void)s;
	pkt_udp(&pk, 40000, 53);
	pkt_fill(&pk, 64, 2);
	udp_len(&pk);
	pkt_finish(&pk);
}

static void
b_tos(struct own *s)
{
	pkt_tos(&pk, 0xb8); /* DSCP EF */
	b_udp(s);
}

static void
b_udp_big(struct own *s)
{
	(void)s;
	pkt_udp(&pk, 40000, 53);
	pkt_fill(&pk, 1400, 3);
	udp_len(&pk);
	pkt_finish(&pk);
}

static void
b_udp_big_df(struct own *s)
{
	pkt_frag4(&pk, PKT_DF);
	b_udp_big(s);
}

static void
b_udp_zero(struct own *s)
{
	b_udp(s);
	pkt_put16(pk.b + pk.l4 + 6, 0);
}

static void
b_echo_req(struct own *s)
{
	pkt_icmp(&pk, pk.family == 6 ? 128 : 8, 0, 0x12340001);
	pkt_fill(&pk, 56, 4);
	pkt_finish(&pk);
	(void)s;
}

static void
b_echo_reply(struct own *s)
{
	pkt_icmp(&pk, pk.family == 6 ? 129 : 0, 0, 0x12340001);
	pkt_fill(&pk, 56, 5);
	pkt_finish(&pk);
	(void)s;
}

/* RFC 4443 §3.1 / RFC 792: errors are the slow path's. */
static void
b_unreach(struct own *s)
{
	pkt_icmp(&pk, pk.family == 6 ? 1 : 3, pk.family == 6 ? 4 : 3, 0);
	pkt_fill(&pk, 48, 6);
	pkt_finish(&pk);
	(void)s;
}

static void
b_ttl1(struct own *s)
{
	pkt_ttl(&pk, 1);
	b_udp(s);
}

static void
b_hbh(struct own *s)
{
	pkt_hopopts(&pk, 8);
	b_udp(s);
}

static void
b_options(struct own *s)
{
	static const uint8_t nop[4] = {1, 1, 1, 1};

	pkt_ipv4_options(&pk, nop, sizeof(nop));
	b_udp(s);
}

static void
b_frag4(struct own *s)
{
	pkt_frag4(&pk, PKT_MF);
	b_udp(s);
}

/* IPv6 fragments of a 200-byte UDP datagram to dport: [0, 104) and
 * [104, 208). */
static void
frag6(struct own *s, uint16_t dport, size_t off, size_t len, bool more)
{
	char dst[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, pk.b + 24, dst, sizeof(dst)); /* in_case_to's */
	pkt_ipv6(&pk2, s->remote6, dst);
	pkt_udp(&pk2, 40000, dport);
	pkt_fill(&pk2, 200, 7);
	udp_len(&pk2);
	pkt_finish(&pk2);
	pkt_split6(&pk2, off, len, more, 0xabcd1234, &pk);
}

static void
b_frag6_first(struct own *s)
{
	frag6(s, 53, 0, 104, true);
}

static void
b_frag6_last(struct own *s)
{
	frag6(s, 53, 104, 104, false);
}

/* Shared mode: to a port of the low block (xlatd/xlat_portswap.h), which
 * the IPv4 side sees in the ephemeral block. */
#define SHARED_LOW_PORT 11768

static void
b_tcp_low(struct own *s)
{
	(void)s;
	pkt_tcp(&pk, 80, SHARED_LOW_PORT);
	pkt_fill(&pk, 100, 8);
	pkt_finish(&pk);
}

static void
b_udp_low(struct own *s)
{
	(void)s;
	pkt_udp(&pk, 53, SHARED_LOW_PORT);
	pkt_fill(&pk, 64, 9);
	udp_len(&pk);
	pkt_finish(&pk);
}

static void
b_frag6_first_low(struct own *s)
{
	frag6(s, SHARED_LOW_PORT, 0, 104, true);
}

static void
own_prefix(struct own *s, const char *prefix, const char *remote4,
	   const uint8_t clat6[16], const struct xlat_cfg *base)
{
	uint8_t r4[4], c4[4];
	struct in6_addr r6;

	snprintf(s->prefix, sizeof(s->prefix), "%s", prefix);
	s->pool6 = pkt_prefix6(prefix);
	s->remote4 = remote4;
	pkt_addr4(remote4, r4);
	pkt_addr4(CLAT4, c4);
	xlat_rfc6052_embed(&s->pool6, r4, &r6);
	inet_ntop(AF_INET6, &r6, s->remote6, sizeof(s->remote6));
	clat_config(&s->x, base, &s->pool6, clat6, c4);
}

static void
own_cases(struct own *s)
{
	in_case(s, "tcp", FAST_YES, b_tcp);
	in_case(s, "udp", FAST_YES, b_udp);
	in_case(s, "udp-1400", FAST_YES, b_udp_big);
	in_case(s, "traffic-class", FAST_YES, b_tos);
	in_case(s, "echo-request", FAST_YES, b_echo_req);
	in_case(s, "echo-reply", FAST_YES, b_echo_reply);
	in_case(s, "frag-first", FAST_YES, b_frag6_first);
	in_case(s, "frag-last", FAST_YES, b_frag6_last);
	in_case(s, "unreachable", FAST_NO, b_unreach);
	in_case(s, "hop-limit-1", FAST_NO, b_ttl1);
	in_case(s, "udp-checksum-0", FAST_NO, b_udp_zero);
	in_case(s, "hop-by-hop", FAST_NO, b_hbh);
	out_case(s, "tcp", FAST_YES, b_tcp);
	out_case(s, "udp", FAST_YES, b_udp);
	out_case(s, "tos", FAST_YES, b_tos);
	out_case(s, "echo-request", FAST_YES, b_echo_req);
	out_case(s, "echo-reply", FAST_YES, b_echo_reply);
	out_case(s, "udp-1400-df", FAST_YES, b_udp_big_df);
	out_case(s, "udp-1400", FAST_NO, b_udp_big);
	out_case(s, "unreachable", FAST_NO, b_unreach);
	out_case(s, "ttl-1", FAST_NO, b_ttl1);
	out_case(s, "udp-checksum-0", FAST_NO, b_udp_zero);
	out_case(s, "options", FAST_NO, b_options);
	out_case(s, "fragment", FAST_NO, b_frag4);
}

/* A CLAT address whose words sum (RFC 1071) to that of the CLAT IPv4
 * address less the prefix's: the pseudo-header sum does not change, nor
 * do TCP and UDP checksums (RFC 6052 §4.1's idea, RFC 7915 §5.5). */
static void
neutral_clat6(const struct xlat_prefix6 *pool6, uint8_t clat6[16])
{
	uint8_t c4[4];
	uint32_t want, have;

	pkt_addr4(CLAT4, c4);
	pkt_addr6(CLAT6, clat6);
	clat6[14] = clat6[15] = 0;
	want = pkt_sum(0, c4, 4) +
	       (uint16_t)~pkt_sum(0, pool6->addr.s6_addr, 16);
	have = pkt_sum(0, clat6, 16);
	want = pkt_sum(want + (uint16_t)~have, NULL, 0);
	pkt_put16(clat6 + 14, (uint16_t)want);
}

static void
own_all(void)
{
	static const char *const prefixes[] = {
		"2001:db8::/32",	 "2001:db8:100::/40",
		"2001:db8:122::/48",	 "2001:db8:122:300::/56",
		"2001:db8:122:344::/64", "2001:db8:122:344::/96",
	};
	static struct own s;
	struct xlat_cfg base;
	uint8_t clat6[16];
	size_t i, before;

	xlat_cfg_init(&base);
	pkt_addr6(CLAT6, clat6);
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		own_prefix(&s, prefixes[i], REMOTE4, clat6, &base);
		own_cases(&s);
	}
	/* RFC 6052 §3.1: the well-known prefix and a global address. */
	base.wkp_strict = true;
	own_prefix(&s, "64:ff9b::/96", REMOTE4_GLOBAL, clat6, &base);
	own_cases(&s);
	/* ... but not a documentation address (RFC 5737). */
	own_prefix(&s, "64:ff9b::/96", REMOTE4, clat6, &base);
	snprintf(s.prefix, sizeof(s.prefix), "64:ff9b::/96-non-global");
	out_case(&s, "udp", FAST_NO, b_udp);
	in_case(&s, "udp", FAST_NO, b_udp);
	/* Options the fast path follows: no TTL decrement, TOS reset. */
	xlat_cfg_init(&base);
	base.decrement_ttl = false;
	base.reset_traffic_class = true;
	own_prefix(&s, "2001:db8:122:344::/96", REMOTE4, clat6, &base);
	snprintf(s.prefix, sizeof(s.prefix), "/96-no-decrement-reset-tc");
	out_case(&s, "tos", FAST_YES, b_tos);
	in_case(&s, "traffic-class", FAST_YES, b_tos);
	out_case(&s, "ttl-1", FAST_YES, b_ttl1);
	in_case(&s, "hop-limit-1", FAST_YES, b_ttl1);
	/* A checksum-neutral CLAT address: the TCP checksum stays. */
	xlat_cfg_init(&base);
	s.pool6 = pkt_prefix6("2001:db8:122:344::/96");
	neutral_clat6(&s.pool6, clat6);
	own_prefix(&s, "2001:db8:122:344::/96", REMOTE4, clat6, &base);
	pkt_ipv4(&pk, CLAT4, REMOTE4);
	b_tcp(&s);
	before = pkt_get16(pk.b + pk.l4 + 16);
	if (map_write(&s.x) == 0 &&
	    fast_check(&prog, "/96-checksum-neutral/out-tcp", &s.x, pk.b,
		       pk.len) == 1 &&
	    pkt_get16(fast_core_out + 40 + 16) != before) {
		fast_report("/96-checksum-neutral/out-tcp", "FAIL",
			    "the TCP checksum changed");
		fast_tally.fail++;
	}
	/* Shared mode: the CLAT's ports swapped as the core swaps them, the
	 * checksums alike. No socket of this namespace owns these flows, so
	 * the ingress program's socket lookup gives them to the CLAT. (What
	 * the host owns, and what both get, tests/e2e/shared.sh shows.) */
	xlat_cfg_init(&base);
	if (xlat_portswap_init(&base.portswap, 32768, 60999) < 0)
		abort();
	pkt_addr6(CLAT6, clat6);
	memcpy(base.portswap_addr.s6_addr, clat6, 16);
	own_prefix(&s, "2001:db8:122:344::/96", REMOTE4, clat6, &base);
	snprintf(s.prefix, sizeof(s.prefix), "/96-shared");
	out_case(&s, "tcp", FAST_YES, b_tcp);
	out_case(&s, "udp", FAST_YES, b_udp);
	out_case(&s, "udp-1400-df", FAST_YES, b_udp_big_df);
	in_case(&s, "tcp", FAST_YES, b_tcp_low);
	in_case(&s, "udp", FAST_YES, b_udp_low);
	in_case(&s, "frag-first", FAST_YES, b_frag6_first_low);
}

/* ---- router mode: stateless LAN prefixes (RFC 6877 §6.3, RFC 7757) ---- */

/* router-v6-prefix=2001:db8:1:1::/64: 192.168.1.0/24 onto
 * 2001:db8:1:1::c0a8:100/120, the whole address in the low bits. */
#define LAN4 "192.168.1.7"
#define LAN6 "2001:db8:1:1::c0a8:107"
/* router-v6-prefix=2001:db8:1:ff00::/120: 10.0.0.0/24 onto it. */
#define LAN4_B "10.0.0.130"
#define LAN6_B "2001:db8:1:ff00::82"
/* An admin's entry with the suffix right behind a /64, not in the low
 * bits: the core's alone. */
#define LAN4_C "198.18.0.5"
#define LAN6_C "2001:db8:e:0:500::"

static void
add_eam(struct xlat_cfg *x, const char *p6, const char *p4)
{
	struct xlat_prefix6 a = pkt_prefix6(p6);
	struct xlat_prefix4 b = pkt_prefix4(p4);

	if (!xlat_eam_add(x, &a, &b))
		abort();
}

static void
stateless_out(struct own *s)
{
	out_case_from(s, "lan-tcp", LAN4, FAST_YES, b_tcp);
	out_case_from(s, "lan-udp", LAN4, FAST_YES, b_udp);
	out_case_from(s, "lan-echo-request", LAN4, FAST_YES, b_echo_req);
	out_case_from(s, "lan-udp-1400-df", LAN4, FAST_YES, b_udp_big_df);
	out_case_from(s, "lan120-udp", LAN4_B, FAST_YES, b_udp);
	out_case_from(s, "lan-ttl-1", LAN4, FAST_NO, b_ttl1);
	out_case_from(s, "lan-fragment", LAN4, FAST_NO, b_frag4);
	out_case_from(s, "mid-suffix-udp", LAN4_C, FAST_NO, b_udp);
	/* a source of no entry: the core maps it through the prefix */
	out_case_from(s, "not-lan-udp", "192.168.2.7", FAST_NO, b_udp);
	/* a destination in an entry: the core maps it through the EAM */
	s->remote4 = LAN4_B;
	out_case_from(s, "lan-to-lan-udp", LAN4, FAST_NO, b_udp);
	s->remote4 = REMOTE4;
}

static void
stateless_in(struct own *s, enum hook hook)
{
	in_case_to(s, "lan-tcp", LAN6, hook, FAST_YES, b_tcp);
	in_case_to(s, "lan-udp", LAN6, hook, FAST_YES, b_udp);
	in_case_to(s, "lan-echo-reply", LAN6, hook, FAST_YES, b_echo_reply);
	in_case_to(s, "lan-frag-first", LAN6, hook, FAST_YES, b_frag6_first);
	in_case_to(s, "lan-frag-last", LAN6, hook, FAST_YES, b_frag6_last);
	in_case_to(s, "lan120-udp", LAN6_B, hook, FAST_YES, b_udp);
	in_case_to(s, "clat-tcp", CLAT6, hook, FAST_YES, b_tcp);
	in_case_to(s, "clat-echo-reply", CLAT6, hook, FAST_YES, b_echo_reply);
	in_case_to(s, "lan-unreachable", LAN6, hook, FAST_NO, b_unreach);
	in_case_to(s, "lan-hop-limit-1", LAN6, hook, FAST_NO, b_ttl1);
	in_case_to(s, "mid-suffix-udp", LAN6_C, hook, FAST_NO, b_udp);
	/* from an address of an entry: the core's */
	snprintf(s->remote6, sizeof(s->remote6), "%s", LAN6_B);
	in_case_to(s, "lan-to-lan-udp", LAN6, hook, FAST_NO, b_udp);
}

static void
stateless_all(void)
{
	static struct own s;
	struct xlat_cfg base;
	uint8_t clat6[16];
	enum hook hook;

	xlat_cfg_init(&base);
	pkt_addr6(CLAT6, clat6);
	for (hook = HOOK_UPLINK; hook <= HOOK_ROUTED; hook++) {
		own_prefix(&s, "2001:db8:64::/96", REMOTE4, clat6, &base);
		add_eam(&s.x, "2001:db8:1:1::c0a8:100/120", "192.168.1.0/24");
		add_eam(&s.x, "2001:db8:1:ff00::/120", "10.0.0.0/24");
		add_eam(&s.x, "2001:db8:e::/64", "198.18.0.0/24");
		snprintf(s.prefix, sizeof(s.prefix), "stateless");
		if (hook == HOOK_UPLINK)
			stateless_out(&s);
		stateless_in(&s, hook);
	}
	/* routed into the TUN but for no entry: on to the daemon, which
	 * drops it */
	own_prefix(&s, "2001:db8:64::/96", REMOTE4, clat6, &base);
	snprintf(s.prefix, sizeof(s.prefix), "stateless");
	in_case_to(&s, "not-ours-udp", "2001:db8:1:2::1", HOOK_ROUTED, FAST_NO,
		   b_udp);
}

/* ---- router mode: a stateless LAN's IPv4 at the LAN's ingress ---- */

/* A test run's packet arrives on the namespace's loopback device: in a
 * namespace of our own, lo is the LAN (forwarding on) and a veth device
 * the CLAT's, with router mode's rules for 192.168.1.0/24 on lo: the
 * main table without its default routes (198.51.100.99 is on another
 * LAN, lan0), then table 464, whose default route goes into the CLAT
 * device; both have MTU 1260, as the daemon sets them. Returns the CLAT
 * device's ifindex, 0 on failure. */
#define LAN_RULES                                             \
	"ip rule add from 192.168.1.0/24 iif lo lookup main " \
	"suppress_prefixlength 0 priority 31000 && "          \
	"ip rule add from 192.168.1.0/24 iif lo lookup 464 priority 31001"

static unsigned
lan_netns(void)
{
	if (unshare(CLONE_NEWNET) < 0 ||
	    sh("ip link set lo up && "
	       "ip link add clat0 type veth peer name clat0p && "
	       "ip link add lan0 type veth peer name lan0p && "
	       "ip link set clat0 up mtu 1260 && ip link set clat0p up && "
	       "ip link set lan0 up && ip link set lan0p up && "
	       "sysctl -qw net.ipv4.ip_forward=1 && "
	       "ip route add default dev clat0 mtu 1260 table 464 && "
	       "ip route add 198.51.100.99/32 dev lan0 && "
	       "ip route add 192.168.1.0/24 dev lan0 && "
	       "ip neigh add 192.168.1.7 lladdr 02:00:00:00:00:07 "
	       "dev lan0 nud permanent && " LAN_RULES) != 0)
		return 0;
	return if_nametoindex("clat0");
}

/* clat_lan4: prefix/len served on ifindex. */
static int
lan_serve(unsigned ifindex, const char *prefix)
{
	struct xlat_prefix4 p = pkt_prefix4(prefix);
	struct xlat_maps_lan_key k = {.prefixlen = 32 + p.len,
				      .ifindex = ifindex};
	struct xlat_maps_lan v = {.has_l2 = 1};

	memcpy(&k.addr, &p.addr, sizeof(k.addr));
	return bpf_map__update_elem(skel->maps.clat_lan4, &k, sizeof(k), &v,
				    sizeof(v), BPF_ANY);
}

static void
lan_case(struct own *s, const char *what, const char *src, enum fast_expect e,
	 void (*build)(struct own *s))
{
	char name[96];

	snprintf(name, sizeof(name), "%s/lan-in-%s", s->prefix, what);
	pkt_ipv4(&pk, src, s->remote4);
	build(s);
	check_expect(name, &s->x, &pk, e, HOOK_LAN);
}

static void
b_ttl2(struct own *s)
{
	pkt_ttl(&pk, 2);
	b_udp(s);
}

static void
b_ttl3(struct own *s)
{
	pkt_ttl(&pk, 3);
	b_udp(s);
}

static void
b_syn(struct own *s)
{
	b_tcp(s);
	pk.b[pk.l4 + 13] = 0x02; /* SYN */
	pkt_finish(&pk);
}

/* 1228 bytes: within the route's MTU of 1260. */
static void
b_udp_1200_df(struct own *s)
{
	(void)s;
	pkt_frag4(&pk, PKT_DF);
	pkt_udp(&pk, 40000, 53);
	pkt_fill(&pk, 1200, 3);
	udp_len(&pk);
	pkt_finish(&pk);
}

static void
lan_cases(struct own *s)
{
	lan_case(s, "tcp", LAN4, FAST_YES, b_tcp);
	lan_case(s, "udp", LAN4, FAST_YES, b_udp);
	lan_case(s, "tos", LAN4, FAST_YES, b_tos);
	lan_case(s, "echo-request", LAN4, FAST_YES, b_echo_req);
	lan_case(s, "udp-1200-df", LAN4, FAST_YES, b_udp_1200_df);
	lan_case(s, "ttl-3", LAN4, FAST_YES, b_ttl3);
	/* forwarded with TTL 1: decrement-ttl leaves it to the daemon */
	lan_case(s, "ttl-2", LAN4, FAST_NO, b_ttl2);
	/* the kernel answers these */
	lan_case(s, "ttl-1", LAN4, FAST_NO, b_ttl1);
	lan_case(s, "udp-1400-df-past-route-mtu", LAN4, FAST_NO, b_udp_big_df);
	lan_case(s, "udp-1400-fragmented-by-kernel", LAN4, FAST_NO, b_udp_big);
	/* the MSS the nftables table clamps */
	lan_case(s, "tcp-syn", LAN4, FAST_NO, b_syn);
	lan_case(s, "fragment", LAN4, FAST_NO, b_frag4);
	lan_case(s, "options", LAN4, FAST_NO, b_options);
	lan_case(s, "unreachable", LAN4, FAST_NO, b_unreach);
	/* not served here: another interface's, and nobody's */
	lan_case(s, "other-interface-udp", LAN4_B, FAST_NO, b_udp);
	lan_case(s, "not-served-udp", "192.168.2.7", FAST_NO, b_udp);
	/* routed elsewhere, not into the CLAT device */
	s->remote4 = "198.51.100.99";
	lan_case(s, "to-other-lan-udp", LAN4, FAST_NO, b_udp);
	s->remote4 = REMOTE4;
	/* forwarding off: the kernel would not forward it */
	if (sh("sysctl -qw net.ipv4.ip_forward=0") == 0)
		lan_case(s, "forwarding-off-udp", LAN4, FAST_NO, b_udp);
	sh("sysctl -qw net.ipv4.ip_forward=1");
}

/* IPv6 to a stateless LAN client, at the uplink's ingress: straight to
 * the LAN (lan0, where 192.168.1.0/24 is served and 192.168.1.7's MAC
 * known) as forwarding would send it; else into the TUN's ingress, for
 * the kernel to forward, as the core translates it (HOOK_UPLINK). */
static void
lan_back_cases(struct own *s)
{
	in_case_to(s, "udp", LAN6, HOOK_LAN, FAST_YES, b_udp);
	in_case_to(s, "tcp", LAN6, HOOK_LAN, FAST_YES, b_tcp);
	in_case_to(s, "echo-reply", LAN6, HOOK_LAN, FAST_YES, b_echo_reply);
	in_case_to(s, "udp-1400", LAN6, HOOK_LAN, FAST_YES, b_udp_big);
	/* TTL 1 once translated: the kernel answers Time Exceeded */
	in_case_to(s, "lan-hop-limit-2", LAN6, HOOK_UPLINK, FAST_YES, b_ttl2);
	in_case_to(s, "lan-tcp-syn", LAN6, HOOK_UPLINK, FAST_YES, b_syn);
	in_case_to(s, "lan-frag-first", LAN6, HOOK_UPLINK, FAST_YES,
		   b_frag6_first);
	/* no neighbour entry: the kernel resolves it */
	in_case_to(s, "lan-no-neighbour-udp", "2001:db8:1:1::c0a8:108",
		   HOOK_UPLINK, FAST_YES, b_udp);
	/* served on no interface: 10.0.0.0/24 is lan0's, not routed there */
	in_case_to(s, "lan120-udp", LAN6_B, HOOK_UPLINK, FAST_YES, b_udp);
}

static void
lan_all(void)
{
	static struct own s;
	struct xlat_cfg base;
	uint8_t clat6[16];

	if ((tun_ifindex = lan_netns()) == 0 ||
	    lan_serve(1, "192.168.1.0/24") < 0 ||
	    lan_serve(if_nametoindex("lan0"), "192.168.1.0/24") < 0 ||
	    lan_serve(if_nametoindex("lan0"), "10.0.0.0/24") < 0) {
		fast_report("stateless/lan-in", "FAIL",
			    "cannot set up the namespace: %s", strerror(errno));
		fast_tally.fail++;
		return;
	}
	xlat_cfg_init(&base);
	pkt_addr6(CLAT6, clat6);
	own_prefix(&s, "2001:db8:64::/96", REMOTE4, clat6, &base);
	add_eam(&s.x, "2001:db8:1:1::c0a8:100/120", "192.168.1.0/24");
	add_eam(&s.x, "2001:db8:1:ff00::/120", "10.0.0.0/24");
	snprintf(s.prefix, sizeof(s.prefix), "stateless");
	lan_cases(&s);
	lan_back_cases(&s);
}

/* ---- router mode with NAT44: established UDP at the LAN's ingress ---- */

/* In lan_netns's namespace, as router mode's table does it: the LAN's
 * packets into the CLAT device SNATed to the CLAT's address (those to
 * REMOTE4_OTHER_NAT to another one), router mode's rules for lan0, the
 * remote hosts' MACs on the CLAT device. */
#define SNAT_PORT 40007
#define REMOTE4_FROM "198.51.100.8"
#define REMOTE4_OTHER_NAT "198.51.100.9"
#define NAT44_SETUP                                                                          \
	"ip rule add from 192.168.1.0/24 iif lan0 lookup main "                              \
	"suppress_prefixlength 0 priority 31002 && "                                         \
	"ip rule add from 192.168.1.0/24 iif lan0 lookup 464 priority "                      \
	"31003 && "                                                                          \
	"for h in 7 8 9; do ip neigh add 198.51.100.$h lladdr "                              \
	"02:00:00:00:00:6$h dev clat0 nud permanent || exit 1; done && "                     \
	"nft 'add table ip t; add chain ip t post { type nat hook "                          \
	"postrouting priority srcnat; }; add rule ip t post oifname clat0 meta l4proto udp " \
	"ip daddr " REMOTE4_OTHER_NAT " snat to 192.0.2.1:40007; "                           \
	"add rule ip t post oifname clat0 meta l4proto udp snat to " CLAT4                   \
	":40007'"

/* A timeout that no default has, to see the program set it. */
#define NAT44_TIMEOUT_MS 3333000u

/* pk, in an Ethernet frame to the MAC of to, sent out of its veth peer
 * from: the kernel receives it on to. Returns 0 or -1. */
static int
nat44_send(const char *from, const char *to)
{
	struct sockaddr_ll a = {.sll_family = AF_PACKET,
				.sll_ifindex = (int)if_nametoindex(from),
				.sll_halen = ETH_ALEN};
	static uint8_t frame[ETH_HLEN + sizeof(pk.b)];
	struct ifreq r = {0};
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0), ok;

	snprintf(r.ifr_name, sizeof(r.ifr_name), "%s", to);
	ok = fd >= 0 && ioctl(fd, SIOCGIFHWADDR, &r) == 0;
	memcpy(frame, r.ifr_hwaddr.sa_data, ETH_ALEN);
	memcpy(a.sll_addr, frame, ETH_ALEN);
	memset(frame + ETH_ALEN, 0x02, ETH_ALEN);
	pkt_put16(frame + 2 * ETH_ALEN, 0x0800);
	memcpy(frame + ETH_HLEN, pk.b, pk.len);
	ok = ok && sendto(fd, frame, ETH_HLEN + pk.len, 0,
			  (struct sockaddr *)&a, sizeof(a)) > 0;
	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

/* A UDP packet src:sport -> dst:dport sent from the LAN (lan0) or the
 * CLAT device's side (clat0). */
static int
nat44_udp(const char *src, uint16_t sport, const char *dst, uint16_t dport,
	  int from_lan)
{
	pkt_ipv4(&pk, src, dst);
	pkt_udp(&pk, sport, dport);
	pkt_fill(&pk, 32, 4);
	udp_len(&pk);
	pkt_finish(&pk);
	return from_lan ? nat44_send("lan0p", "lan0")
			: nat44_send("clat0p", "clat0");
}

/* The timeout in seconds /proc shows for the flow to REMOTE4:dport, -1
 * if none; *assured whether it is ASSURED. */
static long
nat44_entry(unsigned dport, bool *assured)
{
	char line[512], want[64];
	FILE *f = fopen("/proc/net/nf_conntrack", "re");
	long t = -1;

	snprintf(want, sizeof(want), "dst=" REMOTE4 " sport=40000 dport=%u ",
		 dport);
	*assured = false;
	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		if (strstr(line, " udp ") != NULL &&
		    strstr(line, want) != NULL) {
			sscanf(line, "%*s %*s %*s %*s %ld", &t);
			*assured = strstr(line, "[ASSURED]") != NULL;
		}
	if (f != NULL)
		fclose(f);
	return t;
}

/* Real conntrack entries, each made by the packets of a flow through
 * the kernel: a packet out and its reply, then (UDP becomes ASSURED
 * once the flow is over 2 s old with replies) one more, but for the
 * flow to port 54, left unassured. Returns 0 or -1. */
static int
nat44_flows(void)
{
	const struct timespec wait = {.tv_sec = 2, .tv_nsec = 300000000},
			      tick = {.tv_nsec = 10000000};
	bool assured = false;
	int i;

	if (nat44_udp(LAN4, 40000, REMOTE4, 53, 1) < 0 ||
	    nat44_udp(REMOTE4, 53, CLAT4, SNAT_PORT, 0) < 0 ||
	    nat44_udp(LAN4, 40000, REMOTE4, 54, 1) < 0 ||
	    nat44_udp(REMOTE4, 54, CLAT4, SNAT_PORT, 0) < 0 ||
	    nat44_udp(LAN4, 40000, REMOTE4_OTHER_NAT, 53, 1) < 0 ||
	    nat44_udp(REMOTE4_OTHER_NAT, 53, "192.0.2.1", SNAT_PORT, 0) < 0 ||
	    nat44_udp(REMOTE4_FROM, 53, LAN4, 40002, 0) < 0 ||
	    nat44_udp(LAN4, 40002, REMOTE4_FROM, 53, 1) < 0)
		return -1;
	nanosleep(&wait, NULL);
	if (nat44_udp(LAN4, 40000, REMOTE4_OTHER_NAT, 53, 1) < 0 ||
	    nat44_udp(REMOTE4_FROM, 53, LAN4, 40002, 0) < 0 ||
	    nat44_udp(LAN4, 40000, REMOTE4, 53, 1) < 0)
		return -1;
	/* the kernel takes them in a softirq: up to 5 s for the last */
	for (i = 0; i < 500 && (nat44_entry(53, &assured), !assured); i++)
		nanosleep(&tick, NULL);
	return assured ? 0 : -1;
}

static void
nat44_case(struct own *s, const struct fast_prog *p, const char *what,
	   enum fast_expect e, uint16_t sport, uint16_t dport,
	   void (*build)(struct own *s))
{
	char name[96];

	snprintf(name, sizeof(name), "nat44/lan-in-%s", what);
	pkt_ipv4(&pk, LAN4, s->remote4);
	build(s);
	pkt_put16(pk.b + pk.l4, sport);
	pkt_put16(pk.b + pk.l4 + 2, dport);
	pkt_finish(&pk);
	if (map_write(&s->x) < 0) {
		fast_report(name, "FAIL",
			    "the fast path refused the configuration");
		fast_tally.fail++;
		return;
	}
	fast_expect(p, name, &s->x, pk.b, pk.len, e);
}

static void
nat44_cases(struct own *s, const struct fast_prog *p)
{
	struct fast_prog other_if = *p;
	bool assured;
	long t;

	nat44_case(s, p, "udp", FAST_YES, 40000, 53, b_udp);
	nat44_case(s, p, "tos", FAST_YES, 40000, 53, b_tos);
	nat44_case(s, p, "udp-1200-df", FAST_YES, 40000, 53, b_udp_1200_df);
	if ((t = nat44_entry(53, &assured)) <
	    (long)(NAT44_TIMEOUT_MS / 1000) - 60) {
		fast_report("nat44/lan-in-udp", "FAIL",
			    "conntrack timeout %lds, not refreshed", t);
		fast_tally.fail++;
	}
	nat44_case(s, p, "no-entry-udp", FAST_NO, 40000, 55, b_udp);
	nat44_case(s, p, "not-assured-udp", FAST_NO, 40000, 54, b_udp);
	/* the kernel answers these */
	nat44_case(s, p, "ttl-1", FAST_NO, 40000, 53, b_ttl1);
	nat44_case(s, p, "udp-1400-df-past-route-mtu", FAST_NO, 40000, 53,
		   b_udp_big_df);
	nat44_case(s, p, "fragment", FAST_NO, 40000, 53, b_frag4);
	nat44_case(s, p, "options", FAST_NO, 40000, 53, b_options);
	/* TCP keeps the kernel's path */
	nat44_case(s, p, "tcp", FAST_NO, 40000, 53, b_tcp);
	/* not this interface's source */
	other_if.ingress_ifindex = if_nametoindex("clat0");
	nat44_case(s, &other_if, "other-interface-udp", FAST_NO, 40000, 53,
		   b_udp);
	s->remote4 = REMOTE4_OTHER_NAT;
	nat44_case(s, p, "snat-not-clat-udp", FAST_NO, 40000, 53, b_udp);
	/* the LAN's answer to a flow the uplink's side began */
	s->remote4 = REMOTE4_FROM;
	nat44_case(s, p, "reply-direction-udp", FAST_NO, 40002, 53, b_udp);
	s->remote4 = REMOTE4;
}

/* After lan_all, in its namespace: clat_nat44_ingress on the CLAT
 * program's maps, with 192.168.1.0/24 served on lo. Its rows against the
 * core, whose input is the packet as forwarding and the SNAT leave it. */
static void
nat44_all(void)
{
	static struct own s;
	struct clat_nat44 *nat44;
	struct fast_prog p = prog_lan;
	struct xlat_cfg base;
	uint8_t clat6[16];

	if (tun_ifindex == TUN_IFINDEX || sh(NAT44_SETUP) != 0 ||
	    nat44_flows() < 0) {
		fast_report("nat44", "FAIL", "cannot make the flows: %s",
			    strerror(errno));
		fast_tally.fail++;
		return;
	}
	if ((nat44 = dp_nat44_load(skel, NAT44_TIMEOUT_MS)) == NULL) {
		fast_report("nat44", "FAIL", "cannot load clat_nat44: %s",
			    strerror(errno));
		fast_tally.fail++;
		return;
	}
	p.fd4 = bpf_program__fd(nat44->progs.clat_nat44_ingress);
	pkt_addr4(CLAT4, p.snat_addr);
	p.snat_port = SNAT_PORT;
	xlat_cfg_init(&base);
	pkt_addr6(CLAT6, clat6);
	own_prefix(&s, "2001:db8:64::/96", REMOTE4, clat6, &base);
	/* an entry holding REMOTE4_OTHER_NAT's SNAT address: mapped, but not
	 * the CLAT's */
	add_eam(&s.x, "2001:db8:1:ff00::/120", "192.0.2.0/24");
	/* clat_cfg's clat_v6, as dp_bpf_set_clat sets it */
	memcpy(s.x.portswap_addr.s6_addr, clat6, sizeof(clat6));
	nat44_cases(&s, &p);
	clat_nat44__destroy(nat44);
}

int
main(int argc, char *argv[])
{
	const char *root = argc > 1 ? argv[1] : "";
	static struct xlat_cfg x;
	int r;

	if ((r = fast_run_init()) != 0)
		return r;
	if ((skel = clat_tc__open_and_load()) == NULL) {
		printf("FAIL: cannot load bpf/clat_tc.bpf.c: %s\n",
		       strerror(errno));
		return 1;
	}
	prog = (struct fast_prog){
		.fd4 = bpf_program__fd(skel->progs.clat_egress),
		.fd6 = bpf_program__fd(skel->progs.clat_ingress),
		.declined4 = TC_ACT_OK,	      /* on to the TUN fd */
		.declined6 = TC_ACT_REDIRECT, /* to the TUN's egress */
		.counters_fd = bpf_map__fd(skel->maps.clat_counters),
		.cnt_fast4 = XLAT_MAPS_CNT_FAST_46,
		.cnt_fast6 = XLAT_MAPS_CNT_FAST_64,
		.cnt_error = XLAT_MAPS_CNT_FAST_ERROR,
	};
	prog_routed = prog;
	prog_routed.fd6 = bpf_program__fd(skel->progs.clat_egress);
	prog_routed.declined6 = TC_ACT_OK; /* on to the TUN fd */

	prog_lan = prog;
	prog_lan.fd4 = bpf_program__fd(skel->progs.clat_lan_ingress);
	prog_lan.fd6 = bpf_program__fd(skel->progs.clat_ingress);
	prog_lan.declined4 = TC_ACT_UNSPEC; /* on to IPv4 forwarding */
	prog_lan.forwards = 1;
	prog_lan.ingress_ifindex = 1; /* lo, a test run's device */

	own_all();
	stateless_all();
	lan_all();
	nat44_all();
	r = fast_run_finish(root, vector_case, &x);
	clat_tc__destroy(skel);
	return r;
}
