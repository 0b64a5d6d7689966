/* SPDX-License-Identifier: BSD-2-Clause */
/* Logging: to stderr, with the priority in front of each line when stderr
 * is the journal; to syslog when not in the foreground. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "log.h"

enum log_sink {
	LOG_SINK_STDERR,
	LOG_SINK_JOURNAL, /* stderr, read by systemd-journald */
	LOG_SINK_SYSLOG,
};

static enum log_sink log_sink = LOG_SINK_STDERR;
static int log_verbose;

bool
log_journal_stream_is(const char *value, uint64_t dev, uint64_t ino)
{
	uint64_t d, i;
	int end = 0;

	return value != NULL &&
	       sscanf(value, "%" SCNu64 ":%" SCNu64 "%n", &d, &i, &end) == 2 &&
	       value[end] == '\0' && d == dev && i == ino;
}

/* systemd.exec(5): JOURNAL_STREAM is set to the device and inode of the
 * stream that goes to the journal; a child with stderr redirected
 * elsewhere inherits the variable but not the stream. */
static bool
log_stderr_is_journal(void)
{
	struct stat st;

	return fstat(STDERR_FILENO, &st) == 0 &&
	       log_journal_stream_is(getenv("JOURNAL_STREAM"),
				     (uint64_t)st.st_dev, (uint64_t)st.st_ino);
}

void
log_init(int foreground, int verbose, const char *progname)
{
	log_verbose = verbose;
	if (log_stderr_is_journal()) {
		log_sink = LOG_SINK_JOURNAL;
	} else if (foreground) {
		log_sink = LOG_SINK_STDERR;
	} else {
		log_sink = LOG_SINK_SYSLOG;
		openlog(progname, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	}
}

void
log_setverbose(int verbose)
{
	log_verbose = verbose;
}

int
log_getverbose(void)
{
	return log_verbose;
}

size_t
log_format(char *buf, size_t len, int pri, bool with_pri, const char *msg,
	   const char *errstr)
{
	char level[8] = "";
	int n;

	/* sd-daemon(3): "<N>" in front sets the priority of the line. */
	if (with_pri)
		snprintf(level, sizeof(level), "<%d>", LOG_PRI(pri));
	n = snprintf(buf, len, "%s%s%s%s\n", level, msg,
		     errstr != NULL ? ": " : "", errstr != NULL ? errstr : "");
	if (n < 0 || len < 2)
		return 0;
	if ((size_t)n < len)
		return (size_t)n;
	/* cut short: the line still ends */
	buf[len - 2] = '\n';
	return len - 1;
}

static void
log_emit(int pri, const char *fmt, va_list ap, const char *errstr)
{
	char msg[1024], line[1100];
	size_t n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_sink == LOG_SINK_SYSLOG) {
		if (errstr != NULL)
			syslog(pri, "%s: %s", msg, errstr);
		else
			syslog(pri, "%s", msg);
		return;
	}
	n = log_format(line, sizeof(line), pri, log_sink == LOG_SINK_JOURNAL,
		       msg, errstr);
	fwrite(line, 1, n, stderr);
	fflush(stderr);
}

void
log_warn(const char *fmt, ...)
{
	const char *errstr = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_WARNING, fmt, ap, errstr);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_WARNING, fmt, ap, NULL);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	if (log_verbose < 0)
		return;
	va_start(ap, fmt);
	log_emit(LOG_INFO, fmt, ap, NULL);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (log_verbose <= 0)
		return;
	va_start(ap, fmt);
	log_emit(LOG_DEBUG, fmt, ap, NULL);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	const char *errstr = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_CRIT, fmt, ap, errstr);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_CRIT, fmt, ap, NULL);
	va_end(ap);
	exit(1);
}
