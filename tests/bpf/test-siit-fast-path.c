/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * xlat-siit's fast path against the core: packets go through
 * bpf/siit_tc.bpf.c under BPF_PROG_TEST_RUN and through the core
 * (src/xlat) with the same configuration and the same host table
 * (src/siit/hosts.h): a translated packet must be the core's bytes, a
 * declined one must reach the slow path untouched (fast-run.h).
 *
 * The configuration is a NAT64's: an RFC 6052 prefix (each length, and
 * the Well-Known Prefix with RFC 6052 §3.1), the translator's addresses,
 * a dynamic pool with one host in it, a static host map and an RFC 7757
 * map of prefixes. The packets: TCP, UDP, echo and fragments between the
 * prefix and the host table both ways, which the fast path takes, and
 * what it must leave to the slow path (the translator's own addresses, a
 * source no map covers, a pool address nobody holds, anything under the
 * RFC 7757 map, ICMP errors, expiring TTLs, options). Then the input of
 * every conformance vector under its profile, with the profile's RFC
 * 7757 entries.
 *
 * usage: test-siit-fast-path [VECTOR_DIR]. Needs root; exits 77 without
 * it, and 77 after our own packets when VECTOR_DIR is missing.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/pkt_cls.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "dp/dp_siit.h"
#include "fast-run.h"
#include "fast-vectors.h"
#include "pkt-build.h"
#include "siit/hosts.h"
#include "siit_tc.skel.h"

#define TUN_IFINDEX 1000

#define OWN4 "192.168.255.1"
#define POOL4 "192.168.255.0/24"
#define HOST6 "2001:db8:cafe::7" /* a host of the pool */
#define HOST4 "192.168.255.7"
#define STATIC6 "2001:db8:1::5" /* a static host map */
#define STATIC4 "198.51.100.5"
#define EAM6 "2001:db8:2::/120" /* an RFC 7757 map of prefixes */
#define EAM4 "203.0.113.0/24"
#define REMOTE4 "198.51.100.7"
#define REMOTE4_GLOBAL "93.184.216.34"

static struct siit_tc *skel;
static struct fast_prog prog;
static struct hosts hosts;
static struct pkt pk, pk2; /* 64 KiB each: not on the stack */

/* One configuration: the core's, and names for its cases. */
struct setup {
	struct xlat_cfg x;
	char name[48];
	char remote6[INET6_ADDRSTRLEN], own6[INET6_ADDRSTRLEN];
	const char *remote4;
};

/* The host table, in the core's copy and the program's. */
static int
hosts_fill(void)
{
	static const struct {
		const char *v6, *v4;
		bool is_static;
	} entries[] = {{HOST6, HOST4, false}, {STATIC6, STATIC4, true}};
	static const uint8_t key[16] = {7};
	uint8_t v6[16], v4[4];
	size_t i;

	if (hosts_init(&hosts, 16, key) < 0)
		return -1;
	for (i = 0; i < sizeof(entries) / sizeof(entries[0]); i++) {
		pkt_addr6(entries[i].v6, v6);
		pkt_addr4(entries[i].v4, v4);
		if (hosts_add(&hosts, v6, v4,
			      entries[i].is_static ? HOSTS_F_STATIC : 0) ==
			    NULL ||
		    dp_siit_hosts_write(bpf_map__fd(skel->maps.siit_hosts6),
					bpf_map__fd(skel->maps.siit_hosts4), v6,
					v4, entries[i].is_static, false) < 0)
			return -1;
	}
	return 0;
}

/* The program's configuration for x: what xlat-siit would write. */
static int
map_write(const struct xlat_cfg *x, const char *own6)
{
	struct siit_maps_cfg m = {
		.tun_ifindex = TUN_IFINDEX,
		.tun_has_l2 = 1, /* BPF_PROG_TEST_RUN wants Ethernet frames */
	};
	struct dp_siit_addrs a = {.has_pool = true};
	__u32 key = XLAT_MAPS_CFG_KEY;

	pkt_addr4(OWN4, (uint8_t *)&a.own4);
	pkt_addr6(own6, a.own6.s6_addr);
	a.pool = pkt_prefix4(POOL4);
	dp_siit_map_cfg(&m, x, &a);
	if (dp_siit_eam_fill(bpf_map__fd(skel->maps.siit_eam), x) < 0)
		return -1;
	return bpf_map__update_elem(skel->maps.siit_cfg, &key, sizeof(key), &m,
				    sizeof(m), BPF_ANY);
}

/* xlat-siit's core settings (tayga_conf_xlat): no MTU limits, offlink
 * 1280, the prefix, the host table and one RFC 7757 map. */
static void
setup_prefix(struct setup *s, const char *prefix, const char *remote4,
	     bool wkp_strict)
{
	struct xlat_prefix6 e6 = pkt_prefix6(EAM6);
	struct xlat_prefix4 e4 = pkt_prefix4(EAM4);
	uint8_t r4[4], o4[4];
	struct in6_addr a;

	xlat_cfg_init(&s->x);
	s->x.has_pool6 = true;
	s->x.pool6 = pkt_prefix6(prefix);
	s->x.wkp_strict = wkp_strict;
	s->x.mtu_v4 = s->x.mtu_v6 = UINT16_MAX;
	s->x.hosts = &hosts.ops;
	xlat_eam_add(&s->x, &e6, &e4);
	pkt_addr4(OWN4, o4);
	s->x.has_own4 = s->x.has_own6 = true;
	memcpy(&s->x.own4, o4, 4);
	xlat_rfc6052_embed(&s->x.pool6, o4, &s->x.own6);
	inet_ntop(AF_INET6, &s->x.own6, s->own6, sizeof(s->own6));
	s->remote4 = remote4;
	pkt_addr4(remote4, r4);
	xlat_rfc6052_embed(&s->x.pool6, r4, &a);
	inet_ntop(AF_INET6, &a, s->remote6, sizeof(s->remote6));
	snprintf(s->name, sizeof(s->name), "%s", prefix);
}

/* IPv4 address a in the prefix of s, as text. */
static void
in_prefix(const struct setup *s, const char *v4, char out[INET6_ADDRSTRLEN])
{
	uint8_t b[4];
	struct in6_addr a;

	pkt_addr4(v4, b);
	xlat_rfc6052_embed(&s->x.pool6, b, &a);
	inet_ntop(AF_INET6, &a, out, INET6_ADDRSTRLEN);
}

static void
run(const struct setup *s, const char *what, enum fast_expect e)
{
	char name[96];

	snprintf(name, sizeof(name), "%s/%s", s->name, what);
	if (map_write(&s->x, s->own6) < 0) {
		fast_report(name, "FAIL", "the program refused the settings");
		fast_tally.fail++;
		return;
	}
	fast_expect(&prog, name, &s->x, pk.b, pk.len, e);
}

static void
udp(void)
{
	pkt_udp(&pk, 40000, 53);
	pkt_fill(&pk, 64, 2);
	pkt_finish(&pk);
}

static void
tcp(void)
{
	pkt_tcp(&pk, 40000, 80);
	pkt_fill(&pk, 100, 1);
	pkt_finish(&pk);
}

static void
echo(uint8_t type)
{
	pkt_icmp(&pk, type, 0, 0x12340001);
	pkt_fill(&pk, 56, 4);
	pkt_finish(&pk);
}

static void
error_msg(void)
{
	pkt_icmp(&pk, pk.family == 6 ? 1 : 3, pk.family == 6 ? 4 : 3, 0);
	pkt_fill(&pk, 48, 6);
	pkt_finish(&pk);
}

/* IPv6 fragments of a 200-byte UDP datagram: [0, 104) and [104, 208). */
static void
frag6(const char *src, const char *dst, size_t off, bool more)
{
	pkt_ipv6(&pk2, src, dst);
	pkt_udp(&pk2, 40000, 53);
	pkt_fill(&pk2, 200, 7);
	pkt_finish(&pk2);
	pkt_split6(&pk2, off, 104, more, 0xabcd1234, &pk);
}

/* IPv6 in: from the pool's host, a static host, the prefix. */
static void
cases64(const struct setup *s)
{
	char a6[INET6_ADDRSTRLEN];

	pkt_ipv6(&pk, HOST6, s->remote6), tcp();
	run(s, "in6-tcp-pool-host", FAST_YES);
	pkt_ipv6(&pk, HOST6, s->remote6), udp();
	run(s, "in6-udp-pool-host", FAST_YES);
	pkt_ipv6(&pk, HOST6, s->remote6), pkt_tos(&pk, 0xb8), udp();
	run(s, "in6-traffic-class", FAST_YES);
	pkt_ipv6(&pk, HOST6, s->remote6), echo(128);
	run(s, "in6-echo-request", FAST_YES);
	pkt_ipv6(&pk, HOST6, s->remote6), echo(129);
	run(s, "in6-echo-reply", FAST_YES);
	frag6(HOST6, s->remote6, 0, true);
	run(s, "in6-frag-first", FAST_YES);
	frag6(HOST6, s->remote6, 104, false);
	run(s, "in6-frag-last", FAST_YES);
	pkt_ipv6(&pk, STATIC6, s->remote6), tcp();
	run(s, "in6-tcp-static-host", FAST_YES);
	in_prefix(s, "198.51.100.20", a6);
	pkt_ipv6(&pk, a6, s->remote6), udp();
	run(s, "in6-udp-prefix-to-prefix",
	    s->x.wkp_strict ? FAST_NO : FAST_YES);
	/* the slow path's */
	pkt_ipv6(&pk, HOST6, s->own6), echo(128);
	run(s, "in6-to-ipv6-addr", FAST_NO);
	pkt_ipv6(&pk, "3fff::99", s->remote6), tcp(); /* RFC 9637 */
	run(s, "in6-new-source", FAST_NO);
	pkt_ipv6(&pk, HOST6, "2001:db8:2::5"), udp();
	run(s, "in6-to-rfc7757-map", FAST_NO);
	pkt_ipv6(&pk, "2001:db8:2::5", s->remote6), udp();
	run(s, "in6-from-rfc7757-map", FAST_NO);
	in_prefix(s, "203.0.113.5", a6);
	pkt_ipv6(&pk, HOST6, a6), udp();
	run(s, "in6-hairpin", FAST_NO);
	pkt_ipv6(&pk, HOST6, s->remote6), error_msg();
	run(s, "in6-unreachable", FAST_NO);
	pkt_ipv6(&pk, HOST6, s->remote6), pkt_ttl(&pk, 1), udp();
	run(s, "in6-hop-limit-1", FAST_NO);
	pkt_ipv6(&pk, HOST6, s->remote6), pkt_hopopts(&pk, 8), udp();
	run(s, "in6-hop-by-hop", FAST_NO);
}

/* IPv4 in: to the pool's host, to a static host. */
static void
cases46(const struct setup *s)
{
	static const uint8_t nop[4] = {1, 1, 1, 1};

	pkt_ipv4(&pk, s->remote4, HOST4), tcp();
	run(s, "in4-tcp-pool-host", FAST_YES);
	pkt_ipv4(&pk, s->remote4, HOST4), udp();
	run(s, "in4-udp-pool-host", FAST_YES);
	pkt_ipv4(&pk, s->remote4, HOST4), pkt_tos(&pk, 0xb8), udp();
	run(s, "in4-tos", FAST_YES);
	pkt_ipv4(&pk, s->remote4, HOST4), echo(8);
	run(s, "in4-echo-request", FAST_YES);
	pkt_ipv4(&pk, s->remote4, HOST4), echo(0);
	run(s, "in4-echo-reply", FAST_YES);
	pkt_ipv4(&pk, s->remote4, HOST4), pkt_frag4(&pk, PKT_DF);
	pkt_udp(&pk, 40000, 53), pkt_fill(&pk, 1400, 3), pkt_finish(&pk);
	run(s, "in4-udp-1400-df", FAST_YES);
	pkt_ipv4(&pk, s->remote4, STATIC4), tcp();
	run(s, "in4-tcp-static-host", FAST_YES);
	pkt_ipv4(&pk, STATIC4, HOST4), udp();
	run(s, "in4-static-to-pool-host", FAST_YES);
	/* the slow path's */
	pkt_ipv4(&pk, s->remote4, HOST4);
	pkt_udp(&pk, 40000, 53), pkt_fill(&pk, 1400, 3), pkt_finish(&pk);
	run(s, "in4-udp-1400-to-fragment", FAST_NO);
	pkt_ipv4(&pk, s->remote4, OWN4), echo(8);
	run(s, "in4-to-ipv4-addr", FAST_NO);
	pkt_ipv4(&pk, s->remote4, "192.168.255.9"), udp();
	run(s, "in4-to-unheld-pool-address", FAST_NO);
	pkt_ipv4(&pk, s->remote4, "203.0.113.9"), udp();
	run(s, "in4-to-rfc7757-map", FAST_NO);
	pkt_ipv4(&pk, "203.0.113.9", HOST4), udp();
	run(s, "in4-from-rfc7757-map", FAST_NO);
	pkt_ipv4(&pk, s->remote4, HOST4), error_msg();
	run(s, "in4-unreachable", FAST_NO);
	pkt_ipv4(&pk, s->remote4, HOST4), pkt_ttl(&pk, 1), udp();
	run(s, "in4-ttl-1", FAST_NO);
	pkt_ipv4(&pk, s->remote4, HOST4), pkt_ipv4_options(&pk, nop, 4), udp();
	run(s, "in4-options", FAST_NO);
	pkt_ipv4(&pk, s->remote4, HOST4), pkt_frag4(&pk, PKT_MF), udp();
	run(s, "in4-fragment", FAST_NO);
}

/* A reply through the fast path confirms the host's mapping, and its
 * time of last use is written (xlat-siit reads both back). */
static void
seen(void)
{
	struct siit_maps_host h;
	uint8_t v4[4];

	pkt_addr4(HOST4, v4);
	if (bpf_map__lookup_elem(skel->maps.siit_hosts4, v4, 4, &h, sizeof(h),
				 0) < 0 ||
	    !(h.flags & SIIT_MAPS_HOST_CONFIRMED) || h.last_ns == 0) {
		fast_report("hosts4/" HOST4, "FAIL",
			    "not confirmed, or no time of last use");
		fast_tally.fail++;
	}
}

static void
own_all(void)
{
	static const char *const prefixes[] = {
		"2001:db8::/32",	 "2001:db8:100::/40",
		"2001:db8:122::/48",	 "2001:db8:122:300::/56",
		"2001:db8:122:344::/64", "2001:db8:64::/96",
	};
	static struct setup s;
	size_t i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		setup_prefix(&s, prefixes[i], REMOTE4, false);
		cases64(&s);
		cases46(&s);
	}
	/* RFC 6052 §3.1: the Well-Known Prefix and a global address ... */
	setup_prefix(&s, "64:ff9b::/96", REMOTE4_GLOBAL, true);
	cases64(&s);
	cases46(&s);
	/* ... and not a documentation one (RFC 5737). */
	setup_prefix(&s, "64:ff9b::/96", REMOTE4, true);
	snprintf(s.name, sizeof(s.name), "64:ff9b::/96-non-global");
	pkt_ipv6(&pk, HOST6, s.remote6), udp();
	run(&s, "in6-udp", FAST_NO);
	pkt_ipv4(&pk, s.remote4, HOST4), udp();
	run(&s, "in4-udp", FAST_NO);
	seen();
}

/* A vector's input under its profile (the profile's own RFC 7757
 * entries), the host table as above, and xlat-siit's MTUs (none: the
 * kernel's): whichever path, the same result. */
static void
vector_case(void *arg, const char *name, const struct xlat_cfg *profile,
	    const uint8_t *in, size_t len)
{
	static const char own6[] = "2001:db8:ffff::1";
	struct xlat_cfg *x = arg;

	*x = *profile;
	x->hosts = &hosts.ops;
	x->mtu_v4 = x->mtu_v6 = UINT16_MAX;
	if (map_write(x, own6) < 0) {
		fast_report(name, "FAIL", "the program refused the settings");
		fast_tally.fail++;
		return;
	}
	fast_check(&prog, name, x, in, len);
}

int
main(int argc, char *argv[])
{
	const char *root = argc > 1 ? argv[1] : "";
	static struct xlat_cfg x;
	int r;

	if ((r = fast_run_init()) != 0)
		return r;
	if ((skel = siit_tc__open_and_load()) == NULL) {
		printf("FAIL: cannot load bpf/siit_tc.bpf.c: %s\n",
		       strerror(errno));
		return 1;
	}
	if (hosts_fill() < 0)
		return 1;
	prog = (struct fast_prog){
		.fd4 = bpf_program__fd(skel->progs.siit_egress),
		.fd6 = bpf_program__fd(skel->progs.siit_egress),
		.declined4 = TC_ACT_OK, /* on to the TUN fd */
		.declined6 = TC_ACT_OK,
		.counters_fd = bpf_map__fd(skel->maps.siit_counters),
		.cnt_fast4 = SIIT_MAPS_CNT_FAST_46,
		.cnt_fast6 = SIIT_MAPS_CNT_FAST_64,
		.cnt_error = SIIT_MAPS_CNT_FAST_ERROR,
	};
	own_all();
	r = fast_run_finish(root, vector_case, &x);
	siit_tc__destroy(skel);
	hosts_free(&hosts);
	return r;
}
