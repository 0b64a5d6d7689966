/* SPDX-License-Identifier: BSD-2-Clause */
/* src/daemon/dad_nd.c: DAD's NS and the optimistic NA as bytes, and what
 * an incoming NS or NA means for the address (RFC 4861, RFC 4862 §5.4,
 * RFC 7527, RFC 4429 §3.3). */
#include <arpa/inet.h>
#include <netinet/icmp6.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/dad_nd.h"

#define TARGET "2001:db8:d::c1a7"
#define GROUP "ff02::1:ff00:c1a7"
#define ROUTER "fe80::1"

static const uint8_t nonce[6] = {1, 2, 3, 4, 5, 6};
static const uint8_t router_mac[6] = {2, 0, 0, 0, 1, 1};
static const uint8_t own_mac[6] = {2, 0, 0, 0, 1, 2};

static struct in6_addr
a6(const char *s)
{
	struct in6_addr a;

	assert_int_equal(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

static struct dad_nd
nd_for_target(void)
{
	struct in6_addr t = a6(TARGET);
	struct dad_nd nd;

	dad_nd_init(&nd, &t, nonce);
	return nd;
}

/* 0xffff when the ICMPv6 checksum of an IPv6 packet is right. */
static unsigned
sum_ok(const uint8_t *p, size_t len)
{
	unsigned sum = 0;
	size_t i;

	for (i = 8; i < 40; i += 2) /* source and destination */
		sum += (unsigned)(p[i] << 8 | p[i + 1]);
	sum += (unsigned)(len - 40) + IPPROTO_ICMPV6;
	for (i = 40; i + 1 < len; i += 2)
		sum += (unsigned)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

static void
test_ns(void **state)
{
	struct in6_addr t = a6(TARGET), g = a6(GROUP), zero = {0};
	struct dad_nd nd = nd_for_target();
	uint8_t p[DAD_ND_NS_LEN];

	(void)state;
	assert_memory_equal(&nd.group, &g, 16); /* RFC 4291 §2.7.1 */
	dad_nd_build_ns(&nd, p);
	assert_int_equal(p[0] >> 4, 6);
	assert_int_equal(p[4] << 8 | p[5], 32);
	assert_int_equal(p[6], IPPROTO_ICMPV6);
	assert_int_equal(p[7], 255);
	assert_memory_equal(p + 8, &zero, 16);
	assert_memory_equal(p + 24, &g, 16);
	assert_int_equal(p[40], ND_NEIGHBOR_SOLICIT);
	assert_memory_equal(p + 48, &t, 16);
	assert_int_equal(p[64], 14); /* Nonce, and no SLLAO from :: */
	assert_int_equal(p[65], 1);
	assert_memory_equal(p + 66, nonce, 6);
	assert_int_equal(sum_ok(p, sizeof(p)), 0xffff);
}

/* RFC 4429 §3.3: the optimistic answer has Override clear. */
static void
test_na(void **state)
{
	struct in6_addr t = a6(TARGET), r = a6(ROUTER);
	struct dad_nd nd = nd_for_target();
	uint8_t p[DAD_ND_NA_LEN];

	(void)state;
	dad_nd_build_na(&nd, &r, own_mac, p);
	assert_int_equal(p[7], 255);
	assert_memory_equal(p + 8, &t, 16); /* from the address itself */
	assert_memory_equal(p + 24, &r, 16);
	assert_int_equal(p[40], ND_NEIGHBOR_ADVERT);
	assert_int_equal(p[41], 0);
	assert_int_equal(p[44], 0x40); /* S only: not R, not O */
	assert_memory_equal(p + 48, &t, 16);
	assert_int_equal(p[64], ND_OPT_TARGET_LINKADDR);
	assert_int_equal(p[65], 1);
	assert_memory_equal(p + 66, own_mac, 6);
	assert_int_equal(sum_ok(p, sizeof(p)), 0xffff);
}

/* An NS or NA for the target, from src to dst, with options. */
struct msg {
	uint8_t b[128];
	size_t len;
};

static void
build(struct msg *m, uint8_t type, const char *target)
{
	struct in6_addr t = a6(target);

	memset(m, 0, sizeof(*m));
	m->b[0] = type;
	memcpy(m->b + 8, &t, 16);
	m->len = 24;
}

static void
add_opt(struct msg *m, uint8_t type, const uint8_t *data, size_t units)
{
	m->b[m->len] = type;
	m->b[m->len + 1] = (uint8_t)units;
	if (data != NULL)
		memcpy(m->b + m->len + 2, data, units * 8 - 2);
	m->len += units * 8;
}

static enum dad_nd_verdict
verdict(const struct msg *m, const char *src, const char *dst, bool opt,
	uint8_t sllao[6])
{
	struct dad_nd nd = nd_for_target();
	struct dad_nd_rx rx = {.msg = m->b, .len = m->len};
	enum dad_nd_verdict v;

	rx.src = a6(src);
	rx.dst = a6(dst);
	v = dad_nd_classify(&nd, &rx, opt);
	if (sllao != NULL)
		memcpy(sllao, rx.sllao, 6);
	return v;
}

static void
test_na_verdicts(void **state)
{
	struct msg m;

	(void)state;
	/* RFC 4862 §5.4.4: an NA for the address: someone has it */
	build(&m, ND_NEIGHBOR_ADVERT, TARGET);
	assert_int_equal(verdict(&m, "fe80::9", "ff02::1", false, NULL),
			 DAD_ND_DUPLICATE);
	assert_int_equal(verdict(&m, "fe80::9", "ff02::1", true, NULL),
			 DAD_ND_DUPLICATE);
	/* RFC 4861 §7.1.2: a solicited NA to a multicast group is invalid */
	m.b[4] = 0x40;
	assert_int_equal(verdict(&m, "fe80::9", "ff02::1", false, NULL),
			 DAD_ND_IGNORE);
	assert_int_equal(verdict(&m, "fe80::9", TARGET, false, NULL),
			 DAD_ND_DUPLICATE);
	build(&m, ND_NEIGHBOR_ADVERT, "2001:db8:d::99");
	assert_int_equal(verdict(&m, "fe80::9", "ff02::1", false, NULL),
			 DAD_ND_IGNORE);
}

static void
test_ns_verdicts(void **state)
{
	static const uint8_t other_nonce[6] = {9, 9, 9, 9, 9, 9};
	uint8_t sllao[6];
	struct msg m;

	(void)state;
	/* RFC 4862 §5.4.3: another node's DAD for the same address */
	build(&m, ND_NEIGHBOR_SOLICIT, TARGET);
	add_opt(&m, 14, other_nonce, 1);
	assert_int_equal(verdict(&m, "::", GROUP, false, NULL),
			 DAD_ND_DUPLICATE);
	/* RFC 4429 §3.3: not answered while optimistic either */
	assert_int_equal(verdict(&m, "::", GROUP, true, NULL),
			 DAD_ND_DUPLICATE);
	/* not to the solicited-node group */
	assert_int_equal(verdict(&m, "::", "ff02::1", false, NULL),
			 DAD_ND_IGNORE);
	/* RFC 7527 §4.2: our own probe, looped back */
	build(&m, ND_NEIGHBOR_SOLICIT, TARGET);
	add_opt(&m, 14, nonce, 1);
	assert_int_equal(verdict(&m, "::", GROUP, true, NULL), DAD_ND_IGNORE);
	/* RFC 4861 §7.1.1: from :: there is no SLLAO */
	build(&m, ND_NEIGHBOR_SOLICIT, TARGET);
	add_opt(&m, ND_OPT_SOURCE_LINKADDR, router_mac, 1);
	assert_int_equal(verdict(&m, "::", GROUP, false, NULL), DAD_ND_IGNORE);
	/* address resolution: ignored while tentative, answered while
	 * optimistic, to the SLLAO */
	assert_int_equal(verdict(&m, ROUTER, GROUP, false, NULL),
			 DAD_ND_IGNORE);
	memset(sllao, 0, sizeof(sllao));
	assert_int_equal(verdict(&m, ROUTER, GROUP, true, sllao),
			 DAD_ND_ANSWER);
	assert_memory_equal(sllao, router_mac, 6);
	/* ... but not without an SLLAO (nowhere to send it) */
	build(&m, ND_NEIGHBOR_SOLICIT, TARGET);
	assert_int_equal(verdict(&m, ROUTER, TARGET, true, NULL),
			 DAD_ND_IGNORE);
	/* another target */
	build(&m, ND_NEIGHBOR_SOLICIT, "2001:db8:d::99");
	add_opt(&m, ND_OPT_SOURCE_LINKADDR, router_mac, 1);
	assert_int_equal(verdict(&m, ROUTER, GROUP, true, NULL), DAD_ND_IGNORE);
}

/* Malformed: ignored. */
static void
test_malformed(void **state)
{
	struct msg m;

	(void)state;
	build(&m, ND_NEIGHBOR_ADVERT, TARGET);
	m.b[1] = 1; /* code */
	assert_int_equal(verdict(&m, "fe80::9", "ff02::1", false, NULL),
			 DAD_ND_IGNORE);
	build(&m, ND_NEIGHBOR_ADVERT, TARGET);
	add_opt(&m, 99, NULL, 1);
	m.b[m.len - 7] = 0; /* an option of length 0 */
	assert_int_equal(verdict(&m, "fe80::9", "ff02::1", false, NULL),
			 DAD_ND_IGNORE);
	build(&m, ND_NEIGHBOR_ADVERT, TARGET);
	add_opt(&m, 99, NULL, 1);
	m.len -= 2; /* the option runs past the end */
	assert_int_equal(verdict(&m, "fe80::9", "ff02::1", false, NULL),
			 DAD_ND_IGNORE);
	build(&m, ND_NEIGHBOR_ADVERT, TARGET);
	m.len = 23;
	assert_int_equal(verdict(&m, "fe80::9", "ff02::1", false, NULL),
			 DAD_ND_IGNORE);
	build(&m, ND_ROUTER_ADVERT, TARGET);
	assert_int_equal(verdict(&m, "fe80::9", "ff02::1", false, NULL),
			 DAD_ND_IGNORE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ns),
		cmocka_unit_test(test_na),
		cmocka_unit_test(test_na_verdicts),
		cmocka_unit_test(test_ns_verdicts),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
