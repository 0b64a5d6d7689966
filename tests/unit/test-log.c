/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * src/common/log.c: the lines xlatd writes. When stderr is the journal
 * (JOURNAL_STREAM names it, systemd.exec(5)) each line starts with its
 * syslog priority, which journalctl -p filters on; otherwise lines are
 * plain.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/log.h"

static void
test_format(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(log_format(buf, sizeof(buf), LOG_WARNING, true,
				    "uplink eth0: DNS64", "timed out"),
			 strlen("<4>uplink eth0: DNS64: timed out\n"));
	assert_string_equal(buf, "<4>uplink eth0: DNS64: timed out\n");
	log_format(buf, sizeof(buf), LOG_DEBUG, true, "state", NULL);
	assert_string_equal(buf, "<7>state\n");
	log_format(buf, sizeof(buf), LOG_CRIT, true, "no TUN", NULL);
	assert_string_equal(buf, "<2>no TUN\n");
	/* the facility is not part of the prefix */
	log_format(buf, sizeof(buf), LOG_DAEMON | LOG_INFO, true, "up", NULL);
	assert_string_equal(buf, "<6>up\n");
	log_format(buf, sizeof(buf), LOG_WARNING, false, "plain", "why");
	assert_string_equal(buf, "plain: why\n");
}

/* A line too long for the buffer is cut, and still ends. */
static void
test_format_cut(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(log_format(buf, sizeof(buf), LOG_INFO, true,
				    "a long message", NULL),
			 7);
	assert_string_equal(buf, "<6>a l\n");
}

static void
test_journal_stream(void **state)
{
	(void)state;
	assert_true(log_journal_stream_is("8:12345", 8, 12345));
	assert_false(log_journal_stream_is("8:12345", 9, 12345));
	assert_false(log_journal_stream_is("8:12345", 8, 12346));
	assert_false(log_journal_stream_is("8:12345x", 8, 12345));
	assert_false(log_journal_stream_is("8", 8, 0));
	assert_false(log_journal_stream_is("", 0, 0));
	assert_false(log_journal_stream_is(NULL, 0, 0));
}

/* What lands in stderr with JOURNAL_STREAM set to it, or to another
 * stream, as a child with stderr redirected elsewhere inherits it. */
static void
run_logs(bool journal_is_stderr, char *out, size_t len)
{
	char path[] = "/tmp/test-log.XXXXXX", env[64];
	int saved = dup(STDERR_FILENO), fd = mkstemp(path);
	struct stat st;
	ssize_t n;

	assert_true(saved >= 0 && fd >= 0);
	unlink(path);
	assert_int_equal(fstat(fd, &st), 0);
	snprintf(env, sizeof(env), "%ju:%ju", (uintmax_t)st.st_dev,
		 (uintmax_t)st.st_ino + !journal_is_stderr);
	setenv("JOURNAL_STREAM", env, 1);
	assert_int_equal(dup2(fd, STDERR_FILENO), STDERR_FILENO);
	log_init(1, 0, "test-log");
	log_warnx("uplink %s: no PLAT prefix", "eth0");
	log_info("running");
	log_debug("not at level 0");
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	unsetenv("JOURNAL_STREAM");
	n = pread(fd, out, len - 1, 0);
	assert_true(n >= 0);
	out[n] = '\0';
	close(fd);
}

static void
test_journal_lines(void **state)
{
	char out[256];

	(void)state;
	run_logs(true, out, sizeof(out));
	assert_string_equal(out, "<4>uplink eth0: no PLAT prefix\n"
				 "<6>running\n");
	run_logs(false, out, sizeof(out));
	assert_string_equal(out, "uplink eth0: no PLAT prefix\nrunning\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_cut),
		cmocka_unit_test(test_journal_stream),
		cmocka_unit_test(test_journal_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
