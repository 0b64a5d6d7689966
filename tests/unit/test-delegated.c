/* SPDX-License-Identifier: BSD-2-Clause */
/* src/daemon/delegated.c: a prefix delegated to the host (RFC 9663) in
 * the routing table, as dhcpcd and systemd-networkd leave it, and the /64
 * and the address the CLAT takes from it. The tables here are those
 * measured with dhcpcd 9.4.1 and Kea 2.2 (see delegated.h). */
#include <arpa/inet.h>
#include <linux/rtnetlink.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "daemon/delegated.h"

#define LO 1
#define UPLINK 2
#define DOWNLINK 3

static struct rtnl_route
route(const char *dst, unsigned len, unsigned type, unsigned proto,
      unsigned ifindex, unsigned metric)
{
	struct rtnl_route r;

	memset(&r, 0, sizeof(r));
	r.family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, dst, r.dst), 1);
	r.dst_len = len;
	r.type = type;
	r.protocol = proto;
	r.ifindex = ifindex;
	r.metric = metric;
	r.table = RT_TABLE_MAIN;
	return r;
}

static struct rtnl_addr
addr(const char *a, unsigned len, unsigned ifindex)
{
	struct rtnl_addr x;

	memset(&x, 0, sizeof(x));
	x.family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, a, x.addr), 1);
	x.prefixlen = len;
	x.ifindex = ifindex;
	return x;
}

/* What every host has besides: an RA default route, the uplink's
 * DHCPv6 /128 and its link-local. */
static size_t
common(struct rtnl_route *r, struct rtnl_addr *a, size_t *na)
{
	r[0] = route("::", 0, RTN_UNICAST, RTPROT_RA, UPLINK, 1024);
	r[1] = route("fe80::", 64, RTN_UNICAST, RTPROT_KERNEL, UPLINK, 256);
	r[2] = route("2001:db8:1::1000", 128, RTN_UNICAST, RTPROT_KERNEL,
		     UPLINK, 256);
	a[0] = addr("2001:db8:1::1000", 128, UPLINK);
	a[1] = addr("fe80::ff:fe00:102", 64, UPLINK);
	*na = 2;
	return 3;
}

/* dhcpcd's delegation: unreachable through lo, protocol dhcp. */
static struct rtnl_route
delegation(const char *dst, unsigned len)
{
	return route(dst, len, RTN_UNREACHABLE, RTPROT_DHCP, LO, 1001);
}

static void
assert_a6(const struct in6_addr *got, const char *want)
{
	char s[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, got, s, sizeof(s));
	assert_string_equal(s, want);
}

/* dhcpcd `ia_pd 3`, no downstream link: the unreachable route alone. */
static void
test_dhcpcd_alone(void **state)
{
	struct rtnl_route r[8];
	struct rtnl_addr a[8];
	struct delegated d;
	size_t nr, na;

	(void)state;
	nr = common(r, a, &na);
	r[nr++] = delegation("2001:db8:100:100::", 56);
	assert_true(delegated_find(r, nr, a, na, NULL, &d));
	assert_a6(&d.prefix.addr, "2001:db8:100:100::");
	assert_int_equal(d.prefix.len, 56);
	assert_a6(&d.subnet, "2001:db8:100:1ff::");
	assert_int_equal(d.link, 0);
	assert_false(d.configured);
	/* the CLAT address's own route into its device: still free */
	r[nr++] = route("2001:db8:100:1ff::c1a7", 128, RTN_UNICAST,
			RTPROT_XLATD, 9, 1024);
	assert_true(delegated_find(r, nr, a, na, NULL, &d));
	assert_a6(&d.subnet, "2001:db8:100:1ff::");
	assert_int_equal(d.link, 0);
}

/* dhcpcd `ia_pd 2 dummy0/1/64`: the /64 of SLA 1 on a downstream link. */
static void
test_dhcpcd_downstream(void **state)
{
	struct rtnl_route r[8];
	struct rtnl_addr a[8];
	struct delegated d;
	size_t nr, na;

	(void)state;
	nr = common(r, a, &na);
	r[nr++] = delegation("2001:db8:100::", 56);
	r[nr++] = route("2001:db8:100:ff::", 64, RTN_UNICAST, RTPROT_DHCP,
			DOWNLINK, 1004);
	a[na++] = addr("2001:db8:100:fe::1", 64, DOWNLINK);
	assert_true(delegated_find(r, nr, a, na, NULL, &d));
	assert_a6(&d.subnet, "2001:db8:100:fd::"); /* ff, fe in use */
	assert_int_equal(d.link, 0);
	/* a downstream /63 around fc and fd */
	r[nr++] = route("2001:db8:100:fc::", 63, RTN_UNICAST, RTPROT_STATIC,
			DOWNLINK, 1024);
	assert_true(delegated_find(r, nr, a, na, NULL, &d));
	assert_a6(&d.subnet, "2001:db8:100:fb::");
}

/* A /64 delegated and given to a downstream link (a container bridge):
 * no free /64, so that one, with its link for DAD. */
static void
test_single_64_in_use(void **state)
{
	struct rtnl_route r[8];
	struct rtnl_addr a[8];
	struct delegated d;
	size_t nr, na;

	(void)state;
	nr = common(r, a, &na);
	r[nr++] = delegation("2001:db8:200::", 64);
	r[nr++] = route("2001:db8:200::", 64, RTN_UNICAST, RTPROT_KERNEL,
			DOWNLINK, 256);
	a[na++] = addr("2001:db8:200::1", 64, DOWNLINK);
	assert_true(delegated_find(r, nr, a, na, NULL, &d));
	assert_a6(&d.subnet, "2001:db8:200::");
	assert_int_equal(d.link, DOWNLINK);
}

/* Routes that are not a delegation. */
static void
test_not_delegated(void **state)
{
	struct rtnl_route r[16], v4;
	struct rtnl_addr a[8];
	struct delegated d;
	size_t nr, na;

	(void)state;
	nr = common(r, a, &na);
	assert_false(delegated_find(r, nr, a, na, NULL, &d));
	/* an administrator's, not a DHCP client's */
	r[nr++] = route("2001:db8:300::", 48, RTN_UNREACHABLE, RTPROT_STATIC,
			LO, 1024);
	r[nr++] = route("2001:db8:301::", 48, RTN_BLACKHOLE, RTPROT_BOOT, LO,
			1024);
	/* too long, too short */
	r[nr++] = route("2001:db8:302::", 72, RTN_UNREACHABLE, RTPROT_DHCP, LO,
			1024);
	r[nr++] = route("2000::", 16, RTN_UNREACHABLE, RTPROT_DHCP, LO, 1024);
	/* not global unicast or ULA */
	r[nr++] = route("fe80::", 64, RTN_UNREACHABLE, RTPROT_DHCP, LO, 1024);
	r[nr++] = route("ff00::", 56, RTN_UNREACHABLE, RTPROT_DHCP, LO, 1024);
	/* a plain route of the DHCP client's */
	r[nr++] = route("2001:db8:303::", 56, RTN_UNICAST, RTPROT_DHCP, UPLINK,
			1024);
	/* another table */
	r[nr] = route("2001:db8:304::", 56, RTN_UNREACHABLE, RTPROT_DHCP, LO,
		      1024);
	r[nr++].table = 100;
	/* IPv4 */
	memset(&v4, 0, sizeof(v4));
	v4.family = AF_INET;
	v4.dst[0] = 10;
	v4.dst_len = 48 - 16;
	v4.type = RTN_UNREACHABLE;
	v4.protocol = RTPROT_DHCP;
	v4.table = RT_TABLE_MAIN;
	r[nr++] = v4;
	assert_false(delegated_find(r, nr, a, na, NULL, &d));
	/* a ULA one is */
	r[nr++] = route("fd00:1:2::", 48, RTN_PROHIBIT, RTPROT_DHCP, LO, 1024);
	assert_true(delegated_find(r, nr, a, na, NULL, &d));
	assert_a6(&d.subnet, "fd00:1:2:ffff::");
}

/* Several: the lowest metric, then the lowest prefix. */
static void
test_several(void **state)
{
	struct rtnl_route r[8];
	struct rtnl_addr a[8];
	struct delegated d;
	size_t nr, na;

	(void)state;
	nr = common(r, a, &na);
	r[nr++] = delegation("2001:db8:500::", 56);
	r[nr++] = delegation("2001:db8:400::", 56);
	r[nr++] = route("2001:db8:300::", 56, RTN_UNREACHABLE, RTPROT_DHCP, LO,
			1002);
	assert_true(delegated_find(r, nr, a, na, NULL, &d));
	assert_a6(&d.prefix.addr, "2001:db8:400::");
}

/* clat-v6-prefix: taken as it is, with or without a route. */
static void
test_configured(void **state)
{
	struct xlat_prefix6 p = {.len = 48};
	struct rtnl_route r[8];
	struct rtnl_addr a[8];
	struct delegated d;
	size_t nr, na;

	(void)state;
	inet_pton(AF_INET6, "2001:db8:600::", &p.addr);
	nr = common(r, a, &na);
	r[nr++] = delegation("2001:db8:100::", 56);
	a[na++] = addr("2001:db8:600:ffff::5", 64, DOWNLINK);
	assert_true(delegated_find(r, nr, a, na, &p, &d));
	assert_true(d.configured);
	assert_a6(&d.prefix.addr, "2001:db8:600::");
	assert_a6(&d.subnet, "2001:db8:600:fffe::");
	p.len = 64;
	inet_pton(AF_INET6, "2001:db8:700:1::", &p.addr);
	assert_true(delegated_find(r, nr, a, na, &p, &d));
	assert_a6(&d.subnet, "2001:db8:700:1::");
}

/* The CLAT address: in the /64, checksum-neutral, stable, and not an
 * address the host has. */
static void
test_clat_addr(void **state)
{
	static const uint8_t secret[CLAT_SECRET_LEN] = {1, 2, 3};
	struct xlat_prefix6 plat = {.len = 96};
	struct in_addr v4 = {htonl(0xc0000001)};
	struct rtnl_route r[8];
	struct rtnl_addr a[8];
	struct in6_addr x, y;
	struct delegated d;
	size_t nr, na;

	(void)state;
	inet_pton(AF_INET6, "2001:db8:64::", &plat.addr);
	nr = common(r, a, &na);
	r[nr++] = delegation("2001:db8:100::", 64);
	assert_true(delegated_find(r, nr, a, na, NULL, &d));
	delegated_clat_addr(&d, secret, "up0", 0, &v4, &plat, &x);
	assert_memory_equal(x.s6_addr, d.subnet.s6_addr, 8);
	assert_true(clat_addr_is_neutral(&x, &v4, &plat));
	delegated_clat_addr(&d, secret, "up0", 0, &v4, &plat, &y);
	assert_memory_equal(&x, &y, 16);
	/* the host takes that very address: another one */
	a[na] = addr("::", 64, DOWNLINK);
	memcpy(a[na++].addr, &x, 16);
	assert_true(delegated_find(r, nr, a, na, NULL, &d));
	delegated_clat_addr(&d, secret, "up0", 0, &v4, &plat, &y);
	assert_memory_not_equal(&x, &y, 16);
	assert_memory_equal(y.s6_addr, d.subnet.s6_addr, 8);
	/* the next DAD counter: another one too */
	assert_true(delegated_find(r, nr, a, na - 1, NULL, &d));
	delegated_clat_addr(&d, secret, "up0", 1, &v4, &plat, &y);
	assert_memory_not_equal(&x, &y, 16);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dhcpcd_alone),
		cmocka_unit_test(test_dhcpcd_downstream),
		cmocka_unit_test(test_single_64_in_use),
		cmocka_unit_test(test_not_delegated),
		cmocka_unit_test(test_several),
		cmocka_unit_test(test_configured),
		cmocka_unit_test(test_clat_addr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
