/* SPDX-License-Identifier: BSD-2-Clause */
/* src/daemon/request.c: what the control socket takes as a request. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/request.h"

static int
parse(const char *s, struct request *req)
{
	return request_parse(s, strlen(s), req);
}

static void
test_requests(void **state)
{
	struct request req;

	(void)state;
	assert_int_equal(parse("status\n", &req), 1);
	assert_string_equal(req.command, "status");
	assert_string_equal(req.param, "");
	assert_int_equal(parse("stats json\nignored", &req), 1);
	assert_string_equal(req.command, "stats");
	assert_string_equal(req.param, "json");
	assert_int_equal(parse("log verbose\n", &req), 1);
	assert_string_equal(req.command, "log");
	assert_string_equal(req.param, "verbose");
	assert_int_equal(parse("log-level\n", &req), 1);
	assert_string_equal(req.command, "log-level");
}

static void
test_not_yet(void **state)
{
	struct request req;

	(void)state;
	assert_int_equal(parse("", &req), 0);
	assert_int_equal(parse("stat", &req), 0);
	assert_int_equal(parse("stats json", &req), 0);
}

static void
test_bad(void **state)
{
	static const char *const bad[] = {
		"\n",
		" status\n",
		"status \n",
		"status JSON\n",
		"status  json\n",
		"Status\n",
		"st\tat\n",
		"status json x\n",
		"stats\r\n",
		"log verbose now\n",
	};
	char line[CONTROL_REQUEST_MAX + 2];
	struct request req;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse(bad[i], &req), -1);
	/* a NUL is no letter */
	assert_int_equal(request_parse("sta\0us\n", 7, &req), -1);
	/* the longest line fits, newline included; one more does not */
	memset(line, 'a', sizeof(line));
	line[CONTROL_REQUEST_MAX - 1] = '\n';
	assert_int_equal(request_parse(line, CONTROL_REQUEST_MAX, &req), 1);
	assert_int_equal(strlen(req.command), CONTROL_REQUEST_MAX - 1);
	line[CONTROL_REQUEST_MAX - 1] = 'a';
	line[CONTROL_REQUEST_MAX] = '\n';
	assert_int_equal(request_parse(line, CONTROL_REQUEST_MAX + 1, &req),
			 -1);
	assert_int_equal(request_parse(line, CONTROL_REQUEST_MAX, &req), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_not_yet),
		cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
