/* SPDX-License-Identifier: BSD-2-Clause */
/* src/siit/ratelimit.c: the token bucket. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "siit/ratelimit.h"

static void
test_bucket(void **state)
{
	struct ratelimit r;
	unsigned i, n = 0;

	(void)state;
	ratelimit_init(&r, 100, 10);
	/* the burst at once, then nothing */
	for (i = 0; i < 20; i++)
		n += ratelimit_take(&r, 1000);
	assert_int_equal(n, 10);
	assert_int_equal(r.refused, 10);
	/* 100 a second: one per 10 ms */
	assert_false(ratelimit_take(&r, 1009));
	assert_true(ratelimit_take(&r, 1010));
	assert_false(ratelimit_take(&r, 1010));
	/* over a second, 100 and no more */
	for (n = 0, i = 1; i <= 1000; i++)
		n += ratelimit_take(&r, 1010 + i);
	assert_int_equal(n, 100);
	/* a long pause fills it to the burst, not beyond */
	for (n = 0, i = 0; i < 50; i++)
		n += ratelimit_take(&r, 1000000);
	assert_int_equal(n, 10);
	/* time going back takes nothing away */
	assert_false(ratelimit_take(&r, 5));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bucket),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
