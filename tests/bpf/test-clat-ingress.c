/* SPDX-License-Identifier: BSD-2-Clause */
/* clat_ingress (bpf/clat_tc.bpf.c) under BPF_PROG_TEST_RUN: what it
 * redirects, and that it passes everything else byte for byte. Needs root
 * (or CAP_BPF + CAP_NET_ADMIN); skipped otherwise. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/pkt_cls.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "clat_tc.skel.h"
#include "pkt-build.h"
#include "xlatd/xlat_icmp.h"
#include "xlatd/xlat_maps.h"

#define CLAT "2001:db8:1::c"
#define CLAT_NEW "2001:db8:1::d"
#define PEER "2001:db8:1::2"
#define HOST "2001:db8:1::1"

#define ETH_HLEN 14
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_IPV6 0x86dd

struct frame {
	uint8_t b[2048];
	size_t len;
};

static struct clat_tc *skel;
static struct pkt ip; /* 64 KiB: not on the stack */

/* BPF_PROG_TEST_RUN hands the frame to the program as received on the
 * loopback device (net/bpf/test_run.c, eth_type_trans), whose address is
 * all zeros: a zero destination MAC makes it PACKET_HOST. */
static const uint8_t mac_host[6];
static const uint8_t mac_other[6] = {0x02, 0, 0, 0, 0, 0x01};
static const uint8_t mac_peer[6] = {0x02, 0, 0, 0, 0, 0x02};

static void
frame_eth(struct frame *f, const uint8_t dst[6], uint16_t type)
{
	memcpy(f->b, dst, 6);
	memcpy(f->b + 6, mac_peer, 6);
	pkt_put16(f->b + 12, type);
	f->len = ETH_HLEN;
}

static void
frame_put(struct frame *f, const void *data, size_t len)
{
	assert_true(f->len + len <= sizeof(f->b));
	memcpy(f->b + f->len, data, len);
	f->len += len;
}

/* ip: UDP from PEER to dst with 32 bytes of data. pkt_finish leaves the
 * UDP Length (RFC 768) as pkt_udp wrote it, 0. */
static void
ip_udp6(const char *dst)
{
	pkt_ipv6(&ip, PEER, dst);
	pkt_udp(&ip, 40000, 9);
	pkt_fill(&ip, 32, 1);
	pkt_put16(ip.b + ip.l4 + 4, (uint16_t)(ip.len - ip.l4));
	pkt_finish(&ip);
}

/* Ethernet + IPv6 + UDP to dst. */
static void
frame_udp6(struct frame *f, const uint8_t dmac[6], const char *dst)
{
	ip_udp6(dst);
	frame_eth(f, dmac, ETHERTYPE_IPV6);
	frame_put(f, ip.b, ip.len);
}

static void
frame_icmp6(struct frame *f, const char *dst, uint8_t type)
{
	pkt_ipv6(&ip, PEER, dst);
	pkt_ttl(&ip, 255);
	pkt_icmp(&ip, type, 0, 0);
	pkt_fill(&ip, 16, 2);
	pkt_finish(&ip);
	frame_eth(f, mac_host, ETHERTYPE_IPV6);
	frame_put(f, ip.b, ip.len);
}

static void
set_cfg(const char *clat, uint8_t enabled)
{
	struct xlat_maps_cfg cfg = {
		.tun_ifindex = 1000,
		.enabled = enabled,
		.has_l2 = 1,
	};
	__u32 key = XLAT_MAPS_CFG_KEY;

	pkt_addr6(clat, (uint8_t *)cfg.clat_v6);
	assert_int_equal(bpf_map__update_elem(skel->maps.clat_cfg, &key,
					      sizeof(key), &cfg, sizeof(cfg),
					      BPF_ANY),
			 0);
}

static uint64_t
counter(__u32 idx)
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t v[1024], sum = 0;
	int i;

	assert_true(ncpu > 0 && ncpu <= 1024);
	assert_int_equal(bpf_map__lookup_elem(skel->maps.clat_counters, &idx,
					      sizeof(idx), v,
					      ncpu * sizeof(v[0]), 0),
			 0);
	for (i = 0; i < ncpu; i++)
		sum += v[i];
	return sum;
}

/* Runs the program once; the frame must come back unchanged (the
 * program never writes packets). Returns 0 and the verdict, or -errno
 * if the kernel refused the frame. */
static int
run_raw(const struct frame *f, int *verdict)
{
	uint8_t out[sizeof(f->b)];
	DECLARE_LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f->b,
			    .data_size_in = f->len, .data_out = out,
			    .data_size_out = sizeof(out), .repeat = 1);
	int r;

	r = bpf_prog_test_run_opts(bpf_program__fd(skel->progs.clat_ingress),
				   &o);
	if (r < 0)
		return r;
	assert_int_equal(o.data_size_out, f->len);
	assert_memory_equal(out, f->b, f->len);
	*verdict = (int)o.retval;
	return 0;
}

static int
run(const struct frame *f)
{
	int r, verdict;

	if ((r = run_raw(f, &verdict)) < 0)
		fail_msg("BPF_PROG_TEST_RUN: %s", strerror(-r));
	return verdict;
}

/* The verdict for f, and that exactly one counter moved accordingly. */
static void
assert_verdict(const struct frame *f, int want)
{
	uint64_t red = counter(XLAT_MAPS_CNT_REDIRECTED);
	uint64_t pas = counter(XLAT_MAPS_CNT_PASSED);

	assert_int_equal(run(f), want);
	if (want == TC_ACT_REDIRECT) {
		assert_int_equal(counter(XLAT_MAPS_CNT_REDIRECTED), red + 1);
		assert_int_equal(counter(XLAT_MAPS_CNT_PASSED), pas);
	} else {
		assert_int_equal(counter(XLAT_MAPS_CNT_REDIRECTED), red);
		assert_int_equal(counter(XLAT_MAPS_CNT_PASSED), pas + 1);
	}
}

static int
setup(void **state)
{
	(void)state;
	set_cfg(CLAT, 1);
	return 0;
}

static void
test_redirects_clat_udp(void **state)
{
	struct frame f;

	(void)state;
	frame_udp6(&f, mac_host, CLAT);
	assert_verdict(&f, TC_ACT_REDIRECT);
}

/* Translatable ICMPv6 (RFC 7915 §5.2) is the daemon's too. */
static void
test_redirects_clat_echo(void **state)
{
	struct frame f;

	(void)state;
	frame_icmp6(&f, CLAT, ICMP6_ECHO_REQUEST);
	assert_verdict(&f, TC_ACT_REDIRECT);
}

/* Passing is TC_ACT_UNSPEC (TCX_NEXT), never TC_ACT_OK: see the program. */
static void
test_passes_other_destination(void **state)
{
	struct frame f;

	(void)state;
	frame_udp6(&f, mac_host, HOST);
	assert_verdict(&f, TC_ACT_UNSPEC);
	/* only the last bit differs */
	frame_udp6(&f, mac_host, "2001:db8:1::d");
	assert_verdict(&f, TC_ACT_UNSPEC);
	/* the first word differs */
	frame_udp6(&f, mac_host, "2001:db9:1::c");
	assert_verdict(&f, TC_ACT_UNSPEC);
}

/* Unicast NUD probes for the CLAT address go to the host stack, which
 * answers them for the anycast address (RFC 4861 §7.3.3). */
static void
test_passes_neighbour_solicitation(void **state)
{
	struct frame f;

	(void)state;
	frame_icmp6(&f, CLAT, ICMP6_NEIGHBOR_SOLICIT);
	assert_verdict(&f, TC_ACT_UNSPEC);
}

static void
test_passes_ipv4(void **state)
{
	struct frame f;

	(void)state;
	pkt_ipv4(&ip, "192.0.2.2", "192.0.2.1");
	pkt_udp(&ip, 40000, 9);
	pkt_fill(&ip, 32, 3);
	pkt_put16(ip.b + ip.l4 + 4, (uint16_t)(ip.len - ip.l4));
	pkt_finish(&ip);
	frame_eth(&f, mac_host, ETHERTYPE_IPV4);
	frame_put(&f, ip.b, ip.len);
	assert_verdict(&f, TC_ACT_UNSPEC);
}

/* Linux 6.18's BPF_PROG_TEST_RUN refuses (EINVAL) an IPv6 frame shorter
 * than the IPv6 header before the program runs; older kernels run it.
 * test-dp-bpf sends truncated packets through a real device. */
static void
test_passes_truncated(void **state)
{
	struct frame f, whole;
	size_t cut, ran = 0;
	int verdict;

	(void)state;
	frame_udp6(&whole, mac_host, CLAT);
	for (cut = ETH_HLEN; cut < ETH_HLEN + 40; cut++) {
		memcpy(f.b, whole.b, cut);
		f.len = cut;
		if (run_raw(&f, &verdict) == -EINVAL)
			continue;
		assert_int_equal(verdict, TC_ACT_UNSPEC);
		ran++;
	}
	if (ran == 0)
		printf("# truncated frames: the kernel refused all of them\n");
	/* a header alone is enough: 40 bytes with nothing behind */
	f.len = ETH_HLEN + 40;
	memcpy(f.b, whole.b, f.len);
	assert_verdict(&f, TC_ACT_REDIRECT);
}

/* An 802.1Q frame belongs to a VLAN device, even for the CLAT address. */
static void
test_passes_vlan(void **state)
{
	const uint8_t tag[4] = {0x00, 0x64, 0x86, 0xdd}; /* VID 100, IPv6 */
	struct frame f;

	(void)state;
	ip_udp6(CLAT);
	frame_eth(&f, mac_host, ETHERTYPE_VLAN);
	frame_put(&f, tag, sizeof(tag));
	frame_put(&f, ip.b, ip.len);
	assert_verdict(&f, TC_ACT_UNSPEC);
}

/* A frame for another MAC, seen in promiscuous mode (PACKET_OTHERHOST). */
static void
test_passes_other_host(void **state)
{
	struct frame f;

	(void)state;
	frame_udp6(&f, mac_other, CLAT);
	assert_verdict(&f, TC_ACT_UNSPEC);
}

/* EtherType IPv6 with a version field that is not 6. */
static void
test_passes_bad_version(void **state)
{
	struct frame f;

	(void)state;
	frame_udp6(&f, mac_host, CLAT);
	f.b[ETH_HLEN] = 0x40 | (f.b[ETH_HLEN] & 0x0f);
	assert_verdict(&f, TC_ACT_UNSPEC);
}

static void
test_disabled_passes(void **state)
{
	struct frame f;

	(void)state;
	set_cfg(CLAT, 0);
	frame_udp6(&f, mac_host, CLAT);
	assert_verdict(&f, TC_ACT_UNSPEC);
	set_cfg(CLAT, 1);
	assert_verdict(&f, TC_ACT_REDIRECT);
}

/* Renumbering: the daemon rewrites clat_cfg in place. */
static void
test_address_change(void **state)
{
	struct frame old, new;

	(void)state;
	frame_udp6(&old, mac_host, CLAT);
	frame_udp6(&new, mac_host, CLAT_NEW);
	assert_verdict(&old, TC_ACT_REDIRECT);
	assert_verdict(&new, TC_ACT_UNSPEC);
	set_cfg(CLAT_NEW, 1);
	assert_verdict(&new, TC_ACT_REDIRECT);
	assert_verdict(&old, TC_ACT_UNSPEC);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_redirects_clat_udp, setup),
		cmocka_unit_test_setup(test_redirects_clat_echo, setup),
		cmocka_unit_test_setup(test_passes_other_destination, setup),
		cmocka_unit_test_setup(test_passes_neighbour_solicitation,
				       setup),
		cmocka_unit_test_setup(test_passes_ipv4, setup),
		cmocka_unit_test_setup(test_passes_truncated, setup),
		cmocka_unit_test_setup(test_passes_vlan, setup),
		cmocka_unit_test_setup(test_passes_other_host, setup),
		cmocka_unit_test_setup(test_passes_bad_version, setup),
		cmocka_unit_test_setup(test_disabled_passes, setup),
		cmocka_unit_test_setup(test_address_change, setup),
	};
	int r;

	if (geteuid() != 0) {
		printf("SKIP: BPF_PROG_TEST_RUN needs root\n");
		return 77;
	}
	if ((skel = clat_tc__open_and_load()) == NULL) {
		printf("SKIP: cannot load clat_ingress: %s\n", strerror(errno));
		return 77;
	}
	r = cmocka_run_group_tests_name("clat_ingress", tests, NULL, NULL);
	clat_tc__destroy(skel);
	return r;
}
