/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * src/xlat/ratelimit.c and its use in gen.c: the ICMP errors the core
 * makes keep to icmp_error_rate a second (RFC 4443 §2.4(f), RFC 1812
 * §4.3.2.8). A flood of packets that each call for an error gets at most
 * the bucket's worth at once, then the rate; the rest is counted as held
 * back, per direction.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "run.h"
#include "xlat/core.h"
#include "xlatd/xlat_icmp.h"

static void
test_bucket(void **state)
{
	struct xlat_bucket b = {0};
	unsigned i, n = 0;

	(void)state;
	/* full at first: 10 at once, then nothing at the same time */
	for (i = 0; i < 20; i++)
		n += xlat_bucket_take(&b, 10, 5000);
	assert_int_equal(n, 10);
	/* 100 ms bring one more, 50 ms half of one */
	assert_true(xlat_bucket_take(&b, 10, 5100));
	assert_false(xlat_bucket_take(&b, 10, 5150));
	assert_true(xlat_bucket_take(&b, 10, 5200));
	/* a clock that goes back gives nothing */
	assert_false(xlat_bucket_take(&b, 10, 4000));
	/* a long pause fills it to the top, not beyond */
	for (i = 0, n = 0; i < 20; i++)
		n += xlat_bucket_take(&b, 10, 900000);
	assert_int_equal(n, 10);
}

static void
test_no_limit(void **state)
{
	struct xlat_bucket b = {0};
	unsigned i;

	(void)state;
	for (i = 0; i < 100000; i++)
		assert_true(xlat_bucket_take(&b, 0, 0));
}

/* Packets that the core answers with an error: TTL 1 in IPv4, hop
 * limit 1 in IPv6. Returns how many errors came out of n of them. */
static unsigned
flood(const struct xlat_cfg *cfg, struct xlat_ctx *ctx, int family, unsigned n)
{
	static struct pkt in;
	unsigned i, errors = 0;

	for (i = 0; i < n; i++) {
		if (family == 4)
			pkt_ipv4(&in, "192.0.0.2", "198.51.100.2");
		else
			pkt_ipv6(&in, "2001:db8:64::c633:6402",
				 "2001:db8:aaaa::2");
		pkt_ttl(&in, 1);
		pkt_udp(&in, 40000, 53);
		pkt_fill(&in, 20, i);
		pkt_finish(&in);
		errors += run_xlat(cfg, ctx, &in);
	}
	return errors;
}

static void
test_flood(void **state)
{
	static struct xlat_cfg cfg;
	static struct xlat_ctx ctx;

	(void)state;
	run_cfg(&cfg, "2001:db8:64::/96");
	cfg.icmp_error_rate = 5;
	xlat_ctx_init(&ctx, 1);
	ctx.now_ms = 1000;
	assert_int_equal(flood(&cfg, &ctx, 4, 1000), 5);
	assert_int_equal(ctx.stats.icmp_generated[XLAT_DIR_46], 5);
	assert_int_equal(ctx.stats.icmp_suppressed[XLAT_DIR_46], 995);
	assert_int_equal(ctx.stats.drops[XLAT_DROP_TTL_EXPIRED], 1000);
	/* one bucket for both directions */
	assert_int_equal(flood(&cfg, &ctx, 6, 10), 0);
	assert_int_equal(ctx.stats.icmp_suppressed[XLAT_DIR_64], 10);
	/* two seconds later: the bucket is full again, not fuller */
	ctx.now_ms += 2000;
	assert_int_equal(flood(&cfg, &ctx, 6, 1000), 5);
	assert_int_equal(ctx.stats.icmp_generated[XLAT_DIR_64], 5);
	assert_int_equal(ctx.stats.icmp_suppressed[XLAT_DIR_64], 1005);
	/* 400 ms: two more */
	ctx.now_ms += 400;
	assert_int_equal(flood(&cfg, &ctx, 4, 1000), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bucket),
		cmocka_unit_test(test_no_limit),
		cmocka_unit_test(test_flood),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
