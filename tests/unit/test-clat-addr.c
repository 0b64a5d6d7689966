/* SPDX-License-Identifier: BSD-2-Clause */
/* src/daemon/clat_addr.c and siphash.c: RFC 7217 §5 stable interface
 * identifiers, checksum neutrality checked by translating real packets
 * with the core, RFC 5453 reserved IIDs, RFC 6724 prefix choice. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/clat_addr.h"
#include "daemon/siphash.h"
#include "run.h"

static const uint8_t secret[CLAT_SECRET_LEN] = {
	0x6b, 0x1f, 0x52, 0x09, 0xe4, 0x77, 0x3a, 0xc0,
	0x91, 0x2d, 0x48, 0xbe, 0x05, 0xf3, 0x6a, 0x1c,
};

static struct in6_addr
addr6(const char *s)
{
	struct in6_addr a;

	pkt_addr6(s, a.s6_addr);
	return a;
}

static struct in_addr
addr4(const char *s)
{
	struct in_addr a;

	pkt_addr4(s, (uint8_t *)&a.s_addr);
	return a;
}

static void
make(const char *prefix, const char *ifname, unsigned counter, const char *plat,
     const struct in6_addr *avoid, unsigned n_avoid, struct in6_addr *out)
{
	struct in6_addr p = addr6(prefix);
	struct in_addr v4 = addr4("192.0.0.1");
	struct xlat_prefix6 pl = pkt_prefix6(plat);

	clat_addr_make(secret, &p, ifname, counter, &v4, &pl, avoid, n_avoid,
		       out);
}

/* The reference vectors of the SipHash paper (Appendix A) and of its
 * reference implementation: key 00..0f, message 00..(n-1). */
static void
test_siphash_vectors(void **state)
{
	uint8_t key[16], msg[64];
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)i;
	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)i;
	assert_true(siphash_2_4(key, msg, 15) == 0xa129ca6149be45e5ULL);
	assert_true(siphash_2_4(key, msg, 0) == 0x726fdb47dd0e0e31ULL);
	assert_true(siphash_2_4(key, msg, 8) == 0x93f5f5799a932462ULL);
}

/* RFC 7217 §5: the same inputs give the same address; changing the
 * prefix, the interface, the DAD counter or the secret changes it. */
static void
test_stable(void **state)
{
	struct in6_addr a, b, p = addr6("2001:db8:1:2::");
	struct in_addr v4 = addr4("192.0.0.1");
	struct xlat_prefix6 pl = pkt_prefix6("2001:db8:64::/96");
	uint8_t other[CLAT_SECRET_LEN];

	(void)state;
	make("2001:db8:1:2::", "eth0", 0, "2001:db8:64::/96", NULL, 0, &a);
	make("2001:db8:1:2::", "eth0", 0, "2001:db8:64::/96", NULL, 0, &b);
	assert_memory_equal(&a, &b, 16);
	assert_memory_equal(a.s6_addr, p.s6_addr, 8); /* in the /64 */
	/* bits past /64 in the prefix argument are ignored */
	make("2001:db8:1:2:ffff::1", "eth0", 0, "2001:db8:64::/96", NULL, 0,
	     &b);
	assert_memory_equal(&a, &b, 16);

	make("2001:db8:1:3::", "eth0", 0, "2001:db8:64::/96", NULL, 0, &b);
	assert_memory_not_equal(a.s6_addr + 8, b.s6_addr + 8, 8);
	make("2001:db8:1:2::", "eth1", 0, "2001:db8:64::/96", NULL, 0, &b);
	assert_memory_not_equal(a.s6_addr + 8, b.s6_addr + 8, 8);
	make("2001:db8:1:2::", "eth0", 1, "2001:db8:64::/96", NULL, 0, &b);
	assert_memory_not_equal(a.s6_addr + 8, b.s6_addr + 8, 8);
	memcpy(other, secret, sizeof(other));
	other[0] ^= 1;
	clat_addr_make(other, &p, "eth0", 0, &v4, &pl, NULL, 0, &b);
	assert_memory_not_equal(a.s6_addr + 8, b.s6_addr + 8, 8);
}

/* Only the last word depends on the PLAT prefix; the RID is the same. */
static void
test_plat_changes_last_word_only(void **state)
{
	struct in6_addr a, b;

	(void)state;
	make("2001:db8:1:2::", "eth0", 0, "2001:db8:64::/96", NULL, 0, &a);
	make("2001:db8:1:2::", "eth0", 0, "64:ff9b::/96", NULL, 0, &b);
	assert_memory_equal(a.s6_addr, b.s6_addr, 14);
}

/* RFC 5453 and the IANA registry it set up. */
static void
test_reserved_iids(void **state)
{
	static const struct {
		const char *a;
		bool reserved;
	} t[] = {
		{"2001:db8::", true}, /* subnet-router anycast */
		{"2001:db8::1", false},
		{"2001:db8::200:5eff:fe00:0", true},
		{"2001:db8::200:5eff:fe00:5213", true}, /* RFC 6543 */
		{"2001:db8::200:5eff:feff:ffff", true},
		{"2001:db8::200:5eff:ff00:0", false},
		{"2001:db8::200:5efe:c000:201", false}, /* ISATAP-like */
		{"2001:db8::fdff:ffff:ffff:ff7f", false},
		{"2001:db8::fdff:ffff:ffff:ff80", true}, /* RFC 2526 */
		{"2001:db8::fdff:ffff:ffff:fffe", true}, /* Mobile IPv6 HA */
		{"2001:db8::fdff:ffff:ffff:ffff", true},
	};
	struct in6_addr a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		a = addr6(t[i].a);
		if (clat_addr_iid_reserved(&a) != t[i].reserved)
			fail_msg("%s: reserved should be %d", t[i].a,
				 t[i].reserved);
	}
}

/* Many secrets: never a reserved IID, always neutral. */
static void
test_many_secrets(void **state)
{
	struct in6_addr p = addr6("2001:db8:1:2::"), a;
	struct in_addr v4 = addr4("192.0.0.1");
	struct xlat_prefix6 pl = pkt_prefix6("2001:db8:64::/96");
	uint8_t s[CLAT_SECRET_LEN];
	unsigned i, j;

	(void)state;
	srandom(7217);
	for (i = 0; i < 20000; i++) {
		for (j = 0; j < sizeof(s); j++)
			s[j] = (uint8_t)random();
		clat_addr_make(s, &p, "wlan0", i, &v4, &pl, NULL, 0, &a);
		assert_false(clat_addr_iid_reserved(&a));
		assert_true(clat_addr_is_neutral(&a, &v4, &pl));
	}
}

/* RFC 7217 §5: an IID already used on the interface is never chosen;
 * the next one is just as stable. */
static void
test_avoid(void **state)
{
	struct in6_addr a, b, c, avoid[3], again;

	(void)state;
	make("2001:db8:1:2::", "eth0", 0, "2001:db8:64::/96", NULL, 0, &a);
	avoid[0] = addr6("2001:db8:1:2::1234");
	avoid[1] = a;
	make("2001:db8:1:2::", "eth0", 0, "2001:db8:64::/96", avoid, 2, &b);
	assert_memory_not_equal(&a, &b, 16);
	assert_memory_equal(a.s6_addr, b.s6_addr, 8);
	make("2001:db8:1:2::", "eth0", 0, "2001:db8:64::/96", avoid, 2, &again);
	assert_memory_equal(&b, &again, 16);
	/* the same IID under another prefix counts as used too */
	avoid[2] = b;
	memset(avoid[2].s6_addr, 0, 8);
	make("2001:db8:1:2::", "eth0", 0, "2001:db8:64::/96", avoid, 3, &c);
	assert_memory_not_equal(&c, &a, 16);
	assert_memory_not_equal(&c, &b, 16);
}

/* Translate UDP and TCP 192.0.0.1 -> dst with EAM 192.0.0.1 <-> clat6
 * and pool6 plat, and back; true when the checksum field came through
 * unchanged both ways. */
static bool
same_checksum(const struct in6_addr *clat6, const char *plat, const char *dst,
	      uint8_t proto)
{
	static struct xlat_ctx ctx;
	static struct pkt in, out, back;
	struct xlat_prefix6 p6 = {.addr = *clat6, .len = 128};
	struct xlat_prefix4 p4 = pkt_prefix4("192.0.0.1/32");
	struct xlat_cfg cfg;
	size_t off = proto == PKT_UDP ? 6 : 16; /* checksum field */
	bool same;

	xlat_cfg_init(&cfg);
	cfg.has_pool6 = true;
	cfg.pool6 = pkt_prefix6(plat);
	assert_true(xlat_eam_add(&cfg, &p6, &p4));
	xlat_ctx_init(&ctx, 1);

	pkt_ipv4(&in, "192.0.0.1", dst);
	if (proto == PKT_UDP)
		pkt_udp(&in, 40000, 53);
	else
		pkt_tcp(&in, 40000, 443);
	pkt_fill(&in, 100, 42);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.family, 6);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
	same = memcmp(in.b + 20 + off, out.b + 40 + off, 2) == 0;

	assert_int_equal(run_xlat(&cfg, &ctx, &out), 1);
	run_out(&ctx, 0, &back);
	assert_int_equal(back.family, 4);
	assert_memory_equal(back.b + 12, in.b + 12, 8); /* addresses */
	return same && memcmp(in.b + 20 + off, back.b + 20 + off, 2) == 0;
}

static void
random_v4(char *buf, size_t len)
{
	snprintf(buf, len, "%ld.%ld.%ld.%ld", 1 + random() % 223,
		 random() % 256, random() % 256, 1 + random() % 254);
}

/* Neutral for every destination with /96 and /32 PLAT prefixes. */
static void
test_neutral_exact(void **state)
{
	static const char *plats[] = {"2001:db8:64::/96", "64:ff9b::/96",
				      "2001:db8::/32", "2001:db9::/32"};
	struct in_addr v4 = addr4("192.0.0.1");
	struct xlat_prefix6 pl;
	struct in6_addr a;
	char dst[32];
	size_t i;
	unsigned k;

	(void)state;
	srandom(6052);
	for (i = 0; i < sizeof(plats) / sizeof(plats[0]); i++) {
		pl = pkt_prefix6(plats[i]);
		for (k = 0; k < 8; k++) {
			make("2001:db8:1:2::", "eth0", k, plats[i], NULL, 0,
			     &a);
			assert_true(clat_addr_is_neutral(&a, &v4, &pl));
			random_v4(dst, sizeof(dst));
			if (!same_checksum(&a, plats[i], dst, PKT_UDP) ||
			    !same_checksum(&a, plats[i], dst, PKT_TCP))
				fail_msg("%s, %s: checksum changed", plats[i],
					 dst);
		}
	}
}

/* With /40 to /64 the IPv4 bytes straddle word boundaries: the address
 * is neutral by the definition but the checksum follows the destination
 * for most destinations. */
static void
test_neutral_approximate(void **state)
{
	static const char *plats[] = {"2001:db8:100::/40", "2001:db8:122::/48",
				      "2001:db8:122:300::/56",
				      "2001:db8:122:344::/64"};
	struct in_addr v4 = addr4("192.0.0.1");
	struct xlat_prefix6 pl;
	struct in6_addr a;
	char dst[32];
	unsigned k, changed;
	size_t i;

	(void)state;
	srandom(1624);
	for (i = 0; i < sizeof(plats) / sizeof(plats[0]); i++) {
		pl = pkt_prefix6(plats[i]);
		make("2001:db8:1:2::", "eth0", 0, plats[i], NULL, 0, &a);
		assert_true(clat_addr_is_neutral(&a, &v4, &pl));
		for (k = changed = 0; k < 16; k++) {
			random_v4(dst, sizeof(dst));
			changed += !same_checksum(&a, plats[i], dst, PKT_UDP);
		}
		assert_true(changed > 0);
	}
}

static void
test_not_neutral(void **state)
{
	struct in_addr v4 = addr4("192.0.0.1");
	struct xlat_prefix6 pl = pkt_prefix6("2001:db8:64::/96");
	struct in6_addr a;

	(void)state;
	make("2001:db8:1:2::", "eth0", 0, "2001:db8:64::/96", NULL, 0, &a);
	a.s6_addr[15] ^= 1;
	assert_false(clat_addr_is_neutral(&a, &v4, &pl));
	a = addr6("2001:db8:1:2::1");
	assert_false(clat_addr_is_neutral(&a, &v4, &pl));
}

static int
pick(const char *plat, const char **cands, unsigned n)
{
	struct in6_addr c[8];
	struct xlat_prefix6 pl = pkt_prefix6(plat);
	unsigned i;

	for (i = 0; i < n; i++)
		c[i] = addr6(cands[i]);
	return clat_addr_pick_prefix(c, n, &pl);
}

/* RFC 6724 rule 6 (same label) before rule 8 (longest match). */
static void
test_pick_prefix(void **state)
{
	const char *ula_gua[] = {"fd00:1:2:3::", "2001:db8:1:2::"};
	const char *gua_ula[] = {"2001:db8:1:2::", "fd64:1:2:3::"};
	const char *longest[] = {"2001:db8:ffff::", "2001:db8:64:1::",
				 "2001:db8:6400::", "2a00::"};
	const char *ties[] = {"2001:db8:1::", "2001:db8:2::"};
	const char *unusable[] = {"fe80::", "ff02::", "::", "::1"};
	const char *ll_ula[] = {"fe80::", "fd00::"};

	(void)state;
	assert_int_equal(pick("64:ff9b::/96", NULL, 0), -1);
	assert_int_equal(pick("64:ff9b::/96", unusable, 4), -1);
	/* a global PLAT prefix: GUA over ULA, whatever the order */
	assert_int_equal(pick("64:ff9b::/96", ula_gua, 2), 1);
	assert_int_equal(pick("2001:db8:64::/96", gua_ula, 2), 0);
	/* a ULA PLAT prefix: ULA over GUA, even a longer-matching GUA */
	assert_int_equal(pick("fd64::/96", ula_gua, 2), 0);
	assert_int_equal(pick("fd00:1:2::/96", gua_ula, 2), 1);
	/* rule 8 among GUAs */
	assert_int_equal(pick("2001:db8:64::/96", longest, 4), 1);
	assert_int_equal(pick("2a00:1::/96", longest, 4), 3);
	/* equal: the first */
	assert_int_equal(pick("2001:db8:64::/96", ties, 2), 0);
	/* a ULA rather than nothing */
	assert_int_equal(pick("64:ff9b::/96", ll_ula, 2), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_siphash_vectors),
		cmocka_unit_test(test_stable),
		cmocka_unit_test(test_plat_changes_last_word_only),
		cmocka_unit_test(test_reserved_iids),
		cmocka_unit_test(test_many_secrets),
		cmocka_unit_test(test_avoid),
		cmocka_unit_test(test_neutral_exact),
		cmocka_unit_test(test_neutral_approximate),
		cmocka_unit_test(test_not_neutral),
		cmocka_unit_test(test_pick_prefix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
