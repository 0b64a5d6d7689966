/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared mode's port swap: xlatd/xlat_portswap.h, and the core's use of
 * it (src/xlat/l4.c) on TCP, UDP and the packets inside ICMP errors, with
 * the checksums right. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "run.h"
#include "xlatd/xlat_icmp.h"
#include "xlatd/xlat_portswap.h"

#define CLAT4 "192.0.0.2"
#define CLAT6 "2001:db8:aaaa::2"
#define REMOTE4 "198.51.100.2"
#define REMOTE6 "2001:db8:64::c633:6402"
/* Linux's default net.ipv4.ip_local_port_range, and its low block */
#define EPH_LO 32768
#define EPH_HI 60999
#define EPH_SIZE (EPH_HI - EPH_LO + 1)
#define V4_PORT 40000
#define V6_PORT (V4_PORT - EPH_SIZE)

static struct xlat_cfg cfg;
static struct xlat_ctx ctx;
static struct pkt in, out, inner;

static int
setup(void **state)
{
	(void)state;
	run_cfg(&cfg, "2001:db8:64::/96");
	assert_int_equal(xlat_portswap_init(&cfg.portswap, EPH_LO, EPH_HI), 0);
	pkt_addr6(CLAT6, cfg.portswap_addr.s6_addr);
	xlat_ctx_init(&ctx, 5);
	return 0;
}

/* The ephemeral block and the one below it trade places; the rest
 * stays, and twice is none. */
static void
test_swap(void **state)
{
	struct xlat_portswap s;
	unsigned p;

	(void)state;
	assert_int_equal(xlat_portswap_init(&s, EPH_LO, EPH_HI), 0);
	for (p = 0; p < 65536; p++) {
		uint16_t q = xlat_portswap_port(&s, (uint16_t)p);

		assert_int_equal(xlat_portswap_port(&s, q), p);
		assert_int_equal(xlat_portswap_low(&s, (uint16_t)p),
				 p >= EPH_LO - EPH_SIZE && p < EPH_LO);
		if (p >= EPH_LO && p <= EPH_HI)
			assert_int_equal(q, p - EPH_SIZE);
		else if (p >= EPH_LO - EPH_SIZE && p < EPH_LO)
			assert_int_equal(q, p + EPH_SIZE);
		else
			assert_int_equal(q, p);
	}
	assert_int_equal(xlat_portswap_init(&s, 2048, 3071), 0);
	assert_int_equal(xlat_portswap_port(&s, 2048), 1024);
	assert_int_equal(xlat_portswap_port(&s, 1023), 1023);
	/* no room above 1023 for a block of the same size */
	assert_int_equal(xlat_portswap_init(&s, 2047, 3071), -1);
	assert_int_equal(xlat_portswap_init(&s, 1024, 65535), -1);
	assert_int_equal(xlat_portswap_init(&s, 3000, 2000), -1);
	/* size 0 swaps nothing */
	memset(&s, 0, sizeof(s));
	assert_int_equal(xlat_portswap_port(&s, 40000), 40000);
}

static void
tcp4(struct pkt *p, uint16_t sport)
{
	pkt_ipv4(p, CLAT4, REMOTE4);
	pkt_tcp(p, sport, 80);
	pkt_fill(p, 33, 7);
	pkt_finish(p);
}

static void
udp6(struct pkt *p, uint16_t dport)
{
	pkt_ipv6(p, REMOTE6, CLAT6);
	pkt_udp(p, 53, dport);
	pkt_fill(p, 45, 9);
	pkt_finish(p);
}

/* 4 to 6: the source port of the CLAT's flow. */
static void
test_tcp_out(void **state)
{
	(void)state;
	tcp4(&in, V4_PORT);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(pkt_get16(out.b + 40), V6_PORT);
	assert_int_equal(pkt_get16(out.b + 42), 80);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
}

/* A zero UDP checksum is computed over the swapped port. */
static void
test_udp_zero_out(void **state)
{
	(void)state;
	pkt_ipv4(&in, CLAT4, REMOTE4);
	pkt_udp(&in, V4_PORT, 53);
	pkt_fill(&in, 20, 3);
	pkt_finish(&in);
	pkt_put16(in.b + 26, 0);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(pkt_get16(out.b + 40), V6_PORT);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
}

/* 6 to 4: the destination port; a port outside both blocks stays. */
static void
test_udp_in(void **state)
{
	(void)state;
	udp6(&in, V6_PORT);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(pkt_get16(out.b + 20), 53);
	assert_int_equal(pkt_get16(out.b + 22), V4_PORT);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
	udp6(&in, 1000);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(pkt_get16(out.b + 22), 1000);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
}

/* The first fragment carries the port; the others go as they are. */
static void
test_fragments_in(void **state)
{
	struct pkt whole;

	(void)state;
	pkt_ipv6(&whole, REMOTE6, CLAT6);
	pkt_udp(&whole, 53, V6_PORT);
	pkt_fill(&whole, 200, 4);
	pkt_finish(&whole);
	pkt_split6(&whole, 0, 104, true, 77, &in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(pkt_get16(out.b + 22), V4_PORT);
	pkt_split6(&whole, 104, 104, false, 77, &in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_memory_equal(out.b + 20, in.b + 48, 104);
}

/* Inside an ICMPv6 error about the CLAT's packet, its source port; the
 * inner checksum stays right. */
static void
test_error_in(void **state)
{
	(void)state;
	pkt_ipv6(&inner, CLAT6, REMOTE6);
	pkt_udp(&inner, V6_PORT, 53);
	pkt_fill(&inner, 16, 2);
	pkt_finish(&inner);
	pkt_ipv6(&in, REMOTE6, CLAT6);
	pkt_icmp(&in, ICMP6_DEST_UNREACH, ICMP6_PORT_UNREACH, 0);
	pkt_data(&in, inner.b, inner.len);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(pkt_get16(out.b + 28 + 20), V4_PORT);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
	assert_int_equal(pkt_l4_sum(out.b + 28, out.len - 28), 0xffff);
}

/* Inside an ICMPv4 error about a packet to the CLAT, its destination
 * port; an inner TCP header cut before its checksum still gets it. */
static void
test_error_out(void **state)
{
	(void)state;
	pkt_ipv4(&inner, REMOTE4, CLAT4);
	pkt_tcp(&inner, 80, V4_PORT);
	pkt_finish(&inner);
	pkt_ipv4(&in, CLAT4, REMOTE4);
	pkt_icmp(&in, ICMP4_DEST_UNREACH, ICMP4_PORT_UNREACH, 0);
	pkt_data(&in, inner.b, 28); /* RFC 792: the header and 8 bytes */
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(pkt_get16(out.b + 48 + 40 + 2), V6_PORT);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
}

/* Echo identifiers are no ephemeral ports: they stay. */
static void
test_echo(void **state)
{
	(void)state;
	pkt_ipv4(&in, CLAT4, REMOTE4);
	pkt_icmp(&in, ICMP4_ECHO, 0, (uint32_t)V4_PORT << 16 | 1);
	pkt_fill(&in, 8, 1);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(pkt_get16(out.b + 44), V4_PORT);
}

/* A partial checksum (offloaded: the host sums the ports itself) is
 * left as the addresses made it. */
static void
test_partial(void **state)
{
	uint16_t full;

	(void)state;
	tcp4(&in, V4_PORT);
	cfg.portswap.size = 0;
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	full = pkt_get16(out.b + 40 + 16);
	assert_int_equal(xlat_portswap_init(&cfg.portswap, EPH_LO, EPH_HI), 0);
	cfg.portswap_csum_partial = true;
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(pkt_get16(out.b + 40), V6_PORT);
	assert_int_equal(pkt_get16(out.b + 40 + 16), full);
}

/* Only the flows of portswap_addr: the rest keep their ports. */
static void
test_other_address(void **state)
{
	(void)state;
	pkt_addr6("2001:db8:aaaa::9", cfg.portswap_addr.s6_addr);
	tcp4(&in, V4_PORT);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(pkt_get16(out.b + 40), V4_PORT);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_swap),
		cmocka_unit_test_setup(test_tcp_out, setup),
		cmocka_unit_test_setup(test_udp_zero_out, setup),
		cmocka_unit_test_setup(test_udp_in, setup),
		cmocka_unit_test_setup(test_fragments_in, setup),
		cmocka_unit_test_setup(test_error_in, setup),
		cmocka_unit_test_setup(test_error_out, setup),
		cmocka_unit_test_setup(test_echo, setup),
		cmocka_unit_test_setup(test_partial, setup),
		cmocka_unit_test_setup(test_other_address, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
