/* SPDX-License-Identifier: BSD-2-Clause */
/* src/daemon/pref64.c: RFC 8781 §4 PREF64 options in a run of ND
 * options (RFC 4861 §4.6). */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/pref64.h"

/* A PREF64 option: Scaled Lifetime (13 bits) and PLC (3 bits), then the
 * first 96 bits of the prefix. */
static void
put_pref64(uint8_t *opt, unsigned scaled, unsigned plc, const char *prefix)
{
	struct in6_addr a;
	uint16_t word = (uint16_t)(scaled << 3 | plc);

	assert_int_equal(inet_pton(AF_INET6, prefix, &a), 1);
	opt[0] = ND_OPT_PREF64;
	opt[1] = 2;
	opt[2] = (uint8_t)(word >> 8);
	opt[3] = (uint8_t)word;
	memcpy(opt + 4, a.s6_addr, 12);
}

static void
assert_prefix(const struct pref64 *p, const char *want, unsigned len)
{
	char got[INET6_ADDRSTRLEN];
	struct in6_addr w;

	assert_int_equal(inet_pton(AF_INET6, want, &w), 1);
	inet_ntop(AF_INET6, &p->prefix.addr, got, sizeof(got));
	if (memcmp(&w, &p->prefix.addr, 16) != 0 || p->prefix.len != len)
		fail_msg("got %s/%u, want %s/%u", got, p->prefix.len, want,
			 len);
}

/* RFC 8781 §4, Table 1; the bits past the length are not the prefix's
 * (bits 64-71, the u-octet, are zero: RFC 6052 §2.2). */
static void
test_all_plcs(void **state)
{
	static const struct {
		unsigned plc, len;
		const char *want;
	} t[] = {
		{0, 96, "2001:db8:122:344:ff:ffff::"},
		{1, 64, "2001:db8:122:344::"},
		{2, 56, "2001:db8:122:300::"},
		{3, 48, "2001:db8:122::"},
		{4, 40, "2001:db8:100::"},
		{5, 32, "2001:db8::"},
	};
	uint8_t opt[16];
	struct pref64 p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		put_pref64(opt, 225, t[i].plc, "2001:db8:122:344:ff:ffff::");
		assert_true(pref64_parse(opt, sizeof(opt), &p));
		assert_prefix(&p, t[i].want, t[i].len);
		assert_int_equal(p.lifetime, 1800);
	}
}

static void
test_well_known_prefix(void **state)
{
	uint8_t opt[16];
	struct pref64 p;

	(void)state;
	put_pref64(opt, 75, 0, "64:ff9b::");
	assert_true(pref64_parse(opt, sizeof(opt), &p));
	assert_prefix(&p, "64:ff9b::", 96);
	assert_int_equal(p.lifetime, 600);
}

/* Scaled Lifetime: units of 8 seconds, 13 bits; 0 withdraws the prefix. */
static void
test_lifetime(void **state)
{
	static const unsigned scaled[] = {0, 1, 2, 0x1000, 0x1fff};
	uint8_t opt[16];
	struct pref64 p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(scaled) / sizeof(scaled[0]); i++) {
		put_pref64(opt, scaled[i], 1, "2001:db8:64::");
		assert_true(pref64_parse(opt, sizeof(opt), &p));
		assert_int_equal(p.lifetime, scaled[i] * 8);
		assert_prefix(&p, "2001:db8:64::", 64);
	}
}

/* RFC 8781 §4: an invalid PLC, or a Length other than 2, means the
 * option is ignored. */
static void
test_invalid_plc(void **state)
{
	uint8_t opt[16];
	struct pref64 p;

	(void)state;
	put_pref64(opt, 100, 6, "2001:db8:64::");
	assert_false(pref64_parse(opt, sizeof(opt), &p));
	put_pref64(opt, 100, 7, "2001:db8:64::");
	assert_false(pref64_parse(opt, sizeof(opt), &p));
}

/* RFC 6052 §2.2: a /96 with bits 64-71 set embeds no IPv4 address: the
 * option is ignored, and the next one used. At /64 those bits are past
 * the prefix, and cleared. */
static void
test_u_octet(void **state)
{
	uint8_t run[32];
	struct pref64 p;

	(void)state;
	put_pref64(run, 100, 0, "2001:db8:64:0:100::");
	assert_false(pref64_parse(run, 16, &p));
	put_pref64(run + 16, 100, 0, "2001:db8:64::");
	assert_true(pref64_parse(run, sizeof(run), &p));
	assert_prefix(&p, "2001:db8:64::", 96);
	put_pref64(run, 100, 1, "2001:db8:64:0:100::");
	assert_true(pref64_parse(run, 16, &p));
	assert_prefix(&p, "2001:db8:64::", 64);
}

static void
test_wrong_length(void **state)
{
	uint8_t run[24 + 16] = {0};
	struct pref64 p;

	(void)state;
	/* a PREF64 of length 3 is skipped whole; the next one is found */
	put_pref64(run, 100, 0, "2001:db8:1::");
	run[1] = 3;
	put_pref64(run + 24, 100, 0, "2001:db8:2::");
	assert_true(pref64_parse(run, sizeof(run), &p));
	assert_prefix(&p, "2001:db8:2::", 96);
	/* alone, it yields nothing */
	assert_false(pref64_parse(run, 24, &p));
	/* a length-1 PREF64 does not have room for a prefix */
	run[1] = 1;
	assert_false(pref64_parse(run, 8, &p));
}

/* RFC 4861 §4.6: a zero Length stops the walk; nothing after it counts. */
static void
test_zero_length(void **state)
{
	uint8_t run[8 + 16] = {ND_OPT_RDNSS, 0};
	struct pref64 p;

	(void)state;
	put_pref64(run + 8, 100, 0, "2001:db8:64::");
	assert_false(pref64_parse(run, sizeof(run), &p));
}

static void
test_truncated(void **state)
{
	uint8_t run[8 + 16] = {ND_OPT_RDNSS, 1};
	struct pref64 p;
	size_t len;

	(void)state;
	put_pref64(run + 8, 100, 0, "2001:db8:64::");
	assert_true(pref64_parse(run, sizeof(run), &p));
	/* the option runs past the end of the run, by any amount */
	for (len = 0; len < sizeof(run); len++)
		assert_false(pref64_parse(run, len, &p));
	/* an option claiming more than is there */
	run[1] = 4;
	assert_false(pref64_parse(run, sizeof(run), &p));
	assert_false(pref64_parse(NULL, 0, &p));
}

/* As in a router advertisement: RDNSS first, then PREF64. */
static void
test_second_in_run(void **state)
{
	uint8_t run[24 + 16 + 16] = {ND_OPT_RDNSS, 3};
	struct pref64 p;

	(void)state;
	memset(run + 2, 0xaa, 22);
	put_pref64(run + 24, 4, 3, "2001:db8:64::");
	assert_true(pref64_parse(run, 24 + 16, &p));
	assert_prefix(&p, "2001:db8:64::", 48);
	assert_int_equal(p.lifetime, 32);
	/* an invalid PREF64, then a valid one: the valid one is found */
	put_pref64(run + 24, 4, 7, "2001:db8:1::");
	put_pref64(run + 40, 9, 5, "2001:db8:2::");
	assert_true(pref64_parse(run, sizeof(run), &p));
	assert_prefix(&p, "2001:db8::", 32);
	assert_int_equal(p.lifetime, 72);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_plcs),
		cmocka_unit_test(test_well_known_prefix),
		cmocka_unit_test(test_lifetime),
		cmocka_unit_test(test_invalid_plc),
		cmocka_unit_test(test_u_octet),
		cmocka_unit_test(test_wrong_length),
		cmocka_unit_test(test_zero_length),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_second_in_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
