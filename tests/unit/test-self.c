/* SPDX-License-Identifier: BSD-2-Clause */
/* src/siit/self.c: echo replies from the translator's own addresses
 * (RFC 792, RFC 4443 §4.2), with right checksums; nothing else. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pkt-build.h"
#include "siit/self.h"

static struct pkt p;

static void
test_echo4(void **state)
{
	uint8_t src[4], dst[4];

	(void)state;
	pkt_ipv4(&p, "203.0.113.10", "192.168.255.1");
	pkt_icmp(&p, 8, 0, 0x12340001);
	pkt_fill(&p, 56, 1);
	pkt_finish(&p);
	memcpy(src, p.b + 12, 4);
	memcpy(dst, p.b + 16, 4);
	assert_true(self_echo(p.b, p.len));
	assert_memory_equal(p.b + 12, dst, 4);
	assert_memory_equal(p.b + 16, src, 4);
	assert_int_equal(p.b[20], 0);
	assert_int_equal(p.b[8], 64);
	assert_int_equal(pkt_get32(p.b + 24), 0x12340001);
	assert_int_equal(pkt_ipv4_header_sum(p.b), 0xffff);
	assert_int_equal(pkt_l4_sum(p.b, p.len), 0xffff);
}

static void
test_echo6(void **state)
{
	uint8_t src[16];

	(void)state;
	pkt_ipv6(&p, "2001:db8:cafe::7", "2001:db8:64::c0a8:ff01");
	pkt_icmp(&p, 128, 0, 0x56780002);
	pkt_fill(&p, 1000, 2);
	pkt_finish(&p);
	memcpy(src, p.b + 8, 16);
	assert_true(self_echo(p.b, p.len));
	assert_memory_equal(p.b + 24, src, 16);
	assert_int_equal(p.b[40], 129);
	assert_int_equal(p.b[7], 64);
	assert_int_equal(pkt_l4_sum(p.b, p.len), 0xffff);
}

static void
test_not_echo(void **state)
{
	uint8_t copy[256];

	(void)state;
	pkt_ipv4(&p, "203.0.113.10", "192.168.255.1");
	pkt_udp(&p, 1, 2);
	pkt_finish(&p);
	assert_false(self_echo(p.b, p.len));
	pkt_ipv4(&p, "203.0.113.10", "192.168.255.1");
	pkt_icmp(&p, 0, 0, 0); /* a reply */
	pkt_finish(&p);
	assert_false(self_echo(p.b, p.len));
	pkt_ipv4(&p, "203.0.113.10", "192.168.255.1");
	pkt_icmp(&p, 8, 0, 0);
	pkt_finish(&p);
	pkt_frag4(&p, PKT_MF); /* a fragment */
	memcpy(copy, p.b, p.len);
	assert_false(self_echo(p.b, p.len));
	assert_memory_equal(copy, p.b, p.len);
	pkt_ipv6(&p, "2001:db8:cafe::7", "2001:db8:64::1");
	pkt_dstopts(&p, 8);
	pkt_icmp(&p, 128, 0, 0);
	pkt_finish(&p);
	assert_false(self_echo(p.b, p.len));
	assert_false(self_echo(p.b, 30));
	assert_false(self_echo(p.b, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_echo4),
		cmocka_unit_test(test_echo6),
		cmocka_unit_test(test_not_echo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
